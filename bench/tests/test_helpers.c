/* Tests of the benchmark helpers: statistics, flags, JSON strings, the warehouse generator
 * and the two baselines (CSR BFS and recursive CTE) on a hand-made graph. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "baseline.h"
#include "lbench.h"
#include "warehouse.h"

/* ---- statistics ---- */

START_TEST(percentiles_nearest_rank)
{
	lbench_samples s = LBENCH_SAMPLES_INIT;
	ck_assert_double_eq(lbench_percentile(&s, 50), 0);
	ck_assert_double_eq(lbench_mean(&s), 0);
	for (int i = 100; i >= 1; i--)
		ck_assert_int_eq(lbench_samples_add(&s, i), 0);
	ck_assert_double_eq(lbench_percentile(&s, 50), 50);
	ck_assert_double_eq(lbench_percentile(&s, 99), 99);
	ck_assert_double_eq(lbench_percentile(&s, 100), 100);
	ck_assert_double_eq(lbench_percentile(&s, 0), 1);
	ck_assert_double_eq(lbench_min(&s), 1);
	ck_assert_double_eq(lbench_max(&s), 100);
	ck_assert_double_eq(lbench_sum(&s), 5050);
	ck_assert_double_eq(lbench_mean(&s), 50.5);
	/* The samples keep their order. */
	ck_assert_double_eq(s.v[0], 100);
	lbench_samples_free(&s);
	ck_assert_uint_eq(s.n, 0);

	ck_assert_int_eq(lbench_samples_add(&s, 1), 0);
	ck_assert_int_eq(lbench_samples_add(&s, 2), 0);
	ck_assert_int_eq(lbench_samples_add(&s, 3), 0);
	ck_assert_int_eq(lbench_samples_add(&s, 4), 0);
	ck_assert_double_eq(lbench_percentile(&s, 50), 2);
	lbench_samples_free(&s);
}
END_TEST

START_TEST(timer_and_memory)
{
	uint64_t a = lbench_now_ns(), b = lbench_now_ns();
	char *big;
	long before, after;
	ck_assert_uint_ge(b, a);
	ck_assert(lbench_ms(a, b) >= 0);
	ck_assert_double_eq(lbench_ms(1000000, 3000000), 2.0);
	before = lbench_peak_rss_kib();
	ck_assert_int_gt(before, 0);
	ck_assert_int_gt(lbench_current_rss_kib(), 0);
	/* Touch 64 MiB: the peak grows by about that much. */
	big = malloc(64u << 20);
	ck_assert_ptr_nonnull(big);
	for (size_t i = 0; i < (64u << 20); i += 4096)
		((volatile char *)big)[i] = 1;
	after = lbench_peak_rss_kib();
	ck_assert_int_ge(after, before + 60 * 1024);
	ck_assert_int_eq(((volatile char *)big)[4096], 1);
	free(big);
	/* After a reset the peak is the current RSS (freed memory may stay resident: ASan). */
	if (lbench_reset_peak_rss() == 0)
		ck_assert_int_le(lbench_peak_rss_kib(), lbench_current_rss_kib() + 4096);
}
END_TEST

/* ---- flags ---- */

typedef struct fl {
	long long n;
	double x;
	const char *s;
	int b;
} fl;

static int parse(fl *v, int argc, const char **argv)
{
	const lbench_flag flags[] = {
		{"count", LBENCH_FLAG_INT, &v->n, "a count"},
		{"ratio", LBENCH_FLAG_DOUBLE, &v->x, "a ratio"},
		{"name", LBENCH_FLAG_STRING, &v->s, "a name"},
		{"on", LBENCH_FLAG_BOOL, &v->b, "a switch"},
	};
	memset(v, 0, sizeof *v);
	return lbench_flags_parse(argc, (char **)argv, flags, 4, "test");
}

START_TEST(flags_parse_values)
{
	fl v;
	const char *ok[] = {"prog", "--count", "12", "--ratio=0.5", "--name", "x.db", "--on"};
	ck_assert_int_eq(parse(&v, 7, ok), 0);
	ck_assert_int_eq(v.n, 12);
	ck_assert_double_eq(v.x, 0.5);
	ck_assert_str_eq(v.s, "x.db");
	ck_assert_int_eq(v.b, 1);
	{
		const char *none[] = {"prog"};
		ck_assert_int_eq(parse(&v, 1, none), 0);
		ck_assert_int_eq(v.n, 0);
	}
}
END_TEST

