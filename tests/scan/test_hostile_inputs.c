/* Scans of damaged or hostile inputs: missing and mistyped fields in dbt and OpenLineage
 * artifacts, bytes that are not UTF-8 in what a report quotes, runs that change nothing. */
#include <jansson.h>
#include <stdio.h>

#include "lineage/scan.h"
#include "scan_testutil.h"

#define MANIFEST_HEAD "{\"metadata\": {\"dbt_schema_version\": \"https://schemas.getdbt.com/dbt/manifest/v12.json\"}, "

static lineage_scan_report *scan_text(lineage_db *db, const char *name, const char *type,
				      const char *text)
{
	lineage_scan_options opts;
	lineage_scan_report *report = NULL;
	TU_OK(lineage_scan_options_init(&opts, LINEAGE_SCAN_OPTIONS_VERSION));
	opts.type = type;
	TU_OK(lineage_scan_run_buffer(&report, db, name, text, strlen(text), &opts));
	return report;
}

/* The report's JSON parses, and every diagnostic in it is there. */
static json_t *report_doc(const lineage_scan_report *r)
{
	char *text = report_json(r);
	json_error_t err;
	json_t *doc = json_loads(text, 0, &err);
	ck_assert_msg(doc != NULL, "report JSON does not parse: %s", err.text);
	ck_assert_uint_eq(json_array_size(json_object_get(doc, "diagnostics")),
			  lineage_scan_report_diagnostic_kept(r));
	lineage_free(text);
	return doc;
}

/* The batch the next single call gets: 1 when no run before it recorded one. A PostgreSQL
 * sequence does not give back the ids of rolled-back transactions: there, `want` is only
 * checked as a lower bound (the reports' batch_id 0 says the rest). */
static void check_next_batch(lineage_db *db, const char *probe, int64_t want)
{
	tu_asset(db, probe, "table", NULL);
	if (tu_backend_pg())
		ck_assert_int_ge(lineage_db_batch_id(db), want);
	else
		ck_assert_int_eq(lineage_db_batch_id(db), want);
}

