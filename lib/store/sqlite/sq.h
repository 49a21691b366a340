/*
 * Internal to the SQLite backend: the handle, the statement cache, error translation and
 * column helpers shared by the files of lib/store/sqlite/.
 */
#ifndef LIN_STORE_SQLITE_SQ_H
#define LIN_STORE_SQLITE_SQ_H

#include <sqlite3.h>

#include "store/backend.h"
#include "common/error.h"

/* "Line" in ASCII: marks a SQLite file as a liblineage database (PRAGMA application_id). */
#define LIN_SQ_APPLICATION_ID 0x4C696E65

/* Every statement prepared once per handle and kept. */
enum lin_sq_stmt {
	SQ_ASSET_BY_ID, SQ_ASSET_LOOKUP, SQ_ASSET_INSERT, SQ_ASSET_UPDATE,
	SQ_ASSET_DELETE, SQ_ASSET_PARENT, SQ_ASSET_CHILD_IDS, SQ_ASSET_CHILDREN, SQ_ASSET_OWNER,
	SQ_EDGE_BY_ID, SQ_EDGE_BY_IDENTITY, SQ_EDGE_INSERT, SQ_EDGE_INSERT_NEW, SQ_EDGE_UPDATE, SQ_EDGE_DELETE,
	SQ_EDGE_TOUCHING, SQ_EDGE_PENDING, SQ_EDGE_ORIGIN,
	SQ_KIND_DEFINE, SQ_KIND_RULES, SQ_KINDS_EACH, SQ_ASSET_KIND_DEFINE, SQ_ASSET_KINDS_EACH,
	SQ_CHANGE_INSERT, SQ_EDGE_CREATIONS, SQ_KEYS_PRELOAD, SQ_BATCH_INSERT, SQ_BATCH_EXISTS, SQ_BATCH_RELABEL, SQ_EDGES_MAX_ID, SQ_EDGE_BATCH, SQ_CHANGES_SINCE, SQ_HISTORY_ASSET, SQ_HISTORY_ASSET_COUNT, SQ_EDGE_PENDING_COUNT,
	SQ_HISTORY_EDGE, SQ_CHANGES_OF_BATCH, SQ_CHANGED_LATER, SQ_LAST_SEQ, SQ_CHANGED_SINCE,
	SQ_SCAN_VERTICES, SQ_SCAN_EDGES, SQ_VERTEX_BY_ID, SQ_EDGE_ROW_BY_ID, SQ_GRAPH_SIZE,
	SQ_DATA_VERSION,
	SQ_FTS_PENDING, SQ_FTS_DELETE, SQ_FTS_INSERT, SQ_FTS_CLEAR,
	SQ_RUN_GET, SQ_RUN_PUT, SQ_RUNS_OF_JOB, /* sq_runs.c */
	SQ_BEGIN, SQ_COMMIT, SQ_ROLLBACK, SQ_SAVEPOINT, SQ_RELEASE, SQ_ROLLBACK_TO,
	/* API tokens (sq_tokens.c) */
	SQ_TOKEN_INSERT, SQ_TOKEN_BY_DIGEST, SQ_TOKEN_BY_ID, SQ_TOKENS_EACH, SQ_TOKEN_REVOKE,
	SQ_TOKEN_TOUCH,
	SQ_STMT_COUNT
};

typedef struct lin_sq {
	lin_store base;
	sqlite3 *db;
	unsigned int flags;
	int schema_version;
	sqlite3_stmt *stmts[SQ_STMT_COUNT];
	int in_write;              /* between our BEGIN and its COMMIT or ROLLBACK */
	uint64_t tx_count;         /* write transactions begun */
	struct lin_sq_keys *keys;  /* sq_keys.c */
	struct lin_sq_edge_batch *edge_batch; /* sq_edge_batch.c */
} lin_sq;

#define LIN_SQ(st) ((lin_sq *)(st))

extern const lin_store_ops lin_sq_ops;

/* Asset key -> id inside one write transaction (sq_keys.c). get: 1 when known. */
int lin_sq_keys_get(lin_sq *s, const char *key, int64_t *id, int *unknown);
int lin_sq_asset_keys_preload(lin_store *st, int64_t expected_keys);
void lin_sq_keys_put(lin_sq *s, const char *key, int64_t id, int unknown);
void lin_sq_keys_clear(lin_sq *s);
void lin_sq_keys_free(lin_sq *s);

/* The cached statement `which` (prepared from `sql` on first use), reset and unbound. */
int lin_sq_stmt(lin_sq *s, enum lin_sq_stmt which, const char *sql, sqlite3_stmt **out);

