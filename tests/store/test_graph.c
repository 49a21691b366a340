/* The engine-facing part of the storage interface (lib/store/store.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "api/db_internal.h"

typedef struct seen {
	int64_t ids[64];
	int64_t other[64];
	char kinds[64][16];
	int n;
	int stop_at;
} seen;

static int on_vertex(const lin_vertex_row *row, void *payload)
{
	seen *s = payload;
	s->ids[s->n] = row->id;
	s->other[s->n] = row->parent_id;
	snprintf(s->kinds[s->n], sizeof s->kinds[0], "%s", row->kind);
	s->n++;
	return s->n == s->stop_at ? 42 : 0;
}

static int on_edge(const lin_edge_row *row, void *payload)
{
	seen *s = payload;
	s->ids[s->n] = row->id;
	s->other[s->n] = row->source_id * 1000 + row->target_id;
	snprintf(s->kinds[s->n], sizeof s->kinds[0], "%s", row->kind);
	s->n++;
	return s->n == s->stop_at ? 42 : 0;
}

static int on_changed(int64_t seq, char entity, int64_t id, void *payload)
{
	seen *s = payload;
	s->ids[s->n] = id;
	s->other[s->n] = seq;
	s->kinds[s->n][0] = entity;
	s->kinds[s->n][1] = '\0';
	s->n++;
	return 0;
}

START_TEST(scans_and_sizes)
{
	lineage_db *db = tu_open_memory();
	int64_t a = tu_asset(db, "a", "table", NULL);
	int64_t c = tu_asset(db, "a.c", "column", "a");
	int64_t b = tu_asset(db, "b", "table", NULL);
	int64_t e1 = tu_edge(db, "a", "b"), e2;
	int64_t ac = 0, amax = 0, ec = 0, emax = 0;
	int64_t ids[3];
	seen s = {0};
	char *owner = (char *)"x";
	lineage_edge_spec spec;

	lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
	spec.source_key = "a.c";
	spec.target_key = "b";
	spec.job_key = "a";
	spec.kind = "copy";
	spec.lineage_source = LINEAGE_SOURCE_INFERRED;
	spec.confidence = 0.25;
	TU_OK(lineage_edge_upsert(NULL, &e2, db, &spec));

	TU_OK(lin_store_graph_size(db->store, &ac, &amax, &ec, &emax));
	ck_assert_int_eq(ac, 3);
	ck_assert_int_eq(amax, b);
	ck_assert_int_eq(ec, 2);
	ck_assert_int_eq(emax, e2);

	TU_OK(lin_store_scan_vertices(db->store, on_vertex, &s));
	ck_assert_int_eq(s.n, 3);
	ck_assert_int_eq(s.ids[0], a);
	ck_assert_int_eq(s.ids[1], c);
	ck_assert_int_eq(s.other[1], a);
	ck_assert_int_eq(s.other[0], 0);
	ck_assert_str_eq(s.kinds[1], "column");

	memset(&s, 0, sizeof s);
	s.stop_at = 1;
	ck_assert_int_eq(lin_store_scan_vertices(db->store, on_vertex, &s), 42);
	ck_assert_int_eq(s.n, 1);

	memset(&s, 0, sizeof s);
	TU_OK(lin_store_scan_edges(db->store, on_edge, &s));
	ck_assert_int_eq(s.n, 2);
	ck_assert_int_eq(s.ids[0], e1);
	ck_assert_int_eq(s.other[0], a * 1000 + b);
	ck_assert_str_eq(s.kinds[1], "copy");

	/* By id: missing ids are skipped. */
	ids[0] = b;
	ids[1] = 999;
	ids[2] = a;
	memset(&s, 0, sizeof s);
	TU_OK(lin_store_vertices_by_id(db->store, ids, 3, on_vertex, &s));
	ck_assert_int_eq(s.n, 2);
	ck_assert_int_eq(s.ids[0], b);
	ids[0] = e2;
	memset(&s, 0, sizeof s);
	TU_OK(lin_store_edges_by_id(db->store, ids, 2, on_edge, &s));
	ck_assert_int_eq(s.n, 1);

	TU_OK(lin_store_asset_owner(db->store, a, &owner));
	ck_assert_ptr_null(owner);
	lineage_db_close(db);
}
END_TEST

/* A row's fields as the engine sees them, checked on one edge. */
static int check_edge_row(const lin_edge_row *row, void *payload)
{
	(void)payload;
	ck_assert_int_eq(row->lineage_source, LINEAGE_SOURCE_INFERRED);
	ck_assert(row->confidence == 0.25);
	ck_assert_int_eq(row->status, LINEAGE_EDGE_ACTIVE);
	ck_assert_int_gt(row->job_id, 0);
	return 0;
}

START_TEST(edge_row_fields)
{
	lineage_db *db = tu_open_memory();
	lineage_edge_spec spec;
	lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
	spec.source_key = "s";
	spec.target_key = "t";
	spec.job_key = "j";
	spec.create_missing = 1;
	spec.lineage_source = LINEAGE_SOURCE_INFERRED;
	spec.confidence = 0.25;
	TU_OK(lineage_edge_upsert(NULL, NULL, db, &spec));
	TU_OK(lin_store_scan_edges(db->store, check_edge_row, NULL));
	lineage_db_close(db);
}
END_TEST

START_TEST(change_feed_and_data_version)
{
	const char *path = tu_path("feed.db");
	lineage_db *w = NULL, *r = NULL;
	uint64_t v0 = 0, v1 = 0, v2 = 0, v3 = 0;
	int64_t last = 0, a;
	seen s = {0};
	char *owner = NULL;
	lineage_asset_spec spec;

	TU_OK(lineage_db_open(&w, path, NULL));
	TU_OK(lineage_db_open(&r, path, NULL));
	TU_OK(lin_store_data_version(r->store, &v0));
	TU_OK(lin_store_data_version(w->store, &v1));
	a = tu_asset(w, "a", "table", NULL);
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = "a";
	spec.owner = "ana";
	TU_OK(lineage_asset_upsert(NULL, NULL, w, &spec));
	tu_asset(w, "b", "table", NULL);
	tu_edge(w, "a", "b");
	/* Both the writer and another connection see the version move. */
	TU_OK(lin_store_data_version(w->store, &v2));
	ck_assert(v2 != v1);
	TU_OK(lin_store_data_version(r->store, &v3));
	ck_assert(v3 != v0);
	TU_OK(lin_store_data_version(r->store, &v0));
	ck_assert(v0 == v3); /* and stays put without commits */

	TU_OK(lin_store_changed_since(r->store, 0, on_changed, &s, &last));
	ck_assert_int_eq(s.n, 4);
	ck_assert_str_eq(s.kinds[0], "a");
	ck_assert_int_eq(s.ids[0], a);
	ck_assert_str_eq(s.kinds[3], "e");
	ck_assert_int_eq(last, s.other[3]);
	memset(&s, 0, sizeof s);
	TU_OK(lin_store_changed_since(r->store, last, on_changed, &s, &last));
	ck_assert_int_eq(s.n, 0);
	ck_assert_int_eq(last, 4);
	TU_OK(lin_store_last_seq(r->store, &last));
	ck_assert_int_eq(last, 4);
	TU_OK(lin_store_asset_owner(r->store, a, &owner));
	ck_assert_str_eq(owner, "ana");
	free(owner);
	lineage_db_close(r);
	lineage_db_close(w);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("store_graph");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, scans_and_sizes);
	tcase_add_test(tc, edge_row_fields);
	tcase_add_test(tc, change_feed_and_data_version);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
