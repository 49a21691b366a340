/* DataHub metadata files: read (proposals and snapshot MCEs), written, and read back. */
#include <stdio.h>

#include "scan_testutil.h"

#define DH LINEAGE_SOURCE_DIR "/tests/data/datahub"
#define ORDERS_DAILY "analytics.marts.orders_daily"

static int has_diag(const lineage_scan_report *r, const char *needle)
{
	char *json = report_json(r);
	int found = strstr(json, needle) != NULL;
	lineage_free(json);
	return found;
}

static char *asset_props(lineage_db *db, const char *key)
{
	static char buf[2048];
	lineage_asset *a = NULL;
	TU_OK(lineage_asset_get(&a, db, key));
	snprintf(buf, sizeof buf, "%s|%s", a->properties_json, a->description ? a->description : "");
	lineage_asset_free(a);
	return buf;
}

START_TEST(proposals_give_tables_columns_and_column_lineage)
{
	lineage_db *db = tu_open_memory();
	lineage_scan_report *r = scan_one(db, DH "/proposals.json", NULL, 0);
	lineage_edge *e = NULL;
	/* Detected without --type; database names lower-cased, files and topics by platform. */
	ck_assert_str_eq(asset_kind(db, ORDERS_DAILY), "table");
	ck_assert_str_eq(asset_kind(db, "s3://lake-raw/exports/fx_rates.parquet"), "file");
	ck_assert_str_eq(asset_kind(db, "kafka://orders,v2"), "topic");
	ck_assert_ptr_nonnull(strstr(asset_props(db, ORDERS_DAILY), "|Orders per day"));
	ck_assert_ptr_nonnull(strstr(asset_props(db, ORDERS_DAILY),
				     "Analytics.Marts.Orders_Daily,PROD)")); /* the URN as DataHub has it */
	ck_assert_str_eq(asset_kind(db, ORDERS_DAILY ".revenue"), "column");
	ck_assert_ptr_nonnull(strstr(asset_props(db, ORDERS_DAILY ".revenue"), "NUMBER(38,2)"));
	ck_assert_str_eq(asset_kind(db, ORDERS_DAILY ".buyer.region"), "column"); /* a v2 path */
	/* Upstreams, with their type. */
	TU_OK(lineage_edge_find(&e, db, "analytics.staging.orders", ORDERS_DAILY, NULL, NULL));
	ck_assert_str_eq(e->transformation_type, "TRANSFORMED");
	ck_assert_int_eq(e->lineage_source, LINEAGE_SOURCE_INFERRED);
	ck_assert_ptr_nonnull(strstr(e->evidence_json, "proposals.json"));
	lineage_edge_free(e);
	TU_OK(lineage_edge_find(&e, db, "s3://lake-raw/exports/fx_rates.parquet", ORDERS_DAILY, NULL, NULL));
	ck_assert_str_eq(e->transformation_type, "COPY");
	lineage_edge_free(e);
	/* Fine-grained lineage: fields, and a whole dataset into a field. */
	TU_OK(lineage_edge_find(&e, db, "analytics.staging.orders.amount", ORDERS_DAILY ".revenue", NULL, NULL));
	ck_assert_str_eq(e->transformation_type, "SUM");
	ck_assert(e->confidence > 0.79 && e->confidence < 0.81);
	lineage_edge_free(e);
	ck_assert(has_edge(db, "s3://lake-raw/exports/fx_rates.parquet.rate", ORDERS_DAILY ".revenue", NULL, NULL));
	ck_assert(has_edge(db, "analytics.staging.orders", ORDERS_DAILY ".day", NULL, NULL));
	/* The aspect given as a JSON string ("value"), and a percent-encoded comma. */
	ck_assert(has_edge(db, "shop.public.orders", "kafka://orders,v2", NULL, NULL));
	/* A PATCH is skipped with a warning; a bad URN is an error, the rest of its aspect read. */
	ck_assert(has_diag(r, "a PATCH of upstreamLineage is skipped"));
	ck_assert(has_diag(r, "item 6: \\\"urn:li:dataset:analytics.staging.orders\\\" is not a dataset URN"));
	ck_assert_uint_eq(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR), 1);
	ck_assert(has_edge(db, "analytics.staging.orders", "analytics.marts.broken", NULL, NULL));
	ck_assert_ptr_null(asset_kind(db, "analytics.marts.customers"));
	lineage_scan_report_free(r);
	/* The same file again changes nothing. */
	{
		int64_t before = 0, after = 0;
		TU_OK(lineage_changes_last_seq(&before, db));
		r = scan_one(db, DH "/proposals.json", "datahub", 0);
		TU_OK(lineage_changes_last_seq(&after, db));
		ck_assert_int_eq(before, after);
		lineage_scan_report_free(r);
	}
	lineage_db_close(db);
}
END_TEST

