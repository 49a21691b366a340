/*
 * Internal: the storage interface. Everything above lib/store/ (the public API glue in
 * lib/api/ and the engine in lib/engine/) talks to storage only through these functions, so
 * that a second backend (PostgreSQL) can follow: lib/store/store.c dispatches each call to
 * the backend's table of operations (lin_store_ops), and lib/store/sqlite/ is the first
 * backend.
 *
 * Rows handed to callbacks are borrowed: their strings are valid during the callback only.
 * A callback returns 0 to go on; any other value stops the scan and is returned.
 */
#ifndef LIN_STORE_STORE_H
#define LIN_STORE_STORE_H

#include <stdint.h>

#include "lineage/lineage.h"

typedef struct lin_store lin_store;

/* ---- What the engine reads (keep these stable: lib/engine depends on them) ---- */

/* An asset as the engine needs it. */
typedef struct lin_vertex_row {
	int64_t id;
	const char *key;
	const char *kind;
	int64_t parent_id; /* 0 when none */
} lin_vertex_row;

/* An edge as the engine needs it (every status; the engine keeps the active ones). */
typedef struct lin_edge_row {
	int64_t id;
	int64_t source_id;
	int64_t target_id;
	int64_t job_id; /* 0 when none */
	const char *kind;
	lineage_source lineage_source;
	double confidence;
	lineage_edge_status status;
} lin_edge_row;

typedef int (*lin_vertex_cb)(const lin_vertex_row *row, void *payload);
typedef int (*lin_edge_cb)(const lin_edge_row *row, void *payload);

/* Sizes to preallocate for: counts of rows and the highest ids in use. */
int lin_store_graph_size(lin_store *st, int64_t *asset_count, int64_t *max_asset_id,
			 int64_t *edge_count, int64_t *max_edge_id);

/* Every asset, in id order. */
int lin_store_scan_vertices(lin_store *st, lin_vertex_cb cb, void *payload);

/* Every edge, in id order. */
int lin_store_scan_edges(lin_store *st, lin_edge_cb cb, void *payload);

/* The assets with these ids that still exist (missing ids are deleted assets). */
int lin_store_vertices_by_id(lin_store *st, const int64_t *ids, size_t n, lin_vertex_cb cb,
			     void *payload);

/* The edges with these ids that still exist (missing ids are deleted edges). */
int lin_store_edges_by_id(lin_store *st, const int64_t *ids, size_t n, lin_edge_cb cb,
			  void *payload);

/* Which objects changed after `since_seq`, oldest first: entity is 'a' (asset) or 'e'
 * (edge). `last_seq` receives the highest seq seen (since_seq when none). */
/* entity: 'a' asset, 'e' edge, 't' token (lib/store/tokens.h) */
typedef int (*lin_changed_cb)(int64_t seq, char entity, int64_t id, void *payload);
int lin_store_changed_since(lin_store *st, int64_t since_seq, lin_changed_cb cb, void *payload,
			    int64_t *last_seq);

/* The highest change seq (0 for none). */
int lin_store_last_seq(lin_store *st, int64_t *out);

/* A number that changes whenever any connection commits to the database (including this
 * one): the engine compares it to decide whether to read the change feed. Cheap. */
int lin_store_data_version(lin_store *st, uint64_t *out);

/* Owner of an asset (for impact summaries): *out is a new string or NULL when unset. */
int lin_store_asset_owner(lin_store *st, int64_t id, char **out);

/* ---- Everything else: opening, transactions, rows, writes (used by lib/api/) ----
 *
 * Conventions: lookups return 0 with *out = NULL (or an id of 0) when nothing matches, so
 * that the caller words the ENOTFOUND message; errors of the backend are translated into
 * LINEAGE_E* codes with an actionable message already set. Callbacks that receive a *_rec
 * take ownership of it. A callback must not write through the same store: collect first,
 * then write. */

typedef struct lin_store_options {
	unsigned int flags;     /* LINEAGE_OPEN_* */
	int busy_timeout_ms;
	int64_t cache_size_kib;
	const char *pg_schema;  /* PostgreSQL: the store's schema; NULL for "lineage" */
	int max_staleness_ms;   /* PostgreSQL: lineage_open_options.max_staleness_ms */
} lin_store_options;

/* Open the database at `path` (":memory:" for a private one; a libpq URI,
 * postgresql://... or postgres://..., for a store in PostgreSQL), creating or upgrading its
 * schema. Errors: ENOTDB, EVERSION, EREADONLY, ENOTFOUND (NOCREATE), EIO, ENOMEM. */
int lin_store_open(lin_store **out, const char *path, const lin_store_options *opts);
void lin_store_close(lin_store *st);
int lin_store_schema_version(lin_store *st);

