/*
 * Internal: the result object behind the public lineage_result, filled by the engine's
 * queries and read by lib/api/result*.c. Strings (keys, kinds) point into the engine's
 * string pool, of which the result holds a reference, so a result stays valid after the
 * graph changes and after the handle is closed.
 */
#ifndef LIN_ENGINE_RESULT_H
#define LIN_ENGINE_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "lineage/lineage.h"
#include "pool.h"
#include "reach.h"

typedef enum lin_result_type {
	LIN_RESULT_TRAVERSE = 1,
	LIN_RESULT_PATHS = 2,
	LIN_RESULT_IMPACT = 3,
	LIN_RESULT_STRUCTURE = 4
} lin_result_type;

/*
 * What a one-way traversal leaves to be done when the result is first read. The walk only
 * discovers the assets and their distances (the closure, and exact node counts); the
 * nodes' fields, the traversed edges and the confidences come from the graph later
 * ("collect"), then from the records alone. Until collected, the result reads the graph it
 * was answered from: every change to that graph first collects its attached results
 * (lin_graph_detach), so a result never sees a later write. Callers that only need the
 * counts, or that free the result unread, never pay for the rest.
 */
typedef struct lin_lazy {
	lineage_result *res;
	lin_graph *g;                 /* until collected; NULL after (under lazy.c's mutex) */
	struct lin_lazy *prev, *next; /* in g->attached */
	struct lin_filter *f;         /* the walk's filter, with its own kind masks */
	int out;                      /* downstream (records go source -> target) */
	int failed;                   /* error code of a collect that failed, else 0 */
	lin_reach reach;              /* vertices and distances; records once collected */
	int64_t *eid;                 /* per record: edge id */
	const char **kind;            /* per record: kind name (in the pool) */
	int32_t *rmap;                /* reach index -> node index, or -1 (not reported) */
} lin_lazy;

struct lineage_result {
	lin_result_type type;
	lin_pool *pool;
	const char *root;   /* traversal/impact root, structure key, path start; or NULL */
	const char *target; /* path end */
	int direction;      /* lineage_direction */
	int change;         /* lineage_change_type */
	int structure;      /* lineage_structure */
	lineage_node *nodes;
	size_t n_nodes, cap_nodes;
	lineage_result_edge *edges;
	int32_t *edge_ends; /* per edge: node index of source and target, -1 when absent */
	size_t n_edges, cap_edges;
	size_t n_groups;
	int truncated;
	char **owners;      /* impact: per node, owned (nodes[i].owner points here) */
	double *pos;        /* x, y per node after a layout */
	lin_lazy *lazy;     /* NULL once materialised */
	_Atomic int ready;  /* LIN_READY_* reached */
};

enum {
	LIN_READY_NONE = 0,   /* only n_nodes and truncated are set */
	LIN_READY_COUNTS = 1, /* nodes without confidences, n_edges; independent of the graph */
	LIN_READY_NODES = 2,  /* nodes complete */
	LIN_READY_ALL = 3
};

/* Finish a result whose parts were left for later, up to a LIN_READY_* level: any thread,
 * the first reader does the work. @return 0 or ENOMEM. */
int lin_result_ready_to(const lineage_result *r, int level);
static inline int lin_result_ready(const lineage_result *r)
{
	return lin_result_ready_to(r, LIN_READY_ALL);
}

/* Leave the rest of a one-way traversal for later: `r` (vertices and distances of a walk
 * on `g` with filter `f`) moves into the result, which holds n_reported nodes. */
int lin_lazy_attach(lineage_result *res, lin_graph *g, lin_reach *r, int out,
		    const struct lin_filter *f, size_t n_reported);
/* Release a result's lazy part (lineage_result_free). */
void lin_lazy_release(lineage_result *res);

lineage_result *lin_result_new(lin_result_type type, lin_pool *pool);
/* Reserve room for more nodes/edges. */
int lin_result_reserve(lineage_result *r, size_t nodes, size_t edges);
/* Append a node; returns its index or a negative error code. */
int64_t lin_result_add_node(lineage_result *r, int64_t asset_id, const char *key,
			    const char *kind, int distance, double confidence, int group);
/* Append an edge between two keys; src_node/dst_node are their node indices or -1. */
int lin_result_add_edge(lineage_result *r, int64_t edge_id, const char *src_key,
			const char *dst_key, int32_t src_node, int32_t dst_node, const char *kind,
			int source, double confidence);

/* Append an edge without checks: room was reserved with lin_result_reserve(). */
static inline void lin_result_push_edge(lineage_result *r, int64_t edge_id, const char *src_key,
					const char *dst_key, int32_t src_node, int32_t dst_node,
					const char *kind, int source, double confidence)
{
	lineage_result_edge *e = &r->edges[r->n_edges];
	e->edge_id = edge_id;
	e->source_key = src_key;
	e->target_key = dst_key;
	e->kind = kind;
	e->lineage_source = (lineage_source)source;
	e->confidence = confidence;
	r->edge_ends[2 * r->n_edges] = src_node;
	r->edge_ends[2 * r->n_edges + 1] = dst_node;
	r->n_edges++;
}

#endif
