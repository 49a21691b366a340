/* Asset search: prefix words, exact key first, filters, paging, hostile text. */
#include <string.h>

#include "testutil.h"

static void add(lineage_db *db, const char *key, const char *kind, const char *owner,
		const char *desc, const char *tag)
{
	lineage_asset_spec s;
	const char *tags[1] = {tag};
	lineage_asset_spec_init(&s, LINEAGE_ASSET_SPEC_VERSION);
	s.key = key;
	s.kind = kind;
	s.owner = owner;
	s.description = desc;
	if (tag) {
		s.tags = tags;
		s.tag_count = 1;
		s.tags_set = 1;
	}
	TU_OK(lineage_asset_upsert(NULL, NULL, db, &s));
}

static lineage_asset_list *search(lineage_db *db, const char *text,
				  const lineage_search_options *o)
{
	lineage_asset_list *l = NULL;
	TU_OK(lineage_asset_search(&l, db, text, o));
	return l;
}

static void setup(lineage_db *db)
{
	add(db, "warehouse.sales.orders", "table", "ana", "All orders", "finance");
	add(db, "warehouse.sales.order_items", "table", "bo", "Lines of each order", NULL);
	add(db, "orders", "topic", "ana", "Order events", "pii");
	add(db, "warehouse.hr.people", "table", "bo", "Employees", "pii");
	add(db, "dash.revenue", "dashboard", "cy", "Revenue by month from orders", NULL);
}

START_TEST(words_and_ranking)
{
	lineage_db *db = tu_open_memory();
	lineage_asset_list *l;
	char *json = NULL;
	setup(db);

	/* "orders" finds keys split on '.' and '_', the exact key first. */
	l = search(db, "orders", NULL);
	ck_assert_uint_eq(lineage_asset_list_total(l), 3);
	ck_assert_str_eq(lineage_asset_list_get(l, 0)->key, "orders");
	lineage_asset_list_free(l);
	/* Prefix match: "ord" finds order_items too. */
	l = search(db, "ord", NULL);
	ck_assert_uint_eq(lineage_asset_list_total(l), 4);
	lineage_asset_list_free(l);
	/* All words must appear. */
	l = search(db, "sales items", NULL);
	ck_assert_uint_eq(lineage_asset_list_count(l), 1);
	ck_assert_str_eq(lineage_asset_list_get(l, 0)->key, "warehouse.sales.order_items");
	lineage_asset_list_free(l);
	/* Tags and descriptions are searched. */
	l = search(db, "pii", NULL);
	ck_assert_uint_eq(lineage_asset_list_total(l), 2);
	lineage_asset_list_free(l);
	l = search(db, "employees", NULL);
	ck_assert_uint_eq(lineage_asset_list_total(l), 1);
	TU_OK(lineage_asset_list_to_json(&json, l));
	ck_assert(!strncmp(json, "{\"total\":1,\"results\":[{", 23));
	lineage_free(json);
	lineage_asset_list_free(l);
	/* The exact key given with punctuation ranks first. */
	l = search(db, "warehouse.sales.orders", NULL);
	ck_assert_str_eq(lineage_asset_list_get(l, 0)->key, "warehouse.sales.orders");
	lineage_asset_list_free(l);
	lineage_db_close(db);
}
END_TEST

START_TEST(filters_and_paging)
{
	lineage_db *db = tu_open_memory();
	lineage_search_options o;
	lineage_asset_list *l;
	setup(db);

	TU_OK(lineage_search_options_init(&o, LINEAGE_SEARCH_OPTIONS_VERSION));
	ck_assert_uint_eq(o.limit, 50);
	o.kind = "table";
	l = search(db, "", &o);
	ck_assert_uint_eq(lineage_asset_list_total(l), 3);
	ck_assert_str_eq(lineage_asset_list_get(l, 0)->key, "warehouse.hr.people"); /* by key */
	lineage_asset_list_free(l);
	o.kind = NULL;
	o.owner = "ana";
	l = search(db, "orders", &o);
	ck_assert_uint_eq(lineage_asset_list_total(l), 2);
	lineage_asset_list_free(l);
	o.owner = NULL;
	o.tag = "pii";
	l = search(db, NULL, &o);
	ck_assert_uint_eq(lineage_asset_list_total(l), 2);
	lineage_asset_list_free(l);
	o.tag = NULL;
	o.limit = 2;
	o.offset = 4;
	l = search(db, "", &o);
	ck_assert_uint_eq(lineage_asset_list_total(l), 5);
	ck_assert_uint_eq(lineage_asset_list_count(l), 1);
	ck_assert_str_eq(lineage_asset_list_get(l, 0)->key, "warehouse.sales.orders");
	lineage_asset_list_free(l);
	o.limit = 20000;
	TU_FAILS(LINEAGE_EINVALID, lineage_asset_search(&l, db, "x", &o));
	TU_FAILS(LINEAGE_EINVALID, lineage_search_options_init(&o, 7));
	lineage_db_close(db);
}
END_TEST

