/*
 * Internal to the PostgreSQL backend: the handle, statements and their parameters, results,
 * error translation and reconnection, shared by the files of lib/store/postgres/.
 *
 * Every statement is parameterized (prepared once per connection, or PQexecParams for the
 * rare ones). The store lives in a schema of its own (lineage_open_options.pg_schema); the
 * connection's search_path is that schema, so the SQL names tables unqualified.
 *
 * Writers are serialized: lin_pg_begin() takes a transaction-level advisory lock of the
 * schema (waiting at most busy_timeout_ms, then EBUSY), like SQLite's BEGIN IMMEDIATE. That
 * keeps the SQLite store's guarantees as they are: ids and change seqs are the highest + 1,
 * handed out in commit order (so "max(seq) moved" is a complete probe of other hosts' commits, and nothing is
 * ever committed behind a reader's seq), a batch's changes are contiguous, and the merge
 * rules read the stored edge and write the merged one with no other writer in between.
 */
#ifndef LIN_STORE_POSTGRES_PG_H
#define LIN_STORE_POSTGRES_PG_H

#include <libpq-fe.h>

#include "store/backend.h"
#include "store/key_cache.h"
#include "common/error.h"

/* Statements prepared once per connection (named "lin<N>"). */
enum lin_pg_stmt {
	PG_ASSET_BY_ID, PG_ASSET_LOOKUP, PG_ASSET_INSERT, PG_ASSET_UPDATE, PG_ASSET_DELETE,
	PG_ASSET_PARENT, PG_ASSET_CHILD_IDS, PG_ASSET_CHILDREN, PG_ASSET_OWNER,
	PG_EDGE_BY_ID, PG_EDGE_BY_IDENTITY, PG_EDGE_INSERT, PG_EDGE_INSERT_NEW, PG_EDGE_UPDATE,
	PG_EDGE_DELETE, PG_EDGE_TOUCHING, PG_EDGE_PENDING, PG_EDGE_ORIGIN,
	PG_KIND_DEFINE, PG_KIND_RULES, PG_KINDS_EACH, PG_ASSET_KIND_DEFINE, PG_ASSET_KINDS_EACH,
	PG_CHANGE_INSERT, PG_EDGE_CREATIONS, PG_BATCH_INSERT, PG_BATCH_EXISTS, PG_BATCH_RELABEL,
	PG_CHANGES_SINCE, PG_HISTORY_ASSET, PG_HISTORY_ASSET_COUNT, PG_EDGE_PENDING_COUNT, PG_HISTORY_EDGE, PG_CHANGES_OF_BATCH, PG_CHANGED_LATER,
	PG_LAST_SEQ, PG_CHANGED_SINCE, PG_SCAN_VERTICES, PG_SCAN_EDGES, PG_VERTICES_BY_ID,
	PG_EDGES_BY_ID, PG_GRAPH_SIZE, PG_WRITE_LOCK, PG_NOTIFY, PG_ASSET_MAX_ID, PG_EDGES_AHEAD,
	PG_ASSETS_AHEAD, PG_ASSETS_BY_KEY,
	PG_RUN_GET, PG_RUN_PUT, PG_RUNS_OF_JOB, /* pg_runs.c */
	PG_STMT_COUNT,
	PG_ONCE = -1 /* not kept: PQexecParams */
};

