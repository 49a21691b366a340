/*
 * What only a store in PostgreSQL has to get right, on a real server ($LINEAGE_TEST_PG, from
 * scripts/servers.sh): bad URIs and servers, schemas that are not ours or are newer, roles
 * that may not write, a connection killed in the middle of a transaction, several handles and
 * writers on one store. The rest of the suite runs on PostgreSQL through the fixture
 * (LINEAGE_TEST_BACKEND=postgres).
 */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

static const char *uri;

/* A schema name no other test uses. */
static const char *fresh_schema(void)
{
	static char name[49];
	static int counter;
	struct timeval tv;
	gettimeofday(&tv, NULL);
	snprintf(name, sizeof name, "p%d_%d_%lld", (int)getpid(), counter++,
		 (long long)tv.tv_sec * 1000000 + tv.tv_usec);
	return name;
}

/* Run SQL as the server's superuser (in `schema` when not NULL); the first column of the
 * first row as an integer (0 for none). */
static long long admin_sql(const char *schema, const char *sql)
{
	PGconn *conn = PQconnectdb(uri);
	PGresult *res;
	long long out = 0;
	ck_assert_msg(PQstatus(conn) == CONNECTION_OK, "%s", PQerrorMessage(conn));
	if (schema) {
		const char *values[1] = {schema};
		res = PQexecParams(conn, "SELECT set_config('search_path', $1, false)", 1, NULL, values,
				   NULL, NULL, 0);
		ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
		PQclear(res);
	}
	res = PQexec(conn, sql);
	ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK || PQresultStatus(res) == PGRES_COMMAND_OK,
		      "%s: %s", sql, PQerrorMessage(conn));
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
		out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	PQfinish(conn);
	return out;
}

static int open_in(lineage_db **db, const char *u, const char *schema, unsigned int flags,
		   int busy_ms)
{
	lineage_open_options o;
	lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION);
	o.pg_schema = schema;
	o.flags = flags;
	if (busy_ms >= 0)
		o.busy_timeout_ms = busy_ms;
	return lineage_db_open(db, u, &o);
}

/* The test server's URI with more parameters (`extra` starts with '&'). */
static const char *uri_with(const char *extra)
{
	static char buf[1024];
	snprintf(buf, sizeof buf, "%s%s", uri, extra);
	return buf;
}

static int64_t count_down(lineage_db *db, const char *key)
{
	lineage_result *r = NULL;
	int64_t n;
	TU_OK(lineage_query_downstream(&r, db, key, NULL));
	n = (int64_t)lineage_result_node_count(r);
	lineage_result_free(r);
	return n;
}

static int has_message(const char *part)
{
	return strstr(lineage_error_last()->message, part) != NULL;
}

START_TEST(creates_marks_and_reopens)
{
	const char *schema = fresh_schema();
	char sql[256];
	lineage_db *db = NULL;
	TU_OK(open_in(&db, uri, schema, 0, -1));
	ck_assert_int_eq(lineage_db_schema_version(db), LINEAGE_SCHEMA_VERSION);
	ck_assert_str_eq(lineage_db_path(db), uri);
	tu_asset(db, "raw.orders", "table", NULL);
	lineage_db_close(db);
	ck_assert_int_eq(admin_sql(schema, "SELECT count(*) FROM meta WHERE name = 'application'"
				   " AND value = 'liblineage'"), 1);
	/* opened again: the same store, nothing created twice */
	TU_OK(open_in(&db, uri, schema, LINEAGE_OPEN_NOCREATE, -1));
	ck_assert_int_eq(count_down(db, "raw.orders"), 1);
	lineage_db_close(db);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_class WHERE relnamespace = '%s'::regnamespace"
		 " AND relname = 'assets'", schema);
	ck_assert_int_eq(admin_sql(NULL, sql), 1);
}
END_TEST

