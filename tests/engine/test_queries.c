/* Paths, impact, structure, JSON and layouts on synthetic graphs (no store). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/graph.h"
#include "engine/queries.h"
#include "graph_fixture.h"
#include "testutil.h"

static int32_t V(const char *key)
{
	int32_t v = lin_graph_vertex_by_key(&G, key);
	ck_assert_msg(v != LIN_NONE, "no vertex %s", key);
	return v;
}

static json_t *to_json(const lineage_result *r, lineage_json_format fmt)
{
	char *s = NULL;
	json_t *j;
	json_error_t err;
	TU_OK(lineage_result_to_json(&s, r, fmt));
	j = json_loads(s, 0, &err);
	ck_assert_msg(j != NULL, "bad JSON: %s", err.text);
	lineage_free(s);
	return j;
}

/* a -> b -> d, a -> c -> d, d -> e, a -> e */
static void two_ways(void)
{
	vtx(1, "a", "table", 0);
	vtx(2, "b", "table", 0);
	vtx(3, "c", "table", 0);
	vtx(4, "d", "table", 0);
	vtx(5, "e", "view", 0);
	edg(1, 1, 2, 1);
	edg(2, 2, 4, 1);
	edg(3, 1, 3, 0.5);
	edg(4, 3, 4, 1);
	edg(5, 4, 5, 1);
	edg(6, 1, 5, 1);
	TU_OK(lin_graph_compact(&G));
}

static lineage_result *paths(const char *from, const char *to, int all, size_t max_paths, int max_len)
{
	lineage_path_options po;
	lin_filter f;
	lineage_result *r = NULL;
	lineage_path_options_init(&po, LINEAGE_PATH_OPTIONS_VERSION);
	po.all = all;
	if (max_paths)
		po.max_paths = max_paths;
	if (max_len)
		po.max_length = max_len;
	TU_OK(lin_filter_init(&f, &G, &po.filter));
	TU_OK(lin_query_paths(&r, &G, V(from), V(to), &po, &f));
	lin_filter_free(&f);
	return r;
}

START_TEST(paths_shortest_and_all)
{
	lineage_result *r;
	json_t *j, *p;
	two_ways();
	r = paths("a", "e", 0, 0, 0);
	ck_assert_uint_eq(lineage_result_group_count(r), 1);
	ck_assert_uint_eq(lineage_result_node_count(r), 2);
	lineage_result_free(r);

	r = paths("a", "e", 1, 0, 0);
	ck_assert_uint_eq(lineage_result_group_count(r), 3);
	j = to_json(r, LINEAGE_JSON_PLAIN);
	ck_assert_str_eq(json_string_value(json_object_get(j, "from")), "a");
	ck_assert_str_eq(json_string_value(json_object_get(j, "to")), "e");
	p = json_object_get(j, "paths");
	ck_assert_uint_eq(json_array_size(p), 3);
	/* shortest first */
	ck_assert_uint_eq(json_array_size(json_array_get(p, 0)), 2);
	ck_assert_uint_eq(json_array_size(json_array_get(p, 1)), 4);
	ck_assert_uint_eq(json_array_size(json_array_get(p, 2)), 4);
	ck_assert_str_eq(json_string_value(json_array_get(json_array_get(p, 1), 3)), "e");
	json_decref(j);
	/* path numbers and positions */
	ck_assert_int_eq(lineage_result_node(r, 2)->group, 1);
	ck_assert_int_eq(lineage_result_node(r, 3)->distance, 1);
	lineage_result_free(r);

	r = paths("a", "e", 1, 2, 0);
	ck_assert_uint_eq(lineage_result_group_count(r), 2);
	ck_assert(lineage_result_truncated(r));
	lineage_result_free(r);

	r = paths("a", "e", 1, 0, 2);
	ck_assert_uint_eq(lineage_result_group_count(r), 1);
	lineage_result_free(r);

	r = paths("e", "a", 1, 0, 0); /* against the flow: none */
	ck_assert_uint_eq(lineage_result_group_count(r), 0);
	lineage_result_free(r);
}
END_TEST

START_TEST(paths_through_cycles_are_simple)
{
	lineage_result *r;
	vtx(1, "p", "table", 0);
	vtx(2, "q", "table", 0);
	vtx(3, "r", "table", 0);
	edg(1, 1, 2, 1);
	edg(2, 2, 1, 1);
	edg(3, 2, 3, 1);
	edg(4, 3, 2, 1);
	TU_OK(lin_graph_compact(&G));
	r = paths("p", "r", 1, 0, 0);
	ck_assert_uint_eq(lineage_result_group_count(r), 1);
	lineage_result_free(r);
}
END_TEST

