/* Structure questions: containment, roots/leaves/orphans, cycles, topological order and
 * the critical path. */
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "igraph_glue.h"
#include "queries.h"

typedef struct item {
	const char *key;
	int32_t v;
	int32_t a; /* depth, group or layer: sorted on first */
} item;

typedef struct items {
	item *a;
	size_t n, cap;
} items;

static int items_add(items *it, const lin_graph *g, int32_t v, int32_t a)
{
	if (it->n == it->cap) {
		size_t cap = it->cap ? it->cap * 2 : 64;
		item *p = realloc(it->a, cap * sizeof *p);
		if (!p)
			return lin_error_oom();
		it->a = p;
		it->cap = cap;
	}
	it->a[it->n].key = g->v_key[v];
	it->a[it->n].v = v;
	it->a[it->n].a = a;
	it->n++;
	return 0;
}

static int cmp_item(const void *x, const void *y)
{
	const item *p = x, *q = y;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return strcmp(p->key, q->key);
}

/* Add the items as nodes (a is the distance, or the group with as_group); a vertex's node
 * index goes to s_a[v] under the marks of `mgen`. */
static int emit_nodes(lineage_result *res, lin_graph *g, const items *it, const lin_filter *f,
		      int as_group, uint32_t mgen)
{
	for (size_t i = 0; i < it->n; i++) {
		int32_t v = it->a[i].v;
		int64_t idx;
		if (!lin_filter_asset(f, g, v))
			continue;
		if (f->max_nodes && res->n_nodes >= f->max_nodes) {
			res->truncated = 1;
			break;
		}
		idx = lin_result_add_node(res, g->v_id[v], g->v_key[v], g->kind_name[g->v_kind[v]],
					  as_group ? 0 : it->a[i].a, 1.0, as_group ? it->a[i].a : 0);
		if (idx < 0)
			return (int)idx;
		g->mark[v] = mgen;
		g->s_a[v] = (int32_t)idx;
	}
	return 0;
}

/* The view edges between nodes of the result (of the same group when `same_group`). */
static int emit_edges(lineage_result *res, lin_graph *g, const lin_filter *f, uint32_t mgen,
		      int same_group)
{
	lin_vadj va;
	int rc = 0;
	size_t n = res->n_nodes;
	memset(&va, 0, sizeof va);
	for (size_t i = 0; i < n; i++) {
		int32_t v = lin_graph_vertex_by_id(g, res->nodes[i].asset_id), s, t;
		lin_vadj_start(&va, g, f, v, 1);
		while ((s = lin_vadj_next(&va, &t)) != LIN_NONE) {
			int32_t j;
			if (g->mark[t] != mgen)
				continue;
			j = g->s_a[t];
			if (same_group && res->nodes[j].group != res->nodes[i].group)
				continue;
			if ((rc = lin_result_add_edge(res, g->e_id[s], res->nodes[i].key, res->nodes[j].key,
						      (int32_t)i, j, g->kind_name[g->e_attr[s].kind],
						      g->e_attr[s].source, g->e_attr[s].conf)))
				goto done;
		}
		if (va.sn < 0) {
			rc = LINEAGE_ENOMEM;
			goto done;
		}
	}
done:
	lin_vadj_free(&va);
	return rc;
}

static int containment(items *it, lin_graph *g, int32_t root, const lin_filter *f, int deep)
{
	int rc;
	size_t head = 0;
	/* it->a doubles as the work list: breadth-first, no recursion */
	for (int32_t c = g->v_first_child[root]; c != LIN_NONE; c = g->v_next_sib[c])
		if (lin_filter_view(f, g, c) != LIN_NONE || f->columns == LINEAGE_COLUMNS_ROLLUP)
			if ((rc = items_add(it, g, c, 1)))
				return rc;
	while (deep && head < it->n) {
		int32_t v = it->a[head].v, d = it->a[head].a;
		head++;
		for (int32_t c = g->v_first_child[v]; c != LIN_NONE; c = g->v_next_sib[c])
			if (lin_filter_view(f, g, c) != LIN_NONE || f->columns == LINEAGE_COLUMNS_ROLLUP)
				if ((rc = items_add(it, g, c, d + 1)))
					return rc;
	}
	if (it->n)
		qsort(it->a, it->n, sizeof *it->a, cmp_item);
	return 0;
}