START_TEST(bad_uris_and_servers)
{
	lineage_db *db = NULL;
	char other[1024];
	/* a parameter libpq does not know */
	TU_FAILS(LINEAGE_EINVALID, open_in(&db, uri_with("&no_such_parameter=1"), NULL, 0, -1));
	ck_assert(has_message("no_such_parameter"));
	/* no server there: refused at once, naming the cause */
	TU_FAILS(LINEAGE_EIO, lineage_db_open(&db, "postgresql:///lineage_test?host=/nonexistent-folder&connect_timeout=2", NULL));
	ck_assert(has_message("cannot connect to the PostgreSQL server"));
	/* a database that does not exist */
	snprintf(other, sizeof other, "postgresql:///no_such_database?host=%s&port=%s&user=postgres",
		 getenv("LINEAGE_TEST_PG_SOCKDIR"), getenv("LINEAGE_TEST_PG_PORT"));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_db_open(&db, other, NULL));
	ck_assert(has_message("createdb"));
	/* a schema name that would need quoting */
	TU_FAILS(LINEAGE_EINVALID, open_in(&db, uri, "Bad-Name", 0, -1));
	ck_assert_ptr_null(db);
}
END_TEST

START_TEST(missing_store_is_not_created_when_told_not_to)
{
	const char *schema = fresh_schema();
	char sql[256];
	lineage_db *db = NULL;
	TU_FAILS(LINEAGE_ENOTFOUND, open_in(&db, uri, schema, LINEAGE_OPEN_NOCREATE, -1));
	TU_FAILS(LINEAGE_EREADONLY, open_in(&db, uri, schema, LINEAGE_OPEN_READONLY, -1));
	snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_namespace WHERE nspname = '%s'", schema);
	ck_assert_int_eq(admin_sql(NULL, sql), 0);
}
END_TEST

START_TEST(schema_of_another_application)
{
	const char *schema = fresh_schema();
	char sql[256];
	lineage_db *db = NULL;
	snprintf(sql, sizeof sql, "CREATE SCHEMA %s; CREATE TABLE %s.invoices(id int)", schema, schema);
	admin_sql(NULL, sql);
	TU_FAILS(LINEAGE_ENOTDB, open_in(&db, uri, schema, 0, -1));
	ck_assert(has_message("another application"));
	/* left as it was */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_class WHERE relnamespace = '%s'::regnamespace"
		 " AND relkind = 'r'", schema);
	ck_assert_int_eq(admin_sql(NULL, sql), 1);
}
END_TEST

START_TEST(schema_of_a_newer_liblineage)
{
	const char *schema = fresh_schema();
	lineage_db *db = NULL;
	TU_OK(open_in(&db, uri, schema, 0, -1));
	lineage_db_close(db);
	admin_sql(schema, "UPDATE meta SET value = '99' WHERE name = 'schema_version'");
	TU_FAILS(LINEAGE_EVERSION, open_in(&db, uri, schema, 0, -1));
	ck_assert(has_message("upgrade liblineage"));
}
END_TEST

START_TEST(read_only_role)
{
	const char *schema = fresh_schema();
	char sql[512], role[64], other[1024];
	lineage_db *db = NULL, *ro = NULL;
	lineage_asset *a = NULL;
	snprintf(role, sizeof role, "r_%s", schema);
	TU_OK(open_in(&db, uri, schema, 0, -1));
	tu_asset(db, "raw.orders", "table", NULL);
	snprintf(sql, sizeof sql, "CREATE ROLE %s LOGIN; GRANT USAGE ON SCHEMA %s TO %s;"
		 " GRANT SELECT ON ALL TABLES IN SCHEMA %s TO %s", role, schema, role, schema, role);
	admin_sql(NULL, sql);
	snprintf(other, sizeof other, "%s&user=%s", uri, role);
	/* reads work, writes say what is missing */
	TU_OK(open_in(&ro, other, schema, 0, -1));
	TU_OK(lineage_asset_get(&a, ro, "raw.orders"));
	lineage_asset_free(a);
	ck_assert_int_eq(count_down(ro, "raw.orders"), 1);
	{
		lineage_asset_spec spec;
		lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
		spec.key = "raw.customers";
		spec.kind = "table";
		TU_FAILS(LINEAGE_EREADONLY, lineage_asset_upsert(NULL, NULL, ro, &spec));
		ck_assert(has_message("INSERT, UPDATE and DELETE"));
	}
	lineage_db_close(ro);
	/* and it may not create a store */
	TU_FAILS(LINEAGE_EREADONLY, open_in(&ro, other, fresh_schema(), 0, -1));
	ck_assert(has_message("GRANT CREATE"));
	lineage_db_close(db);
}
END_TEST

/* Kill the connection of the handle whose application_name is `app`. */
static void terminate(const char *app)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
		 " WHERE application_name = '%s'", app);
	ck_assert_int_eq(admin_sql(NULL, sql), 1);
}