/* Prepare a statement for this call only (finalize it after); kept edges are written first. */
int lin_sq_prepare(lin_sq *s, const char *sql, sqlite3_stmt **out, const char *what);

/* A statement of n rows, its SQL made by sql_of(n): the cached `which` when n == full, else
 * one prepared for this call (*own set: finalize it after). */
int lin_sq_rows_stmt(lin_sq *s, enum lin_sq_stmt which, size_t n, size_t full,
		     char *(*sql_of)(size_t), sqlite3_stmt **out, int *own);

/* Step a statement that gives one row of integers into outs[0..n-1] (NULL: skipped). */
int lin_sq_one_row(lin_sq *s, sqlite3_stmt *stmt, int64_t **outs, int n, const char *what);

/* Translate a SQLite result code into a LINEAGE_E* code with a message about `what`. */
int lin_sq_error(lin_sq *s, int rc, const char *what);

/* Run SQL without results. */
int lin_sq_exec(lin_sq *s, const char *sql, const char *what);

/* Step a statement that returns no row (or whose row is ignored); resets it. */
int lin_sq_step_done(lin_sq *s, sqlite3_stmt *stmt, const char *what);

/* Bind text, or NULL for a NULL pointer (SQLITE_STATIC: valid until the step). */
int lin_sq_bind_text(sqlite3_stmt *stmt, int i, const char *text);
/* Bind an id, or NULL for 0. */
int lin_sq_bind_id(sqlite3_stmt *stmt, int i, int64_t id);

/* Copy column i into *dst (NULL for a NULL column). 0 or ENOMEM. */
int lin_sq_col_str(sqlite3_stmt *stmt, int i, const char **dst);

/* Steps over every row of a prepared statement, calling `row` for each; resets it. */
int lin_sq_each(lin_sq *s, sqlite3_stmt *stmt, int (*row)(sqlite3_stmt *, void *),
		void *payload, const char *what);

/* Schema creation and migrations (sq_schema.c). */
int lin_sq_schema_setup(lin_sq *s);

/* The full-text index (sq_fts.c): this connection's change tracking, and bringing the index
 * up to date with the open transaction (before a commit, or a search inside it). */
int lin_sq_fts_setup(lin_sq *s);
int lin_sq_fts_sync(lin_sq *s);

/* Row readers (the column lists these expect are in the files that define them). */
int lin_sq_read_asset(sqlite3_stmt *stmt, lin_asset_rec **out);
int lin_sq_read_edge(sqlite3_stmt *stmt, lin_edge_rec **out);
int lin_sq_read_change(sqlite3_stmt *stmt, lin_change_rec **out);

/* SELECTs of whole rows in the column order the readers expect. */
#define ASSET_SELECT(where) "SELECT a.id, a.key, a.kind, a.name, a.parent_id, p.key, a.owner," \
	" a.description, a.status, a.tags, a.properties, a.created_at, a.updated_at"          \
	" FROM assets a LEFT JOIN assets p ON p.id = a.parent_id " where

#define EDGE_SELECT(where) "SELECT e.id, e.source_id, s.key, e.target_id, t.key, e.kind,"    \
	" e.job_id, j.key, e.lineage_source, e.confidence, e.status, e.transformation_type,"  \
	" e.transformation, e.description, e.properties, e.evidence, e.origin,"              \
	" e.content_hash, e.reviewed_by, e.review_comment, e.reviewed_at, e.created_at,"     \
	" e.updated_at FROM edges e JOIN assets s ON s.id = e.source_id"                     \
	" JOIN assets t ON t.id = e.target_id LEFT JOIN assets j ON j.id = e.job_id " where

/* The operations of each file, gathered into the table in sq_ops.c. */
void lin_sq_close(lin_store *st);
int lin_sq_schema_version(lin_store *st);
int lin_sq_reference_checks(lin_store *st, int on);
int lin_sq_begin(lin_store *st);
int lin_sq_commit(lin_store *st);
int lin_sq_rollback(lin_store *st);
int lin_sq_savepoint(lin_store *st);
int lin_sq_release(lin_store *st);
int lin_sq_rollback_savepoint(lin_store *st);
int lin_sq_in_transaction(lin_store *st);
int64_t lin_sq_total_changes(lin_store *st);

int lin_sq_graph_size(lin_store *st, int64_t *asset_count, int64_t *max_asset_id,
		      int64_t *edge_count, int64_t *max_edge_id);
