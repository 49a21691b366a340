/*
 * Schema 9 of the PostgreSQL store: the references between assets and edges are checked by
 * triggers instead of foreign keys (lib/store/postgres/pg_refs.c). A store of schema 8 is
 * upgraded in place, and the guarantee is the one the foreign keys gave: no application
 * writing into the schema with plain SQL can leave an edge or a child pointing at no asset.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static const char *uri;

/* A new store (the fixture's: a fresh schema) with a database, two tables in it and an edge
 * between them; its schema's name into `schema`. */
static lineage_db *new_store(char schema[64])
{
	lineage_db *db = tu_open_temp();
	lineage_open_options o;
	lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION);
	tu_same_options(db, &o);
	snprintf(schema, 64, "%s", o.pg_schema);
	tu_asset(db, "wh", "database", NULL);
	tu_asset(db, "wh.raw", "table", "wh");
	tu_asset(db, "wh.stg", "table", "wh");
	tu_edge(db, "wh.raw", "wh.stg");
	return db;
}

static lineage_db *open_store(const char *schema)
{
	lineage_open_options o;
	lineage_db *db = NULL;
	lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION);
	o.pg_schema = schema;
	TU_OK(lineage_db_open(&db, uri, &o));
	return db;
}

/* Another application's session: its own connection, the default search_path (so the
 * store's tables are named with their schema), no advisory lock. */
typedef struct foreign_app {
	PGconn *conn;
	char state[6];   /* SQLSTATE of the last statement, "" when it succeeded */
	char detail[256];
	char constraint[64];
	long long value; /* first column of the first row */
} foreign_app;

static void foreign_connect(foreign_app *f)
{
	memset(f, 0, sizeof *f);
	f->conn = PQconnectdb(uri);
	ck_assert_msg(PQstatus(f->conn) == CONNECTION_OK, "%s", PQerrorMessage(f->conn));
}

/* Run `fmt` with every "%s" replaced by the schema name (the fixture's names need no
 * quoting). */
static void foreign_sql(foreign_app *f, const char *schema, const char *fmt)
{
	char sql[2048];
	const char *p;
	size_t n = 0;
	PGresult *res;
	for (p = fmt; *p && n + 64 < sizeof sql; p++) {
		if (p[0] == '%' && p[1] == 's') {
			n += (size_t)snprintf(sql + n, sizeof sql - n, "%s", schema);
			p++;
		} else {
			sql[n++] = *p;
		}
	}
	sql[n] = '\0';
	res = PQexec(f->conn, sql);
	f->state[0] = f->detail[0] = f->constraint[0] = '\0';
	f->value = 0;
	if (PQresultStatus(res) == PGRES_FATAL_ERROR) {
		const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		const char *d = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
		const char *c = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
		snprintf(f->state, sizeof f->state, "%s", s ? s : "?");
		snprintf(f->detail, sizeof f->detail, "%s", d ? d : "");
		snprintf(f->constraint, sizeof f->constraint, "%s", c ? c : "");
	} else {
		ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK ||
			      PQresultStatus(res) == PGRES_COMMAND_OK, "%s: %s", sql,
			      PQerrorMessage(f->conn));
		if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0 &&
		    !PQgetisnull(res, 0, 0))
			f->value = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	}
	PQclear(res);
}

/* Run SQL that must succeed; its first value. */
static long long foreign_ok(foreign_app *f, const char *schema, const char *fmt)
{
	foreign_sql(f, schema, fmt);
	ck_assert_msg(!f->state[0], "%s: SQLSTATE %s", fmt, f->state);
	return f->value;
}

/* Run SQL that the store must refuse as a broken reference. */
static void foreign_refused(foreign_app *f, const char *schema, const char *fmt,
			    const char *constraint, const char *detail)
{
	foreign_sql(f, schema, fmt);
	ck_assert_msg(!strcmp(f->state, "23503"), "%s: SQLSTATE \"%s\", not 23503", fmt, f->state);
	ck_assert_str_eq(f->constraint, constraint);
	ck_assert_msg(strstr(f->detail, detail), "detail \"%s\" lacks \"%s\"", f->detail, detail);
}

#define FOREIGN_KEYS "SELECT count(*) FROM pg_constraint WHERE contype = 'f'" \
	" AND conrelid IN ('%s.assets'::regclass, '%s.edges'::regclass)"
