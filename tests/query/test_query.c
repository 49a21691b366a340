/* The query API end to end: a real database, writes, coherence, every query. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/db_internal.h"
#include "engine/engine.h"
#include "testutil.h"

static int64_t edge_full(lineage_db *db, const char *s, const char *t, const char *kind,
			 lineage_source src, double conf)
{
	lineage_edge_spec spec;
	int64_t id = 0;
	TU_OK(lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION));
	spec.source_key = s;
	spec.target_key = t;
	spec.kind = kind;
	spec.lineage_source = src;
	spec.confidence = conf;
	TU_OK(lineage_edge_upsert(NULL, &id, db, &spec));
	return id;
}

static void owned(lineage_db *db, const char *key, const char *kind, const char *parent,
		  const char *owner)
{
	lineage_asset_spec spec;
	TU_OK(lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION));
	spec.key = key;
	spec.kind = kind;
	spec.parent_key = parent;
	spec.owner = owner;
	TU_OK(lineage_asset_upsert(NULL, NULL, db, &spec));
}

/* src.orders -> stg.orders -> mart.sales -> dash; stg.orders -> mart.returns */
static void warehouse(lineage_db *db)
{
	tu_asset(db, "src", "database", NULL);
	tu_asset(db, "src.orders", "table", "src");
	tu_asset(db, "src.orders.id", "column", "src.orders");
	tu_asset(db, "stg", "schema", NULL);
	owned(db, "stg.orders", "table", "stg", "data-eng");
	tu_asset(db, "stg.orders.id", "column", "stg.orders");
	owned(db, "mart.sales", "table", NULL, "analytics");
	tu_asset(db, "mart.returns", "table", NULL);
	tu_asset(db, "dash", "dashboard", NULL);
	tu_edge(db, "src.orders", "stg.orders");
	edge_full(db, "src.orders.id", "stg.orders.id", NULL, LINEAGE_SOURCE_INFERRED, 0.9);
	edge_full(db, "stg.orders", "mart.sales", NULL, LINEAGE_SOURCE_INFERRED, 0.8);
	edge_full(db, "stg.orders", "mart.returns", "copy", LINEAGE_SOURCE_APPROVED, 1.0);
	edge_full(db, "mart.sales", "dash", NULL, LINEAGE_SOURCE_MANUAL, 0.5);
}

static json_t *jsonify(const lineage_result *r, lineage_json_format fmt)
{
	char *s = NULL;
	json_error_t err;
	json_t *j;
	TU_OK(lineage_result_to_json(&s, r, fmt));
	j = json_loads(s, 0, &err);
	ck_assert_msg(j != NULL, "bad JSON %s", err.text);
	lineage_free(s);
	return j;
}

static const lineage_node *node(const lineage_result *r, const char *key)
{
	for (size_t i = 0; i < lineage_result_node_count(r); i++)
		if (!strcmp(lineage_result_node(r, i)->key, key))
			return lineage_result_node(r, i);
	return NULL;
}

static lin_engine_stats stats(lineage_db *db)
{
	lin_engine_stats s;
	lin_engine_get_stats(db, &s);
	return s;
}