/* Does the view vertex have an edge out (or in)? */
static int has_edge(lin_vadj *va, const lin_graph *g, const lin_filter *f, int32_t v, int out)
{
	int32_t t;
	lin_vadj_start(va, g, f, v, out);
	return lin_vadj_next(va, &t) != LIN_NONE;
}

static int degree_class(items *it, lin_graph *g, const lin_filter *f, lineage_structure what)
{
	lin_vadj va;
	int rc = 0;
	memset(&va, 0, sizeof va);
	for (int32_t v = 0; v < g->nv; v++) {
		int in, outd, take;
		if (!g->v_alive[v] || lin_filter_view(f, g, v) != v)
			continue;
		outd = has_edge(&va, g, f, v, 1);
		in = has_edge(&va, g, f, v, 0);
		take = what == LINEAGE_STRUCT_ROOTS ? outd && !in
		     : what == LINEAGE_STRUCT_LEAVES ? in && !outd : !in && !outd;
		if (take && (rc = items_add(it, g, v, 0)))
			break;
	}
	if (!rc && va.sn < 0)
		rc = LINEAGE_ENOMEM;
	lin_vadj_free(&va);
	if (!rc)
		if (it->n)
			qsort(it->a, it->n, sizeof *it->a, cmp_item);
	return rc;
}

static int has_self_loop(lin_vadj *va, const lin_graph *g, const lin_filter *f, int32_t v)
{
	int32_t t;
	lin_vadj_start(va, g, f, v, 1);
	while (lin_vadj_next(va, &t) != LIN_NONE)
		if (t == v)
			return 1;
	return 0;
}

/* Cycles: strongly connected components of 2+ assets, and self-loops. *groups counts
 * them; items carry the cycle number, numbered in the order of their first vertex. */
static int cycles(items *it, size_t *groups, lin_graph *g, const lin_filter *f)
{
	int32_t *comp = malloc((size_t)(g->nv ? g->nv : 1) * sizeof *comp);
	int32_t *size = NULL, *num = NULL, n_comp = 0;
	lin_vadj va;
	int rc;
	memset(&va, 0, sizeof va);
	*groups = 0;
	if (!comp)
		return lin_error_oom();
	if ((rc = lin_ig_scc(g, f, &g->ig, comp, &n_comp)))
		goto done;
	size = calloc((size_t)n_comp + 1, sizeof *size);
	num = malloc(((size_t)n_comp + 1) * sizeof *num);
	if (!size || !num) {
		rc = lin_error_oom();
		goto done;
	}
	for (int32_t v = 0; v < g->nv; v++)
		if (g->v_alive[v] && lin_filter_view(f, g, v) == v)
			size[comp[v]]++;
	for (int32_t c = 0; c < n_comp; c++)
		num[c] = LIN_NONE;
	for (int32_t v = 0; v < g->nv; v++) {
		int32_t c = comp[v];
		if (!g->v_alive[v] || lin_filter_view(f, g, v) != v)
			continue;
		if (size[c] < 2 && !has_self_loop(&va, g, f, v))
			continue;
		if (num[c] == LIN_NONE)
			num[c] = (int32_t)(*groups)++;
		if ((rc = items_add(it, g, v, num[c])))
			goto done;
	}
	if (va.sn < 0)
		rc = LINEAGE_ENOMEM;
	if (it->n)
		qsort(it->a, it->n, sizeof *it->a, cmp_item);
done:
	lin_vadj_free(&va);
	free(comp);
	free(size);
	free(num);
	return rc;
}

