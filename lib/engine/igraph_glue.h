/*
 * Internal: everything the engine asks of igraph, behind plain C types. No igraph type
 * leaves lib/engine/igraph_glue.c. igraph (not built thread-safe, with process-wide error
 * state) is entered under one process-wide mutex, with a non-aborting error handler whose
 * reason is turned into a LINEAGE_* code and message.
 *
 * The whole-graph igraph_t (vertex i = engine vertex i, edges = the filtered view) is built
 * lazily and cached on the graph for the default filter, rebuilt only when g->version moved.
 */
#ifndef LIN_ENGINE_IGRAPH_GLUE_H
#define LIN_ENGINE_IGRAPH_GLUE_H

#include <stdint.h>

#include "queries.h"

typedef struct lin_ig_cache lin_ig_cache;
void lin_ig_cache_free(lin_ig_cache *cache);

/* Strongly connected components of the view: comp[v] for every vertex (size g->nv). */
int lin_ig_scc(lin_graph *g, const lin_filter *f, lin_ig_cache **cache, int32_t *comp,
	       int32_t *n_comp);

/* Topological order of the view's vertices (all g->nv of them) into order[]; *is_dag 0 when
 * there is a cycle (order is then undefined). */
int lin_ig_topo(lin_graph *g, const lin_filter *f, lin_ig_cache **cache, int32_t *order,
		int *is_dag);

/* Positions for a small graph: n vertices, m edges (pairs in `edges`), pos[2n] (x, y).
 * LAYERED computes its own layers (lin_layering): left to igraph, the layering would run
 * GLPK's integer program (slow on big graphs, and it leaks a per-thread GLPK environment). */
int lin_ig_layout(int32_t n, const int32_t *edges, int32_t m, lineage_layout layout,
		  double *pos);

/* Layer of each vertex: back edges of an iterative DFS set aside, then longest path. */
int lin_layering(int32_t n, const int32_t *edges, int32_t m, int32_t *layer);

/* How many times the whole-graph igraph_t was built (tests). */
uint64_t lin_ig_builds(void);

#endif
