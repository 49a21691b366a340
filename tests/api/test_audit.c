/* The audit trail: before/after JSON, history, the change feed across handles, batches and
 * revert. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static const lineage_change *at(const lineage_change_list *l, size_t i)
{
	const lineage_change *c = lineage_change_list_get(l, i);
	ck_assert_ptr_nonnull(c);
	return c;
}

static char *asset_json(lineage_db *db, const char *key)
{
	lineage_asset *a = NULL;
	char *json = NULL;
	TU_OK(lineage_asset_get(&a, db, key));
	TU_OK(lineage_asset_to_json(&json, a));
	lineage_asset_free(a);
	return json;
}

static char *edge_json(lineage_db *db, int64_t id)
{
	lineage_edge *e = NULL;
	char *json = NULL;
	TU_OK(lineage_edge_get(&e, db, id));
	TU_OK(lineage_edge_to_json(&json, e));
	lineage_edge_free(e);
	return json;
}

START_TEST(before_and_after)
{
	lineage_db *db = tu_open_memory();
	lineage_change_list *l = NULL;
	lineage_asset_spec s;
	char *json = NULL, *a_created = NULL, *b_created = NULL, *e_created = NULL;
	int64_t eid;

	tu_asset(db, "a", "table", NULL);
	tu_asset(db, "b", "table", NULL);
	a_created = asset_json(db, "a");
	b_created = asset_json(db, "b");
	lineage_asset_spec_init(&s, LINEAGE_ASSET_SPEC_VERSION);
	s.key = "a";
	s.owner = "ana";
	TU_OK(lineage_asset_upsert(NULL, NULL, db, &s));
	TU_OK(lineage_asset_upsert(NULL, NULL, db, &s)); /* unchanged: nothing recorded */
	eid = tu_edge(db, "a", "b");
	e_created = edge_json(db, eid);
	TU_OK(lineage_edge_approve(db, eid, "rev", "ok"));
	TU_OK(lineage_edge_remove(db, eid));

	TU_OK(lineage_changes_since(&l, db, 0, 0));
	ck_assert_uint_eq(lineage_change_list_count(l), 6);
	ck_assert_str_eq(at(l, 0)->action, "create");
	ck_assert_str_eq(at(l, 0)->entity, "asset");
	ck_assert_ptr_null(at(l, 0)->before_json);
	ck_assert_ptr_nonnull(strstr(at(l, 0)->after_json, "\"key\":\"a\""));
	ck_assert_ptr_null(at(l, 0)->target_key);
	ck_assert_str_eq(at(l, 2)->action, "update");
	ck_assert_ptr_nonnull(strstr(at(l, 2)->before_json, "\"owner\":null"));
	ck_assert_ptr_nonnull(strstr(at(l, 2)->after_json, "\"owner\":\"ana\""));
	ck_assert_str_eq(at(l, 3)->entity, "edge");
	ck_assert_str_eq(at(l, 3)->asset_key, "a");
	ck_assert_str_eq(at(l, 3)->target_key, "b");
	ck_assert_int_eq(at(l, 3)->entity_id, eid);
	ck_assert_str_eq(at(l, 4)->action, "approve");
	ck_assert_str_eq(at(l, 4)->actor, "rev");
	ck_assert_str_eq(at(l, 4)->comment, "ok");
	ck_assert_ptr_nonnull(strstr(at(l, 4)->after_json, "\"lineage_source\":\"approved\""));
	ck_assert_str_eq(at(l, 5)->action, "delete");
	ck_assert_ptr_null(at(l, 5)->after_json);
	ck_assert_ptr_nonnull(at(l, 5)->before_json);
	for (size_t i = 1; i < 6; i++)
		ck_assert_int_gt(at(l, i)->seq, at(l, i - 1)->seq);
	/* A creation's after state is rebuilt when read, as it was when created: from the
	 * object's next change (a, the edge, since deleted) or from the object now (b). */
	ck_assert_str_eq(at(l, 0)->after_json, a_created);
	ck_assert_str_eq(at(l, 0)->after_json, at(l, 2)->before_json);
	ck_assert_str_eq(at(l, 1)->after_json, b_created);
	ck_assert_str_eq(at(l, 3)->after_json, e_created);
	ck_assert_int_ne(at(l, 0)->batch_id, at(l, 1)->batch_id); /* one batch per call */
	TU_OK(lineage_change_list_to_json(&json, l));
	ck_assert(!strncmp(json, "{\"changes\":[{\"seq\":1,", 20));
	ck_assert_ptr_nonnull(strstr(json, "\"before\":null"));
	ck_assert_ptr_nonnull(strstr(json, "\"after\":{\"id\":"));
	lineage_free(json);
	lineage_free(a_created);
	lineage_free(b_created);
	lineage_free(e_created);
	lineage_change_list_free(l);

	TU_OK(lineage_changes_since(&l, db, 4, 1));
	ck_assert_uint_eq(lineage_change_list_count(l), 1);
	ck_assert_int_eq(at(l, 0)->seq, 5);
	ck_assert_ptr_null(lineage_change_list_get(l, 1));
	lineage_change_list_free(l);
	TU_FAILS(LINEAGE_EINVALID, lineage_changes_since(&l, db, 0, 1000000));
	lineage_change_list_free(NULL);
	lineage_db_close(db);
}
END_TEST

