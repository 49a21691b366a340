/* Opening (and refusing) databases, options, actor, transactions, commit hook, kinds. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static void sql(const char *path, const char *text)
{
	sqlite3 *h = NULL;
	ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(h, text, NULL, NULL, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(h));
	sqlite3_close(h);
}

static int64_t count_changes(lineage_db *db)
{
	int64_t last = -1;
	TU_OK(lineage_changes_last_seq(&last, db));
	return last;
}

START_TEST(open_defaults)
{
	lineage_db *db = NULL;
	lineage_open_options o;
	const char *path = tu_path("plain.db");
	TU_OK(lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION));
	ck_assert_int_eq(o.busy_timeout_ms, 5000);
	ck_assert_int_eq(o.cache_size_kib, 65536);
	TU_FAILS(LINEAGE_EINVALID, lineage_open_options_init(&o, 42));
	TU_OK(lineage_db_open(&db, path, NULL));
	ck_assert_str_eq(lineage_db_path(db), path);
	ck_assert_int_eq(lineage_db_schema_version(db), LINEAGE_SCHEMA_VERSION);
	ck_assert_int_eq(lineage_db_in_transaction(db), 0);
	ck_assert_int_eq(lineage_db_batch_id(db), 0);
	lineage_db_close(db);
	lineage_db_close(NULL);
	/* Reopen an existing file. */
	TU_OK(lineage_db_open(&db, path, NULL));
	lineage_db_close(db);

	TU_FAILS(LINEAGE_EINVALID, lineage_db_open(&db, "", NULL));
	ck_assert_ptr_null(db);
	TU_FAILS(LINEAGE_EINVALID, lineage_db_open(NULL, path, NULL));
	lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION);
	o.version = 9;
	TU_FAILS(LINEAGE_EINVALID, lineage_db_open(&db, path, &o));
	lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION);
	o.flags = 0x100;
	TU_FAILS(LINEAGE_EINVALID, lineage_db_open(&db, path, &o));
	lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION);
	o.actor = "bad\nactor";
	TU_FAILS(LINEAGE_EINVALID, lineage_db_open(&db, path, &o));
}
END_TEST

START_TEST(refuses_foreign_files)
{
	lineage_db *db = NULL;
	const char *garbage = tu_path("garbage.db");
	const char *foreign = tu_path("foreign.db");
	FILE *f = fopen(garbage, "wb");
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 200; i++)
		fputs("this is not a database at all. ", f);
	fclose(f);
	TU_FAILS(LINEAGE_ENOTDB, lineage_db_open(&db, garbage, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "not a database"));
	ck_assert_ptr_null(db);

	sql(foreign, "CREATE TABLE people(name TEXT); INSERT INTO people VALUES ('x');");
	TU_FAILS(LINEAGE_ENOTDB, lineage_db_open(&db, foreign, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "another application"));
	/* Another application's empty file with its own application id. */
	sql(foreign, "PRAGMA application_id = 1234; DROP TABLE people;");
	TU_FAILS(LINEAGE_ENOTDB, lineage_db_open(&db, foreign, NULL));
}
END_TEST

START_TEST(refuses_newer_schema)
{
	lineage_db *db = NULL;
	const char *path = tu_path("newer.db");
	char *before, *after;
	size_t n1 = 0, n2 = 0;
	TU_OK(lineage_db_open(&db, path, NULL));
	tu_asset(db, "a", "table", NULL);
	lineage_db_close(db);
	sql(path, "PRAGMA journal_mode=DELETE; PRAGMA user_version = 99;");
	before = tu_read_file(path, &n1);
	TU_FAILS(LINEAGE_EVERSION, lineage_db_open(&db, path, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "schema 99"));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "upgrade liblineage"));
	after = tu_read_file(path, &n2);
	ck_assert_uint_eq(n1, n2);
	ck_assert(!memcmp(before, after, n1)); /* untouched */
	free(before);
	free(after);
}
END_TEST

