/* The bulk write mode of an open transaction (db->bulk, set by the import): calls run without
 * their own savepoint; a call that fails before writing leaves the transaction as it was, one
 * that fails after writing rolls the whole transaction back. */
#include <string.h>

#include "api/db_internal.h"
#include "api/write.h"
#include "testutil.h"

static void upsert(lineage_db *db, const char *src, const char *dst, int create_missing, int expect)
{
	lineage_edge_spec spec;
	TU_OK(lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION));
	spec.source_key = src;
	spec.target_key = dst;
	spec.create_missing = create_missing;
	spec.source_kind = spec.target_kind = create_missing ? "table" : NULL;
	TU_FAILS(expect, lineage_edge_upsert(NULL, NULL, db, &spec));
}

static size_t history_count(lineage_db *db, const char *key)
{
	lineage_change_list *l = NULL;
	size_t n;
	TU_OK(lineage_history_asset(&l, db, key, 0));
	n = lineage_change_list_count(l);
	lineage_change_list_free(l);
	return n;
}

static void on_commit(lineage_db *db, int64_t first, int64_t last, void *payload)
{
	int64_t *range = payload;
	(void)db;
	range[0] = first;
	range[1] = last;
}

START_TEST(bulk_commit_keeps_audit_and_batch)
{
	lineage_db *db = tu_open_memory();
	lineage_edge *e = NULL;
	lineage_change_list *l = NULL;
	int64_t range[2] = {0, 0}, before = 0;
	tu_asset(db, "a", "table", NULL);
	tu_asset(db, "b", "table", NULL);
	TU_OK(lineage_changes_last_seq(&before, db));
	TU_OK(lineage_db_on_commit(db, on_commit, range));
	TU_OK(lineage_db_begin(db, "bulk"));
	TU_OK(lin_write_bulk_start(db));
	upsert(db, "a", "b", 0, 0);
	upsert(db, "b", "c", 1, 0); /* creates c */
	/* Fails before writing anything: the transaction and the rows before it stay. */
	upsert(db, "a", "nowhere", 0, LINEAGE_ENOTFOUND);
	ck_assert_int_eq(db->in_tx, 1);
	TU_OK(lineage_db_commit(db));
	ck_assert_int_eq(db->bulk, 0);
	TU_OK(lineage_edge_find(&e, db, "a", "b", NULL, NULL));
	lineage_edge_free(e);
	TU_OK(lineage_edge_find(&e, db, "b", "c", NULL, NULL));
	lineage_edge_free(e);
	/* c's creation, then the two edges' (recorded together at commit, in id order); the
	 * commit hook sees them all */
	TU_OK(lineage_changes_since(&l, db, before, 0));
	ck_assert_uint_eq(lineage_change_list_count(l), 3);
	ck_assert_str_eq(lineage_change_list_get(l, 0)->entity, "asset");
	ck_assert_str_eq(lineage_change_list_get(l, 1)->entity, "edge");
	ck_assert_str_eq(lineage_change_list_get(l, 1)->target_key, "b");
	ck_assert_str_eq(lineage_change_list_get(l, 2)->target_key, "c");
	ck_assert_ptr_nonnull(strstr(lineage_change_list_get(l, 2)->after_json, "\"source\":\"b\""));
	ck_assert_int_eq(range[0], lineage_change_list_get(l, 0)->seq);
	ck_assert_int_eq(range[1], lineage_change_list_get(l, 2)->seq);
	lineage_change_list_free(l);
	/* create a, create b, edge a->b, edge b->c for b; c's own create and the edge for c. */
	ck_assert_uint_eq(history_count(db, "b"), 3);
	ck_assert_uint_eq(history_count(db, "c"), 2);
	/* One batch: reverting it removes both edges and c. */
	TU_OK(lineage_batch_revert(db, lineage_db_batch_id(db)));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_edge_find(&e, db, "a", "b", NULL, NULL));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_edge_find(&e, db, "b", "c", NULL, NULL));
	lineage_db_close(db);
}
END_TEST

