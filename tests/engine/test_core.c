/* The engine's core on synthetic graphs: CSR, overlay, compaction, traversals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/graph.h"
#include "engine/queries.h"
#include "graph_fixture.h"
#include "testutil.h"

static lineage_result *trav(const char *key, lineage_direction dir, const lineage_query_options *o)
{
	lin_filter f;
	lineage_result *r = NULL;
	int32_t v = lin_graph_vertex_by_key(&G, key);
	ck_assert_msg(v != LIN_NONE, "no vertex %s", key);
	TU_OK(lin_filter_init(&f, &G, o));
	TU_OK(lin_query_traverse(&r, &G, v, dir, &f));
	lin_filter_free(&f);
	return r;
}

static const lineage_node *find_node(const lineage_result *r, const char *key)
{
	for (size_t i = 0; i < lineage_result_node_count(r); i++)
		if (strcmp(lineage_result_node(r, i)->key, key) == 0)
			return lineage_result_node(r, i);
	return NULL;
}

/* a -> b -> c -> d, b -> e, e -> c (0.5) */
static void diamond(void)
{
	vtx(1, "a", "table", 0);
	vtx(2, "b", "table", 0);
	vtx(3, "c", "table", 0);
	vtx(4, "d", "view", 0);
	vtx(5, "e", "job", 0);
	edg(1, 1, 2, 1.0);
	edg(2, 2, 3, 0.8);
	edg(3, 3, 4, 1.0);
	edg(4, 2, 5, 1.0);
	edg(5, 5, 3, 0.9);
	TU_OK(lin_graph_compact(&G));
}

START_TEST(downstream_distances_and_confidence)
{
	lineage_result *r;
	diamond();
	r = trav("a", LINEAGE_DOWNSTREAM, NULL);
	ck_assert_uint_eq(lineage_result_node_count(r), 5);
	ck_assert_str_eq(lineage_result_node(r, 0)->key, "a");
	ck_assert_int_eq(lineage_result_node(r, 0)->distance, 0);
	ck_assert_int_eq(find_node(r, "c")->distance, 2);
	ck_assert_int_eq(find_node(r, "d")->distance, 3);
	/* best product: b->e->c is 0.9, better than b->c 0.8, though longer */
	ck_assert_double_eq_tol(find_node(r, "c")->confidence, 0.9, 1e-12);
	ck_assert_double_eq_tol(find_node(r, "d")->confidence, 0.9, 1e-12);
	ck_assert_uint_eq(lineage_result_edge_count(r), 5);
	ck_assert_str_eq(lineage_result_root(r), "a");
	lineage_result_free(r);

	r = trav("d", LINEAGE_UPSTREAM, NULL);
	ck_assert_uint_eq(lineage_result_node_count(r), 5);
	ck_assert_int_eq(find_node(r, "a")->distance, 3);
	/* edges keep their data-flow direction */
	for (size_t i = 0; i < lineage_result_edge_count(r); i++) {
		const lineage_result_edge *e = lineage_result_edge_at(r, i);
		if (e->edge_id == 3) {
			ck_assert_str_eq(e->source_key, "c");
			ck_assert_str_eq(e->target_key, "d");
		}
	}
	lineage_result_free(r);
}
END_TEST

START_TEST(depth_kinds_and_limits)
{
	lineage_query_options o;
	lineage_result *r;
	const char *kinds[] = {"table"};
	diamond();
	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.max_depth = 1;
	r = trav("a", LINEAGE_DOWNSTREAM, &o);
	ck_assert_uint_eq(lineage_result_node_count(r), 2);
	ck_assert_uint_eq(lineage_result_edge_count(r), 1);
	lineage_result_free(r);

	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.min_confidence = 0.85;
	r = trav("a", LINEAGE_DOWNSTREAM, &o);
	/* b->c (0.8) is filtered: c is still reached through e */
	ck_assert_uint_eq(lineage_result_node_count(r), 5);
	ck_assert_uint_eq(lineage_result_edge_count(r), 4);
	lineage_result_free(r);

	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.asset_kinds = kinds;
	o.asset_kind_count = 1;
	r = trav("a", LINEAGE_DOWNSTREAM, &o);
	/* the job e and the view d are passed through but not reported */
	ck_assert_uint_eq(lineage_result_node_count(r), 3);
	ck_assert_ptr_null(find_node(r, "e"));
	ck_assert_ptr_null(find_node(r, "d"));
	ck_assert_uint_eq(lineage_result_edge_count(r), 2);
	lineage_result_free(r);

	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.max_nodes = 3;
	r = trav("a", LINEAGE_DOWNSTREAM, &o);
	ck_assert_uint_eq(lineage_result_node_count(r), 3);
	ck_assert(lineage_result_truncated(r));
	lineage_result_free(r);

	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.min_source = LINEAGE_SOURCE_APPROVED;
	r = trav("a", LINEAGE_DOWNSTREAM, &o);
	ck_assert_uint_eq(lineage_result_node_count(r), 1);
	ck_assert(!lineage_result_truncated(r));
	lineage_result_free(r);
}
END_TEST

