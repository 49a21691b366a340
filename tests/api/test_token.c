/* API tokens: made once, stored hashed, listed without secrets, revoked, verified; on both
 * backends (LINEAGE_TEST_BACKEND=postgres). */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "testutil.h"
#include "common/sha256.h"

static int64_t now_ms(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Run SQL on the store behind db, on either backend; the count of rows it gives (SELECT
 * count(*)), else 0. */
static long long store_sql(lineage_db *db, const char *sql)
{
	sqlite3 *raw = NULL;
	sqlite3_stmt *st = NULL;
	long long n = 0;
	if (tu_backend_pg())
		return tu_pg_sql(db, sql);
	ck_assert_int_eq(sqlite3_open(lineage_db_path(db), &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(raw, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(raw);
	return n;
}

START_TEST(create_verify_and_never_store_the_secret)
{
	lineage_db *db = tu_open_temp();
	char *token = NULL, *json = NULL, sql[512], digest[65];
	lineage_token *t = NULL;
	int64_t id = 0, count = -1;
	TU_OK(lineage_token_count(&count, db));
	ck_assert_int_eq(count, 0);
	TU_OK(lineage_db_set_actor(db, "setup"));
	TU_OK(lineage_token_create(&token, &id, db, "ada", "editor", 0));
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(strlen(token), 47);
	ck_assert(!strncmp(token, "lin_", 4));
	TU_OK(lineage_token_count(&count, db));
	ck_assert_int_eq(count, 1);

	TU_OK(lineage_token_verify(&t, db, token));
	ck_assert_int_eq(t->id, id);
	ck_assert_str_eq(t->user, "ada");
	ck_assert_str_eq(t->role, "editor");
	ck_assert_str_eq(t->created_by, "setup");
	ck_assert_int_eq(t->expires_at_ms, 0);
	ck_assert_int_gt(t->last_used_at_ms, 0);
	lineage_token_free(t);

	/* the store holds the digest, never the text */
	lin_sha256_hex(token, strlen(token), digest);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM tokens WHERE digest = '%s'", digest);
	ck_assert_int_eq(store_sql(db, sql), 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM tokens WHERE digest LIKE '%%%s%%'"
		 " OR user_name LIKE '%%%s%%'", token + 4, token + 4);
	ck_assert_int_eq(store_sql(db, sql), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM changes WHERE before_json LIKE '%%%s%%'"
		 " OR after_json LIKE '%%%s%%' OR after_json LIKE '%%%s%%'", token + 4, token + 4,
		 digest);
	ck_assert_int_eq(store_sql(db, sql), 0);

	/* listed without token or digest; last use recorded */
	TU_OK(lineage_token_list_json(&json, db));
	ck_assert_ptr_null(strstr(json, token + 4));
	ck_assert_ptr_null(strstr(json, digest));
	ck_assert_ptr_nonnull(strstr(json, "\"user\":\"ada\",\"role\":\"editor\",\"created_by\":\"setup\""));
	ck_assert_ptr_nonnull(strstr(json, "\"expires_at\":null,\"revoked_at\":null,\"last_used_at\":\""));
	ck_assert_ptr_nonnull(strstr(json, "\"state\":\"active\""));
	free(json);
	free(token);
	lineage_db_close(db);
}
END_TEST

START_TEST(two_tokens_differ)
{
	lineage_db *db = tu_open_temp();
	char *a = NULL, *b = NULL;
	int64_t ia = 0, ib = 0;
	TU_OK(lineage_token_create(&a, &ia, db, "ada", "viewer", 0));
	TU_OK(lineage_token_create(&b, &ib, db, "ada", "viewer", 0));
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(ib, ia + 1);
	free(a);
	free(b);
	lineage_db_close(db);
}
END_TEST

START_TEST(forged_expired_and_revoked_are_refused)
{
	lineage_db *db = tu_open_temp();
	char *token = NULL, *other = NULL, forged[48], sql[256];
	lineage_token *t = NULL;
	int64_t id = 0, other_id = 0;
	TU_OK(lineage_token_create(&token, &id, db, "bob", "admin", now_ms() + 86400000));
	TU_OK(lineage_token_create(&other, &other_id, db, "eve", "viewer", 0));

	/* one character changed: well formed, unknown */
	snprintf(forged, sizeof forged, "%s", token);
	forged[10] = forged[10] == 'A' ? 'B' : 'A';
	TU_FAILS(LINEAGE_EAUTH, lineage_token_verify(&t, db, forged));
	ck_assert_ptr_null(t);
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "not known"));
	ck_assert_ptr_null(strstr(lineage_error_last()->message, forged + 4));
	TU_FAILS(LINEAGE_EAUTH, lineage_token_verify(&t, db, "lin_short"));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "malformed"));
	TU_FAILS(LINEAGE_EAUTH, lineage_token_verify(&t, db, ""));
	TU_FAILS(LINEAGE_EAUTH, lineage_token_verify(&t, db, NULL));
	forged[20] = '%';
	TU_FAILS(LINEAGE_EAUTH, lineage_token_verify(&t, db, forged));

	/* expired: its expiry moved into the past */
	snprintf(sql, sizeof sql, "UPDATE tokens SET expires_at = 1000 WHERE id = %lld", (long long)id);
	store_sql(db, sql);
	TU_FAILS(LINEAGE_EAUTH, lineage_token_verify(&t, db, token));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "expired"));

	/* revoked: refused at once, and a second revocation is a conflict */
	TU_OK(lineage_token_verify(&t, db, other));
	lineage_token_free(t);
	TU_OK(lineage_token_revoke(db, other_id));
	TU_FAILS(LINEAGE_EAUTH, lineage_token_verify(&t, db, other));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "revoked"));
	TU_FAILS(LINEAGE_ECONFLICT, lineage_token_revoke(db, other_id));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_token_revoke(db, 999));
	lineage_token_free(NULL);
	free(token);
	free(other);
	lineage_db_close(db);
}
END_TEST

