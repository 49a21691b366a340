/* Layers for the layered drawing of a small graph. */
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "igraph_glue.h"

/*
 * Layers for the layered drawing: edges that close a cycle (back edges of an iterative
 * DFS) are set aside, then each vertex goes one layer after its deepest predecessor
 * (longest path in topological order). O(n + m), no recursion.
 */
int lin_layering(int32_t n, const int32_t *edges, int32_t m, int32_t *layer)
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