/* ECYCLE naming a few assets on a cycle. */
static int cycle_error(lin_graph *g, const lin_filter *f)
{
	items it = {NULL, 0, 0};
	size_t groups = 0;
	lin_strbuf sb = LIN_STRBUF_INIT;
	int rc = cycles(&it, &groups, g, f);
	if (rc)
		goto done;
	for (size_t i = 0; i < it.n && i < 5 && it.a[i].a == 0; i++)
		if ((rc = lin_strbuf_printf(&sb, "%s\"%.200s\"", i ? ", " : "", it.a[i].key)))
			goto done;
	rc = lin_error_set(LINEAGE_ECYCLE, "the lineage graph has %zu cycle%s (one goes through %s): list them with the cycles query, then remove or reject an edge of each, or filter edges (kinds, min_source) so that the graph is acyclic",
			   groups, groups == 1 ? "" : "s", sb.data ? sb.data : "unknown assets");
done:
	lin_strbuf_free(&sb);
	free(it.a);
	return rc;
}

/* Topological order (TOPO) or the longest path (CRITICAL_PATH). */
static int ordered(lineage_result *res, lin_graph *g, const lin_filter *f, int critical)
{
	int32_t *order = malloc((size_t)(g->nv ? g->nv : 1) * sizeof *order);
	int32_t *layer = calloc((size_t)(g->nv ? g->nv : 1), sizeof *layer);
	int32_t *pred = malloc((size_t)(g->nv ? g->nv : 1) * sizeof *pred);
	int32_t *pslot = malloc((size_t)(g->nv ? g->nv : 1) * sizeof *pslot);
	uint8_t *deg = calloc((size_t)(g->nv ? g->nv : 1), 1);
	lin_vadj va;
	int is_dag = 0, rc;
	int32_t best = LIN_NONE;
	memset(&va, 0, sizeof va);
	if (!order || !layer || !pred || !pslot || !deg) {
		rc = lin_error_oom();
		goto done;
	}
	if ((rc = lin_ig_topo(g, f, &g->ig, order, &is_dag)))
		goto done;
	if (!is_dag) {
		rc = cycle_error(g, f);
		goto done;
	}
	for (int32_t i = 0; i < g->nv; i++)
		pred[i] = pslot[i] = LIN_NONE;
	/* longest path by hops: relax the out-edges in topological order */
	for (int32_t i = 0; i < g->nv; i++) {
		int32_t v = order[i], s, t;
		if (!g->v_alive[v] || lin_filter_view(f, g, v) != v)
			continue;
		lin_vadj_start(&va, g, f, v, 1);
		while ((s = lin_vadj_next(&va, &t)) != LIN_NONE) {
			deg[v] = deg[t] = 1;
			if (layer[v] + 1 > layer[t]) {
				layer[t] = layer[v] + 1;
				pred[t] = v;
				pslot[t] = s;
			}
		}
		if (va.sn < 0) {
			rc = LINEAGE_ENOMEM;
			goto done;
		}
		if (deg[v] && (best == LIN_NONE || layer[v] > layer[best]))
			best = v;
	}
	if (!critical) {
		for (int32_t i = 0; i < g->nv; i++) {
			int32_t v = order[i];
			int64_t idx;
			if (!deg[v] || !g->v_alive[v] || !lin_filter_asset(f, g, v))
				continue;
			if (f->max_nodes && res->n_nodes >= f->max_nodes) {
				res->truncated = 1;
				break;
			}
			idx = lin_result_add_node(res, g->v_id[v], g->v_key[v],
						  g->kind_name[g->v_kind[v]], layer[v], 1.0, 0);
			if (idx < 0) {
				rc = (int)idx;
				goto done;
			}
		}
		goto done;
	}
	if (best == LIN_NONE)
		goto done;
	{
		/* walk back from the deepest vertex; positions count from the start */
		int32_t len = layer[best], v = best;
		size_t first = res->n_nodes;
		if ((rc = lin_result_reserve(res, (size_t)len + 1, (size_t)len)))
			goto done;
		for (int32_t k = 0; k <= len; k++) {
			int64_t idx = lin_result_add_node(res, 0, NULL, NULL, 0, 1.0, 0);
			if (idx < 0) {
				rc = (int)idx;
				goto done;
			}
		}
		for (int32_t k = len; k >= 0; k--) {
			lineage_node *n = &res->nodes[first + (size_t)k];
			n->asset_id = g->v_id[v];
			n->key = g->v_key[v];
			n->kind = g->kind_name[g->v_kind[v]];
			n->distance = k;
			v = pred[v];
		}
		v = best;
		for (int32_t k = len; k >= 1; k--) {
			int32_t s = pslot[v];
			/* edges listed from the start: fill backwards, then reverse */
			if ((rc = lin_result_add_edge(res, g->e_id[s], g->v_key[pred[v]], g->v_key[v],
						      (int32_t)(first + (size_t)k - 1),
						      (int32_t)(first + (size_t)k),
						      g->kind_name[g->e_attr[s].kind], g->e_attr[s].source,
						      g->e_attr[s].conf)))
				goto done;
			v = pred[v];
		}
		for (size_t a = 0, b = res->n_edges ? res->n_edges - 1 : 0; a < b; a++, b--) {
			lineage_result_edge te = res->edges[a];
			int32_t e0 = res->edge_ends[2 * a], e1 = res->edge_ends[2 * a + 1];
			res->edges[a] = res->edges[b];
			res->edges[b] = te;
			res->edge_ends[2 * a] = res->edge_ends[2 * b];
			res->edge_ends[2 * a + 1] = res->edge_ends[2 * b + 1];
			res->edge_ends[2 * b] = e0;
			res->edge_ends[2 * b + 1] = e1;
		}
		res->n_groups = 1;
	}
done:
	lin_vadj_free(&va);
	free(order);
	free(layer);
	free(pred);
	free(pslot);
	free(deg);
	return rc;
}