START_TEST(dbt_uid_both_source_and_untyped_node)
{
	lineage_db *db = tu_open_memory();
	/* The same id under "sources" (typed) and under "nodes" (no resource_type) that depends
	 * on another source: the node is no relation, so it gets no dependency edge. */
	lineage_scan_report *r = scan_text(db, "manifest.json", "dbt", MANIFEST_HEAD
		"\"sources\": {\"source.p.raw.orders\": {\"resource_type\": \"source\", \"database\": \"db\", \"schema\": \"raw\", \"name\": \"orders\"},"
		"              \"source.p.raw.items\": {\"resource_type\": \"source\", \"database\": \"db\", \"schema\": \"raw\", \"name\": \"items\"}},"
		"\"nodes\": {\"source.p.raw.orders\": {\"depends_on\": {\"nodes\": [\"source.p.raw.items\"]}}}}");
	ck_assert_str_eq(asset_kind(db, "db.raw.orders"), "table");
	ck_assert_str_eq(asset_kind(db, "db.raw.items"), "table");
	ck_assert(!has_edge(db, "db.raw.items", "db.raw.orders", NULL, "dbt:dbt.source.p.raw.orders"));
	ck_assert_uint_eq(lineage_scan_report_summary(r)->edges_found, 0);
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(dbt_fields_of_the_wrong_type_are_absent)
{
	lineage_db *db = tu_open_memory();
	/* Every field a wrong type somewhere: the well-formed model still gets its edge. */
	lineage_scan_report *r = scan_text(db, "manifest.json", "dbt",
		"{\"metadata\": {\"dbt_schema_version\": \"https://schemas.getdbt.com/dbt/manifest/v12.json\", \"project_name\": 7, \"adapter_type\": []},"
		"\"sources\": [1, 2],"
		"\"exposures\": {\"exposure.p.e\": {\"name\": \"e\", \"type\": 3, \"owner\": \"me\", \"depends_on\": {\"nodes\": [1, null, \"model.p.a\"]}},"
		"                \"exposure.p.f\": {\"name\": [], \"depends_on\": 5}},"
		"\"nodes\": {"
		" \"model.p.a\": {\"resource_type\": \"model\", \"schema\": \"s\", \"name\": \"a\", \"config\": \"x\", \"tags\": \"t\", \"columns\": [1], \"meta\": 3},"
		" \"model.p.b\": {\"resource_type\": \"model\", \"schema\": \"s\", \"name\": \"b\", \"depends_on\": {\"nodes\": [{\"x\": 1}, 42, \"model.p.a\"]},"
		"                \"columns\": {\"c\": 5, \"d\": {\"name\": 1, \"data_type\": {}}}, \"compiled_code\": 9, \"config\": {\"materialized\": 1}},"
		" \"model.p.c\": {\"resource_type\": 5, \"name\": \"c\"},"
		" \"model.p.d\": {\"resource_type\": \"model\", \"name\": 4, \"alias\": null, \"depends_on\": [\"model.p.a\"]},"
		" \"model.p.e\": {\"resource_type\": \"snapshot\", \"schema\": \"s\", \"name\": \"e\", \"depends_on\": {\"nodes\": \"model.p.a\"}},"
		" \"model.p.f\": \"a string\", \"model.p.g\": null}}");
	ck_assert_str_eq(asset_kind(db, "s.a"), "table");
	ck_assert(has_edge(db, "s.a", "s.b", NULL, "dbt:dbt.b"));
	ck_assert_str_eq(asset_kind(db, "s.b.d"), "column");
	ck_assert(has_edge(db, "s.a", "dbt:dbt.exposures.e", NULL, NULL));
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(openlineage_fields_of_the_wrong_type_are_absent)
{
	lineage_db *db = tu_open_memory();
	lineage_scan_report *r = scan_text(db, "events.json", "openlineage",
		"[{\"eventType\": 1, \"run\": {\"runId\": 2}, \"job\": {\"namespace\": \"n\", \"name\": \"j\"}},"
		" {\"run\": {\"runId\": \"r\"}, \"job\": {\"namespace\": \"n\", \"name\": \"j\", \"facets\": [1]},"
		"  \"inputs\": [1, {\"namespace\": 2, \"name\": \"a\", \"facets\": {\"symlinks\": {\"identifiers\": [1, {\"type\": 1}]}, \"schema\": {\"fields\": [1, {\"name\": 2}, {\"name\": \"x\", \"fields\": 3}]}}}],"
		"  \"outputs\": {\"namespace\": \"n\"}},"
		" {\"run\": {\"runId\": \"r\"}, \"job\": {\"namespace\": \"n\", \"name\": \"k\"},"
		"  \"inputs\": [{\"namespace\": \"pg://h\", \"name\": \"a\"}],"
		"  \"outputs\": [{\"namespace\": \"pg://h\", \"name\": \"b\", \"facets\": {\"columnLineage\": {\"fields\": {\"c\": {\"inputFields\": [1, {\"name\": 1}, {\"namespace\": 1, \"name\": \"a\", \"field\": \"x\", \"transformations\": [1]}]}, \"d\": 3}}}}]},"
		" {\"dataset\": {\"namespace\": [], \"name\": \"z\"}}, {\"dataset\": 1}, {\"job\": 1}, 1, null]");
	ck_assert(has_edge(db, "a", "b", NULL, "n/k"));
	ck_assert(has_edge(db, "a.x", "b.c", NULL, "n/k"));
	json_decref(report_doc(r));
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

/* A backslash before a two-byte character: the parser's message quotes its first byte. */
START_TEST(parse_error_quoting_a_cut_character_is_reported)
{
	lineage_db *db = tu_open_memory();
	lineage_scan_report *r = scan_text(db, "manifest.json", "dbt",
					   MANIFEST_HEAD "\"nodes\": {\"a\": \"\\\xc3\xa9\"}}");
	json_t *doc = report_doc(r);
	ck_assert_uint_eq(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR), 1);
	ck_assert_ptr_nonnull(strstr(lineage_scan_report_diagnostic(r, 0)->message, "manifest.json"));
	json_decref(doc);
	lineage_scan_report_free(r);
	/* The same in one line of JSON Lines: the good event is stored, the report is whole. */
	r = scan_text(db, "events.jsonl", "openlineage",
		      "{\"eventType\": \"COMPLETE\", \"run\": {\"runId\": \"r\"}, \"job\": {\"namespace\": \"n\", \"name\": \"j\"},"
		      " \"inputs\": [{\"namespace\": \"pg://h\", \"name\": \"a\"}], \"outputs\": [{\"namespace\": \"pg://h\", \"name\": \"b\"}]}\n"
		      "{\"x\": \"\\\xc3\xa9\"}\n");
	doc = report_doc(r);
	ck_assert(has_edge(db, "a", "b", NULL, "n/j"));
	ck_assert_uint_eq(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "batch_id")), lineage_scan_report_summary(r)->batch_id);
	json_decref(doc);
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

/* A file name in another encoding cannot be an origin (UTF-8): a diagnostic says so. */
START_TEST(input_name_that_is_not_utf8_is_a_diagnostic)
{
	lineage_db *db = tu_open_temp();
	const char *path = tu_path("caf\xe9.sql");
	FILE *f = fopen(path, "w");
	lineage_scan_report *r;
	json_t *doc, *diag;
	ck_assert_ptr_nonnull(f);
	fputs("insert into b select * from a;\n", f);
	fclose(f);
	r = scan_one(db, path, "sql", 0);
	doc = report_doc(r);
	diag = json_array_get(json_object_get(doc, "diagnostics"), 0);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(diag, "file")), "caf?.sql"));
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(diag, "message")), "rename it"));
	ck_assert_uint_eq(json_array_size(json_object_get(doc, "inputs")), 0);
	ck_assert_int_eq(lineage_scan_report_summary(r)->batch_id, 0);
	json_decref(doc);
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(run_that_changes_nothing_records_no_batch)
{
	lineage_db *db = tu_open_memory();
	/* Nothing found. */
	lineage_scan_report *r = scan_text(db, "empty.sql", "sql", "-- nothing here\n");
	ck_assert_int_eq(lineage_scan_report_summary(r)->batch_id, 0);
	lineage_scan_report_free(r);
	/* The whole input fails. */
	r = scan_text(db, "manifest.json", "dbt", MANIFEST_HEAD "\"nodes\": [1,");
	ck_assert_int_eq(lineage_scan_report_summary(r)->batch_id, 0);
	ck_assert_uint_eq(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR), 1);
	lineage_scan_report_free(r);
	check_next_batch(db, "probe1", 1);
	/* Found again, unchanged: no batch either; a change is one. */
	r = scan_text(db, "etl.sql", "sql", "insert into b select x from a;");
	ck_assert(tu_backend_pg() ? lineage_scan_report_summary(r)->batch_id >= 2
				  : lineage_scan_report_summary(r)->batch_id == 2);
	lineage_scan_report_free(r);
	r = scan_text(db, "etl.sql", "sql", "insert into b select x from a;");
	ck_assert_int_eq(lineage_scan_report_summary(r)->batch_id, 0);
	ck_assert_uint_eq(lineage_scan_report_summary(r)->edges_unchanged, 2);
	lineage_scan_report_free(r);
	check_next_batch(db, "probe2", 3);
	lineage_db_close(db);
}
END_TEST

