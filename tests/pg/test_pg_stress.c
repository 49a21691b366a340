/*
 * Many processes on one store in PostgreSQL ($LINEAGE_TEST_PG), as many API replicas would be:
 *  - 8 processes write and read for LINEAGE_TEST_PG_STRESS_SECONDS (15 by default; the issue's
 *    60 on demand): each commits its own edges one batch at a time, together with contended
 *    writes on shared edges (one approved, one rejected, inferred from every side), and checks
 *    after each commit that the last commit another process announced is visible to its
 *    next query. At the end no write is lost (every announced edge and its audit row exist,
 *    once) and the merge rules held (inferred never overrode approved, rejected stayed
 *    rejected).
 *  - a writer killed with SIGKILL in the middle of an import leaves no partial batch, and
 *    the store's write lock is free again for the next writer.
 */
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define PROCS 8

static const char *uri;

static const char *fresh_schema(void)
{
	static char name[49];
	struct timeval tv;
	gettimeofday(&tv, NULL);
	snprintf(name, sizeof name, "s%d_%lld", (int)getpid(), (long long)tv.tv_sec * 1000000 + tv.tv_usec);
	return name;
}

/* SQL as the server's superuser in `schema`: the first column of the first row (0 for none). */
static long long admin_sql(const char *schema, const char *sql)
{
	PGconn *conn = PQconnectdb(uri);
	const char *values[1] = {schema};
	long long out = 0;
	PGresult *res;
	ck_assert_msg(PQstatus(conn) == CONNECTION_OK, "%s", PQerrorMessage(conn));
	res = PQexecParams(conn, "SELECT set_config('search_path', $1, false)", 1, NULL, values, NULL, NULL, 0);
	ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
	PQclear(res);
	res = PQexec(conn, sql);
	ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK, "%s: %s", sql, PQerrorMessage(conn));
	if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
		out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	PQfinish(conn);
	return out;
}

static lineage_db *open_store(const char *schema)
{
	lineage_open_options o;
	lineage_db *db = NULL;
	TU_OK(lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION));
	o.pg_schema = schema;
	o.busy_timeout_ms = 30000;
	TU_OK(lineage_db_open(&db, uri, &o));
	return db;
}

static int upsert(lineage_db *db, const char *src, const char *dst, lineage_source source)
{
	lineage_edge_spec e;
	lineage_edge_spec_init(&e, LINEAGE_EDGE_SPEC_VERSION);
	e.source_key = src;
	e.target_key = dst;
	e.lineage_source = source;
	e.create_missing = 1;
	return lineage_edge_upsert(NULL, NULL, db, &e);
}

/* Shared between the processes: what each has committed, and whether the approved write on
 * the hot edge has been committed. */
typedef struct board {
	int64_t committed[PROCS];
	int approved;
	char failure[PROCS][512];
} board;

static int child_fail(board *b, int me, const char *what)
{
	snprintf(b->failure[me], sizeof b->failure[me], "process %d: %s: %s (%s)", me, what,
		 lineage_error_last()->message, lineage_error_code_name(lineage_error_last()->code));
	return 1;
}