START_TEST(connection_killed_mid_transaction)
{
	const char *schema = fresh_schema();
	char app[80], extra[128];
	lineage_db *db = NULL;
	lineage_asset_spec spec;
	int rc;
	snprintf(app, sizeof app, "a_%s", schema);
	snprintf(extra, sizeof extra, "&application_name=%s", app);
	TU_OK(open_in(&db, uri_with(extra), schema, 0, -1));
	tu_asset(db, "raw.orders", "table", NULL);
	TU_OK(lineage_db_begin(db, "half"));
	tu_asset(db, "raw.customers", "table", NULL);
	tu_edge(db, "raw.orders", "raw.customers");
	terminate(app);
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = "raw.items";
	spec.kind = "table";
	rc = lineage_asset_upsert(NULL, NULL, db, &spec);
	ck_assert_int_eq(rc, LINEAGE_EIO);
	ck_assert(has_message("connection to the PostgreSQL server was lost"));
	ck_assert(has_message("rolled back"));
	ck_assert(!lineage_db_in_transaction(db));
	TU_FAILS(LINEAGE_EUSAGE, lineage_db_commit(db));
	/* nothing of the batch was written */
	ck_assert_int_eq(admin_sql(schema, "SELECT count(*) FROM assets"), 1);
	ck_assert_int_eq(admin_sql(schema, "SELECT count(*) FROM edges"), 0);
	/* the handle connects again on its next call */
	tu_asset(db, "raw.items", "table", NULL);
	ck_assert_int_eq(admin_sql(schema, "SELECT count(*) FROM assets"), 2);
	ck_assert_int_eq(count_down(db, "raw.orders"), 1);
	/* killed while idle: the next call does not even notice */
	terminate(app);
	ck_assert_int_eq(count_down(db, "raw.items"), 1);
	tu_edge(db, "raw.orders", "raw.items");
	ck_assert_int_eq(count_down(db, "raw.orders"), 2);
	lineage_db_close(db);
}
END_TEST

/* Kills the connection of `app` the first time the import reports progress. */
typedef struct killer {
	const char *app;
	int done;
} killer;

static int kill_once(const char *stage, uint64_t done, uint64_t total, void *payload)
{
	killer *k = payload;
	(void)stage;
	(void)total;
	if (!k->done && done > 0) {
		terminate(k->app);
		k->done = 1;
	}
	return 0;
}

static char *edges_csv(int n)
{
	size_t cap = (size_t)n * 64 + 64, len = 0;
	char *csv = malloc(cap);
	ck_assert_ptr_nonnull(csv);
	len += (size_t)snprintf(csv, cap, "source,target,source_kind,target_kind\n");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(csv + len, cap - len, "wh.s.t%d,wh.m.t%d,table,table\n", i, i + 1);
	return csv;
}

START_TEST(connection_killed_mid_import)
{
	const char *schema = fresh_schema();
	char app[80], extra[128];
	char *csv = edges_csv(5000);
	lineage_db *db = NULL;
	lineage_import_options o;
	lineage_import_report *r = NULL;
	killer k = {app, 0};
	snprintf(app, sizeof app, "i_%s", schema);
	snprintf(extra, sizeof extra, "&application_name=%s", app);
	TU_OK(open_in(&db, uri_with(extra), schema, 0, -1));
	TU_OK(lineage_import_options_init(&o, LINEAGE_IMPORT_OPTIONS_VERSION));
	o.progress = kill_once;
	o.payload = &k;
	ck_assert_int_eq(lineage_import_buffer(&r, db, csv, strlen(csv), &o), LINEAGE_EIO);
	lineage_import_report_free(r);
	r = NULL;
	ck_assert(k.done);
	ck_assert(has_message("connection to the PostgreSQL server was lost"));
	ck_assert(!lineage_db_in_transaction(db));
	/* nothing of it: no asset, edge, change or batch */
	ck_assert_int_eq(admin_sql(schema, "SELECT (SELECT count(*) FROM assets) + (SELECT count(*) FROM edges)"
				   " + (SELECT count(*) FROM changes) + (SELECT count(*) FROM batches)"), 0);
	/* the same handle imports it all once the connection is back */
	o.progress = NULL;
	TU_OK(lineage_import_buffer(&r, db, csv, strlen(csv), &o));
	lineage_import_report_free(r);
	ck_assert_int_eq(admin_sql(schema, "SELECT count(*) FROM assets"), 10000);
	ck_assert_int_eq(admin_sql(schema, "SELECT count(*) FROM edges"), 5000);
	ck_assert_int_eq(admin_sql(schema, "SELECT count(*) FROM changes"), 15000);
	/* seqs dense and in order, ids as the file gave them */
	ck_assert_int_eq(admin_sql(schema, "SELECT max(seq) FROM changes"), 15000);
	ck_assert_int_eq(count_down(db, "wh.s.t0"), 2);
	{
		lineage_db *other = NULL;
		lineage_edge *e = NULL;
		TU_OK(open_in(&other, uri, schema, 0, -1));
		ck_assert_int_eq(count_down(other, "wh.s.t4999"), 2);
		TU_OK(lineage_edge_find(&e, other, "wh.s.t4999", "wh.m.t5000", NULL, NULL));
		ck_assert_int_eq(e->id, 5000);
		lineage_edge_free(e);
		lineage_db_close(other);
	}
	free(csv);
	lineage_db_close(db);
}
END_TEST

