/* Shared helpers for the Check tests. */
#ifndef LINEAGE_TESTUTIL_H
#define LINEAGE_TESTUTIL_H

#include <check.h>
#include <lineage/lineage.h>

/* A fresh temporary directory for this test process (removed at exit). */
const char *tu_tmpdir(void);

/* A path inside tu_tmpdir() for `name` (static buffer rotated among 8 calls). */
const char *tu_path(const char *name);

/* Open a new database file in a fresh temporary directory; fails the test on error. */
lineage_db *tu_open_temp(void);

/* Open ":memory:"; fails the test on error. */
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

/* Run a suite with CK_NORMAL output; returns the process exit status. */
int tu_run(Suite *suite);

/* Read a whole file into a new NUL-terminated buffer (NULL on failure). */
char *tu_read_file(const char *path, size_t *len);

#endif