START_TEST(downstream_upstream_json)
{
	lineage_db *db = tu_open_temp();
	lineage_result *r = NULL;
	lineage_query_options o;
	json_t *j, *n0, *e;
	warehouse(db);
	TU_OK(lineage_query_downstream(&r, db, "src.orders", NULL));
	ck_assert_uint_eq(lineage_result_node_count(r), 5);
	ck_assert_str_eq(lineage_result_root(r), "src.orders");
	ck_assert_int_eq(node(r, "dash")->distance, 3);
	ck_assert_double_eq_tol(node(r, "dash")->confidence, 0.4, 1e-9);
	ck_assert_int_eq(node(r, "dash")->asset_id > 0, 1);
	j = jsonify(r, LINEAGE_JSON_PLAIN);
	ck_assert_str_eq(json_string_value(json_object_get(j, "direction")), "downstream");
	n0 = json_array_get(json_object_get(j, "nodes"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(n0, "key")), "src.orders");
	ck_assert_str_eq(json_string_value(json_object_get(n0, "kind")), "table");
	ck_assert_uint_eq(json_array_size(json_object_get(j, "edges")), 4);
	e = json_array_get(json_object_get(j, "edges"), 0);
	ck_assert_ptr_nonnull(json_object_get(e, "id"));
	ck_assert_ptr_nonnull(json_object_get(e, "lineage_source"));
	json_decref(j);
	lineage_result_free(r);

	TU_OK(lineage_query_upstream(&r, db, "dash", NULL));
	ck_assert_uint_eq(lineage_result_node_count(r), 4);
	ck_assert_ptr_null(node(r, "mart.returns"));
	lineage_result_free(r);

	TU_OK(lineage_query_traverse(&r, db, "stg.orders", LINEAGE_BOTH, NULL));
	ck_assert_uint_eq(lineage_result_node_count(r), 5);
	lineage_result_free(r);

	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.min_source = LINEAGE_SOURCE_MANUAL;
	TU_OK(lineage_query_downstream(&r, db, "src.orders", &o));
	ck_assert_uint_eq(lineage_result_node_count(r), 3); /* src, stg, mart.returns */
	lineage_result_free(r);
	{
		const char *kinds[] = {"copy"};
		lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
		o.edge_kinds = kinds;
		o.edge_kind_count = 1;
		TU_OK(lineage_query_downstream(&r, db, "stg.orders", &o));
		ck_assert_uint_eq(lineage_result_node_count(r), 2);
		lineage_result_free(r);
	}
	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.columns = LINEAGE_COLUMNS_ROLLUP;
	TU_OK(lineage_query_downstream(&r, db, "src.orders.id", &o));
	ck_assert_str_eq(lineage_result_root(r), "src.orders");
	ck_assert_ptr_null(node(r, "stg.orders.id"));
	lineage_result_free(r);

	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.max_nodes = 2;
	TU_OK(lineage_query_downstream(&r, db, "src.orders", &o));
	ck_assert_uint_eq(lineage_result_node_count(r), 2);
	ck_assert(lineage_result_truncated(r));
	j = jsonify(r, LINEAGE_JSON_PLAIN);
	ck_assert(json_is_true(json_object_get(j, "truncated")));
	ck_assert_uint_eq(json_array_size(json_object_get(j, "edges")), 1);
	json_decref(j);
	lineage_result_free(r);
	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.max_depth = 1;
	TU_OK(lineage_query_downstream(&r, db, "src.orders", &o));
	ck_assert_uint_eq(lineage_result_edge_count(r), 1);
	TU_OK(lineage_result_layout(r, LINEAGE_LAYOUT_FORCE));
	j = jsonify(r, LINEAGE_JSON_CYTOSCAPE);
	{
		json_t *els = json_object_get(j, "elements"), *c0, *e0;
		c0 = json_array_get(json_object_get(els, "nodes"), 0);
		e0 = json_array_get(json_object_get(els, "edges"), 0);
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(c0, "data"), "id")), "src.orders");
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(c0, "data"), "label")), "orders");
		ck_assert(json_is_true(json_object_get(json_object_get(c0, "data"), "root")));
		ck_assert_ptr_nonnull(json_object_get(c0, "position"));
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(e0, "data"), "source")), "src.orders");
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(e0, "data"), "target")), "stg.orders");
		ck_assert(!strncmp(json_string_value(json_object_get(json_object_get(e0, "data"), "id")), "e", 1));
	}
	json_decref(j);
	lineage_result_free(r);

	TU_FAILS(LINEAGE_ENOTFOUND, lineage_query_downstream(&r, db, "nope", NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "nope"));
	TU_FAILS(LINEAGE_EINVALID, lineage_query_downstream(&r, db, NULL, NULL));
	TU_FAILS(LINEAGE_EINVALID, lineage_query_downstream(&r, db, " bad", NULL));
	TU_FAILS(LINEAGE_EINVALID, lineage_query_downstream(&r, NULL, "dash", NULL));
	TU_FAILS(LINEAGE_EINVALID, lineage_query_traverse(&r, db, "dash", (lineage_direction)0, NULL));
	o.min_confidence = -1;
	TU_FAILS(LINEAGE_EINVALID, lineage_query_downstream(&r, db, "dash", &o));
	ck_assert_ptr_null(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(writes_apply_without_rebuild)
{
	lineage_db *db = tu_open_temp();
	lineage_result *r = NULL;
	int64_t e;
	warehouse(db);
	TU_OK(lineage_query_downstream(&r, db, "mart.sales", NULL));
	ck_assert_uint_eq(lineage_result_node_count(r), 2);
	lineage_result_free(r);
	ck_assert_int_eq((int)stats(db).full_builds, 1);

	tu_asset(db, "ml.model", "model", NULL);
	e = tu_edge(db, "dash", "ml.model");
	TU_OK(lineage_query_downstream(&r, db, "mart.sales", NULL));
	ck_assert_ptr_nonnull(node(r, "ml.model"));
	lineage_result_free(r);

	TU_OK(lineage_edge_reject(db, e, "alice", "wrong"));
	TU_OK(lineage_query_downstream(&r, db, "mart.sales", NULL));
	ck_assert_ptr_null(node(r, "ml.model"));
	lineage_result_free(r);
	TU_OK(lineage_edge_approve(db, e, "alice", NULL));
	TU_OK(lineage_query_downstream(&r, db, "mart.sales", NULL));
	ck_assert_ptr_nonnull(node(r, "ml.model"));
	lineage_result_free(r);
	TU_OK(lineage_edge_remove(db, e));
	TU_OK(lineage_query_downstream(&r, db, "mart.sales", NULL));
	ck_assert_ptr_null(node(r, "ml.model"));
	lineage_result_free(r);

	TU_OK(lineage_asset_remove(db, "dash", 0));
	TU_OK(lineage_query_downstream(&r, db, "mart.sales", NULL));
	ck_assert_uint_eq(lineage_result_node_count(r), 1);
	lineage_result_free(r);
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_query_upstream(&r, db, "dash", NULL));

	ck_assert_int_eq((int)stats(db).full_builds, 1);
	ck_assert_int_ge((int)stats(db).incremental_syncs, 5);
	/* a result outlives its handle */
	TU_OK(lineage_query_downstream(&r, db, "src.orders", NULL));
	lineage_db_close(db);
	ck_assert_str_eq(lineage_result_node(r, 0)->key, "src.orders");
	lineage_result_free(r);
}
END_TEST