START_TEST(snapshot_events_are_read_too)
{
	lineage_db *db = tu_open_memory();
	lineage_scan_report *r = scan_one(db, DH "/snapshot_mce.json", NULL, 0);
	ck_assert(has_edge(db, "logs.page_views", "logs.page_views_daily", NULL, NULL));
	ck_assert(has_edge(db, "hdfs://data/geo/countries.csv", "logs.page_views_daily", NULL, NULL));
	ck_assert_uint_eq(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR), 0);
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

static char *export_datahub(lineage_db *db)
{
	lineage_export_options opts;
	char *out = NULL;
	size_t len = 0;
	TU_OK(lineage_export_options_init(&opts, LINEAGE_EXPORT_OPTIONS_VERSION));
	opts.format = LINEAGE_FORMAT_DATAHUB;
	TU_OK(lineage_export_buffer(&out, &len, db, NULL, &opts));
	return out;
}

static int same_edges(lineage_db *a, lineage_db *b)
{
	lineage_edge_list *list = NULL;
	lineage_asset_list *assets = NULL;
	lineage_search_options so;
	int same = 1;
	lineage_search_options_init(&so, LINEAGE_SEARCH_OPTIONS_VERSION);
	so.limit = 10000;
	TU_OK(lineage_asset_search(&assets, a, "", &so));
	for (size_t i = 0; i < lineage_asset_list_count(assets); i++) {
		const lineage_asset *as = lineage_asset_list_get(assets, i);
		TU_OK(lineage_edge_list_for_asset(&list, a, as->key, LINEAGE_EDGES_OUT));
		for (size_t j = 0; j < lineage_edge_list_count(list); j++) {
			const lineage_edge *e = lineage_edge_list_get(list, j);
			lineage_edge *f = NULL;
			if (lineage_edge_find(&f, b, e->source_key, e->target_key, e->kind, NULL) != 0 ||
			    strcmp(f->transformation_type ? f->transformation_type : "",
				   e->transformation_type ? e->transformation_type : "")) {
				printf("missing after the round trip: %s -> %s\n", e->source_key, e->target_key);
				same = 0;
			}
			lineage_edge_free(f);
		}
		lineage_edge_list_free(list);
	}
	lineage_asset_list_free(assets);
	return same;
}