static char *owner_of(int64_t id, void *payload)
{
	(void)payload;
	if (id == 4)
		return strdup("ana");
	return NULL;
}

static int owner_cb(int64_t id, char **out, void *payload)
{
	*out = owner_of(id, payload);
	return 0;
}

START_TEST(impact_columns_severity_summary)
{
	lineage_result *r;
	lin_filter f;
	json_t *j, *sum;
	vtx(1, "t1", "table", 0);
	vtx(2, "t1.a", "column", 1);
	vtx(3, "t2", "table", 0);
	vtx(4, "t2.x", "column", 3);
	vtx(5, "t3", "table", 0);
	vtx(6, "dash", "dashboard", 0);
	edg(1, 2, 4, 0.5); /* t1.a -> t2.x */
	edg(2, 3, 5, 1);   /* t2 -> t3 */
	edg(3, 5, 6, 0.8); /* t3 -> dash */
	TU_OK(lin_graph_compact(&G));
	TU_OK(lin_filter_init(&f, &G, NULL));
	TU_OK(lin_query_impact(&r, &G, V("t1"), LINEAGE_CHANGE_DROP, &f, owner_cb, NULL));
	/* t2.x (column edge), t2 (its table), t3 and dash (through t2's table edge) */
	ck_assert_uint_eq(lineage_result_node_count(r), 4);
	for (size_t i = 0; i < lineage_result_node_count(r); i++) {
		const lineage_node *n = lineage_result_node(r, i);
		ck_assert_str_ne(n->key, "t1");
		if (!strcmp(n->key, "t2.x") || !strcmp(n->key, "t2")) {
			ck_assert_int_eq(n->distance, 1);
			ck_assert_int_eq(n->group, LINEAGE_SEVERITY_BREAKING);
			ck_assert_double_eq_tol(n->confidence, 0.5, 1e-12);
		}
		if (!strcmp(n->key, "dash")) {
			ck_assert_int_eq(n->distance, 3);
			ck_assert_int_eq(n->group, LINEAGE_SEVERITY_AFFECTED);
			ck_assert_double_eq_tol(n->confidence, 0.4, 1e-12);
		}
		if (!strcmp(n->key, "t2.x"))
			ck_assert_str_eq(n->owner, "ana");
	}
	j = to_json(r, LINEAGE_JSON_PLAIN);
	ck_assert_str_eq(json_string_value(json_object_get(j, "root")), "t1");
	ck_assert_str_eq(json_string_value(json_object_get(j, "change")), "drop");
	ck_assert_uint_eq(json_array_size(json_object_get(j, "affected")), 4);
	sum = json_object_get(j, "summary");
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "total")), 4);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(sum, "by_severity"), "breaking")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(sum, "by_owner"), "ana")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(sum, "by_kind"), "table")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(sum, "by_distance"), "1")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "max_distance")), 3);
	ck_assert_double_eq_tol(json_real_value(json_object_get(sum, "min_confidence")), 0.4, 1e-12);
	json_decref(j);
	/* Cytoscape: the root appears as an element for the edges that leave it */
	j = to_json(r, LINEAGE_JSON_CYTOSCAPE);
	ck_assert_uint_eq(json_array_size(json_object_get(json_object_get(j, "elements"), "nodes")), 5);
	json_decref(j);
	lineage_result_free(r);

	TU_OK(lin_query_impact(&r, &G, V("t1"), LINEAGE_CHANGE_TYPE_CHANGE, &f, NULL, NULL));
	for (size_t i = 0; i < lineage_result_node_count(r); i++) {
		const lineage_node *n = lineage_result_node(r, i);
		ck_assert_int_eq(n->group, !strcmp(n->key, "t2.x") ? LINEAGE_SEVERITY_BREAKING : LINEAGE_SEVERITY_AFFECTED);
		ck_assert_ptr_null(n->owner);
	}
	lineage_result_free(r);
	TU_OK(lin_query_impact(&r, &G, V("t1"), LINEAGE_CHANGE_ADD, &f, NULL, NULL));
	ck_assert_int_eq(lineage_result_node(r, 0)->group, LINEAGE_SEVERITY_INFO);
	lineage_result_free(r);
	TU_FAILS(LINEAGE_EINVALID, lin_query_impact(&r, &G, V("t1"), (lineage_change_type)9, &f, NULL, NULL));
	lin_filter_free(&f);
}
END_TEST

static lineage_result *structure(lineage_structure what, const char *key)
{
	lin_filter f;
	lineage_result *r = NULL;
	TU_OK(lin_filter_init(&f, &G, NULL));
	TU_OK(lin_query_structure(&r, &G, what, key ? V(key) : LIN_NONE, &f));
	lin_filter_free(&f);
	return r;
}

