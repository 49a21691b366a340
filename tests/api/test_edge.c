/* Edges: upsert and every merge rule, review, removal, retire by origin, lists, JSON. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static lineage_edge_spec espec(const char *src, const char *dst, lineage_source source)
{
	lineage_edge_spec s;
	lineage_edge_spec_init(&s, LINEAGE_EDGE_SPEC_VERSION);
	s.source_key = src;
	s.target_key = dst;
	s.lineage_source = source;
	s.create_missing = 1;
	return s;
}

static lineage_edge *get(lineage_db *db, int64_t id)
{
	lineage_edge *e = NULL;
	TU_OK(lineage_edge_get(&e, db, id));
	return e;
}

static lineage_outcome upsert(lineage_db *db, const lineage_edge_spec *s, int64_t *id)
{
	lineage_outcome o = 0;
	TU_OK(lineage_edge_upsert(&o, id, db, s));
	return o;
}

START_TEST(create_and_identity)
{
	lineage_db *db = tu_open_memory();
	lineage_edge_spec s = espec("a", "b", LINEAGE_SOURCE_ANY);
	lineage_edge *e;
	lineage_asset *a;
	int64_t id = 0, id2 = 0, id3 = 0;

	s.source_kind = "table";
	ck_assert_int_eq(upsert(db, &s, &id), LINEAGE_CREATED);
	e = get(db, id);
	ck_assert_str_eq(e->source_key, "a");
	ck_assert_str_eq(e->target_key, "b");
	ck_assert_str_eq(e->kind, "flow");
	ck_assert_ptr_null(e->job_key);
	ck_assert_int_eq(e->lineage_source, LINEAGE_SOURCE_MANUAL);
	ck_assert(e->confidence == 1.0);
	ck_assert_int_eq(e->status, LINEAGE_EDGE_ACTIVE);
	ck_assert_str_eq(e->properties_json, "{}");
	ck_assert_uint_eq(strlen(e->content_hash), 16);
	lineage_edge_free(e);
	TU_OK(lineage_asset_get(&a, db, "a"));
	ck_assert_str_eq(a->kind, "table");
	lineage_asset_free(a);
	TU_OK(lineage_asset_get(&a, db, "b"));
	ck_assert_str_eq(a->kind, "unknown");
	lineage_asset_free(a);

	ck_assert_int_eq(upsert(db, &s, &id2), LINEAGE_UNCHANGED);
	ck_assert_int_eq(id, id2);
	/* Another job or kind is another edge. */
	s.job_key = "etl.load";
	ck_assert_int_eq(upsert(db, &s, &id2), LINEAGE_CREATED);
	ck_assert_int_ne(id, id2);
	s.job_key = NULL;
	s.kind = "copy";
	ck_assert_int_eq(upsert(db, &s, &id3), LINEAGE_CREATED);
	ck_assert_int_ne(id3, id2);

	TU_OK(lineage_edge_find(&e, db, "a", "b", NULL, NULL));
	ck_assert_int_eq(e->id, id);
	lineage_edge_free(e);
	TU_OK(lineage_edge_find(&e, db, "a", "b", "flow", "etl.load"));
	ck_assert_int_eq(e->id, id2);
	ck_assert_str_eq(e->job_key, "etl.load");
	lineage_edge_free(e);
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_edge_find(&e, db, "b", "a", NULL, NULL));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_edge_find(&e, db, "zz", "a", NULL, NULL));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_edge_get(&e, db, 999));
	lineage_db_close(db);
}
END_TEST

