/* Impact confidences: best products, the link from a column to its table counting as 1,
 * whichever of a table and its column the walk reaches first (docs/engine.md). */
#include <string.h>

#include "testutil.h"

static void edge(lineage_db *db, const char *src, const char *dst, lineage_source source,
		 double confidence)
{
	lineage_edge_spec spec;
	TU_OK(lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION));
	spec.source_key = src;
	spec.target_key = dst;
	spec.lineage_source = source;
	spec.confidence = confidence;
	TU_OK(lineage_edge_upsert(NULL, NULL, db, &spec));
}

static double confidence_of(lineage_db *db, const char *root, const char *key)
{
	lineage_result *r = NULL;
	double c = -1;
	TU_OK(lineage_query_impact(&r, db, root, LINEAGE_CHANGE_MODIFY, NULL));
	for (size_t i = 0; i < lineage_result_node_count(r); i++)
		if (!strcmp(lineage_result_node(r, i)->key, key))
			c = lineage_result_node(r, i)->confidence;
	lineage_result_free(r);
	return c;
}

START_TEST(table_reached_directly_and_through_its_column_takes_the_better)
{
	lineage_db *db = tu_open_temp();
	tu_asset(db, "a", "table", NULL);
	tu_asset(db, "a.x", "column", "a");
	tu_asset(db, "t", "table", NULL);
	tu_asset(db, "t.c", "column", "t");
	/* t first reached by the inferred table edge, then its column by a manual one. */
	edge(db, "a", "t", LINEAGE_SOURCE_INFERRED, 0.79);
	edge(db, "a.x", "t.c", LINEAGE_SOURCE_MANUAL, 1.0);
	ck_assert_double_eq_tol(confidence_of(db, "a", "t.c"), 1.0, 1e-9);
	ck_assert_double_eq_tol(confidence_of(db, "a", "t"), 1.0, 1e-9);
	/* Reached one hop further too: u after t. */
	tu_asset(db, "u", "table", NULL);
	edge(db, "t", "u", LINEAGE_SOURCE_INFERRED, 0.5);
	ck_assert_double_eq_tol(confidence_of(db, "a", "u"), 0.5, 1e-9);
	lineage_db_close(db);
}
END_TEST

START_TEST(column_reached_first_then_its_table_directly)
{
	lineage_db *db = tu_open_temp();
	tu_asset(db, "a", "table", NULL);
	tu_asset(db, "a.x", "column", "a");
	tu_asset(db, "m", "table", NULL);
	tu_asset(db, "t", "table", NULL);
	tu_asset(db, "t.c", "column", "t");
	/* The column is reached at distance 1, the table directly only at distance 2. */
	edge(db, "a.x", "t.c", LINEAGE_SOURCE_INFERRED, 0.6);
	edge(db, "a", "m", LINEAGE_SOURCE_MANUAL, 1.0);
	edge(db, "m", "t", LINEAGE_SOURCE_MANUAL, 1.0);
	ck_assert_double_eq_tol(confidence_of(db, "a", "t"), 1.0, 1e-9);
	ck_assert_double_eq_tol(confidence_of(db, "a", "t.c"), 0.6, 1e-9);
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("query_impact_confidence");
	TCase *tc = tcase_create("impact");
	tcase_add_test(tc, table_reached_directly_and_through_its_column_takes_the_better);
	tcase_add_test(tc, column_reached_first_then_its_table_directly);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
