/*
 * Internal: the queries, run on a lin_graph (no storage involved, so that they can be
 * tested on synthetic graphs). lib/api/query.c syncs the engine, then calls these.
 */
#ifndef LIN_ENGINE_QUERIES_H
#define LIN_ENGINE_QUERIES_H

#include <stdint.h>

#include "graph.h"
#include "reach.h"
#include "lineage/lineage.h"
#include "result.h"

/* Query options compiled against a graph's kind ids. */
typedef struct lin_filter {
	int max_depth;          /* <= 0: unlimited */
	int min_source;
	double min_conf;
	uint8_t *edge_kind_ok;  /* NULL: all; else indexed by kind id */
	uint8_t *asset_kind_ok; /* NULL: all */
	lineage_columns columns;
	size_t max_nodes;       /* 0: unlimited */
} lin_filter;

/* Check and compile options (NULL: defaults). @return 0; EINVALID; ENOMEM. */
int lin_filter_init(lin_filter *f, lin_graph *g, const lineage_query_options *opts);
void lin_filter_free(lin_filter *f);

static inline int lin_filter_edge(const lin_filter *f, const lin_edge_attr *a)
{
	return a->source >= f->min_source && a->conf >= f->min_conf &&
	       (!f->edge_kind_ok || f->edge_kind_ok[a->kind]);
}

/* Reported in results (asset kinds filter)? */
static inline int lin_filter_asset(const lin_filter *f, const lin_graph *g, int32_t v)
{
	return !f->asset_kind_ok || f->asset_kind_ok[g->v_kind[v]];
}

/* Does a traversal report the i-th asset it reached, `v`? The root always, the others as the
 * asset kinds say (max_nodes aside). */
static inline int lin_filter_reports(const lin_filter *f, const lin_graph *g, int32_t i,
				     int32_t v)
{
	return i == 0 || lin_filter_asset(f, g, v);
}

/* The vertex standing for `v` under the column mode: itself, its nearest non-column
 * ancestor (ROLLUP), or LIN_NONE for a column under EXCLUDE. */
int32_t lin_filter_view(const lin_filter *f, const lin_graph *g, int32_t v);

/*
 * The edges of a vertex as the filter sees them: filtered by kind, source and confidence,
 * with the other end mapped through lin_filter_view() (ROLLUP: also the edges of the
 * vertex's columns; edges inside one rolled-up asset are skipped).
 */
typedef struct lin_vadj {
	lin_adj it;
	const lin_graph *g;
	const lin_filter *f;
	int32_t v, member;
	int out, special, rollup;
	int32_t *stack; /* ROLLUP: members still to visit */
	int32_t sn, scap;
} lin_vadj;

/* Start iterating (reuses va->stack's memory: zero the struct once, lin_vadj_free() at end). */
static inline void lin_vadj_start(lin_vadj *va, const lin_graph *g, const lin_filter *f,
				  int32_t v, int out)
{
	va->g = g;
	va->f = f;
	va->v = va->member = v;
	va->out = out;
	va->special = f->columns != LINEAGE_COLUMNS_INCLUDE && g->column_kind != LIN_NONE;
	va->rollup = va->special && f->columns == LINEAGE_COLUMNS_ROLLUP;
	va->sn = 0;
	if (out)
		lin_adj_out(&va->it, g, v);
	else
		lin_adj_in(&va->it, g, v);
}
/* ROLLUP: move to the next member; 0 when none is left (or on allocation failure, noted
 * in va->sn = -1). */
int lin_vadj_next_member(lin_vadj *va);
void lin_vadj_free(lin_vadj *va);

/* Next edge slot (LIN_NONE at the end); *other receives the viewed other end. */
static inline int32_t lin_vadj_next(lin_vadj *va, int32_t *other)
{
	for (;;) {
		int32_t s = lin_adj_next(&va->it), w;
		if (s == LIN_NONE) {
			if (va->rollup && lin_vadj_next_member(va))
				continue;
			return LIN_NONE;
		}
		if (!lin_filter_edge(va->f, &va->g->e_attr[s]))
			continue;
		w = va->out ? va->g->e_dst[s] : va->g->e_src[s];
		if (va->special) {
			w = lin_filter_view(va->f, va->g, w);
			if (w == LIN_NONE || (va->rollup && w == va->v))
				continue;
		}
		*other = w;
		return s;
	}
}

/* The traversed edges of a reach whose vertices and distances a walk with this filter
 * found (collect.c): records per expanded vertex. Reads `g` only. */
int lin_reach_collect(lin_reach *r, const lin_graph *g, int out, const lin_filter *f);

/* Traversal from `root`. */
int lin_query_traverse(lineage_result **out, lin_graph *g, int32_t root,
		       lineage_direction direction, const lin_filter *f);

/* Paths from `from` to `to` (following data flow). */
int lin_query_paths(lineage_result **out, lin_graph *g, int32_t from, int32_t to,
		    const lineage_path_options *po, const lin_filter *f);

/* Owner lookup for impact results: *out a new string or NULL. */
typedef int (*lin_owner_fn)(int64_t asset_id, char **out, void *payload);

int lin_query_impact(lineage_result **out, lin_graph *g, int32_t root,
		     lineage_change_type change, const lin_filter *f, lin_owner_fn owner,
		     void *payload);

/* Structure questions; `root` is used by CHILDREN and SUBTREE only. */
int lin_query_structure(lineage_result **out, lin_graph *g, lineage_structure what,
			int32_t root, const lin_filter *f);

#endif
