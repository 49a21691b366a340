/* Stats, backup (with progress and cancel), and a full database. */
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "api/db_internal.h"
#include "store/sqlite/sq.h"

static json_int_t field(json_t *root, const char *group, const char *name)
{
	json_t *v = json_object_get(root, group);
	if (name)
		v = json_object_get(v, name);
	ck_assert_msg(json_is_integer(v), "%s.%s missing", group, name ? name : "");
	return json_integer_value(v);
}

START_TEST(stats)
{
	lineage_db *db = tu_open_temp();
	lineage_edge_spec s;
	json_t *root;
	char *text = NULL;
	int64_t id;

	tu_asset(db, "a", "table", NULL);
	tu_asset(db, "b", "table", NULL);
	tu_asset(db, "c", "view", NULL);
	tu_edge(db, "a", "b");
	lineage_edge_spec_init(&s, LINEAGE_EDGE_SPEC_VERSION);
	s.source_key = "b";
	s.target_key = "c";
	s.lineage_source = LINEAGE_SOURCE_INFERRED;
	TU_OK(lineage_edge_upsert(NULL, &id, db, &s));
	TU_OK(lineage_edge_reject(db, id, "r", NULL));

	TU_OK(lineage_db_stats_json(&text, db));
	root = json_loads(text, 0, NULL);
	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(field(root, "assets", NULL), 3);
	ck_assert_int_eq(field(root, "edges", NULL), 2);
	ck_assert_int_eq(field(root, "assets_by_kind", "table"), 2);
	ck_assert_int_eq(field(root, "assets_by_kind", "view"), 1);
	ck_assert_int_eq(field(root, "edges_by_kind", "flow"), 2);
	ck_assert_int_eq(field(root, "edges_by_source", "inferred"), 1);
	ck_assert_int_eq(field(root, "edges_by_source", "manual"), 1);
	ck_assert_int_eq(field(root, "edges_by_source", "approved"), 0);
	ck_assert_int_eq(field(root, "edges_by_status", "rejected"), 1);
	ck_assert_int_eq(field(root, "edges_by_status", "retired"), 0);
	ck_assert_int_eq(field(root, "changes", NULL), 6);
	ck_assert_int_eq(field(root, "last_seq", NULL), 6);
	ck_assert_int_gt(field(root, "database_bytes", NULL), 4096);
	ck_assert_int_eq(field(root, "schema_version", NULL), LINEAGE_SCHEMA_VERSION);
	json_decref(root);
	lineage_free(text);
	lineage_db_close(db);
}
END_TEST

struct progress {
	int calls;
	int cancel_at;
	uint64_t last_done, total;
};

static int on_progress(const char *stage, uint64_t done, uint64_t total, void *payload)
{
	struct progress *p = payload;
	ck_assert_str_eq(stage, "backup");
	p->calls++;
	p->last_done = done;
	p->total = total;
	return p->cancel_at && p->calls >= p->cancel_at;
}