START_TEST(flags_reject_bad_input)
{
	fl v;
	const char *unknown[] = {"prog", "--nope"};
	const char *missing[] = {"prog", "--count"};
	const char *notint[] = {"prog", "--count", "12x"};
	const char *notnum[] = {"prog", "--ratio=abc"};
	const char *positional[] = {"prog", "file.db"};
	const char *boolval[] = {"prog", "--on=1"};
	const char *prefix[] = {"prog", "--coun", "1"};
	ck_assert_int_eq(parse(&v, 2, unknown), -1);
	ck_assert_int_eq(parse(&v, 2, missing), -1);
	ck_assert_int_eq(parse(&v, 3, notint), -1);
	ck_assert_int_eq(parse(&v, 2, notnum), -1);
	ck_assert_int_eq(parse(&v, 2, positional), -1);
	ck_assert_int_eq(parse(&v, 2, boolval), -1);
	ck_assert_int_eq(parse(&v, 3, prefix), -1);
}
END_TEST

START_TEST(flags_help)
{
	fl v;
	const char *help[] = {"prog", "--help"};
	ck_assert_int_eq(parse(&v, 2, help), 1);
}
END_TEST

START_TEST(json_string_escapes)
{
	char buf[128] = {0};
	FILE *f = fmemopen(buf, sizeof buf - 1, "w");
	ck_assert_ptr_nonnull(f);
	lbench_json_string(f, "a\"b\\c\nd");
	fclose(f);
	ck_assert_str_eq(buf, "\"a\\\"b\\\\c\\u000ad\"");
}
END_TEST

/* ---- the warehouse generator ---- */

static lbench_warehouse *make(size_t assets, uint64_t seed)
{
	lbench_wh_params p;
	lbench_warehouse *wh = NULL;
	lbench_wh_params_init(&p);
	p.assets = assets;
	p.seed = seed;
	ck_assert_int_eq(lbench_warehouse_generate(&wh, &p), 0);
	ck_assert_ptr_nonnull(wh);
	return wh;
}

START_TEST(generator_defaults_and_limits)
{
	lbench_wh_params p;
	lbench_warehouse *wh = (lbench_warehouse *)1;
	lbench_wh_params_init(&p);
	ck_assert_uint_eq(p.assets, 1000000);
	ck_assert_double_eq(p.edges_per_asset, 3.0);
	p.assets = 99;
	ck_assert_int_eq(lbench_warehouse_generate(&wh, &p), -1);
	ck_assert_ptr_null(wh);
	lbench_warehouse_free(NULL);
	ck_assert_str_eq(lbench_wh_kind_name(5), "column");
	ck_assert_str_eq(lbench_wh_kind_name(200), "unknown");
	ck_assert_str_eq(lbench_wh_layer_name(LBENCH_LAYER_MART), "mart");
	ck_assert_str_eq(lbench_wh_edge_kind_name(1), "incremental");
	ck_assert_str_eq(lbench_wh_ttype_name(0), "copy");
}
END_TEST

START_TEST(generator_is_deterministic)
{
	lbench_warehouse *a = make(20000, 7), *b = make(20000, 7), *c = make(20000, 8);
	ck_assert_uint_eq(a->asset_count, b->asset_count);
	ck_assert_uint_eq(a->edge_count, b->edge_count);
	ck_assert_uint_eq(a->keys_len, b->keys_len);
	ck_assert_int_eq(memcmp(a->keys, b->keys, a->keys_len), 0);
	ck_assert_int_eq(memcmp(a->edges, b->edges, a->edge_count * sizeof *a->edges), 0);
	ck_assert(c->edge_count != a->edge_count ||
		  memcmp(c->edges, a->edges, a->edge_count * sizeof *a->edges) != 0);
	lbench_warehouse_free(a);
	lbench_warehouse_free(b);
	lbench_warehouse_free(c);
}
END_TEST

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