START_TEST(bulk_failure_after_write_rolls_back_all)
{
	lineage_db *db = tu_open_temp();
	lineage_edge *e = NULL;
	/* A trigger makes the insert of an edge to "boom" fail after the call created "boom". */
	if (tu_backend_pg())
		tu_pg_sql(db, "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN"
			  " IF NEW.target_id = (SELECT id FROM assets WHERE key = 'boom') THEN"
			  " RAISE EXCEPTION 'no boom'; END IF; RETURN NEW; END$$;"
			  "CREATE TRIGGER boom BEFORE INSERT ON edges FOR EACH ROW EXECUTE FUNCTION boom()");
	else
		tu_sql(db, "CREATE TRIGGER boom BEFORE INSERT ON edges"
			   " WHEN NEW.target_id = (SELECT id FROM assets WHERE key = 'boom')"
			   " BEGIN SELECT RAISE(ABORT, 'no boom'); END");
	tu_asset(db, "a", "table", NULL);
	tu_asset(db, "b", "table", NULL);
	TU_OK(lineage_db_begin(db, "bulk"));
	TU_OK(lin_write_bulk_start(db));
	upsert(db, "b", "a", 0, 0);
	{
		lineage_edge_spec spec;
		int rc;
		TU_OK(lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION));
		spec.source_key = "a";
		spec.target_key = "boom";
		spec.create_missing = 1;
		spec.target_kind = "table";
		rc = lineage_edge_upsert(NULL, NULL, db, &spec);
		ck_assert_int_ne(rc, 0);
		ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "rolled back as a whole"));
	}
	ck_assert_int_eq(db->in_tx, 0);
	ck_assert_int_eq(db->bulk, 0);
	TU_FAILS(LINEAGE_EUSAGE, lineage_db_commit(db));
	/* Nothing of the transaction is there; later calls commit on their own again. */
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_edge_find(&e, db, "b", "a", NULL, NULL));
	ck_assert_uint_eq(history_count(db, "boom"), 0);
	upsert(db, "b", "a", 0, 0);
	TU_OK(lineage_edge_find(&e, db, "b", "a", NULL, NULL));
	lineage_edge_free(e);
	lineage_db_close(db);
}
END_TEST

START_TEST(bulk_ignored_outside_transaction)
{
	lineage_db *db = tu_open_memory();
	lineage_edge *e = NULL;
	tu_asset(db, "a", "table", NULL);
	tu_asset(db, "b", "table", NULL);
	db->bulk = 1; /* no transaction open: each call commits on its own as usual */
	upsert(db, "a", "b", 0, 0);
	TU_OK(lineage_edge_find(&e, db, "a", "b", NULL, NULL));
	lineage_edge_free(e);
	TU_OK(lineage_db_begin(db, NULL));
	ck_assert_int_eq(db->bulk, 0);
	TU_OK(lineage_db_rollback(db));
	lineage_db_close(db);
}
END_TEST

/* Inside a write transaction the store remembers the assets it looked up or added: what it
 * remembers never outlives a removal, a rollback or the transaction. */
START_TEST(key_lookups_stay_true)
{
	lineage_db *db = tu_open_memory();
	tu_asset(db, "a", "table", NULL);
	TU_OK(lineage_db_begin(db, "keys"));
	TU_OK(lin_write_bulk_start(db));
	upsert(db, "a", "b", 1, 0); /* looks a up, creates b */
	TU_OK(lineage_asset_remove(db, "b", 0));
	upsert(db, "a", "b", 0, LINEAGE_ENOTFOUND);
	tu_asset(db, "b", "view", NULL); /* again, with a new id */
	upsert(db, "a", "b", 0, 0);
	TU_OK(lineage_db_commit(db));

	TU_OK(lineage_db_begin(db, "undone"));
	tu_asset(db, "q", "table", NULL);
	upsert(db, "q", "a", 0, 0);
	TU_OK(lineage_db_rollback(db));
	upsert(db, "q", "a", 0, LINEAGE_ENOTFOUND);
	TU_OK(lineage_db_begin(db, "next"));
	upsert(db, "q", "a", 0, LINEAGE_ENOTFOUND);
	upsert(db, "b", "a", 0, 0);
	TU_OK(lineage_db_commit(db));
	ck_assert_uint_eq(history_count(db, "q"), 0);
	/* two creations and a deletion of b; a->b created, deleted, created again; b->a */
	ck_assert_uint_eq(history_count(db, "b"), 7);
	lineage_db_close(db);
}
END_TEST

