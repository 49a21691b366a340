/*
 * lineage_db_copy on a real PostgreSQL server ($LINEAGE_TEST_PG): a store with everything a
 * copy must carry (kinds, parents named before they exist, every edge state, text that COPY
 * must escape, a rejected edge, batches and the audit trail) goes SQLite -> PostgreSQL ->
 * SQLite, SQLite -> SQLite and PostgreSQL -> PostgreSQL and comes out the same, as seen
 * through the public API; history, revert, search and new ids carry on on the copy; a
 * cancelled copy and a non-empty destination leave the destination as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "testutil.h"

static const char *uri;
static char token_text[256]; /* the active API token of the last store filled */

static const char *fresh_schema(void)
{
	static char name[49];
	static int counter;
	struct timeval tv;
	gettimeofday(&tv, NULL);
	snprintf(name, sizeof name, "c%d_%d_%lld", (int)getpid(), counter++,
		 (long long)tv.tv_sec * 1000000 + tv.tv_usec);
	return name;
}

static lineage_db *open_pg(const char *schema, unsigned int flags)
{
	lineage_open_options o;
	lineage_db *db = NULL;
	TU_OK(lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION));
	o.pg_schema = schema;
	o.flags = flags;
	TU_OK(lineage_db_open(&db, uri, &o));
	return db;
}

static lineage_db *open_file(const char *path)
{
	lineage_db *db = NULL;
	TU_OK(lineage_db_open(&db, path, NULL));
	return db;
}

static void upsert_asset(lineage_db *db, const char *key, const char *kind, const char *parent,
			 const char *description, const char *props)
{
	lineage_asset_spec a;
	static const char *const tags[] = {"pii", "gold tier"};
	TU_OK(lineage_asset_spec_init(&a, LINEAGE_ASSET_SPEC_VERSION));
	a.key = key;
	a.kind = kind;
	a.parent_key = parent;
	a.description = description;
	a.properties_json = props;
	if (description) {
		a.tags = tags;
		a.tag_count = 2;
		a.tags_set = 1;
		a.owner = "data-team";
	}
	TU_OK(lineage_asset_upsert(NULL, NULL, db, &a));
}

static int64_t add_edge(lineage_db *db, const char *src, const char *dst, lineage_source source,
			double confidence, const char *kind, const char *job)
{
	lineage_edge_spec e;
	int64_t id = 0;
	TU_OK(lineage_edge_spec_init(&e, LINEAGE_EDGE_SPEC_VERSION));
	e.source_key = src;
	e.target_key = dst;
	e.lineage_source = source;
	e.confidence = confidence;
	e.kind = kind;
	e.job_key = job;
	e.create_missing = 1;
	e.transformation = "SELECT *\n\tFROM \"x\" -- \\N is not NULL\r\n";
	e.evidence_json = "{\"file\":\"models/x.sql\",\"line\":3}";
	e.origin = "scan:dbt";
	TU_OK(lineage_edge_upsert(NULL, &id, db, &e));
	return id;
}

/* A store with everything a copy must carry; `bulk` more assets and edges in one batch
 * (several of the destination's write chunks). */