START_TEST(history)
{
	lineage_db *db = tu_open_memory();
	lineage_change_list *l = NULL;
	int64_t ab, bc;

	tu_asset(db, "a", "table", NULL);
	tu_asset(db, "b", "table", NULL);
	tu_asset(db, "c", "table", NULL);
	ab = tu_edge(db, "a", "b");
	bc = tu_edge(db, "b", "c");
	TU_OK(lineage_edge_reject(db, ab, "rev", NULL));

	TU_OK(lineage_history_asset(&l, db, "b", 0));
	ck_assert_uint_eq(lineage_change_list_count(l), 4); /* its create, 2 edges, the reject */
	ck_assert_str_eq(at(l, 0)->action, "reject"); /* newest first */
	ck_assert_str_eq(at(l, 3)->action, "create");
	lineage_change_list_free(l);
	TU_OK(lineage_history_asset(&l, db, "b", 2));
	ck_assert_uint_eq(lineage_change_list_count(l), 2);
	lineage_change_list_free(l);
	TU_OK(lineage_history_edge(&l, db, ab, 0));
	ck_assert_uint_eq(lineage_change_list_count(l), 2);
	lineage_change_list_free(l);
	TU_OK(lineage_history_edge(&l, db, bc, 0));
	ck_assert_uint_eq(lineage_change_list_count(l), 1);
	lineage_change_list_free(l);
	TU_OK(lineage_history_edge(&l, db, 999, 0));
	ck_assert_uint_eq(lineage_change_list_count(l), 0);
	lineage_change_list_free(l);

	/* History outlives the asset. */
	TU_OK(lineage_asset_remove(db, "c", 0));
	TU_OK(lineage_history_asset(&l, db, "c", 0));
	ck_assert_uint_eq(lineage_change_list_count(l), 4); /* create, edge create, edge delete, delete */
	ck_assert_str_eq(at(l, 0)->action, "delete");
	ck_assert_str_eq(at(l, 0)->entity, "asset");
	lineage_change_list_free(l);

	/* Created again (a new id), with a new edge: both lives are its history, creations
	 * included (they are found through the ids, not the key). */
	tu_asset(db, "c", "view", NULL);
	bc = tu_edge(db, "b", "c");
	TU_OK(lineage_history_asset(&l, db, "c", 0));
	ck_assert_uint_eq(lineage_change_list_count(l), 6);
	ck_assert_str_eq(at(l, 0)->action, "create");
	ck_assert_str_eq(at(l, 0)->entity, "edge");
	ck_assert_int_eq(at(l, 0)->entity_id, bc);
	ck_assert_str_eq(at(l, 1)->action, "create");
	ck_assert_str_eq(at(l, 1)->entity, "asset");
	ck_assert_ptr_nonnull(strstr(at(l, 1)->after_json, "\"kind\":\"view\""));
	ck_assert_str_eq(at(l, 5)->action, "create");
	ck_assert_ptr_nonnull(strstr(at(l, 5)->after_json, "\"kind\":\"table\""));
	lineage_change_list_free(l);
	TU_OK(lineage_history_asset(&l, db, "a", 0));
	ck_assert_uint_eq(lineage_change_list_count(l), 3); /* create, edge a->b, its reject */
	lineage_change_list_free(l);
	TU_FAILS(LINEAGE_EINVALID, lineage_history_asset(&l, db, "", 0));
	lineage_db_close(db);
}
END_TEST

