/* Filling results (the engine side of lineage_result). */
#include "result.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"

lineage_result *lin_result_new(lin_result_type type, lin_pool *pool)
{
	lineage_result *r = calloc(1, sizeof *r);
	if (!r) {
		lin_error_oom();
		return NULL;
	}
	r->type = type;
	r->pool = lin_pool_ref(pool);
	atomic_init(&r->ready, LIN_READY_ALL);
	return r;
}

int lin_result_reserve(lineage_result *r, size_t nodes, size_t edges)
{
	if (r->n_nodes + nodes > r->cap_nodes) {
		size_t cap = r->cap_nodes ? r->cap_nodes : 16;
		lineage_node *n;
		while (cap < r->n_nodes + nodes)
			cap *= 2;
		n = realloc(r->nodes, cap * sizeof *n);
		if (!n)
			return lin_error_oom();
		r->nodes = n;
		r->cap_nodes = cap;
	}
	if (r->n_edges + edges > r->cap_edges) {
		size_t cap = r->cap_edges ? r->cap_edges : 16;
		lineage_result_edge *e;
		int32_t *ends;
		while (cap < r->n_edges + edges)
			cap *= 2;
		e = realloc(r->edges, cap * sizeof *e);
		if (!e)
			return lin_error_oom();
		r->edges = e;
		ends = realloc(r->edge_ends, cap * 2 * sizeof *ends);
		if (!ends)
			return lin_error_oom();
		r->edge_ends = ends;
		r->cap_edges = cap;
	}
	return 0;
}

int64_t lin_result_add_node(lineage_result *r, int64_t asset_id, const char *key,
			    const char *kind, int distance, double confidence, int group)
{
	lineage_node *n;
	int rc;
	if (r->n_nodes == r->cap_nodes && (rc = lin_result_reserve(r, 1, 0)))
		return rc;
	n = &r->nodes[r->n_nodes];
	n->asset_id = asset_id;
	n->key = key;
	n->kind = kind;
	n->distance = distance;
	n->confidence = confidence;
	n->group = group;
	n->owner = NULL;
	return (int64_t)r->n_nodes++;
}

int lin_result_add_edge(lineage_result *r, int64_t edge_id, const char *src_key,
			const char *dst_key, int32_t src_node, int32_t dst_node, const char *kind,
			int source, double confidence)
{
	int rc;
	if (r->n_edges == r->cap_edges && (rc = lin_result_reserve(r, 0, 1)))
		return rc;
	lin_result_push_edge(r, edge_id, src_key, dst_key, src_node, dst_node, kind, source,
			     confidence);
	return 0;
}