static void fill(lineage_db *db, int bulk)
{
	char a[64], b[64];
	int64_t rejected;
	TU_OK(lineage_edge_kind_define(db, "feeds", 1, 0));
	TU_OK(lineage_asset_kind_define(db, "dashboard"));
	TU_OK(lineage_db_begin(db, "first load"));
	upsert_asset(db, "wh", "database", NULL, NULL, NULL);
	upsert_asset(db, "wh.sales", "schema", "wh", NULL, NULL);
	upsert_asset(db, "wh.sales.orders", "table", "wh.sales",
		     "Orders\twith a tab, a\nnewline, a \\ backslash, \\N and \xc3\xa9t\xc3\xa9",
		     "{\"rows\": 12345678901, \"ratio\": 0.1, \"nested\": {\"a\": [1, null]}}");
	upsert_asset(db, "bi.revenue", "dashboard", NULL, NULL, NULL);
	add_edge(db, "wh.sales.orders", "bi.revenue", LINEAGE_SOURCE_MANUAL, -1, NULL, NULL);
	add_edge(db, "raw.orders", "wh.sales.orders", LINEAGE_SOURCE_INFERRED, 1.0 / 3.0, "feeds", "job.load");
	add_edge(db, "wh.sales.orders", "wh.sales.orders", LINEAGE_SOURCE_APPROVED, 0.7, "update", NULL);
	TU_OK(lineage_db_commit(db));
	rejected = add_edge(db, "raw.customers", "wh.sales.orders", LINEAGE_SOURCE_INFERRED, 0.2, NULL, NULL);
	TU_OK(lineage_edge_reject(db, rejected, "reviewer", "not\treal"));
	/* a child whose parent comes later: a higher id than the child's */
	upsert_asset(db, "late.child", "table", NULL, NULL, NULL);
	upsert_asset(db, "late.parent", "schema", NULL, NULL, NULL);
	upsert_asset(db, "late.child", NULL, "late.parent", NULL, NULL);
	TU_OK(lineage_asset_remove(db, "bi.revenue", LINEAGE_REMOVE_CASCADE));
	{ /* API tokens: one active, one revoked (only their digests are stored) */
		char *text = NULL;
		int64_t id = 0;
		TU_OK(lineage_token_create(&text, NULL, db, "ci-bot", "editor", 0));
		snprintf(token_text, sizeof token_text, "%s", text);
		lineage_free(text);
		TU_OK(lineage_token_create(&text, &id, db, "old-bot", "viewer", 0));
		lineage_free(text);
		TU_OK(lineage_token_revoke(db, id));
	}
	{ /* an OpenLineage run (the runs table) */
		static const char *const events[] = {
			"{\"eventType\":\"START\",\"eventTime\":\"2026-12-05T10:00:00Z\","
			"\"producer\":\"t\",\"run\":{\"runId\":\"0193a5f0-7e2e-7000-8000-000000000009\"},"
			"\"job\":{\"namespace\":\"af\",\"name\":\"load\"},\"inputs\":[{\"namespace\":"
			"\"pg\",\"name\":\"a\"}],\"outputs\":[{\"namespace\":\"pg\",\"name\":\"b\"}]}",
			"{\"eventType\":\"COMPLETE\",\"eventTime\":\"2026-12-05T10:02:00Z\","
			"\"producer\":\"t\",\"run\":{\"runId\":\"0193a5f0-7e2e-7000-8000-000000000009\"},"
			"\"job\":{\"namespace\":\"af\",\"name\":\"load\"}}"};
		lineage_ol_ingest *ing = NULL;
		TU_OK(lineage_ol_ingest_new(&ing, db, NULL));
		for (size_t i = 0; i < 2; i++)
			TU_OK(lineage_ol_ingest_event(NULL, ing, events[i], strlen(events[i])));
		lineage_ol_ingest_free(ing);
	}
	/* saved views (the views table), one with text COPY must escape */
	TU_OK(lineage_view_save(db, "orders", "{\"root\":\"wh.sales.orders\",\"depth\":2,"
				"\"positions\":{\"wh.sales.orders\":{\"x\":12.5,\"y\":-3}}}",
				LINEAGE_VIEW_CREATE));
	TU_OK(lineage_view_save(db, "sales \\N \xc3\xa9t\xc3\xa9", "{\"note\":\"a\\nb\\t\\\\\"}", LINEAGE_VIEW_CREATE));
	TU_OK(lineage_db_begin(db, "bulk"));
	for (int i = 0; i < bulk; i++) {
		snprintf(a, sizeof a, "bulk.src_%05d", i);
		snprintf(b, sizeof b, "bulk.dst_%05d", i % 97);
		add_edge(db, a, b, i % 3 ? LINEAGE_SOURCE_INFERRED : LINEAGE_SOURCE_MANUAL, -1, NULL, NULL);
	}
	TU_OK(lineage_db_commit(db));
}

static int dump_asset(const lineage_asset *asset, void *payload)
{
	char *json = NULL;
	TU_OK(lineage_asset_to_json(&json, asset));
	fprintf(payload, "%s\n", json);
	lineage_free(json);
	return 0;
}

