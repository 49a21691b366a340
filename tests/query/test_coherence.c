/* The engine follows every kind of write: many writes (compaction), kind and containment
 * changes, deletes, another handle's deletes. */
#include <stdio.h>
#include <string.h>

#include "api/db_internal.h"
#include "engine/engine.h"
#include "testutil.h"

static const lineage_node *node(const lineage_result *r, const char *key)
{
	for (size_t i = 0; i < lineage_result_node_count(r); i++)
		if (!strcmp(lineage_result_node(r, i)->key, key))
			return lineage_result_node(r, i);
	return NULL;
}

static size_t count_down(lineage_db *db, const char *key)
{
	lineage_result *r = NULL;
	size_t n;
	TU_OK(lineage_query_downstream(&r, db, key, NULL));
	n = lineage_result_node_count(r);
	lineage_result_free(r);
	return n;
}

START_TEST(many_writes_compact_the_overlay)
{
	lineage_db *db = tu_open_temp();
	lin_engine_stats st;
	char a[32], b[32];
	tu_asset(db, "n0", "table", NULL);
	ck_assert_uint_eq(count_down(db, "n0"), 1);
	TU_OK(lineage_db_begin(db, "chain"));
	for (int i = 1; i <= 5000; i++) {
		lineage_edge_spec spec;
		snprintf(a, sizeof a, "n%d", i - 1);
		snprintf(b, sizeof b, "n%d", i);
		lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
		spec.source_key = a;
		spec.target_key = b;
		spec.create_missing = 1;
		spec.target_kind = "table";
		TU_OK(lineage_edge_upsert(NULL, NULL, db, &spec));
	}
	TU_OK(lineage_db_commit(db));
	ck_assert_uint_eq(count_down(db, "n0"), 5001);
	lin_engine_get_stats(db, &st);
	ck_assert_int_eq((int)st.full_builds, 1);
	ck_assert_int_eq((int)st.compactions, 1);
	ck_assert_int_eq(st.overlay, 0);
	ck_assert_int_eq(st.edges, 5000);
	/* and after compaction, writes still land in the overlay */
	tu_asset(db, "tail", "table", NULL);
	tu_edge(db, "n5000", "tail");
	ck_assert_uint_eq(count_down(db, "n4990"), 12);
	lin_engine_get_stats(db, &st);
	ck_assert_int_gt(st.overlay, 0);
	lineage_db_close(db);
}
END_TEST

