/* Upstream / downstream / both traversals. */
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "queries.h"
#include "idset.h"
#include "reach.h"

/* Is this filter's walk the plain one (every alive edge, every asset, no column view)? */
static int plain_walk(const lin_filter *f, const lin_graph *g)
{
	return !f->edge_kind_ok && !f->asset_kind_ok && f->min_source <= LINEAGE_SOURCE_ANY &&
	       f->min_conf <= 0 &&
	       (f->columns == LINEAGE_COLUMNS_INCLUDE || g->column_kind == LIN_NONE) &&
	       g->n_dead_slots == 0;
}

/* Reach `t` at distance `d` unless reached: 1 when new, 0 when known, or an error code. */
static inline int discover(lin_reach *r, lin_graph *g, int32_t t, int32_t d)
{
	int rc;
	if (g->mark[t] == r->gen)
		return 0;
	if (r->n == r->cap && (rc = lin_reach_grow_vertices(r, (int64_t)r->n + 1)))
		return rc;
	g->mark[t] = r->gen;
	r->vert[r->n] = t;
	r->dist[r->n++] = d;
	return 1;
}

/* Discover `t` unless max_nodes (0: none) assets are reached already: then the walk is cut. */
static inline int visit(lin_reach *r, lin_graph *g, int32_t t, int32_t d, size_t max)
{
	if (max && (size_t)r->n >= max && g->mark[t] != r->gen) {
		r->truncated = 1;
		return 0;
	}
	return discover(r, g, t, d);
}

/*
 * The plain walk, straight over the CSR arrays and the overlay chains: no tombstones (the
 * caller checked) and no filter, so no edge attribute is read. Upstream reads the sources
 * in in_src[], in the order of in_slot[].
 */
static int walk_plain(lin_reach *r, lin_graph *g, int out, const lin_filter *f)
{
	const int32_t *off = out ? g->out_off : g->in_off;
	const int32_t *other = out ? g->e_dst : g->in_src;
	const int32_t *ends = out ? g->e_dst : g->e_src;
	const int32_t *ov_head = out ? g->ov_out_head : g->ov_in_head;
	const int32_t *ov_next = out ? g->ov_next_out : g->ov_next_in;
	size_t max = f->max_nodes;
	int overlay = g->ne > g->csr_ne; /* else no chain to read (a cache miss per vertex) */
	int rc;
	for (int32_t head = 0; head < r->n; head++) {
		int32_t v = r->vert[head], d = r->dist[head] + 1;
		if (f->max_depth > 0 && d > f->max_depth)
			break; /* BFS order: every vertex after this one is as deep */
		if (v < g->csr_nv)
			for (int32_t i = off[v]; i < off[v + 1]; i++)
				if ((rc = visit(r, g, other[i], d, max)) < 0)
					return rc;
		if (!overlay)
			continue;
		for (int32_t s = ov_head[v]; s != LIN_NONE; s = ov_next[s - g->csr_ne])
			if ((rc = visit(r, g, ends[s], d, max)) < 0)
				return rc;
	}
	return 0;
}

/* Any walk: through lin_vadj (filters, column views, tombstones). */
static int walk_filtered(lin_reach *r, lin_graph *g, int out, const lin_filter *f)
{
	lin_vadj va;
	size_t reported = 1;
	int rc = 0;
	memset(&va, 0, sizeof va);
	for (int32_t head = 0; head < r->n; head++) {
		int32_t v = r->vert[head], d = r->dist[head] + 1, s, t;
		if (f->max_depth > 0 && d > f->max_depth)
			break;
		lin_vadj_start(&va, g, f, v, out);
		while ((s = lin_vadj_next(&va, &t)) != LIN_NONE) {
			int rep;
			if (g->mark[t] == r->gen)
				continue;
			rep = lin_filter_asset(f, g, t);
			if (rep && f->max_nodes && reported >= f->max_nodes) {
				r->truncated = 1;
				continue;
			}
			if ((rc = discover(r, g, t, d)) < 0)
				goto done;
			reported += rep;
		}
		if (va.sn < 0) {
			rc = LINEAGE_ENOMEM;
			goto done;
		}
	}
	rc = 0;
done:
	lin_vadj_free(&va);
	return rc;
}

/*
 * Breadth-first from `root` (already the viewed vertex): every asset reached once, at its
 * shortest distance, in r->vert / r->dist. Edges are left to lin_reach_collect().
 */
static int bfs(lin_reach *r, lin_graph *g, int32_t root, int out, const lin_filter *f)
{
	int rc;
	if ((rc = lin_reach_init(r, g, 64)) || (rc = discover(r, g, root, 0)) < 0)
		return rc;
	if (plain_walk(f, g))
		return walk_plain(r, g, out, f);
	return walk_filtered(r, g, out, f);
}

/* Nodes a walk reports (lin_filter_reports), up to max_nodes. */
static size_t count_reported(const lin_reach *r, const lin_graph *g, const lin_filter *f)
{
	size_t n = 0;
	if (!f->asset_kind_ok)
		n = (size_t)r->n;
	else
		for (int32_t i = 0; i < r->n; i++)
			n += lin_filter_reports(f, g, i, r->vert[i]);
	return f->max_nodes && n > f->max_nodes ? f->max_nodes : n;
}

/*
 * Add a reach to the result: nodes not there yet (mapped through graph marks of `mgen`:
 * s_a[v] is the node index), the others get the shorter distance and better confidence;
 * then the recorded edges between reported nodes.
 */
