/* The reached part of a traversal, and its best-product confidences. */
#include "reach.h"

#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "lineage/errors.h"

static int grow_vertices(lin_reach *r, int64_t need)
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

static int grow_records(lin_reach *r, int64_t need)
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
	memset(r, 0, sizeof *r);
	r->gen = lin_graph_new_gen(g);
	r->min_t_conf = 1.0;
	if (expect < 16)
		expect = 16;
	return grow_vertices(r, expect);
}

void lin_reach_free(lin_reach *r)
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

int32_t lin_reach_add(lin_reach *r, lin_graph *g, int32_t v, int32_t dist)
{
	int rc;
	int32_t i = r->n;
	if (i == r->cap && (rc = grow_vertices(r, (int64_t)i + 1)))
		return rc;
	g->mark[v] = r->gen;
	g->s_a[v] = i;
	r->vert[i] = v;
	r->dist[i] = dist;
	r->e_beg[i] = r->e_end[i] = 0;
	r->n++;
	return i;
}

int lin_reach_record(lin_reach *r, int32_t slot, int32_t to, double conf, int source)
{
	int rc;
	int32_t k = r->nt;
	if (k == r->cap_t && (rc = grow_records(r, (int64_t)k + 1)))
		return rc;
	r->t_slot[k] = slot;
	r->t_to[k] = to;
	r->t_conf[k] = conf;
	r->t_source[k] = (uint8_t)source;
	if (conf < r->min_t_conf)
		r->min_t_conf = conf;
	r->nt++;
	return 0;
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

int lin_reach_confidence(lin_reach *r)
{
	heap h = {NULL, 0, 0};
	int32_t *lane = NULL, lane_head = 0, lane_tail = 0;
	uint8_t *done = NULL;
	int rc = 0;
	free(r->conf);
	r->conf = malloc((size_t)(r->n ? r->n : 1) * sizeof *r->conf);
	if (!r->conf)
		return lin_error_oom();
	if (r->min_t_conf >= 1.0) {
		/* Every traversed edge is certain: nothing to compute. */
		for (int32_t i = 0; i < r->n; i++)
			r->conf[i] = 1.0;
		return 0;
	}
	lane = malloc((size_t)(r->n ? r->n : 1) * sizeof *lane);
	done = calloc((size_t)(r->n ? r->n : 1), 1);
	if (!lane || !done) {
		rc = lin_error_oom();
		goto done;
	}
	/*
	 * Dijkstra for the maximum product. Confidence-1 edges keep the label of the vertex
	 * being settled, which is the current maximum, so their targets go to a FIFO lane
	 * that is settled before the heap: the heap only sees labels that actually drop.
	 */
	for (int32_t i = 0; i < r->n; i++) {
		r->conf[i] = r->dist[i] == 0 ? 1.0 : 0.0;
		if (r->dist[i] == 0)
			lane[lane_tail++] = i;
	}
	for (;;) {
		int32_t i;
		if (lane_head < lane_tail) {
			i = lane[lane_head++];
		} else if (h.n) {
			heap_item it = heap_pop(&h);
			i = it.i;
			if (it.c < r->conf[i])
				continue;
		} else {
			break;
		}
		if (done[i])
			continue;
		done[i] = 1;
		for (int32_t k = r->e_beg[i]; k < r->e_end[i]; k++) {
			int32_t j = r->t_to[k];
			double c = r->conf[i] * r->t_conf[k];
			if (done[j] || c <= r->conf[j])
				continue;
			r->conf[j] = c;
			if (r->t_conf[k] >= 1.0) {
				if (lane_tail < r->n) /* else j is already queued at this label */
					lane[lane_tail++] = j;
				else if ((rc = heap_push(&h, c, j)))
					goto done;
			} else if ((rc = heap_push(&h, c, j))) {
				goto done;
			}
		}
	}
done:
	free(h.a);
	free(lane);
	free(done);
	return rc;
}
