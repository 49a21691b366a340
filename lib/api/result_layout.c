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

/*
 * Layers for the layered drawing: edges that close a cycle (back edges of an iterative
 * DFS) are set aside, then each vertex goes one layer after its deepest predecessor
 * (longest path in topological order). O(n + m), no recursion.
 */
static int layering(int32_t n, const int32_t *edges, int32_t m, int32_t *layer)
{
	int32_t *off = calloc((size_t)n + 1, sizeof *off), *adj = malloc((size_t)(m ? m : 1) * sizeof *adj);
	int32_t *pos = malloc((size_t)n * sizeof *pos), *stack = malloc((size_t)n * sizeof *stack);
	int32_t *indeg = calloc((size_t)n, sizeof *indeg), *queue = malloc((size_t)n * sizeof *queue);
	uint8_t *state = calloc((size_t)n, 1), *back = calloc((size_t)(m ? m : 1), 1);
	int rc = 0;
	if (!off || !adj || !pos || !stack || !indeg || !queue || !state || !back) {
		rc = lin_error_oom();
		goto done;
	}
	for (int32_t e = 0; e < m; e++)
		off[edges[2 * e] + 1]++;
	for (int32_t v = 0; v < n; v++)
		off[v + 1] += off[v];
	memcpy(pos, off, (size_t)n * sizeof *pos);
	for (int32_t e = 0; e < m; e++)
		adj[pos[edges[2 * e]]++] = e;
	/* back edges: to a vertex still on the DFS stack (state 1) */
	for (int32_t root = 0; root < n; root++) {
		int32_t sp = 0;
		if (state[root])
			continue;
		state[root] = 1;
		pos[root] = off[root];
		stack[sp++] = root;
		while (sp) {
			int32_t v = stack[sp - 1];
			if (pos[v] < off[v + 1]) {
				int32_t e = adj[pos[v]++], w = edges[2 * e + 1];
				if (state[w] == 1)
					back[e] = 1;
				else if (state[w] == 0) {
					state[w] = 1;
					pos[w] = off[w];
					stack[sp++] = w;
				}
			} else {
				state[v] = 2;
				sp--;
			}
		}
	}
	for (int32_t e = 0; e < m; e++)
		if (!back[e])
			indeg[edges[2 * e + 1]]++;
	{
		int32_t qh = 0, qt = 0;
		for (int32_t v = 0; v < n; v++) {
			layer[v] = 0;
			if (!indeg[v])
				queue[qt++] = v;
		}
		while (qh < qt) {
			int32_t v = queue[qh++];
			for (int32_t k = off[v]; k < off[v + 1]; k++) {
				int32_t e = adj[k], w = edges[2 * e + 1];
				if (back[e])
					continue;
				if (layer[v] + 1 > layer[w])
					layer[w] = layer[v] + 1;
				if (--indeg[w] == 0)
					queue[qt++] = w;
			}
		}
	}
done:
	free(off);
	free(adj);
	free(pos);
	free(stack);
	free(indeg);
	free(queue);
	free(state);
	free(back);
	return rc;
}

int lineage_result_layout(lineage_result *result, lineage_layout layout)
{
	keyed *byk = NULL;
	int32_t *uid = NULL, *edges = NULL, *layers = NULL, nu = 0, m = 0;
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
	if (nu > 0 && layout == LINEAGE_LAYOUT_LAYERED) {
		layers = malloc((size_t)nu * sizeof *layers);
		if (!layers) {
			rc = lin_error_oom();
			goto done;
		}
		if ((rc = layering(nu, edges, m, layers)))
			goto done;
	}
	if (nu > 0 && (rc = lin_ig_layout(nu, edges, m, layers, layout, upos)))
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
	free(layers);
	free(upos);
	return rc;
}