/* The edges a bulk write creates are recorded without their keys: history by key and the
 * change feed find them through the edge, also after its removal and when its id is reused. */
START_TEST(bulk_creations_keep_their_keys)
{
	lineage_db *db = tu_open_memory();
	lineage_change_list *l = NULL;
	int64_t first = 0, reused = 0;
	tu_asset(db, "a", "table", NULL);
	tu_asset(db, "b", "table", NULL);
	tu_asset(db, "c", "table", NULL);
	tu_asset(db, "d", "table", NULL);
	TU_OK(lineage_db_begin(db, "bulk"));
	TU_OK(lin_write_bulk_start(db));
	upsert(db, "a", "b", 0, 0);
	TU_OK(lineage_db_commit(db));
	{
		lineage_edge *e = NULL;
		TU_OK(lineage_edge_find(&e, db, "a", "b", NULL, NULL));
		first = e->id;
		lineage_edge_free(e);
	}
	ck_assert_uint_eq(history_count(db, "a"), 2); /* its creation, the edge's */
	TU_OK(lineage_edge_remove(db, first));
	reused = tu_edge(db, "c", "d"); /* the highest id was freed: SQLite hands it out again */
	ck_assert_int_eq(reused, first);
	ck_assert_uint_eq(history_count(db, "a"), 3); /* + the removal */
	ck_assert_uint_eq(history_count(db, "b"), 3);
	ck_assert_uint_eq(history_count(db, "c"), 2); /* not the creation of a -> b */
	TU_OK(lineage_history_edge(&l, db, first, 0));
	ck_assert_uint_eq(lineage_change_list_count(l), 3); /* c -> d, a -> b removed, a -> b */
	ck_assert_str_eq(lineage_change_list_get(l, 2)->asset_key, "a");
	ck_assert_str_eq(lineage_change_list_get(l, 2)->target_key, "b");
	ck_assert_ptr_nonnull(strstr(lineage_change_list_get(l, 2)->after_json, "\"target\":\"b\""));
	ck_assert_str_eq(lineage_change_list_get(l, 0)->asset_key, "c");
	lineage_change_list_free(l);

	/* and a bulk creation that takes the id again */
	TU_OK(lineage_edge_remove(db, reused));
	TU_OK(lineage_db_begin(db, "bulk again"));
	TU_OK(lin_write_bulk_start(db));
	upsert(db, "b", "d", 0, 0);
	TU_OK(lineage_db_commit(db));
	ck_assert_uint_eq(history_count(db, "d"), 4); /* create, c -> d and its removal, b -> d */
	ck_assert_uint_eq(history_count(db, "a"), 3);
	TU_OK(lineage_history_asset(&l, db, "d", 1));
	ck_assert_str_eq(lineage_change_list_get(l, 0)->asset_key, "b");
	ck_assert_str_eq(lineage_change_list_get(l, 0)->target_key, "d");
	lineage_change_list_free(l);
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bulk");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, bulk_commit_keeps_audit_and_batch);
	tcase_add_test(tc, key_lookups_stay_true);
	tcase_add_test(tc, bulk_creations_keep_their_keys);
	tcase_add_test(tc, bulk_failure_after_write_rolls_back_all);
	tcase_add_test(tc, bulk_ignored_outside_transaction);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
