/* Assets: upsert rules, get, remove, children, JSON. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static lineage_asset_spec spec_of(const char *key, const char *kind)
{
	lineage_asset_spec s;
	lineage_asset_spec_init(&s, LINEAGE_ASSET_SPEC_VERSION);
	s.key = key;
	s.kind = kind;
	return s;
}

START_TEST(create_get_and_idempotent_upsert)
{
	lineage_db *db = tu_open_memory();
	lineage_asset_spec s = spec_of("warehouse.sales.orders", "table");
	const char *tags[] = {"pii", "finance", "pii"};
	lineage_outcome o;
	int64_t id = 0, id2 = 0;
	lineage_asset *a = NULL;

	s.owner = "ana";
	s.description = "Orders";
	s.tags = tags;
	s.tag_count = 3;
	s.tags_set = 1;
	s.properties_json = "{\"rows\": 10, \"gone\": null}";
	TU_OK(lineage_asset_upsert(&o, &id, db, &s));
	ck_assert_int_eq(o, LINEAGE_CREATED);
	ck_assert_int_gt(id, 0);
	TU_OK(lineage_asset_upsert(&o, &id2, db, &s));
	ck_assert_int_eq(o, LINEAGE_UNCHANGED);
	ck_assert_int_eq(id, id2);

	TU_OK(lineage_asset_get(&a, db, "warehouse.sales.orders"));
	ck_assert_str_eq(a->kind, "table");
	ck_assert_str_eq(a->name, "orders");
	ck_assert_str_eq(a->owner, "ana");
	ck_assert_ptr_null(a->parent_key);
	ck_assert_ptr_null(a->status);
	ck_assert_uint_eq(a->tag_count, 2);
	ck_assert_str_eq(a->tags[0], "pii");
	ck_assert_str_eq(a->tags[1], "finance");
	ck_assert_str_eq(a->properties_json, "{\"rows\":10}");
	ck_assert_int_gt(a->created_at_ms, 0);
	lineage_asset_free(a);

	TU_OK(lineage_asset_get_by_id(&a, db, id));
	ck_assert_str_eq(a->key, "warehouse.sales.orders");
	lineage_asset_free(a);
	lineage_asset_free(NULL);
	lineage_db_close(db);
}
END_TEST

START_TEST(update_rules)
{
	lineage_db *db = tu_open_memory();
	lineage_asset_spec s = spec_of("t", "table");
	lineage_outcome o;
	lineage_asset *a = NULL;

	s.owner = "ana";
	s.properties_json = "{\"a\": 1, \"b\": {\"c\": 1}}";
	TU_OK(lineage_asset_upsert(&o, NULL, db, &s));

	/* NULL keeps, "" clears, properties merge (RFC 7396). */
	s = spec_of("t", NULL);
	s.owner = "";
	s.description = "new";
	s.properties_json = "{\"a\": null, \"b\": {\"d\": 2}}";
	TU_OK(lineage_asset_upsert(&o, NULL, db, &s));
	ck_assert_int_eq(o, LINEAGE_UPDATED);
	TU_OK(lineage_asset_get(&a, db, "t"));
	ck_assert_ptr_null(a->owner);
	ck_assert_str_eq(a->description, "new");
	ck_assert_str_eq(a->kind, "table");
	ck_assert_str_eq(a->properties_json, "{\"b\":{\"c\":1,\"d\":2}}");
	lineage_asset_free(a);

	/* The kind may not change, except from "unknown". */
	s = spec_of("t", "view");
	TU_FAILS(LINEAGE_ECONFLICT, lineage_asset_upsert(&o, NULL, db, &s));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "\"table\""));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "\"view\""));
	s = spec_of("u", "unknown");
	TU_OK(lineage_asset_upsert(&o, NULL, db, &s));
	s = spec_of("u", "view");
	TU_OK(lineage_asset_upsert(&o, NULL, db, &s));
	ck_assert_int_eq(o, LINEAGE_UPDATED);
	s = spec_of("u", "unknown"); /* "unknown" never downgrades */
	TU_OK(lineage_asset_upsert(&o, NULL, db, &s));
	ck_assert_int_eq(o, LINEAGE_UNCHANGED);

	/* Name "" goes back to the default. */
	s = spec_of("a.b.c", "column");
	s.name = "Nice";
	TU_OK(lineage_asset_upsert(&o, NULL, db, &s));
	s.name = "";
	TU_OK(lineage_asset_upsert(&o, NULL, db, &s));
	TU_OK(lineage_asset_get(&a, db, "a.b.c"));
	ck_assert_str_eq(a->name, "c");
	lineage_asset_free(a);
	lineage_db_close(db);
}
END_TEST

