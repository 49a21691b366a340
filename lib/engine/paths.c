/*
 * Paths of data flow between two assets, shortest first.
 *
 * A backward BFS from the target gives every asset's distance to it (bounded by the
 * length limit). Then, for each length L from the shortest upwards, an iterative DFS from
 * the source enumerates the simple paths of exactly L edges, entering only assets from
 * which the target is still reachable in the edges left: almost every branch it explores
 * ends in a path. The shortest path alone is the first path found.
 */
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "queries.h"
#include "idset.h"
#include "reach.h"

#define PATH_STEP_BUDGET 20000000L

typedef struct frame {
	lin_vadj va;
	int32_t v, slot; /* the vertex and the edge that led to it */
} frame;

typedef struct path_state {
	lineage_result *res;
	lin_graph *g;
	const lin_filter *f;
	lin_idset hashes;   /* paths emitted, to drop duplicates from parallel edges */
	lin_idset edge_ids; /* result edges already added */
} path_state;

/* Room for `need` frames (new ones zeroed: their member stacks start empty). */
static int grow_stack(frame **st, int64_t *cap, int64_t need)
{
	int64_t c = *cap ? *cap : 16;
	frame *n;
	while (c < need)
		c *= 2;
	if (c == *cap)
		return 0;
	n = realloc(*st, (size_t)c * sizeof *n);
	if (!n)
		return lin_error_oom();
	memset(n + *cap, 0, (size_t)(c - *cap) * sizeof *n);
	*st = n;
	*cap = c;
	return 0;
}

/* Emit the path on the stack (frames 0..depth). */
static int emit(path_state *ps, const frame *st, int depth)
{
	uint64_t h = LIN_HASH_INIT;
	int32_t group = (int32_t)ps->res->n_groups;
	size_t first = ps->res->n_nodes;
	int rc;
	for (int i = 0; i <= depth; i++)
		h = lin_hash_bytes(h, &st[i].v, sizeof st[i].v);
	rc = lin_idset_add(&ps->hashes, (int64_t)h);
	if (rc)
		return rc < 0 ? rc : 0;
	for (int i = 0; i <= depth; i++) {
		int32_t v = st[i].v;
		int64_t idx = lin_result_add_node(ps->res, ps->g->v_id[v], ps->g->v_key[v],
						  ps->g->kind_name[ps->g->v_kind[v]], i, 1.0, group);
		if (idx < 0)
			return (int)idx;
	}
	/* the path's confidence: the product along it, on every node of the path */
	for (int i = 1; i <= depth; i++) {
		const lin_edge_attr *a = &ps->g->e_attr[st[i].slot];
		lineage_node *n = &ps->res->nodes[first + (size_t)i];
		n->confidence = ps->res->nodes[first + (size_t)i - 1].confidence * a->conf;
		rc = lin_idset_add(&ps->edge_ids, ps->g->e_id[st[i].slot]);
		if (rc < 0)
			return rc;
		if (rc == 0 &&
		    (rc = lin_result_add_edge(ps->res, ps->g->e_id[st[i].slot], ps->g->v_key[st[i - 1].v],
					      ps->g->v_key[st[i].v], (int32_t)(first + (size_t)i - 1),
					      (int32_t)(first + (size_t)i), ps->g->kind_name[a->kind],
					      a->source, a->conf)))
			return rc;
	}
	ps->res->n_groups++;
	return 0;
}