/* A statement skipped as nested too deep names no table, in the analysis or the store; a
 * table named by it and again by a statement that is understood is that one's. */
START_TEST(skipped_statement_creates_no_asset)
{
	lineage_db *db = tu_open_memory();
	lineage_sql_result *res = NULL;
	lineage_scan_report *r;
	char *text = malloc(8000);
	size_t n = 0;
	ck_assert_ptr_nonnull(text);
	for (int s = 0; s < 2; s++) {
		n += (size_t)sprintf(text + n, "insert into %s select ", s ? "again" : "deep_target");
		for (int i = 0; i < 1100; i++)
			text[n++] = '(';
		text[n++] = 'x';
		for (int i = 0; i < 1100; i++)
			text[n++] = ')';
		n += (size_t)sprintf(text + n, " from deep_source;\n");
	}
	n += (size_t)sprintf(text + n, "insert into again select a from ok_source;\n");
	TU_OK(lineage_sql_analyze(&res, text, n, NULL));
	ck_assert_uint_eq(lineage_sql_result_table_count(res), 2);
	ck_assert_str_eq(lineage_sql_result_table(res, 0)->name, "again");
	ck_assert_uint_eq(lineage_sql_result_table(res, 0)->statement, 2);
	ck_assert_uint_eq(lineage_sql_result_table(res, 0)->line, 3);
	ck_assert_str_eq(lineage_sql_result_table(res, 1)->name, "ok_source");
	lineage_sql_result_free(res);
	r = scan_text(db, "deep.sql", "sql", text);
	ck_assert_ptr_null(asset_kind(db, "deep_target"));
	ck_assert_ptr_null(asset_kind(db, "deep_source"));
	ck_assert_str_eq(asset_kind(db, "again"), "table");
	ck_assert(has_edge(db, "ok_source", "again", NULL, NULL));
	ck_assert_uint_eq(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR), 2);
	lineage_scan_report_free(r);
	free(text);
	lineage_db_close(db);
}
END_TEST

