/* The OpenLineage scanner, on fixtures of ours and on real events from the shared corpus. */
#include <stdio.h>

#include "scan_testutil.h"
#include "scan/scan_internal.h"

#define OL LINEAGE_SOURCE_DIR "/tests/data/openlineage"

static int has_diag(const lineage_scan_report *r, const char *needle)
{
	char *json = report_json(r);
	int found = strstr(json, needle) != NULL;
	lineage_free(json);
	return found;
}

START_TEST(json_lines_with_bad_lines_keeps_the_good_events)
{
	lineage_db *db = tu_open_memory();
	lineage_scan_report *r = scan_one(db, OL "/run_events.jsonl", NULL, 0);
	lineage_edge *e = NULL;
	/* Database names are lower-cased; files keep namespace and path. */
	ck_assert_str_eq(asset_kind(db, "app.public.orders"), "table");
	ck_assert_str_eq(asset_kind(db, "wh.raw.orders"), "table");
	ck_assert_str_eq(asset_kind(db, "s3://exports/orders/2026/"), "file");
	ck_assert_str_eq(asset_kind(db, "airflow/etl.load_orders"), "job");
	ck_assert_str_eq(asset_kind(db, "app.public.orders.id"), "column");
	ck_assert(has_edge(db, "app.public.orders", "wh.raw.orders", NULL, "airflow/etl.load_orders"));
	ck_assert(has_edge(db, "wh.raw.orders", "s3://exports/orders/2026/", NULL, "airflow/etl.export"));
	/* Column lineage: DIRECT as a flow, INDIRECT apart. */
	ck_assert(has_edge(db, "app.public.orders.amount", "wh.raw.orders.amount", NULL, "airflow/etl.load_orders"));
	ck_assert(has_edge(db, "app.public.orders.id", "wh.raw.orders.amount", "indirect", "airflow/etl.load_orders"));
	TU_OK(lineage_edge_find(&e, db, "app.public.orders.amount", "wh.raw.orders.amount", NULL, "airflow/etl.load_orders"));
	ck_assert_str_eq(e->transformation_type, "IDENTITY");
	ck_assert_int_eq(e->lineage_source, LINEAGE_SOURCE_INFERRED);
	ck_assert_ptr_nonnull(strstr(e->evidence_json, "3f5e83fa"));
	lineage_edge_free(e);
	/* The broken line and the event without a run id are reported, not fatal. */
	ck_assert(has_diag(r, "line 3 is not valid JSON"));
	ck_assert(has_diag(r, "run.runId is missing"));
	ck_assert_uint_eq(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR), 2);
	ck_assert_ptr_null(asset_kind(db, "airflow/broken"));
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

static lineage_scan_report *scan_corpus(lineage_db *db, const char *file)
{
	char path[1024];
	if (!corpus_dir(path, sizeof path, file)) {
		printf("skipped: the shared corpus is not at %s\n", path);
		return NULL;
	}
	return scan_one(db, path, "openlineage", 0);
}

START_TEST(corpus_simple_run_event)
{
	lineage_db *db = tu_open_memory();
	lineage_scan_report *r = scan_corpus(db, "openlineage/ol05_run_event_simple_2in_1out.json");
	if (r) {
		ck_assert(has_edge(db, "instance.schema.input-1", "instance.schema.output-1", NULL, "my-scheduler-namespace/myjob"));
		ck_assert(has_edge(db, "instance.schema.input-2", "instance.schema.output-1", NULL, "my-scheduler-namespace/myjob"));
		ck_assert_uint_eq(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR), 0);
	}
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(corpus_invalid_event_without_run_id)
{
	lineage_db *db = tu_open_memory();
	lineage_scan_report *r = scan_corpus(db, "openlineage/ol09_INVALID_no_run_id.json");
	if (r) {
		ck_assert(has_diag(r, "run.runId is missing"));
		ck_assert_uint_eq(r->s.edges_found, 0);
	}
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(corpus_facet_fragment_is_refused_clearly)
{
	lineage_db *db = tu_open_memory();
	lineage_scan_report *r = scan_corpus(db, "openlineage/ol16_FACET_ONLY_column_lineage_snowflake.json");
	if (r)
		ck_assert(has_diag(r, "this is a facet, not an event"));
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(corpus_symlinks_map_locations_to_tables)
{
	lineage_db *db = tu_open_memory();
	lineage_scan_report *r = scan_corpus(db, "openlineage/ol17_spark_ctas_column_lineage_symlinks.json");
	if (r) {
		lineage_edge_list *list = NULL;
		/* The output location stands for its Hive table, and column edges land on it. */
		ck_assert_str_eq(asset_kind(db, "shopify.fact_order_new5"), "table");
		TU_OK(lineage_edge_list_for_asset(&list, db, "shopify.fact_order_new5.id", LINEAGE_EDGES_IN));
		ck_assert_uint_ge(lineage_edge_list_count(list), 1);
		lineage_edge_list_free(list);
		ck_assert_uint_eq(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR), 0);
	}
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(corpus_every_file_scans_without_failing)
{
	char dir[1024];
	lineage_db *db = tu_open_memory();
	lineage_scan_report *r;
	if (!corpus_dir(dir, sizeof dir, "openlineage")) {
		printf("skipped: the shared corpus is not at %s\n", dir);
		lineage_db_close(db);
		return;
	}
	/* A folder: every event file is detected and read; _sources.txt is not an input. */
	r = scan_one(db, dir, NULL, 0);
	ck_assert_uint_ge(r->s.files, 15);
	ck_assert_uint_ge(r->s.edges_found, 16);
	/* The facet fragment is no event: nobody claims it in a folder walk. */
	ck_assert(!has_diag(r, "ol16_FACET_ONLY"));
	/* Test templates without run ids are refused like any RunEvent without one. */
	ck_assert(has_diag(r, "ol10_TEMPLATE_hive_cll_cte_joins.json\",\"line\":0,\"column\":0,\"severity\":\"error\",\"message\":\"event 0: run.runId is missing"));
	ck_assert_str_eq(asset_kind(db, "kafka://kafka-cluster-prod:9092/io.openlineage.flink.kafka.output"), "topic");
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(dataset_event_and_static_job_event)
{
	lineage_db *db = tu_open_memory();
	lineage_scan_report *r = scan_corpus(db, "openlineage/ol04_static_dataset_event.json");
	if (r) {
		ck_assert_uint_eq(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR), 0);
		ck_assert_uint_ge(r->s.assets_found, 1);
		lineage_scan_report_free(r);
		r = scan_corpus(db, "openlineage/ol03_static_job_event.json");
		ck_assert_uint_eq(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR), 0);
		ck_assert_uint_ge(r->s.edges_found, 1);
	}
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scan_openlineage");
	TCase *tc = tcase_create("openlineage");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, json_lines_with_bad_lines_keeps_the_good_events);
	tcase_add_test(tc, corpus_simple_run_event);
	tcase_add_test(tc, corpus_invalid_event_without_run_id);
	tcase_add_test(tc, corpus_facet_fragment_is_refused_clearly);
	tcase_add_test(tc, corpus_symlinks_map_locations_to_tables);
	tcase_add_test(tc, corpus_every_file_scans_without_failing);
	tcase_add_test(tc, dataset_event_and_static_job_event);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
