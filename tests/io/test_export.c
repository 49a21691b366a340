/* Tests of export: round trips through every import format, query results, viewers' formats,
 * the full scans and errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "common/strbuf.h"

/* A graph with the awkward cases: quotes, commas, newlines, a tag with ";", properties,
 * containment, a job, every lineage source, a self-loop kind, a confidence with 17 digits. */
static lineage_db *sample(void)
{
	lineage_db *db = tu_open_temp();
	lineage_asset_spec a;
	lineage_edge_spec e;
	const char *tags[] = {"pii", "a;b"};
	int64_t id = 0;
	tu_asset(db, "wh", "database", NULL);
	tu_asset(db, "wh.sales", "schema", "wh");
	lineage_asset_spec_init(&a, LINEAGE_ASSET_SPEC_VERSION);
	a.key = "wh.sales.orders";
	a.kind = "table";
	a.parent_key = "wh.sales";
	a.name = "Orders, \"all\" of them";
	a.owner = "ana";
	a.description = "line one\nline two, with comma";
	a.status = "active";
	a.tags = tags;
	a.tag_count = 2;
	a.tags_set = 1;
	a.properties_json = "{\"rows\": 12, \"engine\": \"pg\", \"nested\": {\"x\": [1, 2]}, \"ratio\": 0.30000000000000004}";
	TU_OK(lineage_asset_upsert(NULL, NULL, db, &a));
	tu_asset(db, "wh.sales.orders.amount", "column", "wh.sales.orders");
	tu_asset(db, "mart.revenue", "table", NULL);
	tu_asset(db, "mart.revenue.total", "column", "mart.revenue");
	tu_asset(db, "job.etl", "job", NULL);
	tu_asset(db, "dash", "dashboard", NULL);
	lineage_edge_spec_init(&e, LINEAGE_EDGE_SPEC_VERSION);
	e.source_key = "wh.sales.orders";
	e.target_key = "mart.revenue";
	e.job_key = "job.etl";
	e.transformation_type = "aggregate";
	e.transformation = "SELECT sum(amount)\nFROM orders";
	e.description = "daily, \"revenue\"";
	e.properties_json = "{\"sla\": \"1h\"}";
	TU_OK(lineage_edge_upsert(NULL, NULL, db, &e));
	lineage_edge_spec_init(&e, LINEAGE_EDGE_SPEC_VERSION);
	e.source_key = "wh.sales.orders.amount";
	e.target_key = "mart.revenue.total";
	e.lineage_source = LINEAGE_SOURCE_INFERRED;
	e.confidence = 0.1 + 0.2;
	TU_OK(lineage_edge_upsert(NULL, NULL, db, &e));
	lineage_edge_spec_init(&e, LINEAGE_EDGE_SPEC_VERSION);
	e.source_key = "mart.revenue";
	e.target_key = "dash";
	TU_OK(lineage_edge_upsert(NULL, &id, db, &e));
	TU_OK(lineage_edge_approve(db, id, "bob", NULL));
	lineage_edge_spec_init(&e, LINEAGE_EDGE_SPEC_VERSION);
	e.source_key = "mart.revenue";
	e.target_key = "mart.revenue";
	e.kind = "update";
	TU_OK(lineage_edge_upsert(NULL, NULL, db, &e));
	/* A rejected edge is not part of the graph, so it is not exported. */
	lineage_edge_spec_init(&e, LINEAGE_EDGE_SPEC_VERSION);
	e.source_key = "dash";
	e.target_key = "wh";
	e.lineage_source = LINEAGE_SOURCE_INFERRED;
	TU_OK(lineage_edge_upsert(NULL, &id, db, &e));
	TU_OK(lineage_edge_reject(db, id, "bob", "wrong"));
	return db;
}

static int dump_asset(const lineage_asset *a, void *payload)
{
	lin_strbuf *sb = payload;
	lin_strbuf_printf(sb, "A %s|%s|%s|%s|%s|%s|%s|%s|", a->key, a->kind, a->name,
			  a->parent_key ? a->parent_key : "-", a->owner ? a->owner : "-",
			  a->description ? a->description : "-", a->status ? a->status : "-",
			  a->properties_json);
	for (size_t i = 0; i < a->tag_count; i++)
		lin_strbuf_printf(sb, "[%s]", a->tags[i]);
	lin_strbuf_puts(sb, "\n");
	return 0;
}

