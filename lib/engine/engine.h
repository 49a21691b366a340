/*
 * Internal: the engine of a handle. Built from the store on the first query, then kept
 * coherent by lin_engine_sync() before each query (see docs/engine.md):
 *  - writes through this handle set a dirty flag (lin_engine_note_write);
 *  - otherwise the store's data version tells whether anyone committed;
 *  - either way the change feed since the engine's seq names the assets and edges to
 *    re-read, which are applied to the overlay (a rebuild only for huge batches);
 *  - entities applied inside an open transaction are remembered, and re-read after a
 *    rollback (lin_engine_note_rollback).
 * An engine belongs to its handle: one thread at a time, like the handle.
 */
#ifndef LIN_ENGINE_ENGINE_H
#define LIN_ENGINE_ENGINE_H

#include <stdint.h>

#include "api/db_internal.h"
#include "graph.h"

/* Counters, for tests and benchmarks. */
typedef struct lin_engine_stats {
	uint64_t full_builds;      /* builds from a full scan (the first, and huge batches) */
	uint64_t incremental_syncs;/* syncs that applied changes to the overlay */
	uint64_t changes_applied;  /* assets and edges re-read by incremental syncs */
	uint64_t compactions;      /* overlay folded into the CSR after a sync */
	int64_t seq;               /* the change seq the engine reflects */
	int32_t vertices, edges;   /* alive assets and active edges held */
	int32_t overlay;           /* overlay slots plus tombstones */
	double last_build_ms;      /* wall time of the last full build */
} lin_engine_stats;

/* Build or refresh the engine of `db`. @return 0 or the store's error. */
int lin_engine_sync(lineage_db *db);

/* The graph of a synced engine. */
lin_graph *lin_engine_graph(lineage_db *db);

/* Counters of the handle's engine (all zero when it has none). */
void lin_engine_get_stats(lineage_db *db, lin_engine_stats *out);

/* Owner lookup for impact queries (a lin_owner_fn; payload is the lineage_db). */
int lin_engine_owner(int64_t asset_id, char **out, void *payload);

#endif