START_TEST(cycles_terminate_and_both)
{
	lineage_result *r;
	vtx(1, "x", "table", 0);
	vtx(2, "y", "table", 0);
	vtx(3, "z", "table", 0);
	vtx(4, "w", "table", 0);
	edg(1, 1, 2, 1);
	edg(2, 2, 3, 1);
	edg(3, 3, 1, 1);
	edg(4, 4, 1, 1);
	TU_OK(lin_graph_put_edge(&G, 5, 2, 2, "update", LINEAGE_SOURCE_MANUAL, 1, 1));
	TU_OK(lin_graph_compact(&G));
	r = trav("x", LINEAGE_DOWNSTREAM, NULL);
	ck_assert_uint_eq(lineage_result_node_count(r), 3);
	ck_assert_uint_eq(lineage_result_edge_count(r), 4);
	lineage_result_free(r);
	r = trav("x", LINEAGE_BOTH, NULL);
	ck_assert_uint_eq(lineage_result_node_count(r), 4);
	ck_assert_uint_eq(lineage_result_edge_count(r), 5); /* each edge once */
	ck_assert_int_eq(find_node(r, "z")->distance, 1);
	lineage_result_free(r);
}
END_TEST

START_TEST(deep_chain_no_recursion)
{
	const int n = 100000;
	char key[32];
	lineage_result *r;
	for (int i = 1; i <= n; i++) {
		snprintf(key, sizeof key, "n%d", i);
		vtx(i, key, "table", 0);
		if (i > 1)
			edg(i - 1, i - 1, i, 0.9999);
	}
	TU_OK(lin_graph_compact(&G));
	r = trav("n1", LINEAGE_DOWNSTREAM, NULL);
	ck_assert_uint_eq(lineage_result_node_count(r), (size_t)n);
	ck_assert_int_eq(find_node(r, "n100000")->distance, n - 1);
	lineage_result_free(r);
	r = trav("n100000", LINEAGE_UPSTREAM, NULL);
	ck_assert_uint_eq(lineage_result_node_count(r), (size_t)n);
	lineage_result_free(r);
}
END_TEST

static int cmp_ptr_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Node keys and distances of a result, sorted, as one string (to compare two results). */
static char *signature(const lineage_result *r)
{
	size_t n = lineage_result_node_count(r), m = lineage_result_edge_count(r), len = 0;
	char **lines = calloc(n + m, sizeof *lines);
	char *out;
	for (size_t i = 0; i < n; i++) {
		const lineage_node *x = lineage_result_node(r, i);
		lines[i] = malloc(64);
		snprintf(lines[i], 64, "N %s %d %.6f", x->key, x->distance, x->confidence);
	}
	for (size_t i = 0; i < m; i++) {
		const lineage_result_edge *e = lineage_result_edge_at(r, i);
		lines[n + i] = malloc(64);
		snprintf(lines[n + i], 64, "E %lld %s %s", (long long)e->edge_id, e->source_key, e->target_key);
	}
	qsort(lines, n + m, sizeof *lines, cmp_ptr_str);
	for (size_t i = 0; i < n + m; i++)
		len += strlen(lines[i]) + 1;
	out = calloc(len + 1, 1);
	for (size_t i = 0; i < n + m; i++) {
		strcat(out, lines[i]);
		strcat(out, "\n");
		free(lines[i]);
	}
	free(lines);
	return out;
}

START_TEST(overlay_and_compaction_equivalence)
{
	char key[32];
	char *before, *after;
	lineage_result *r;
	for (int i = 1; i <= 200; i++) {
		snprintf(key, sizeof key, "v%03d", i);
		vtx(i, key, "table", 0);
	}
	for (int i = 1; i < 200; i++)
		edg(i, i, i + 1 + (i % 3 == 0), 1);
	TU_OK(lin_graph_compact(&G));
	ck_assert_int_eq(lin_graph_overlay_size(&G), 0);
	/* writes after the build go to the overlay */
	vtx(201, "v201", "table", 0);
	edg(500, 1, 201, 0.5);
	edg(501, 201, 150, 1);
	lin_graph_remove_edge(&G, 10); /* v010 -> v011 (v011 stays reachable from v009) */
	TU_OK(lin_graph_put_edge(&G, 20, 20, 21, "flow", 2, 1, 0)); /* deactivate: cuts v021 off */
	TU_OK(lin_graph_put_edge(&G, 30, 30, 31, "flow", 2, 0.25, 1));         /* update in place */
	lin_graph_remove_vertex(&G, 100);
	ck_assert_int_gt(lin_graph_overlay_size(&G), 0);
	r = trav("v001", LINEAGE_DOWNSTREAM, NULL);
	ck_assert_ptr_nonnull(find_node(r, "v201"));
	ck_assert_ptr_nonnull(find_node(r, "v150"));
	ck_assert_ptr_null(find_node(r, "v021"));
	ck_assert_ptr_null(find_node(r, "v100"));
	ck_assert_int_eq(find_node(r, "v150")->distance, 2);
	before = signature(r);
	lineage_result_free(r);
	TU_OK(lin_graph_compact(&G));
	ck_assert_int_eq(lin_graph_overlay_size(&G), 0);
	r = trav("v001", LINEAGE_DOWNSTREAM, NULL);
	after = signature(r);
	ck_assert_str_eq(before, after);
	lineage_result_free(r);
	free(before);
	free(after);
	/* reactivating revives the tombstone in place */
	TU_OK(lin_graph_put_edge(&G, 20, 20, 21, "flow", 2, 1, 1));
	r = trav("v020", LINEAGE_DOWNSTREAM, NULL);
	ck_assert_ptr_nonnull(find_node(r, "v021"));
	lineage_result_free(r);
	ck_assert_int_eq(lin_graph_vertex_by_key(&G, "v100"), LIN_NONE);
	ck_assert_int_eq(lin_graph_vertex_by_id(&G, 100), LIN_NONE);
}
END_TEST