START_TEST(two_handles_see_each_others_commits)
{
	lineage_db *a = tu_open_temp(), *b = tu_open_same(a, NULL);
	lineage_change_list *l = NULL;
	tu_asset(a, "raw.orders", "table", NULL);
	tu_asset(a, "stg.orders", "table", NULL);
	tu_edge(a, "raw.orders", "stg.orders");
	ck_assert_int_eq(count_down(b, "raw.orders"), 2); /* b's first query builds */
	tu_asset(b, "mart.sales", "table", NULL);
	tu_edge(b, "stg.orders", "mart.sales");
	ck_assert_int_eq(count_down(a, "raw.orders"), 3); /* a's engine catches up */
	tu_edge(a, "raw.orders", "mart.sales");
	TU_OK(lineage_edge_remove(b, 1));
	ck_assert_int_eq(count_down(a, "raw.orders"), 2);
	/* an open transaction is seen by nobody else */
	TU_OK(lineage_db_begin(a, NULL));
	tu_asset(a, "mart.extra", "table", NULL);
	tu_edge(a, "raw.orders", "mart.extra");
	ck_assert_int_eq(count_down(a, "raw.orders"), 3);
	ck_assert_int_eq(count_down(b, "raw.orders"), 2);
	TU_OK(lineage_db_commit(a));
	ck_assert_int_eq(count_down(b, "raw.orders"), 3);
	TU_OK(lineage_changes_since(&l, b, 0, 0));
	ck_assert_uint_eq(lineage_change_list_count(l), 9); /* 4 assets, 4 edges, 1 removal */
	lineage_change_list_free(l);
	lineage_db_close(a);
	lineage_db_close(b);
}
END_TEST

static int on_asset_count(const lineage_asset *a, void *payload)
{
	(void)a;
	++*(size_t *)payload;
	return 0;
}

/* An export reads a PostgreSQL store through a cursor, a chunk at a time: every asset once,
 * in key order, from one snapshot (a commit made meanwhile is not in it), and the callback
 * may query the store while it runs. */
struct scan_seen {
	lineage_db *db, *other;
	size_t n;
	char last[64];
	int ordered, nested_ok, streamed;
};

static int on_asset_seen(const lineage_asset *a, void *payload)
{
	struct scan_seen *s = payload;
	lineage_asset *again = NULL;
	s->ordered &= strcmp(s->last, a->key) < 0;
	snprintf(s->last, sizeof s->last, "%s", a->key);
	if (s->n == 1000) /* the second chunk was just fetched; the rest waits on the server */
		s->streamed = admin_sql(NULL, "SELECT count(*) FROM pg_stat_activity WHERE state = "
					      "'idle in transaction' AND query LIKE 'FETCH % FROM lin_scan%'") > 0;
	if (s->n == 1200) /* past the first chunk: a commit by another host */
		tu_asset(s->other, "raw.t99999", "table", NULL);
	if (s->n++ % 500 == 0) {
		s->nested_ok &= lineage_asset_get(&again, s->db, a->key) == 0 && again &&
				!strcmp(again->key, a->key);
		lineage_asset_free(again);
	}
	return 0;
}