#define TRIGGERS "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal" \
	" AND tgrelid IN ('%s.assets'::regclass, '%s.edges'::regclass)"

/* What a store of schema 8 had: the four foreign keys, no triggers. */
static const char to_schema_8[] =
	"BEGIN;"
	"DROP TRIGGER edges_inserted ON %s.edges; DROP TRIGGER edges_updated ON %s.edges;"
	"DROP TRIGGER assets_inserted ON %s.assets; DROP TRIGGER assets_updated ON %s.assets;"
	"DROP TRIGGER assets_deleted ON %s.assets; DROP TRIGGER assets_truncated ON %s.assets;"
	"DROP FUNCTION %s.lineage_edges_inserted(), %s.lineage_edge_updated(),"
	" %s.lineage_assets_inserted(), %s.lineage_asset_updated(), %s.lineage_assets_deleted(),"
	" %s.lineage_assets_truncated();"
	"ALTER TABLE %s.assets ADD FOREIGN KEY (parent_id) REFERENCES %s.assets(id);"
	"ALTER TABLE %s.edges ADD FOREIGN KEY (source_id) REFERENCES %s.assets(id),"
	" ADD FOREIGN KEY (target_id) REFERENCES %s.assets(id),"
	" ADD FOREIGN KEY (job_id) REFERENCES %s.assets(id);"
	"UPDATE %s.meta SET value = '8' WHERE name = 'schema_version';"
	"COMMIT;";

START_TEST(schema_8_store_is_upgraded)
{
	char schema[64];
	lineage_db *db = new_store(schema);
	foreign_app f;
	lineage_result *r = NULL;
	tu_asset(db, "wh.mart", "table", "wh");
	tu_edge(db, "wh.stg", "wh.mart");
	lineage_db_close(db);

	foreign_connect(&f);
	foreign_ok(&f, schema, to_schema_8);
	ck_assert_int_eq(foreign_ok(&f, schema, FOREIGN_KEYS), 4);
	ck_assert_int_eq(foreign_ok(&f, schema, TRIGGERS), 0);

	db = open_store(schema);
	ck_assert_int_eq(lineage_db_schema_version(db), 9);
	ck_assert_int_eq(foreign_ok(&f, schema, FOREIGN_KEYS), 0);
	ck_assert_int_eq(foreign_ok(&f, schema, TRIGGERS), 6);
	ck_assert_int_eq(foreign_ok(&f, schema, "SELECT value::int FROM %s.meta"
				    " WHERE name = 'schema_version'"), 9);
	/* the data as it was */
	TU_OK(lineage_query_downstream(&r, db, "wh.raw", NULL));
	ck_assert_int_eq(lineage_result_node_count(r), 3);
	lineage_result_free(r);
	ck_assert_int_eq(foreign_ok(&f, schema, "SELECT count(*) FROM %s.assets a"
				    " JOIN %s.assets p ON p.id = a.parent_id WHERE p.key = 'wh'"), 3);
	/* and the store writes on */
	tu_asset(db, "wh.report", "table", "wh");
	tu_edge(db, "wh.mart", "wh.report");
	TU_OK(lineage_query_downstream(&r, db, "wh.raw", NULL));
	ck_assert_int_eq(lineage_result_node_count(r), 4);
	lineage_result_free(r);
	lineage_db_close(db);
	PQfinish(f.conn);
}
END_TEST

#define NEW_EDGE(source, target, job) \
	"INSERT INTO %s.edges(id, source_id, target_id, job_id, kind, lineage_source, confidence," \
	" content_hash, created_at, updated_at) SELECT (SELECT max(id) + 1 FROM %s.edges), " \
	source ", " target ", " job ", 'flow', 0, 1, 'h', 0, 0"
#define ID(key) "(SELECT id FROM %s.assets WHERE key = '" key "')"