typedef struct lin_pg {
	lin_store base;
	PGconn *conn;
	unsigned int flags;
	int busy_timeout_ms;
	char *schema;        /* validated: [a-z_][a-z0-9_]* */
	char *channel;       /* LISTEN/NOTIFY channel: "lineage_" + schema */
	char *lock_key;      /* the advisory lock's key text: "liblineage:" + schema */
	unsigned char prepared[PG_STMT_COUNT]; /* on this connection */
	int in_write;        /* between our BEGIN and its COMMIT or ROLLBACK */
	int tx_lost;         /* the connection was lost inside a transaction the caller still
				believes open: no new connection until it knows (rollback) */
	int64_t changes;     /* rows written through this handle (lin_store_total_changes) */
	lin_key_cache keys;  /* pg_keys.c */
	int keys_complete;   /* keys holds every asset of the store */
	struct lin_pg_bulk *bulk; /* pg_bulk.c */
	int bulk_next;       /* the next transaction writes in bulk (an import's) */
	int standby;         /* connected to a hot standby: no LISTEN */
	int max_staleness_ms; /* lineage_open_options.max_staleness_ms (pg_graph.c) */
	int probed;          /* known_seq came from a probe on this connection */
	double probed_at_ms; /* when (monotonic ms) */
	int64_t known_seq;   /* the highest committed seq this handle knows of */
	int scans;           /* full scans under way (pg_scan_full.c), each with its cursor */
	struct lin_pg_ahead *ahead; /* pg_ahead.c */
	struct lin_pg_ahead_assets *ahead_assets; /* pg_ahead_assets.c */
} lin_pg;

#define LIN_PG(st) ((lin_pg *)(st))

extern const lin_store_ops lin_pg_ops;

/* ---- Parameters: text values, NULL for SQL NULL ---- */
#define LIN_PG_MAX_PARAMS 24
typedef struct lin_pg_args {
	int n;
	const char *v[LIN_PG_MAX_PARAMS];
	char num[LIN_PG_MAX_PARAMS][32];
} lin_pg_args;

void lin_pg_text(lin_pg_args *a, const char *s);
void lin_pg_int(lin_pg_args *a, int64_t v);
void lin_pg_id(lin_pg_args *a, int64_t v); /* NULL for 0 */
void lin_pg_real(lin_pg_args *a, double v);

/* ---- Running statements ---- */
/* Run statement `which` (SQL `sql`, prepared on first use; PG_ONCE: not kept) with `a`
 * (NULL: none). *out receives the result (PQclear it) when the statement succeeded. Outside
 * a transaction a lost connection is re-made and the statement run again, once. */
int lin_pg_run(lin_pg *p, int which, const char *sql, const lin_pg_args *a, PGresult **out,
	       const char *what);
/* The same for a statement whose rows are not needed. */
int lin_pg_exec(lin_pg *p, int which, const char *sql, const lin_pg_args *a, const char *what);
/* SQL without parameters and results (schema setup, transaction control). */
int lin_pg_simple(lin_pg *p, const char *sql, const char *what);
/* The row callback of lin_pg_each. */
typedef int (*lin_pg_row_cb)(PGresult *res, int row, void *payload);
/* Every row of the statement, in order. A callback may use the store: the rows are read
 * first. */
int lin_pg_each(lin_pg *p, int which, const char *sql, const lin_pg_args *a, lin_pg_row_cb row,
		void *payload, const char *what);
/* Every row streamed (single-row mode: for whole-table scans; the callback must not use the
 * store). */
int lin_pg_stream(lin_pg *p, int which, const char *sql, const lin_pg_args *a, lin_pg_row_cb row,
		  void *payload, const char *what);
/* Before a read outside execute(): the lost-transaction check, a new connection when the
 * old one was lost between calls, and what a bulk write kept that statement `which` sees. */
int lin_pg_prepare_read(lin_pg *p, int which, const char *what);

/* Every row of `select` by binary COPY (pg_copy_out.c: for whole-table scans; the callback
 * must not use the store). A field's data is NULL for SQL NULL; text is NUL-terminated;
 * numbers are read with lin_pg_field_i64 / _f64 (integers of 2, 4 or 8 bytes; float4/8). */
typedef struct lin_pg_field {
	const char *data;
	int32_t len;
} lin_pg_field;
typedef int (*lin_pg_fields_cb)(const lin_pg_field *f, int n, void *payload);
int lin_pg_copy_out(lin_pg *p, int which, const char *select, lin_pg_fields_cb cb, void *payload,
		    const char *what);
int64_t lin_pg_field_i64(const lin_pg_field *f); /* 0 for NULL */
double lin_pg_field_f64(const lin_pg_field *f);
/* One row of integers into outs[0..n-1] (NULL: skipped; a NULL column reads 0). */
int lin_pg_one_row(lin_pg *p, int which, const char *sql, const lin_pg_args *a, int64_t **outs,
		   int n, const char *what);