START_TEST(export_streams_in_chunks)
{
	lineage_db *db = tu_open_temp(), *other = tu_open_same(db, NULL);
	struct scan_seen s = {db, other, 0, "", 1, 1, 0};
	char key[32];
	TU_OK(lineage_db_begin(db, NULL));
	for (int i = 0; i < 2500; i++) {
		snprintf(key, sizeof key, "raw.t%05d", i);
		tu_asset(db, key, "table", NULL);
	}
	TU_OK(lineage_db_commit(db));
	TU_OK(lineage_asset_foreach(db, on_asset_seen, &s));
	ck_assert_uint_eq(s.n, 2500);
	ck_assert(s.ordered);
	ck_assert(s.nested_ok);
	ck_assert(s.streamed);
	ck_assert_str_eq(s.last, "raw.t02499");
	/* the scan's own transaction is over: the handle writes, and sees the other's commit */
	ck_assert(!lineage_db_in_transaction(db));
	tu_asset(db, "raw.after", "table", NULL);
	s.n = 0;
	s.last[0] = 0;
	s.other = NULL;
	TU_OK(lineage_asset_foreach(db, on_asset_count, &s.n));
	ck_assert_uint_eq(s.n, 2502);
	lineage_db_close(other);
	lineage_db_close(db);
}
END_TEST

/* A host LISTENing on the store's channel hears each commit at once, with its last seq. */
START_TEST(commits_are_announced)
{
	const char *schema = fresh_schema();
	char listen[128];
	PGconn *conn = PQconnectdb(uri);
	PGresult *res;
	PGnotify *n = NULL;
	lineage_db *db = NULL;
	int64_t last = 0;
	ck_assert_int_eq(PQstatus(conn), CONNECTION_OK);
	TU_OK(open_in(&db, uri, schema, 0, -1));
	snprintf(listen, sizeof listen, "LISTEN lineage_%s", schema);
	res = PQexec(conn, listen);
	ck_assert_int_eq(PQresultStatus(res), PGRES_COMMAND_OK);
	PQclear(res);
	tu_asset(db, "raw.orders", "table", NULL);
	TU_OK(lineage_changes_last_seq(&last, db));
	for (int i = 0; i < 500 && !n; i++) { /* 5 s at most */
		ck_assert(PQconsumeInput(conn));
		if (!(n = PQnotifies(conn)))
			nanosleep(&(struct timespec){0, 10000000}, NULL);
	}
	ck_assert_ptr_nonnull(n);
	ck_assert_int_eq(strtoll(n->extra, NULL, 10), last);
	PQfreemem(n);
	PQfinish(conn);
	lineage_db_close(db);
}
END_TEST

/* The downstream count of `key` on `db`, asked every 10 ms until it is `want` (5 s at most). */
static int64_t count_down_until(lineage_db *db, const char *key, int64_t want)
{
	int64_t n = count_down(db, key);
	for (int i = 0; i < 500 && n != want; i++) {
		nanosleep(&(struct timespec){0, 10000000}, NULL);
		n = count_down(db, key);
	}
	return n;
}

START_TEST(bounded_staleness_learns_commits_from_notifications)
{
	const char *schema = fresh_schema();
	char app[80], extra[128], sql[256];
	lineage_db *w = NULL, *r = NULL;
	lineage_open_options o;
	snprintf(app, sizeof app, "r_%s", schema);
	snprintf(extra, sizeof extra, "&application_name=%s", app);
	TU_OK(open_in(&w, uri, schema, 0, -1));
	lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION);
	o.pg_schema = schema;
	o.max_staleness_ms = -1;
	TU_FAILS(LINEAGE_EINVALID, lineage_db_open(&r, uri_with(extra), &o));
	ck_assert(has_message("max_staleness_ms"));
	/* an hour: within this test, only a notification or a new connection tells r */
	o.max_staleness_ms = 3600 * 1000;
	TU_OK(lineage_db_open(&r, uri_with(extra), &o));
	tu_asset(w, "raw.orders", "table", NULL);
	tu_asset(w, "stg.orders", "table", NULL);
	tu_edge(w, "raw.orders", "stg.orders");
	ck_assert_int_eq(count_down(r, "raw.orders"), 2); /* r's first query builds */
	/* another host's commit reaches r through its notification */
	tu_asset(w, "mart.sales", "table", NULL);
	tu_edge(w, "stg.orders", "mart.sales");
	ck_assert_int_eq(count_down_until(r, "raw.orders", 3), 3);
	/* r's own writes and its transactions are exact at once */
	tu_asset(r, "mart.returns", "table", NULL);
	tu_edge(r, "stg.orders", "mart.returns");
	ck_assert_int_eq(count_down(r, "raw.orders"), 4);
	TU_OK(lineage_db_begin(r, NULL));
	ck_assert_int_eq(count_down(r, "raw.orders"), 4);
	TU_OK(lineage_db_commit(r));
	/* a commit made while r had no connection sent r no notification: r asks again once
	 * it has connected again */
	terminate(app);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_stat_activity WHERE application_name = '%s'", app);
	for (int i = 0; i < 500 && admin_sql(NULL, sql) > 0; i++)
		nanosleep(&(struct timespec){0, 10000000}, NULL);
	ck_assert_int_eq(admin_sql(NULL, sql), 0);
	tu_asset(w, "mart.refunds", "table", NULL);
	tu_edge(w, "mart.sales", "mart.refunds");
	ck_assert_int_eq(count_down_until(r, "raw.orders", 5), 5);
	lineage_db_close(w);
	lineage_db_close(r);
}
END_TEST