START_TEST(invalid_input)
{
	lineage_db *db = tu_open_memory();
	lineage_edge_spec s = espec("a", "b", LINEAGE_SOURCE_MANUAL);
	lineage_edge *e = NULL;

	s.create_missing = 0;
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_edge_upsert(NULL, NULL, db, &s));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "\"a\""));
	s.create_missing = 1;
	s.confidence = 1.5;
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_upsert(NULL, NULL, db, &s));
	s.confidence = NAN;
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_upsert(NULL, NULL, db, &s));
	s.confidence = -1;
	s.lineage_source = (lineage_source)7;
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_upsert(NULL, NULL, db, &s));
	s.lineage_source = LINEAGE_SOURCE_MANUAL;
	s.properties_json = "[]";
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_upsert(NULL, NULL, db, &s));
	s.properties_json = NULL;
	s.evidence_json = "{bad";
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_upsert(NULL, NULL, db, &s));
	s.evidence_json = NULL;
	s.source_key = "";
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_upsert(NULL, NULL, db, &s));
	s.source_key = "a\x01";
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_upsert(NULL, NULL, db, &s));
	/* Self-loops: refused for flow, allowed for update. */
	s.source_key = "b";
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_upsert(NULL, NULL, db, &s));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "update"));
	s.kind = "update";
	TU_OK(lineage_edge_upsert(NULL, NULL, db, &s));
	s.kind = "mine";
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_upsert(NULL, NULL, db, &s));
	TU_OK(lineage_edge_kind_define(db, "mine", 1, 0));
	TU_OK(lineage_edge_upsert(NULL, NULL, db, &s));
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_upsert(NULL, NULL, db, NULL));
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_spec_init(&s, 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_find(&e, db, "a", "", NULL, NULL));
	lineage_db_close(db);
}
END_TEST

START_TEST(merge_inferred_never_touches_manual)
{
	lineage_db *db = tu_open_memory();
	lineage_edge_spec m = espec("a", "b", LINEAGE_SOURCE_MANUAL);
	lineage_edge_spec i = espec("a", "b", LINEAGE_SOURCE_INFERRED);
	lineage_edge *e;
	int64_t id, id2;

	m.description = "declared";
	upsert(db, &m, &id);
	i.description = "guessed";
	i.confidence = 0.3;
	ck_assert_int_eq(upsert(db, &i, &id2), LINEAGE_UNCHANGED);
	ck_assert_int_eq(id, id2);
	e = get(db, id);
	ck_assert_int_eq(e->lineage_source, LINEAGE_SOURCE_MANUAL);
	ck_assert_str_eq(e->description, "declared");
	ck_assert(e->confidence == 1.0);
	lineage_edge_free(e);
	/* Nor an approved one. */
	TU_OK(lineage_edge_approve(db, id, "rev", NULL));
	ck_assert_int_eq(upsert(db, &i, NULL), LINEAGE_UNCHANGED);
	e = get(db, id);
	ck_assert_int_eq(e->lineage_source, LINEAGE_SOURCE_APPROVED);
	lineage_edge_free(e);
	lineage_db_close(db);
}
END_TEST

START_TEST(merge_manual_keeps_approved)
{
	lineage_db *db = tu_open_memory();
	lineage_edge_spec m = espec("a", "b", LINEAGE_SOURCE_MANUAL);
	lineage_edge *e;
	int64_t id;

	upsert(db, &m, &id);
	TU_OK(lineage_edge_approve(db, id, "rev", "looks right"));
	m.description = "more detail";
	ck_assert_int_eq(upsert(db, &m, NULL), LINEAGE_UPDATED);
	e = get(db, id);
	ck_assert_int_eq(e->lineage_source, LINEAGE_SOURCE_APPROVED);
	ck_assert_str_eq(e->description, "more detail");
	ck_assert_str_eq(e->reviewed_by, "rev");
	ck_assert_str_eq(e->review_comment, "looks right");
	ck_assert_int_gt(e->reviewed_at_ms, 0);
	lineage_edge_free(e);
	lineage_db_close(db);
}
END_TEST

