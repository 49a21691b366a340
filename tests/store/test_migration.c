/* Upgrading schema v1, v3 and v4 databases (tests/data/migrations/schema_v*.sql) in place. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static void make_from(const char *path, const char *fixture)
{
	char *sql = tu_read_file(fixture, NULL);
	sqlite3 *h = NULL;
	ck_assert_ptr_nonnull(sql);
	ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(h));
	sqlite3_close(h);
	free(sql);
}

static void make_v1(const char *path)
{
	make_from(path, LINEAGE_SOURCE_DIR "/tests/data/migrations/schema_v1.sql");
}

static int user_version(const char *path)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int v;
	ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

START_TEST(upgrade_from_v1)
{
	const char *path = tu_path("v1.db");
	lineage_db *db = NULL;
	lineage_asset *a = NULL;
	lineage_edge *e = NULL;
	lineage_asset_list *l = NULL;
	lineage_change_list *c = NULL;
	lineage_edge_spec s;
	int64_t last = 0;

	make_v1(path);
	ck_assert_int_eq(user_version(path), 1);
	TU_OK(lineage_db_open(&db, path, NULL));
	ck_assert_int_eq(lineage_db_schema_version(db), LINEAGE_SCHEMA_VERSION);

	/* Data intact. */
	TU_OK(lineage_asset_get(&a, db, "warehouse.sales_orders"));
	ck_assert_str_eq(a->parent_key, "warehouse");
	ck_assert_uint_eq(a->tag_count, 2);
	ck_assert_str_eq(a->properties_json, "{\"rows\":120}");
	ck_assert_int_eq(a->created_at_ms, 1700000000000);
	lineage_asset_free(a);
	TU_OK(lineage_edge_get(&e, db, 1));
	ck_assert_str_eq(e->transformation, "SELECT sum(total) FROM sales_orders");
	ck_assert_ptr_null(e->evidence_json);
	ck_assert_ptr_null(e->origin);
	lineage_edge_free(e);
	TU_OK(lineage_changes_last_seq(&last, db));
	ck_assert_int_eq(last, 4);
	TU_OK(lineage_history_asset(&c, db, "dash.revenue", 0));
	ck_assert_uint_eq(lineage_change_list_count(c), 2);
	/* creations written by version 1 keep the after state they stored */
	for (size_t i = 0; i < 2; i++)
		ck_assert_ptr_nonnull(lineage_change_list_get(c, i)->after_json);
	lineage_change_list_free(c);

	/* The full-text index was built from the old rows. */
	TU_OK(lineage_asset_search(&l, db, "orders", NULL));
	ck_assert_uint_eq(lineage_asset_list_total(l), 1);
	lineage_asset_list_free(l);
	TU_OK(lineage_asset_search(&l, db, "pii", NULL));
	ck_assert_uint_eq(lineage_asset_list_total(l), 1);
	lineage_asset_list_free(l);

	/* The new columns work. */
	lineage_edge_spec_init(&s, LINEAGE_EDGE_SPEC_VERSION);
	s.source_key = "warehouse.sales_orders";
	s.target_key = "dash.revenue";
	s.evidence_json = "{\"file\":\"x.sql\"}";
	s.origin = "import:test";
	TU_OK(lineage_edge_upsert(NULL, NULL, db, &s));
	lineage_db_close(db);
	ck_assert_int_eq(user_version(path), LINEAGE_SCHEMA_VERSION);

	/* Opening again is a no-op. */
	TU_OK(lineage_db_open(&db, path, NULL));
	lineage_db_close(db);

	/* The v1 batch's changes are found from the seq range the upgrade recorded: the batch
	 * reverts (its four changes, newest first) as a batch of its own. */
	path = tu_path("v1-revert.db");
	make_v1(path);
	TU_OK(lineage_db_open(&db, path, NULL));
	TU_OK(lineage_batch_revert(db, 1));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_asset_get(&a, db, "dash.revenue"));
	TU_OK(lineage_changes_last_seq(&last, db));
	ck_assert_int_eq(last, 8);
	lineage_db_close(db);
}
END_TEST

START_TEST(readonly_cannot_upgrade)
{
	const char *path = tu_path("v1-ro.db");
	lineage_db *db = NULL;
	lineage_open_options o;
	make_v1(path);
	lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION);
	o.flags = LINEAGE_OPEN_READONLY;
	TU_FAILS(LINEAGE_EREADONLY, lineage_db_open(&db, path, &o));
	ck_assert_int_eq(user_version(path), 1);
}
END_TEST

/* Schema 3 took any asset kind; 4 declares the kinds in use, so those assets keep working
 * (updated, re-created by kind, found by a kind filter) while a new typo is refused. */