START_TEST(backup)
{
	lineage_db *db = tu_open_temp(), *copy = NULL;
	lineage_asset *a = NULL;
	struct progress p = {0, 0, 0, 0};
	const char *dest = tu_path("copy.db");
	const char *cancelled = tu_path("cancelled.db");
	lineage_asset_spec spec;
	char key[32], text[4000];

	/* Enough pages (about 600) for several backup steps of 256 pages, in few rows. */
	memset(text, 'd', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.kind = "table";
	spec.description = text;
	TU_OK(lineage_db_begin(db, NULL));
	for (int i = 0; i < 600; i++) {
		snprintf(key, sizeof key, "asset.%04d", i);
		spec.key = key;
		TU_OK(lineage_asset_upsert(NULL, NULL, db, &spec));
	}
	TU_OK(lineage_db_commit(db));
	TU_OK(lineage_db_backup(db, dest, on_progress, &p));
	ck_assert_int_ge(p.calls, 2); /* stepwise */
	ck_assert_uint_eq(p.last_done, p.total);
	TU_OK(lineage_db_open(&copy, dest, NULL));
	TU_OK(lineage_asset_get(&a, copy, "asset.0599"));
	lineage_asset_free(a);
	lineage_db_close(copy);

	p.calls = 0;
	p.cancel_at = 1;
	TU_FAILS(LINEAGE_ECANCELLED, lineage_db_backup(db, cancelled, on_progress, &p));
	ck_assert_int_ne(access(cancelled, F_OK), 0);
	{
		int rc = lineage_db_backup(db, "/nonexistent-dir/copy.db", NULL, NULL);
		ck_assert_msg(rc == LINEAGE_EIO || rc == LINEAGE_EREADONLY, "got %d", rc);
	}
	TU_FAILS(LINEAGE_EINVALID, lineage_db_backup(db, "", NULL, NULL));
	TU_OK(lineage_db_begin(db, NULL));
	TU_FAILS(LINEAGE_EUSAGE, lineage_db_backup(db, cancelled, NULL, NULL));
	TU_OK(lineage_db_rollback(db));
	TU_FAILS(LINEAGE_EINVALID, lineage_db_backup(db, lineage_db_path(db), NULL, NULL));
	lineage_db_close(db);
}
END_TEST

START_TEST(backup_of_memory_database)
{
	lineage_db *db = tu_open_memory(), *copy = NULL;
	lineage_asset *a = NULL;
	const char *dest = tu_path("mem-copy.db");
	tu_asset(db, "m", "table", NULL);
	TU_OK(lineage_db_backup(db, dest, NULL, NULL));
	TU_OK(lineage_db_open(&copy, dest, NULL));
	TU_OK(lineage_asset_get(&a, copy, "m"));
	lineage_asset_free(a);
	lineage_db_close(copy);
	lineage_db_close(db);
}
END_TEST

/* Test-only knob: let this connection's file grow by `pages` pages at most. */
static void set_room(lineage_db *db, int pages)
{
	sqlite3 *h = LIN_SQ(db->store)->db;
	sqlite3_stmt *st = NULL;
	char sql[64];
	int count;
	ck_assert_int_eq(sqlite3_prepare_v2(h, "PRAGMA page_count", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	count = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d", count + pages);
	ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
}

/* A database at its size limit: the failing write reports EFULL and changes nothing. */
START_TEST(full_database)
{
	TU_SQLITE_ONLY("a SQLite file's size limit");
	lineage_db *db = tu_open_temp();
	lineage_asset_spec s;
	lineage_asset *a = NULL;
	char key[64], big[60000];
	int64_t before = 0, after = 0;
	int rc = 0, i;

	tu_asset(db, "kept", "table", NULL);
	TU_OK(lineage_changes_last_seq(&before, db));
	set_room(db, 40);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	lineage_asset_spec_init(&s, LINEAGE_ASSET_SPEC_VERSION);
	s.kind = "table";
	s.description = big;
	for (i = 0; i < 1000 && rc == 0; i++) {
		snprintf(key, sizeof key, "filler.%d", i);
		s.key = key;
		TU_OK(lineage_changes_last_seq(&before, db));
		rc = lineage_asset_upsert(NULL, NULL, db, &s);
	}
	ck_assert_int_eq(rc, LINEAGE_EFULL);
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "full"));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_asset_get(&a, db, key));
	TU_OK(lineage_changes_last_seq(&after, db));
	ck_assert_int_eq(before, after);

	/* Inside a transaction: earlier work of the transaction survives the failed call.
	 * Leave room for a small asset, not for a big one. */
	set_room(db, 6);
	TU_OK(lineage_db_begin(db, NULL));
	s.key = "small";
	s.description = NULL;
	TU_OK(lineage_asset_upsert(NULL, NULL, db, &s));
	s.key = "too.big";
	s.description = big;
	TU_FAILS(LINEAGE_EFULL, lineage_asset_upsert(NULL, NULL, db, &s));
	ck_assert(lineage_db_in_transaction(db));
	TU_OK(lineage_db_commit(db));
	TU_OK(lineage_asset_get(&a, db, "small"));
	lineage_asset_free(a);
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_asset_get(&a, db, "too.big"));
	TU_OK(lineage_asset_get(&a, db, "kept"));
	lineage_asset_free(a);
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("admin");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, stats);
	tcase_add_test(tc, backup);
	tcase_add_test(tc, backup_of_memory_database);
	tcase_add_test(tc, full_database);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