START_TEST(bad_arguments)
{
	lineage_db *db = tu_open_temp();
	char *token = NULL;
	TU_FAILS(LINEAGE_EINVALID, lineage_token_create(&token, NULL, db, "ada", "root", 0));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "viewer, editor, steward or admin"));
	TU_FAILS(LINEAGE_EINVALID, lineage_token_create(&token, NULL, db, "ada", NULL, 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_token_create(&token, NULL, db, "", "viewer", 0));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "the person or service it is for"));
	TU_FAILS(LINEAGE_EINVALID, lineage_token_create(&token, NULL, db, "a\x01", "viewer", 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_token_create(&token, NULL, db, "ada", "viewer", 1000));
	TU_FAILS(LINEAGE_EUSAGE, lineage_token_create(&token, NULL, NULL, "ada", "viewer", 0));
	ck_assert_ptr_null(token);
	ck_assert_int_eq(lineage_token_role_rank("viewer"), 1);
	ck_assert_int_eq(lineage_token_role_rank("admin"), 4);
	ck_assert_int_eq(lineage_token_role_rank("Admin"), 0);
	ck_assert_int_eq(lineage_token_role_rank(NULL), 0);
	lineage_db_close(db);
}
END_TEST

/* Creation and revocation are in the audit trail, with the actor; they do not disturb the
 * graph engine, and a batch of them is not reverted. */
START_TEST(audit_trail)
{
	lineage_db *db = tu_open_temp();
	lineage_change_list *list = NULL;
	lineage_result *r = NULL;
	const lineage_change *c;
	char *token = NULL;
	int64_t id = 0;
	tu_asset(db, "a", "table", NULL);
	tu_asset(db, "b", "table", NULL);
	tu_edge(db, "a", "b");
	TU_OK(lineage_query_downstream(&r, db, "a", NULL));
	lineage_result_free(r);
	TU_OK(lineage_db_set_actor(db, "root"));
	TU_OK(lineage_token_create(&token, &id, db, "carol", "steward", 0));
	TU_OK(lineage_token_revoke(db, id));
	TU_OK(lineage_changes_since(&list, db, 0, 0));
	ck_assert_uint_eq(lineage_change_list_count(list), 5);
	c = lineage_change_list_get(list, 3);
	ck_assert_str_eq(c->entity, "token");
	ck_assert_str_eq(c->action, "create");
	ck_assert_str_eq(c->actor, "root");
	ck_assert_int_eq(c->entity_id, id);
	ck_assert_ptr_null(c->before_json);
	ck_assert_ptr_nonnull(strstr(c->after_json, "\"user\":\"carol\",\"role\":\"steward\""));
	ck_assert_ptr_null(strstr(c->after_json, token + 4));
	c = lineage_change_list_get(list, 4);
	ck_assert_str_eq(c->action, "revoke");
	ck_assert_ptr_nonnull(strstr(c->before_json, "\"state\":\"active\""));
	ck_assert_ptr_nonnull(strstr(c->after_json, "\"state\":\"revoked\""));
	TU_FAILS(LINEAGE_EINVALID, lineage_batch_revert(db, c->batch_id));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "revoke the token instead"));
	lineage_change_list_free(list);
	/* the engine catches up past the token changes: the graph is unchanged */
	TU_OK(lineage_query_downstream(&r, db, "a", NULL));
	ck_assert_uint_eq(lineage_result_node_count(r), 2);
	lineage_result_free(r);
	free(token);
	lineage_db_close(db);
}
END_TEST

/* A read-only handle verifies (without recording the use) but cannot create. */
START_TEST(read_only_handle)
{
	lineage_db *db = tu_open_temp(), *ro = NULL;
	lineage_open_options o;
	lineage_token *t = NULL;
	char *token = NULL, *other = NULL;
	TU_OK(lineage_token_create(&token, NULL, db, "dan", "viewer", 0));
	TU_OK(lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION));
	tu_same_options(db, &o);
	o.flags |= LINEAGE_OPEN_READONLY;
	ro = tu_open_same(db, &o);
	TU_OK(lineage_token_verify(&t, ro, token));
	ck_assert_str_eq(t->user, "dan");
	lineage_token_free(t);
	TU_FAILS(LINEAGE_EREADONLY, lineage_token_create(&other, NULL, ro, "dan", "viewer", 0));
	lineage_db_close(ro);
	free(token);
	lineage_db_close(db);
}
END_TEST

/* A backup keeps the tokens (their digests): a token works on the restored copy. */
START_TEST(backup_keeps_tokens)
{
	lineage_db *db = tu_open_temp(), *copy = NULL;
	lineage_token *t = NULL;
	char *token = NULL;
	const char *dest = tu_path("tokens-backup.lineage");
	TU_OK(lineage_token_create(&token, NULL, db, "erin", "steward", 0));
	TU_OK(lineage_db_backup(db, dest, NULL, NULL));
	TU_OK(lineage_db_open(&copy, dest, NULL));
	TU_OK(lineage_token_verify(&t, copy, token));
	ck_assert_str_eq(t->user, "erin");
	ck_assert_str_eq(t->role, "steward");
	lineage_token_free(t);
	lineage_db_close(copy);
	free(token);
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("token");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, create_verify_and_never_store_the_secret);
	tcase_add_test(tc, two_tokens_differ);
	tcase_add_test(tc, forged_expired_and_revoked_are_refused);
	tcase_add_test(tc, bad_arguments);
	tcase_add_test(tc, audit_trail);
	tcase_add_test(tc, read_only_handle);
	tcase_add_test(tc, backup_keeps_tokens);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