/* An explicit transaction (takes the write lock at once), and savepoints nested in it or
 * used alone so that one failed API call undoes only its own work. */
int lin_store_begin(lin_store *st);
int lin_store_commit(lin_store *st);
int lin_store_rollback(lin_store *st);
int lin_store_savepoint(lin_store *st);
int lin_store_release(lin_store *st);
int lin_store_rollback_savepoint(lin_store *st); /* rolls back to it and releases it */
/* Non-zero when a transaction is open (the backend may end one on its own after a
 * disk-full or I/O error: the caller checks this after a failure). */
int lin_store_in_transaction(lin_store *st);
/* Check references (foreign keys) on this connection's writes, or not: off only for a bulk
 * writer whose ids all come from lookups in its own write transaction. Outside a
 * transaction. */
int lin_store_reference_checks(lin_store *st, int on);
/* Inside a write transaction, before a bulk write that will look up about
 * `expected_keys` asset keys: when that is on the order of all the assets, read every
 * key -> id at once (one sequential scan instead of a random lookup per key). */
int lin_store_asset_keys_preload(lin_store *st, int64_t expected_keys);
/* Rows inserted, updated or deleted through this handle since it was opened: a call that
 * left it unchanged wrote nothing. */
int64_t lin_store_total_changes(lin_store *st);

/* Rows as stored. The public struct comes first so that the API can hand the row out as
 * is; every string is owned by the row (lin_*_rec_free). */
typedef struct lin_asset_rec {
	lineage_asset pub;
	int64_t parent_id; /* 0 when none */
	char *tags_json;   /* the stored JSON array */
} lin_asset_rec;

typedef struct lin_edge_rec {
	lineage_edge pub;
	int64_t source_id;
	int64_t target_id;
	int64_t job_id; /* 0 when none */
} lin_edge_rec;

typedef struct lin_change_rec {
	lineage_change pub;
} lin_change_rec;

lin_asset_rec *lin_asset_rec_new(void); /* zeroed; NULL with ENOMEM */
void lin_asset_rec_free(lin_asset_rec *rec);
/* Take `json` (a JSON array of strings, owned afterwards by rec) as the tags. */
int lin_asset_rec_set_tags(lin_asset_rec *rec, char *json);
lin_edge_rec *lin_edge_rec_new(void);
void lin_edge_rec_free(lin_edge_rec *rec);
lin_change_rec *lin_change_rec_new(void);
void lin_change_rec_free(lin_change_rec *rec);

typedef int (*lin_id_cb)(int64_t id, void *payload);
typedef int (*lin_asset_rec_cb)(lin_asset_rec *rec, void *payload);
typedef int (*lin_edge_rec_cb)(lin_edge_rec *rec, void *payload);
typedef int (*lin_change_rec_cb)(lin_change_rec *rec, void *payload);

/* ---- Assets ---- */
typedef struct lin_asset_write {
	int64_t id; /* 0: a new id; else this id (a reverted delete) */
	const char *key;
	const char *kind;
	const char *name;
	int64_t parent_id; /* 0: none */
	const char *owner;
	const char *description;
	const char *status;
	const char *tags_json;       /* a JSON array of strings */
	const char *properties_json; /* a JSON object */
	int64_t created_at;
	int64_t updated_at;
} lin_asset_write;

int lin_store_asset_insert(lin_store *st, const lin_asset_write *w, int64_t *out_id);
int lin_store_asset_update(lin_store *st, int64_t id, const lin_asset_write *w);
int lin_store_asset_delete(lin_store *st, int64_t id);
int lin_store_asset_by_key(lin_store *st, const char *key, lin_asset_rec **out);
int lin_store_asset_by_id(lin_store *st, int64_t id, lin_asset_rec **out);
/* The id of `key` (0 when missing) and whether its kind is "unknown". Fast. */
int lin_store_asset_lookup(lin_store *st, const char *key, int64_t *out_id, int *out_unknown);
int lin_store_asset_parent(lin_store *st, int64_t id, int64_t *out_parent);
int lin_store_asset_child_ids(lin_store *st, int64_t id, lin_id_cb cb, void *payload);
/* Children in key order. */
int lin_store_asset_children(lin_store *st, int64_t id, lin_asset_rec_cb cb, void *payload);

/* A search: every word must match by prefix; no words lists by key. Exact key matches come
 * first, then by relevance. */
typedef struct lin_search_query {
	const char *const *words;
	size_t word_count;
	const char *exact_key; /* the whole text, for the exact-match rank */
	const char *kind;
	const char *owner;
	const char *tag;
	size_t limit;
	size_t offset;
} lin_search_query;
int lin_store_asset_search(lin_store *st, const lin_search_query *q, lin_asset_rec_cb cb,
			   void *payload, size_t *out_total);

