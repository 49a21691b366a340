/* The SQL scanner inside scan runs: detection, edges with evidence, SELECT * expanded with
 * the columns the store knows, lineage_scan_sql_json. */
#include <stdio.h>

#include "scan_testutil.h"
#include "scan/scan_internal.h"

static const char *write_sql(const char *name, const char *sql)
{
	const char *path = tu_path(name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(sql, f);
	fclose(f);
	return path;
}

START_TEST(sql_files_are_detected_and_stored_with_evidence)
{
	lineage_db *db = tu_open_temp();
	lineage_scan_report *r;
	lineage_edge *e = NULL;
	write_sql("load.sql", "insert into mart.daily (d, total)\nselect d, sum(amount) from raw.sales group by d;\n");
	write_sql("notes.txt", "select * from nowhere");
	r = scan_one(db, tu_tmpdir(), NULL, 0);
	ck_assert_uint_eq(r->s.files, 1); /* the .txt file is nobody's */
	ck_assert_str_eq(asset_kind(db, "raw.sales"), "table");
	ck_assert_str_eq(asset_kind(db, "mart.daily.total"), "column");
	TU_OK(lineage_edge_find(&e, db, "raw.sales.amount", "mart.daily.total", NULL, NULL));
	ck_assert_str_eq(e->transformation_type, "aggregate");
	ck_assert_ptr_nonnull(strstr(e->evidence_json, "\"line\":2"));
	ck_assert_ptr_nonnull(strstr(e->origin, "scan:sql:"));
	lineage_edge_free(e);
	ck_assert(has_edge(db, "raw.sales", "mart.daily", NULL, NULL));
	/* d is selected and grouped by: value lineage. */
	ck_assert(has_edge(db, "raw.sales.d", "mart.daily.d", NULL, NULL));
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(select_star_uses_columns_known_to_the_store)
{
	lineage_db *db = tu_open_temp();
	const char *path = write_sql("copy.sql", "create table stg.customers as select * from raw.customers;");
	lineage_scan_report *r;
	char *json = NULL;
	tu_asset(db, "raw.customers", "table", NULL);
	tu_asset(db, "raw.customers.id", "column", "raw.customers");
	tu_asset(db, "raw.customers.email", "column", "raw.customers");
	r = scan_one(db, path, "sql", 0);
	ck_assert(has_edge(db, "raw.customers.email", "stg.customers.email", NULL, NULL));
	ck_assert(has_edge(db, "raw.customers.id", "stg.customers.id", NULL, NULL));
	lineage_scan_report_free(r);
	/* The same analysis without storing, with and without the database. */
	TU_OK(lineage_scan_sql_json(&json, db, "select * from raw.customers", 27, NULL, NULL));
	lineage_free(json);
	TU_OK(lineage_scan_sql_json(&json, db, "create table x as select * from raw.customers", 45, "f.sql", NULL));
	ck_assert_ptr_nonnull(strstr(json, "[\"raw.customers.email\",\"x.email\"]"));
	lineage_free(json);
	TU_OK(lineage_scan_sql_json(&json, NULL, "create table x as select * from raw.customers", 45, NULL, NULL));
	ck_assert_ptr_nonnull(strstr(json, "[\"raw.customers.*\",\"x.*\"]"));
	lineage_free(json);
	lineage_db_close(db);
}
END_TEST

START_TEST(a_procedure_is_the_job_of_the_edges_of_its_body)
{
	lineage_db *db = tu_open_temp();
	const char *path = write_sql("proc.sql",
				     "CREATE PROCEDURE dbo.load_orders @day DATE AS\n"
				     "BEGIN\n"
				     "  INSERT INTO mart.orders (id, amount)\n"
				     "  SELECT id, amount FROM raw.orders WHERE day = @day\n"
				     "END\n"
				     "GO\n"
				     "INSERT INTO mart.archive (id) SELECT id FROM mart.orders\n");
	lineage_scan_report *r;
	lineage_scan_options o;
	lineage_scan_options_init(&o, LINEAGE_SCAN_OPTIONS_VERSION);
	o.dialect = "tsql";
	o.type = "sql";
	TU_OK(lineage_scan_run(&r, db, (const char *[]){path}, 1, &o));
	ck_assert_str_eq(asset_kind(db, "dbo.load_orders"), "job");
	ck_assert(has_edge(db, "raw.orders", "mart.orders", NULL, "dbo.load_orders"));
	ck_assert(has_edge(db, "raw.orders.amount", "mart.orders.amount", NULL, "dbo.load_orders"));
	/* after GO the procedure has ended: the next statement has no job */
	ck_assert(has_edge(db, "mart.orders", "mart.archive", NULL, NULL));
	ck_assert(!has_edge(db, "mart.orders", "mart.archive", NULL, "dbo.load_orders"));
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(bad_sql_is_a_diagnostic_and_the_scan_goes_on)
{
	lineage_db *db = tu_open_temp();
	const char *path = write_sql("upd.sql", "insert into u select * from t where x > 1;\nthis is not sql;\n");
	lineage_scan_report *r = scan_one(db, path, "sql", 0);
	ck_assert(has_edge(db, "t", "u", NULL, NULL));
	ck_assert_uint_ge(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR), 1);
	ck_assert_int_eq(lineage_scan_report_diagnostic(r, 0)->line, 2);
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(unknown_dialect_is_refused_before_anything)
{
	lineage_db *db = tu_open_temp();
	lineage_scan_options o;
	lineage_scan_report *r = NULL;
	const char *paths[1] = {write_sql("a.sql", "select 1")};
	TU_OK(lineage_scan_options_init(&o, LINEAGE_SCAN_OPTIONS_VERSION));
	o.dialect = "esperanto";
	TU_FAILS(LINEAGE_EINVALID, lineage_scan_run(&r, db, paths, 1, &o));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "snowflake"));
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scan_sql_scanner");
	TCase *tc = tcase_create("sql");
	tcase_add_test(tc, sql_files_are_detected_and_stored_with_evidence);
	tcase_add_test(tc, select_star_uses_columns_known_to_the_store);
	tcase_add_test(tc, bad_sql_is_a_diagnostic_and_the_scan_goes_on);
	tcase_add_test(tc, a_procedure_is_the_job_of_the_edges_of_its_body);
	tcase_add_test(tc, unknown_dialect_is_refused_before_anything);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
