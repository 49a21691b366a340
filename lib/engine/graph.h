/*
 * Internal: the engine's compact graph. Vertices and edges live in flat arrays indexed by
 * int32 "vertex" and "slot" numbers; adjacency is CSR (out-edges are the slot range
 * out_off[v]..out_off[v+1], so an out-edge's attributes are contiguous; in-edges go through
 * in_slot[]). Writes after the build go to an overlay: appended vertices, appended slots
 * chained per vertex (ov_out_head / ov_next_out), and tombstones (attr.alive = 0). When the
 * overlay grows past a fraction of the graph, lin_graph_compact() folds it back into CSR.
 *
 * Only active edges are held. Keys and kind names live in a reference-counted string pool
 * so that results can point at them after the graph changed or was freed.
 *
 * Not thread-safe: a graph belongs to one engine, which belongs to one handle.
 */
#ifndef LIN_ENGINE_GRAPH_H
#define LIN_ENGINE_GRAPH_H

#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>

#include "pool.h"

#define LIN_NONE (-1)

typedef struct lin_edge_attr {
	double conf;    /* exact, so that filters and products match what was stored */
	uint16_t kind;  /* kind id (shared table with asset kinds) */
	uint8_t source; /* lineage_source */
	uint8_t alive;  /* 0: tombstone */
} lin_edge_attr;

typedef struct lin_graph {
	lin_pool *pool;

	/* kind names: id -> name, and a small hash name -> id + 1 */
	const char **kind_name;
	int32_t n_kinds, cap_kinds;
	uint32_t *kind_hash;
	uint32_t kind_hash_cap;
	int32_t column_kind; /* id of "column", or LIN_NONE while unknown */
	int32_t last_kind;   /* id + 1 of the kind last looked up, 0 for none */

	/* vertices */
	int32_t nv, cap_v, n_alive_v;
	int64_t *v_id;
	const char **v_key;
	uint32_t *v_hash; /* of the key (the key index is built from these, not the keys) */
	uint16_t *v_kind;
	uint8_t *v_alive;
	int32_t *v_parent, *v_first_child, *v_next_sib;

	/* asset id -> vertex (dense), edge id -> slot (dense) */
	int32_t *id2v;
	int64_t id2v_cap;
	int32_t *eid2s;
	int64_t eid2s_cap;

	/* key -> vertex: open addressing with the key's hash beside the vertex (few string
	 * compares); stale entries (deleted or re-keyed vertices) are skipped by comparing */
	struct lin_khash_cell {
		int32_t v;
		uint32_t h;
	} *khash;
	uint32_t khash_cap, khash_used;

	/* edge slots */
	int32_t ne, cap_e, n_alive_e;
	int64_t *e_id;
	int32_t *e_src, *e_dst;
	lin_edge_attr *e_attr;

	/* CSR over vertices [0, csr_nv) and slots [0, csr_ne) */
	int32_t csr_nv, csr_ne;
	int32_t *out_off, *in_off, *in_slot;
	int32_t *in_src; /* per in_slot entry, its source vertex: upstream walks read in order */

	/* overlay: slots >= csr_ne chained per vertex */
	int32_t *ov_out_head, *ov_in_head;
	int32_t *ov_next_out, *ov_next_in;
	int32_t ov_cap;
	int32_t n_dead_slots; /* tombstones in [0, ne) */
	int building;         /* initial load: slots are not chained; compact() ends it */

	uint64_t version; /* bumped by every change of vertices, edges or containment */
	struct lin_ig_cache *ig; /* the whole graph as igraph sees it (igraph_glue.c) */
	struct lin_reach *spare_reach; /* buffers of the last traversal, for the next one */
	/* results that will still read this graph (lazy.c): detached before any change */
	_Atomic(struct lin_lazy *) attached;

	/* per-vertex scratch for queries; valid where mark[v] == gen */
	uint32_t *mark;
	uint32_t gen;
	int32_t *s_a, *s_b, *s_c;
	double *s_best;
} lin_graph;

int lin_graph_init(lin_graph *g);
void lin_graph_free(lin_graph *g);
/* Reserve room for this many vertices/edges and ids (build-time preallocation). */
int lin_graph_reserve(lin_graph *g, int64_t nv, int64_t max_vid, int64_t ne, int64_t max_eid);