START_TEST(readonly_and_nocreate)
{
	lineage_db *db = NULL, *ro = NULL;
	lineage_open_options o;
	lineage_asset_spec s;
	const char *path = tu_path("ro.db");
	lineage_asset *a = NULL;

	lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION);
	o.flags = LINEAGE_OPEN_NOCREATE;
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_db_open(&db, path, &o));
	o.flags = LINEAGE_OPEN_READONLY;
	TU_FAILS(LINEAGE_EREADONLY, lineage_db_open(&db, path, &o));
	ck_assert_int_ne(access(path, F_OK), 0); /* nothing created */

	TU_OK(lineage_db_open(&db, path, NULL));
	tu_asset(db, "a", "table", NULL);
	lineage_db_close(db);
	TU_OK(lineage_db_open(&ro, path, &o));
	TU_OK(lineage_asset_get(&a, ro, "a"));
	lineage_asset_free(a);
	lineage_asset_spec_init(&s, LINEAGE_ASSET_SPEC_VERSION);
	s.key = "b";
	s.kind = "table";
	TU_FAILS(LINEAGE_EREADONLY, lineage_asset_upsert(NULL, NULL, ro, &s));
	TU_FAILS(LINEAGE_EREADONLY, lineage_db_begin(ro, NULL));
	TU_FAILS(LINEAGE_EREADONLY, lineage_asset_remove(ro, "a", 0));
	lineage_db_close(ro);

	/* A file without write permission, opened for writing. */
	if (geteuid() != 0) {
		chmod(path, 0444);
		TU_FAILS(LINEAGE_EREADONLY, lineage_db_open(&db, path, NULL));
		chmod(path, 0644);
	}
}
END_TEST

struct commits {
	int calls;
	int64_t first, last;
};

static void on_commit(lineage_db *db, int64_t first, int64_t last, void *payload)
{
	struct commits *c = payload;
	(void)db;
	c->calls++;
	c->first = first;
	c->last = last;
}

START_TEST(transactions)
{
	lineage_db *db = tu_open_temp();
	struct commits c = {0, 0, 0};
	lineage_asset *a = NULL;
	int64_t batch;

	TU_OK(lineage_db_on_commit(db, on_commit, &c));
	tu_asset(db, "single", "table", NULL);
	ck_assert_int_eq(c.calls, 1);
	ck_assert_int_eq(c.first, 1);
	ck_assert_int_eq(c.last, 1);
	ck_assert_int_gt(lineage_db_batch_id(db), 0);
	batch = lineage_db_batch_id(db);

	TU_FAILS(LINEAGE_EUSAGE, lineage_db_commit(db));
	TU_FAILS(LINEAGE_EUSAGE, lineage_db_rollback(db));
	TU_OK(lineage_db_begin(db, "import"));
	TU_FAILS(LINEAGE_EUSAGE, lineage_db_begin(db, NULL));
	ck_assert(lineage_db_in_transaction(db));
	ck_assert_int_gt(lineage_db_batch_id(db), batch);
	batch = lineage_db_batch_id(db);
	tu_asset(db, "t1", "table", NULL);
	tu_asset(db, "t2", "table", NULL);
	tu_edge(db, "t1", "t2");
	ck_assert_int_eq(c.calls, 1); /* not yet */
	TU_OK(lineage_db_commit(db));
	ck_assert_int_eq(c.calls, 2);
	ck_assert_int_eq(c.first, 2);
	ck_assert_int_eq(c.last, 4);
	ck_assert_int_eq(lineage_db_batch_id(db), batch);

	/* Rollback leaves the database as it was. */
	TU_OK(lineage_db_begin(db, NULL));
	tu_asset(db, "gone", "table", NULL);
	TU_OK(lineage_asset_remove(db, "t1", 0));
	TU_OK(lineage_db_rollback(db));
	ck_assert(!lineage_db_in_transaction(db));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_asset_get(&a, db, "gone"));
	TU_OK(lineage_asset_get(&a, db, "t1"));
	lineage_asset_free(a);
	ck_assert_int_eq(count_changes(db), 4);
	ck_assert_int_eq(c.calls, 2);

	/* A failing call inside a transaction undoes only itself. */
	TU_OK(lineage_db_begin(db, NULL));
	tu_asset(db, "kept", "table", NULL);
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_asset_remove(db, "nope", 0));
	{
		lineage_asset_spec s;
		lineage_asset_spec_init(&s, LINEAGE_ASSET_SPEC_VERSION);
		s.key = "kept";
		s.kind = "view"; /* conflicts with "table" */
		TU_FAILS(LINEAGE_ECONFLICT, lineage_asset_upsert(NULL, NULL, db, &s));
	}
	ck_assert(lineage_db_in_transaction(db));
	TU_OK(lineage_db_commit(db));
	TU_OK(lineage_asset_get(&a, db, "kept"));
	ck_assert_str_eq(a->kind, "table");
	lineage_asset_free(a);

	/* Without changes no callback; closing with an open transaction rolls it back. */
	c.calls = 0;
	TU_OK(lineage_db_begin(db, NULL));
	TU_OK(lineage_db_commit(db));
	ck_assert_int_eq(c.calls, 0);
	TU_OK(lineage_db_on_commit(db, NULL, NULL));
	TU_OK(lineage_db_begin(db, NULL));
	tu_asset(db, "never", "table", NULL);
	lineage_db_close(db);
}
END_TEST

