/*
 * The C side of bench_binding.js: the same downstream(depth=3) calls through the C API, so
 * the binding's per-call overhead can be given as a ratio. Built by bench_binding.js with cc.
 *
 *   downstream_c pick DB N SEED       print N random asset keys (one per line)
 *   downstream_c time DB ROOTS REPEAT time each root REPEAT times; print one JSON line
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lineage/lineage.h>

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted samples. */
static double pct(const double *v, size_t n, double p)
{
	size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);
	if (rank < 1)
		rank = 1;
	return v[rank > n ? n - 1 : rank - 1];
}

static int pick(const char *db_path, int n, unsigned seed)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *max = NULL, *get = NULL;
	long long hi = 0;
	int rc = 1;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT max(id) FROM assets", -1, &max, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT key FROM assets WHERE id = ?", -1, &get, NULL) != SQLITE_OK) {
		fprintf(stderr, "downstream_c: %s\n", db ? sqlite3_errmsg(db) : "cannot open");
		goto done;
	}
	if (sqlite3_step(max) == SQLITE_ROW)
		hi = sqlite3_column_int64(max, 0);
	srand(seed);
	for (int found = 0, tries = 0; found < n && tries < n * 100; tries++) {
		long long id = 1 + (long long)(((double)rand() / ((double)RAND_MAX + 1)) * (double)hi);
		sqlite3_reset(get);
		sqlite3_bind_int64(get, 1, id);
		if (sqlite3_step(get) == SQLITE_ROW) {
			printf("%s\n", (const char *)sqlite3_column_text(get, 0));
			found++;
		}
	}
	rc = 0;
done:
	sqlite3_finalize(max);
	sqlite3_finalize(get);
	sqlite3_close(db);
	return rc;
}

static void report(const char *name, double *v, size_t n, int last)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	qsort(v, n, sizeof *v, cmp_double);
	printf("\"%s\":{\"p50_us\":%.3f,\"p99_us\":%.3f,\"mean_us\":%.3f}%s", name,
	       pct(v, n, 50) / 1e3, pct(v, n, 99) / 1e3, sum / (double)n / 1e3, last ? "" : ",");
}

static int time_roots(const char *db_path, const char *roots_path, int repeat)
{
	lineage_db *db = NULL;
	lineage_query_options q;
	char line[LINEAGE_KEY_MAX + 2];
	char **roots = NULL;
	size_t n = 0, cap = 0, total, k = 0;
	double *t_query = NULL, *t_read = NULL, *t_json = NULL, t0, sink = 0;
	FILE *f = fopen(roots_path, "r");
	int rc = 1;

	if (!f) {
		perror(roots_path);
		return 1;
	}
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			roots = realloc(roots, cap * sizeof *roots);
		}
		roots[n++] = strdup(line);
	}
	fclose(f);
	if (lineage_db_open(&db, db_path, NULL)) {
		fprintf(stderr, "downstream_c: %s\n", lineage_error_last()->message);
		goto done;
	}
	lineage_query_options_init(&q, LINEAGE_QUERY_OPTIONS_VERSION);
	q.max_depth = 3;
	total = n * (size_t)repeat;
	t_query = malloc(total * sizeof *t_query);
	t_json = malloc(total * sizeof *t_json);
	t_read = malloc(total * sizeof *t_read);
	/* The first query builds the engine: not part of the per-call figures. */
	t0 = now_ns();
	{
		lineage_result *r = NULL;
		lineage_query_downstream(&r, db, roots[0], &q);
		lineage_result_free(r);
	}
	printf("{\"first_query_ms\":%.1f,", (now_ns() - t0) / 1e6);
	for (int rep = 0; rep < repeat; rep++) {
		for (size_t i = 0; i < n; i++, k++) {
			lineage_result *r = NULL;
			char *json = NULL;
			double a = now_ns(), b, c, d;
			if (lineage_query_downstream(&r, db, roots[i], &q)) {
				fprintf(stderr, "downstream_c: %s\n", lineage_error_last()->message);
				goto done;
			}
			b = now_ns();
			/* What a C caller does with the answer: read every node and edge (this
			 * also finishes what the engine leaves for the first read). */
			for (size_t x = 0; x < lineage_result_node_count(r); x++) {
				const lineage_node *nd = lineage_result_node(r, x);
				sink += nd->distance + nd->confidence + (double)strlen(nd->key);
			}
			for (size_t x = 0; x < lineage_result_edge_count(r); x++) {
				const lineage_result_edge *e = lineage_result_edge_at(r, x);
				sink += e->confidence + (double)e->edge_id;
			}
			c = now_ns();
			lineage_result_to_json(&json, r, LINEAGE_JSON_PLAIN);
			d = now_ns();
			lineage_free(json);
			lineage_result_free(r);
			t_query[k] = b - a;
			t_read[k] = c - a;
			t_json[k] = d - a;
		}
	}
	printf("\"calls\":%zu,\"sink\":%g,", total, sink > 0 ? 1.0 : 0.0);
	report("c_query", t_query, total, 0);
	report("c_query_read", t_read, total, 0);
	report("c_query_json", t_json, total, 1);
	printf("}\n");
	rc = 0;
done:
	for (size_t i = 0; i < n; i++)
		free(roots[i]);
	free(roots);
	free(t_query);
	free(t_read);
	free(t_json);
	lineage_db_close(db);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "pick"))
		return pick(argv[2], atoi(argv[3]), (unsigned)strtoul(argv[4], NULL, 10));
	if (argc == 5 && !strcmp(argv[1], "time"))
		return time_roots(argv[2], argv[3], atoi(argv[4]));
	fprintf(stderr, "usage: downstream_c pick DB N SEED | downstream_c time DB ROOTS REPEAT\n");
	return 2;
}
