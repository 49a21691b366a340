/* Saved views: saved, reopened with their positions, listed by page, overwritten, renamed,
 * deleted; names and bodies checked; kept by a backup; on both backends
 * (LINEAGE_TEST_BACKEND=postgres). */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static const char body[] =
	"{\"root\": \"wh.sales.orders\", \"direction\": \"both\", \"depth\": 3,"
	" \"min_confidence\": 0.5, \"kinds\": [\"table\"], \"layout\": \"dagre\","
	" \"positions\": {\"wh.sales.orders\": {\"x\": 120.5, \"y\": -40}}, \"extra\": [1, 2]}";

START_TEST(save_get_list_and_delete)
{
	lineage_db *db = tu_open_temp();
	char *json = NULL;
	TU_OK(lineage_db_set_actor(db, "ada"));
	TU_OK(lineage_view_list(&json, db, 0, 0));
	ck_assert_str_eq(json, "{\"views\":[],\"total\":0}");
	lineage_free(json);

	TU_OK(lineage_view_save(db, "Orders upstream", body, LINEAGE_VIEW_CREATE));
	TU_OK(lineage_view_get(&json, db, "Orders upstream"));
	/* the body comes back compact with sorted keys, unknown members kept */
	ck_assert_ptr_nonnull(strstr(json, "\"name\":\"Orders upstream\",\"root\":\"wh.sales.orders\","
				     "\"view\":{\"depth\":3,\"direction\":\"both\",\"extra\":[1,2],"
				     "\"kinds\":[\"table\"],\"layout\":\"dagre\",\"min_confidence\":0.5,"
				     "\"positions\":{\"wh.sales.orders\":{\"x\":120.5,\"y\":-40}},"
				     "\"root\":\"wh.sales.orders\"},\"created_by\":\"ada\""));
	ck_assert_ptr_nonnull(strstr(json, "\"updated_by\":\"ada\""));
	lineage_free(json);

	TU_FAILS(LINEAGE_EEXISTS, lineage_view_save(db, "Orders upstream", "{}", LINEAGE_VIEW_CREATE));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "already saved"));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_view_save(db, "nope", "{}", LINEAGE_VIEW_REPLACE));

	/* overwrite: a new body and author, the creation kept */
	TU_OK(lineage_db_set_actor(db, "bob"));
	TU_OK(lineage_view_save(db, "Orders upstream", "{\"depth\": 1}", LINEAGE_VIEW_REPLACE));
	TU_OK(lineage_view_get(&json, db, "Orders upstream"));
	ck_assert_ptr_nonnull(strstr(json, "\"root\":null,\"view\":{\"depth\":1},\"created_by\":\"ada\""));
	ck_assert_ptr_nonnull(strstr(json, "\"updated_by\":\"bob\""));
	lineage_free(json);
	TU_OK(lineage_view_save(db, "b", "{}", LINEAGE_VIEW_UPSERT));
	TU_OK(lineage_view_save(db, "a", "{\"root\": \"x\"}", LINEAGE_VIEW_UPSERT));

	/* listed by name, paged, without bodies; total counts all */
	TU_OK(lineage_view_list(&json, db, 0, 0));
	ck_assert_ptr_nonnull(strstr(json, "{\"views\":[{\"name\":\"Orders upstream\""));
	ck_assert_ptr_nonnull(strstr(json, "},{\"name\":\"a\",\"root\":\"x\",\"created_by\":\"bob\""));
	ck_assert_ptr_null(strstr(json, "\"view\""));
	ck_assert_ptr_nonnull(strstr(json, "\"total\":3}"));
	lineage_free(json);
	TU_OK(lineage_view_list(&json, db, 1, 1));
	ck_assert_ptr_nonnull(strstr(json, "{\"views\":[{\"name\":\"a\""));
	ck_assert_ptr_null(strstr(json, "\"name\":\"b\""));
	ck_assert_ptr_nonnull(strstr(json, "\"total\":3}"));
	lineage_free(json);

	TU_OK(lineage_view_delete(db, "a"));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_view_delete(db, "a"));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "there is no saved view \"a\""));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_view_get(&json, db, "a"));
	ck_assert_ptr_null(json);
	lineage_db_close(db);
}
END_TEST

START_TEST(rename_keeps_the_body)
{
	lineage_db *db = tu_open_temp();
	char *json = NULL;
	TU_OK(lineage_view_save(db, "one", body, LINEAGE_VIEW_CREATE));
	TU_OK(lineage_view_save(db, "two", "{}", LINEAGE_VIEW_CREATE));
	TU_FAILS(LINEAGE_EEXISTS, lineage_view_rename(db, "one", "two"));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_view_rename(db, "three", "four"));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_rename(db, "one", "a/b"));
	TU_OK(lineage_view_rename(db, "one", "uno"));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_view_get(&json, db, "one"));
	TU_OK(lineage_view_get(&json, db, "uno"));
	ck_assert_ptr_nonnull(strstr(json, "\"name\":\"uno\",\"root\":\"wh.sales.orders\""));
	ck_assert_ptr_nonnull(strstr(json, "\"x\":120.5"));
	lineage_free(json);
	TU_OK(lineage_view_rename(db, "uno", "uno")); /* to itself: nothing changes */
	lineage_db_close(db);
}
END_TEST

