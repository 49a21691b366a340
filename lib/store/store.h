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

#endif
