/* Database helpers for tests (a separate object: pulled in only by tests that use them). */
#include "testutil.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

/* The PostgreSQL schema of each store tu_open_temp() opened (to open it again). */
static struct {
	lineage_db *db;
	char schema[49];
} pg_stores[64];
static char last_schema[49];

int tu_backend_pg(void)
{
	const char *backend = getenv("LINEAGE_TEST_BACKEND");
	return backend && !strcmp(backend, "postgres");
}

static const char *pg_uri(void)
{
	const char *uri = getenv("LINEAGE_TEST_PG");
	ck_assert_msg(uri && *uri, "LINEAGE_TEST_BACKEND=postgres needs LINEAGE_TEST_PG (a libpq URI): "
		      "start a server with scripts/servers.sh");
	return uri;
}

static const char *schema_of(lineage_db *db)
{
	for (size_t i = 0; i < sizeof pg_stores / sizeof pg_stores[0]; i++)
		if (pg_stores[i].db == db)
			return pg_stores[i].schema;
	return last_schema;
}

lineage_db *tu_open_temp(void)
{
	static int counter;
	char name[64];
	lineage_db *db = NULL;
	if (tu_backend_pg()) {
		lineage_open_options o;
		struct timeval tv;
		gettimeofday(&tv, NULL);
		/* unique across the run: pids are reused, the server's schemas stay */
		snprintf(last_schema, sizeof last_schema, "t%d_%d_%lld", (int)getpid(), counter++,
			 (long long)tv.tv_sec * 1000000 + tv.tv_usec);
		TU_OK(lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION));
		o.pg_schema = last_schema;
		TU_OK(lineage_db_open(&db, pg_uri(), &o));
		for (size_t i = 0; i < sizeof pg_stores / sizeof pg_stores[0]; i++)
			if (!pg_stores[i].db || i + 1 == sizeof pg_stores / sizeof pg_stores[0]) {
				pg_stores[i].db = db;
				snprintf(pg_stores[i].schema, sizeof pg_stores[i].schema, "%s", last_schema);
				break;
			}
		return db;
	}
	snprintf(name, sizeof name, "test-%d-%d.db", (int)getpid(), counter++);
	TU_OK(lineage_db_open(&db, tu_path(name), NULL));
	return db;
}

void tu_same_options(lineage_db *like, lineage_open_options *opts)
{
	if (tu_backend_pg())
		opts->pg_schema = schema_of(like);
}

lineage_db *tu_open_same(lineage_db *like, const lineage_open_options *opts)
{
	lineage_open_options o;
	lineage_db *db = NULL;
	if (opts)
		o = *opts;
	else
		TU_OK(lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION));
	tu_same_options(like, &o);
	TU_OK(lineage_db_open(&db, lineage_db_path(like), &o));
	return db;
}

lineage_db *tu_open_memory(void)
{
	lineage_db *db = NULL;
	if (tu_backend_pg())
		return tu_open_temp(); /* a private store all the same */
	TU_OK(lineage_db_open(&db, ":memory:", NULL));
	return db;
}

int64_t tu_asset(lineage_db *db, const char *key, const char *kind, const char *parent)
{
	lineage_asset_spec spec;
	int64_t id = 0;
	TU_OK(lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION));
	spec.key = key;
	spec.kind = kind;
	spec.parent_key = parent;
	TU_OK(lineage_asset_upsert(NULL, &id, db, &spec));
	return id;
}

int64_t tu_edge(lineage_db *db, const char *source, const char *target)
{
	lineage_edge_spec spec;
	int64_t id = 0;
	TU_OK(lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION));
	spec.source_key = source;
	spec.target_key = target;
	TU_OK(lineage_edge_upsert(NULL, &id, db, &spec));
	return id;
}


void tu_sql(lineage_db *db, const char *sql)
{
	sqlite3 *raw = NULL;
	char *err = NULL;
	ck_assert_int_eq(sqlite3_open(lineage_db_path(db), &raw), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(raw, sql, NULL, NULL, &err) == SQLITE_OK, "%s: %s", sql, err);
	sqlite3_close(raw);
}

long long tu_pg_sql(lineage_db *db, const char *sql)
{
	PGconn *conn = PQconnectdb(pg_uri());
	PGresult *res;
	const char *values[1] = {schema_of(db)};
	long long out = 0;
	ck_assert_msg(PQstatus(conn) == CONNECTION_OK, "%s", PQerrorMessage(conn));
	res = PQexecParams(conn, "SELECT set_config('search_path', $1, false)", 1, NULL, values,
			   NULL, NULL, 0);
	ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK, "%s", PQerrorMessage(conn));
	PQclear(res);
	res = PQexec(conn, sql);
	ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK || PQresultStatus(res) == PGRES_COMMAND_OK,
		      "%s: %s", sql, PQerrorMessage(conn));
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
		out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	PQfinish(conn);
	return out;
}