START_TEST(upgrade_from_v3_declares_kinds_in_use)
{
	const char *path = tu_path("v3.db");
	lineage_db *db = NULL;
	lineage_asset_spec s;
	lineage_asset_list *l = NULL;
	lineage_search_options so;
	char *json = NULL;

	make_from(path, LINEAGE_SOURCE_DIR "/tests/data/migrations/schema_v3.sql");
	ck_assert_int_eq(user_version(path), 3);
	TU_OK(lineage_db_open(&db, path, NULL));
	ck_assert_int_eq(lineage_db_schema_version(db), LINEAGE_SCHEMA_VERSION);
	TU_OK(lineage_asset_kinds_json(&json, db));
	ck_assert_ptr_nonnull(strstr(json, "{\"name\":\"stream\",\"builtin\":false}"));
	ck_assert_ptr_nonnull(strstr(json, "{\"name\":\"metric\",\"builtin\":false}"));
	ck_assert_ptr_nonnull(strstr(json, "{\"name\":\"system\",\"builtin\":true}"));
	lineage_free(json);

	lineage_asset_spec_init(&s, LINEAGE_ASSET_SPEC_VERSION);
	s.key = "kafka.orders";
	s.kind = "stream";
	s.owner = "sales-eng";
	TU_OK(lineage_asset_upsert(NULL, NULL, db, &s));
	s.key = "kafka.payments";
	s.parent_key = "kafka";
	TU_OK(lineage_asset_upsert(NULL, NULL, db, &s));
	lineage_search_options_init(&so, LINEAGE_SEARCH_OPTIONS_VERSION);
	so.kind = "stream";
	TU_OK(lineage_asset_search(&l, db, "", &so));
	ck_assert_uint_eq(lineage_asset_list_total(l), 2);
	lineage_asset_list_free(l);

	s.key = "kafka.refunds";
	s.kind = "streem";
	TU_FAILS(LINEAGE_EINVALID, lineage_asset_upsert(NULL, NULL, db, &s));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->problem, "did you mean \"stream\"?"));
	lineage_db_close(db);
	ck_assert_int_eq(user_version(path), LINEAGE_SCHEMA_VERSION);
}
END_TEST

/* Version 5 adds the tokens table; the graph and the audit trail stay as they were, and
 * token changes continue the change feed. */
START_TEST(upgrade_from_v4_adds_tokens)
{
	const char *path = tu_path("v4.lineage");
	lineage_db *db = NULL;
	lineage_change_list *list = NULL;
	lineage_token *t = NULL;
	lineage_asset *a = NULL;
	char *token = NULL;
	int64_t count = -1, id = 0;

	make_from(path, LINEAGE_SOURCE_DIR "/tests/data/migrations/schema_v4.sql");
	ck_assert_int_eq(user_version(path), 4);
	TU_OK(lineage_db_open(&db, path, NULL));
	ck_assert_int_eq(lineage_db_schema_version(db), LINEAGE_SCHEMA_VERSION);
	TU_OK(lineage_token_count(&count, db));
	ck_assert_int_eq(count, 0);
	TU_OK(lineage_asset_get(&a, db, "kafka.orders"));
	lineage_asset_free(a);
	TU_OK(lineage_token_create(&token, &id, db, "ada", "admin", 0));
	ck_assert_int_eq(id, 1);
	TU_OK(lineage_token_verify(&t, db, token));
	ck_assert_str_eq(t->role, "admin");
	lineage_token_free(t);
	TU_OK(lineage_changes_since(&list, db, 4, 0));
	ck_assert_uint_eq(lineage_change_list_count(list), 1);
	ck_assert_int_eq(lineage_change_list_get(list, 0)->seq, 5);
	ck_assert_str_eq(lineage_change_list_get(list, 0)->entity, "token");
	lineage_change_list_free(list);
	free(token);
	lineage_db_close(db);
	ck_assert_int_eq(user_version(path), LINEAGE_SCHEMA_VERSION);
}
END_TEST

/* Version 7 adds the saved views: an upgraded file has none, saves one, and a read-only
 * handle reads it. */
