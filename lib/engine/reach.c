/* The reached part of a traversal, and its best-product confidences. */
#include "reach.h"

#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "lineage/errors.h"

int lin_reach_grow_vertices(lin_reach *r, int64_t need)
{
	int64_t cap = r->cap ? r->cap : 64;
	void *p;
	while (cap < need)
		cap *= 2;
	if (cap > INT32_MAX)
		return lin_error_set(LINEAGE_ELIMIT, "traversal too large");
#define GROW(f)                                                         \
	if (!(p = realloc(r->f, (size_t)cap * sizeof *r->f)))           \
		return lin_error_oom();                                 \
	r->f = p;
	GROW(vert) GROW(dist) GROW(e_beg) GROW(e_end)
#undef GROW
	r->cap = (int32_t)cap;
	return 0;
}

int lin_reach_grow_records(lin_reach *r, int64_t need)
{
	int64_t cap = r->cap_t ? r->cap_t : 256;
	void *p;
	while (cap < need)
		cap *= 2;
	if (cap > INT32_MAX)
		return lin_error_set(LINEAGE_ELIMIT, "traversal too large");
#define GROW(f)                                                         \
	if (!(p = realloc(r->f, (size_t)cap * sizeof *r->f)))           \
		return lin_error_oom();                                 \
	r->f = p;
	GROW(t_slot) GROW(t_to) GROW(t_conf) GROW(t_source)
#undef GROW
	r->cap_t = (int32_t)cap;
	return 0;
}

int lin_reach_init(lin_reach *r, lin_graph *g, int64_t expect)
{
	if (g->spare_reach) {
		*r = *g->spare_reach;
		free(g->spare_reach);
		g->spare_reach = NULL;
	} else {
		memset(r, 0, sizeof *r);
	}
	r->n = r->nt = 0;
	r->truncated = 0;
	r->gen = lin_graph_new_gen(g);
	r->min_t_conf = 1.0;
	if (expect < 16)
		expect = 16;
	return expect > r->cap ? lin_reach_grow_vertices(r, expect) : 0;
}

static void free_buffers(lin_reach *r)
{
	free(r->vert);
	free(r->dist);
	free(r->e_beg);
	free(r->e_end);
	free(r->conf);
	free(r->t_slot);
	free(r->t_to);
	free(r->t_conf);
	free(r->t_source);
	memset(r, 0, sizeof *r);
}

void lin_reach_free(lin_reach *r, lin_graph *g)
{
	if (g && !g->spare_reach && r->cap) {
		g->spare_reach = malloc(sizeof *g->spare_reach);
		if (g->spare_reach) {
			*g->spare_reach = *r;
			memset(r, 0, sizeof *r);
			return;
		}
	}
	free_buffers(r);
}

void lin_reach_shrink(lin_reach *r)
{
	int32_t n = r->n > 16 ? r->n : 16, nt = r->nt > 16 ? r->nt : 16;
	void *p;
	if (r->cap > 2 * n) {
#define SHRINK(f, c)                                                    \
	if ((p = realloc(r->f, (size_t)(c) * sizeof *r->f)) != NULL)    \
		r->f = p;
		SHRINK(vert, n) SHRINK(dist, n) SHRINK(e_beg, n) SHRINK(e_end, n)
		free(r->conf); /* allocated again at the right size when needed */
		r->conf = NULL;
		r->cap = n;
	}
	if (r->cap_t > 2 * nt) {
		SHRINK(t_slot, nt) SHRINK(t_to, nt) SHRINK(t_conf, nt) SHRINK(t_source, nt)
#undef SHRINK
		r->cap_t = nt;
	}
}

void lin_reach_spare_free(lin_graph *g)
{
	if (g->spare_reach) {
		free_buffers(g->spare_reach);
		free(g->spare_reach);
		g->spare_reach = NULL;
	}
}

/* A binary max-heap of (confidence, index) with lazy deletion. */
typedef struct heap_item {
	double c;
	int32_t i;
} heap_item;

typedef struct heap {
	heap_item *a;
	size_t n, cap;
} heap;

static int heap_push(heap *h, double c, int32_t i)
{
	size_t k;
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 256;
		heap_item *a = realloc(h->a, cap * sizeof *a);
		if (!a)
			return lin_error_oom();
		h->a = a;
		h->cap = cap;
	}
	k = h->n++;
	while (k > 0 && h->a[(k - 1) / 2].c < c) {
		h->a[k] = h->a[(k - 1) / 2];
		k = (k - 1) / 2;
	}
	h->a[k].c = c;
	h->a[k].i = i;
	return 0;
}

static heap_item heap_pop(heap *h)
{
	heap_item top = h->a[0], last = h->a[--h->n];
	size_t k = 0;
	for (;;) {
		size_t c = 2 * k + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->a[c + 1].c > h->a[c].c)
			c++;
		if (h->a[c].c <= last.c)
			break;
		h->a[k] = h->a[c];
		k = c;
	}
	if (h->n)
		h->a[k] = last;
	return top;
}

/*
 * Strongly connected components of the reached subgraph (iterative Tarjan over the
 * records): comp[i] for each vertex; members[] lists the vertices component by component,
 * components in reverse topological order (comp_start[c]..comp_start[c + 1]).
 */