/* Two tables with columns: s.t1(a, b) -> s.t2(c) by column edges, t2 -> v by a table edge. */
static void columns_graph(void)
{
	vtx(1, "s", "schema", 0);
	vtx(2, "s.t1", "table", 1);
	vtx(3, "s.t1.a", "column", 2);
	vtx(4, "s.t1.b", "column", 2);
	vtx(5, "s.t2", "table", 1);
	vtx(6, "s.t2.c", "column", 5);
	vtx(7, "v", "view", 0);
	edg(1, 3, 6, 0.5);
	edg(2, 4, 6, 0.7);
	edg(3, 5, 7, 1.0);
	edg(4, 3, 4, 1.0); /* inside t1 */
	TU_OK(lin_graph_compact(&G));
}

START_TEST(columns_rollup_and_exclude)
{
	lineage_query_options o;
	lineage_result *r;
	columns_graph();
	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.columns = LINEAGE_COLUMNS_ROLLUP;
	r = trav("s.t1", LINEAGE_DOWNSTREAM, &o);
	ck_assert_uint_eq(lineage_result_node_count(r), 3);
	ck_assert_int_eq(find_node(r, "s.t2")->distance, 1);
	ck_assert_double_eq_tol(find_node(r, "s.t2")->confidence, 0.7, 1e-12);
	ck_assert_int_eq(find_node(r, "v")->distance, 2);
	/* two column edges became one table edge, plus t2 -> v */
	ck_assert_uint_eq(lineage_result_edge_count(r), 2);
	ck_assert_str_eq(lineage_result_edge_at(r, 0)->source_key, "s.t1");
	ck_assert_str_eq(lineage_result_edge_at(r, 0)->target_key, "s.t2");
	lineage_result_free(r);
	/* a column root rolls up to its table */
	r = trav("s.t2.c", LINEAGE_UPSTREAM, &o);
	ck_assert_str_eq(lineage_result_root(r), "s.t2");
	ck_assert_ptr_nonnull(find_node(r, "s.t1"));
	lineage_result_free(r);

	o.columns = LINEAGE_COLUMNS_INCLUDE;
	r = trav("s.t1.a", LINEAGE_DOWNSTREAM, &o);
	ck_assert_uint_eq(lineage_result_node_count(r), 3); /* a, b, c */
	lineage_result_free(r);

	o.columns = LINEAGE_COLUMNS_EXCLUDE;
	r = trav("s.t2", LINEAGE_UPSTREAM, &o);
	ck_assert_uint_eq(lineage_result_node_count(r), 1);
	lineage_result_free(r);
	{
		lin_filter f;
		lineage_result *x = NULL;
		TU_OK(lin_filter_init(&f, &G, &o));
		TU_FAILS(LINEAGE_EINVALID, lin_query_traverse(&x, &G, lin_graph_vertex_by_key(&G, "s.t1.a"), LINEAGE_DOWNSTREAM, &f));
		lin_filter_free(&f);
	}
}
END_TEST

START_TEST(bad_options)
{
	lineage_query_options o;
	lin_filter f;
	const char *bad[] = {NULL};
	diamond();
	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.min_confidence = 1.5;
	TU_FAILS(LINEAGE_EINVALID, lin_filter_init(&f, &G, &o));
	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.edge_kinds = bad;
	o.edge_kind_count = 1;
	TU_FAILS(LINEAGE_EINVALID, lin_filter_init(&f, &G, &o));
	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.version = 99;
	TU_FAILS(LINEAGE_EINVALID, lin_filter_init(&f, &G, &o));
	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.columns = (lineage_columns)7;
	TU_FAILS(LINEAGE_EINVALID, lin_filter_init(&f, &G, &o));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine_core");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, downstream_distances_and_confidence);
	tcase_add_test(tc, depth_kinds_and_limits);
	tcase_add_test(tc, cycles_terminate_and_both);
	tcase_add_test(tc, deep_chain_no_recursion);
	tcase_add_test(tc, overlay_and_compaction_equivalence);
	tcase_add_test(tc, columns_rollup_and_exclude);
	tcase_add_test(tc, bad_options);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
