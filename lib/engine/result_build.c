/* Filling results (the engine side of lineage_result). */
#include "result.h"

#include <pthread.h>
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
	atomic_init(&r->ready, 2);
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
	lineage_result_edge *e;
	int rc;
	if (r->n_edges == r->cap_edges && (rc = lin_result_reserve(r, 0, 1)))
		return rc;
	e = &r->edges[r->n_edges];
	e->edge_id = edge_id;
	e->source_key = src_key;
	e->target_key = dst_key;
	e->kind = kind;
	e->lineage_source = (lineage_source)source;
	e->confidence = confidence;
	r->edge_ends[2 * r->n_edges] = src_node;
	r->edge_ends[2 * r->n_edges + 1] = dst_node;
	r->n_edges++;
	return 0;
}

void lin_lazy_free(lin_lazy *lazy)
{
	if (!lazy)
		return;
	lin_reach_free(&lazy->reach, NULL);
	free(lazy->eid);
	free(lazy->kind);
	free(lazy->rmap);
	free(lazy);
}

/* Stage 1: the nodes' confidences. */
static int finish_nodes(lineage_result *r)
{
	lin_lazy *z = r->lazy;
	int rc = lin_reach_confidence(&z->reach);
	if (rc)
		return rc;
	for (int32_t i = 0; i < z->reach.n; i++)
		if (z->rmap[i] >= 0)
			r->nodes[z->rmap[i]].confidence = z->reach.conf[i];
	return 0;
}

/* Stage 2: the edges; the walk's records are released. */
static int finish_edges(lineage_result *r)
{
	lin_lazy *z = r->lazy;
	lin_reach *w = &z->reach;
	size_t want = r->n_edges;
	int rc;
	r->n_edges = 0;
	if ((rc = lin_result_reserve(r, 0, want))) {
		r->n_edges = want;
		return rc;
	}
	for (int32_t i = 0; i < w->n; i++) {
		if (z->rmap[i] < 0)
			continue;
		for (int32_t k = w->e_beg[i]; k < w->e_end[i]; k++) {
			int32_t j = w->t_to[k], a, b;
			if (z->rmap[j] < 0 || w->t_slot[k] == LIN_NONE)
				continue;
			a = z->out ? z->rmap[i] : z->rmap[j];
			b = z->out ? z->rmap[j] : z->rmap[i];
			lin_result_push_edge(r, z->eid[k], r->nodes[a].key, r->nodes[b].key, a, b,
					     z->kind[k], w->t_source[k], w->t_conf[k]);
		}
	}
	lin_lazy_free(z);
	r->lazy = NULL;
	return 0;
}

static pthread_mutex_t ready_mutex = PTHREAD_MUTEX_INITIALIZER;

/* Bring the result to `level` (1: nodes complete, 2: everything). */
static int ready_to(const lineage_result *r, int level)
{
	int rc = 0, now;
	if (atomic_load_explicit(&r->ready, memory_order_acquire) >= level)
		return 0;
	pthread_mutex_lock(&ready_mutex);
	now = atomic_load_explicit(&r->ready, memory_order_relaxed);
	if (now < level) {
		/* the result was created non-const by the engine: finishing it is allowed */
		lineage_result *w = (lineage_result *)(uintptr_t)r;
		if (now < 1 && !(rc = finish_nodes(w)))
			atomic_store_explicit(&w->ready, now = 1, memory_order_release);
		if (!rc && level >= 2 && !(rc = finish_edges(w)))
			atomic_store_explicit(&w->ready, 2, memory_order_release);
	}
	pthread_mutex_unlock(&ready_mutex);
	return rc;
}

int lin_result_ready_nodes(const lineage_result *r)
{
	return ready_to(r, 1);
}

int lin_result_ready(const lineage_result *r)
{
	return ready_to(r, 2);
}