int lin_query_structure(lineage_result **out, lin_graph *g, lineage_structure what,
			int32_t root, const lin_filter *f)
{
	lineage_result *res;
	items it = {NULL, 0, 0};
	int rc = 0;
	*out = NULL;
	if ((int)what < LINEAGE_STRUCT_CHILDREN || (int)what > LINEAGE_STRUCT_CRITICAL_PATH)
		return lin_error_set(LINEAGE_EINVALID, "structure question %d is unknown: use one of LINEAGE_STRUCT_*", (int)what);
	if ((what == LINEAGE_STRUCT_CHILDREN || what == LINEAGE_STRUCT_SUBTREE) && root == LIN_NONE)
		return lin_error_set(LINEAGE_EINVALID, "the children and subtree questions need an asset key");
	res = lin_result_new(LIN_RESULT_STRUCTURE, g->pool);
	if (!res)
		return LINEAGE_ENOMEM;
	res->structure = what;
	if (root != LIN_NONE)
		res->root = g->v_key[root];
	switch (what) {
	case LINEAGE_STRUCT_CHILDREN:
	case LINEAGE_STRUCT_SUBTREE:
		if (!(rc = containment(&it, g, root, f, what == LINEAGE_STRUCT_SUBTREE)))
			rc = emit_nodes(res, g, &it, f, 0, lin_graph_new_gen(g));
		break;
	case LINEAGE_STRUCT_ROOTS:
	case LINEAGE_STRUCT_LEAVES:
	case LINEAGE_STRUCT_ORPHANS:
		if (!(rc = degree_class(&it, g, f, what)))
			rc = emit_nodes(res, g, &it, f, 0, lin_graph_new_gen(g));
		break;
	case LINEAGE_STRUCT_CYCLES: {
		uint32_t mgen = lin_graph_new_gen(g);
		if (!(rc = cycles(&it, &res->n_groups, g, f)) &&
		    !(rc = emit_nodes(res, g, &it, f, 1, mgen)))
			rc = emit_edges(res, g, f, mgen, 1);
		break;
	}
	case LINEAGE_STRUCT_TOPO:
	case LINEAGE_STRUCT_CRITICAL_PATH:
		rc = ordered(res, g, f, what == LINEAGE_STRUCT_CRITICAL_PATH);
		break;
	}
	free(it.a);
	if (rc) {
		lineage_result_free(res);
		return rc;
	}
	*out = res;
	return 0;
}
