/* Shared helpers for the Check tests. */
#ifndef LINEAGE_TESTUTIL_H
#define LINEAGE_TESTUTIL_H

#include <check.h>
#include <stdio.h>
#include <lineage/lineage.h>

/* A fresh temporary directory for this test process (removed at exit). */
const char *tu_tmpdir(void);

/* A path inside tu_tmpdir() for `name` (static buffer rotated among 8 calls). */
const char *tu_path(const char *name);

/* Open a new database file in a fresh temporary directory; fails the test on error.
 * With LINEAGE_TEST_BACKEND=postgres, a new store in a fresh schema of the database at
 * $LINEAGE_TEST_PG instead (the same suite runs on both backends). */
lineage_db *tu_open_temp(void);

/* Non-zero when tu_open_temp() opens stores in PostgreSQL. */
int tu_backend_pg(void);

/* Open the store `like` was opened on again (another handle on the same data), with `opts`
 * (may be NULL); fails the test on error. */
lineage_db *tu_open_same(lineage_db *like, const lineage_open_options *opts);

/* Options that open the store `like` was opened on (pg_schema on the PostgreSQL run). */
void tu_same_options(lineage_db *like, lineage_open_options *opts);

/* For a test of what only the SQLite store does (its files, its id reuse): skip it on the
 * PostgreSQL run, saying why. */
#define TU_SQLITE_ONLY(why)                                                               \
	do {                                                                              \
		if (tu_backend_pg()) {                                                    \
			fprintf(stderr, "%s: skipped on PostgreSQL (%s)\n", __func__, why); \
			return;                                                           \
		}                                                                         \
	} while (0)

/* Open ":memory:" (on the PostgreSQL run, a fresh store as tu_open_temp()); fails the test
 * on error. */
lineage_db *tu_open_memory(void);

/* Assert a liblineage call returned 0, printing the last error when not. */
#define TU_OK(call)                                                                        \
	do {                                                                               \
		int tu_rc_ = (call);                                                       \
		ck_assert_msg(tu_rc_ == 0, "%s returned %d (%s): %s", #call, tu_rc_,        \
			      lineage_error_code_name(tu_rc_), lineage_error_last()->message); \
	} while (0)

/* Assert a call returned `code`. */
#define TU_FAILS(code, call)                                                               \
	do {                                                                               \
		int tu_rc_ = (call);                                                       \
		ck_assert_msg(tu_rc_ == (code), "%s returned %d (%s), expected %s: %s", #call, \
			      tu_rc_, lineage_error_code_name(tu_rc_),                      \
			      lineage_error_code_name(code), lineage_error_last()->message); \
	} while (0)

/* Add an asset (key, kind, parent may be NULL); fails the test on error. Returns its id. */
int64_t tu_asset(lineage_db *db, const char *key, const char *kind, const char *parent);

/* Add a manual edge of the default kind; fails the test on error. Returns its id. */
int64_t tu_edge(lineage_db *db, const char *source, const char *target);

/* Run SQL on the database's file through a connection of its own (a trigger a test needs,
 * say); fails the test on error. */
void tu_sql(lineage_db *db, const char *sql);

/* On the PostgreSQL run: run SQL in the store's schema through a connection of its own, and
 * return the first column of its first row as an integer (0 for none); fails the test on
 * error. */
long long tu_pg_sql(lineage_db *db, const char *sql);

/* The URI of a test server from environment variable `var` (set by scripts/servers.sh). When
 * it is unset, a whole test program that needs the server ends here: skipped (exit 0), or
 * failed when LINEAGE_TEST_REQUIRE_SERVERS=1 (the test script started the servers). */
const char *tu_server_uri_or_exit(const char *var);

/* Run a suite with CK_NORMAL output; returns the process exit status. */
int tu_run(Suite *suite);

/* Read a whole file into a new NUL-terminated buffer (NULL on failure). */
char *tu_read_file(const char *path, size_t *len);

#endif