START_TEST(two_handles_one_file)
{
	lineage_db *a = tu_open_temp(), *b = NULL;
	lineage_result *r = NULL;
	warehouse(a);
	b = tu_open_same(a, NULL);
	TU_OK(lineage_query_downstream(&r, b, "mart.sales", NULL));
	ck_assert_uint_eq(lineage_result_node_count(r), 2);
	lineage_result_free(r);
	tu_asset(a, "finance.report", "report", NULL);
	tu_edge(a, "dash", "finance.report");
	TU_OK(lineage_query_downstream(&r, b, "mart.sales", NULL));
	ck_assert_ptr_nonnull(node(r, "finance.report"));
	lineage_result_free(r);
	ck_assert_int_eq((int)stats(b).full_builds, 1);
	lineage_db_close(b);
	lineage_db_close(a);
}
END_TEST

START_TEST(rollback_coherence)
{
	lineage_db *db = tu_open_temp();
	lineage_result *r = NULL;
	int64_t e;
	warehouse(db);
	TU_OK(lineage_query_downstream(&r, db, "dash", NULL));
	lineage_result_free(r);
	TU_OK(lineage_db_begin(db, "try"));
	tu_asset(db, "tmp.t", "table", NULL);
	tu_edge(db, "dash", "tmp.t");
	e = edge_full(db, "mart.returns", "mart.sales", NULL, LINEAGE_SOURCE_MANUAL, 1);
	(void)e;
	TU_OK(lineage_query_downstream(&r, db, "dash", NULL));
	ck_assert_ptr_nonnull(node(r, "tmp.t")); /* the transaction's own writes are seen */
	lineage_result_free(r);
	TU_OK(lineage_db_rollback(db));
	TU_OK(lineage_query_downstream(&r, db, "dash", NULL));
	ck_assert_uint_eq(lineage_result_node_count(r), 1);
	lineage_result_free(r);
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_query_downstream(&r, db, "tmp.t", NULL));
	TU_OK(lineage_query_upstream(&r, db, "mart.sales", NULL));
	ck_assert_ptr_null(node(r, "mart.returns"));
	lineage_result_free(r);
	/* after a rollback, new writes (which may reuse sequence numbers) are seen */
	tu_asset(db, "tmp.u", "table", NULL);
	tu_edge(db, "dash", "tmp.u");
	TU_OK(lineage_query_downstream(&r, db, "dash", NULL));
	ck_assert_ptr_nonnull(node(r, "tmp.u"));
	lineage_result_free(r);
	ck_assert_int_eq((int)stats(db).full_builds, 1);

	/* an engine first built inside a transaction is rebuilt after its rollback */
	lineage_db_close(db);
	db = tu_open_temp();
	warehouse(db);
	TU_OK(lineage_db_begin(db, NULL));
	tu_edge(db, "dash", "src.orders");
	TU_OK(lineage_query_downstream(&r, db, "dash", NULL));
	ck_assert_uint_eq(lineage_result_node_count(r), 5);
	lineage_result_free(r);
	TU_OK(lineage_db_rollback(db));
	TU_OK(lineage_query_downstream(&r, db, "dash", NULL));
	ck_assert_uint_eq(lineage_result_node_count(r), 1);
	lineage_result_free(r);
	/* commit keeps what was applied */
	TU_OK(lineage_db_begin(db, NULL));
	tu_edge(db, "dash", "src.orders");
	TU_OK(lineage_query_downstream(&r, db, "dash", NULL));
	lineage_result_free(r);
	TU_OK(lineage_db_commit(db));
	TU_OK(lineage_query_downstream(&r, db, "dash", NULL));
	ck_assert_uint_eq(lineage_result_node_count(r), 5);
	lineage_result_free(r);
	lineage_db_close(db);
}
END_TEST