START_TEST(generator_shape)
{
	lbench_warehouse *wh = make(50000, 42);
	size_t cols = 0, layers[LBENCH_LAYER_COUNT] = {0};
	uint64_t *ids;
	size_t inferred = 0, manual = 0, approved = 0;
	/* About the asked size, with about 3 edges per asset. */
	ck_assert_uint_ge(wh->asset_count, 45000);
	ck_assert_uint_le(wh->asset_count, 55000);
	ck_assert_uint_ge(wh->edge_count, 2 * wh->asset_count);
	ck_assert_uint_le(wh->edge_count, 4 * wh->asset_count);
	ck_assert_uint_eq(wh->edge_count, wh->table_edge_count + wh->column_edge_count);
	ck_assert_uint_gt(wh->cycle_edge_count, 0);
	ck_assert_uint_gt(wh->self_loop_count, 0);
	/* Hubs: a heavy tail of consumers. */
	ck_assert_uint_ge(wh->max_consumers, 50);
	for (size_t i = 0; i < wh->asset_count; i++) {
		const lbench_wh_asset *a = &wh->assets[i];
		const char *key = lbench_wh_key(wh, i);
		/* Parents come first, and keys extend their parent's key. */
		ck_assert_int_lt(a->parent, (int32_t)i);
		if (a->parent >= 0) {
			const char *pk = lbench_wh_key(wh, (size_t)a->parent);
			ck_assert_int_eq(strncmp(key, pk, strlen(pk)), 0);
			ck_assert_int_eq(key[strlen(pk)], '.');
		}
		if (strcmp(lbench_wh_kind_name(a->kind), "column") == 0) {
			cols++;
			ck_assert_int_ge(a->parent, 0);
		}
		layers[a->layer]++;
	}
	ck_assert_uint_eq(cols, wh->column_count);
	ck_assert_uint_gt(cols, wh->asset_count / 2);
	for (int l = LBENCH_LAYER_SOURCE; l < LBENCH_LAYER_COUNT; l++)
		ck_assert_uint_gt(layers[l], 0);
	/* Keys are unique. */
	{
		uint64_t *h = malloc(wh->asset_count * sizeof *h);
		ck_assert_ptr_nonnull(h);
		for (size_t i = 0; i < wh->asset_count; i++) {
			const unsigned char *k = (const unsigned char *)lbench_wh_key(wh, i);
			uint64_t x = 1469598103934665603ULL;
			for (; *k; k++)
				x = (x ^ *k) * 1099511628211ULL;
			h[i] = x;
		}
		qsort(h, wh->asset_count, sizeof *h, cmp_u64);
		for (size_t i = 1; i < wh->asset_count; i++)
			ck_assert(h[i] != h[i - 1]);
		free(h);
	}
	/* Edges: valid ends, no duplicate identity, column edges join columns, table edges
	 * join non-columns, a self-loop only of kind "incremental". */
	ids = malloc(wh->edge_count * sizeof *ids);
	ck_assert_ptr_nonnull(ids);
	for (size_t i = 0; i < wh->edge_count; i++) {
		const lbench_wh_edge *e = &wh->edges[i];
		int sc, tc;
		ck_assert_uint_lt(e->source, wh->asset_count);
		ck_assert_uint_lt(e->target, wh->asset_count);
		sc = strcmp(lbench_wh_kind_name(wh->assets[e->source].kind), "column") == 0;
		tc = strcmp(lbench_wh_kind_name(wh->assets[e->target].kind), "column") == 0;
		ck_assert_int_eq(sc, e->is_column);
		ck_assert_int_eq(tc, e->is_column);
		if (e->source == e->target)
			ck_assert_int_eq(e->kind, 1);
		ck_assert(e->confidence >= 0 && e->confidence <= 1);
		if (e->lsource == LINEAGE_SOURCE_INFERRED)
			inferred++;
		else if (e->lsource == LINEAGE_SOURCE_MANUAL)
			manual++;
		else if (e->lsource == LINEAGE_SOURCE_APPROVED)
			approved++;
		/* The identity (source, target, kind, job); kind is implied: only self-loops
		 * are "incremental", and those are never another edge's ends. */
		ck_assert_uint_lt(wh->asset_count, 1u << 21);
		ids[i] = ((uint64_t)e->source << 42) | ((uint64_t)e->target << 21) |
			 (uint64_t)(e->job + 1);
	}
	ck_assert_uint_eq(inferred + manual + approved, wh->edge_count);
	ck_assert_uint_gt(inferred, manual);
	ck_assert_uint_gt(manual, 0);
	ck_assert_uint_gt(approved, 0);
	qsort(ids, wh->edge_count, sizeof *ids, cmp_u64);
	for (size_t i = 1; i < wh->edge_count; i++)
		ck_assert(ids[i] != ids[i - 1]);
	free(ids);
	lbench_warehouse_free(wh);
}
END_TEST

/* ---- the baselines, on a hand-made graph in the store's schema ---- */