int lin_query_paths(lineage_result **out, lin_graph *g, int32_t from, int32_t to,
		    const lineage_path_options *po, const lin_filter *f)
{
	lin_reach back;
	path_state ps;
	frame *st = NULL;
	int64_t st_cap = 0;
	lin_vadj va;
	size_t max_paths;
	int64_t max_len, steps = 0;
	int rc = 0;
	*out = NULL;
	memset(&ps, 0, sizeof ps);
	memset(&back, 0, sizeof back);
	memset(&va, 0, sizeof va);
	max_paths = po->all ? (po->max_paths ? po->max_paths : 100) : 1;
	max_len = po->all ? (po->max_length > 0 ? po->max_length : 10) : (int64_t)g->nv;
	if (max_len >= g->nv)
		max_len = g->nv ? g->nv - 1 : 0; /* no simple path is longer */
	ps.g = g;
	ps.f = f;
	ps.res = lin_result_new(LIN_RESULT_PATHS, g->pool);
	if (!ps.res)
		return LINEAGE_ENOMEM;
	ps.res->root = g->v_key[from];
	ps.res->target = g->v_key[to];
	from = lin_filter_view(f, g, from);
	to = lin_filter_view(f, g, to);
	if (from == LIN_NONE || to == LIN_NONE)
		goto finish; /* an excluded column: no path */
	if (from == to) {
		frame one;
		one.v = from;
		one.slot = LIN_NONE;
		rc = emit(&ps, &one, 0);
		goto finish;
	}
	/* distances to the target */
	if ((rc = lin_reach_init(&back, g, 64)) || (rc = lin_reach_add(&back, g, to, 0)) < 0)
		goto finish;
	rc = 0;
	for (int32_t head = 0; head < back.n; head++) {
		int32_t v = back.vert[head], s, t;
		if (back.dist[head] >= max_len)
			continue;
		lin_vadj_start(&va, g, f, v, 0);
		while ((s = lin_vadj_next(&va, &t)) != LIN_NONE) {
			if (lin_reach_index(&back, g, t) != LIN_NONE)
				continue;
			if ((rc = lin_reach_add(&back, g, t, back.dist[head] + 1)) < 0)
				goto finish;
			rc = 0;
			g->s_b[t] = 0; /* not on the DFS stack */
		}
		if (va.sn < 0) {
			rc = LINEAGE_ENOMEM;
			goto finish;
		}
	}
	if (lin_reach_index(&back, g, from) == LIN_NONE)
		goto finish;
	if ((rc = grow_stack(&st, &st_cap, 16)))
		goto finish;
	for (int64_t L = back.dist[lin_reach_index(&back, g, from)]; L <= max_len; L++) {
		int depth = 0;
		st[0].v = from;
		st[0].slot = LIN_NONE;
		g->s_b[from] = 1;
		lin_vadj_start(&st[0].va, g, f, from, 1);
		while (depth >= 0) {
			frame *fr = &st[depth];
			int32_t t, s = lin_vadj_next(&fr->va, &t), j;
			if (++steps > PATH_STEP_BUDGET) {
				ps.res->truncated = 1;
				break;
			}
			if (s == LIN_NONE) {
				if (fr->va.sn < 0) {
					rc = LINEAGE_ENOMEM;
					goto finish;
				}
				g->s_b[fr->v] = 0;
				depth--;
				continue;
			}
			j = lin_reach_index(&back, g, t);
			if (j == LIN_NONE || g->s_b[t] || depth + 1 + back.dist[j] > L)
				continue;
			if (t == to) {
				if (depth + 1 != L)
					continue;
				if (depth + 2 > st_cap && (rc = grow_stack(&st, &st_cap, (int64_t)depth + 2)))
					goto finish;
				st[depth + 1].v = t;
				st[depth + 1].slot = s;
				if ((rc = emit(&ps, st, depth + 1)))
					goto finish;
				if (ps.res->n_groups >= max_paths)
					break;
				continue;
			}
			if (depth + 2 > st_cap && (rc = grow_stack(&st, &st_cap, (int64_t)depth + 2)))
				goto finish;
			depth++;
			st[depth].v = t;
			st[depth].slot = s;
			g->s_b[t] = 1;
			lin_vadj_start(&st[depth].va, g, f, t, 1);
		}
		if (ps.res->n_groups >= max_paths || ps.res->truncated) {
			ps.res->truncated |= ps.res->n_groups >= max_paths && po->all;
			break;
		}
	}
finish:
	for (int64_t i = 0; i < st_cap; i++)
		lin_vadj_free(&st[i].va);
	free(st);
	lin_vadj_free(&va);
	lin_reach_free(&back, g);
	lin_idset_free(&ps.hashes);
	lin_idset_free(&ps.edge_ids);
	if (rc) {
		lineage_result_free(ps.res);
		return rc;
	}
	*out = ps.res;
	return 0;
}