START_TEST(kind_and_containment_changes)
{
	lineage_db *db = tu_open_temp();
	lineage_result *r = NULL;
	lineage_query_options o;
	lineage_asset_spec spec;
	lineage_edge_spec es;
	const char *tables[] = {"table"};
	lineage_edge_spec_init(&es, LINEAGE_EDGE_SPEC_VERSION);
	es.source_key = "a";
	es.target_key = "b";
	es.create_missing = 1;
	TU_OK(lineage_edge_upsert(NULL, NULL, db, &es));
	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.asset_kinds = tables;
	o.asset_kind_count = 1;
	TU_OK(lineage_query_downstream(&r, db, "a", &o));
	ck_assert_uint_eq(lineage_result_node_count(r), 1);
	ck_assert_str_eq(lineage_result_node(r, 0)->kind, "unknown");
	lineage_result_free(r);
	/* "unknown" becomes "table" */
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = "b";
	spec.kind = "table";
	TU_OK(lineage_asset_upsert(NULL, NULL, db, &spec));
	TU_OK(lineage_query_downstream(&r, db, "a", &o));
	ck_assert_uint_eq(lineage_result_node_count(r), 2);
	ck_assert_str_eq(node(r, "b")->kind, "table");
	lineage_result_free(r);

	/* containment: a column added to b shows in children, subtree and impact */
	tu_asset(db, "b.x", "column", "b");
	TU_OK(lineage_query_structure(&r, db, LINEAGE_STRUCT_CHILDREN, "b", NULL));
	ck_assert_uint_eq(lineage_result_node_count(r), 1);
	ck_assert_str_eq(lineage_result_node(r, 0)->key, "b.x");
	lineage_result_free(r);
	tu_asset(db, "c", "table", NULL);
	tu_asset(db, "c.y", "column", "c");
	tu_edge(db, "b.x", "c.y");
	TU_OK(lineage_query_impact(&r, db, "b", LINEAGE_CHANGE_RENAME, NULL));
	ck_assert_ptr_nonnull(node(r, "c.y"));
	ck_assert_ptr_nonnull(node(r, "c"));
	ck_assert_int_eq(node(r, "c")->distance, 1);
	lineage_result_free(r);
	o.asset_kinds = NULL;
	o.asset_kind_count = 0;
	o.columns = LINEAGE_COLUMNS_ROLLUP;
	TU_OK(lineage_query_impact(&r, db, "b", LINEAGE_CHANGE_DROP, &o));
	ck_assert_uint_eq(lineage_result_node_count(r), 1);
	ck_assert_str_eq(lineage_result_node(r, 0)->key, "c");
	lineage_result_free(r);
	o.columns = LINEAGE_COLUMNS_EXCLUDE;
	TU_FAILS(LINEAGE_EINVALID, lineage_query_impact(&r, db, "b.x", LINEAGE_CHANGE_DROP, &o));
	TU_OK(lineage_query_impact(&r, db, "b", LINEAGE_CHANGE_DROP, &o));
	ck_assert_uint_eq(lineage_result_node_count(r), 0);
	lineage_result_free(r);
	/* removing the table with its columns drops their edges */
	TU_OK(lineage_asset_remove(db, "b", LINEAGE_REMOVE_CASCADE));
	TU_OK(lineage_query_upstream(&r, db, "c.y", NULL));
	ck_assert_uint_eq(lineage_result_node_count(r), 1);
	lineage_result_free(r);
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_query_structure(&r, db, LINEAGE_STRUCT_CHILDREN, "b", NULL));
	{
		lin_engine_stats st;
		lin_engine_get_stats(db, &st);
		ck_assert_int_eq((int)st.full_builds, 1);
	}
	lineage_db_close(db);
}
END_TEST

START_TEST(other_handle_deletes_and_readonly)
{
	lineage_db *a = tu_open_temp(), *b = NULL;
	lineage_open_options oo;
	lin_engine_stats st;
	int64_t e;
	tu_asset(a, "x", "table", NULL);
	tu_asset(a, "y", "table", NULL);
	e = tu_edge(a, "x", "y");
	lineage_open_options_init(&oo, LINEAGE_OPEN_OPTIONS_VERSION);
	oo.flags = LINEAGE_OPEN_READONLY;
	b = tu_open_same(a, &oo);
	ck_assert_uint_eq(count_down(b, "x"), 2);
	TU_OK(lineage_edge_remove(a, e));
	ck_assert_uint_eq(count_down(b, "x"), 1);
	TU_OK(lineage_asset_remove(a, "y", 0));
	{
		lineage_result *r = NULL;
		TU_FAILS(LINEAGE_ENOTFOUND, lineage_query_downstream(&r, b, "y", NULL));
	}
	lin_engine_get_stats(b, &st);
	ck_assert_int_eq((int)st.full_builds, 1);
	ck_assert_int_eq(st.vertices, 1);
	/* nothing changed: the engine is not touched */
	ck_assert_uint_eq(count_down(b, "x"), 1);
	lin_engine_get_stats(b, &st);
	ck_assert_int_eq((int)st.incremental_syncs, 2);
	lineage_db_close(b);
	lineage_db_close(a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("query_coherence");
	TCase *tc = tcase_create("coherence");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, many_writes_compact_the_overlay);
	tcase_add_test(tc, kind_and_containment_changes);
	tcase_add_test(tc, other_handle_deletes_and_readonly);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
