/*
 * The C side of bench_binding.py: the same downstream(depth) queries, on the same roots,
 * timed in C, so the binding's overhead is a ratio over identical work.
 *
 *   c_downstream DB KEYS_FILE DEPTH ROUNDS
 *
 * Prints one JSON object: p50/p95 in microseconds of lineage_query_downstream() alone
 * ("query") and followed by lineage_result_to_json() ("query_json", what the Python
 * binding does when the nodes are read). The first query (which builds the engine) is
 * not timed.
 */
#include <lineage/lineage.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double pct(double *v, size_t n, double p)
{
	size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: %s DB KEYS_FILE DEPTH ROUNDS\n", argv[0]);
		return 2;
	}
	int depth = atoi(argv[3]), rounds = atoi(argv[4]);
	FILE *f = fopen(argv[2], "r");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	char **keys = NULL;
	size_t nkeys = 0, cap = 0;
	char line[8192];
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		if (nkeys == cap) {
			cap = cap ? cap * 2 : 256;
			char **p = realloc(keys, cap * sizeof *keys);
			if (!p)
				return 1;
			keys = p;
		}
		keys[nkeys++] = strdup(line);
	}
	fclose(f);
	if (!nkeys || rounds < 1)
		return 1;

	lineage_db *db = NULL;
	lineage_open_options oo;
	lineage_open_options_init(&oo, LINEAGE_OPEN_OPTIONS_VERSION);
	oo.flags = LINEAGE_OPEN_READONLY;
	if (lineage_db_open(&db, argv[1], &oo) != 0) {
		fprintf(stderr, "open: %s\n", lineage_error_last()->message);
		return 1;
	}
	lineage_query_options qo;
	lineage_query_options_init(&qo, LINEAGE_QUERY_OPTIONS_VERSION);
	qo.max_depth = depth;

	size_t n = nkeys * (size_t)rounds;
	double *q = malloc(n * sizeof *q), *qj = malloc(n * sizeof *qj);
	double nodes = 0;
	lineage_result *res = NULL;
	double t0 = now_us();
	if (lineage_query_downstream(&res, db, keys[0], &qo) != 0) { /* builds the engine */
		fprintf(stderr, "query: %s\n", lineage_error_last()->message);
		return 1;
	}
	double warm = now_us() - t0;
	lineage_result_free(res);
	for (int r = 0; r < rounds; r++) {
		for (size_t i = 0; i < nkeys; i++) {
			size_t k = (size_t)r * nkeys + i;
			double a = now_us();
			if (lineage_query_downstream(&res, db, keys[i], &qo) != 0) {
				fprintf(stderr, "query %s: %s\n", keys[i], lineage_error_last()->message);
				return 1;
			}
			double b = now_us();
			char *json = NULL;
			lineage_result_to_json(&json, res, LINEAGE_JSON_PLAIN);
			double c = now_us();
			nodes += (double)lineage_result_node_count(res);
			lineage_free(json);
			lineage_result_free(res);
			q[k] = b - a;
			qj[k] = c - a;
		}
	}
	qsort(q, n, sizeof *q, cmp_double);
	qsort(qj, n, sizeof *qj, cmp_double);
	printf("{\"queries\": %zu, \"warmup_ms\": %.1f, \"mean_nodes\": %.1f, "
	       "\"query_p50_us\": %.1f, \"query_p95_us\": %.1f, "
	       "\"query_json_p50_us\": %.1f, \"query_json_p95_us\": %.1f}\n",
	       n, warm / 1000.0, nodes / (double)n, pct(q, n, 50), pct(q, n, 95), pct(qj, n, 50),
	       pct(qj, n, 95));
	lineage_db_close(db);
	for (size_t i = 0; i < nkeys; i++)
		free(keys[i]);
	free(keys);
	free(q);
	free(qj);
	return 0;
}