START_TEST(foreign_writers_cannot_break_references)
{
	char schema[64];
	lineage_db *db = new_store(schema);
	foreign_app f;
	lineage_result *r = NULL;
	tu_asset(db, "wh.load", "job", NULL);

	foreign_connect(&f);
	/* an edge to an asset that does not exist, by each of its references */
	foreign_refused(&f, schema, NEW_EDGE(ID("wh.raw"), "424242", "NULL"),
			"edges_target_id_fkey", "Key (target_id)=(424242) is not present");
	foreign_refused(&f, schema, NEW_EDGE("424242", ID("wh.stg"), "NULL"),
			"edges_source_id_fkey", "Key (source_id)=(424242) is not present");
	foreign_refused(&f, schema, NEW_EDGE(ID("wh.raw"), ID("wh.stg"), "424242"),
			"edges_job_id_fkey", "Key (job_id)=(424242) is not present");
	/* one bad row among good ones refuses the whole statement */
	foreign_refused(&f, schema, "INSERT INTO %s.edges(id, source_id, target_id, kind,"
			" lineage_source, confidence, content_hash, created_at, updated_at)"
			" SELECT 1000 + g, " ID("wh.stg") ", CASE WHEN g = 7 THEN 424242 ELSE "
			ID("wh.raw") " END, 'k' || g, 0, 1, 'h', 0, 0 FROM generate_series(1, 10) g",
			"edges_target_id_fkey", "(target_id)=(424242)");
	/* an edge moved onto a missing asset; an asset under a missing parent */
	foreign_refused(&f, schema, "UPDATE %s.edges SET target_id = 424242",
			"edges_target_id_fkey", "(target_id)=(424242)");
	foreign_refused(&f, schema, "INSERT INTO %s.assets(id, key, kind, name, parent_id,"
			" created_at, updated_at) VALUES (424240, 'x', 'table', 'x', 424242, 0, 0)",
			"assets_parent_id_fkey", "Key (parent_id)=(424242) is not present");
	foreign_refused(&f, schema, "UPDATE %s.assets SET parent_id = 424242 WHERE key = 'wh.raw'",
			"assets_parent_id_fkey", "(parent_id)=(424242)");
	/* removing an asset still referenced: by an edge, by a child; nor by a new id */
	foreign_refused(&f, schema, "DELETE FROM %s.assets WHERE key = 'wh.stg'",
			"edges_target_id_fkey", "is still referenced from table \"edges\"");
	foreign_refused(&f, schema, "DELETE FROM %s.assets WHERE key = 'wh'",
			"assets_parent_id_fkey", "is still referenced from table \"assets\"");
	foreign_refused(&f, schema, "UPDATE %s.assets SET id = 424242 WHERE key = 'wh.raw'",
			"edges_source_id_fkey", "is still referenced from table \"edges\"");
	/* (runs' own foreign key refuses a TRUNCATE of assets without it) */
	foreign_sql(&f, schema, "TRUNCATE %s.runs, %s.assets");
	ck_assert_str_eq(f.state, "23503");
	/* nothing of it was written */
	TU_OK(lineage_query_downstream(&r, db, "wh.raw", NULL));
	ck_assert_int_eq(lineage_result_node_count(r), 2);
	lineage_result_free(r);
	ck_assert_int_eq(foreign_ok(&f, schema, "SELECT count(*) FROM %s.edges"), 1);
	ck_assert_int_eq(foreign_ok(&f, schema, "SELECT count(*) FROM %s.assets"), 4);

	/* what keeps the references whole is accepted: the checks refuse only what breaks them */
	foreign_ok(&f, schema, NEW_EDGE(ID("wh.stg"), ID("wh.raw"), ID("wh.load")));
	foreign_ok(&f, schema, "INSERT INTO %s.assets(id, key, kind, name, parent_id, created_at,"
		   " updated_at) VALUES (424241, 'wh.b', 'table', 'b', 424240, 0, 0),"
		   " (424240, 'wh.a', 'table', 'a', " ID("wh") ", 0, 0)");
	foreign_ok(&f, schema, "DELETE FROM %s.assets WHERE key IN ('wh.a', 'wh.b')");
	foreign_ok(&f, schema, "DELETE FROM %s.edges WHERE job_id IS NOT NULL");
	foreign_ok(&f, schema, "DELETE FROM %s.assets WHERE key = 'wh.load'");
	ck_assert_int_eq(foreign_ok(&f, schema, "SELECT count(*) FROM %s.assets"), 3);
	lineage_db_close(db);
	PQfinish(f.conn);
}
END_TEST

int main(void)
{
	Suite *s;
	TCase *tc;
	uri = tu_server_uri_or_exit("LINEAGE_TEST_PG");
	s = suite_create("pg_refs");
	/* the fixture's stores (tu_open_temp) are in PostgreSQL here, whatever the run */
	setenv("LINEAGE_TEST_BACKEND", "postgres", 1);
	tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, schema_8_store_is_upgraded);
	tcase_add_test(tc, foreign_writers_cannot_break_references);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