static int assemble(lineage_result *res, lin_graph *g, const lin_reach *r, int out,
		    const lin_filter *f, uint32_t mgen, lin_idset *seen)
{
	int32_t *rmap = malloc((size_t)(r->n ? r->n : 1) * sizeof *rmap);
	int rc = 0;
	if (!rmap)
		return lin_error_oom();
	if ((rc = lin_result_reserve(res, (size_t)r->n, (size_t)r->nt)))
		goto done;
	for (int32_t i = 0; i < r->n; i++) {
		int32_t v = r->vert[i];
		int64_t idx;
		rmap[i] = LIN_NONE;
		if (i != 0 && !lin_filter_asset(f, g, v))
			continue;
		if (g->mark[v] == mgen) {
			lineage_node *n = &res->nodes[g->s_a[v]];
			if (r->dist[i] < n->distance)
				n->distance = r->dist[i];
			if (r->conf[i] > n->confidence)
				n->confidence = r->conf[i];
			rmap[i] = g->s_a[v];
			continue;
		}
		if (f->max_nodes && res->n_nodes >= f->max_nodes) {
			res->truncated = 1;
			continue;
		}
		idx = lin_result_add_node(res, g->v_id[v], g->v_key[v], g->kind_name[g->v_kind[v]],
					  r->dist[i], r->conf[i], 0);
		if (idx < 0) {
			rc = (int)idx;
			goto done;
		}
		g->mark[v] = mgen;
		g->s_a[v] = (int32_t)idx;
		rmap[i] = (int32_t)idx;
	}
	for (int32_t i = 0; i < r->n; i++) {
		if (rmap[i] == LIN_NONE)
			continue;
		for (int32_t k = r->e_beg[i]; k < r->e_end[i]; k++) {
			int32_t j = r->t_to[k], s = r->t_slot[k], a, b;
			if (rmap[j] == LIN_NONE || s == LIN_NONE)
				continue;
			if (seen && (rc = lin_idset_add(seen, g->e_id[s])) != 0) {
				if (rc < 0)
					goto done;
				rc = 0;
				continue;
			}
			a = out ? rmap[i] : rmap[j];
			b = out ? rmap[j] : rmap[i];
			/* room for every record was reserved above */
			lin_result_push_edge(res, g->e_id[s], res->nodes[a].key, res->nodes[b].key, a,
					     b, g->kind_name[g->e_attr[s].kind], r->t_source[k],
					     r->t_conf[k]);
		}
	}
done:
	free(rmap);
	return rc;
}

static int one_way(lin_reach *r, lin_graph *g, int32_t root, int out, const lin_filter *f)
{
	int rc = bfs(r, g, root, out, f);
	if (!rc)
		rc = lin_reach_collect(r, g, out, f);
	if (!rc)
		rc = lin_reach_confidence(r);
	return rc;
}

int lin_query_traverse(lineage_result **out, lin_graph *g, int32_t root,
		       lineage_direction direction, const lin_filter *f)
{
	lin_reach up, down;
	lineage_result *res = NULL;
	lin_idset seen = LIN_IDSET_INIT;
	uint32_t mgen;
	int rc;
	*out = NULL;
	memset(&up, 0, sizeof up);
	memset(&down, 0, sizeof down);
	if (direction != LINEAGE_UPSTREAM && direction != LINEAGE_DOWNSTREAM && direction != LINEAGE_BOTH)
		return lin_error_set(LINEAGE_EINVALID, "direction %d is unknown: use LINEAGE_UPSTREAM, LINEAGE_DOWNSTREAM or LINEAGE_BOTH", (int)direction);
	if (f->columns == LINEAGE_COLUMNS_EXCLUDE && lin_graph_is_column(g, root))
		return lin_error_set(LINEAGE_EINVALID, "\"%s\" is a column and columns are excluded: start from its table, or include columns", g->v_key[root]);
	root = lin_filter_view(f, g, root);
	res = lin_result_new(LIN_RESULT_TRAVERSE, g->pool);
	if (!res)
		return LINEAGE_ENOMEM;
	res->root = g->v_key[root];
	res->direction = direction;
	if (direction != LINEAGE_BOTH) {
		lin_reach *r = direction == LINEAGE_UPSTREAM ? &up : &down;
		int dir_out = direction == LINEAGE_DOWNSTREAM;
		if ((rc = bfs(r, g, root, dir_out, f)))
			goto done;
		res->truncated |= r->truncated;
		if ((rc = lin_lazy_attach(res, g, r, dir_out, f, count_reported(r, g, f))))
			goto done;
		*out = res;
		res = NULL;
		goto done;
	}
	if ((rc = one_way(&up, g, root, 0, f)) || (rc = one_way(&down, g, root, 1, f)))
		goto done;
	mgen = lin_graph_new_gen(g);
	if ((direction & LINEAGE_UPSTREAM) &&
	    (rc = assemble(res, g, &up, 0, f, mgen, direction == LINEAGE_BOTH ? &seen : NULL)))
		goto done;
	if ((direction & LINEAGE_DOWNSTREAM) &&
	    (rc = assemble(res, g, &down, 1, f, mgen, direction == LINEAGE_BOTH ? &seen : NULL)))
		goto done;
	res->truncated |= up.truncated | down.truncated;
	*out = res;
	res = NULL;
done:
	lin_reach_free(&up, g);
	lin_reach_free(&down, g);
	lin_idset_free(&seen);
	lineage_result_free(res);
	return rc;
}