START_TEST(merge_inferred_upgrades)
{
	lineage_db *db = tu_open_memory();
	lineage_edge_spec i = espec("a", "b", LINEAGE_SOURCE_INFERRED);
	lineage_edge_spec m = espec("a", "b", LINEAGE_SOURCE_MANUAL);
	lineage_edge *e;
	int64_t id;

	ck_assert_int_eq(upsert(db, &i, &id), LINEAGE_CREATED);
	e = get(db, id);
	ck_assert(e->confidence == 0.5);
	ck_assert_int_eq(e->lineage_source, LINEAGE_SOURCE_INFERRED);
	lineage_edge_free(e);
	i.confidence = 0.8;
	ck_assert_int_eq(upsert(db, &i, NULL), LINEAGE_UPDATED);
	ck_assert_int_eq(upsert(db, &i, NULL), LINEAGE_UNCHANGED);
	ck_assert_int_eq(upsert(db, &m, NULL), LINEAGE_UPDATED);
	e = get(db, id);
	ck_assert_int_eq(e->lineage_source, LINEAGE_SOURCE_MANUAL);
	ck_assert(e->confidence == 1.0);
	lineage_edge_free(e);
	/* Approved input makes it approved. */
	m.lineage_source = LINEAGE_SOURCE_APPROVED;
	ck_assert_int_eq(upsert(db, &m, NULL), LINEAGE_UPDATED);
	e = get(db, id);
	ck_assert_int_eq(e->lineage_source, LINEAGE_SOURCE_APPROVED);
	lineage_edge_free(e);
	lineage_db_close(db);
}
END_TEST

START_TEST(rejected_stays_rejected)
{
	lineage_db *db = tu_open_memory();
	lineage_edge_spec i = espec("a", "b", LINEAGE_SOURCE_INFERRED);
	lineage_edge_spec m = espec("a", "b", LINEAGE_SOURCE_MANUAL);
	lineage_edge_list *pending = NULL;
	lineage_edge *e;
	int64_t id, last = 0, last2 = 0;

	upsert(db, &i, &id);
	TU_OK(lineage_edge_list_pending(&pending, db, 0));
	ck_assert_uint_eq(lineage_edge_list_count(pending), 1);
	lineage_edge_list_free(pending);
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_reject(db, id, NULL, NULL));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_edge_reject(db, 999, "rev", NULL));
	TU_OK(lineage_edge_reject(db, id, "rev", "wrong join"));
	e = get(db, id);
	ck_assert_int_eq(e->status, LINEAGE_EDGE_REJECTED);
	ck_assert_str_eq(e->reviewed_by, "rev");
	lineage_edge_free(e);
	TU_OK(lineage_edge_list_pending(&pending, db, 10));
	ck_assert_uint_eq(lineage_edge_list_count(pending), 0);
	lineage_edge_list_free(pending);

	/* Inferred again, even with new details: stays rejected, nothing recorded. */
	TU_OK(lineage_changes_last_seq(&last, db));
	i.confidence = 0.9;
	i.description = "again";
	ck_assert_int_eq(upsert(db, &i, NULL), LINEAGE_UNCHANGED);
	TU_OK(lineage_changes_last_seq(&last2, db));
	ck_assert_int_eq(last, last2);
	e = get(db, id);
	ck_assert_int_eq(e->status, LINEAGE_EDGE_REJECTED);
	lineage_edge_free(e);

	/* Manual input revives it. */
	ck_assert_int_eq(upsert(db, &m, NULL), LINEAGE_UPDATED);
	e = get(db, id);
	ck_assert_int_eq(e->status, LINEAGE_EDGE_ACTIVE);
	lineage_edge_free(e);
	/* And approve revives a rejected one too. */
	TU_OK(lineage_edge_reject(db, id, "rev", NULL));
	TU_OK(lineage_edge_approve(db, id, "boss", NULL));
	e = get(db, id);
	ck_assert_int_eq(e->status, LINEAGE_EDGE_ACTIVE);
	ck_assert_int_eq(e->lineage_source, LINEAGE_SOURCE_APPROVED);
	ck_assert(e->confidence == 1.0);
	ck_assert_str_eq(e->reviewed_by, "boss");
	lineage_edge_free(e);
	lineage_db_close(db);
}
END_TEST