START_TEST(writer_lock_times_out_with_ebusy)
{
	lineage_db *a = tu_open_temp(), *b = NULL;
	lineage_open_options o;
	lineage_asset_spec spec;
	lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION);
	o.busy_timeout_ms = 200;
	b = tu_open_same(a, &o);
	TU_OK(lineage_db_begin(a, NULL));
	tu_asset(a, "raw.orders", "table", NULL);
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = "raw.customers";
	spec.kind = "table";
	TU_FAILS(LINEAGE_EBUSY, lineage_asset_upsert(NULL, NULL, b, &spec));
	ck_assert(has_message("busy_timeout_ms"));
	TU_OK(lineage_db_commit(a));
	TU_OK(lineage_asset_upsert(NULL, NULL, b, &spec));
	ck_assert_int_eq(count_down(b, "raw.orders"), 1);
	lineage_db_close(a);
	lineage_db_close(b);
}
END_TEST

/* Several hosts opening a new store at once: one creates it, the others wait and find it. */
typedef struct opener {
	const char *schema;
	int rc;
	char message[256];
} opener;

static void *open_store(void *arg)
{
	opener *o = arg;
	lineage_db *db = NULL;
	o->rc = open_in(&db, uri, o->schema, 0, 30000);
	if (o->rc)
		snprintf(o->message, sizeof o->message, "%s", lineage_error_last()->message);
	else
		o->rc = lineage_db_schema_version(db) == LINEAGE_SCHEMA_VERSION ? 0 : -1;
	lineage_db_close(db);
	return NULL;
}