static int dump_edge(const lineage_edge *e, void *payload)
{
	lin_strbuf *sb = payload;
	lin_strbuf_printf(sb, "E %s|%s|%s|%s|%s|%.17g|%s|%s|%s|%s\n", e->source_key, e->target_key,
			  e->kind, e->job_key ? e->job_key : "-",
			  lineage_source_name(e->lineage_source), e->confidence,
			  e->transformation_type ? e->transformation_type : "-",
			  e->transformation ? e->transformation : "-",
			  e->description ? e->description : "-", e->properties_json);
	return 0;
}

/* The graph as text, in a fixed order (assets by key; edges sorted). */
static char *graph_text(lineage_db *db)
{
	lin_strbuf a = LIN_STRBUF_INIT, e = LIN_STRBUF_INIT;
	char **lines = NULL, *p, *save = NULL;
	size_t n = 0;
	TU_OK(lineage_asset_foreach(db, dump_asset, &a));
	TU_OK(lineage_edge_foreach(db, 0, dump_edge, &e));
	lin_strbuf_puts(&e, "");
	for (p = strtok_r(e.data, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		lines = realloc(lines, (n + 1) * sizeof *lines);
		lines[n++] = p;
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(lines[j - 1], lines[j]) > 0; j--) {
			char *t = lines[j];
			lines[j] = lines[j - 1];
			lines[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++)
		lin_strbuf_printf(&a, "%s\n", lines[i]);
	free(lines);
	lin_strbuf_free(&e);
	return lin_strbuf_detach(&a);
}

static char *export_text(lineage_db *db, const lineage_result *r, lineage_format f,
			 lineage_record_type t)
{
	lineage_export_options o;
	char *out = NULL;
	size_t len = 0;
	TU_OK(lineage_export_options_init(&o, LINEAGE_EXPORT_OPTIONS_VERSION));
	o.format = f;
	o.type = t;
	TU_OK(lineage_export_buffer(&out, &len, db, r, &o));
	ck_assert_uint_eq(strlen(out), len);
	return out;
}

static void import_text(lineage_db *db, const char *text, lineage_format f)
{
	lineage_import_options o;
	lineage_import_report *rep = NULL;
	int rc;
	lineage_import_options_init(&o, LINEAGE_IMPORT_OPTIONS_VERSION);
	o.format = f;
	rc = lineage_import_buffer(&rep, db, text, strlen(text), &o);
	ck_assert_msg(rc == 0, "import failed (%d): %s / %s", rc, lineage_error_last()->message,
		      rep && lineage_import_report_error_count(rep) ? lineage_import_report_error(rep, 0)->message : "");
	lineage_import_report_free(rep);
}

static void round_trip(lineage_format f, int two_files)
{
	lineage_db *db = sample(), *copy = tu_open_temp();
	char *want = graph_text(db), *got, *a, *l;
	if (two_files) {
		a = export_text(db, NULL, f, LINEAGE_RECORDS_ASSETS);
		l = export_text(db, NULL, f, LINEAGE_RECORDS_LINEAGE);
		import_text(copy, a, f);
		import_text(copy, l, f);
		free(a);
		free(l);
	} else {
		a = export_text(db, NULL, f, LINEAGE_RECORDS_BOTH);
		import_text(copy, a, f);
		free(a);
	}
	got = graph_text(copy);
	ck_assert_str_eq(got, want);
	free(want);
	free(got);
	lineage_db_close(db);
	lineage_db_close(copy);
}

START_TEST(round_trip_csv)
{
	round_trip(LINEAGE_FORMAT_CSV, 1);
}
END_TEST

START_TEST(round_trip_json)
{
	round_trip(LINEAGE_FORMAT_JSON, 0);
}
END_TEST

START_TEST(round_trip_jsonl)
{
	round_trip(LINEAGE_FORMAT_JSONL, 1);
}
END_TEST

START_TEST(round_trip_graphml)
{
	round_trip(LINEAGE_FORMAT_GRAPHML, 0);
}
END_TEST

START_TEST(csv_shape)
{
	lineage_db *db = sample();
	char *l = export_text(db, NULL, LINEAGE_FORMAT_CSV, 0);
	ck_assert(!strncmp(l, "source,target,source_kind,target_kind,kind,lineage_source,confidence,"
			      "transformation_type,transformation,job,description,properties\r\n", 118));
	ck_assert_ptr_nonnull(strstr(l, "wh.sales.orders.amount,mart.revenue.total,column,column,flow,inferred,0.30000000000000004,"));
	ck_assert_ptr_nonnull(strstr(l, "\"SELECT sum(amount)\nFROM orders\""));
	ck_assert_ptr_null(strstr(l, "dash,wh")); /* rejected */
	free(l);
	l = export_text(db, NULL, LINEAGE_FORMAT_CSV, LINEAGE_RECORDS_ASSETS);
	ck_assert_ptr_nonnull(strstr(l, "\"Orders, \"\"all\"\" of them\""));
	ck_assert_ptr_nonnull(strstr(l, "\"[\"\"pii\"\",\"\"a;b\"\"]\""));
	free(l);
	lineage_db_close(db);
}
END_TEST

START_TEST(query_result)
{
	lineage_db *db = sample();
	lineage_result *r = NULL;
	char *text;
	TU_OK(lineage_query_downstream(&r, db, "mart.revenue", NULL));
	text = export_text(db, r, LINEAGE_FORMAT_CSV, 0);
	ck_assert_ptr_nonnull(strstr(text, "mart.revenue,dash,table,dashboard,flow,approved,1,"));
	ck_assert_ptr_null(strstr(text, "wh.sales.orders,"));
	free(text);
	text = export_text(db, r, LINEAGE_FORMAT_JSON, 0);
	ck_assert_ptr_nonnull(strstr(text, "{\"key\":\"dash\",\"kind\":\"dashboard\""));
	ck_assert_ptr_null(strstr(text, "\"key\":\"wh\""));
	free(text);
	text = export_text(db, r, LINEAGE_FORMAT_DOT, 0);
	ck_assert(!strncmp(text, "digraph lineage {", 17));
	ck_assert_ptr_nonnull(strstr(text, "\"mart.revenue\" -> \"dash\" [style=bold];"));
	free(text);
	lineage_result_free(r);
	lineage_db_close(db);
}
END_TEST


START_TEST(cytoscape_positions)
{
	lineage_db *db = sample();
	lineage_export_options o;
	lineage_result *r = NULL;
	char *out = NULL;
	TU_OK(lineage_export_options_init(&o, LINEAGE_EXPORT_OPTIONS_VERSION));
	o.format = LINEAGE_FORMAT_CYTOSCAPE;
	TU_OK(lineage_export_buffer(&out, NULL, db, NULL, &o));
	ck_assert(!strncmp(out, "{\"elements\": {\"nodes\": [", 24));
	ck_assert_ptr_nonnull(strstr(out, "{\"data\":{\"id\":\"dash\",\"label\":\"dash\",\"kind\":\"dashboard\"}}"));
	ck_assert_ptr_nonnull(strstr(out, "\"lineage_source\":\"approved\""));
	ck_assert_ptr_null(strstr(out, "\"position\""));
	lineage_free(out);
	o.layout = LINEAGE_LAYOUT_LAYERED;
	TU_OK(lineage_export_buffer(&out, NULL, db, NULL, &o));
	ck_assert_ptr_nonnull(strstr(out, "\"position\":{\"x\":"));
	lineage_free(out);
	TU_OK(lineage_query_upstream(&r, db, "dash", NULL));
	TU_OK(lineage_export_buffer(&out, NULL, db, r, &o));
	ck_assert_ptr_nonnull(strstr(out, "\"id\":\"wh.sales.orders\""));
	ck_assert_ptr_nonnull(strstr(out, "\"position\":{\"x\":"));
	lineage_free(out);
	/* A result laid out by the caller keeps its positions. */
	TU_OK(lineage_result_layout(r, LINEAGE_LAYOUT_GRID));
	o.layout = 0;
	TU_OK(lineage_export_buffer(&out, NULL, db, r, &o));
	ck_assert_ptr_nonnull(strstr(out, "\"position\":{\"x\":"));
	lineage_free(out);
	lineage_result_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(to_path_and_stream)
{
	lineage_db *db = sample();
	lineage_export_options o;
	const char *path = tu_path("graph.graphml");
	char *text;
	FILE *f;
	struct stat st;
	TU_OK(lineage_export_options_init(&o, LINEAGE_EXPORT_OPTIONS_VERSION));
	o.format = LINEAGE_FORMAT_GRAPHML;
	TU_OK(lineage_export_path(db, NULL, path, &o));
	text = tu_read_file(path, NULL);
	ck_assert_ptr_nonnull(strstr(text, "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">"));
	ck_assert_ptr_nonnull(strstr(text, "<key id=\"ec\" for=\"edge\" attr.name=\"confidence\" attr.type=\"double\"/>"));
	free(text);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_ne(st.st_mode & 0044, 0); /* readable by others, like any new file */
	f = fopen(tu_path("graph.jsonl"), "wb");
	o.format = LINEAGE_FORMAT_JSONL;
	TU_OK(lineage_export_file(db, NULL, f, &o));
	fclose(f);
	text = tu_read_file(tu_path("graph.jsonl"), NULL);
	ck_assert(!strncmp(text, "{\"source\":", 10));
	free(text);
	/* A folder that does not exist: EIO, and no file left behind. */
	TU_FAILS(LINEAGE_EIO, lineage_export_path(db, NULL, tu_path("no/such/dir/x.csv"), &o));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "cannot create"));
	lineage_db_close(db);
}
END_TEST

static int stop_at_two(const lineage_asset *a, void *payload)
{
	(void)a;
	return ++*(int *)payload == 2 ? 7 : 0;
}

static int count_edges(const lineage_edge *e, void *payload)
{
	(void)e;
	++*(int *)payload;
	return 0;
}

START_TEST(foreach_and_errors)
{
	lineage_db *db = sample();
	lineage_export_options o;
	char *out = NULL;
	int n = 0;
	ck_assert_int_eq(lineage_asset_foreach(db, stop_at_two, &n), 7);
	ck_assert_int_eq(n, 2);
	n = 0;
	TU_OK(lineage_edge_foreach(db, 0, count_edges, &n));
	ck_assert_int_eq(n, 4);
	n = 0;
	TU_OK(lineage_edge_foreach(db, LINEAGE_EDGES_ALL_STATUS, count_edges, &n));
	ck_assert_int_eq(n, 5);
	TU_FAILS(LINEAGE_EINVALID, lineage_asset_foreach(db, NULL, NULL));
	TU_FAILS(LINEAGE_EUSAGE, lineage_edge_foreach(NULL, 0, count_edges, &n));
	TU_OK(lineage_export_options_init(&o, LINEAGE_EXPORT_OPTIONS_VERSION));
	o.layout = LINEAGE_LAYOUT_FORCE;
	TU_FAILS(LINEAGE_EINVALID, lineage_export_buffer(&out, NULL, db, NULL, &o));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "only the cytoscape format"));
	o.layout = 0;
	o.type = LINEAGE_RECORDS_BOTH;
	TU_FAILS(LINEAGE_EINVALID, lineage_export_buffer(&out, NULL, db, NULL, &o));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "one record type"));
	o.version = 9;
	TU_FAILS(LINEAGE_EINVALID, lineage_export_buffer(&out, NULL, db, NULL, &o));
	TU_FAILS(LINEAGE_EINVALID, lineage_export_options_init(&o, 9));
	ck_assert_ptr_null(out);
	lineage_db_close(db);
}
END_TEST

