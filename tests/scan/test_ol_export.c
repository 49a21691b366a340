/* The stored lineage exported as OpenLineage events reads back into the same lineage. */
#include <jansson.h>
#include <stdio.h>

#include "scan_testutil.h"
#include "common/strbuf.h"
#include "scan/openlineage/ol_internal.h"

static char *export_all(lineage_db *db)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	TU_OK(lin_ol_export(db, NULL, &sb));
	return lin_strbuf_detach(&sb);
}

START_TEST(round_trip_through_openlineage)
{
	lineage_db *db = tu_open_memory(), *back = tu_open_memory();
	lineage_scan_report *r;
	lineage_edge_spec spec;
	char *events;
	size_t lines = 0;
	/* Lineage from OpenLineage, from a person (with a job and SQL), and at column level. */
	r = scan_one(db, LINEAGE_SOURCE_DIR "/tests/data/scan/ol_column_lineage/input", "openlineage", 0);
	lineage_scan_report_free(r);
	tu_asset(db, "s3://exports/daily/", "file", NULL);
	TU_OK(lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION));
	spec.source_key = "dw.public.daily";
	spec.target_key = "s3://exports/daily/";
	spec.job_key = "airflow/export_daily";
	spec.create_missing = 1;
	spec.transformation = "COPY INTO @exports FROM dw.public.daily";
	TU_OK(lineage_edge_upsert(NULL, NULL, db, &spec));
	tu_asset(db, "crm.accounts", "table", NULL);
	tu_edge(db, "crm.accounts", "dw.public.daily");
	events = export_all(db);
	for (const char *c = events; *c; c++)
		lines += *c == '\n';
	ck_assert_uint_eq(lines, 3); /* two jobs, and one load without a job */
	ck_assert_ptr_nonnull(strstr(events, "\"namespace\":\"s3://exports\",\"name\":\"/daily/\""));
	ck_assert_ptr_nonnull(strstr(events, "\"namespace\":\"postgres://db\",\"name\":\"dw.public.daily\""));
	ck_assert_ptr_nonnull(strstr(events, "\"query\":\"COPY INTO @exports FROM dw.public.daily\""));
	ck_assert_ptr_nonnull(strstr(events, "\"name\":\"load:dw.public.daily\""));
	/* Every line is a JobEvent the OpenLineage scanner reads back. */
	r = NULL;
	{
		lineage_scan_options o;
		lineage_scan_options_init(&o, LINEAGE_SCAN_OPTIONS_VERSION);
		o.type = "openlineage";
		TU_OK(lineage_scan_run_buffer(&r, back, "exported.jsonl", events, strlen(events), &o));
	}
	ck_assert_uint_eq(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_WARNING), 0);
	lineage_scan_report_free(r);
	ck_assert(has_edge(back, "shop.public.orders", "dw.public.daily", NULL, "prod-airflow/etl.load"));
	ck_assert(has_edge(back, "shop.public.orders.amount", "dw.public.daily.total", NULL, "prod-airflow/etl.load"));
	ck_assert(has_edge(back, "shop.public.orders.status", "dw.public.daily.total", "indirect", "prod-airflow/etl.load"));
	ck_assert(has_edge(back, "dw.public.daily", "s3://exports/daily/", NULL, "airflow/export_daily"));
	ck_assert(has_edge(back, "crm.accounts", "dw.public.daily", NULL, "liblineage/load:dw.public.daily"));
	lineage_free(events);
	lineage_db_close(db);
	lineage_db_close(back);
}
END_TEST

START_TEST(empty_graph_exports_nothing)
{
	lineage_db *db = tu_open_memory();
	char *events = export_all(db);
	ck_assert_str_eq(events, "");
	lineage_free(events);
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scan_ol_export");
	TCase *tc = tcase_create("export");
	tcase_add_test(tc, round_trip_through_openlineage);
	tcase_add_test(tc, empty_graph_exports_nothing);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