/* One writer-reader process; returns its exit status. */
static int worker(board *b, int me, const char *schema, double seconds)
{
	lineage_open_options o;
	lineage_db *db = NULL;
	struct timespec start, now;
	char src[64], dst[64];
	int64_t n = 0;
	lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION);
	o.pg_schema = schema;
	o.busy_timeout_ms = 30000;
	if (lineage_db_open(&db, uri, &o))
		return child_fail(b, me, "open");
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (unsigned k = 1;; k++) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9 > seconds)
			break;
		/* write: my next edge, and the contended ones, in one batch */
		snprintf(src, sizeof src, "w%d.s%lld", me, (long long)n);
		snprintf(dst, sizeof dst, "w%d.t", me);
		int rc = lineage_db_begin(db, "stress");
		if (!rc)
			rc = upsert(db, src, dst, k % 2 ? LINEAGE_SOURCE_INFERRED : LINEAGE_SOURCE_MANUAL);
		if (!rc)
			rc = upsert(db, "hot.a", "hot.b", me == 0 ? LINEAGE_SOURCE_APPROVED : LINEAGE_SOURCE_INFERRED);
		if (!rc)
			rc = upsert(db, "rej.a", "rej.b", LINEAGE_SOURCE_INFERRED);
		if (!rc)
			rc = lineage_db_commit(db);
		if (rc == LINEAGE_EBUSY) {
			lineage_db_rollback(db);
			continue; /* the lock was busy for 30 s: try again */
		}
		if (rc)
			return child_fail(b, me, "writing");
		__atomic_store_n(&b->committed[me], ++n, __ATOMIC_SEQ_CST);
		if (me == 0)
			__atomic_store_n(&b->approved, 1, __ATOMIC_SEQ_CST);
		/* read: another process's last announced commit is visible to this next query */
		int other = (me + (int)(k % (PROCS - 1)) + 1) % PROCS;
		int64_t seen = __atomic_load_n(&b->committed[other], __ATOMIC_SEQ_CST);
		int approved = __atomic_load_n(&b->approved, __ATOMIC_SEQ_CST);
		lineage_edge *e = NULL;
		if (seen > 0) {
			snprintf(src, sizeof src, "w%d.s%lld", other, (long long)(seen - 1));
			snprintf(dst, sizeof dst, "w%d.t", other);
			if (lineage_edge_find(&e, db, src, dst, NULL, NULL))
				return child_fail(b, me, "another process's commit is not visible");
			lineage_edge_free(e);
		}
		if (lineage_edge_find(&e, db, "rej.a", "rej.b", NULL, NULL))
			return child_fail(b, me, "reading the rejected edge");
		int status = e->status;
		lineage_edge_free(e);
		if (status != LINEAGE_EDGE_REJECTED)
			return child_fail(b, me, "an inferred write revived a rejected edge");
		if (approved) {
			if (lineage_edge_find(&e, db, "hot.a", "hot.b", NULL, NULL))
				return child_fail(b, me, "reading the approved edge");
			int source = e->lineage_source;
			lineage_edge_free(e);
			if (source != LINEAGE_SOURCE_APPROVED)
				return child_fail(b, me, "an inferred write overrode an approved edge");
		}
	}
	lineage_db_close(db);
	return 0;
}

START_TEST(eight_processes_lose_no_write)
{
	const char *env = getenv("LINEAGE_TEST_PG_STRESS_SECONDS");
	double seconds = env && atof(env) > 0 ? atof(env) : 15;
	char schema[49];
	pid_t pids[PROCS];
	int64_t total = 0;
	/* a file mapped shared: what the processes announce to each other */
	int fd = open(tu_path("board"), O_RDWR | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, sizeof(board)), 0);
	board *b = mmap(NULL, sizeof *b, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ck_assert_ptr_ne(b, MAP_FAILED);
	close(fd);
	memset(b, 0, sizeof *b);
	snprintf(schema, sizeof schema, "%s", fresh_schema());
	lineage_db *db = open_store(schema);
	lineage_edge *e = NULL;
	TU_OK(upsert(db, "rej.a", "rej.b", LINEAGE_SOURCE_INFERRED));
	TU_OK(lineage_edge_find(&e, db, "rej.a", "rej.b", NULL, NULL));
	TU_OK(lineage_edge_reject(db, e->id, "reviewer", "not real"));
	lineage_edge_free(e);
	lineage_db_close(db);
	int64_t base_changes = admin_sql(schema, "SELECT count(*) FROM changes");

	for (int i = 0; i < PROCS; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0)
			_exit(worker(b, i, schema, seconds));
	}
	for (int i = 0; i < PROCS; i++) {
		int status = 0;
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "process %d failed: %s", i,
			      b->failure[i][0] ? b->failure[i] : "(it crashed)");
	}
	fprintf(stderr, "%d processes, %.0f s: commits", PROCS, seconds);
	for (int i = 0; i < PROCS; i++) {
		char sql[512];
		fprintf(stderr, " %lld", (long long)b->committed[i]);
		ck_assert_int_gt(b->committed[i], 0);
		/* every announced edge is there once (keys s0..s{n-1}: n distinct ones), with its
		 * creation in the audit trail */
		snprintf(sql, sizeof sql, "SELECT count(*) FROM edges e JOIN assets a ON a.id = e.source_id"
			 " WHERE a.key LIKE 'w%d.s%%'", i);
		ck_assert_int_eq(admin_sql(schema, sql), b->committed[i]);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM changes WHERE entity = 'edge' AND action = 'create'"
			 " AND asset_key LIKE 'w%d.s%%'", i);
		ck_assert_int_eq(admin_sql(schema, sql), b->committed[i]);
		snprintf(sql, sizeof sql, "SELECT max(substr(a.key, %d)::int) FROM edges e"
			 " JOIN assets a ON a.id = e.source_id WHERE a.key LIKE 'w%d.s%%'", i < 10 ? 5 : 6, i);
		ck_assert_int_eq(admin_sql(schema, sql), b->committed[i] - 1);
		total += b->committed[i];
	}
	fprintf(stderr, " (%lld in all)\n", (long long)total);
	/* the contended edges: one row each, the rules held to the end */
	ck_assert_int_eq(admin_sql(schema, "SELECT count(*) FROM edges e JOIN assets a ON a.id = e.source_id"
				   " WHERE a.key IN ('hot.a', 'rej.a')"), 2);
	db = open_store(schema);
	TU_OK(lineage_edge_find(&e, db, "hot.a", "hot.b", NULL, NULL));
	ck_assert_int_eq(e->lineage_source, LINEAGE_SOURCE_APPROVED);
	lineage_edge_free(e);
	TU_OK(lineage_edge_find(&e, db, "rej.a", "rej.b", NULL, NULL));
	ck_assert_int_eq(e->status, LINEAGE_EDGE_REJECTED);
	lineage_edge_free(e);
	/* seqs dense: no batch was half written and none lost */
	ck_assert_int_eq(admin_sql(schema, "SELECT max(seq) - count(*) FROM changes"), 0);
	ck_assert_int_ge(admin_sql(schema, "SELECT count(*) FROM changes"), base_changes + total);
	lineage_db_close(db);
	munmap(b, sizeof *b);
}
END_TEST