/* Translate a failed result (or a broken connection when res is NULL) into a LINEAGE_E*
 * code with a message about `what`. */
int lin_pg_error(lin_pg *p, const PGresult *res, const char *what);

/* ---- Columns ---- */
int64_t lin_pg_i64(const PGresult *res, int row, int col); /* 0 for NULL */
double lin_pg_f64(const PGresult *res, int row, int col);
/* Copy into *dst (NULL for a NULL column). 0 or ENOMEM. */
int lin_pg_str(const PGresult *res, int row, int col, const char **dst);
/* Borrowed text (NULL for a NULL column). */
const char *lin_pg_cstr(const PGresult *res, int row, int col);

/* An int64 array parameter ("{1,2,3}"), a new string; NULL with ENOMEM. */
char *lin_pg_id_array(const int64_t *ids, size_t n);

/* ---- Connection (pg_conn.c) and schema (pg_schema.c) ---- */
/* Make the connection usable again after it was lost (outside a transaction). */
int lin_pg_reconnect(lin_pg *p);
/* Session settings of a new connection: search_path, lock timeout, LISTEN, read-only. */
int lin_pg_session_setup(lin_pg *p);
int lin_pg_schema_setup(lin_pg *p, unsigned int flags);
/* Read the notifications that arrived (other hosts' commits), raising known_seq to the
 * highest seq they carry; cheap, never blocks. -1 when the connection is lost. */
int lin_pg_drain_notifies(lin_pg *p);

/* Row readers (the column lists they expect are the SELECTs below). */
int lin_pg_read_asset(const PGresult *res, int row, lin_asset_rec **out);
int lin_pg_read_edge(const PGresult *res, int row, lin_edge_rec **out);
int lin_pg_read_change(const PGresult *res, int row, lin_change_rec **out);

#define PG_ASSET_SELECT(where) "SELECT a.id, a.key, a.kind, a.name, a.parent_id, p.key, a.owner," \
	" a.description, a.status, a.tags, a.properties, a.created_at, a.updated_at"          \
	" FROM assets a LEFT JOIN assets p ON p.id = a.parent_id " where

#define PG_EDGE_SELECT(where) "SELECT e.id, e.source_id, s.key, e.target_id, t.key, e.kind,"    \
	" e.job_id, j.key, e.lineage_source, e.confidence, e.status, e.transformation_type,"  \
	" e.transformation, e.description, e.properties, e.evidence, e.origin,"              \
	" e.content_hash, e.reviewed_by, e.review_comment, e.reviewed_at, e.created_at,"     \
	" e.updated_at FROM edges e JOIN assets s ON s.id = e.source_id"                     \
	" JOIN assets t ON t.id = e.target_id LEFT JOIN assets j ON j.id = e.job_id " where

/* The columns an edge is written with, in the order of lin_pg_edge_args(). */
#define PG_EDGE_COLUMNS \
	"source_id, target_id, job_id, kind, lineage_source, confidence, status," \
	" transformation_type, transformation, description, properties, evidence, origin," \
	" content_hash, reviewed_by, review_comment, reviewed_at, created_at, updated_at"
/* Append w's 19 values (PG_EDGE_COLUMNS) to a. */
void lin_pg_edge_args(lin_pg_args *a, const lin_edge_write *w);

/* Asset key -> id inside a write transaction (pg_keys.c). get: 1 when known. */
int lin_pg_keys_get(lin_pg *p, const char *key, int64_t *id, int *unknown);
void lin_pg_keys_put(lin_pg *p, const char *key, int64_t id, int unknown);
void lin_pg_keys_reset(lin_pg *p); /* forget all (the transaction ended, an asset changed) */

/* Bulk path (pg_bulk.c). keep: an insert only if new of an identity surely not stored is
 * kept for the next COPY (*kept 1, *out_id its id); inserted: an edge was inserted another
 * way; settle: send what is kept (before any statement that may see edges); sees_edges:
 * whether statement `which` may read or change edges; end: forget all (the transaction
 * ended). */