START_TEST(actor_is_recorded)
{
	lineage_db *db = tu_open_memory();
	lineage_change_list *l = NULL;
	tu_asset(db, "a", "table", NULL);
	TU_OK(lineage_db_set_actor(db, "ana"));
	tu_asset(db, "b", "table", NULL);
	TU_FAILS(LINEAGE_EINVALID, lineage_db_set_actor(db, ""));
	TU_OK(lineage_changes_since(&l, db, 0, 0));
	ck_assert_uint_eq(lineage_change_list_count(l), 2);
	ck_assert_str_eq(lineage_change_list_get(l, 0)->actor, "system");
	ck_assert_str_eq(lineage_change_list_get(l, 1)->actor, "ana");
	lineage_change_list_free(l);
	TU_OK(lineage_db_set_actor(db, NULL));
	lineage_db_close(db);
}
END_TEST

START_TEST(busy_writer)
{
	const char *path = tu_path("busy.db");
	lineage_db *a = NULL, *b = NULL;
	lineage_open_options o;
	lineage_asset_spec s;
	lineage_asset *got = NULL;

	TU_OK(lineage_db_open(&a, path, NULL));
	lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION);
	o.busy_timeout_ms = 0;
	TU_OK(lineage_db_open(&b, path, &o));
	TU_OK(lineage_db_begin(a, "holds the lock"));
	tu_asset(a, "mine", "table", NULL);
	lineage_asset_spec_init(&s, LINEAGE_ASSET_SPEC_VERSION);
	s.key = "theirs";
	s.kind = "table";
	TU_FAILS(LINEAGE_EBUSY, lineage_asset_upsert(NULL, NULL, b, &s));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "busy_timeout_ms"));
	TU_FAILS(LINEAGE_EBUSY, lineage_db_begin(b, NULL));
	ck_assert(!lineage_db_in_transaction(b));
	/* Readers are not blocked by the writer. */
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_asset_get(&got, b, "mine"));
	TU_OK(lineage_db_commit(a));
	TU_OK(lineage_asset_upsert(NULL, NULL, b, &s));
	TU_OK(lineage_asset_get(&got, b, "mine"));
	lineage_asset_free(got);
	lineage_db_close(a);
	lineage_db_close(b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("db");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, open_defaults);
	tcase_add_test(tc, refuses_foreign_files);
	tcase_add_test(tc, refuses_newer_schema);
	tcase_add_test(tc, readonly_and_nocreate);
	tcase_add_test(tc, transactions);
	tcase_add_test(tc, actor_is_recorded);
	tcase_add_test(tc, busy_writer);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
