/*
 * One-way traversal results finished when first read (see lin_lazy in result.h).
 *
 * Threads: a result may be read on any thread while its handle's thread goes on querying
 * and writing. One process-wide mutex orders the two: a reader collects from the graph
 * under it, and a writer collects every attached result under it before changing the
 * graph, so the graph never changes under a reader and a result never sees a later write.
 * The mutex is taken only by results not finished yet, and by writes while there are any.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "queries.h"
#include "result.h"

static pthread_mutex_t lazy_mutex = PTHREAD_MUTEX_INITIALIZER;

static int copy_mask(uint8_t **out, const uint8_t *mask, const lin_graph *g)
{
	*out = NULL;
	if (!mask)
		return 0;
	*out = malloc((size_t)g->n_kinds + 1);
	if (!*out)
		return lin_error_oom();
	memcpy(*out, mask, (size_t)g->n_kinds + 1);
	return 0;
}

static void lazy_free(lin_lazy *z)
{
	if (z->f)
		lin_filter_free(z->f);
	free(z->f);
	lin_reach_free(&z->reach, NULL);
	free(z->eid);
	free(z->kind);
	free(z->rmap);
	free(z);
}

/* Unlink from the graph's list (mutex held). */
static void unlink_lazy(lin_lazy *z)
{
	if (z->prev)
		z->prev->next = z->next;
	else
		atomic_store_explicit(&z->g->attached, z->next, memory_order_release);
	if (z->next)
		z->next->prev = z->prev;
	z->prev = z->next = NULL;
	z->g = NULL;
}

int lin_lazy_attach(lineage_result *res, lin_graph *g, lin_reach *r, int out,
		    const lin_filter *f, size_t n_reported)
{
	lin_lazy *z = calloc(1, sizeof *z);
	int rc;
	if (!z)
		return lin_error_oom();
	z->f = malloc(sizeof *z->f);
	if (!z->f) {
		free(z);
		return lin_error_oom();
	}
	*z->f = *f;
	z->f->edge_kind_ok = z->f->asset_kind_ok = NULL;
	if ((rc = copy_mask(&z->f->edge_kind_ok, f->edge_kind_ok, g)) ||
	    (rc = copy_mask(&z->f->asset_kind_ok, f->asset_kind_ok, g))) {
		lazy_free(z);
		return rc;
	}
	z->res = res;
	z->out = out;
	z->reach = *r;
	memset(r, 0, sizeof *r);
	lin_reach_shrink(&z->reach); /* a small result must not keep a big walk's buffers */
	res->lazy = z;
	res->n_nodes = n_reported;
	atomic_store_explicit(&res->ready, LIN_READY_NONE, memory_order_relaxed);
	pthread_mutex_lock(&lazy_mutex);
	z->g = g;
	z->next = atomic_load_explicit(&g->attached, memory_order_relaxed);
	if (z->next)
		z->next->prev = z;
	atomic_store_explicit(&g->attached, z, memory_order_release);
	pthread_mutex_unlock(&lazy_mutex);
	return 0;
}

/* From the graph: the nodes (confidences to come), the records and what they name. */
static int collect(lineage_result *res)
{
	lin_lazy *z = res->lazy;
	const lin_graph *g = z->g;
	lin_reach *w = &z->reach;
	size_t want = res->n_nodes, n = 0, count = 0;
	int rc;
	res->n_nodes = 0;
	if ((rc = lin_result_reserve(res, want, 0)))
		goto done;
	z->rmap = malloc((size_t)(w->n ? w->n : 1) * sizeof *z->rmap);
	if (!z->rmap) {
		rc = lin_error_oom();
		goto done;
	}
	for (int32_t i = 0; i < w->n; i++) {
		int32_t v = w->vert[i];
		z->rmap[i] = LIN_NONE;
		if (!lin_filter_reports(z->f, g, i, v) || (z->f->max_nodes && n >= z->f->max_nodes))
			continue;
		z->rmap[i] = (int32_t)lin_result_add_node(res, g->v_id[v], g->v_key[v],
							  g->kind_name[g->v_kind[v]], w->dist[i],
							  0.0, 0);
		n++;
	}
	if ((rc = lin_reach_collect(w, g, z->out, z->f)))
		goto done;
	z->eid = malloc((size_t)(w->nt ? w->nt : 1) * sizeof *z->eid);
	z->kind = malloc((size_t)(w->nt ? w->nt : 1) * sizeof *z->kind);
	if (!z->eid || !z->kind) {
		rc = lin_error_oom();
		goto done;
	}
	for (int32_t k = 0; k < w->nt; k++) {
		int32_t s = w->t_slot[k];
		z->eid[k] = g->e_id[s];
		z->kind[k] = g->kind_name[g->e_attr[s].kind];
	}
	for (int32_t i = 0; i < w->n; i++) {
		if (z->rmap[i] == LIN_NONE)
			continue;
		for (int32_t k = w->e_beg[i]; k < w->e_end[i]; k++)
			count += z->rmap[w->t_to[k]] != LIN_NONE;
	}
	res->n_edges = count;
done:
	res->n_nodes = want; /* the count was exact; on failure it stays what was announced */
	z->failed = rc;
	unlink_lazy(z);
	return rc;
}