int lin_pg_edges_bulk(lin_store *st, int64_t expected, int *on);
int lin_pg_edges_bulk_finish(lin_store *st);
int lin_pg_edges_keep(lin_pg *p, const lin_edge_write *w, int surely_new, int64_t *out_id,
		      int *kept);
void lin_pg_edges_inserted(lin_pg *p, const lin_edge_write *w, int64_t id);
int lin_pg_edges_settle(lin_pg *p);
int lin_pg_stmt_sees_edges(int which);
/* The same for the change rows of a bulk write (*out_seq: the seq it will have). */
int lin_pg_changes_keep(lin_pg *p, const lin_change_write *w, int64_t *out_seq, int *kept);
int lin_pg_changes_settle(lin_pg *p);
int lin_pg_stmt_sees_changes(int which);
/* The same for the assets a bulk write creates. */
int lin_pg_assets_keep(lin_pg *p, const lin_asset_write *w, int64_t *out_id, int *kept);
int lin_pg_assets_settle(lin_pg *p);
int lin_pg_stmt_sees_assets(int which);
/* Append w's 11 values (key .. updated_at, as assets are written) to a. */
void lin_pg_asset_args(lin_pg_args *a, const lin_asset_write *w);
void lin_pg_bulk_end(lin_pg *p);
/* Rows a bulk write kept (and sent by COPY) so far. */
size_t lin_pg_bulk_kept(const lin_pg *p);
/* After a large write: fresh planner statistics (pg_conn.c). */
void lin_pg_analyze(lin_pg *p);

/* Edges read ahead for a bulk write (pg_ahead.c). state: whether w's identity is known
 * stored or not; take: the stored edge handed over (*out NULL: surely none), 1 when known;
 * forget: w's identity changes; clear: all change (a savepoint rolled back). */
enum { AHEAD_UNKNOWN, AHEAD_STORED, AHEAD_ABSENT };
int lin_pg_edges_prefetch(lin_store *st, const lin_edge_ref *refs, size_t n);
/* 0 when the edge of `ref` is surely not stored (the Bloom filter and the keys tell). */
int lin_pg_edge_maybe_stored(lin_pg *p, const lin_edge_ref *ref);
int lin_pg_ahead_state(lin_pg *p, const lin_edge_write *w);
int lin_pg_ahead_take(lin_pg *p, int64_t sid, int64_t tid, const char *kind, int64_t jid,
		      lin_edge_rec **out);
void lin_pg_ahead_forget(lin_pg *p, const lin_edge_write *w, int64_t id); /* id 0: none */
void lin_pg_ahead_clear(lin_pg *p);
/* Assets read ahead (pg_ahead_assets.c): those of `keys` (NULLs skipped), once each per
 * bulk write; ahead_asset: *found 1 when the answer is here (*out NULL: no such asset). */
int lin_pg_ahead_assets_by_key(lin_pg *p, const char **keys, size_t n);
int lin_pg_ahead_asset(lin_pg *p, int64_t id, lin_asset_rec **out, int *found);
void lin_pg_ahead_asset_forget(lin_pg *p, int64_t id); /* it changes */
void lin_pg_ahead_assets_clear(lin_pg *p);
void lin_pg_ahead_assets_free(lin_pg *p);
/* One element of a text[] literal (quoted, escaped; NULL for v NULL) after a comma unless first. */
struct lin_strbuf;
int lin_pg_put_array_element(struct lin_strbuf *sb, const char *v, int first);
/* An asset's parent id remembered in a bulk write: 1 when known. */
int lin_pg_ahead_parent(lin_pg *p, int64_t id, int64_t *parent);
void lin_pg_ahead_parent_put(lin_pg *p, int64_t id, int64_t parent);
void lin_pg_ahead_free(lin_pg *p);

