/* Upstream / downstream / both traversals. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "queries.h"
#include "idset.h"
#include "reach.h"

/*
 * Breadth-first from `root` (already the viewed vertex). Every asset is reached once, at
 * its shortest distance; the edges out of each expanded asset are recorded, also those to
 * assets reached before (they are traversed edges too). With ROLLUP, parallel column edges
 * between the same two assets collapse into one record (highest confidence and source).
 */
static int bfs(lin_reach *r, lin_graph *g, int32_t root, int out, const lin_filter *f)
{
	lin_vadj va;
	size_t reported = 1;
	int rc = 0;
	int rollup = f->columns == LINEAGE_COLUMNS_ROLLUP;
	memset(&va, 0, sizeof va);
	if ((rc = lin_reach_add(r, g, root, 0)) < 0)
		return rc;
	g->s_b[root] = LIN_NONE;
	for (int32_t head = 0; head < r->n; head++) {
		int32_t v = r->vert[head], d = r->dist[head], s, t;
		r->e_beg[head] = r->nt;
		if (f->max_depth > 0 && d >= f->max_depth) {
			r->e_end[head] = r->nt;
			continue;
		}
		lin_vadj_start(&va, g, f, v, out);
		while ((s = lin_vadj_next(&va, &t)) != LIN_NONE) {
			const lin_edge_attr *a = &g->e_attr[s];
			int32_t j = lin_reach_index(r, g, t);
			if (j == LIN_NONE) {
				int rep = lin_filter_asset(f, g, t);
				if (rep && f->max_nodes && reported >= f->max_nodes) {
					r->truncated = 1;
					continue;
				}
				if ((j = lin_reach_add(r, g, t, d + 1)) < 0) {
					rc = j;
					goto done;
				}
				reported += rep;
				g->s_b[t] = LIN_NONE;
			} else if (rollup && g->s_b[t] == head) {
				int32_t k = g->s_c[t];
				if (g->e_attr[r->t_slot[k]].kind == a->kind) {
					if (a->conf > r->t_conf[k])
						r->t_conf[k] = a->conf;
					if (a->source > r->t_source[k])
						r->t_source[k] = a->source;
					continue;
				}
			}
			if (rollup) {
				g->s_b[t] = head;
				g->s_c[t] = r->nt;
			}
			if ((rc = lin_reach_record(r, s, j, a->conf, a->source)))
				goto done;
		}
		if (va.sn < 0) {
			rc = LINEAGE_ENOMEM;
			goto done;
		}
		r->e_end[head] = r->nt;
	}
done:
	lin_vadj_free(&va);
	return rc;
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

/*
 * One direction: the nodes now (so that counts are exact), the confidences and the edges
 * when the result is first read (lin_result_ready). The walk's records move into the
 * result; what they name in the graph (edge ids, kind names) is copied out first.
 */
static int assemble_lazy(lineage_result *res, lin_graph *g, lin_reach *r, int out,
			 const lin_filter *f)
{
	lin_lazy *z = calloc(1, sizeof *z);
	size_t count = 0;
	int rc;
	if (!z)
		return lin_error_oom();
	z->out = out;
	z->rmap = malloc((size_t)(r->n ? r->n : 1) * sizeof *z->rmap);
	z->eid = malloc((size_t)(r->nt ? r->nt : 1) * sizeof *z->eid);
	z->kind = malloc((size_t)(r->nt ? r->nt : 1) * sizeof *z->kind);
	if (!z->rmap || !z->eid || !z->kind) {
		rc = lin_error_oom();
		goto fail;
	}
	if ((rc = lin_result_reserve(res, (size_t)r->n, 0)))
		goto fail;
	for (int32_t i = 0; i < r->n; i++) {
		int32_t v = r->vert[i];
		z->rmap[i] = LIN_NONE;
		if (i != 0 && !lin_filter_asset(f, g, v))
			continue;
		if (f->max_nodes && res->n_nodes >= f->max_nodes) {
			res->truncated = 1;
			continue;
		}
		z->rmap[i] = (int32_t)lin_result_add_node(res, g->v_id[v], g->v_key[v],
							  g->kind_name[g->v_kind[v]], r->dist[i], 0.0,
							  0);
	}
	for (int32_t k = 0; k < r->nt; k++) {
		int32_t s = r->t_slot[k];
		z->eid[k] = g->e_id[s];
		z->kind[k] = g->kind_name[g->e_attr[s].kind];
	}
	for (int32_t i = 0; i < r->n; i++) {
		if (z->rmap[i] == LIN_NONE)
			continue;
		for (int32_t k = r->e_beg[i]; k < r->e_end[i]; k++)
			count += z->rmap[r->t_to[k]] != LIN_NONE;
	}
	z->reach = *r;
	memset(r, 0, sizeof *r);
	lin_reach_shrink(&z->reach); /* a small result must not keep a big walk's buffers */
	res->lazy = z;
	res->n_edges = count;
	atomic_store(&res->ready, 0);
	return 0;
fail:
	lin_lazy_free(z);
	return rc;
}

static int one_way(lin_reach *r, lin_graph *g, int32_t root, int out, const lin_filter *f)
{
	int rc = lin_reach_init(r, g, 64);
	if (!rc)
		rc = bfs(r, g, root, out, f);
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
		if ((rc = lin_reach_init(r, g, 64)) ||
		    (rc = bfs(r, g, root, direction == LINEAGE_DOWNSTREAM, f)) ||
		    (rc = assemble_lazy(res, g, r, direction == LINEAGE_DOWNSTREAM, f)))
			goto done;
		res->truncated |= r->truncated | res->lazy->reach.truncated;
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