START_TEST(concurrent_first_opens_create_once)
{
	const char *schema = fresh_schema();
	pthread_t th[4];
	opener os[4];
	memset(os, 0, sizeof os);
	for (int i = 0; i < 4; i++) {
		os[i].schema = schema;
		ck_assert_int_eq(pthread_create(&th[i], NULL, open_store, &os[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		ck_assert_msg(os[i].rc == 0, "opener %d: %d %s", i, os[i].rc, os[i].message);
	}
	ck_assert_int_eq(admin_sql(schema, "SELECT count(*) FROM edge_kinds WHERE name = 'flow'"), 1);
}
END_TEST

/* ---- concurrent writers of one edge ---- */

#define WRITERS 4
#define ROUNDS 25

typedef struct writer {
	lineage_open_options opts;
	const char *path;
	lineage_source source;
	int failures;
	char message[256];
} writer;

static void *write_edge(void *arg)
{
	writer *w = arg;
	lineage_db *db = NULL;
	if (lineage_db_open(&db, w->path, &w->opts)) {
		w->failures++;
		snprintf(w->message, sizeof w->message, "open: %s", lineage_error_last()->message);
		return NULL;
	}
	for (int i = 0; i < ROUNDS; i++) {
		lineage_edge_spec spec;
		char description[64];
		lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
		spec.source_key = "raw.orders";
		spec.target_key = "stg.orders";
		spec.lineage_source = w->source;
		snprintf(description, sizeof description, "round %d", i);
		spec.description = description;
		spec.create_missing = 1;
		if (lineage_edge_upsert(NULL, NULL, db, &spec)) {
			w->failures++;
			snprintf(w->message, sizeof w->message, "%s", lineage_error_last()->message);
		}
	}
	lineage_db_close(db);
	return NULL;
}

static void run_writers(lineage_db *like, const lineage_source *sources)
{
	pthread_t th[WRITERS];
	writer ws[WRITERS];
	memset(ws, 0, sizeof ws);
	for (int i = 0; i < WRITERS; i++) {
		lineage_open_options_init(&ws[i].opts, LINEAGE_OPEN_OPTIONS_VERSION);
		ws[i].opts.busy_timeout_ms = 30000;
		tu_same_options(like, &ws[i].opts);
		ws[i].path = lineage_db_path(like);
		ws[i].source = sources[i];
		ck_assert_int_eq(pthread_create(&th[i], NULL, write_edge, &ws[i]), 0);
	}
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(th[i], NULL);
		ck_assert_msg(ws[i].failures == 0, "writer %d: %d failures, last: %s", i,
			      ws[i].failures, ws[i].message);
	}
}

START_TEST(concurrent_writers_keep_the_merge_rules)
{
	static const lineage_source mixed[WRITERS] = {LINEAGE_SOURCE_INFERRED, LINEAGE_SOURCE_APPROVED,
						      LINEAGE_SOURCE_INFERRED, LINEAGE_SOURCE_MANUAL};
	static const lineage_source inferred[WRITERS] = {LINEAGE_SOURCE_INFERRED, LINEAGE_SOURCE_INFERRED,
							 LINEAGE_SOURCE_INFERRED, LINEAGE_SOURCE_INFERRED};
	lineage_db *db = tu_open_temp();
	lineage_edge *e = NULL;
	/* inferred never overrides approved, whoever writes last: one edge, approved */
	run_writers(db, mixed);
	TU_OK(lineage_edge_find(&e, db, "raw.orders", "stg.orders", NULL, NULL));
	ck_assert_int_eq(e->lineage_source, LINEAGE_SOURCE_APPROVED);
	ck_assert_int_eq(e->status, LINEAGE_EDGE_ACTIVE);
	ck_assert_int_eq(tu_pg_sql(db, "SELECT count(*) FROM edges"), 1);
	/* every write is in the audit trail, no two batches interleaved */
	ck_assert_int_eq(tu_pg_sql(db, "SELECT count(*) FROM changes c JOIN batches b ON b.id = c.batch_id"
				   " WHERE c.seq <= b.after_seq"), 0);
	/* rejected stays rejected under inferred writes from every side */
	TU_OK(lineage_edge_reject(db, e->id, "reviewer", "not real"));
	lineage_edge_free(e);
	run_writers(db, inferred);
	TU_OK(lineage_edge_find(&e, db, "raw.orders", "stg.orders", NULL, NULL));
	ck_assert_int_eq(e->status, LINEAGE_EDGE_REJECTED);
	lineage_edge_free(e);
	ck_assert_int_eq(tu_pg_sql(db, "SELECT count(*) FROM edges"), 1);
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s;
	TCase *tc;
	uri = tu_server_uri_or_exit("LINEAGE_TEST_PG");
	s = suite_create("pg");
	tc = tcase_create("core");
	/* the fixture's stores (tu_open_temp) are in PostgreSQL here, whatever the run */
	setenv("LINEAGE_TEST_BACKEND", "postgres", 1);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, creates_marks_and_reopens);
	tcase_add_test(tc, bad_uris_and_servers);
	tcase_add_test(tc, missing_store_is_not_created_when_told_not_to);
	tcase_add_test(tc, schema_of_another_application);
	tcase_add_test(tc, schema_of_a_newer_liblineage);
	tcase_add_test(tc, read_only_role);
	tcase_add_test(tc, connection_killed_mid_transaction);
	tcase_add_test(tc, connection_killed_mid_import);
	tcase_add_test(tc, two_handles_see_each_others_commits);
	tcase_add_test(tc, export_streams_in_chunks);
	tcase_add_test(tc, writer_lock_times_out_with_ebusy);
	tcase_add_test(tc, commits_are_announced);
	tcase_add_test(tc, bounded_staleness_learns_commits_from_notifications);
	tcase_add_test(tc, concurrent_writers_keep_the_merge_rules);
	tcase_add_test(tc, concurrent_first_opens_create_once);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