/* ---- The operations, gathered into the table in pg_ops.c ---- */
void lin_pg_close(lin_store *st);
int lin_pg_schema_version(lin_store *st);
int lin_pg_reference_checks(lin_store *st, int on);
int lin_pg_begin(lin_store *st);
int lin_pg_commit(lin_store *st);
int lin_pg_rollback(lin_store *st);
int lin_pg_savepoint(lin_store *st);
int lin_pg_release(lin_store *st);
int lin_pg_rollback_savepoint(lin_store *st);
int lin_pg_in_transaction(lin_store *st);
int64_t lin_pg_total_changes(lin_store *st);
int lin_pg_asset_keys_preload(lin_store *st, int64_t expected_keys);

int lin_pg_graph_size(lin_store *st, int64_t *asset_count, int64_t *max_asset_id,
		      int64_t *edge_count, int64_t *max_edge_id);
int lin_pg_scan_vertices(lin_store *st, lin_vertex_cb cb, void *payload);
int lin_pg_scan_edges(lin_store *st, lin_edge_cb cb, void *payload);
int lin_pg_vertices_by_id(lin_store *st, const int64_t *ids, size_t n, lin_vertex_cb cb,
			  void *payload);
int lin_pg_edges_by_id(lin_store *st, const int64_t *ids, size_t n, lin_edge_cb cb,
		       void *payload);
int lin_pg_changed_since(lin_store *st, int64_t since_seq, lin_changed_cb cb, void *payload,
			 int64_t *last_seq);
int lin_pg_last_seq(lin_store *st, int64_t *out);
int lin_pg_data_version(lin_store *st, uint64_t *out);
int lin_pg_asset_owner(lin_store *st, int64_t id, char **out);

int lin_pg_asset_insert(lin_store *st, const lin_asset_write *w, int64_t *out_id);
int lin_pg_asset_update(lin_store *st, int64_t id, const lin_asset_write *w);
int lin_pg_asset_delete(lin_store *st, int64_t id);
int lin_pg_asset_by_key(lin_store *st, const char *key, lin_asset_rec **out);
int lin_pg_asset_by_id(lin_store *st, int64_t id, lin_asset_rec **out);
int lin_pg_asset_lookup(lin_store *st, const char *key, int64_t *out_id, int *out_unknown);
int lin_pg_asset_parent(lin_store *st, int64_t id, int64_t *out_parent);
int lin_pg_asset_child_ids(lin_store *st, int64_t id, lin_id_cb cb, void *payload);
int lin_pg_asset_children(lin_store *st, int64_t id, lin_asset_rec_cb cb, void *payload);
int lin_pg_asset_search(lin_store *st, const lin_search_query *q, lin_asset_rec_cb cb,
			void *payload, size_t *out_total);

int lin_pg_edge_insert(lin_store *st, const lin_edge_write *w, int64_t *out_id);
int lin_pg_edge_update(lin_store *st, int64_t id, const lin_edge_write *w);
int lin_pg_edge_delete(lin_store *st, int64_t id);
int lin_pg_edge_by_id(lin_store *st, int64_t id, lin_edge_rec **out);
int lin_pg_edge_by_identity(lin_store *st, int64_t source_id, int64_t target_id,
			    const char *kind, int64_t job_id, lin_edge_rec **out);
int lin_pg_edge_ids_touching(lin_store *st, int64_t asset_id, lin_id_cb cb, void *payload);
int lin_pg_edge_list_for_asset(lin_store *st, int64_t asset_id, unsigned int flags,
			       lin_edge_rec_cb cb, void *payload);
int lin_pg_edge_list_pending(lin_store *st, size_t offset, size_t limit, int64_t *total,
			     lin_edge_rec_cb cb, void *payload);
int lin_pg_edge_origin_ids(lin_store *st, const char *origin, lin_id_cb cb, void *payload);

int lin_pg_kind_define(lin_store *st, const char *kind, int allows_self_loop,
		       int allows_cycles);
int lin_pg_kinds_each(lin_store *st, lin_kind_cb cb, void *payload);
int lin_pg_kind_rules(lin_store *st, const char *kind, int *allows_self_loop,
		      int *allows_cycles, int *found);
