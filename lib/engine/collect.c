/*
 * The traversed edges of a reach, found again from its vertices: a traversal first only
 * discovers the assets (what the closure is), and the edges and their confidences are
 * collected when a caller asks for them. Reads the graph and nothing else of it (no scratch
 * marks), so that it may run on a thread reading a result while the handle runs queries.
 */
#include <stdlib.h>

#include "common/error.h"
#include "queries.h"
#include "reach.h"

/* vertex -> index in the reach: open addressing over a power of two, key + 1 (0 = empty) */
typedef struct vmap {
	struct vmap_cell {
		int32_t key, val;
	} *a;
	uint32_t mask;
} vmap;

static uint32_t vmap_slot(int32_t v, uint32_t mask)
{
	return ((uint32_t)v * 0x9E3779B1u) & mask;
}

static int vmap_build(vmap *m, const lin_reach *r)
{
	uint32_t cap = 16;
	while (cap < 2 * (uint32_t)r->n)
		cap *= 2;
	m->a = calloc(cap, sizeof *m->a);
	if (!m->a)
		return lin_error_oom();
	m->mask = cap - 1;
	for (int32_t i = 0; i < r->n; i++) {
		uint32_t k = vmap_slot(r->vert[i], m->mask);
		while (m->a[k].key)
			k = (k + 1) & m->mask;
		m->a[k].key = r->vert[i] + 1;
		m->a[k].val = i;
	}
	return 0;
}

static int32_t vmap_get(const vmap *m, int32_t v)
{
	for (uint32_t k = vmap_slot(v, m->mask); m->a[k].key; k = (k + 1) & m->mask)
		if (m->a[k].key == v + 1)
			return m->a[k].val;
	return LIN_NONE;
}

/*
 * The edges out of each expanded vertex (all but those at the depth limit) to vertices of
 * the reach, as the walk met them. With ROLLUP, parallel column edges of one kind from a
 * vertex to the same asset collapse into one record (highest confidence and source).
 */
int lin_reach_collect(lin_reach *r, const lin_graph *g, int out, const lin_filter *f)
{
	int rollup = f->columns == LINEAGE_COLUMNS_ROLLUP;
	int32_t *last_from = NULL, *last_rec = NULL; /* ROLLUP: per vertex, latest record to it */
	lin_vadj va = {0};
	vmap m = {NULL, 0};
	int rc;
	r->nt = 0;
	r->min_t_conf = 1.0;
	if ((rc = vmap_build(&m, r)))
		return rc;
	if (rollup) {
		last_from = malloc((size_t)r->n * sizeof *last_from);
		last_rec = malloc((size_t)r->n * sizeof *last_rec);
		if (!last_from || !last_rec) {
			rc = lin_error_oom();
			goto done;
		}
		for (int32_t i = 0; i < r->n; i++)
			last_from[i] = LIN_NONE;
	}
	for (int32_t head = 0; head < r->n; head++) {
		int32_t s, t;
		r->e_beg[head] = r->e_end[head] = r->nt;
		if (f->max_depth > 0 && r->dist[head] >= f->max_depth)
			continue;
		lin_vadj_start(&va, g, f, r->vert[head], out);
		while ((s = lin_vadj_next(&va, &t)) != LIN_NONE) {
			const lin_edge_attr *a = &g->e_attr[s];
			int32_t j = vmap_get(&m, t);
			if (j == LIN_NONE)
				continue; /* beyond max_nodes */
			if (rollup && last_from[j] == head) {
				int32_t k = last_rec[j];
				if (g->e_attr[r->t_slot[k]].kind == a->kind) {
					if (a->conf > r->t_conf[k])
						r->t_conf[k] = a->conf;
					if (a->source > r->t_source[k])
						r->t_source[k] = a->source;
					continue;
				}
			}
			if (rollup) {
				last_from[j] = head;
				last_rec[j] = r->nt;
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
	free(m.a);
	free(last_from);
	free(last_rec);
	return rc;
}
