/*
 * Impact of a change: a downstream BFS from the asset and everything it contains (a
 * table's columns), all at distance 0. A reached column makes its container affected too,
 * at the same distance, and the container is expanded like any reached asset (its own
 * table-level edges). Confidences are best products, the containment link counting as 1.
 */
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "queries.h"
#include "reach.h"

static int severity(lineage_change_type change, int distance, int is_column)
{
	switch (change) {
	case LINEAGE_CHANGE_DROP:
	case LINEAGE_CHANGE_RENAME:
		return distance == 1 ? LINEAGE_SEVERITY_BREAKING : LINEAGE_SEVERITY_AFFECTED;
	case LINEAGE_CHANGE_TYPE_CHANGE:
		return distance == 1 && is_column ? LINEAGE_SEVERITY_BREAKING : LINEAGE_SEVERITY_AFFECTED;
	case LINEAGE_CHANGE_MODIFY:
		return LINEAGE_SEVERITY_AFFECTED;
	default:
		return LINEAGE_SEVERITY_INFO;
	}
}

/* Add the root and its containment subtree (iteratively) at distance 0. */
static int start_set(lin_reach *r, lin_graph *g, int32_t root, const lin_filter *f)
{
	int32_t rc = lin_reach_add(r, g, root, 0);
	if (rc < 0)
		return rc;
	g->s_c[root] = LIN_NONE;
	/* r->vert doubles as the work list: children of each added vertex are appended */
	for (int32_t i = 0; i < r->n; i++) {
		for (int32_t c = g->v_first_child[r->vert[i]]; c != LIN_NONE; c = g->v_next_sib[c]) {
			if (lin_filter_view(f, g, c) == LIN_NONE || lin_reach_index(r, g, c) != LIN_NONE)
				continue;
			if ((rc = lin_reach_add(r, g, c, 0)) < 0)
				return rc;
			g->s_c[c] = LIN_NONE;
		}
	}
	return 0;
}

static int impact_bfs(lin_reach *r, lin_graph *g, const lin_filter *f)
{
	lin_filter fi = *f;
	lin_vadj va;
	int rc = 0;
	memset(&va, 0, sizeof va);
	/* ROLLUP reports tables, but the walk itself follows the column edges */
	if (fi.columns == LINEAGE_COLUMNS_ROLLUP)
		fi.columns = LINEAGE_COLUMNS_INCLUDE;
	for (int32_t head = 0; head < r->n; head++) {
		int32_t v = r->vert[head], d = r->dist[head], s, t;
		r->e_beg[head] = r->nt;
		/* the container this column made affected: a link of confidence 1 */
		if (g->s_c[v] != LIN_NONE && (rc = lin_reach_record(r, LIN_NONE, g->s_c[v], 1.0, 0)))
			goto done;
		if (fi.max_depth > 0 && d >= fi.max_depth) {
			r->e_end[head] = r->nt;
			continue;
		}
		lin_vadj_start(&va, g, &fi, v, 1);
		while ((s = lin_vadj_next(&va, &t)) != LIN_NONE) {
			const lin_edge_attr *a = &g->e_attr[s];
			int32_t j = lin_reach_index(r, g, t);
			if (j == LIN_NONE) {
				int32_t p = g->v_parent[t];
				if ((j = lin_reach_add(r, g, t, d + 1)) < 0) {
					rc = j;
					goto done;
				}
				g->s_c[t] = LIN_NONE;
				/* the container, reached now or before: the column links to it either
				 * way, so that it gets the column's confidence when that is better */
				if (lin_graph_is_column(g, t) && p != LIN_NONE) {
					int32_t pj = lin_reach_index(r, g, p);
					if (pj == LIN_NONE) {
						if ((pj = lin_reach_add(r, g, p, d + 1)) < 0) {
							rc = pj;
							goto done;
						}
						g->s_c[p] = LIN_NONE;
					}
					g->s_c[t] = pj;
				}
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

int lin_query_impact(lineage_result **out, lin_graph *g, int32_t root,
		     lineage_change_type change, const lin_filter *f, lin_owner_fn owner,
		     void *payload)
{
	lin_reach r;
	lineage_result *res = NULL;
	int32_t *rmap = NULL;
	int rc;
	*out = NULL;
	memset(&r, 0, sizeof r);
	if ((int)change < LINEAGE_CHANGE_DROP || (int)change > LINEAGE_CHANGE_ADD)
		return lin_error_set(LINEAGE_EINVALID, "change type %d is unknown: use drop, rename, type_change, modify or add", (int)change);
	if (f->columns == LINEAGE_COLUMNS_EXCLUDE && lin_graph_is_column(g, root))
		return lin_error_set(LINEAGE_EINVALID, "\"%s\" is a column and columns are excluded: analyse its table, or include columns", g->v_key[root]);
	res = lin_result_new(LIN_RESULT_IMPACT, g->pool);
	if (!res)
		return LINEAGE_ENOMEM;
	res->root = g->v_key[root];
	res->change = change;
	if ((rc = lin_reach_init(&r, g, 64)) || (rc = start_set(&r, g, root, f)) ||
	    (rc = impact_bfs(&r, g, f)) || (rc = lin_reach_confidence(&r)))
		goto done;
	rmap = malloc((size_t)r.n * sizeof *rmap);
	if (!rmap) {
		rc = lin_error_oom();
		goto done;
	}
	for (int32_t i = 0; i < r.n; i++) {
		int32_t v = r.vert[i];
		int64_t idx;
		int col = lin_graph_is_column(g, v);
		rmap[i] = LIN_NONE;
		if (r.dist[i] == 0 || !lin_filter_asset(f, g, v) ||
		    (col && f->columns == LINEAGE_COLUMNS_ROLLUP))
			continue;
		if (f->max_nodes && res->n_nodes >= f->max_nodes) {
			res->truncated = 1;
			break;
		}
		idx = lin_result_add_node(res, g->v_id[v], g->v_key[v], g->kind_name[g->v_kind[v]],
					  r.dist[i], r.conf[i], severity(change, r.dist[i], col));
		if (idx < 0) {
			rc = (int)idx;
			goto done;
		}
		rmap[i] = (int32_t)idx;
	}
	/* traversed edges whose ends are affected or part of the changed asset */
	for (int32_t i = 0; i < r.n; i++) {
		if (rmap[i] == LIN_NONE && r.dist[i] != 0)
			continue;
		for (int32_t k = r.e_beg[i]; k < r.e_end[i]; k++) {
			int32_t j = r.t_to[k], s = r.t_slot[k];
			if (s == LIN_NONE || (rmap[j] == LIN_NONE && r.dist[j] != 0))
				continue;
			if ((rc = lin_result_add_edge(res, g->e_id[s], g->v_key[r.vert[i]],
						      g->v_key[r.vert[j]], rmap[i], rmap[j],
						      g->kind_name[g->e_attr[s].kind], r.t_source[k],
						      r.t_conf[k])))
				goto done;
		}
	}
	if (owner && res->n_nodes) {
		res->owners = calloc(res->n_nodes, sizeof *res->owners);
		if (!res->owners) {
			rc = lin_error_oom();
			goto done;
		}
		for (size_t i = 0; i < res->n_nodes; i++) {
			if ((rc = owner(res->nodes[i].asset_id, &res->owners[i], payload)))
				goto done;
			res->nodes[i].owner = res->owners[i];
		}
	}
	*out = res;
	res = NULL;
done:
	free(rmap);
	lin_reach_free(&r, g);
	lineage_result_free(res);
	return rc;
}