START_TEST(feed_across_handles)
{
	const char *path = tu_path("feed.db");
	lineage_db *w = NULL, *r = NULL;
	lineage_change_list *l = NULL;
	int64_t last = 0;

	TU_OK(lineage_db_open(&w, path, NULL));
	TU_OK(lineage_db_open(&r, path, NULL));
	TU_OK(lineage_changes_last_seq(&last, r));
	ck_assert_int_eq(last, 0);
	tu_asset(w, "a", "table", NULL);
	TU_OK(lineage_db_begin(w, "two"));
	tu_asset(w, "b", "table", NULL);
	tu_asset(w, "c", "table", NULL);
	/* Uncommitted work is invisible to the other handle. */
	TU_OK(lineage_changes_since(&l, r, 0, 0));
	ck_assert_uint_eq(lineage_change_list_count(l), 1);
	lineage_change_list_free(l);
	TU_OK(lineage_db_commit(w));
	TU_OK(lineage_changes_since(&l, r, 1, 0));
	ck_assert_uint_eq(lineage_change_list_count(l), 2);
	ck_assert_int_eq(at(l, 0)->batch_id, at(l, 1)->batch_id);
	ck_assert_int_eq(at(l, 0)->batch_id, lineage_db_batch_id(w));
	lineage_change_list_free(l);
	TU_OK(lineage_changes_last_seq(&last, r));
	ck_assert_int_eq(last, 3);
	lineage_db_close(r);
	lineage_db_close(w);
}
END_TEST

static lineage_asset *asset(lineage_db *db, const char *key)
{
	lineage_asset *a = NULL;
	TU_OK(lineage_asset_get(&a, db, key));
	return a;
}

START_TEST(revert_batches)
{
	lineage_db *db = tu_open_memory();
	lineage_asset_spec s;
	lineage_asset *a;
	lineage_edge *e = NULL;
	int64_t setup, import, eid, last = 0, last2 = 0;

	TU_OK(lineage_db_begin(db, "setup"));
	tu_asset(db, "a", "table", NULL);
	tu_asset(db, "b", "table", NULL);
	eid = tu_edge(db, "a", "b");
	TU_OK(lineage_db_commit(db));
	setup = lineage_db_batch_id(db);

	TU_OK(lineage_db_begin(db, "import"));
	lineage_asset_spec_init(&s, LINEAGE_ASSET_SPEC_VERSION);
	s.key = "a";
	s.owner = "ana";
	s.properties_json = "{\"x\": 1}";
	TU_OK(lineage_asset_upsert(NULL, NULL, db, &s));
	tu_asset(db, "c", "table", NULL);
	tu_edge(db, "b", "c");
	TU_OK(lineage_edge_remove(db, eid));
	TU_OK(lineage_db_commit(db));
	import = lineage_db_batch_id(db);

	TU_OK(lineage_batch_revert(db, import));
	a = asset(db, "a");
	ck_assert_ptr_null(a->owner);
	ck_assert_str_eq(a->properties_json, "{}");
	lineage_asset_free(a);
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_asset_get(&a, db, "c"));
	TU_OK(lineage_edge_get(&e, db, eid)); /* restored with its id */
	ck_assert_str_eq(e->source_key, "a");
	ck_assert_int_eq(e->lineage_source, LINEAGE_SOURCE_MANUAL);
	lineage_edge_free(e);
	ck_assert_int_gt(lineage_db_batch_id(db), import); /* a new batch */

	/* The setup batch's objects were touched later: refused, nothing changed. */
	TU_OK(lineage_changes_last_seq(&last, db));
	TU_FAILS(LINEAGE_ECONFLICT, lineage_batch_revert(db, setup));
	TU_OK(lineage_changes_last_seq(&last2, db));
	ck_assert_int_eq(last, last2);
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_batch_revert(db, 9999));
	lineage_db_close(db);
}
END_TEST

START_TEST(revert_single_call_and_delete)
{
	lineage_db *db = tu_open_memory();
	lineage_asset *a;
	int64_t batch;

	tu_asset(db, "p", "schema", NULL);
	tu_asset(db, "p.t", "table", "p");
	TU_OK(lineage_asset_remove(db, "p", LINEAGE_REMOVE_CASCADE));
	batch = lineage_db_batch_id(db);
	TU_OK(lineage_batch_revert(db, batch));
	a = asset(db, "p.t");
	ck_assert_str_eq(a->parent_key, "p");
	ck_assert_str_eq(a->kind, "table");
	lineage_asset_free(a);
	/* Reverting the revert removes them again. */
	TU_OK(lineage_batch_revert(db, lineage_db_batch_id(db)));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_asset_get(&a, db, "p"));
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, before_and_after);
	tcase_add_test(tc, history);
	tcase_add_test(tc, feed_across_handles);
	tcase_add_test(tc, revert_batches);
	tcase_add_test(tc, revert_single_call_and_delete);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
