/* Asset kinds (built in or declared) and the hints that let each surface word its own fix. */
#include <string.h>

#include "testutil.h"

static int add(lineage_db *db, const char *key, const char *kind)
{
	lineage_asset_spec s;
	lineage_asset_spec_init(&s, LINEAGE_ASSET_SPEC_VERSION);
	s.key = key;
	s.kind = kind;
	return lineage_asset_upsert(NULL, NULL, db, &s);
}

START_TEST(undeclared_kind_is_refused_with_the_closest)
{
	lineage_db *db = tu_open_memory();
	lineage_asset *a = NULL;
	const lineage_error *e;
	TU_FAILS(LINEAGE_EINVALID, add(db, "wh.orders", "tabel"));
	e = lineage_error_last();
	ck_assert_int_eq(e->hint, LINEAGE_HINT_DECLARE_ASSET_KIND);
	ck_assert_str_eq(e->hint_arg, "tabel");
	ck_assert_str_eq(e->problem, "asset kind \"tabel\" is not declared (did you mean \"table\"?)");
	/* the C message keeps the C advice */
	ck_assert_str_eq(e->message, "asset kind \"tabel\" is not declared (did you mean \"table\"?): "
				     "declare it first with lineage_asset_kind_define(db, \"tabel\")");
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_asset_get(&a, db, "wh.orders"));
	/* nothing close: no guess, the built-in kinds instead */
	TU_FAILS(LINEAGE_EINVALID, add(db, "k.orders", "stream"));
	ck_assert_ptr_null(strstr(lineage_error_last()->problem, "did you mean"));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->problem, "built-in kinds are"));
	/* every built-in kind works without a declaration */
	static const char *const builtin[] = {"application", "column", "dag", "dashboard",
		"database", "dataset", "file", "folder", "foreign_table", "job", "materialized_view",
		"model", "notebook", "pipeline", "project", "report", "run", "schema", "system",
		"table", "task", "topic", "unknown", "view"};
	for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
		TU_OK(add(db, builtin[i], builtin[i]));
	TU_OK(lineage_asset_kind_check(db, "view"));
	TU_FAILS(LINEAGE_EINVALID, lineage_asset_kind_check(db, "veiw"));
	/* a query's kind filter that no asset can match is refused, not answered with nothing */
	{
		lineage_query_options qo;
		lineage_result *r = NULL;
		const char *kinds[] = {"table", "dashbord"};
		lineage_query_options_init(&qo, LINEAGE_QUERY_OPTIONS_VERSION);
		qo.asset_kinds = kinds;
		qo.asset_kind_count = 2;
		TU_FAILS(LINEAGE_EINVALID, lineage_query_downstream(&r, db, "table", &qo));
		ck_assert_ptr_nonnull(strstr(lineage_error_last()->problem, "did you mean \"dashboard\"?"));
		kinds[1] = "dashboard";
		TU_OK(lineage_query_downstream(&r, db, "table", &qo));
		lineage_result_free(r);
	}
	lineage_db_close(db);
}
END_TEST

START_TEST(declared_kind_is_accepted_and_listed)
{
	lineage_db *db = tu_open_memory();
	lineage_edge_spec es;
	char *json = NULL;
	TU_OK(lineage_asset_kind_define(db, "stream"));
	TU_OK(lineage_asset_kind_define(db, "stream"));
	TU_OK(lineage_asset_kind_define(db, "table")); /* built in: nothing to do */
	TU_OK(add(db, "kafka.orders", "stream"));
	TU_FAILS(LINEAGE_EINVALID, lineage_asset_kind_define(db, ""));
	/* the kinds of assets an edge creates are checked too */
	lineage_edge_spec_init(&es, LINEAGE_EDGE_SPEC_VERSION);
	es.source_key = "kafka.orders";
	es.target_key = "kafka.refunds";
	es.create_missing = 1;
	es.target_kind = "streem";
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_upsert(NULL, NULL, db, &es));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->problem, "did you mean \"stream\"?"));
	es.target_kind = "stream";
	TU_OK(lineage_edge_upsert(NULL, NULL, db, &es));
	TU_OK(lineage_asset_kinds_json(&json, db));
	ck_assert_ptr_nonnull(strstr(json, "[{\"name\":\"application\",\"builtin\":true},"));
	ck_assert_ptr_nonnull(strstr(json, "{\"name\":\"stream\",\"builtin\":false},{\"name\":\"system\""));
	ck_assert_ptr_null(strstr(json, "\"table\",\"builtin\":false"));
	lineage_free(json);
	lineage_db_close(db);
}
END_TEST