/* The import's progress: once half the rows are written (sent, not committed), tell the parent and wait to be
 * killed. */
static int announce_and_wait(const char *stage, uint64_t done, uint64_t total, void *payload)
{
	int *fd = payload;
	/* "import" (bytes, written as they are read) or "write" (rows), not "validate" */
	if (strcmp(stage, "validate") && total > 0 && done * 2 >= total) {
		if (write(*fd, "k", 1) != 1)
			_exit(3);
		for (;;)
			pause();
	}
	return 0;
}

START_TEST(writer_killed_mid_import_leaves_no_partial_batch)
{
	char schema[49], c;
	int fds[2];
	size_t cap = 8000 * 64 + 64, len = 0;
	char *csv = malloc(cap);
	ck_assert_ptr_nonnull(csv);
	len += (size_t)snprintf(csv, cap, "source,target,source_kind,target_kind\n");
	for (int i = 0; i < 8000; i++)
		len += (size_t)snprintf(csv + len, cap - len, "k.s.t%d,k.m.t%d,table,table\n", i, i + 1);
	snprintf(schema, sizeof schema, "%s", fresh_schema());
	lineage_db *db = open_store(schema);
	tu_asset(db, "before.kill", "table", NULL);
	lineage_db_close(db);
	long long before = admin_sql(schema, "SELECT max(seq) FROM changes");
	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		lineage_import_options o;
		lineage_import_report *r = NULL;
		close(fds[0]);
		lineage_db *mine = open_store(schema);
		lineage_import_options_init(&o, LINEAGE_IMPORT_OPTIONS_VERSION);
		o.progress = announce_and_wait;
		o.payload = &fds[1];
		lineage_import_buffer(&r, mine, csv, len, &o);
		_exit(2); /* the import ended before it reached its middle */
	}
	close(fds[1]);
	ck_assert_msg(read(fds[0], &c, 1) == 1, "the importing process ended before half of its rows");
	/* the rows sent so far are on the server, in the open transaction */
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	int status = 0;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	close(fds[0]);
	/* the server notices the closed socket and rolls back: wait for that backend to go */
	for (int i = 0; i < 200 && admin_sql(schema, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
					     " AND pid <> pg_backend_pid() AND state <> 'idle'") > 0; i++)
		nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
	ck_assert_int_eq(admin_sql(schema, "SELECT count(*) FROM assets"), 1);
	ck_assert_int_eq(admin_sql(schema, "SELECT count(*) FROM edges"), 0);
	ck_assert_int_eq(admin_sql(schema, "SELECT max(seq) FROM changes"), before);
	ck_assert_int_eq(admin_sql(schema, "SELECT count(*) FROM batches"), 1);
	/* the write lock died with it: the next writer imports it all at once */
	db = open_store(schema);
	lineage_import_report *r = NULL;
	TU_OK(lineage_import_buffer(&r, db, csv, len, NULL));
	lineage_import_report_free(r);
	ck_assert_int_eq(admin_sql(schema, "SELECT count(*) FROM edges"), 8000);
	lineage_db_close(db);
	free(csv);
}
END_TEST

int main(void)
{
	Suite *s;
	TCase *tc;
	uri = tu_server_uri_or_exit("LINEAGE_TEST_PG");
	s = suite_create("pg_stress");
	tc = tcase_create("stress");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, eight_processes_lose_no_write);
	tcase_add_test(tc, writer_killed_mid_import_leaves_no_partial_batch);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