/* A scanner that stores part of an input and then gives up on it. */
static int halfway_detect(const char *path, const unsigned char *head, size_t len, void *payload)
{
	(void)head;
	(void)len;
	(void)payload;
	return path && strstr(path, ".half") ? 100 : 0;
}

static int halfway_scan(lineage_scan_sink *sink, const char *path, const unsigned char *data,
			size_t len, void *payload)
{
	lineage_edge_spec spec;
	(void)path;
	(void)data;
	(void)len;
	(void)payload;
	lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
	spec.source_key = "half.src";
	spec.target_key = "half.dst";
	spec.source_kind = spec.target_kind = "table";
	ck_assert_int_eq(lineage_scan_sink_edge(sink, &spec), 0);
	return LINEAGE_EPARSE;
}

START_TEST(input_given_up_leaves_nothing)
{
	lineage_scanner sc = {LINEAGE_SCANNER_VERSION, "halfway", "stores one edge, then fails",
			      halfway_detect, halfway_scan, NULL};
	lineage_db *db = tu_open_temp();
	const char *good = tu_path("good.sql"), *bad = tu_path("bad.half");
	const char *paths[2] = {good, bad};
	lineage_scan_report *r = NULL;
	FILE *f = fopen(good, "w");
	ck_assert_ptr_nonnull(f);
	fputs("insert into b select x from a;\n", f);
	fclose(f);
	f = fopen(bad, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	TU_OK(lineage_scanner_register(&sc));
	TU_OK(lineage_scan_run(&r, db, paths, 2, NULL));
	ck_assert(has_edge(db, "a", "b", NULL, NULL));
	ck_assert_ptr_null(asset_kind(db, "half.src"));
	ck_assert(!has_edge(db, "half.src", "half.dst", NULL, NULL));
	ck_assert_uint_eq(lineage_scan_report_summary(r)->files, 1);
	ck_assert_uint_eq(lineage_scan_report_summary(r)->edges_created, 2);
	ck_assert_uint_eq(lineage_scan_report_summary(r)->assets_created, 4);
	ck_assert_uint_eq(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR), 1);
	ck_assert_ptr_nonnull(strstr(lineage_scan_report_diagnostic(r, 0)->message, "nothing of this input was stored"));
	lineage_scan_report_free(r);
	/* Alone, it records no batch at all. */
	paths[0] = bad;
	TU_OK(lineage_scan_run(&r, db, paths, 1, NULL));
	ck_assert_int_eq(lineage_scan_report_summary(r)->batch_id, 0);
	lineage_scan_report_free(r);
	TU_OK(lineage_scanner_unregister("halfway"));
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scan_hostile_inputs");
	TCase *tc = tcase_create("hostile");
	tcase_add_test(tc, dbt_uid_both_source_and_untyped_node);
	tcase_add_test(tc, dbt_fields_of_the_wrong_type_are_absent);
	tcase_add_test(tc, openlineage_fields_of_the_wrong_type_are_absent);
	tcase_add_test(tc, parse_error_quoting_a_cut_character_is_reported);
	tcase_add_test(tc, input_name_that_is_not_utf8_is_a_diagnostic);
	tcase_add_test(tc, run_that_changes_nothing_records_no_batch);
	tcase_add_test(tc, skipped_statement_creates_no_asset);
	tcase_add_test(tc, input_given_up_leaves_nothing);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