static int dump_edge(const lineage_edge *edge, void *payload)
{
	char *json = NULL;
	TU_OK(lineage_edge_to_json(&json, edge));
	fprintf(payload, "%s\n", json);
	lineage_free(json);
	return 0;
}

/* Everything the public API shows of a store, ids and the audit trail included. */
static char *dump(lineage_db *db)
{
	char *out = NULL, *json = NULL;
	size_t len = 0;
	int64_t seq = 0, last = 0;
	FILE *f = open_memstream(&out, &len);
	lineage_export_options eo;
	lineage_change_list *changes = NULL;
	ck_assert_ptr_nonnull(f);
	TU_OK(lineage_export_options_init(&eo, LINEAGE_EXPORT_OPTIONS_VERSION));
	eo.format = LINEAGE_FORMAT_JSON;
	TU_OK(lineage_export_buffer(&json, NULL, db, NULL, &eo));
	fprintf(f, "%s\n", json);
	lineage_free(json);
	TU_OK(lineage_asset_foreach(db, dump_asset, f));
	TU_OK(lineage_edge_foreach(db, LINEAGE_EDGES_ALL_STATUS, dump_edge, f));
	TU_OK(lineage_changes_last_seq(&last, db));
	fprintf(f, "last_seq %lld\n", (long long)last);
	do {
		TU_OK(lineage_changes_since(&changes, db, seq, 500));
		size_t n = lineage_change_list_count(changes);
		if (n) {
			TU_OK(lineage_change_list_to_json(&json, changes));
			fprintf(f, "%s\n", json);
			lineage_free(json);
			seq = lineage_change_list_get(changes, n - 1)->seq;
		}
		lineage_change_list_free(changes);
		if (!n)
			break;
	} while (1);
	ck_assert_int_eq(seq, last);
	TU_OK(lineage_token_list_json(&json, db));
	fprintf(f, "%s\n", json);
	lineage_free(json);
	TU_OK(lineage_job_runs_json(&json, db, "af/load", 0)); /* the runs table travels */
	ck_assert_ptr_nonnull(strstr(json, "\"completed\""));
	fprintf(f, "%s\n", json);
	lineage_free(json);
	TU_OK(lineage_view_list(&json, db, 0, 0)); /* the saved views travel */
	ck_assert_ptr_nonnull(strstr(json, "\"total\":2}"));
	fprintf(f, "%s\n", json);
	lineage_free(json);
	TU_OK(lineage_view_get(&json, db, "orders"));
	ck_assert_ptr_nonnull(strstr(json, "\"x\":12.5"));
	fprintf(f, "%s\n", json);
	lineage_free(json);
	TU_OK(lineage_view_get(&json, db, "sales \\N \xc3\xa9t\xc3\xa9"));
	fprintf(f, "%s\n", json);
	lineage_free(json);
	int self = -1, cycles = -1; /* a kind's rules travel too */
	TU_OK(lineage_edge_kind_rules(db, "feeds", &self, &cycles));
	fprintf(f, "feeds %d %d\n", self, cycles);
	fclose(f);
	return out;
}

static void assert_same(lineage_db *a, lineage_db *b)
{
	char *da = dump(a), *db = dump(b);
	ck_assert_msg(strlen(da) > 1000, "the dump is too small to compare: %s", da);
	if (strcmp(da, db)) {
		size_t i = 0;
		while (da[i] && da[i] == db[i])
			i++;
		ck_abort_msg("the copy differs at byte %zu:\n  source: %.200s\n  copy:   %.200s", i,
			     da + (i > 60 ? i - 60 : 0), db + (i > 60 ? i - 60 : 0));
	}
	free(da);
	free(db);
}

static lineage_copy_options copy_opts(const char *src_schema, const char *dest_schema)
{
	lineage_copy_options o;
	TU_OK(lineage_copy_options_init(&o, LINEAGE_COPY_OPTIONS_VERSION));
	o.src_pg_schema = src_schema;
	o.dest_pg_schema = dest_schema;
	return o;
}

