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

/* Start a reach (takes a new generation of marks, and the graph's spare buffers). */
int lin_reach_init(lin_reach *r, lin_graph *g, int64_t expect);
/* Release a reach: its buffers become the graph's spare ones (no page faults for the next
 * big query), or are freed. r may be zeroed (never initialised). */
void lin_reach_free(lin_reach *r, lin_graph *g);
/* Give back the capacity beyond what is used (the reach lives on in a result). */
void lin_reach_shrink(lin_reach *r);
/* Free the graph's spare buffers (lin_graph_free). */
void lin_reach_spare_free(lin_graph *g);

int lin_reach_grow_vertices(lin_reach *r, int64_t need);
int lin_reach_grow_records(lin_reach *r, int64_t need);

/* Index of `v` in the reach, or LIN_NONE. */
static inline int32_t lin_reach_index(const lin_reach *r, const lin_graph *g, int32_t v)
{
	return g->mark[v] == r->gen ? g->s_a[v] : LIN_NONE;
}

/* Add a vertex at `dist` (must not be reached yet); returns its index or a negative code. */
static inline int32_t lin_reach_add(lin_reach *r, lin_graph *g, int32_t v, int32_t dist)
{
	int32_t i = r->n;
	if (i == r->cap) {
		int rc = lin_reach_grow_vertices(r, (int64_t)i + 1);
		if (rc)
			return rc;
	}
	g->mark[v] = r->gen;
	g->s_a[v] = i;
	r->vert[i] = v;
	r->dist[i] = dist;
	r->e_beg[i] = r->e_end[i] = 0;
	r->n++;
	return i;
}

static inline int lin_reach_record(lin_reach *r, int32_t slot, int32_t to, double conf,
				   int source)
{
	int32_t k = r->nt;
	if (k == r->cap_t) {
		int rc = lin_reach_grow_records(r, (int64_t)k + 1);
		if (rc)
			return rc;
	}
	r->t_slot[k] = slot;
	r->t_to[k] = to;
	r->t_conf[k] = conf;
	r->t_source[k] = (uint8_t)source;
	if (conf < r->min_t_conf)
		r->min_t_conf = conf;
	r->nt++;
	return 0;
}

/* Best product of recorded edge confidences from the vertices at distance 0 (Dijkstra on
 * the reached subgraph; values in [0, 1] make products monotone). */
int lin_reach_confidence(lin_reach *r);

#endif