/* A traversal read after later writes, and after its handle closed, still gives the answer
 * as of the query (its edges and confidences are computed when first read). */
START_TEST(results_keep_their_answer)
{
	lineage_db *db = tu_open_temp();
	lineage_result *fresh = NULL, *kept = NULL, *kept_up = NULL, *now = NULL;
	char *before = NULL, *after = NULL;
	warehouse(db);
	TU_OK(lineage_query_downstream(&fresh, db, "src.orders", NULL));
	TU_OK(lineage_result_to_json(&before, fresh, LINEAGE_JSON_PLAIN));
	TU_OK(lineage_query_downstream(&kept, db, "src.orders", NULL));
	TU_OK(lineage_query_upstream(&kept_up, db, "dash", NULL));
	ck_assert_uint_eq(lineage_result_node_count(kept), 5);

	tu_asset(db, "ml.model", "model", NULL);
	tu_edge(db, "dash", "ml.model");
	edge_full(db, "stg.orders", "mart.sales", NULL, LINEAGE_SOURCE_APPROVED, 1.0);
	TU_OK(lineage_asset_remove(db, "mart.returns", 0));
	TU_OK(lineage_query_downstream(&now, db, "src.orders", NULL));
	ck_assert_ptr_nonnull(node(now, "ml.model"));
	ck_assert_ptr_null(node(now, "mart.returns"));
	ck_assert_double_eq_tol(node(now, "dash")->confidence, 0.5, 1e-9);
	lineage_result_free(now);
	lineage_db_close(db);

	TU_OK(lineage_result_to_json(&after, kept, LINEAGE_JSON_PLAIN));
	ck_assert_str_eq(after, before);
	ck_assert_uint_eq(lineage_result_edge_count(kept_up), 3);
	ck_assert_double_eq_tol(node(kept_up, "stg.orders")->confidence, 0.4, 1e-9);
	ck_assert_ptr_nonnull(node(kept_up, "src.orders"));
	lineage_free(before);
	lineage_free(after);
	lineage_result_free(fresh);
	lineage_result_free(kept);
	lineage_result_free(kept_up);
}
END_TEST

