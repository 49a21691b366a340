/*
 * liblineage for Node.js: the library calls behind the methods of the table (methods.c).
 * Each `run_` function runs under the graph's lock, on the main thread or a worker, and
 * must not touch JavaScript: it reads its call_args and leaves its answer there (see
 * method.h). Each `init_` function sets a method's defaults before its arguments are read.
 */
#ifndef LINEAGE_NODE_OPS_H
#define LINEAGE_NODE_OPS_H

#include "method.h"

/* assets and edges (ops_assets.c) */
int init_asset(call_args *a);
int init_edge(call_args *a);
int init_search(call_args *a);
int init_edges(call_args *a);
int run_add_asset(call_args *a, lineage_db *db);
int run_get_asset(call_args *a, lineage_db *db);
int run_has_asset(call_args *a, lineage_db *db);
int run_remove_asset(call_args *a, lineage_db *db);
int run_children(call_args *a, lineage_db *db);
int run_search(call_args *a, lineage_db *db);
int run_add_edge(call_args *a, lineage_db *db);
int run_get_edge(call_args *a, lineage_db *db);
int run_find_edge(call_args *a, lineage_db *db);
int run_remove_edge(call_args *a, lineage_db *db);
int run_edges(call_args *a, lineage_db *db);
int run_pending_edges(call_args *a, lineage_db *db);
int run_review(call_args *a, lineage_db *db); /* variant: 1 approve, 0 reject */

/* queries and the change feed (ops_queries.c) */
int init_impact(call_args *a);
int init_path(call_args *a);
int run_traverse(call_args *a, lineage_db *db);  /* variant: the direction */
int run_impact(call_args *a, lineage_db *db);
int run_path(call_args *a, lineage_db *db);
int run_structure(call_args *a, lineage_db *db); /* variant: the structure */
int run_changes(call_args *a, lineage_db *db);   /* variant: CHANGES_* */
int run_last_seq(call_args *a, lineage_db *db);
int run_stats(call_args *a, lineage_db *db);

enum { CHANGES_OF_ASSET, CHANGES_OF_EDGE, CHANGES_SINCE };

/* transactions, the actor, edge and asset kinds (ops_db.c) */
int init_edge_kind(call_args *a);
int run_begin(call_args *a, lineage_db *db);
int run_end_transaction(call_args *a, lineage_db *db); /* variant: 1 commit, 0 rollback */
int run_revert_batch(call_args *a, lineage_db *db);
int run_set_actor(call_args *a, lineage_db *db);
int run_define_edge_kind(call_args *a, lineage_db *db);
int run_define_asset_kind(call_args *a, lineage_db *db);
int run_asset_kinds(call_args *a, lineage_db *db);

/* saved views (ops_views.c) */
int run_save_view(call_args *a, lineage_db *db);
int run_get_view(call_args *a, lineage_db *db);
int run_views(call_args *a, lineage_db *db);
int run_rename_view(call_args *a, lineage_db *db);
int run_delete_view(call_args *a, lineage_db *db);

/* long operations and the SQL analysis (ops_io.c) */
int init_import(call_args *a);
int init_scan(call_args *a);
int init_export(call_args *a);
int init_sql(call_args *a);
int run_backup(call_args *a, lineage_db *db);
int run_import(call_args *a, lineage_db *db);
int run_scan(call_args *a, lineage_db *db);
int run_export(call_args *a, lineage_db *db);
int run_analyze_sql(call_args *a, lineage_db *db); /* no graph: db is NULL */

#endif
