/* Collectors through the C API: URIs and their masking, progress and cancel, a collector of
 * the host's own, assets marked removed, and PostgreSQL when its test server runs
 * (tests/collect/test_collect_cli.sh checks the lineage of every database exactly). */
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/collect_internal.h"
#include "testutil.h"

static char *mask(const char *uri)
{
	char *out = NULL;
	TU_OK(lineage_collect_uri_mask(&out, uri));
	return out;
}

START_TEST(uri_mask_hides_every_password)
{
	static const char *const cases[][2] = {
		{"postgresql://ann:pw@db:5432/shop", "postgresql://ann:****@db:5432/shop"},
		{"postgresql://ann:p@ss@db/shop?sslmode=require", "postgresql://ann:****@db/shop?sslmode=require"},
		{"postgresql://ann@db/shop?password=pw&sslmode=require", "postgresql://ann@db/shop?password=****&sslmode=require"},
		{"postgresql:///shop?host=/tmp&password=pw", "postgresql:///shop?host=/tmp&password=****"},
		{"mysql://root@localhost/x?socket=/tmp/s", "mysql://root@localhost/x?socket=/tmp/s"},
		{"/var/db/shop.sqlite", "/var/db/shop.sqlite"},
		{"postgresql:/shop?host=/tmp&password=pw", "postgresql:/shop?host=/tmp&password=****"},
		{"pgsql:shop?password=pw", "pgsql:shop?password=****"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *m = mask(cases[i][0]);
		ck_assert_str_eq(m, cases[i][1]);
		lineage_free(m);
	}
}
END_TEST

START_TEST(uri_parse_decodes_parts)
{
	lin_uri u;
	TU_OK(lin_uri_parse(&u, "MySQL://r%40ot:p%3Aw@[::1]:3307/my%20db?socket=%2Ftmp%2Fs&x"));
	ck_assert_str_eq(u.scheme, "mysql");
	ck_assert_str_eq(u.user, "r@ot");
	ck_assert_str_eq(u.password, "p:w");
	ck_assert_str_eq(u.host, "[::1]");
	ck_assert_int_eq(u.port, 3307);
	ck_assert_str_eq(u.path, "my db");
	ck_assert_str_eq(lin_uri_param_get(&u, "socket"), "/tmp/s");
	ck_assert_str_eq(lin_uri_param_get(&u, "x"), "");
	lin_uri_free(&u);
	TU_FAILS(LINEAGE_EINVALID, lin_uri_parse(&u, "postgresql://h:99999/db"));
	TU_FAILS(LINEAGE_EINVALID, lin_uri_parse(&u, "postgresql://h/d%00b"));
	TU_FAILS(LINEAGE_EINVALID, lin_uri_parse(&u, "://h/db"));
	{
		char msg[] = "user ann, password hunter2, again hunter2.";
		lin_mask_secret(msg, "hunter2");
		ck_assert_str_eq(msg, "user ann, password ****, again ****.");
	}
	{ /* a secret made of the mask's own characters ends (it looped for ever) */
		char msg[] = "p:*@h and ** and *";
		lin_mask_secret(msg, "*");
		ck_assert_str_eq(msg, "p:*@h and ** and *");
	}
}
END_TEST

/* A SQLite source: two tables, a view renaming a column. */
static const char *make_source(const char *name)
{
	const char *path = tu_path(name);
	sqlite3 *s = NULL;
	ck_assert_int_eq(sqlite3_open(path, &s), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(s,
				      "CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);"
				      "CREATE TABLE b (a_id INTEGER REFERENCES a (id), w REAL);"
				      "CREATE VIEW ab AS SELECT a.v AS label, b.w FROM a JOIN b ON b.a_id = a.id;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(s);
	return path;
}

typedef struct progress_log {
	uint64_t calls, last_done, last_total;
	uint64_t cancel_at; /* 0: never */
} progress_log;

static int on_progress(const char *stage, uint64_t done, uint64_t total, void *payload)
{
	progress_log *p = payload;
	ck_assert_str_eq(stage, "collect");
	ck_assert_uint_ge(done, p->last_done);
	p->calls++;
	p->last_done = done;
	p->last_total = total;
	return p->cancel_at && p->calls >= p->cancel_at;
}

static size_t asset_count(lineage_db *db)
{
	lineage_asset_list *l = NULL;
	lineage_search_options so;
	size_t n;
	lineage_search_options_init(&so, LINEAGE_SEARCH_OPTIONS_VERSION);
	TU_OK(lineage_asset_search(&l, db, "", &so));
	n = lineage_asset_list_total(l);
	lineage_asset_list_free(l);
	return n;
}

START_TEST(sqlite_collect_reports_progress_and_cancels_cleanly)
{
	lineage_db *db = tu_open_temp();
	const char *src = make_source("shop.db");
	lineage_collect_options o;
	lineage_scan_report *r = NULL;
	progress_log log = {0, 0, 0, 2};
	lineage_asset *a = NULL;
	lineage_edge *e = NULL;
	lineage_collect_options_init(&o, LINEAGE_COLLECT_OPTIONS_VERSION);
	o.progress = on_progress;
	o.progress_payload = &log;
	/* Cancelled after the second relation: nothing written. */
	TU_FAILS(LINEAGE_ECANCELLED, lineage_collect(&r, db, src, &o));
	ck_assert_ptr_null(r);
	ck_assert_uint_eq(asset_count(db), 0);
	/* Then whole: 3 relations and 1 view, counted to the end. */
	memset(&log, 0, sizeof log);
	o.name = "shop";
	TU_OK(lineage_collect(&r, db, src, &o));
	ck_assert_uint_eq(log.last_total, 4);
	ck_assert_uint_eq(log.last_done, 4);
	ck_assert_uint_eq(lineage_scan_report_summary(r)->statements, 1);
	lineage_scan_report_free(r);
	TU_OK(lineage_asset_get(&a, db, "shop.main.ab.label"));
	ck_assert_str_eq(a->kind, "column");
	ck_assert_str_eq(a->parent_key, "shop.main.ab");
	lineage_asset_free(a);
	TU_OK(lineage_edge_find(&e, db, "shop.main.a.v", "shop.main.ab.label", "flow", NULL));
	ck_assert_int_eq(e->lineage_source, LINEAGE_SOURCE_INFERRED);
	ck_assert_str_eq(e->origin, "collect:sqlite:shop");
	ck_assert_str_eq(e->transformation_type, "identity");
	lineage_edge_free(e);
	lineage_db_close(db);
}
END_TEST

START_TEST(bad_calls_are_refused)
{
	lineage_db *db = tu_open_temp();
	lineage_collect_options o;
	lineage_scan_report *r = NULL;
	const char *src = make_source("x.db");
	lineage_collect_options_init(&o, LINEAGE_COLLECT_OPTIONS_VERSION);
	TU_FAILS(LINEAGE_EINVALID, lineage_collect(&r, db, "", NULL));
	TU_FAILS(LINEAGE_EINVALID, lineage_collect(NULL, db, src, NULL));
	TU_FAILS(LINEAGE_EINVALID, lineage_collect_options_init(&o, 99));
	o.version = 99;
	TU_FAILS(LINEAGE_EINVALID, lineage_collect(&r, db, src, &o));
	lineage_collect_options_init(&o, LINEAGE_COLLECT_OPTIONS_VERSION);
	o.name = " bad key";
	TU_FAILS(LINEAGE_EINVALID, lineage_collect(&r, db, src, &o));
	o.name = NULL;
	o.type = "dbt"; /* a scanner of files is not a collector */
	TU_FAILS(LINEAGE_EINVALID, lineage_collect(&r, db, src, &o));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "use lineage scan"));
	o.type = "nosuch";
	TU_FAILS(LINEAGE_EINVALID, lineage_collect(&r, db, src, &o));
	/* A directory is no database. */
	TU_FAILS(LINEAGE_EINVALID, lineage_collect(&r, db, tu_tmpdir(), NULL));
	/* A transaction open on the handle: the collect needs its own. */
	TU_OK(lineage_db_begin(db, "mine"));
	TU_FAILS(LINEAGE_EUSAGE, lineage_collect(&r, db, src, NULL));
	TU_OK(lineage_db_rollback(db));
	ck_assert_uint_eq(asset_count(db), 0);
	lineage_db_close(db);
}
END_TEST

/* ---- A collector of the host's own: "memo://NAME?tables=a,b" holds those tables. ---- */

static int memo_detect(const char *path, const unsigned char *head, size_t len, void *payload)
{
	(void)head;
	(void)len;
	(void)payload;
	return path && !strncmp(path, "memo://", 7) ? 100 : 0;
}

static int memo_scan(lineage_scan_sink *sink, const char *path, const unsigned char *data,
		     size_t len, void *payload)
{
	const char *source = lineage_scan_sink_option(sink, "source");
	const char *tables = strstr(path, "tables=");
	char key[600], schema[256];
	lineage_asset_spec spec;
	int rc;
	(void)data;
	(void)len;
	(void)payload;
	ck_assert_ptr_nonnull(source);
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = source;
	spec.kind = "system";
	if ((rc = lineage_scan_sink_asset(sink, &spec)) != 0)
		return rc;
	snprintf(schema, sizeof schema, "%s.s", source);
	spec.key = schema;
	spec.kind = "schema";
	spec.parent_key = source;
	if ((rc = lineage_scan_sink_asset(sink, &spec)) != 0)
		return rc;
	for (const char *t = tables ? tables + 7 : ""; *t;) {
		size_t n = strcspn(t, ",");
		snprintf(key, sizeof key, "%s.%.*s", schema, (int)(n < 100 ? n : 100), t);
		spec.key = key;
		spec.kind = "table";
		spec.parent_key = schema;
		if ((rc = lineage_scan_sink_asset(sink, &spec)) != 0 ||
		    (rc = lineage_scan_sink_progress(sink, "collect", 1, 0)) != 0)
			return rc;
		t += n + (t[n] == ',');
	}
	return 0;
}

START_TEST(custom_collector_gets_the_source_and_its_removed_assets)
{
	static const lineage_scanner memo = {LINEAGE_SCANNER_VERSION, "memo", "test collector",
					     memo_detect, memo_scan, NULL};
	lineage_db *db = tu_open_temp();
	lineage_scan_report *r = NULL;
	lineage_asset *a = NULL;
	TU_OK(lineage_scanner_register(&memo));
	TU_OK(lineage_collect(&r, db, "memo://host/inventory?tables=x,y", NULL));
	ck_assert_uint_eq(lineage_scan_report_summary(r)->assets_created, 4);
	lineage_scan_report_free(r);
	/* y is gone: removed, not deleted; then back: no longer removed. */
	TU_OK(lineage_collect(&r, db, "memo://host/inventory?tables=x", NULL));
	ck_assert_uint_eq(lineage_scan_report_summary(r)->assets_removed, 1);
	lineage_scan_report_free(r);
	TU_OK(lineage_asset_get(&a, db, "inventory.s.y"));
	ck_assert_str_eq(a->status, "removed");
	lineage_asset_free(a);
	TU_OK(lineage_collect(&r, db, "memo://host/inventory?tables=x,y", NULL));
	ck_assert_uint_eq(lineage_scan_report_summary(r)->assets_removed, 0);
	lineage_scan_report_free(r);
	TU_OK(lineage_asset_get(&a, db, "inventory.s.y"));
	ck_assert_ptr_null(a->status);
	lineage_asset_free(a);
	TU_OK(lineage_scanner_unregister("memo"));
	lineage_db_close(db);
}
END_TEST

/* Run SQL on a PostgreSQL URI; fails the test on error. */
static void pg_exec(const char *uri, const char *sql)
{
	PGconn *c = PQconnectdb(uri);
	PGresult *r;
	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
	r = PQexec(c, sql);
	ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK, "%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
}

/* PostgreSQL: progress to the end, a cancel in the middle leaves nothing. */
START_TEST(postgres_progress_and_cancel)
{
	const char *admin = getenv("LINEAGE_TEST_PG_ADMIN");
	const char *require = getenv("LINEAGE_TEST_REQUIRE_SERVERS");
	char uri[2048], sql[128], name[64];
	lineage_db *db;
	lineage_collect_options o;
	lineage_scan_report *r = NULL;
	progress_log log = {0, 0, 0, 0};
	if (!admin || !*admin) {
		ck_assert_msg(!require || strcmp(require, "1"),
			      "LINEAGE_TEST_PG_ADMIN is not set (start the servers: scripts/servers.sh)");
		fprintf(stderr, "SKIP: LINEAGE_TEST_PG_ADMIN is not set\n");
		return;
	}
	/* A database of its own: postgresql:///postgres?... becomes postgresql:///NAME?... */
	snprintf(name, sizeof name, "collect_c_%ld", (long)getpid());
	ck_assert_ptr_nonnull(strstr(admin, "/postgres?"));
	snprintf(uri, sizeof uri, "%.*s/%s%s", (int)(strstr(admin, "/postgres?") - admin), admin, name,
		 strstr(admin, "/postgres?") + 9);
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
	pg_exec(admin, sql);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	pg_exec(admin, sql);
	pg_exec(uri, "CREATE TABLE t1 (a int, b text); CREATE TABLE t2 (a int, c text);"
		     "CREATE VIEW v AS SELECT t1.a, t2.c FROM t1 JOIN t2 USING (a)");
	db = tu_open_temp();
	lineage_collect_options_init(&o, LINEAGE_COLLECT_OPTIONS_VERSION);
	o.progress = on_progress;
	o.progress_payload = &log;
	TU_OK(lineage_collect(&r, db, uri, &o));
	ck_assert_uint_eq(log.last_total, 4); /* 3 relations, 1 view */
	ck_assert_uint_eq(log.last_done, 4);
	ck_assert_uint_eq(lineage_scan_report_summary(r)->edges_created, 6);
	lineage_scan_report_free(r);
	lineage_db_close(db);
	db = tu_open_temp();
	memset(&log, 0, sizeof log);
	log.cancel_at = 3;
	TU_FAILS(LINEAGE_ECANCELLED, lineage_collect(&r, db, uri, &o));
	ck_assert_uint_eq(asset_count(db), 0);
	lineage_db_close(db);
	snprintf(sql, sizeof sql, "DROP DATABASE %s", name);
	pg_exec(admin, sql);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("collect");
	TCase *tc = tcase_create("collect");
	tcase_add_test(tc, uri_mask_hides_every_password);
	tcase_add_test(tc, uri_parse_decodes_parts);
	tcase_add_test(tc, sqlite_collect_reports_progress_and_cancels_cleanly);
	tcase_add_test(tc, bad_calls_are_refused);
	tcase_add_test(tc, custom_collector_gets_the_source_and_its_removed_assets);
	tcase_add_test(tc, postgres_progress_and_cancel);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