int lin_sq_scan_vertices(lin_store *st, lin_vertex_cb cb, void *payload);
int lin_sq_scan_edges(lin_store *st, lin_edge_cb cb, void *payload);
int lin_sq_vertices_by_id(lin_store *st, const int64_t *ids, size_t n, lin_vertex_cb cb,
			  void *payload);
int lin_sq_edges_by_id(lin_store *st, const int64_t *ids, size_t n, lin_edge_cb cb,
		       void *payload);
int lin_sq_changed_since(lin_store *st, int64_t since_seq, lin_changed_cb cb, void *payload,
			 int64_t *last_seq);
int lin_sq_last_seq(lin_store *st, int64_t *out);
int lin_sq_data_version(lin_store *st, uint64_t *out);
int lin_sq_asset_owner(lin_store *st, int64_t id, char **out);

int lin_sq_asset_insert(lin_store *st, const lin_asset_write *w, int64_t *out_id);
int lin_sq_asset_update(lin_store *st, int64_t id, const lin_asset_write *w);
int lin_sq_asset_delete(lin_store *st, int64_t id);
int lin_sq_asset_by_key(lin_store *st, const char *key, lin_asset_rec **out);
int lin_sq_asset_by_id(lin_store *st, int64_t id, lin_asset_rec **out);
int lin_sq_asset_lookup(lin_store *st, const char *key, int64_t *out_id, int *out_unknown);
int lin_sq_asset_parent(lin_store *st, int64_t id, int64_t *out_parent);
int lin_sq_asset_child_ids(lin_store *st, int64_t id, lin_id_cb cb, void *payload);
int lin_sq_asset_children(lin_store *st, int64_t id, lin_asset_rec_cb cb, void *payload);
int lin_sq_asset_search(lin_store *st, const lin_search_query *q, lin_asset_rec_cb cb,
			void *payload, size_t *out_total);

int lin_sq_edge_insert(lin_store *st, const lin_edge_write *w, int64_t *out_id);
int lin_sq_edge_update(lin_store *st, int64_t id, const lin_edge_write *w);
int lin_sq_edge_delete(lin_store *st, int64_t id);
int lin_sq_edge_by_id(lin_store *st, int64_t id, lin_edge_rec **out);
int lin_sq_edge_by_identity(lin_store *st, int64_t source_id, int64_t target_id,
			    const char *kind, int64_t job_id, lin_edge_rec **out);
int lin_sq_edge_ids_touching(lin_store *st, int64_t asset_id, lin_id_cb cb, void *payload);
int lin_sq_edge_list_for_asset(lin_store *st, int64_t asset_id, unsigned int flags,
			       lin_edge_rec_cb cb, void *payload);
int lin_sq_edge_list_pending(lin_store *st, size_t offset, size_t limit, int64_t *total,
			     lin_edge_rec_cb cb, void *payload);
int lin_sq_edge_origin_ids(lin_store *st, const char *origin, lin_id_cb cb, void *payload);

int lin_sq_kind_define(lin_store *st, const char *kind, int allows_self_loop,
		       int allows_cycles);
int lin_sq_kinds_each(lin_store *st, lin_kind_cb cb, void *payload);
int lin_sq_asset_kind_define(lin_store *st, const char *kind);
int lin_sq_asset_kinds_each(lin_store *st, lin_asset_kind_cb cb, void *payload);
int lin_sq_kind_rules(lin_store *st, const char *kind, int *allows_self_loop,
		      int *allows_cycles, int *found);

int lin_sq_change_insert(lin_store *st, const lin_change_write *w, int64_t *out_seq);
int lin_sq_edge_creations_record(lin_store *st, const lin_change_write *w, const int64_t *ids,
				 size_t n, int64_t *first_seq, int64_t *last_seq);
/* The CREATE INDEX statements of edges_target and edges_job (sq_schema.c). */
extern const char lin_sq_edge_secondary_indexes[];
int lin_sq_edges_bulk(lin_store *st, int64_t expected, int *on);
int lin_sq_edges_bulk_finish(lin_store *st);

/* The columns an edge is written with, in the order of lin_sq_bind_edge(). */
#define SQ_EDGE_COLUMNS \
	"source_id, target_id, job_id, kind, lineage_source, confidence, status," \
	" transformation_type, transformation, description, properties, evidence, origin," \
	" content_hash, reviewed_by, review_comment, reviewed_at, created_at, updated_at, id"
/* Bind w to parameters at + 1 .. at + 20. Non-zero on failure. */
int lin_sq_bind_edge(sqlite3_stmt *stmt, int at, const lin_edge_write *w);