START_TEST(structure_questions)
{
	lineage_result *r;
	lin_filter f;
	two_ways();
	vtx(6, "s", "schema", 0);
	vtx(7, "s.t", "table", 6);
	vtx(8, "s.t.c1", "column", 7);
	vtx(9, "s.t.c0", "column", 7);
	TU_OK(lin_graph_compact(&G));

	r = structure(LINEAGE_STRUCT_CHILDREN, "s");
	ck_assert_uint_eq(lineage_result_node_count(r), 1);
	lineage_result_free(r);
	r = structure(LINEAGE_STRUCT_SUBTREE, "s");
	ck_assert_uint_eq(lineage_result_node_count(r), 3);
	ck_assert_str_eq(lineage_result_node(r, 1)->key, "s.t.c0"); /* depth, then key */
	ck_assert_int_eq(lineage_result_node(r, 2)->distance, 2);
	lineage_result_free(r);
	r = structure(LINEAGE_STRUCT_ROOTS, NULL);
	ck_assert_uint_eq(lineage_result_node_count(r), 1);
	ck_assert_str_eq(lineage_result_node(r, 0)->key, "a");
	lineage_result_free(r);
	r = structure(LINEAGE_STRUCT_LEAVES, NULL);
	ck_assert_uint_eq(lineage_result_node_count(r), 1);
	ck_assert_str_eq(lineage_result_node(r, 0)->key, "e");
	lineage_result_free(r);
	r = structure(LINEAGE_STRUCT_ORPHANS, NULL);
	ck_assert_uint_eq(lineage_result_node_count(r), 4);
	lineage_result_free(r);
	r = structure(LINEAGE_STRUCT_TOPO, NULL);
	ck_assert_uint_eq(lineage_result_node_count(r), 5);
	ck_assert_str_eq(lineage_result_node(r, 0)->key, "a");
	ck_assert_str_eq(lineage_result_node(r, 4)->key, "e");
	ck_assert_int_eq(lineage_result_node(r, 4)->distance, 3);
	lineage_result_free(r);
	r = structure(LINEAGE_STRUCT_CRITICAL_PATH, NULL);
	ck_assert_uint_eq(lineage_result_node_count(r), 4);
	ck_assert_uint_eq(lineage_result_edge_count(r), 3);
	ck_assert_str_eq(lineage_result_node(r, 0)->key, "a");
	ck_assert_str_eq(lineage_result_node(r, 3)->key, "e");
	ck_assert_str_eq(lineage_result_edge_at(r, 0)->source_key, "a");
	ck_assert_str_eq(lineage_result_edge_at(r, 2)->target_key, "e");
	lineage_result_free(r);
	r = structure(LINEAGE_STRUCT_CYCLES, NULL);
	ck_assert_uint_eq(lineage_result_node_count(r), 0);
	ck_assert_uint_eq(lineage_result_group_count(r), 0);
	lineage_result_free(r);

	/* a cycle d -> b, and a self-loop on c */
	edg(10, 4, 2, 1);
	TU_OK(lin_graph_put_edge(&G, 11, 3, 3, "update", LINEAGE_SOURCE_MANUAL, 1, 1));
	r = structure(LINEAGE_STRUCT_CYCLES, NULL);
	ck_assert_uint_eq(lineage_result_group_count(r), 2);
	ck_assert_uint_eq(lineage_result_node_count(r), 3);
	ck_assert_uint_eq(lineage_result_edge_count(r), 3);
	lineage_result_free(r);
	TU_OK(lin_filter_init(&f, &G, NULL));
	TU_FAILS(LINEAGE_ECYCLE, lin_query_structure(&r, &G, LINEAGE_STRUCT_TOPO, LIN_NONE, &f));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "\"b\""));
	TU_FAILS(LINEAGE_ECYCLE, lin_query_structure(&r, &G, LINEAGE_STRUCT_CRITICAL_PATH, LIN_NONE, &f));
	TU_FAILS(LINEAGE_EINVALID, lin_query_structure(&r, &G, LINEAGE_STRUCT_CHILDREN, LIN_NONE, &f));
	lin_filter_free(&f);
}
END_TEST

