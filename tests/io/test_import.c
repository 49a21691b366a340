/* Tests of bulk import through the public API, on real databases. */
#include <stdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/db_internal.h"
#include "common/strbuf.h"
#include "store/sqlite/sq.h"
#include "io/seen.h"
#include "testutil.h"

/* An import turns SQLite's reference checks off for its write pass only (PostgreSQL's stay
 * on: turning them off needs a superuser). */
static int foreign_keys_on(lineage_db *db)
{
	sqlite3_stmt *st = NULL;
	int on;
	if (tu_backend_pg())
		return 1;
	ck_assert_int_eq(sqlite3_prepare_v2(LIN_SQ(db->store)->db, "PRAGMA foreign_keys", -1,
					    &st, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	on = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return on;
}

static lineage_import_options opts(void)
{
	lineage_import_options o;
	lineage_import_options_init(&o, LINEAGE_IMPORT_OPTIONS_VERSION);
	return o;
}

static int64_t last_seq(lineage_db *db)
{
	int64_t seq = 0;
	TU_OK(lineage_changes_last_seq(&seq, db));
	return seq;
}

static int has_edge(lineage_db *db, const char *s, const char *t)
{
	lineage_edge *e = NULL;
	int rc = lineage_edge_find(&e, db, s, t, NULL, NULL);
	int active = rc == 0 && e->status == LINEAGE_EDGE_ACTIVE;
	lineage_edge_free(e);
	return active;
}

static const lineage_import_summary *sum(const lineage_import_report *r)
{
	return lineage_import_report_summary(r);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static lineage_db *warehouse(void)
{
	lineage_db *db = tu_open_temp();
	tu_asset(db, "raw.orders", "table", NULL);
	tu_asset(db, "stg.orders", "table", NULL);
	tu_asset(db, "mart.sales", "table", NULL);
	return db;
}

START_TEST(import_lineage_csv)
{
	lineage_db *db = warehouse();
	lineage_import_report *r = NULL;
	lineage_edge *e = NULL;
	lineage_import_options o = opts();
	const char csv[] = "Source,TARGET,confidence,lineage_source,transformation_type,prop.team\r\n"
			   "raw.orders,stg.orders,0.9,inferred,copy,data\r\n"
			   "stg.orders,mart.sales,,,aggregate,\r\n";
	o.label = "edges.csv";
	TU_OK(lineage_import_buffer(&r, db, csv, sizeof csv - 1, &o));
	ck_assert_uint_eq(sum(r)->rows, 2);
	ck_assert_uint_eq(sum(r)->valid, 2);
	ck_assert_uint_eq(sum(r)->created_edges, 2);
	ck_assert_int_eq(sum(r)->committed, 1);
	ck_assert_int_gt(sum(r)->batch_id, 0);
	ck_assert_int_eq(sum(r)->format, LINEAGE_FORMAT_CSV);
	ck_assert_uint_eq(lineage_import_report_item_count(r), 2);
	ck_assert_str_eq(lineage_import_report_item(r, 0)->action, "create");
	TU_OK(lineage_edge_find(&e, db, "raw.orders", "stg.orders", NULL, NULL));
	ck_assert_int_eq(e->lineage_source, LINEAGE_SOURCE_INFERRED);
	ck_assert_double_eq_tol(e->confidence, 0.9, 1e-9);
	ck_assert_str_eq(e->transformation_type, "copy");
	ck_assert_str_eq(e->properties_json, "{\"team\":\"data\"}");
	lineage_edge_free(e);
	lineage_import_report_free(r);
	ck_assert(foreign_keys_on(db));
	/* The same again: unchanged. */
	TU_OK(lineage_import_buffer(&r, db, csv, sizeof csv - 1, &o));
	ck_assert_uint_eq(sum(r)->unchanged_edges, 2);
	ck_assert_uint_eq(sum(r)->created_edges, 0);
	lineage_import_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(atomic_writes_nothing_on_errors)
{
	lineage_db *db = warehouse();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	int64_t seq = last_seq(db);
	char *json = NULL;
	const char csv[] = "source,target,confidence\n"
			   "raw.orders,stg.orders,0.5\n"
			   "raw.orders,mart.sales,high\n"
			   "stg.orders,nowhere,1\n";
	TU_FAILS(LINEAGE_EINVALID, lineage_import_buffer(&r, db, csv, sizeof csv - 1, &o));
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(sum(r)->rows, 3);
	ck_assert_uint_eq(sum(r)->invalid, 2);
	ck_assert_uint_eq(sum(r)->valid, 1);
	ck_assert_int_eq(sum(r)->committed, 0);
	ck_assert_uint_eq(lineage_import_report_error_count(r), 2);
	ck_assert_str_eq(lineage_import_report_error(r, 0)->message,
			 "Row 3, column \"confidence\": \"high\" is not a number. Use a number from 0 to 1, such as 0.8.");
	ck_assert_str_eq(lineage_import_report_error(r, 1)->message,
			 "Row 4, column \"target\": there is no asset \"nowhere\". Import it first (in an assets file), give its kind in the column \"target_kind\" to create it, or import with create-missing.");
	ck_assert(!has_edge(db, "raw.orders", "stg.orders"));
	ck_assert_int_eq(last_seq(db), seq);
	TU_OK(lineage_import_report_to_json(&json, r));
	ck_assert_ptr_nonnull(strstr(json, "\"invalid\": 2"));
	ck_assert_ptr_nonnull(strstr(json, "\"row\": 3"));
	ck_assert_ptr_nonnull(strstr(json, "\"column\": \"confidence\""));
	lineage_free(json);
	lineage_import_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(skip_errors_and_rejects)
{
	lineage_db *db = warehouse();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	const char *rejects = tu_path("rejects.csv");
	char *text;
	const char csv[] = "source;target;description\n"
			   "raw.orders;stg.orders;\"ok; fine\"\n"
			   "raw.orders;ghost;\"needs \"\"ghost\"\"\"\n";
	o.mode = LINEAGE_IMPORT_SKIP_ERRORS;
	o.rejects_path = rejects;
	TU_FAILS(LINEAGE_EINVALID, lineage_import_buffer(&r, db, csv, sizeof csv - 1, &o));
	ck_assert_int_eq(sum(r)->committed, 1);
	ck_assert_uint_eq(sum(r)->valid, 1);
	ck_assert_uint_eq(sum(r)->invalid, 1);
	ck_assert(has_edge(db, "raw.orders", "stg.orders"));
	lineage_import_report_free(r);
	text = tu_read_file(rejects, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, "source,target,description,error\r\n"
			       "raw.orders,ghost,\"needs \"\"ghost\"\"\",\"Row 3, column \"\"target\"\": there is no asset \"\"ghost\"\". Import it first (in an assets file), give its kind in the column \"\"target_kind\"\" to create it, or import with create-missing.\"\r\n");
	free(text);
	/* Fixed (the asset now exists), the rejects file imports as it is. */
	tu_asset(db, "ghost", "table", NULL);
	o.rejects_path = NULL;
	TU_OK(lineage_import_path(&r, db, rejects, &o));
	ck_assert_uint_eq(sum(r)->created_edges, 1);
	ck_assert(has_edge(db, "raw.orders", "ghost"));
	lineage_import_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(rejects_of_two_types)
{
	/* A JSON file mixes assets and lineage: each type's invalid rows get their own file. */
	lineage_db *db = warehouse();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	char *text;
	const char json[] = "[{\"source\": \"raw.orders\", \"target\": \"stg.orders\", \"confidence\": 2, \"prop.team\": \"a\"},\n"
			    " {\"key\": \"x\", \"kind\": \"table\", \"owner\": \"ana\", \"tags\": [\"t\"], \"parent\": \"x\"},\n"
			    " {\"key\": \"y\", \"kind\": \"table\"}]";
	o.mode = LINEAGE_IMPORT_SKIP_ERRORS;
	o.rejects_path = tu_path("rej.csv");
	TU_FAILS(LINEAGE_EINVALID, lineage_import_buffer(&r, db, json, sizeof json - 1, &o));
	ck_assert_uint_eq(sum(r)->invalid, 2);
	ck_assert_uint_eq(sum(r)->created_assets, 1);
	lineage_import_report_free(r);
	text = tu_read_file(tu_path("rej.csv"), NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert(!strncmp(text, "source,target,source_kind,target_kind,kind,lineage_source,confidence,"
				 "transformation_type,transformation,job,description,properties,error\r\n"
				 "raw.orders,stg.orders,,,,,2,,,,,\"{\"\"team\"\":\"\"a\"\"}\",\"Row 1, column", 200));
	free(text);
	text = tu_read_file(tu_path("rej-assets.csv"), NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert(!strncmp(text, "key,kind,name,parent,owner,description,tags,status,properties,error\r\n"
				 "x,table,,x,ana,,\"[\"\"t\"\"]\",,,\"Row 2, column \"\"parent\"\": an asset cannot contain itself", 150));
	free(text);
	lineage_db_close(db);
}
END_TEST

START_TEST(dry_run_previews)
{
	lineage_db *db = warehouse();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	int64_t seq;
	const char csv[] = "source,target,source_kind,target_kind\n"
			   "raw.orders,stg.orders,,\n"
			   "stg.orders,mart.sales,,\n"
			   "new.a,new.b,file,table\n";
	tu_edge(db, "raw.orders", "stg.orders");
	seq = last_seq(db);
	o.dry_run = 1;
	TU_OK(lineage_import_buffer(&r, db, csv, sizeof csv - 1, &o));
	ck_assert_int_eq(sum(r)->dry_run, 1);
	ck_assert_int_eq(sum(r)->committed, 0);
	ck_assert_uint_eq(sum(r)->unchanged_edges, 1);
	ck_assert_uint_eq(sum(r)->created_edges, 2);
	ck_assert_uint_eq(sum(r)->created_assets, 2);
	ck_assert_int_eq(last_seq(db), seq);
	ck_assert(!has_edge(db, "stg.orders", "mart.sales"));
	lineage_import_report_free(r);
	/* Applied for real, the kinds create the assets. */
	o.dry_run = 0;
	TU_OK(lineage_import_buffer(&r, db, csv, sizeof csv - 1, &o));
	ck_assert(has_edge(db, "new.a", "new.b"));
	lineage_import_report_free(r);
	{
		lineage_asset *a = NULL;
		TU_OK(lineage_asset_get(&a, db, "new.a"));
		ck_assert_str_eq(a->kind, "file");
		lineage_asset_free(a);
	}
	lineage_db_close(db);
}
END_TEST

START_TEST(store_rules)
{
	lineage_db *db = warehouse();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	int64_t id = tu_edge(db, "raw.orders", "stg.orders");
	const char csv[] = "source,target,lineage_source,source_kind\n"
			   "raw.orders,stg.orders,manual,\n"
			   "stg.orders,mart.sales,,view\n";
	TU_OK(lineage_edge_approve(db, id, "ana", "checked"));
	TU_FAILS(LINEAGE_EINVALID, lineage_import_buffer(&r, db, csv, sizeof csv - 1, &o));
	ck_assert_uint_eq(sum(r)->invalid, 2);
	ck_assert_ptr_nonnull(strstr(lineage_import_report_error(r, 0)->message,
				     "Row 2, column \"lineage_source\": the edge from \"raw.orders\" to \"stg.orders\" was approved by ana"));
	ck_assert_ptr_nonnull(strstr(lineage_import_report_error(r, 1)->message,
				     "Row 3, column \"source_kind\": the asset \"stg.orders\" is a \"table\" in the database, but this row says \"view\""));
	lineage_import_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(create_missing)
{
	lineage_db *db = tu_open_temp();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	const char csv[] = "source,target,job\na,b,j\nb,a,\n";
	o.create_missing = 1;
	TU_OK(lineage_import_buffer(&r, db, csv, sizeof csv - 1, &o));
	ck_assert(has_edge(db, "b", "a"));
	ck_assert_uint_eq(sum(r)->created_assets, 3);
	ck_assert_uint_eq(sum(r)->created_edges, 2);
	lineage_import_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(assets_with_parent_later)
{
	lineage_db *db = tu_open_temp();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	lineage_asset *a = NULL;
	const char csv[] = "key,kind,parent,owner,tags,prop.rows\n"
			   "wh.sales.orders,table,wh.sales,ana,finance;pii,12\n"
			   "wh.sales,schema,,,,\n"
			   "wh.sales.orders.id,column,wh.sales.orders,,,\n";
	TU_OK(lineage_import_buffer(&r, db, csv, sizeof csv - 1, &o));
	ck_assert_uint_eq(sum(r)->rows, 3);
	lineage_import_report_free(r);
	TU_OK(lineage_asset_get(&a, db, "wh.sales.orders"));
	ck_assert_str_eq(a->parent_key, "wh.sales");
	ck_assert_str_eq(a->owner, "ana");
	ck_assert_uint_eq(a->tag_count, 2);
	ck_assert_str_eq(a->properties_json, "{\"rows\":\"12\"}");
	lineage_asset_free(a);
	TU_OK(lineage_asset_get(&a, db, "wh.sales"));
	ck_assert_str_eq(a->kind, "schema");
	lineage_asset_free(a);
	lineage_db_close(db);
}
END_TEST

START_TEST(json_mixed_records)
{
	lineage_db *db = tu_open_temp();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	const char json[] = "[{\"source\": \"x\", \"target\": \"y\", \"confidence\": 0.25},\n"
			    " {\"key\": \"x\", \"kind\": \"table\"},\n"
			    " {\"key\": \"y\", \"kind\": \"view\", \"tags\": [\"a\"], \"properties\": {\"n\": 1}}]";
	TU_OK(lineage_import_buffer(&r, db, json, sizeof json - 1, &o));
	ck_assert_int_eq(sum(r)->format, LINEAGE_FORMAT_JSON);
	ck_assert_uint_eq(sum(r)->created_edges, 1);
	ck_assert(has_edge(db, "x", "y"));
	lineage_import_report_free(r);
	{
		lineage_asset *a = NULL;
		TU_OK(lineage_asset_get(&a, db, "y"));
		ck_assert_str_eq(a->kind, "view");
		ck_assert_str_eq(a->properties_json, "{\"n\":1}");
		lineage_asset_free(a);
	}
	lineage_db_close(db);
}
END_TEST

START_TEST(revert_an_import)
{
	lineage_db *db = warehouse();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	const char csv[] = "source,target\nraw.orders,stg.orders\nstg.orders,mart.sales\n";
	TU_OK(lineage_import_buffer(&r, db, csv, sizeof csv - 1, &o));
	ck_assert(has_edge(db, "stg.orders", "mart.sales"));
	TU_OK(lineage_batch_revert(db, sum(r)->batch_id));
	ck_assert(!has_edge(db, "stg.orders", "mart.sales"));
	ck_assert(!has_edge(db, "raw.orders", "stg.orders"));
	lineage_import_report_free(r);
	lineage_db_close(db);
}
END_TEST

static int cancel_at_write(const char *stage, uint64_t done, uint64_t total, void *payload)
{
	(void)done;
	(void)total;
	(*(int *)payload)++;
	return !strcmp(stage, "write") || !strcmp(stage, "import");
}

START_TEST(cancel_writes_nothing)
{
	lineage_db *db = warehouse();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	int calls = 0;
	int64_t seq = last_seq(db);
	const char csv[] = "source,target\nraw.orders,stg.orders\n";
	const char assets[] = "key,kind\nnew.asset,table\n";
	o.progress = cancel_at_write;
	o.payload = &calls;
	TU_FAILS(LINEAGE_ECANCELLED, lineage_import_buffer(&r, db, csv, sizeof csv - 1, &o));
	ck_assert_ptr_null(r);
	ck_assert_int_eq(calls, 1); /* a lineage file is read once: stage "import" */
	ck_assert_int_eq(last_seq(db), seq);
	ck_assert(!lineage_db_in_transaction(db));
	ck_assert(foreign_keys_on(db));
	/* an assets file is read twice: stage "validate", then "write", where it stops */
	calls = 0;
	TU_FAILS(LINEAGE_ECANCELLED, lineage_import_buffer(&r, db, assets, sizeof assets - 1, &o));
	ck_assert_ptr_null(r);
	ck_assert_int_ge(calls, 2);
	ck_assert_int_eq(last_seq(db), seq);
	ck_assert(!lineage_db_in_transaction(db));
	lineage_db_close(db);
}
END_TEST

START_TEST(bad_inputs_leave_db_unchanged)
{
	static const struct {
		const char *data;
		lineage_format format;
		int code;
		const char *needle;
	} cases[] = {
		{"", LINEAGE_FORMAT_CSV, LINEAGE_EPARSE, "empty"},
		{"source,target\n", LINEAGE_FORMAT_CSV, LINEAGE_EPARSE, "no rows"},
		{"source,target\nraw.orders,\"stg", LINEAGE_FORMAT_CSV, LINEAGE_EPARSE, "never closed"},
		{"source,source\na,b\n", LINEAGE_FORMAT_CSV, LINEAGE_EPARSE, "appears twice"},
		{"source,target\n", LINEAGE_FORMAT_JSON, LINEAGE_EPARSE, "not JSON"},
		{"[{\"source\": \"a\", \"target\": \"b\"}]", LINEAGE_FORMAT_GRAPHML, LINEAGE_EPARSE, "not GraphML"},
		{"[]", LINEAGE_FORMAT_JSON, LINEAGE_EPARSE, "no rows"},
	};
	lineage_db *db = warehouse();
	int64_t seq = last_seq(db);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		lineage_import_report *r = NULL;
		lineage_import_options o = opts();
		o.format = cases[i].format;
		TU_FAILS(cases[i].code, lineage_import_buffer(&r, db, cases[i].data, strlen(cases[i].data), &o));
		ck_assert_msg(strstr(lineage_error_last()->message, cases[i].needle), "case %zu: %s", i,
			      lineage_error_last()->message);
		ck_assert_ptr_nonnull(r);
		ck_assert_uint_eq(lineage_import_report_error_count(r), 1);
		ck_assert_int_eq(sum(r)->committed, 0);
		lineage_import_report_free(r);
	}
	ck_assert_int_eq(last_seq(db), seq);
	lineage_db_close(db);
}
END_TEST

START_TEST(broken_after_rows_writes_nothing)
{
	/* A lineage file is read once: rows before the break were applied (and one rejected),
	 * then all of it is undone, and the report shows no writes and keeps no rejects file. */
	lineage_db *db = warehouse();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	int64_t seq = last_seq(db);
	const char *rejects = tu_path("broken-rejects.csv");
	const char csv[] = "source,target,confidence\n"
			   "raw.orders,stg.orders,0.5\n"
			   "raw.orders,mart.sales,high\n"
			   "stg.orders,mart.sales,\"1\n";
	o.mode = LINEAGE_IMPORT_SKIP_ERRORS;
	o.rejects_path = rejects;
	TU_FAILS(LINEAGE_EPARSE, lineage_import_buffer(&r, db, csv, sizeof csv - 1, &o));
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(sum(r)->rows, 2);
	ck_assert_uint_eq(sum(r)->invalid, 1);
	ck_assert_uint_eq(sum(r)->created_edges, 0);
	ck_assert_uint_eq(lineage_import_report_item_count(r), 0);
	ck_assert_int_eq(sum(r)->committed, 0);
	ck_assert_uint_eq(lineage_import_report_error_count(r), 2);
	ck_assert_ptr_nonnull(strstr(lineage_import_report_error(r, 1)->message, "never closed"));
	ck_assert_int_eq(access(rejects, F_OK), -1);
	ck_assert_int_eq(last_seq(db), seq);
	ck_assert(!lineage_db_in_transaction(db));
	ck_assert(foreign_keys_on(db));
	lineage_import_report_free(r);
	lineage_db_close(db);
}
END_TEST

/* The edges' secondary indexes as another connection sees them: how many, and whether the
 * file passes PRAGMA integrity_check (an index that does not match its table fails it). */
static int edge_indexes_ok(lineage_db *db)
{
	sqlite3 *raw = NULL;
	sqlite3_stmt *st = NULL;
	int n = -1, ok = 0;
	if (tu_backend_pg()) /* both there, and valid (a failed concurrent build leaves one invalid) */
		return tu_pg_sql(db, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
				 " WHERE c.relnamespace = current_schema()::regnamespace AND i.indisvalid"
				 " AND c.relname IN ('edges_target', 'edges_job')") == 2;
	ck_assert_int_eq(sqlite3_open(lineage_db_path(db), &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(raw, "SELECT count(*) FROM sqlite_master WHERE name IN"
					    " ('edges_target', 'edges_job')", -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	ck_assert_int_eq(sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	ok = sqlite3_step(st) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	sqlite3_close(raw);
	return n == 2 && ok;
}

/* Edges wh.s.t<i> -> wh.m.t<i+1> for i in [first, first + n); the row of i == broken_row has
 * a confidence in words. */
static char *edges_csv(int first, int n, int broken_row)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	ck_assert_int_eq(lin_strbuf_puts(&sb, "source,target,source_kind,target_kind,job,confidence\n"), 0);
	for (int i = first; i < first + n; i++)
		ck_assert_int_eq(lin_strbuf_printf(&sb, "wh.s.t%d,wh.m.t%d,table,table,%s,%s\n", i, i + 1,
						   i % 3 ? "" : "raw.orders", i == broken_row ? "high" : "0.9"), 0);
	return lin_strbuf_detach(&sb);
}

/* Import edges_csv(first, n, broken_row), expecting `code`; the report is the caller's. */
static lineage_import_report *import_edges(lineage_db *db, const lineage_import_options *o,
					   int first, int n, int broken_row, int code)
{
	lineage_import_report *r = NULL;
	char *csv = edges_csv(first, n, broken_row);
	TU_FAILS(code, lineage_import_buffer(&r, db, csv, strlen(csv), o));
	free(csv);
	return r;
}

START_TEST(big_import_builds_edge_indexes)
{
	/* An import that adds more edges than the store has builds the indexes by target and
	 * by job once, at the commit; rolled back, they are as they were. */
	lineage_db *db = warehouse();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	lineage_edge *e = NULL;
	r = import_edges(db, &o, 0, 3000, 2999, LINEAGE_EINVALID);
	ck_assert_int_eq(sum(r)->committed, 0);
	lineage_import_report_free(r);
	ck_assert(edge_indexes_ok(db));
	r = import_edges(db, &o, 0, 3000, -1, 0);
	ck_assert_uint_eq(sum(r)->created_edges, 3000);
	lineage_import_report_free(r);
	ck_assert(edge_indexes_ok(db));
	TU_OK(lineage_edge_find(&e, db, "wh.s.t2999", "wh.m.t3000", NULL, NULL));
	lineage_edge_free(e);
	/* a small file into the bigger store: the indexes are kept and grow */
	r = import_edges(db, &o, 0, 1500, -1, 0);
	ck_assert_uint_eq(sum(r)->unchanged_edges, 1500);
	lineage_import_report_free(r);
	ck_assert(edge_indexes_ok(db));
	lineage_db_close(db);
}
END_TEST

START_TEST(batched_edges_mixed_with_stored_ones)
{
	/* A big import writes its new edges in batches; the edges it finds stored are merged
	 * one by one. Counts, ids, history and revert are as for edges written one by one. */
	lineage_db *db = warehouse();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	lineage_change_list *h = NULL;
	lineage_edge *e = NULL, *first = NULL;
	int64_t batch;
	r = import_edges(db, &o, 0, 1500, -1, 0);
	ck_assert_uint_eq(sum(r)->created_edges, 1500);
	lineage_import_report_free(r);
	TU_OK(lineage_edge_find(&first, db, "wh.s.t1499", "wh.m.t1500", NULL, NULL));
	r = import_edges(db, &o, 0, 3000, -1, 0);
	ck_assert_uint_eq(sum(r)->created_edges, 1500);
	ck_assert_uint_eq(sum(r)->unchanged_edges, 1500);
	batch = sum(r)->batch_id;
	lineage_import_report_free(r);
	ck_assert(edge_indexes_ok(db));
	/* ids follow the stored ones, in the file's order */
	TU_OK(lineage_edge_find(&e, db, "wh.s.t2999", "wh.m.t3000", NULL, NULL));
	ck_assert_int_eq(e->id, first->id + 1500);
	TU_OK(lineage_history_edge(&h, db, e->id, 10));
	ck_assert_uint_eq(lineage_change_list_count(h), 1);
	ck_assert_str_eq(lineage_change_list_get(h, 0)->action, "create");
	ck_assert_ptr_nonnull(strstr(lineage_change_list_get(h, 0)->after_json, "\"wh.m.t3000\""));
	ck_assert_int_eq(lineage_change_list_get(h, 0)->batch_id, batch);
	lineage_change_list_free(h);
	lineage_edge_free(e);
	lineage_edge_free(first);
	TU_OK(lineage_batch_revert(db, batch));
	ck_assert(!has_edge(db, "wh.s.t2999", "wh.m.t3000"));
	ck_assert(!has_edge(db, "wh.s.t1501", "wh.m.t1502")); /* (every third row has a job) */
	ck_assert(has_edge(db, "wh.s.t1499", "wh.m.t1500"));
	ck_assert(edge_indexes_ok(db));
	lineage_db_close(db);
}
END_TEST

START_TEST(batched_edges_failing_stop_the_import)
{
	/* A batch that cannot be written (here a trigger refuses one of its edges) stops the
	 * import as a whole: nothing of it stays. */
	lineage_db *db = warehouse();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	int64_t seq = last_seq(db);
	if (tu_backend_pg())
		tu_pg_sql(db, "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN"
			  " IF NEW.target_id = (SELECT id FROM assets WHERE key = 'wh.m.t2500') THEN"
			  " RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END$$;"
			  "CREATE TRIGGER refuse BEFORE INSERT ON edges FOR EACH ROW EXECUTE FUNCTION refuse()");
	else
		tu_sql(db, "CREATE TRIGGER refuse BEFORE INSERT ON edges WHEN"
			   " NEW.target_id = (SELECT id FROM assets WHERE key = 'wh.m.t2500')"
			   " BEGIN SELECT RAISE(ABORT, 'refused'); END");
	o.mode = LINEAGE_IMPORT_SKIP_ERRORS;
	r = import_edges(db, &o, 0, 3000, -1, LINEAGE_ERROR);
	ck_assert_ptr_null(r);
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "refused"));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "rolled back as a whole"));
	ck_assert_int_eq(last_seq(db), seq);
	ck_assert(!has_edge(db, "wh.s.t0", "wh.m.t1"));
	ck_assert(!lineage_db_in_transaction(db));
	ck_assert(edge_indexes_ok(db));
	lineage_db_close(db);
}
END_TEST

START_TEST(rules_across_rows_past_the_memory_budget)
{
	/* Past its budget, what the rows had so far is on disk: the same repeats and conflicts
	 * are found, with the same rows named. */
	lineage_db *db = warehouse();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	size_t saved = lin_seen_default_budget;
	const char csv[] = "source,target,confidence\n"
			   "raw.orders,stg.orders,0.5\n"
			   "stg.orders,mart.sales,0.5\n"
			   "raw.orders,mart.sales,0.5\n"
			   "raw.orders,stg.orders,0.5\n"
			   "stg.orders,mart.sales,0.9\n"
			   "raw.orders,mart.sales,0.7\n";
	lin_seen_default_budget = 2;
	o.mode = LINEAGE_IMPORT_SKIP_ERRORS;
	TU_FAILS(LINEAGE_EINVALID, lineage_import_buffer(&r, db, csv, sizeof csv - 1, &o));
	lin_seen_default_budget = saved;
	ck_assert_uint_eq(sum(r)->created_edges, 3);
	ck_assert_uint_eq(sum(r)->invalid, 2);
	ck_assert_uint_eq(lineage_import_report_warning_count(r), 1);
	ck_assert_ptr_nonnull(strstr(lineage_import_report_warning(r, 0)->message, "Row 5: this row repeats row 2"));
	ck_assert_uint_eq(lineage_import_report_error_count(r), 2);
	ck_assert_ptr_nonnull(strstr(lineage_import_report_error(r, 0)->message, "is also on row 3"));
	ck_assert_ptr_nonnull(strstr(lineage_import_report_error(r, 1)->message, "is also on row 4")); /* on disk */
	ck_assert_uint_eq(lineage_import_report_error(r, 1)->row, 7);
	lineage_import_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(big_replace_import_retires_the_rest)
{
	/* The whole truth of a scope, in batches: the edges a second file no longer has are
	 * retired, those it has stay, those it adds are written in batches too. */
	lineage_db *db = warehouse();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	o.replace_scope = "bulk";
	r = import_edges(db, &o, 0, 3000, -1, 0);
	ck_assert_uint_eq(sum(r)->created_edges, 3000);
	lineage_import_report_free(r);
	r = import_edges(db, &o, 1000, 3000, -1, 0);
	ck_assert_uint_eq(sum(r)->unchanged_edges, 2000);
	ck_assert_uint_eq(sum(r)->created_edges, 1000);
	ck_assert_uint_eq(sum(r)->retired_edges, 1000);
	lineage_import_report_free(r);
	ck_assert(has_edge(db, "wh.s.t1000", "wh.m.t1001"));
	ck_assert(has_edge(db, "wh.s.t3998", "wh.m.t3999")); /* (every third row has a job) */
	ck_assert(!has_edge(db, "wh.s.t998", "wh.m.t999")); /* retired */
	ck_assert(has_edge(db, "wh.s.t2999", "wh.m.t3000"));
	ck_assert(edge_indexes_ok(db));
	lineage_db_close(db);
}
END_TEST

START_TEST(big_reimport_merges_each_row)
{
	/* Thousands of rows again (on PostgreSQL their stored edges are read ahead a few hundred
	 * at a time): each merges as its own upsert would, with one change row per update. */
	lineage_db *db = warehouse();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	lineage_edge_spec spec;
	lineage_edge *e = NULL;
	lin_strbuf sb = LIN_STRBUF_INIT;
	int64_t before;
	r = import_edges(db, &o, 0, 3000, -1, 0);
	ck_assert_uint_eq(sum(r)->created_edges, 3000);
	lineage_import_report_free(r);
	TU_OK(lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION));
	spec.source_key = "wh.s.t5";
	spec.target_key = "wh.m.t6";
	spec.lineage_source = LINEAGE_SOURCE_APPROVED;
	TU_OK(lineage_edge_upsert(NULL, NULL, db, &spec));
	/* even rows get another confidence; row 5 is approved in the store */
	ck_assert_int_eq(lin_strbuf_puts(&sb, "source,target,job,confidence\n"), 0);
	for (int i = 0; i < 3000; i++)
		ck_assert_int_eq(lin_strbuf_printf(&sb, "wh.s.t%d,wh.m.t%d,%s,%s\n", i, i + 1,
						   i % 3 ? "" : "raw.orders", i % 2 ? "0.9" : "0.8"), 0);
	before = last_seq(db);
	TU_OK(lineage_import_buffer(&r, db, sb.data, sb.len, &o));
	ck_assert_uint_eq(sum(r)->updated_edges, 1501);
	ck_assert_uint_eq(sum(r)->unchanged_edges, 1499);
	ck_assert_uint_eq(sum(r)->created_edges, 0);
	ck_assert_int_eq(last_seq(db) - before, 1501);
	lineage_import_report_free(r);
	TU_OK(lineage_edge_find(&e, db, "wh.s.t5", "wh.m.t6", NULL, NULL));
	ck_assert_int_eq(e->lineage_source, LINEAGE_SOURCE_APPROVED); /* manual input keeps it */
	ck_assert(e->confidence == 0.9);
	lineage_edge_free(e);
	TU_OK(lineage_edge_find(&e, db, "wh.s.t2998", "wh.m.t2999", NULL, NULL));
	ck_assert(e->confidence == 0.8);
	lineage_edge_free(e);
	lin_strbuf_free(&sb);
	lineage_db_close(db);
}
END_TEST

START_TEST(ten_megabyte_field)
{
	/* A 10 MB value is read (under the 16 MiB limit) and refused by the rules, by row. */
	lineage_db *db = warehouse();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	size_t big = 10u << 20;
	char *csv = malloc(big + 100);
	int64_t seq = last_seq(db);
	int n = sprintf(csv, "source,target,description\nraw.orders,stg.orders,");
	memset(csv + n, 'x', big);
	strcpy(csv + n + big, "\nraw.orders,mart.sales,ok\n");
	TU_FAILS(LINEAGE_EINVALID, lineage_import_buffer(&r, db, csv, strlen(csv), &o));
	ck_assert_uint_eq(sum(r)->rows, 2);
	ck_assert_uint_eq(sum(r)->invalid, 1);
	ck_assert_str_eq(lineage_import_report_error(r, 0)->message,
			 "Row 2, column \"description\": the value is 10485760 bytes long; at most 65536 are allowed. Shorten it.");
	ck_assert_int_eq(last_seq(db), seq);
	lineage_import_report_free(r);
	free(csv);
	lineage_db_close(db);
}
END_TEST

START_TEST(usage_errors)
{
	lineage_db *db = warehouse();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	TU_FAILS(LINEAGE_EIO, lineage_import_path(&r, db, tu_path("missing.csv"), NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "cannot open"));
	TU_OK(lineage_db_begin(db, "mine"));
	TU_FAILS(LINEAGE_EUSAGE, lineage_import_buffer(&r, db, "source,target\na,b\n", 17, NULL));
	TU_OK(lineage_db_rollback(db));
	o.format = LINEAGE_FORMAT_DOT;
	TU_FAILS(LINEAGE_EINVALID, lineage_import_buffer(&r, db, "x", 1, &o));
	o = opts();
	o.version = 42;
	TU_FAILS(LINEAGE_EINVALID, lineage_import_buffer(&r, db, "x", 1, &o));
	ck_assert_ptr_null(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(import_from_stream_and_path)
{
	lineage_db *db = warehouse();
	lineage_import_report *r = NULL;
	const char *path = tu_path("edges.jsonl");
	FILE *f;
	write_file(path, "{\"source\": \"raw.orders\", \"target\": \"stg.orders\"}\n");
	TU_OK(lineage_import_path(&r, db, path, NULL));
	ck_assert_int_eq(sum(r)->format, LINEAGE_FORMAT_JSONL);
	{
		char *json = NULL;
		TU_OK(lineage_import_report_to_json(&json, r));
		ck_assert_ptr_nonnull(strstr(json, "\"file\": \"edges.jsonl\""));
		lineage_free(json);
	}
	lineage_import_report_free(r);
	f = fopen(path, "rb");
	TU_OK(lineage_import_file(&r, db, f, NULL));
	fclose(f);
	ck_assert_uint_eq(sum(r)->unchanged_edges, 1);
	lineage_import_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(replace_scope_retires_missing_edges)
{
	lineage_db *db = warehouse();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	const char full[] = "source,target\nraw.orders,stg.orders\nstg.orders,mart.sales\n";
	const char less[] = "source,target\nraw.orders,stg.orders\n";
	o.replace_scope = "team-a";
	TU_OK(lineage_import_buffer(&r, db, full, sizeof full - 1, &o));
	lineage_import_report_free(r);
	o.dry_run = 1;
	TU_OK(lineage_import_buffer(&r, db, less, sizeof less - 1, &o));
	ck_assert_uint_eq(sum(r)->retired_edges, 1);
	ck_assert_str_eq(lineage_import_report_item(r, 1)->action, "retire");
	ck_assert_str_eq(lineage_import_report_item(r, 1)->key, "stg.orders");
	ck_assert(has_edge(db, "stg.orders", "mart.sales"));
	lineage_import_report_free(r);
	o.dry_run = 0;
	TU_OK(lineage_import_buffer(&r, db, less, sizeof less - 1, &o));
	ck_assert_uint_eq(sum(r)->retired_edges, 1);
	ck_assert(!has_edge(db, "stg.orders", "mart.sales"));
	ck_assert(has_edge(db, "raw.orders", "stg.orders"));
	lineage_import_report_free(r);
	/* Back in the file: active again. */
	TU_OK(lineage_import_buffer(&r, db, full, sizeof full - 1, &o));
	ck_assert(has_edge(db, "stg.orders", "mart.sales"));
	ck_assert_uint_eq(sum(r)->retired_edges, 0);
	lineage_import_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(kinds_that_forbid_cycles)
{
	lineage_db *db = tu_open_temp();
	lineage_import_report *r = NULL;
	lineage_import_options o = opts();
	lineage_edge_spec e;
	const char csv[] = "source,target,kind\n"
			   "b,c,feeds\n"  /* 2: fine */
			   "c,a,feeds\n"  /* 3: a -> b -> c -> a: a cycle */
			   "c,a,flow\n"   /* 4: flow allows cycles */
			   "c,d,feeds\n"; /* 5: fine */
	tu_asset(db, "a", "table", NULL);
	tu_asset(db, "b", "table", NULL);
	tu_asset(db, "c", "table", NULL);
	tu_asset(db, "d", "table", NULL);
	TU_OK(lineage_edge_kind_define(db, "feeds", 0, 0));
	lineage_edge_spec_init(&e, LINEAGE_EDGE_SPEC_VERSION);
	e.source_key = "a";
	e.target_key = "b";
	e.kind = "feeds";
	TU_OK(lineage_edge_upsert(NULL, NULL, db, &e));
	o.dry_run = 1;
	TU_FAILS(LINEAGE_EINVALID, lineage_import_buffer(&r, db, csv, sizeof csv - 1, &o));
	ck_assert_uint_eq(sum(r)->invalid, 1);
	ck_assert_str_eq(lineage_import_report_error(r, 0)->message,
			 "Row 3: the \"feeds\" edge from \"c\" to \"a\" would close a cycle (\"a\" already leads to \"c\" through such edges), and edges of kind \"feeds\" must not form cycles. Remove the row, or check its direction.");
	ck_assert_uint_eq(sum(r)->created_edges, 3);
	lineage_import_report_free(r);
	o.dry_run = 0;
	o.mode = LINEAGE_IMPORT_SKIP_ERRORS;
	TU_FAILS(LINEAGE_EINVALID, lineage_import_buffer(&r, db, csv, sizeof csv - 1, &o));
	ck_assert_int_eq(sum(r)->committed, 1);
	lineage_import_report_free(r);
	{
		lineage_edge *x = NULL;
		TU_FAILS(LINEAGE_ENOTFOUND, lineage_edge_find(&x, db, "c", "a", "feeds", NULL));
		TU_OK(lineage_edge_find(&x, db, "c", "a", "flow", NULL));
		lineage_edge_free(x);
	}
	lineage_db_close(db);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("io_import");
	TCase *tc = tcase_create("import");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, import_lineage_csv);
	tcase_add_test(tc, atomic_writes_nothing_on_errors);
	tcase_add_test(tc, skip_errors_and_rejects);
	tcase_add_test(tc, rejects_of_two_types);
	tcase_add_test(tc, dry_run_previews);
	tcase_add_test(tc, store_rules);
	tcase_add_test(tc, create_missing);
	tcase_add_test(tc, assets_with_parent_later);
	tcase_add_test(tc, json_mixed_records);
	tcase_add_test(tc, revert_an_import);
	tcase_add_test(tc, cancel_writes_nothing);
	tcase_add_test(tc, broken_after_rows_writes_nothing);
	tcase_add_test(tc, big_import_builds_edge_indexes);
	tcase_add_test(tc, batched_edges_mixed_with_stored_ones);
	tcase_add_test(tc, batched_edges_failing_stop_the_import);
	tcase_add_test(tc, rules_across_rows_past_the_memory_budget);
	tcase_add_test(tc, big_replace_import_retires_the_rest);
	tcase_add_test(tc, big_reimport_merges_each_row);
	tcase_add_test(tc, bad_inputs_leave_db_unchanged);
	tcase_add_test(tc, ten_megabyte_field);
	tcase_add_test(tc, usage_errors);
	tcase_add_test(tc, import_from_stream_and_path);
	tcase_add_test(tc, replace_scope_retires_missing_edges);
	tcase_add_test(tc, kinds_that_forbid_cycles);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
