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
 * What a one-way traversal leaves to be done when the result is first read: its edges and
 * its nodes' confidences. The walk itself is done at query time (so counts are exact and
 * the result does not depend on the graph any more); callers that only need the assets and
 * their distances, or the counts, never pay for the rest.
 */
typedef struct lin_lazy {
	lin_reach reach;        /* the walk's records, taken over from the query */
	int64_t *eid;           /* per record: edge id */
	const char **kind;      /* per record: kind name (in the pool) */
	int32_t *rmap;          /* reach index -> node index, or -1 (not reported) */
	int out;                /* downstream (records go source -> target) */
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
	_Atomic int ready;  /* 0: confidences and edges to do; 1: edges to do; 2: complete */
};

/* Finish a result whose confidences (and edges) were left for later: any thread, the
 * first reader does the work. @return 0 or ENOMEM. */
int lin_result_ready_nodes(const lineage_result *r);
int lin_result_ready(const lineage_result *r);
void lin_lazy_free(lin_lazy *lazy);

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