int lin_pg_asset_kind_define(lin_store *st, const char *kind);
int lin_pg_asset_kinds_each(lin_store *st, lin_asset_kind_cb cb, void *payload);

int lin_pg_change_insert(lin_store *st, const lin_change_write *w, int64_t *out_seq);
int lin_pg_edge_creations_record(lin_store *st, const lin_change_write *w, const int64_t *ids,
				 size_t n, int64_t *first_seq, int64_t *last_seq);
int lin_pg_batch_insert(lin_store *st, const char *actor, const char *label, int64_t at,
			int64_t *out_id);
int lin_pg_batch_exists(lin_store *st, int64_t id, int *out_found);
int lin_pg_batch_relabel(lin_store *st, int64_t id, const char *label);
int lin_pg_changes_since(lin_store *st, int64_t since_seq, size_t limit, lin_change_rec_cb cb,
			 void *payload);
int lin_pg_history_asset(lin_store *st, const char *key, size_t offset, size_t limit,
			 int64_t *total, lin_change_rec_cb cb, void *payload);
int lin_pg_history_edge(lin_store *st, int64_t id, size_t limit, lin_change_rec_cb cb,
			void *payload);
int lin_pg_changes_of_batch(lin_store *st, int64_t batch_id, lin_change_rec_cb cb,
			    void *payload);
int lin_pg_changed_later(lin_store *st, int64_t after_seq, int64_t batch_id,
			 const char *entity, int64_t id, int *out_found);

int lin_pg_stats(lin_store *st, lin_stat_cb cb, void *payload);
int lin_pg_backup(lin_store *st, const char *dest_path, lineage_progress_cb progress,
		  void *payload);

int lin_pg_scan_assets_full(lin_store *st, lin_asset_rec_cb cb, void *payload);
int lin_pg_scan_edges_full(lin_store *st, int all_status, lin_edge_rec_cb cb, void *payload);
int lin_pg_edge_origin_all(lin_store *st, const char *origin, lin_edge_rec_cb cb,
			   void *payload);

/* Whole-store copy (pg_copy.c; backend.h). */
int lin_pg_copy_read(lin_store *st, const lin_copy_sink *sink);
int lin_pg_copy_write_begin(lin_store *st, void **writer);
int lin_pg_copy_write_row(void *writer, int table, const char *const *values, const int *lengths);
int lin_pg_copy_write_end(void *writer, int commit);
/* API tokens (pg_tokens.c; lib/store/tokens.h). */
int lin_pg_token_insert(lin_store *st, const lin_token_write *w, int64_t *out_id);
int lin_pg_token_find(lin_store *st, int64_t id, const char *digest, lin_token_rec **out);
int lin_pg_tokens_each(lin_store *st, lin_token_rec_cb cb, void *payload);
int lin_pg_token_revoke(lin_store *st, int64_t id, int64_t at);
int lin_pg_token_touch(lin_store *st, int64_t id, int64_t at);
/* OpenLineage runs (pg_runs.c): the operations, and the upgrade to schema 6. */
int lin_pg_run_get(lin_store *st, int64_t job_id, const char *run_id, char **out);
int lin_pg_run_put(lin_store *st, const lin_run_row *row);
int lin_pg_runs_of_job(lin_store *st, int64_t job_id, size_t limit, lin_run_row_cb cb,
		       void *payload);
extern const char lin_pg_migrate_v6[];
/* Schema 9: references checked by triggers instead of foreign keys (pg_refs.c). */
int lin_pg_migrate_v9(lin_pg *p);

/* Saved views (pg_views.c; lib/store/views.h). */
int lin_pg_view_get(lin_store *st, const char *name, lin_view_row_cb cb, void *payload);
int lin_pg_views_each(lin_store *st, size_t offset, size_t limit, lin_view_row_cb cb,
		      void *payload);
int lin_pg_view_count(lin_store *st, int64_t *out);
int lin_pg_view_insert(lin_store *st, const lin_view_row *row);
int lin_pg_view_update(lin_store *st, const char *name, const lin_view_row *row);
int lin_pg_view_delete(lin_store *st, const char *name);

#endif