START_TEST(invalid_input)
{
	lineage_db *db = tu_open_memory();
	lineage_asset_spec s = spec_of("", "table");
	char big[LINEAGE_KEY_MAX + 2];
	lineage_asset *a = NULL;

	TU_FAILS(LINEAGE_EINVALID, lineage_asset_upsert(NULL, NULL, db, &s));
	s.key = NULL;
	TU_FAILS(LINEAGE_EINVALID, lineage_asset_upsert(NULL, NULL, db, &s));
	memset(big, 'k', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	s.key = big; /* 4097 bytes */
	TU_FAILS(LINEAGE_EINVALID, lineage_asset_upsert(NULL, NULL, db, &s));
	big[LINEAGE_KEY_MAX] = '\0'; /* exactly 4096 is fine */
	TU_OK(lineage_asset_upsert(NULL, NULL, db, &s));
	s.key = "bad\xff";
	TU_FAILS(LINEAGE_EINVALID, lineage_asset_upsert(NULL, NULL, db, &s));
	s.key = " lead";
	TU_FAILS(LINEAGE_EINVALID, lineage_asset_upsert(NULL, NULL, db, &s));
	s = spec_of("x", NULL); /* creation needs a kind */
	TU_FAILS(LINEAGE_EINVALID, lineage_asset_upsert(NULL, NULL, db, &s));
	s = spec_of("x", "table");
	s.properties_json = "[1]";
	TU_FAILS(LINEAGE_EINVALID, lineage_asset_upsert(NULL, NULL, db, &s));
	s.properties_json = "{oops";
	TU_FAILS(LINEAGE_EINVALID, lineage_asset_upsert(NULL, NULL, db, &s));
	s.properties_json = NULL;
	s.description = "caf\xc3";
	TU_FAILS(LINEAGE_EINVALID, lineage_asset_upsert(NULL, NULL, db, &s));
	s = spec_of("x", "table");
	s.version = 99;
	TU_FAILS(LINEAGE_EINVALID, lineage_asset_upsert(NULL, NULL, db, &s));
	TU_FAILS(LINEAGE_EINVALID, lineage_asset_upsert(NULL, NULL, db, NULL));
	TU_FAILS(LINEAGE_EUSAGE, lineage_asset_upsert(NULL, NULL, NULL, &s));
	TU_FAILS(LINEAGE_EINVALID, lineage_asset_spec_init(&s, 2));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_asset_get(&a, db, "missing"));
	ck_assert_ptr_null(a);
	TU_FAILS(LINEAGE_EINVALID, lineage_asset_get(&a, db, ""));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_asset_get_by_id(&a, db, 12345));
	lineage_db_close(db);
}
END_TEST