START_TEST(json_shapes_and_layouts)
{
	lineage_result *r;
	lin_filter f;
	json_t *j, *n, *e, *els;
	double x, y, x2, y2;
	two_ways();
	TU_OK(lin_filter_init(&f, &G, NULL));
	TU_OK(lin_query_traverse(&r, &G, V("a"), LINEAGE_DOWNSTREAM, &f));
	lin_filter_free(&f);
	j = to_json(r, LINEAGE_JSON_PLAIN);
	ck_assert_str_eq(json_string_value(json_object_get(j, "root")), "a");
	ck_assert_str_eq(json_string_value(json_object_get(j, "direction")), "downstream");
	ck_assert(json_is_false(json_object_get(j, "truncated")));
	n = json_array_get(json_object_get(j, "nodes"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(n, "key")), "a");
	ck_assert_str_eq(json_string_value(json_object_get(n, "kind")), "table");
	ck_assert_int_eq(json_integer_value(json_object_get(n, "distance")), 0);
	ck_assert(json_is_number(json_object_get(n, "confidence")));
	e = json_array_get(json_object_get(j, "edges"), 0);
	ck_assert(json_is_integer(json_object_get(e, "id")));
	ck_assert_str_eq(json_string_value(json_object_get(e, "source")), "a");
	ck_assert_str_eq(json_string_value(json_object_get(e, "lineage_source")), "manual");
	ck_assert_str_eq(json_string_value(json_object_get(e, "kind")), "flow");
	json_decref(j);

	TU_FAILS(LINEAGE_EUSAGE, lineage_result_position(&x, &y, r, 0));
	for (int l = LINEAGE_LAYOUT_LAYERED; l <= LINEAGE_LAYOUT_CIRCLE; l++) {
		TU_OK(lineage_result_layout(r, (lineage_layout)l));
		TU_OK(lineage_result_position(&x, &y, r, 0));
		TU_OK(lineage_result_layout(r, (lineage_layout)l));
		TU_OK(lineage_result_position(&x2, &y2, r, 0));
		ck_assert_double_eq(x, x2); /* deterministic */
		ck_assert_double_eq(y, y2);
	}
	TU_OK(lineage_result_layout(r, LINEAGE_LAYOUT_LAYERED));
	/* layers go left to right: the root is left of its consumers */
	TU_OK(lineage_result_position(&x, &y, r, 0));
	for (size_t i = 1; i < lineage_result_node_count(r); i++) {
		TU_OK(lineage_result_position(&x2, &y2, r, i));
		ck_assert(x2 > x);
	}
	TU_FAILS(LINEAGE_EINVALID, lineage_result_layout(r, (lineage_layout)0));
	TU_FAILS(LINEAGE_EINVALID, lineage_result_position(&x, &y, r, 99));
	j = to_json(r, LINEAGE_JSON_CYTOSCAPE);
	els = json_object_get(j, "elements");
	n = json_array_get(json_object_get(els, "nodes"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(n, "data"), "id")), "a");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(n, "data"), "label")), "a");
	ck_assert(json_is_number(json_object_get(json_object_get(n, "position"), "x")));
	e = json_array_get(json_object_get(els, "edges"), 0);
	ck_assert(strncmp(json_string_value(json_object_get(json_object_get(e, "data"), "id")), "e", 1) == 0);
	ck_assert_uint_eq(json_array_size(json_object_get(els, "edges")), 6);
	json_decref(j);
	{
		char *s = NULL;
		TU_FAILS(LINEAGE_EINVALID, lineage_result_to_json(&s, r, (lineage_json_format)5));
	}
	lineage_result_free(r);
	lineage_result_free(NULL);
	ck_assert_uint_eq(lineage_result_node_count(NULL), 0);
	ck_assert_ptr_null(lineage_result_node(NULL, 0));
}
END_TEST

START_TEST(options_and_names)
{
	lineage_change_type t;
	lineage_path_options po;
	ck_assert_str_eq(lineage_change_type_name(LINEAGE_CHANGE_TYPE_CHANGE), "type_change");
	TU_OK(lineage_change_type_parse(&t, "Rename"));
	ck_assert_int_eq(t, LINEAGE_CHANGE_RENAME);
	TU_FAILS(LINEAGE_EINVALID, lineage_change_type_parse(&t, "explode"));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "type_change"));
	TU_OK(lineage_path_options_init(&po, LINEAGE_PATH_OPTIONS_VERSION));
	ck_assert_uint_eq(po.max_paths, 100);
	ck_assert_int_eq(po.max_length, 10);
	TU_FAILS(LINEAGE_EINVALID, lineage_path_options_init(&po, 42));
	TU_FAILS(LINEAGE_EINVALID, lineage_query_options_init(&po.filter, 42));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine_queries");
	TCase *tc = tcase_create("queries");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, paths_shortest_and_all);
	tcase_add_test(tc, paths_through_cycles_are_simple);
	tcase_add_test(tc, impact_columns_severity_summary);
	tcase_add_test(tc, structure_questions);
	tcase_add_test(tc, json_shapes_and_layouts);
	tcase_add_test(tc, options_and_names);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