START_TEST(export_and_read_back_gives_the_same_lineage)
{
	lineage_db *a = tu_open_memory(), *b = tu_open_memory();
	lineage_scan_report *r = scan_one(a, DH "/proposals.json", "datahub", 0);
	lineage_scan_options opts;
	char *first, *second;
	lineage_scan_report_free(r);
	first = export_datahub(a);
	/* DataHub's own URNs come back as they were read. */
	ck_assert_ptr_nonnull(strstr(first, "\"entityUrn\":\"urn:li:dataset:(urn:li:dataPlatform:snowflake,Analytics.Marts.Orders_Daily,PROD)\""));
	ck_assert_ptr_nonnull(strstr(first, "urn:li:dataset:(urn:li:dataPlatform:kafka,orders%2Cv2,PROD)"));
	ck_assert_ptr_nonnull(strstr(first, "\"aspectName\":\"upstreamLineage\""));
	ck_assert_ptr_nonnull(strstr(first, "\"upstreamType\":\"FIELD_SET\""));
	ck_assert_ptr_nonnull(strstr(first, "\"upstreamType\":\"DATASET\""));
	ck_assert_ptr_nonnull(strstr(first, "\"transformOperation\":\"SUM\""));
	ck_assert_ptr_nonnull(strstr(first, "urn:li:schemaField:(urn:li:dataset:(urn:li:dataPlatform:snowflake,Analytics.Marts.Orders_Daily,PROD),revenue)"));
	TU_OK(lineage_scan_options_init(&opts, LINEAGE_SCAN_OPTIONS_VERSION));
	opts.type = "datahub";
	TU_OK(lineage_scan_run_buffer(&r, b, "exported.json", first, strlen(first), &opts));
	ck_assert_uint_eq(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR), 0);
	lineage_scan_report_free(r);
	ck_assert(same_edges(a, b));
	ck_assert(same_edges(b, a));
	second = export_datahub(b);
	ck_assert_uint_eq(strlen(first), strlen(second)); /* same proposals; only stamps' times differ */
	lineage_free(first);
	lineage_free(second);
	lineage_db_close(a);
	lineage_db_close(b);
}
END_TEST

START_TEST(lineage_from_elsewhere_gets_urns)
{
	lineage_db *db = tu_open_memory();
	lineage_ol_ingest *ing = NULL;
	const char *ev = "{\"eventType\": \"COMPLETE\", \"eventTime\": \"2026-12-05T10:00:00Z\", \"run\": {\"runId\": \"r\"},"
			 " \"job\": {\"namespace\": \"airflow\", \"name\": \"load\"},"
			 " \"inputs\": [{\"namespace\": \"postgres://db:5432\", \"name\": \"app.public.orders\"}],"
			 " \"outputs\": [{\"namespace\": \"s3://lake\", \"name\": \"orders/2026/\"}]}";
	char *out;
	TU_OK(lineage_ol_ingest_new(&ing, db, NULL));
	TU_OK(lineage_ol_ingest_event(NULL, ing, ev, strlen(ev)));
	lineage_ol_ingest_free(ing);
	tu_asset(db, "x.y", "table", NULL);
	tu_asset(db, "x.z", "table", NULL);
	tu_edge(db, "x.y", "x.z");
	out = export_datahub(db);
	ck_assert_ptr_nonnull(strstr(out, "\"urn:li:dataset:(urn:li:dataPlatform:postgres,app.public.orders,PROD)\""));
	ck_assert_ptr_nonnull(strstr(out, "\"urn:li:dataset:(urn:li:dataPlatform:s3,lake/orders/2026/,PROD)\""));
	ck_assert_ptr_nonnull(strstr(out, "\"urn:li:dataset:(urn:li:dataPlatform:liblineage,x.z,PROD)\""));
	ck_assert_ptr_null(strstr(out, "dataPlatform:airflow")); /* jobs are not datasets */
	lineage_free(out);
	lineage_db_close(db);
}
END_TEST

START_TEST(not_json_is_an_error_for_the_file)
{
	lineage_db *db = tu_open_memory();
	lineage_scan_report *r = NULL;
	lineage_scan_options opts;
	TU_OK(lineage_scan_options_init(&opts, LINEAGE_SCAN_OPTIONS_VERSION));
	opts.type = "datahub";
	TU_OK(lineage_scan_run_buffer(&r, db, "bad.json", "[{\"entityUrn\": ", 15, &opts));
	ck_assert(has_diag(r, "bad.json is not valid JSON"));
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("datahub");
	TCase *tc = tcase_create("datahub");
	tcase_add_test(tc, proposals_give_tables_columns_and_column_lineage);
	tcase_add_test(tc, snapshot_events_are_read_too);
	tcase_add_test(tc, export_and_read_back_gives_the_same_lineage);
	tcase_add_test(tc, lineage_from_elsewhere_gets_urns);
	tcase_add_test(tc, not_json_is_an_error_for_the_file);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