START_TEST(retire_origin_and_revive)
{
	lineage_db *db = tu_open_memory();
	lineage_edge_spec i = espec("a", "b", LINEAGE_SOURCE_INFERRED);
	lineage_edge_spec j = espec("a", "c", LINEAGE_SOURCE_INFERRED);
	lineage_edge_spec other = espec("x", "y", LINEAGE_SOURCE_INFERRED);
	lineage_edge_spec manual = espec("a", "m", LINEAGE_SOURCE_MANUAL);
	lineage_edge *e;
	int64_t ab, ac, xy, am, keep[1];
	size_t n = 99;

	i.origin = j.origin = manual.origin = "scan:sql:load.sql";
	other.origin = "scan:sql:other.sql";
	upsert(db, &i, &ab);
	upsert(db, &j, &ac);
	upsert(db, &other, &xy);
	upsert(db, &manual, &am);

	/* A re-scan finds a->b again (unchanged) but not a->c. */
	ck_assert_int_eq(upsert(db, &i, &keep[0]), LINEAGE_UNCHANGED);
	TU_OK(lineage_edge_retire_origin(&n, db, "scan:sql:load.sql", keep, 1));
	ck_assert_uint_eq(n, 1);
	e = get(db, ac);
	ck_assert_int_eq(e->status, LINEAGE_EDGE_RETIRED);
	lineage_edge_free(e);
	e = get(db, ab);
	ck_assert_int_eq(e->status, LINEAGE_EDGE_ACTIVE);
	lineage_edge_free(e);
	e = get(db, xy); /* another origin */
	ck_assert_int_eq(e->status, LINEAGE_EDGE_ACTIVE);
	lineage_edge_free(e);
	e = get(db, am); /* manual edges are never retired */
	ck_assert_int_eq(e->status, LINEAGE_EDGE_ACTIVE);
	lineage_edge_free(e);
	/* Retiring again finds nothing more (retired ones are left alone). */
	TU_OK(lineage_edge_retire_origin(&n, db, "scan:sql:load.sql", keep, 1));
	ck_assert_uint_eq(n, 0);

	/* Reported again: active again. */
	ck_assert_int_eq(upsert(db, &j, NULL), LINEAGE_UPDATED);
	e = get(db, ac);
	ck_assert_int_eq(e->status, LINEAGE_EDGE_ACTIVE);
	lineage_edge_free(e);
	/* An empty run retires every inferred edge of the origin. */
	TU_OK(lineage_edge_retire_origin(&n, db, "scan:sql:load.sql", NULL, 0));
	ck_assert_uint_eq(n, 2);
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_retire_origin(&n, db, "", NULL, 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_retire_origin(&n, db, "o", NULL, 3));
	TU_OK(lineage_edge_retire_origin(&n, db, "nobody", NULL, 0));
	ck_assert_uint_eq(n, 0);
	lineage_db_close(db);
}
END_TEST

START_TEST(fields_and_hash)
{
	lineage_db *db = tu_open_memory();
	lineage_edge_spec s = espec("a", "b", LINEAGE_SOURCE_MANUAL);
	lineage_edge *e;
	char *hash, *json = NULL;
	int64_t id;

	s.transformation_type = "aggregate";
	s.transformation = "SELECT sum(x) FROM a";
	s.properties_json = "{\"z\": 1, \"a\": 2}";
	s.evidence_json = "{\"file\": \"load.sql\", \"line\": 3}";
	s.origin = "import:x";
	upsert(db, &s, &id);
	e = get(db, id);
	ck_assert_str_eq(e->properties_json, "{\"a\":2,\"z\":1}");
	ck_assert_str_eq(e->evidence_json, "{\"file\":\"load.sql\",\"line\":3}");
	ck_assert_str_eq(e->origin, "import:x");
	hash = strdup(e->content_hash);
	TU_OK(lineage_edge_to_json(&json, e));
	ck_assert_ptr_nonnull(strstr(json, "\"lineage_source\":\"manual\""));
	ck_assert_ptr_nonnull(strstr(json, "\"status\":\"active\""));
	ck_assert_ptr_nonnull(strstr(json, "\"confidence\":1"));
	ck_assert_ptr_nonnull(strstr(json, "\"reviewed_at\":null"));
	ck_assert_ptr_nonnull(strstr(json, "\"evidence\":{\"file\":\"load.sql\",\"line\":3}"));
	lineage_free(json);
	lineage_edge_free(e);

	/* NULL keeps the stored text; a new transformation changes the hash. */
	s = espec("a", "b", LINEAGE_SOURCE_MANUAL);
	ck_assert_int_eq(upsert(db, &s, NULL), LINEAGE_UNCHANGED);
	s.transformation = "SELECT max(x) FROM a";
	ck_assert_int_eq(upsert(db, &s, NULL), LINEAGE_UPDATED);
	e = get(db, id);
	ck_assert_str_ne(e->content_hash, hash);
	ck_assert_str_eq(e->transformation_type, "aggregate");
	lineage_edge_free(e);
	free(hash);
	lineage_db_close(db);
}
END_TEST