static const char *make_source(int bulk)
{
	static int counter;
	char name[32];
	snprintf(name, sizeof name, "src%d.db", counter++);
	const char *path = tu_path(name);
	lineage_db *db = open_file(path);
	fill(db, bulk);
	lineage_db_close(db);
	return path;
}

START_TEST(round_trip_sqlite_postgres_sqlite)
{
	char src[4096], pg_schema[49], pg2_schema[49];
	const char *back = tu_path("back.db"), *twin = tu_path("twin.db");
	snprintf(src, sizeof src, "%s", make_source(1500));
	snprintf(pg_schema, sizeof pg_schema, "%s", fresh_schema());
	snprintf(pg2_schema, sizeof pg2_schema, "%s", fresh_schema());
	lineage_copy_options o = copy_opts(NULL, pg_schema);
	TU_OK(lineage_db_copy(src, uri, &o));
	o = copy_opts(pg_schema, NULL);
	TU_OK(lineage_db_copy(uri, back, &o));
	o = copy_opts(NULL, NULL);
	TU_OK(lineage_db_copy(src, twin, &o));
	o = copy_opts(pg_schema, pg2_schema);
	TU_OK(lineage_db_copy(uri, uri, &o));

	lineage_db *s = open_file(src), *p = open_pg(pg_schema, 0), *p2 = open_pg(pg2_schema, 0);
	lineage_db *bk = open_file(back), *tw = open_file(twin);
	assert_same(s, p);
	assert_same(s, bk);
	assert_same(s, tw);
	assert_same(s, p2);
	lineage_db_close(s);
	lineage_db_close(p);
	lineage_db_close(p2);
	lineage_db_close(bk);
	lineage_db_close(tw);
}
END_TEST

/* On each copy, new writes continue the ids and seqs, revert undoes a copied batch, and
 * search finds copied assets. */
static void carries_on(lineage_db *db)
{
	int64_t last = 0, seq = 0, id = 0, before = 0;
	lineage_asset_list *found = NULL;
	lineage_edge *e = NULL;
	lineage_change_list *changes = NULL;
	TU_OK(lineage_changes_last_seq(&last, db));
	TU_OK(lineage_asset_search(&found, db, "backslash", NULL));
	ck_assert_uint_eq(lineage_asset_list_count(found), 1);
	ck_assert_str_eq(lineage_asset_list_get(found, 0)->key, "wh.sales.orders");
	lineage_asset_list_free(found);
	/* the copied token still opens the door */
	lineage_token *tok = NULL;
	TU_OK(lineage_token_verify(&tok, db, token_text));
	ck_assert_str_eq(tok->user, "ci-bot");
	lineage_token_free(tok);
	/* the last batch (the bulk load) reverts: its edges go */
	TU_OK(lineage_changes_since(&changes, db, last - 1, 1));
	int64_t bulk_batch = lineage_change_list_get(changes, 0)->batch_id;
	lineage_change_list_free(changes);
	TU_OK(lineage_edge_find(&e, db, "bulk.src_00001", "bulk.dst_00001", NULL, NULL));
	lineage_edge_free(e);
	TU_OK(lineage_batch_revert(db, bulk_batch));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_edge_find(&e, db, "bulk.src_00001", "bulk.dst_00001", NULL, NULL));
	TU_OK(lineage_changes_last_seq(&seq, db));
	ck_assert_int_gt(seq, last);
	/* a new edge gets the next id after the copied ones */
	lineage_edge_find(&e, db, "raw.customers", "wh.sales.orders", NULL, NULL);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->status, LINEAGE_EDGE_REJECTED);
	before = e->id;
	lineage_edge_free(e);
	id = add_edge(db, "new.a", "new.b", LINEAGE_SOURCE_MANUAL, -1, NULL, NULL);
	ck_assert_int_gt(id, before);
	/* inference still cannot revive the copied rejection */
	add_edge(db, "raw.customers", "wh.sales.orders", LINEAGE_SOURCE_INFERRED, 0.9, NULL, NULL);
	TU_OK(lineage_edge_find(&e, db, "raw.customers", "wh.sales.orders", NULL, NULL));
	ck_assert_int_eq(e->status, LINEAGE_EDGE_REJECTED);
	lineage_edge_free(e);
}