/* ---- Edges ---- */
typedef struct lin_edge_write {
	int64_t id; /* 0: a new id; else this id (a reverted delete) */
	int64_t source_id;
	int64_t target_id;
	int64_t job_id; /* 0: none */
	const char *kind;
	lineage_source lineage_source;
	double confidence;
	lineage_edge_status status;
	const char *transformation_type;
	const char *transformation;
	const char *description;
	const char *properties_json;
	const char *evidence_json;
	const char *origin;
	const char *content_hash;
	const char *reviewed_by;
	const char *review_comment;
	int64_t reviewed_at;
	int64_t created_at;
	int64_t updated_at;
	int only_if_new; /* insert: nothing (and *out_id 0) when the identity exists */
} lin_edge_write;

int lin_store_edge_insert(lin_store *st, const lin_edge_write *w, int64_t *out_id);
int lin_store_edge_update(lin_store *st, int64_t id, const lin_edge_write *w);
int lin_store_edge_delete(lin_store *st, int64_t id);
int lin_store_edge_by_id(lin_store *st, int64_t id, lin_edge_rec **out);
int lin_store_edge_by_identity(lin_store *st, int64_t source_id, int64_t target_id,
			       const char *kind, int64_t job_id, lin_edge_rec **out);
/* Ids of the edges with the asset as source, target or job. */
int lin_store_edge_ids_touching(lin_store *st, int64_t asset_id, lin_id_cb cb, void *payload);
/* flags: LINEAGE_EDGES_IN/OUT/ALL_STATUS; by id. */
int lin_store_edge_list_for_asset(lin_store *st, int64_t asset_id, unsigned int flags,
				  lin_edge_rec_cb cb, void *payload);
/* Lowest confidence first, `limit` rows after `offset`; *total (when not NULL) counts them all. */
int lin_store_edge_list_pending(lin_store *st, size_t offset, size_t limit, int64_t *total,
				lin_edge_rec_cb cb, void *payload);
/* Ids of the active inferred edges reported by `origin`, in id order. */
int lin_store_edge_origin_ids(lin_store *st, const char *origin, lin_id_cb cb, void *payload);

/* ---- Edge kinds ---- */
int lin_store_kind_define(lin_store *st, const char *kind, int allows_self_loop,
			  int allows_cycles);
/* *found is 0 for an undeclared kind (the flags are then left alone). */
int lin_store_kind_rules(lin_store *st, const char *kind, int *allows_self_loop,
			 int *allows_cycles, int *found);
typedef int (*lin_kind_cb)(const char *kind, int allows_self_loop, int allows_cycles,
			   void *payload);
/* Every declared kind. */
int lin_store_kinds_each(lin_store *st, lin_kind_cb cb, void *payload);

/* ---- Asset kinds (declared beyond the built-in ones, see lib/api/asset_kinds.c) ---- */
int lin_store_asset_kind_define(lin_store *st, const char *kind);
typedef int (*lin_asset_kind_cb)(const char *kind, void *payload);
int lin_store_asset_kinds_each(lin_store *st, lin_asset_kind_cb cb, void *payload);

/* ---- Audit trail ---- */
typedef struct lin_change_write {
	int64_t at;
	const char *actor;
	const char *action;
	const char *entity; /* "asset" or "edge" */
	int64_t entity_id;
	const char *asset_key;
	const char *target_key;
	const char *before_json;
	const char *after_json;
	const char *comment;
	int64_t batch_id;
} lin_change_write;

int lin_store_change_insert(lin_store *st, const lin_change_write *w, int64_t *out_seq);
/* Record the creation of n edges (what a bulk write added), in the order of ids, with w's
 * time, actor and batch, and no keys (read from the edges when the changes are read);
 * *first_seq / *last_seq: the seqs written. */
int lin_store_edge_creations_record(lin_store *st, const lin_change_write *w,
				    const int64_t *ids, size_t n, int64_t *first_seq,
				    int64_t *last_seq);
int lin_store_batch_insert(lin_store *st, const char *actor, const char *label, int64_t at,
			   int64_t *out_id);
int lin_store_batch_exists(lin_store *st, int64_t id, int *out_found);
/*
 * For a write transaction about to add `expected` edges, when that is at least as many as
 * the store has (*on says so): the edges' two secondary indexes (by target, by job) are
 * dropped until lin_store_edges_bulk_finish() makes them again in one sort, cheaper than
 * growing them row by row, and new edges inserted "only if new" are written a few hundred
 * per statement (sq_edge_batch.c). Nothing in between may read edges by target or job; a
 * rollback brings the indexes back as they were.
 */