START_TEST(remove_and_lists)
{
	lineage_db *db = tu_open_memory();
	lineage_edge_list *l = NULL;
	char *json = NULL;
	int64_t ab, bc;

	tu_asset(db, "a", "table", NULL);
	tu_asset(db, "b", "table", NULL);
	tu_asset(db, "c", "table", NULL);
	ab = tu_edge(db, "a", "b");
	bc = tu_edge(db, "b", "c");
	TU_OK(lineage_edge_list_for_asset(&l, db, "b", LINEAGE_EDGES_IN | LINEAGE_EDGES_OUT));
	ck_assert_uint_eq(lineage_edge_list_count(l), 2);
	ck_assert_int_eq(lineage_edge_list_get(l, 0)->id, ab);
	ck_assert_ptr_null(lineage_edge_list_get(l, 2));
	TU_OK(lineage_edge_list_to_json(&json, l));
	ck_assert(!strncmp(json, "{\"edges\":[{", 11));
	lineage_free(json);
	lineage_edge_list_free(l);
	TU_OK(lineage_edge_list_for_asset(&l, db, "b", LINEAGE_EDGES_IN));
	ck_assert_uint_eq(lineage_edge_list_count(l), 1);
	lineage_edge_list_free(l);
	TU_OK(lineage_edge_reject(db, bc, "r", NULL));
	TU_OK(lineage_edge_list_for_asset(&l, db, "b", LINEAGE_EDGES_OUT));
	ck_assert_uint_eq(lineage_edge_list_count(l), 0);
	lineage_edge_list_free(l);
	TU_OK(lineage_edge_list_for_asset(&l, db, "b", LINEAGE_EDGES_OUT | LINEAGE_EDGES_ALL_STATUS));
	ck_assert_uint_eq(lineage_edge_list_count(l), 1);
	lineage_edge_list_free(l);
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_edge_list_for_asset(&l, db, "zz", 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_list_for_asset(&l, db, "b", 0x100));

	TU_OK(lineage_edge_remove(db, ab));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_edge_remove(db, ab));
	lineage_edge_list_free(NULL);
	lineage_edge_free(NULL);
	lineage_db_close(db);
}
END_TEST

START_TEST(kinds)
{
	lineage_db *db = tu_open_memory();
	int self = -1, cycles = -1;
	TU_OK(lineage_edge_kind_rules(db, "flow", &self, &cycles));
	ck_assert_int_eq(self, 0);
	ck_assert_int_eq(cycles, 1);
	TU_OK(lineage_edge_kind_rules(db, "incremental", &self, &cycles));
	ck_assert_int_eq(self, 1);
	TU_OK(lineage_edge_kind_rules(db, "never-declared", &self, &cycles));
	ck_assert_int_eq(self, 0);
	ck_assert_int_eq(cycles, 1);
	TU_OK(lineage_edge_kind_define(db, "dag", 0, 0));
	TU_OK(lineage_edge_kind_rules(db, "dag", &self, &cycles));
	ck_assert_int_eq(cycles, 0);
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_kind_define(db, "", 0, 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_edge_kind_rules(db, NULL, &self, &cycles));
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("edge");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, create_and_identity);
	tcase_add_test(tc, invalid_input);
	tcase_add_test(tc, merge_inferred_never_touches_manual);
	tcase_add_test(tc, merge_manual_keeps_approved);
	tcase_add_test(tc, merge_inferred_upgrades);
	tcase_add_test(tc, rejected_stays_rejected);
	tcase_add_test(tc, retire_origin_and_revive);
	tcase_add_test(tc, fields_and_hash);
	tcase_add_test(tc, remove_and_lists);
	tcase_add_test(tc, kinds);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