START_TEST(copies_carry_on)
{
	char src[4096], pg_schema[49];
	const char *back = tu_path("carry.db");
	snprintf(src, sizeof src, "%s", make_source(50));
	snprintf(pg_schema, sizeof pg_schema, "%s", fresh_schema());
	lineage_copy_options o = copy_opts(NULL, pg_schema);
	TU_OK(lineage_db_copy(src, uri, &o));
	o = copy_opts(pg_schema, NULL);
	TU_OK(lineage_db_copy(uri, back, &o));
	lineage_db *p = open_pg(pg_schema, 0), *bk = open_file(back);
	carries_on(p);
	carries_on(bk);
	lineage_db_close(p);
	lineage_db_close(bk);
}
END_TEST

typedef struct progress_log {
	uint64_t calls, last_done, total, stop_after;
	int backwards;
} progress_log;

static int on_progress(const char *stage, uint64_t done, uint64_t total, void *payload)
{
	progress_log *log = payload;
	ck_assert_str_eq(stage, "copy");
	if (done < log->last_done)
		log->backwards = 1;
	log->calls++;
	log->last_done = done;
	log->total = total;
	return log->stop_after && done >= log->stop_after;
}

START_TEST(progress_counts_every_row)
{
	char pg_schema[49];
	const char *src = make_source(1500);
	progress_log log = {0};
	snprintf(pg_schema, sizeof pg_schema, "%s", fresh_schema());
	lineage_copy_options o = copy_opts(NULL, pg_schema);
	o.progress = on_progress;
	o.payload = &log;
	TU_OK(lineage_db_copy(src, uri, &o));
	ck_assert_int_eq(log.backwards, 0);
	ck_assert_uint_gt(log.calls, 2);
	ck_assert_uint_eq(log.last_done, log.total);
	lineage_db *p = open_pg(pg_schema, LINEAGE_OPEN_READONLY);
	/* assets + edges + batches + changes + kinds */
	long long rows = 0;
	char *stats = NULL;
	TU_OK(lineage_db_stats_json(&stats, p));
	ck_assert_ptr_nonnull(strstr(stats, "\"assets\":"));
	rows = strtoll(strstr(stats, "\"assets\":") + 9, NULL, 10) +
	       strtoll(strstr(stats, "\"edges\":") + 8, NULL, 10) +
	       strtoll(strstr(stats, "\"changes\":") + 10, NULL, 10);
	ck_assert_uint_gt(log.total, (uint64_t)rows);
	lineage_free(stats);
	lineage_db_close(p);
}
END_TEST

START_TEST(cancelled_copy_leaves_the_destination_as_it_was)
{
	char src[4096], pg_schema[49];
	const char *file = tu_path("cancelled.db");
	progress_log log = {0, 0, 0, 4000, 0};
	snprintf(src, sizeof src, "%s", make_source(1500));
	snprintf(pg_schema, sizeof pg_schema, "%s", fresh_schema());
	lineage_copy_options o = copy_opts(NULL, pg_schema);
	o.progress = on_progress;
	o.payload = &log;
	/* into PostgreSQL: cancelled in the middle of the edges */
	TU_FAILS(LINEAGE_ECANCELLED, lineage_db_copy(src, uri, &o));
	lineage_db *p = open_pg(pg_schema, 0);
	int64_t last = -1;
	TU_OK(lineage_changes_last_seq(&last, p));
	ck_assert_int_eq(last, 0);
	lineage_asset *a = NULL;
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_asset_get(&a, p, "wh"));
	int self = -1, cycles = -1; /* the built-in kinds are back */
	TU_OK(lineage_edge_kind_rules(p, "update", &self, &cycles));
	ck_assert_int_eq(self, 1);
	lineage_db_close(p);
	/* into a new file: no file is left */
	log.last_done = 0;
	o = copy_opts(NULL, NULL);
	o.progress = on_progress;
	o.payload = &log;
	TU_FAILS(LINEAGE_ECANCELLED, lineage_db_copy(src, file, &o));
	ck_assert_int_ne(access(file, F_OK), 0);
	/* and the same copies go through afterwards */
	log.stop_after = 0;
	o = copy_opts(NULL, pg_schema);
	TU_OK(lineage_db_copy(src, uri, &o));
	o = copy_opts(NULL, NULL);
	TU_OK(lineage_db_copy(src, file, &o));
	lineage_db *s = open_file(src);
	p = open_pg(pg_schema, 0);
	lineage_db *f = open_file(file);
	assert_same(s, p);
	assert_same(s, f);
	lineage_db_close(s);
	lineage_db_close(p);
	lineage_db_close(f);
}
END_TEST

