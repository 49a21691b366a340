/*
 * Internal to lib/store/: the table of operations a storage backend provides. Each
 * lin_store_* function of store.h (except open and close) dispatches to the member of the
 * same name; a backend's handle starts with a `lin_store` whose `ops` points to its table.
 */
#ifndef LIN_STORE_BACKEND_H
#define LIN_STORE_BACKEND_H

#include "store.h"
#include "copy_tables.h"
#include "tokens.h"
#include "views.h"

typedef struct lin_store_ops {
	const char *name;
	void (*close)(lin_store *st);
	int (*graph_size)(lin_store *st, int64_t *asset_count, int64_t *max_asset_id, int64_t *edge_count, int64_t *max_edge_id);
	int (*scan_vertices)(lin_store *st, lin_vertex_cb cb, void *payload);
	int (*scan_edges)(lin_store *st, lin_edge_cb cb, void *payload);
	int (*vertices_by_id)(lin_store *st, const int64_t *ids, size_t n, lin_vertex_cb cb, void *payload);
	int (*edges_by_id)(lin_store *st, const int64_t *ids, size_t n, lin_edge_cb cb, void *payload);
	int (*changed_since)(lin_store *st, int64_t since_seq, lin_changed_cb cb, void *payload, int64_t *last_seq);
	int (*last_seq)(lin_store *st, int64_t *out);
	int (*data_version)(lin_store *st, uint64_t *out);
	int (*asset_owner)(lin_store *st, int64_t id, char **out);
	int (*schema_version)(lin_store *st);
	int (*begin)(lin_store *st);
	int (*commit)(lin_store *st);
	int (*rollback)(lin_store *st);
	int (*savepoint)(lin_store *st);
	int (*release)(lin_store *st);
	int (*rollback_savepoint)(lin_store *st);
	int (*in_transaction)(lin_store *st);
	int (*reference_checks)(lin_store *st, int on);
	int (*asset_keys_preload)(lin_store *st, int64_t expected_keys);
	int64_t (*total_changes)(lin_store *st);
	int (*asset_insert)(lin_store *st, const lin_asset_write *w, int64_t *out_id);
	int (*asset_update)(lin_store *st, int64_t id, const lin_asset_write *w);
	int (*asset_delete)(lin_store *st, int64_t id);
	int (*asset_by_key)(lin_store *st, const char *key, lin_asset_rec **out);
	int (*asset_by_id)(lin_store *st, int64_t id, lin_asset_rec **out);
	int (*asset_lookup)(lin_store *st, const char *key, int64_t *out_id, int *out_unknown);
	int (*asset_parent)(lin_store *st, int64_t id, int64_t *out_parent);
	int (*asset_child_ids)(lin_store *st, int64_t id, lin_id_cb cb, void *payload);
	int (*asset_children)(lin_store *st, int64_t id, lin_asset_rec_cb cb, void *payload);
	int (*asset_search)(lin_store *st, const lin_search_query *q, lin_asset_rec_cb cb, void *payload, size_t *out_total);
	int (*edge_insert)(lin_store *st, const lin_edge_write *w, int64_t *out_id);
	int (*edge_update)(lin_store *st, int64_t id, const lin_edge_write *w);
	int (*edge_delete)(lin_store *st, int64_t id);
	int (*edge_by_id)(lin_store *st, int64_t id, lin_edge_rec **out);
	int (*edge_by_identity)(lin_store *st, int64_t source_id, int64_t target_id, const char *kind, int64_t job_id, lin_edge_rec **out);
	int (*edge_ids_touching)(lin_store *st, int64_t asset_id, lin_id_cb cb, void *payload);
	int (*edge_list_for_asset)(lin_store *st, int64_t asset_id, unsigned int flags, lin_edge_rec_cb cb, void *payload);
	int (*edge_list_pending)(lin_store *st, size_t offset, size_t limit, int64_t *total, lin_edge_rec_cb cb, void *payload);
	int (*edge_origin_ids)(lin_store *st, const char *origin, lin_id_cb cb, void *payload);
	int (*kind_define)(lin_store *st, const char *kind, int allows_self_loop, int allows_cycles);
	int (*kinds_each)(lin_store *st, lin_kind_cb cb, void *payload);
	int (*kind_rules)(lin_store *st, const char *kind, int *allows_self_loop, int *allows_cycles, int *found);
	/* Asset kinds declared beyond the built-in ones (schema 4, issue 11): a set of names
	 * (SQLite: table asset_kinds). Defining one already there is a no-op; each lists them in
	 * any order. An upgrade declares every kind its assets already use. */
	int (*asset_kind_define)(lin_store *st, const char *kind);
	int (*asset_kinds_each)(lin_store *st, lin_asset_kind_cb cb, void *payload);
	int (*change_insert)(lin_store *st, const lin_change_write *w, int64_t *out_seq);
	int (*edge_creations_record)(lin_store *st, const lin_change_write *w, const int64_t *ids, size_t n, int64_t *first_seq, int64_t *last_seq);
	int (*batch_insert)(lin_store *st, const char *actor, const char *label, int64_t at, int64_t *out_id);
	int (*batch_exists)(lin_store *st, int64_t id, int *out_found);
	int (*batch_relabel)(lin_store *st, int64_t id, const char *label);
	int (*edges_bulk)(lin_store *st, int64_t expected, int *deferred);
	int (*edges_bulk_finish)(lin_store *st);
	int (*edges_prefetch)(lin_store *st, const lin_edge_ref *refs, size_t n); /* may be NULL */
	int (*changes_since)(lin_store *st, int64_t since_seq, size_t limit, lin_change_rec_cb cb, void *payload);
	int (*history_asset)(lin_store *st, const char *key, size_t offset, size_t limit, int64_t *total, lin_change_rec_cb cb, void *payload);
	int (*history_edge)(lin_store *st, int64_t id, size_t limit, lin_change_rec_cb cb, void *payload);
	int (*changes_of_batch)(lin_store *st, int64_t batch_id, lin_change_rec_cb cb, void *payload);
	int (*changed_later)(lin_store *st, int64_t after_seq, int64_t batch_id, const char *entity, int64_t id, int *out_found);
	int (*stats)(lin_store *st, lin_stat_cb cb, void *payload);
	int (*backup)(lin_store *st, const char *dest_path, lineage_progress_cb progress, void *payload);
	/* Full scans for export (owned by lib/io; see the end of store.h). */
	int (*scan_assets_full)(lin_store *st, lin_asset_rec_cb cb, void *payload);
	int (*scan_edges_full)(lin_store *st, int all_status, lin_edge_rec_cb cb, void *payload);
	int (*edge_origin_all)(lin_store *st, const char *origin, lin_edge_rec_cb cb, void *payload);
	/* Whole-store copy (lineage_db_copy; the tables and columns of copy_tables.h).
	 * copy_read: every row of every table, from one consistent snapshot, ids and seqs
	 * included; sink->start first with the number of rows. copy_write_begin: one write
	 * transaction on an empty store (EEXISTS otherwise), its built-in kinds removed;
	 * copy_write_row: one row as is, through the backend's bulk path; copy_write_end:
	 * commit (`commit` non-zero) or roll back, and free the writer. Files sq_copy.c and
	 * pg_copy.c. */
	int (*copy_read)(lin_store *st, const lin_copy_sink *sink);
	int (*copy_write_begin)(lin_store *st, void **writer);
	int (*copy_write_row)(void *writer, int table, const char *const *values, const int *lengths);
	int (*copy_write_end)(void *writer, int commit);
	/* API tokens (schema 5, issue 15; lib/store/tokens.h): the table `tokens`, holding
	 * each token's SHA-256 digest, never its text. SQLite: sqlite/sq_tokens.c; PostgreSQL:
	 * postgres/pg_tokens.c. insert: a new id (highest + 1); find: by digest when it is not
	 * NULL, else by id (*out NULL: none); each: by id; revoke: set revoked_at; touch: set
	 * last_used_at. */
	int (*token_insert)(lin_store *st, const lin_token_write *w, int64_t *out_id);
	int (*token_find)(lin_store *st, int64_t id, const char *digest, lin_token_rec **out);
	int (*tokens_each)(lin_store *st, lin_token_rec_cb cb, void *payload);
	int (*token_revoke)(lin_store *st, int64_t id, int64_t at);
	int (*token_touch)(lin_store *st, int64_t id, int64_t at);
	/* OpenLineage runs (schema 6, issue 13): a table of (job id, run id) -> state, order and
	 * record, written by lib/scan/openlineage/runs.c outside the asset path, so that an event
	 * costs one upsert instead of an audited asset write; rows are deleted with their job.
	 * SQLite: sq_runs.c; PostgreSQL: pg_runs.c. */
	int (*run_get)(lin_store *st, int64_t job_id, const char *run_id, char **out);
	int (*run_put)(lin_store *st, const lin_run_row *row);
	int (*runs_of_job)(lin_store *st, int64_t job_id, size_t limit, lin_run_row_cb cb, void *payload);
	/* Saved views (schema 7, issue 15; lib/store/views.h): the table `views`, by name.
	 * SQLite: sqlite/sq_views.c; PostgreSQL: postgres/pg_views.c. */
	int (*view_get)(lin_store *st, const char *name, lin_view_row_cb cb, void *payload);
	int (*views_each)(lin_store *st, size_t offset, size_t limit, lin_view_row_cb cb, void *payload);
	int (*view_count)(lin_store *st, int64_t *out);
	int (*view_insert)(lin_store *st, const lin_view_row *row);
	int (*view_update)(lin_store *st, const char *name, const lin_view_row *row);
	int (*view_delete)(lin_store *st, const char *name);
} lin_store_ops;

struct lin_store {
	const lin_store_ops *ops;
};

/* The SQLite backend (lib/store/sqlite/). */
int lin_sqlite_open(lin_store **out, const char *path, const lin_store_options *opts);
/* The PostgreSQL backend (lib/store/postgres/): `uri` is a libpq URI. */
int lin_postgres_open(lin_store **out, const char *uri, const lin_store_options *opts);

#endif
