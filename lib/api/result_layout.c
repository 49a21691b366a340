/* lineage_result_layout: positions for a result's nodes, computed by igraph on a small
 * graph made of the result (an asset listed several times, as on several paths, is one
 * vertex and its copies share its position). */
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "engine/igraph_glue.h"
#include "engine/result.h"

#define LAYOUT_MAX_NODES 20000

typedef struct keyed {
	const char *key;
	size_t i;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

int lineage_result_layout(lineage_result *result, lineage_layout layout)
{
	keyed *byk = NULL;
	int32_t *uid = NULL, *edges = NULL, nu = 0, m = 0;
	double *upos = NULL, *pos = NULL;
	size_t n;
	int rc = 0;
	if (!result)
		return lin_error_set(LINEAGE_EINVALID, "lineage_result_layout needs a result");
	if ((int)layout < LINEAGE_LAYOUT_LAYERED || (int)layout > LINEAGE_LAYOUT_CIRCLE)
		return lin_error_set(LINEAGE_EINVALID, "layout %d is unknown: use LINEAGE_LAYOUT_LAYERED, _FORCE, _GRID or _CIRCLE", (int)layout);
	if ((rc = lin_result_ready(result)))
		return rc;
	n = result->n_nodes;
	if (n > LAYOUT_MAX_NODES)
		return lin_error_set(LINEAGE_ELIMIT, "the result has %zu nodes; layouts are computed for at most %d: narrow the query (max_depth, max_nodes, kinds)", n, LAYOUT_MAX_NODES);
	pos = calloc(2 * (n ? n : 1), sizeof *pos);
	byk = malloc((n ? n : 1) * sizeof *byk);
	uid = malloc((n ? n : 1) * sizeof *uid);
	edges = malloc(2 * (result->n_edges ? result->n_edges : 1) * sizeof *edges);
	upos = calloc(2 * (n ? n : 1), sizeof *upos);
	if (!pos || !byk || !uid || !edges || !upos) {
		rc = lin_error_oom();
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		byk[i].key = result->nodes[i].key;
		byk[i].i = i;
	}
	qsort(byk, n, sizeof *byk, cmp_keyed);
	for (size_t k = 0; k < n; k++) {
		if (k == 0 || strcmp(byk[k].key, byk[k - 1].key) != 0)
			nu++;
		uid[byk[k].i] = nu - 1;
	}
	for (size_t e = 0; e < result->n_edges; e++) {
		int32_t a = result->edge_ends[2 * e], b = result->edge_ends[2 * e + 1];
		if (a < 0 || b < 0)
			continue;
		edges[2 * m] = uid[a];
		edges[2 * m + 1] = uid[b];
		m++;
	}
	if (nu > 0 && (rc = lin_ig_layout(nu, edges, m, layout, upos)))
		goto done;
	for (size_t i = 0; i < n; i++) {
		pos[2 * i] = upos[2 * uid[i]];
		pos[2 * i + 1] = upos[2 * uid[i] + 1];
	}
	free(result->pos);
	result->pos = pos;
	pos = NULL;
done:
	free(pos);
	free(byk);
	free(uid);
	free(edges);
	free(upos);
	return rc;
}