START_TEST(impact_paths_structure_layout)
{
	lineage_db *db = tu_open_temp();
	lineage_result *r = NULL;
	lineage_path_options po;
	json_t *j;
	double x, y;
	warehouse(db);
	TU_OK(lineage_query_impact(&r, db, "src.orders", LINEAGE_CHANGE_DROP, NULL));
	ck_assert_ptr_null(node(r, "src.orders"));
	ck_assert_int_eq(node(r, "stg.orders")->group, LINEAGE_SEVERITY_BREAKING);
	ck_assert_int_eq(node(r, "stg.orders.id")->group, LINEAGE_SEVERITY_BREAKING);
	ck_assert_int_eq(node(r, "dash")->group, LINEAGE_SEVERITY_AFFECTED);
	ck_assert_str_eq(node(r, "stg.orders")->owner, "data-eng");
	ck_assert_str_eq(node(r, "mart.sales")->owner, "analytics");
	ck_assert_ptr_null(node(r, "dash")->owner);
	j = jsonify(r, LINEAGE_JSON_PLAIN);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "summary"), "total")), 5);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "affected"), 0), "severity")), "breaking");
	json_decref(j);
	lineage_result_free(r);
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_query_impact(&r, db, "zz", LINEAGE_CHANGE_DROP, NULL));
	TU_FAILS(LINEAGE_EINVALID, lineage_query_impact(&r, db, "dash", (lineage_change_type)0, NULL));

	TU_OK(lineage_query_paths(&r, db, "src.orders", "dash", NULL));
	ck_assert_uint_eq(lineage_result_group_count(r), 1);
	ck_assert_uint_eq(lineage_result_node_count(r), 4);
	j = jsonify(r, LINEAGE_JSON_PLAIN);
	ck_assert_uint_eq(json_array_size(json_array_get(json_object_get(j, "paths"), 0)), 4);
	json_decref(j);
	TU_OK(lineage_result_layout(r, LINEAGE_LAYOUT_LAYERED));
	TU_OK(lineage_result_position(&x, &y, r, 3));
	lineage_result_free(r);
	lineage_path_options_init(&po, LINEAGE_PATH_OPTIONS_VERSION);
	po.all = 1;
	TU_OK(lineage_query_paths(&r, db, "dash", "src.orders", &po));
	ck_assert_uint_eq(lineage_result_group_count(r), 0);
	lineage_result_free(r);
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_query_paths(&r, db, "dash", "zz", &po));

	TU_OK(lineage_query_structure(&r, db, LINEAGE_STRUCT_CHILDREN, "stg", NULL));
	ck_assert_uint_eq(lineage_result_node_count(r), 1);
	lineage_result_free(r);
	TU_OK(lineage_query_structure(&r, db, LINEAGE_STRUCT_ROOTS, NULL, NULL));
	ck_assert_uint_eq(lineage_result_node_count(r), 2); /* src.orders, src.orders.id */
	j = jsonify(r, LINEAGE_JSON_PLAIN);
	ck_assert_str_eq(json_string_value(json_object_get(j, "query")), "roots");
	json_decref(j);
	lineage_result_free(r);
	TU_OK(lineage_query_structure(&r, db, LINEAGE_STRUCT_CRITICAL_PATH, NULL, NULL));
	ck_assert_uint_eq(lineage_result_node_count(r), 4);
	lineage_result_free(r);
	tu_edge(db, "dash", "src.orders");
	TU_FAILS(LINEAGE_ECYCLE, lineage_query_structure(&r, db, LINEAGE_STRUCT_TOPO, NULL, NULL));
	TU_OK(lineage_query_structure(&r, db, LINEAGE_STRUCT_CYCLES, NULL, NULL));
	ck_assert_uint_eq(lineage_result_group_count(r), 1);
	ck_assert_uint_eq(lineage_result_node_count(r), 4);
	lineage_result_free(r);
	TU_FAILS(LINEAGE_EINVALID, lineage_query_structure(&r, db, LINEAGE_STRUCT_SUBTREE, NULL, NULL));
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("query");
	TCase *tc = tcase_create("api");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, downstream_upstream_json);
	tcase_add_test(tc, writes_apply_without_rebuild);
	tcase_add_test(tc, two_handles_one_file);
	tcase_add_test(tc, rollback_coherence);
	tcase_add_test(tc, results_keep_their_answer);
	tcase_add_test(tc, impact_paths_structure_layout);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