/* Kind id for a name; with `create`, added when new. LIN_NONE when unknown (or on error
 * with create: the error is set). */
int32_t lin_graph_kind(lin_graph *g, const char *name, int create);

/* Vertex of an asset id or key; LIN_NONE when absent or deleted. */
int32_t lin_graph_vertex_by_id(const lin_graph *g, int64_t id);
int32_t lin_graph_vertex_by_key(const lin_graph *g, const char *key);

/* Add or update an asset (its parent is set separately: parents may come later). Returns
 * the vertex, or a negative error code. */
int32_t lin_graph_put_vertex(lin_graph *g, int64_t id, const char *key, const char *kind);
/* Set an asset's container (parent_id 0: none). An unknown parent counts as none. */
int lin_graph_set_parent(lin_graph *g, int64_t id, int64_t parent_id);
/* Delete an asset: its edges go with it, its children lose their parent. */
void lin_graph_remove_vertex(lin_graph *g, int64_t id);

/* Add, update, activate or deactivate an edge. Inactive edges, and edges whose assets are
 * unknown, are dropped. */
int lin_graph_put_edge(lin_graph *g, int64_t id, int64_t src_id, int64_t dst_id,
		       const char *kind, int source, double conf, int active);
void lin_graph_remove_edge(lin_graph *g, int64_t id);

/* Fold the overlay into the CSR (also the last step of a build). */
int lin_graph_compact(lin_graph *g);
/* Non-zero when the overlay is big enough that compacting pays off. */
int lin_graph_overlay_large(const lin_graph *g);
/* Overlay slots plus tombstones (statistics and tests). */
int32_t lin_graph_overlay_size(const lin_graph *g);

/* Let the results that still read the graph take what they need from it (lazy.c); called
 * by every function that changes the graph, before the change. */
void lin_lazy_detach_all(lin_graph *g);
static inline void lin_graph_detach(lin_graph *g)
{
	if (atomic_load_explicit(&g->attached, memory_order_acquire))
		lin_lazy_detach_all(g);
}

/* A fresh generation of scratch marks (O(1) except on wrap-around). */
uint32_t lin_graph_new_gen(lin_graph *g);

/* Is `v` a column (kind "column")? */
static inline int lin_graph_is_column(const lin_graph *g, int32_t v)
{
	return g->column_kind != LIN_NONE && g->v_kind[v] == (uint16_t)g->column_kind;
}

/* Iterating a vertex's alive edges, CSR part then overlay part. */
typedef struct lin_adj {
	int32_t i, end;
	const int32_t *map; /* NULL for out-edges (the range is the slots themselves) */
	int32_t ov;
	const int32_t *ov_next;
	int32_t ov_base;
	const lin_edge_attr *attr;
} lin_adj;

static inline void lin_adj_out(lin_adj *it, const lin_graph *g, int32_t v)
{
	if (v < g->csr_nv) {
		it->i = g->out_off[v];
		it->end = g->out_off[v + 1];
	} else {
		it->i = it->end = 0;
	}
	it->map = NULL;
	it->ov = g->ov_out_head[v];
	it->ov_next = g->ov_next_out;
	it->ov_base = g->csr_ne;
	it->attr = g->e_attr;
}

static inline void lin_adj_in(lin_adj *it, const lin_graph *g, int32_t v)
{
	if (v < g->csr_nv) {
		it->i = g->in_off[v];
		it->end = g->in_off[v + 1];
	} else {
		it->i = it->end = 0;
	}
	it->map = g->in_slot;
	it->ov = g->ov_in_head[v];
	it->ov_next = g->ov_next_in;
	it->ov_base = g->csr_ne;
	it->attr = g->e_attr;
}

/* Next alive slot, or LIN_NONE. */
static inline int32_t lin_adj_next(lin_adj *it)
{
	while (it->i < it->end) {
		int32_t s = it->map ? it->map[it->i] : it->i;
		it->i++;
		if (it->attr[s].alive)
			return s;
	}
	while (it->ov != LIN_NONE) {
		int32_t s = it->ov;
		it->ov = it->ov_next[s - it->ov_base];
		if (it->attr[s].alive)
			return s;
	}
	return LIN_NONE;
}

#endif