/* Each refusal names what is wrong; nothing is stored. */
START_TEST(bad_names_and_bodies)
{
	lineage_db *db = tu_open_temp();
	char *json = NULL, *big;
	size_t n = LINEAGE_VIEW_BODY_MAX + 16;
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "", "{}", 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, NULL, "{}", 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, " padded", "{}", 0));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "space"));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "a/b", "{}", 0));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "'/'"));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "tab\there", "{}", 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "\xff\xfe", "{}", 0));
	char longname[LINEAGE_VIEW_NAME_MAX + 2];
	memset(longname, 'n', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, longname, "{}", 0));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "shorter name"));
	longname[LINEAGE_VIEW_NAME_MAX] = '\0';
	TU_OK(lineage_view_save(db, longname, "{}", 0));

	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "v", NULL, 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "v", "[1]", 0));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "JSON object"));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "v", "{\"depth\": ", 0));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "not valid JSON"));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "v", "{\"a\": 1, \"a\": 2}", 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "v", "{\"depth\": -1}", 0));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "\"depth\" must be a whole number"));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "v", "{\"depth\": 2.5}", 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "v", "{\"direction\": \"sideways\"}", 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "v", "{\"min_confidence\": 1.5}", 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "v", "{\"root\": 7}", 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "v", "{\"root\": \"\"}", 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "v", "{\"kinds\": [\"table\", 3]}", 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "v", "{\"layout\": {}}", 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "v", "{\"positions\": [1]}", 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "v", "{\"positions\": {\"k\": {\"x\": 1}}}", 0));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "position of \"k\""));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "v", "{}", (lineage_view_save_mode)7));

	/* too large: refused before it is parsed */
	big = malloc(n + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	big[n] = '\0';
	TU_FAILS(LINEAGE_ELIMIT, lineage_view_save(db, "v", big, 0));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "at most"));
	free(big);
	/* deeply nested: a parse error, not a crash */
	big = malloc(200001);
	ck_assert_ptr_nonnull(big);
	memset(big, '[', 200000);
	big[0] = '{';
	big[200000] = '\0';
	TU_FAILS(LINEAGE_EINVALID, lineage_view_save(db, "v", big, 0));
	free(big);

	TU_OK(lineage_view_list(&json, db, 0, 0));
	ck_assert_ptr_nonnull(strstr(json, "\"total\":1}")); /* only the longest name */
	lineage_free(json);
	TU_FAILS(LINEAGE_EINVALID, lineage_view_get(&json, db, ""));
	TU_FAILS(LINEAGE_EINVALID, lineage_view_get(NULL, db, "v"));
	TU_FAILS(LINEAGE_EUSAGE, lineage_view_delete(NULL, "v"));
	lineage_db_close(db);
}
END_TEST

START_TEST(too_many_positions)
{
	lineage_db *db = tu_open_temp();
	size_t cap = 64 * (LINEAGE_VIEW_POSITIONS_MAX + 2), len = 0;
	char *text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	len += (size_t)snprintf(text, cap, "{\"positions\":{");
	for (int i = 0; i <= LINEAGE_VIEW_POSITIONS_MAX; i++)
		len += (size_t)snprintf(text + len, cap - len, "%s\"n%d\":{\"x\":1,\"y\":2}", i ? "," : "", i);
	snprintf(text + len, cap - len, "}}");
	ck_assert_uint_lt(strlen(text), LINEAGE_VIEW_BODY_MAX);
	TU_FAILS(LINEAGE_ELIMIT, lineage_view_save(db, "many", text, 0));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "positions"));
	free(text);
	lineage_db_close(db);
}
END_TEST

/* A read-only handle reads views but cannot save one; an open transaction that rolls back
 * takes the saved view with it. */
START_TEST(read_only_and_transactions)
{
	lineage_db *db = tu_open_temp(), *ro = NULL;
	lineage_open_options o;
	char *json = NULL;
	TU_OK(lineage_view_save(db, "kept", body, 0));
	TU_OK(lineage_db_begin(db, "try"));
	TU_OK(lineage_view_save(db, "dropped", "{}", 0));
	TU_OK(lineage_db_rollback(db));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_view_get(&json, db, "dropped"));

	TU_OK(lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION));
	tu_same_options(db, &o);
	o.flags |= LINEAGE_OPEN_READONLY;
	ro = tu_open_same(db, &o);
	TU_OK(lineage_view_get(&json, ro, "kept"));
	lineage_free(json);
	TU_FAILS(LINEAGE_EREADONLY, lineage_view_save(ro, "other", "{}", 0));
	TU_FAILS(LINEAGE_EREADONLY, lineage_view_delete(ro, "kept"));
	lineage_db_close(ro);
	lineage_db_close(db);
}
END_TEST

/* A backup keeps the views; views are not changes in the audit trail. */
START_TEST(backup_keeps_views)
{
	lineage_db *db = tu_open_temp(), *copy = NULL;
	const char *dest = tu_path("views-backup.lineage");
	char *json = NULL;
	int64_t last = -1;
	TU_OK(lineage_view_save(db, "kept", body, 0));
	TU_OK(lineage_changes_last_seq(&last, db));
	ck_assert_int_eq(last, 0);
	TU_OK(lineage_db_backup(db, dest, NULL, NULL));
	TU_OK(lineage_db_open(&copy, dest, NULL));
	TU_OK(lineage_view_get(&json, copy, "kept"));
	ck_assert_ptr_nonnull(strstr(json, "\"x\":120.5"));
	lineage_free(json);
	lineage_db_close(copy);
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("view");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, save_get_list_and_delete);
	tcase_add_test(tc, rename_keeps_the_body);
	tcase_add_test(tc, bad_names_and_bodies);
	tcase_add_test(tc, too_many_positions);
	tcase_add_test(tc, read_only_and_transactions);
	tcase_add_test(tc, backup_keeps_views);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
