/*
 * Internal: the part of the graph a traversal reached. Vertices in BFS order with their
 * distance; the traversed edges recorded per expanded vertex (a contiguous range), which is
 * the reached subgraph's adjacency, used afterwards for best-product confidences.
 */
#ifndef LIN_ENGINE_REACH_H
#define LIN_ENGINE_REACH_H

#include <stdint.h>

#include "graph.h"

typedef struct lin_reach {
	uint32_t gen;                /* graph marks: mark[v] == gen -> s_a[v] is its index */
	int32_t n, cap;
	int32_t *vert, *dist;
	int32_t *e_beg, *e_end;      /* records of the vertex's expansion */
	double *conf;                /* after lin_reach_confidence() */
	int32_t nt, cap_t;
	int32_t *t_slot;             /* edge slot, or LIN_NONE for a containment link */
	int32_t *t_to;               /* reached index at the other end */
	double *t_conf;
	uint8_t *t_source;
	double min_t_conf;           /* lowest recorded confidence (1 when all are 1) */
	int truncated;
} lin_reach;

/* Start a reach (takes a new generation of marks). */
int lin_reach_init(lin_reach *r, lin_graph *g, int64_t expect);
void lin_reach_free(lin_reach *r);

/* Index of `v` in the reach, or LIN_NONE. */
static inline int32_t lin_reach_index(const lin_reach *r, const lin_graph *g, int32_t v)
{
	return g->mark[v] == r->gen ? g->s_a[v] : LIN_NONE;
}

/* Add a vertex at `dist` (must not be reached yet); returns its index or a negative code. */
int32_t lin_reach_add(lin_reach *r, lin_graph *g, int32_t v, int32_t dist);
int lin_reach_record(lin_reach *r, int32_t slot, int32_t to, double conf, int source);

/* Best product of recorded edge confidences from the vertices at distance 0 (Dijkstra on
 * the reached subgraph; values in [0, 1] make products monotone). */
int lin_reach_confidence(lin_reach *r);

#endif