static int cancel_cb(const char *stage, uint64_t done, uint64_t total, void *payload)
{
	(void)stage;
	(void)done;
	(void)total;
	(void)payload;
	return 1;
}

START_TEST(empty_graph_and_cancel)
{
	lineage_db *db = tu_open_temp();
	lineage_export_options o;
	char *out = export_text(db, NULL, LINEAGE_FORMAT_JSON, 0);
	ck_assert_str_eq(out, "[\n]\n");
	free(out);
	/* 5000 assets: the progress callback runs (every 4096 records) and can stop. */
	TU_OK(lineage_db_begin(db, "many"));
	for (int i = 0; i < 5000; i++) {
		char key[32];
		snprintf(key, sizeof key, "t%05d", i);
		tu_asset(db, key, "table", NULL);
	}
	TU_OK(lineage_db_commit(db));
	TU_OK(lineage_export_options_init(&o, LINEAGE_EXPORT_OPTIONS_VERSION));
	o.type = LINEAGE_RECORDS_ASSETS;
	o.progress = cancel_cb;
	TU_FAILS(LINEAGE_ECANCELLED, lineage_export_buffer(&out, NULL, db, NULL, &o));
	ck_assert_ptr_null(out);
	lineage_db_close(db);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("io_export");
	TCase *tc = tcase_create("export");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, round_trip_csv);
	tcase_add_test(tc, round_trip_json);
	tcase_add_test(tc, round_trip_jsonl);
	tcase_add_test(tc, round_trip_graphml);
	tcase_add_test(tc, csv_shape);
	tcase_add_test(tc, query_result);
	tcase_add_test(tc, cytoscape_positions);
	tcase_add_test(tc, to_path_and_stream);
	tcase_add_test(tc, foreach_and_errors);
	tcase_add_test(tc, empty_graph_and_cancel);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