START_TEST(non_empty_destination_is_refused)
{
	char src[4096], pg_schema[49];
	const char *file = tu_path("used.db");
	int64_t last = 0, after = 0;
	snprintf(src, sizeof src, "%s", make_source(10));
	snprintf(pg_schema, sizeof pg_schema, "%s", fresh_schema());
	lineage_db *p = open_pg(pg_schema, 0), *f = open_file(file);
	tu_asset(p, "already.here", "table", NULL);
	tu_asset(f, "already.here", "table", NULL);
	TU_OK(lineage_changes_last_seq(&last, p));
	lineage_copy_options o = copy_opts(NULL, pg_schema);
	TU_FAILS(LINEAGE_EEXISTS, lineage_db_copy(src, uri, &o));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "not empty"));
	o = copy_opts(NULL, NULL);
	TU_FAILS(LINEAGE_EEXISTS, lineage_db_copy(src, file, &o));
	/* both as they were: the one asset, the same seq, the built-in kinds */
	TU_OK(lineage_changes_last_seq(&after, p));
	ck_assert_int_eq(after, last);
	lineage_asset *a = NULL;
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_asset_get(&a, p, "wh"));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_asset_get(&a, f, "wh"));
	TU_OK(lineage_asset_get(&a, f, "already.here"));
	lineage_asset_free(a);
	int self = -1, cycles = -1;
	TU_OK(lineage_edge_kind_rules(f, "incremental", &self, &cycles));
	ck_assert_int_eq(self, 1);
	lineage_db_close(p);
	lineage_db_close(f);
}
END_TEST

START_TEST(bad_arguments)
{
	const char *missing = tu_path("missing.db"), *dest = tu_path("never.db");
	const char *src = make_source(0);
	lineage_copy_options o = copy_opts(NULL, NULL);
	TU_FAILS(LINEAGE_EINVALID, lineage_db_copy(src, src, &o));
	TU_FAILS(LINEAGE_EINVALID, lineage_db_copy(uri, uri, &o));
	TU_FAILS(LINEAGE_EINVALID, lineage_db_copy(src, ":memory:", &o));
	TU_FAILS(LINEAGE_EINVALID, lineage_db_copy(src, NULL, &o));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_db_copy(missing, dest, &o));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "source"));
	ck_assert_int_ne(access(missing, F_OK), 0);
	ck_assert_int_ne(access(dest, F_OK), 0);
	o.version = 99;
	TU_FAILS(LINEAGE_EINVALID, lineage_db_copy(src, dest, &o));
	TU_FAILS(LINEAGE_EINVALID, lineage_copy_options_init(&o, 99));
	/* a schema name libpq-side validation refuses */
	o = copy_opts(NULL, "Bad-Schema");
	TU_FAILS(LINEAGE_EINVALID, lineage_db_copy(src, uri, &o));
}
END_TEST

int main(void)
{
	Suite *s;
	TCase *tc;
	uri = tu_server_uri_or_exit("LINEAGE_TEST_PG");
	s = suite_create("pg_copy");
	tc = tcase_create("copy");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, round_trip_sqlite_postgres_sqlite);
	tcase_add_test(tc, copies_carry_on);
	tcase_add_test(tc, progress_counts_every_row);
	tcase_add_test(tc, cancelled_copy_leaves_the_destination_as_it_was);
	tcase_add_test(tc, non_empty_destination_is_refused);
	tcase_add_test(tc, bad_arguments);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