/* The nodes' confidences. */
static int finish_nodes(lineage_result *res)
{
	lin_lazy *z = res->lazy;
	int rc = lin_reach_confidence(&z->reach);
	if (rc)
		return rc;
	for (int32_t i = 0; i < z->reach.n; i++)
		if (z->rmap[i] >= 0)
			res->nodes[z->rmap[i]].confidence = z->reach.conf[i];
	return 0;
}

/* The edges; the walk's records are released. */
static int finish_edges(lineage_result *res)
{
	lin_lazy *z = res->lazy;
	lin_reach *w = &z->reach;
	size_t want = res->n_edges;
	int rc;
	res->n_edges = 0;
	if ((rc = lin_result_reserve(res, 0, want))) {
		res->n_edges = want;
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
			lin_result_push_edge(res, z->eid[k], res->nodes[a].key, res->nodes[b].key, a,
					     b, z->kind[k], w->t_source[k], w->t_conf[k]);
		}
	}
	lazy_free(z);
	res->lazy = NULL;
	return 0;
}

void lin_lazy_detach_all(lin_graph *g)
{
	lin_lazy *z;
	pthread_mutex_lock(&lazy_mutex);
	while ((z = atomic_load_explicit(&g->attached, memory_order_relaxed)) != NULL) {
		/* a failure is kept in z->failed and reported to the result's reader */
		if (collect(z->res) == 0)
			atomic_store_explicit(&z->res->ready, LIN_READY_COUNTS, memory_order_release);
	}
	pthread_mutex_unlock(&lazy_mutex);
}

int lin_result_ready_to(const lineage_result *r, int level)
{
	/* the result was created non-const by the engine: finishing it is allowed */
	lineage_result *w = (lineage_result *)(uintptr_t)r;
	int rc = 0, now;
	if (atomic_load_explicit(&r->ready, memory_order_acquire) >= level)
		return 0;
	pthread_mutex_lock(&lazy_mutex);
	now = atomic_load_explicit(&r->ready, memory_order_relaxed);
	if (now < level && w->lazy && w->lazy->failed)
		rc = lin_error_set(w->lazy->failed, "the result could not be finished: out of memory");
	if (!rc && now < LIN_READY_COUNTS && level >= LIN_READY_COUNTS && !(rc = collect(w)))
		now = LIN_READY_COUNTS;
	if (!rc && now < LIN_READY_NODES && level >= LIN_READY_NODES && !(rc = finish_nodes(w)))
		now = LIN_READY_NODES;
	if (!rc && now < LIN_READY_ALL && level >= LIN_READY_ALL && !(rc = finish_edges(w)))
		now = LIN_READY_ALL;
	atomic_store_explicit(&w->ready, now, memory_order_release);
	pthread_mutex_unlock(&lazy_mutex);
	return rc;
}

void lin_lazy_release(lineage_result *res)
{
	lin_lazy *z = res->lazy;
	if (!z)
		return;
	pthread_mutex_lock(&lazy_mutex);
	if (z->g)
		unlink_lazy(z);
	pthread_mutex_unlock(&lazy_mutex);
	lazy_free(z);
	res->lazy = NULL;
}