int lin_store_edges_bulk(lin_store *st, int64_t expected, int *on);
int lin_store_edges_bulk_finish(lin_store *st);
/* An edge a bulk write is about to upsert, named by its assets' keys (job NULL: none). */
typedef struct lin_edge_ref {
	const char *source, *target, *kind, *job;
} lin_edge_ref;
/* Read ahead, in one go, the stored edges among `refs` that the next upserts of a bulk write
 * will look for, so that each needs no round trip of its own (PostgreSQL); nothing where a
 * lookup costs no round trip (SQLite). */
int lin_store_edges_prefetch(lin_store *st, const lin_edge_ref *refs, size_t n);
/* A new label for a batch of the open write transaction (known only at its end). */
int lin_store_batch_relabel(lin_store *st, int64_t id, const char *label);
/* Oldest first, seq > since_seq. */
int lin_store_changes_since(lin_store *st, int64_t since_seq, size_t limit,
			    lin_change_rec_cb cb, void *payload);
/* Newest first: the asset's changes and those of edges with it as an endpoint; `limit` rows
 * after `offset`, *total (when not NULL) counting them all. */
int lin_store_history_asset(lin_store *st, const char *key, size_t offset, size_t limit,
			    int64_t *total, lin_change_rec_cb cb, void *payload);
int lin_store_history_edge(lin_store *st, int64_t id, size_t limit, lin_change_rec_cb cb,
			   void *payload);
/* The batch's changes, newest first. */
int lin_store_changes_of_batch(lin_store *st, int64_t batch_id, lin_change_rec_cb cb,
			       void *payload);
/* Whether a change outside `batch_id` with seq > after_seq touched (entity, id). */
int lin_store_changed_later(lin_store *st, int64_t after_seq, int64_t batch_id,
			    const char *entity, int64_t id, int *out_found);

/* ---- Administration ---- */
/* Counts for the stats: group is "assets", "edges", "changes", "last_seq",
 * "database_bytes" (name NULL), or "assets_by_kind", "edges_by_kind", "edges_by_source"
 * (name: the source number as text), "edges_by_status" (likewise). */
typedef int (*lin_stat_cb)(const char *group, const char *name, int64_t value, void *payload);
int lin_store_stats(lin_store *st, lin_stat_cb cb, void *payload);
/* Online copy to dest_path; on failure or cancel no file is left. */
int lin_store_backup(lin_store *st, const char *dest_path, lineage_progress_cb progress,
		     void *payload);

/* ---- Full scans for export (owned by lib/io) ----
 * Implemented by the SQLite backend in lib/store/sqlite/scan_full.c; dispatched through
 * the three members at the end of lin_store_ops (lib/store/scan_full.c). */
/* Every asset, in key order. */
int lin_store_scan_assets_full(lin_store *st, lin_asset_rec_cb cb, void *payload);
/* Every active edge (every edge with all_status), in id order. */
int lin_store_scan_edges_full(lin_store *st, int all_status, lin_edge_rec_cb cb, void *payload);
/* The active edges written with `origin`, whatever their lineage source (a replace import's
 * scope), in id order. */
int lin_store_edge_origin_all(lin_store *st, const char *origin, lin_edge_rec_cb cb,
			      void *payload);

/* ---- OpenLineage runs (schema 6; lib/scan/openlineage/runs.c) ----
 * A job's runs in a table of their own, outside the asset path: one row per (job, run),
 * written with one prepared upsert per event, with no change row (the job asset's status
 * and property "run" carry what the audit trail shows). Rows go with their job asset. */
typedef struct lin_run_row {
	int64_t job_id;
	const char *run_id;
	const char *state;       /* "running", ...; NULL while the run has none */
	int64_t sort_at;         /* the history's order: start time, else first event time */
	const char *record_json; /* the run record with its event times and reported edge ids */
} lin_run_row;
typedef int (*lin_run_row_cb)(const lin_run_row *row, void *payload);
/* The record of a run: *out a new string, NULL when the run is not known. */
int lin_store_run_get(lin_store *st, int64_t job_id, const char *run_id, char **out);
/* Insert or replace a run's row. */
int lin_store_run_put(lin_store *st, const lin_run_row *row);
/* A job's runs, newest first (sort_at, then run id), at most `limit`. */
int lin_store_runs_of_job(lin_store *st, int64_t job_id, size_t limit, lin_run_row_cb cb,
			  void *payload);
/* ---- Whole-store copy (lib/store/copy.c) ----
 * Every row of `src` (one snapshot) into the empty store `dest`, in one transaction of
 * dest, ids and seqs as they are. progress("copy", rows done, rows, payload) may cancel.
 * EEXISTS when dest is not empty; on any failure dest is rolled back. */
int lin_store_copy(lin_store *src, lin_store *dest, lineage_progress_cb progress, void *payload);

#endif