START_TEST(containment)
{
	lineage_db *db = tu_open_memory();
	lineage_asset_spec s = spec_of("w.s.t", "table");
	lineage_asset_list *kids = NULL;
	lineage_asset *a = NULL;

	s.parent_key = "w.s";
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_asset_upsert(NULL, NULL, db, &s));
	s.create_missing = 1;
	TU_OK(lineage_asset_upsert(NULL, NULL, db, &s));
	TU_OK(lineage_asset_get(&a, db, "w.s"));
	ck_assert_str_eq(a->kind, "unknown");
	lineage_asset_free(a);
	TU_OK(lineage_asset_get(&a, db, "w.s.t"));
	ck_assert_str_eq(a->parent_key, "w.s");
	lineage_asset_free(a);
	tu_asset(db, "w.s.a", "table", "w.s");

	TU_OK(lineage_asset_children(&kids, db, "w.s"));
	ck_assert_uint_eq(lineage_asset_list_count(kids), 2);
	ck_assert_str_eq(lineage_asset_list_get(kids, 0)->key, "w.s.a");
	ck_assert_ptr_null(lineage_asset_list_get(kids, 2));
	lineage_asset_list_free(kids);
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_asset_children(&kids, db, "nope"));

	/* A parent may not be the asset itself or below it. */
	s = spec_of("w.s", NULL);
	s.parent_key = "w.s.t";
	TU_FAILS(LINEAGE_ECONFLICT, lineage_asset_upsert(NULL, NULL, db, &s));
	s.parent_key = "w.s";
	TU_FAILS(LINEAGE_ECONFLICT, lineage_asset_upsert(NULL, NULL, db, &s));
	/* Clearing the parent. */
	s = spec_of("w.s.t", NULL);
	s.parent_key = "";
	TU_OK(lineage_asset_upsert(NULL, NULL, db, &s));
	TU_OK(lineage_asset_get(&a, db, "w.s.t"));
	ck_assert_ptr_null(a->parent_key);
	lineage_asset_free(a);
	lineage_db_close(db);
}
END_TEST

START_TEST(remove_rules)
{
	lineage_db *db = tu_open_memory();
	lineage_asset *a = NULL;
	lineage_edge *e = NULL;
	int64_t eid;

	tu_asset(db, "db", "database", NULL);
	tu_asset(db, "db.t", "table", "db");
	tu_asset(db, "db.t.c", "column", "db.t");
	tu_asset(db, "other", "table", NULL);
	eid = tu_edge(db, "db.t.c", "other");
	tu_edge(db, "other", "db.t");

	TU_FAILS(LINEAGE_ECONFLICT, lineage_asset_remove(db, "db", 0));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "LINEAGE_REMOVE_CASCADE"));
	TU_FAILS(LINEAGE_EINVALID, lineage_asset_remove(db, "db", 0x80));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_asset_remove(db, "nope", 0));
	TU_OK(lineage_asset_remove(db, "db", LINEAGE_REMOVE_CASCADE));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_asset_get(&a, db, "db.t.c"));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_edge_get(&e, db, eid));
	TU_OK(lineage_asset_get(&a, db, "other"));
	lineage_asset_free(a);
	TU_OK(lineage_asset_remove(db, "other", 0));
	lineage_db_close(db);
}
END_TEST

START_TEST(json_shape)
{
	lineage_db *db = tu_open_memory();
	lineage_asset_spec s = spec_of("p.q", "table");
	const char *tags[] = {"a\"b"};
	lineage_asset *a = NULL;
	char *json = NULL;

	tu_asset(db, "p", "schema", NULL);
	s.parent_key = "p";
	s.tags = tags;
	s.tag_count = 1;
	s.tags_set = 1;
	s.description = "line\nbreak";
	TU_OK(lineage_asset_upsert(NULL, NULL, db, &s));
	TU_OK(lineage_asset_get(&a, db, "p.q"));
	TU_OK(lineage_asset_to_json(&json, a));
	ck_assert_ptr_nonnull(strstr(json, "\"key\":\"p.q\""));
	ck_assert_ptr_nonnull(strstr(json, "\"parent\":\"p\""));
	ck_assert_ptr_nonnull(strstr(json, "\"owner\":null"));
	ck_assert_ptr_nonnull(strstr(json, "\"tags\":[\"a\\\"b\"]"));
	ck_assert_ptr_nonnull(strstr(json, "\"description\":\"line\\nbreak\""));
	ck_assert_ptr_nonnull(strstr(json, "\"properties\":{}"));
	ck_assert_ptr_nonnull(strstr(json, "\"created_at\":\"20"));
	lineage_free(json);
	lineage_asset_free(a);
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("asset");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, create_get_and_idempotent_upsert);
	tcase_add_test(tc, update_rules);
	tcase_add_test(tc, invalid_input);
	tcase_add_test(tc, containment);
	tcase_add_test(tc, remove_rules);
	tcase_add_test(tc, json_shape);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