/* Edge batch (sq_edge_batch.c): new edges of a bulk write, inserted a few hundred per
 * statement. begin: inside a write transaction (its edges' highest id max_id, `expected`
 * more to come), read the stored edges' identities; keep: an insert only if new of an
 * identity not among them is kept (*kept 1, *out_id its id); inserted: an edge was inserted
 * another way; settle: write what is kept (before any statement that may see edges runs);
 * kept: rows kept so far; end: forget all (the transaction ended). */
int lin_sq_edges_bulk_begin(lin_sq *s, int64_t max_id, int64_t expected);
int lin_sq_edges_keep(lin_sq *s, const lin_edge_write *w, int64_t *out_id, int *kept);
void lin_sq_edges_inserted(lin_sq *s, const lin_edge_write *w, int64_t id);
int lin_sq_edges_settle(lin_sq *s);
/* Whether the statement may read or change edges (else it runs without a settle). */
int lin_sq_stmt_sees_edges(enum lin_sq_stmt which);
int64_t lin_sq_edges_kept(const lin_sq *s);
void lin_sq_edges_bulk_end(lin_sq *s);
int lin_sq_batch_relabel(lin_store *st, int64_t id, const char *label);
int lin_sq_batch_insert(lin_store *st, const char *actor, const char *label, int64_t at,
			int64_t *out_id);
int lin_sq_batch_exists(lin_store *st, int64_t id, int *out_found);
int lin_sq_changes_since(lin_store *st, int64_t since_seq, size_t limit, lin_change_rec_cb cb,
			 void *payload);
int lin_sq_history_asset(lin_store *st, const char *key, size_t offset, size_t limit,
			 int64_t *total, lin_change_rec_cb cb, void *payload);
int lin_sq_history_edge(lin_store *st, int64_t id, size_t limit, lin_change_rec_cb cb,
			void *payload);
int lin_sq_changes_of_batch(lin_store *st, int64_t batch_id, lin_change_rec_cb cb,
			    void *payload);
int lin_sq_changed_later(lin_store *st, int64_t after_seq, int64_t batch_id,
			 const char *entity, int64_t id, int *out_found);

int lin_sq_stats(lin_store *st, lin_stat_cb cb, void *payload);
int lin_sq_backup(lin_store *st, const char *dest_path, lineage_progress_cb progress,
		  void *payload);

/* Full scans for export (owned by lib/io; scan_full.c). */
int lin_sq_scan_assets_full(lin_store *st, lin_asset_rec_cb cb, void *payload);
int lin_sq_scan_edges_full(lin_store *st, int all_status, lin_edge_rec_cb cb, void *payload);
int lin_sq_edge_origin_all(lin_store *st, const char *origin, lin_edge_rec_cb cb,
			   void *payload);

/* Whole-store copy (sq_copy.c; backend.h). */
int lin_sq_copy_read(lin_store *st, const lin_copy_sink *sink);
int lin_sq_copy_write_begin(lin_store *st, void **writer);
int lin_sq_copy_write_row(void *writer, int table, const char *const *values, const int *lengths);
int lin_sq_copy_write_end(void *writer, int commit);
/* API tokens (sq_tokens.c; lib/store/tokens.h). */
int lin_sq_token_insert(lin_store *st, const lin_token_write *w, int64_t *out_id);
int lin_sq_token_find(lin_store *st, int64_t id, const char *digest, lin_token_rec **out);
int lin_sq_tokens_each(lin_store *st, lin_token_rec_cb cb, void *payload);
int lin_sq_token_revoke(lin_store *st, int64_t id, int64_t at);
int lin_sq_token_touch(lin_store *st, int64_t id, int64_t at);
/* OpenLineage runs (sq_runs.c). */
int lin_sq_run_get(lin_store *st, int64_t job_id, const char *run_id, char **out);
int lin_sq_run_put(lin_store *st, const lin_run_row *row);
int lin_sq_runs_of_job(lin_store *st, int64_t job_id, size_t limit, lin_run_row_cb cb,
		       void *payload);

/* Saved views (sq_views.c; lib/store/views.h). */
int lin_sq_view_get(lin_store *st, const char *name, lin_view_row_cb cb, void *payload);
int lin_sq_views_each(lin_store *st, size_t offset, size_t limit, lin_view_row_cb cb,
		      void *payload);
int lin_sq_view_count(lin_store *st, int64_t *out);
int lin_sq_view_insert(lin_store *st, const lin_view_row *row);
int lin_sq_view_update(lin_store *st, const char *name, const lin_view_row *row);
int lin_sq_view_delete(lin_store *st, const char *name);

#endif