START_TEST(upgrade_from_v4_adds_views)
{
	const char *path = tu_path("v4-views.lineage");
	lineage_open_options o;
	lineage_db *db = NULL;
	char *json = NULL;

	make_from(path, LINEAGE_SOURCE_DIR "/tests/data/migrations/schema_v4.sql");
	TU_OK(lineage_db_open(&db, path, NULL));
	TU_OK(lineage_view_list(&json, db, 0, 0));
	ck_assert_str_eq(json, "{\"views\":[],\"total\":0}");
	lineage_free(json);
	TU_OK(lineage_view_save(db, "kafka", "{\"root\": \"kafka.orders\"}", LINEAGE_VIEW_CREATE));
	lineage_db_close(db);
	TU_OK(lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION));
	o.flags = LINEAGE_OPEN_READONLY;
	TU_OK(lineage_db_open(&db, path, &o));
	TU_OK(lineage_view_get(&json, db, "kafka"));
	ck_assert_ptr_nonnull(strstr(json, "\"root\":\"kafka.orders\""));
	lineage_free(json);
	lineage_db_close(db);
}
END_TEST

/* Schemas 4 and 5 kept runs as `run` assets; 6 keeps them in a table of their own. The upgrade
 * copies each run's record, so the history reads the same and the runs go on. */
START_TEST(upgrade_from_v4_moves_runs_into_their_table)
{
	static const char history[] =
		"{\"job\":\"airflow/etl.load\",\"status\":\"failed\",\"runs\":["
		"{\"run_id\":\"r2\",\"state\":\"failed\",\"started_at\":1796468400000,\"ended_at\":1796468430500,"
		"\"duration_ms\":30500,\"updated_at\":1796468430500,\"events\":{\"FAIL\":1796468430500,\"START\":1796468400000}},"
		"{\"run_id\":\"r1\",\"state\":\"completed\",\"started_at\":1796464800000,\"ended_at\":1796464923000,"
		"\"duration_ms\":123000,\"updated_at\":1796464923000,\"events\":{\"COMPLETE\":1796464923000,\"START\":1796464800000}}]}";
	static const char again[] =
		"{\"eventType\":\"COMPLETE\",\"eventTime\":\"2026-12-05T10:02:03Z\",\"run\":{\"runId\":\"r1\"},"
		"\"job\":{\"namespace\":\"airflow\",\"name\":\"etl.load\"},"
		"\"inputs\":[{\"namespace\":\"postgres://db:5432\",\"name\":\"app.public.orders\"}],"
		"\"outputs\":[{\"namespace\":\"postgres://db:5432\",\"name\":\"wh.raw.orders\"}]}";
	static const char next[] =
		"{\"eventType\":\"START\",\"eventTime\":\"2026-12-05T12:00:00Z\",\"run\":{\"runId\":\"r3\"},"
		"\"job\":{\"namespace\":\"airflow\",\"name\":\"etl.load\"}}";
	const char *path = tu_path("v4.db");
	lineage_db *db = NULL;
	lineage_ol_ingest *ing = NULL;
	lineage_run_list *list = NULL;
	lineage_outcome o;
	char *json = NULL;

	make_from(path, LINEAGE_SOURCE_DIR "/tests/data/migrations/schema_v4_runs.sql");
	ck_assert_int_eq(user_version(path), 4);
	TU_OK(lineage_db_open(&db, path, NULL));
	ck_assert_int_eq(lineage_db_schema_version(db), LINEAGE_SCHEMA_VERSION);
	TU_OK(lineage_job_runs_json(&json, db, "airflow/etl.load", 0));
	ck_assert_str_eq(json, history); /* as schema 4 read it; the run without a record is left out */
	lineage_free(json);

	TU_OK(lineage_ol_ingest_new(&ing, db, NULL));
	TU_OK(lineage_ol_ingest_event(&o, ing, again, strlen(again)));
	ck_assert_int_eq(o, LINEAGE_UNCHANGED);
	TU_OK(lineage_ol_ingest_event(&o, ing, next, strlen(next)));
	TU_OK(lineage_job_runs(&list, db, "airflow/etl.load", 0));
	ck_assert_uint_eq(lineage_run_list_count(list), 3);
	ck_assert_str_eq(lineage_run_list_get(list, 0)->run_id, "r3");
	ck_assert_str_eq(lineage_run_list_job_status(list), "running");
	ck_assert_str_eq(lineage_run_list_get(list, 2)->state, "completed");
	ck_assert_int_eq(lineage_run_list_get(list, 2)->duration_ms, 123000);
	lineage_run_list_free(list);
	lineage_ol_ingest_free(ing);
	lineage_db_close(db);
	ck_assert_int_eq(user_version(path), LINEAGE_SCHEMA_VERSION);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("migration");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, upgrade_from_v1);
	tcase_add_test(tc, readonly_cannot_upgrade);
	tcase_add_test(tc, upgrade_from_v3_declares_kinds_in_use);
	tcase_add_test(tc, upgrade_from_v4_adds_tokens);
	tcase_add_test(tc, upgrade_from_v4_adds_views);
	tcase_add_test(tc, upgrade_from_v4_moves_runs_into_their_table);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