typedef struct sccs {
	int32_t *comp, *members, *comp_start, n_comp;
} sccs;

static int tarjan(const lin_reach *r, sccs *out)
{
	int32_t n = r->n, idx = 0, sp = 0, cp = 0, filled = 0;
	int32_t *index = malloc((size_t)n * sizeof *index), *low = malloc((size_t)n * sizeof *low);
	int32_t *stack = malloc((size_t)n * sizeof *stack);
	int32_t *cs_v = malloc((size_t)n * sizeof *cs_v), *cs_k = malloc((size_t)n * sizeof *cs_k);
	uint8_t *on = calloc((size_t)n, 1);
	int rc = 0;
	out->comp = malloc((size_t)n * sizeof *out->comp);
	out->members = malloc((size_t)n * sizeof *out->members);
	out->comp_start = malloc(((size_t)n + 1) * sizeof *out->comp_start);
	out->n_comp = 0;
	if (!index || !low || !stack || !cs_v || !cs_k || !on || !out->comp || !out->members ||
	    !out->comp_start) {
		rc = lin_error_oom();
		goto done;
	}
	for (int32_t i = 0; i < n; i++)
		index[i] = -1;
	for (int32_t root = 0; root < n; root++) {
		if (index[root] != -1)
			continue;
		index[root] = low[root] = idx++;
		stack[sp++] = root;
		on[root] = 1;
		cs_v[cp] = root;
		cs_k[cp++] = r->e_beg[root];
		while (cp > 0) {
			int32_t v = cs_v[cp - 1], k = cs_k[cp - 1];
			if (k < r->e_end[v]) {
				int32_t w = r->t_to[k];
				cs_k[cp - 1]++;
				if (index[w] == -1) {
					index[w] = low[w] = idx++;
					stack[sp++] = w;
					on[w] = 1;
					cs_v[cp] = w;
					cs_k[cp++] = r->e_beg[w];
				} else if (on[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
				continue;
			}
			cp--;
			if (cp > 0 && low[v] < low[cs_v[cp - 1]])
				low[cs_v[cp - 1]] = low[v];
			if (low[v] == index[v]) {
				int32_t w;
				out->comp_start[out->n_comp] = filled;
				do {
					w = stack[--sp];
					on[w] = 0;
					out->comp[w] = out->n_comp;
					out->members[filled++] = w;
				} while (w != v);
				out->n_comp++;
			}
		}
	}
	out->comp_start[out->n_comp] = filled;
done:
	free(index);
	free(low);
	free(stack);
	free(cs_v);
	free(cs_k);
	free(on);
	return rc;
}

int lin_reach_confidence(lin_reach *r)
{
	heap h = {NULL, 0, 0};
	sccs sc = {NULL, NULL, NULL, 0};
	uint8_t *done = NULL;
	int rc = 0;
	{
		double *c = realloc(r->conf, (size_t)(r->cap ? r->cap : 1) * sizeof *c);
		if (!c)
			return lin_error_oom();
		r->conf = c;
	}
	for (int32_t i = 0; i < r->n; i++)
		r->conf[i] = r->dist[i] == 0 ? 1.0 : 0.0;
	if (r->min_t_conf >= 1.0) {
		/* Every traversed edge is certain: nothing to compute. */
		for (int32_t i = 0; i < r->n; i++)
			r->conf[i] = 1.0;
		return 0;
	}
	/*
	 * Components in topological order: a vertex alone in its component has its final
	 * label once the components before it are done (one relaxation of its edges); inside
	 * a cycle, Dijkstra settles the members from the labels they came in with (products
	 * of values in [0, 1] only drop, so the best label is final). Linear but for cycles.
	 */
	if ((rc = tarjan(r, &sc)))
		goto done;
	done = calloc((size_t)(r->n ? r->n : 1), 1);
	if (!done) {
		rc = lin_error_oom();
		goto done;
	}
	for (int32_t c = sc.n_comp - 1; c >= 0; c--) {
		int32_t first = sc.comp_start[c], end = sc.comp_start[c + 1];
		if (end - first == 1) {
			int32_t i = sc.members[first];
			double ci = r->conf[i];
			for (int32_t k = r->e_beg[i]; k < r->e_end[i]; k++) {
				int32_t j = r->t_to[k];
				double x = ci * r->t_conf[k];
				if (x > r->conf[j])
					r->conf[j] = x;
			}
			continue;
		}
		h.n = 0;
		for (int32_t m = first; m < end; m++) {
			int32_t i = sc.members[m];
			if (r->conf[i] > 0 && (rc = heap_push(&h, r->conf[i], i)))
				goto done;
		}
		while (h.n) {
			heap_item it = heap_pop(&h);
			int32_t i = it.i;
			if (done[i] || it.c < r->conf[i])
				continue;
			done[i] = 1;
			for (int32_t k = r->e_beg[i]; k < r->e_end[i]; k++) {
				int32_t j = r->t_to[k];
				double x = it.c * r->t_conf[k];
				if (x <= r->conf[j])
					continue;
				r->conf[j] = x;
				if (sc.comp[j] == c && (rc = heap_push(&h, x, j)))
					goto done;
			}
		}
	}
done:
	free(h.a);
	free(done);
	free(sc.comp);
	free(sc.members);
	free(sc.comp_start);
	return rc;
}
