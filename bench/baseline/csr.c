/* The plain array BFS over a CSR: the speed limit of an in-memory traversal. */
#include "baseline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pair {
	uint32_t s, t;
} pair;

static int read_edges(sqlite3 *db, pair **out, size_t *n, size_t *nodes)
{
	sqlite3_stmt *stmt = NULL;
	pair *v = NULL;
	size_t cap = 0, count = 0, maxid = 0;
	int rc = sqlite3_prepare_v2(db, LBENCH_SQL_ACTIVE_EDGES, -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		sqlite3_int64 s = sqlite3_column_int64(stmt, 0), t = sqlite3_column_int64(stmt, 1);
		if (s < 0 || t < 0 || s >= UINT32_MAX || t >= UINT32_MAX) {
			fprintf(stderr, "bench: asset id out of range for the CSR\n");
			goto fail_quiet;
		}
		if (count == cap) {
			size_t c = cap ? cap * 2 : 1u << 20;
			pair *p = realloc(v, c * sizeof *p);
			if (!p) {
				fprintf(stderr, "bench: out of memory reading edges\n");
				goto fail_quiet;
			}
			v = p;
			cap = c;
		}
		v[count].s = (uint32_t)s;
		v[count].t = (uint32_t)t;
		if ((size_t)s > maxid)
			maxid = (size_t)s;
		if ((size_t)t > maxid)
			maxid = (size_t)t;
		count++;
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(stmt);
	*out = v;
	*n = count;
	*nodes = maxid + 1;
	return 0;
fail:
	fprintf(stderr, "bench: reading edges: %s\n", sqlite3_errmsg(db));
fail_quiet:
	sqlite3_finalize(stmt);
	free(v);
	return -1;
}

int lbench_csr_load(lbench_csr **out, sqlite3 *db)
{
	lbench_csr *g = calloc(1, sizeof *g);
	pair *edges = NULL;
	size_t n = 0, nodes = 0;
	*out = NULL;
	if (!g || read_edges(db, &edges, &n, &nodes) != 0)
		goto fail;
	g->nodes = nodes;
	g->edges = n;
	for (int d = 0; d < 2; d++) {
		g->off[d] = calloc(nodes + 1, sizeof *g->off[d]);
		g->adj[d] = malloc((n ? n : 1) * sizeof *g->adj[d]);
		if (!g->off[d] || !g->adj[d])
			goto oom;
	}
	g->mark = calloc(nodes, sizeof *g->mark);
	g->queue = malloc(nodes * sizeof *g->queue);
	if (!g->mark || !g->queue)
		goto oom;
	/* Counting sort by source (down) and by target (up). */
	for (size_t i = 0; i < n; i++) {
		g->off[LBENCH_DOWN][edges[i].s + 1]++;
		g->off[LBENCH_UP][edges[i].t + 1]++;
	}
	for (int d = 0; d < 2; d++) {
		for (size_t v = 0; v < nodes; v++)
			g->off[d][v + 1] += g->off[d][v];
	}
	{
		uint32_t *pos = malloc(nodes * sizeof *pos);
		if (!pos)
			goto oom;
		for (int d = 0; d < 2; d++) {
			memcpy(pos, g->off[d], nodes * sizeof *pos);
			for (size_t i = 0; i < n; i++) {
				uint32_t from = d == LBENCH_DOWN ? edges[i].s : edges[i].t;
				uint32_t to = d == LBENCH_DOWN ? edges[i].t : edges[i].s;
				g->adj[d][pos[from]++] = to;
			}
		}
		free(pos);
	}
	free(edges);
	*out = g;
	return 0;
oom:
	fprintf(stderr, "bench: out of memory building the CSR\n");
fail:
	free(edges);
	lbench_csr_free(g);
	return -1;
}

size_t lbench_csr_closure(lbench_csr *g, int64_t root, int dir, int max_depth,
			  const uint32_t **members)
{
	static uint32_t lone;
	size_t head = 0, tail = 0, level_end;
	int depth = 0;
	const uint32_t *off = g->off[dir], *adj = g->adj[dir];
	if (root < 0 || (uint64_t)root >= g->nodes) {
		lone = root < 0 || root > UINT32_MAX ? 0 : (uint32_t)root;
		if (members)
			*members = &lone;
		return 1;
	}
	if (++g->stamp == 0) { /* wrapped: clear the stamps once every 4 billion calls */
		memset(g->mark, 0, g->nodes * sizeof *g->mark);
		g->stamp = 1;
	}
	g->mark[root] = g->stamp;
	g->queue[tail++] = (uint32_t)root;
	level_end = tail;
	while (head < tail) {
		uint32_t v;
		if (head == level_end) {
			depth++;
			level_end = tail;
		}
		if (max_depth > 0 && depth >= max_depth)
			break;
		v = g->queue[head++];
		for (uint32_t i = off[v]; i < off[v + 1]; i++) {
			uint32_t w = adj[i];
			if (g->mark[w] != g->stamp) {
				g->mark[w] = g->stamp;
				g->queue[tail++] = w;
			}
		}
	}
	if (members)
		*members = g->queue;
	return tail;
}

void lbench_csr_free(lbench_csr *g)
{
	if (!g)
		return;
	for (int d = 0; d < 2; d++) {
		free(g->off[d]);
		free(g->adj[d]);
	}
	free(g->mark);
	free(g->queue);
	free(g);
}
