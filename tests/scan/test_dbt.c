/* The dbt scanner, on a fixture of ours and on real manifests from the shared corpus. */
#include <jansson.h>
#include <stdio.h>

#include "scan_testutil.h"
#include "scan/scan_internal.h"

#define SHOP LINEAGE_SOURCE_DIR "/tests/data/dbt/shop"

START_TEST(project_folder_gives_relations_columns_jobs_and_exposures)
{
	lineage_db *db = tu_open_memory();
	lineage_scan_report *r = scan_one(db, SHOP, NULL, 0);
	lineage_asset *a = NULL;
	ck_assert_str_eq(asset_kind(db, "app.public.orders"), "table");
	ck_assert_str_eq(asset_kind(db, "analytics.staging.stg_orders"), "view");
	ck_assert_str_eq(asset_kind(db, "analytics.marts.dim_customers"), "table");
	ck_assert_str_eq(asset_kind(db, "analytics.marts.int_eph"), "model");
	ck_assert_str_eq(asset_kind(db, "analytics.staging"), "schema");
	ck_assert_str_eq(asset_kind(db, "analytics"), "database");
	ck_assert_str_eq(asset_kind(db, "dbt:shop.customers"), "job");
	ck_assert_str_eq(asset_kind(db, "dbt:shop.exposures.revenue"), "dashboard");
	/* Tests are not data flows. */
	ck_assert_ptr_null(asset_kind(db, "analytics.staging_dbt_test__audit.not_null_stg_orders_order_id"));
	/* Columns from the catalog, with types, inside their table. */
	TU_OK(lineage_asset_get(&a, db, "analytics.staging.stg_orders.amount"));
	ck_assert_str_eq(a->kind, "column");
	ck_assert_str_eq(a->parent_key, "analytics.staging.stg_orders");
	ck_assert_ptr_nonnull(strstr(a->properties_json, "numeric"));
	lineage_asset_free(a);
	TU_OK(lineage_asset_get(&a, db, "analytics.staging.stg_orders.order_id"));
	ck_assert_str_eq(a->description, "Primary key");
	lineage_asset_free(a);
	TU_OK(lineage_asset_get(&a, db, "analytics.staging.stg_orders"));
	ck_assert_str_eq(a->owner, "data-eng@shop.example");
	ck_assert_uint_eq(a->tag_count, 1);
	ck_assert_str_eq(a->tags[0], "staging");
	lineage_asset_free(a);
	/* Edges: dependency -> model, with the model's job on them; exposures fed by models. */
	ck_assert(has_edge(db, "app.public.orders", "analytics.staging.stg_orders", NULL, "dbt:shop.stg_orders"));
	ck_assert(has_edge(db, "analytics.staging.stg_orders", "analytics.marts.dim_customers", NULL, "dbt:shop.customers"));
	ck_assert(has_edge(db, "analytics.seeds.countries", "analytics.marts.dim_customers", NULL, "dbt:shop.customers"));
	ck_assert(has_edge(db, "analytics.marts.int_eph", "analytics.marts.dim_customers", NULL, "dbt:shop.customers"));
	ck_assert(has_edge(db, "analytics.marts.dim_customers", "dbt:shop.exposures.revenue", NULL, NULL));
	/* Column lineage from the compiled SQL, with the model's job. */
	ck_assert(has_edge(db, "app.public.orders.amount_cents", "analytics.staging.stg_orders.amount", NULL, "dbt:shop.stg_orders"));
	ck_assert(has_edge(db, "app.public.orders.id", "analytics.staging.stg_orders.order_id", NULL, "dbt:shop.stg_orders"));
	ck_assert(has_edge(db, "analytics.staging.stg_orders.amount", "analytics.marts.dim_customers.lifetime_value", NULL, "dbt:shop.customers"));
	ck_assert_uint_eq(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR), 0);
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(edges_are_inferred_with_evidence)
{
	lineage_db *db = tu_open_memory();
	lineage_scan_report *r = scan_one(db, SHOP "/target/manifest.json", "dbt", 0);
	lineage_edge *e = NULL;
	TU_OK(lineage_edge_find(&e, db, "app.public.orders", "analytics.staging.stg_orders", NULL, "dbt:shop.stg_orders"));
	ck_assert_int_eq(e->lineage_source, LINEAGE_SOURCE_INFERRED);
	ck_assert(e->confidence > 0.9 && e->confidence < 1.0);
	ck_assert_ptr_nonnull(strstr(e->evidence_json, "model.shop.stg_orders"));
	ck_assert_ptr_nonnull(strstr(e->origin, "scan:dbt:"));
	lineage_edge_free(e);
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

/* The datasets and job-to-dataset edges that OpenLineage's own dbt integration derives from
 * the same manifest (its result.json) must all be in what we store. */
static void check_against_openlineage(const char *folder)
{
	char dir[1024], result_path[1100];
	lineage_db *db;
	lineage_scan_report *r;
	json_t *events;
	json_error_t err;
	size_t i, checked = 0;
	json_t *ev;
	if (!corpus_dir(dir, sizeof dir, folder)) {
		printf("skipped: the shared corpus is not at %s\n", dir);
		return;
	}
	snprintf(result_path, sizeof result_path, "%s/result.json", dir);
	events = json_load_file(result_path, 0, &err);
	ck_assert_msg(events != NULL, "%s: %s", result_path, err.text);
	db = tu_open_memory();
	r = scan_one(db, dir, "dbt", 0);
	json_array_foreach(events, i, ev) {
		json_t *outputs = json_object_get(ev, "outputs"), *inputs = json_object_get(ev, "inputs");
		json_t *o, *in;
		size_t j, k;
		json_array_foreach(outputs, j, o) {
			const char *out = json_string_value(json_object_get(o, "name"));
			ck_assert_msg(asset_kind(db, out) != NULL, "%s: dataset %s is missing", folder, out);
			json_array_foreach(inputs, k, in) {
				const char *src = json_string_value(json_object_get(in, "name"));
				lineage_edge_list *list = NULL;
				int found = 0;
				TU_OK(lineage_edge_list_for_asset(&list, db, out, LINEAGE_EDGES_IN));
				for (size_t m = 0; m < lineage_edge_list_count(list); m++)
					found |= !strcmp(lineage_edge_list_get(list, m)->source_key, src);
				lineage_edge_list_free(list);
				ck_assert_msg(found, "%s: no edge %s -> %s", folder, src, out);
				checked++;
			}
		}
	}
	ck_assert_uint_gt(checked, 0);
	json_decref(events);
	lineage_scan_report_free(r);
	lineage_db_close(db);
}

START_TEST(corpus_postgres_matches_openlineage)
{
	check_against_openlineage("dbt/openlineage_postgres");
}
END_TEST

START_TEST(corpus_spark_v4_matches_openlineage)
{
	check_against_openlineage("dbt/openlineage_spark_thrift");
}
END_TEST

START_TEST(corpus_jaffle_shop_v12_with_catalog)
{
	char dir[1024];
	lineage_db *db;
	lineage_scan_report *r;
	if (!corpus_dir(dir, sizeof dir, "dbt/jaffle_shop_ichikawa")) {
		printf("skipped: the shared corpus is not at %s\n", dir);
		return;
	}
	db = tu_open_memory();
	r = scan_one(db, dir, NULL, 0);
	/* Snowflake upper-case names become the lower-case keys unquoted SQL names get. */
	ck_assert_str_eq(asset_kind(db, "fy26_task_force_ichikawa.streamlit_test.customers"), "table");
	ck_assert(has_edge(db, "fy26_task_force_ichikawa.streamlit_test.stg_customers",
			   "fy26_task_force_ichikawa.streamlit_test.customers", NULL, "dbt:jaffle_shop.customers"));
	ck_assert_uint_gt(r->s.edges_found, 10);
	/* Column lineage through CTEs and SELECT * expanded with the catalog's columns, from the
	 * mart back to the raw source. */
	ck_assert(has_edge(db, "fy26_task_force_ichikawa.streamlit_test.orders.order_total",
			   "fy26_task_force_ichikawa.streamlit_test.customers.lifetime_spend", NULL, "dbt:jaffle_shop.customers"));
	ck_assert(has_edge(db, "fy26_task_force_ichikawa.raw.raw_orders.order_total",
			   "fy26_task_force_ichikawa.streamlit_test.stg_orders.order_total", NULL, "dbt:jaffle_shop.stg_orders"));
	ck_assert_uint_eq(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR), 0);
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(corpus_singular_test_v11)
{
	char dir[1024];
	lineage_db *db;
	lineage_scan_report *r;
	if (!corpus_dir(dir, sizeof dir, "dbt/openlineage_singular_test")) {
		printf("skipped: the shared corpus is not at %s\n", dir);
		return;
	}
	db = tu_open_memory();
	r = scan_one(db, dir, "dbt", 0);
	ck_assert_uint_eq(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR), 0);
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(broken_manifest_is_a_diagnostic_and_writes_nothing)
{
	lineage_db *db = tu_open_temp();
	const char *path = tu_path("manifest.json");
	FILE *f = fopen(path, "w");
	lineage_scan_report *r;
	int64_t seq = -1;
	fputs("{\"metadata\": {\"dbt_schema_version\": \"https://schemas.getdbt.com/dbt/manifest/v12.json\"}, \"nodes\": [1,", f);
	fclose(f);
	r = scan_one(db, path, "dbt", 0);
	ck_assert_uint_eq(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR), 1);
	TU_OK(lineage_changes_last_seq(&seq, db));
	ck_assert_int_eq(seq, 0);
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scan_dbt");
	TCase *tc = tcase_create("dbt");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, project_folder_gives_relations_columns_jobs_and_exposures);
	tcase_add_test(tc, edges_are_inferred_with_evidence);
	tcase_add_test(tc, corpus_postgres_matches_openlineage);
	tcase_add_test(tc, corpus_spark_v4_matches_openlineage);
	tcase_add_test(tc, corpus_jaffle_shop_v12_with_catalog);
	tcase_add_test(tc, corpus_singular_test_v11);
	tcase_add_test(tc, broken_manifest_is_a_diagnostic_and_writes_nothing);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