START_TEST(hostile_text)
{
	lineage_db *db = tu_open_memory();
	lineage_asset_list *l;
	setup(db);
	/* FTS5 syntax is plain text here. */
	l = search(db, "orders\" OR \"people", NULL);
	ck_assert_uint_eq(lineage_asset_list_total(l), 0);
	lineage_asset_list_free(l);
	l = search(db, "NEAR(orders* ^sales) -- ; ' )(", NULL);
	ck_assert_uint_eq(lineage_asset_list_total(l), 0);
	lineage_asset_list_free(l);
	/* Only punctuation: no word, so literally an exact key or nothing (never everything,
	 * which is what an empty text lists). */
	l = search(db, "*** ...", NULL);
	ck_assert_uint_eq(lineage_asset_list_total(l), 0);
	lineage_asset_list_free(l);
	l = search(db, "\"", NULL);
	ck_assert_uint_eq(lineage_asset_list_total(l), 0);
	lineage_asset_list_free(l);
	{
		lineage_asset_spec s;
		lineage_asset_spec_init(&s, LINEAGE_ASSET_SPEC_VERSION);
		s.key = "\"";
		s.kind = "table";
		TU_OK(lineage_asset_upsert(NULL, NULL, db, &s));
	}
	l = search(db, "\"", NULL);
	ck_assert_uint_eq(lineage_asset_list_total(l), 1);
	ck_assert_str_eq(lineage_asset_list_get(l, 0)->key, "\"");
	lineage_asset_list_free(l);
	TU_FAILS(LINEAGE_EINVALID, lineage_asset_search(&l, db, "bad \xff", NULL));
	lineage_db_close(db);
}
END_TEST

START_TEST(index_follows_changes)
{
	lineage_db *db = tu_open_memory();
	lineage_asset_spec s;
	lineage_asset_list *l;
	setup(db);
	lineage_asset_spec_init(&s, LINEAGE_ASSET_SPEC_VERSION);
	s.key = "warehouse.hr.people";
	s.description = "Staff directory";
	TU_OK(lineage_asset_upsert(NULL, NULL, db, &s));
	l = search(db, "employees", NULL);
	ck_assert_uint_eq(lineage_asset_list_total(l), 0);
	lineage_asset_list_free(l);
	l = search(db, "staff", NULL);
	ck_assert_uint_eq(lineage_asset_list_total(l), 1);
	lineage_asset_list_free(l);
	TU_OK(lineage_asset_remove(db, "warehouse.hr.people", 0));
	l = search(db, "staff", NULL);
	ck_assert_uint_eq(lineage_asset_list_total(l), 0);
	lineage_asset_list_free(l);
	lineage_db_close(db);
}
END_TEST

START_TEST(inside_a_transaction)
{
	lineage_db *db = tu_open_temp();
	lineage_asset_list *l;
	int64_t batch;
	setup(db);
	TU_OK(lineage_db_begin(db, NULL));
	add(db, "zoo.zebra", "table", NULL, "Stripes", NULL);
	l = search(db, "zebra", NULL); /* its own writes are found */
	ck_assert_uint_eq(lineage_asset_list_total(l), 1);
	lineage_asset_list_free(l);
	add(db, "zoo.zebu", "table", NULL, NULL, NULL);
	TU_OK(lineage_db_rollback(db));
	l = search(db, "zebra", NULL);
	ck_assert_uint_eq(lineage_asset_list_total(l), 0);
	lineage_asset_list_free(l);
	l = search(db, "zeb", NULL);
	ck_assert_uint_eq(lineage_asset_list_total(l), 0);
	lineage_asset_list_free(l);

	/* Removed, then restored by a revert with the same id. */
	TU_OK(lineage_asset_remove(db, "warehouse.hr.people", 0));
	batch = lineage_db_batch_id(db);
	l = search(db, "employees", NULL);
	ck_assert_uint_eq(lineage_asset_list_total(l), 0);
	lineage_asset_list_free(l);
	TU_OK(lineage_batch_revert(db, batch));
	l = search(db, "employees", NULL);
	ck_assert_uint_eq(lineage_asset_list_total(l), 1);
	lineage_asset_list_free(l);
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("search");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, words_and_ranking);
	tcase_add_test(tc, filters_and_paging);
	tcase_add_test(tc, hostile_text);
	tcase_add_test(tc, index_follows_changes);
	tcase_add_test(tc, inside_a_transaction);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