static sqlite3 *graph_db(void)
{
	sqlite3 *db = NULL;
	/* 1 -> 2 -> 3 -> 4 -> 2 (a cycle), 1 -> 5, 5 -> 5 (self-loop), 6 isolated,
	 * 3 -> 7 rejected (status 1), 8 -> 1. */
	const char *sql =
		"CREATE TABLE assets(id INTEGER PRIMARY KEY, key TEXT);"
		"CREATE TABLE edges(id INTEGER PRIMARY KEY, source_id INTEGER, target_id INTEGER,"
		" status INTEGER NOT NULL DEFAULT 0);"
		"CREATE INDEX e_s ON edges(source_id); CREATE INDEX e_t ON edges(target_id);"
		"INSERT INTO edges(source_id, target_id, status) VALUES"
		" (1,2,0),(2,3,0),(3,4,0),(4,2,0),(1,5,0),(5,5,0),(3,7,1),(8,1,0);";
	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	return db;
}

START_TEST(csr_closures)
{
	sqlite3 *db = graph_db();
	lbench_csr *g = NULL;
	const uint32_t *members = NULL;
	ck_assert_int_eq(lbench_csr_load(&g, db), 0);
	ck_assert_uint_eq(g->edges, 7); /* the rejected edge is out */
	ck_assert_uint_eq(g->nodes, 9);
	ck_assert_uint_eq(lbench_csr_closure(g, 1, LBENCH_DOWN, 0, &members), 5);
	ck_assert_uint_eq(members[0], 1);
	ck_assert_uint_eq(lbench_csr_closure(g, 1, LBENCH_DOWN, 1, NULL), 3);
	ck_assert_uint_eq(lbench_csr_closure(g, 1, LBENCH_DOWN, 2, NULL), 4);
	ck_assert_uint_eq(lbench_csr_closure(g, 8, LBENCH_DOWN, 3, NULL), 5);
	ck_assert_uint_eq(lbench_csr_closure(g, 3, LBENCH_DOWN, 0, NULL), 3); /* 3, 4, 2 */
	ck_assert_uint_eq(lbench_csr_closure(g, 3, LBENCH_UP, 0, NULL), 5);   /* 3,2,4,1,8 */
	ck_assert_uint_eq(lbench_csr_closure(g, 5, LBENCH_UP, 1, NULL), 2);   /* 5, 1 */
	ck_assert_uint_eq(lbench_csr_closure(g, 7, LBENCH_UP, 0, NULL), 1);
	ck_assert_uint_eq(lbench_csr_closure(g, 6, LBENCH_DOWN, 0, NULL), 1);
	ck_assert_uint_eq(lbench_csr_closure(g, 100, LBENCH_DOWN, 0, &members), 1);
	ck_assert_uint_eq(members[0], 100);
	lbench_csr_free(g);
	lbench_csr_free(NULL);
	sqlite3_close(db);
}
END_TEST

START_TEST(cte_agrees_with_csr)
{
	sqlite3 *db = graph_db();
	lbench_csr *g = NULL;
	lbench_cte cte;
	ck_assert_int_eq(lbench_csr_load(&g, db), 0);
	ck_assert_int_eq(lbench_cte_prepare(&cte, db), 0);
	for (int64_t root = 1; root <= 9; root++)
		for (int dir = 0; dir < 2; dir++)
			for (int depth = 0; depth <= 4; depth++) {
				size_t n = 0;
				ck_assert_int_eq(lbench_cte_closure(&n, &cte, root, dir, depth), 0);
				ck_assert_uint_eq(n, lbench_csr_closure(g, root, dir, depth, NULL));
			}
	lbench_cte_finalize(&cte);
	lbench_csr_free(g);
	sqlite3_close(db);
}
END_TEST

START_TEST(baselines_report_schema_errors)
{
	sqlite3 *db = NULL;
	lbench_csr *g = (lbench_csr *)1;
	lbench_cte cte;
	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	ck_assert_int_eq(lbench_csr_load(&g, db), -1);
	ck_assert_ptr_null(g);
	ck_assert_int_eq(lbench_cte_prepare(&cte, db), -1);
	sqlite3_close(db);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("bench_helpers");
	TCase *tc = tcase_create("helpers");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, percentiles_nearest_rank);
	tcase_add_test(tc, timer_and_memory);
	tcase_add_test(tc, flags_parse_values);
	tcase_add_test(tc, flags_reject_bad_input);
	tcase_add_test(tc, flags_help);
	tcase_add_test(tc, json_string_escapes);
	tcase_add_test(tc, generator_defaults_and_limits);
	tcase_add_test(tc, generator_is_deterministic);
	tcase_add_test(tc, generator_shape);
	tcase_add_test(tc, csr_closures);
	tcase_add_test(tc, cte_agrees_with_csr);
	tcase_add_test(tc, baselines_report_schema_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