/* Another handle's declaration is seen; a rolled-back one is forgotten. */
START_TEST(declarations_follow_the_database)
{
	const char *path = tu_path("kinds.db");
	lineage_db *a = NULL, *b = NULL;
	TU_OK(lineage_db_open(&a, path, NULL));
	TU_OK(lineage_db_open(&b, path, NULL));
	TU_OK(lineage_asset_kind_define(a, "metric"));
	TU_OK(add(b, "kpi.revenue", "metric"));

	TU_OK(lineage_db_begin(a, "try"));
	TU_OK(lineage_asset_kind_define(a, "feature"));
	TU_OK(add(a, "ml.f1", "feature"));
	TU_OK(lineage_db_rollback(a));
	TU_FAILS(LINEAGE_EINVALID, add(a, "ml.f1", "feature"));
	TU_FAILS(LINEAGE_EINVALID, add(b, "ml.f1", "feature"));
	lineage_db_close(a);
	lineage_db_close(b);
}
END_TEST

#define E lineage_error_last()

/* Each error whose C message names a C function or constant as its fix carries a hint,
 * and its problem names none. */
START_TEST(hints_of_user_facing_errors)
{
	const char *path = tu_path("hints.db");
	lineage_db *db = NULL, *ro = NULL;
	lineage_open_options o;
	lineage_result *r = NULL;
	lineage_edge_spec es;
	lineage_asset_spec as;

	TU_OK(lineage_db_open(&db, path, NULL));
	TU_OK(add(db, "wh", "database"));
	lineage_asset_spec_init(&as, LINEAGE_ASSET_SPEC_VERSION);
	as.key = "wh.t";
	as.kind = "table";
	as.parent_key = "wh";
	TU_OK(lineage_asset_upsert(NULL, NULL, db, &as));

	TU_FAILS(LINEAGE_ENOTFOUND, lineage_query_upstream(&r, db, "wh.x", NULL));
	ck_assert_int_eq(E->hint, LINEAGE_HINT_FIND_ASSET);
	ck_assert_str_eq(E->hint_arg, "wh.x");
	ck_assert_str_eq(E->problem, "no asset with key \"wh.x\"");
	ck_assert_ptr_nonnull(strstr(E->message, "lineage_asset_search()"));

	TU_FAILS(LINEAGE_ECONFLICT, lineage_asset_remove(db, "wh", 0));
	ck_assert_int_eq(E->hint, LINEAGE_HINT_REMOVE_CASCADE);
	ck_assert_ptr_nonnull(strstr(E->message, "LINEAGE_REMOVE_CASCADE"));

	lineage_edge_spec_init(&es, LINEAGE_EDGE_SPEC_VERSION);
	es.source_key = es.target_key = "wh.t";
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_upsert(NULL, NULL, db, &es));
	ck_assert_int_eq(E->hint, LINEAGE_HINT_DECLARE_EDGE_KIND);
	ck_assert_str_eq(E->hint_arg, "flow");

	es.target_key = "ghost";
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_edge_upsert(NULL, NULL, db, &es));
	ck_assert_int_eq(E->hint, LINEAGE_HINT_CREATE_MISSING);
	ck_assert_str_eq(E->hint_arg, "ghost");

	TU_FAILS(LINEAGE_ENOTFOUND, lineage_batch_revert(db, 424242));
	ck_assert_int_eq(E->hint, LINEAGE_HINT_BATCH_IDS);
	TU_FAILS(LINEAGE_EUSAGE, lineage_db_commit(db));
	ck_assert_int_eq(E->hint, LINEAGE_HINT_BEGIN);

	/* inside a transaction, the failing call's savepoint rollback keeps the hint */
	TU_OK(lineage_db_begin(db, NULL));
	TU_FAILS(LINEAGE_EINVALID, add(db, "x", "tabel"));
	ck_assert_int_eq(E->hint, LINEAGE_HINT_DECLARE_ASSET_KIND);
	TU_OK(lineage_db_rollback(db));
	lineage_db_close(db);

	lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION);
	o.flags = LINEAGE_OPEN_READONLY;
	TU_OK(lineage_db_open(&ro, path, &o));
	TU_FAILS(LINEAGE_EREADONLY, add(ro, "y", "table"));
	ck_assert_int_eq(E->hint, LINEAGE_HINT_OPEN_WRITABLE);
	lineage_db_close(ro);
	o.flags = LINEAGE_OPEN_NOCREATE;
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_db_open(&ro, tu_path("none.db"), &o));
	ck_assert_int_eq(E->hint, LINEAGE_HINT_OPEN_CREATE);

	/* errors of C misuse have no hint, and problem is the whole message */
	TU_FAILS(LINEAGE_EUSAGE, lineage_asset_upsert(NULL, NULL, NULL, NULL));
	ck_assert_int_eq(E->hint, LINEAGE_HINT_NONE);
	ck_assert_str_eq(E->problem, E->message);
	lineage_error_clear();
	ck_assert_int_eq(lineage_error_last()->hint, LINEAGE_HINT_NONE);
	ck_assert_str_eq(lineage_error_last()->problem, "no error");
	ck_assert_str_eq(lineage_error_last()->hint_arg, "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kinds");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, undeclared_kind_is_refused_with_the_closest);
	tcase_add_test(tc, declared_kind_is_accepted_and_listed);
	tcase_add_test(tc, declarations_follow_the_database);
	tcase_add_test(tc, hints_of_user_facing_errors);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
