/* Live OpenLineage events: lineage, run states in any order, idempotence, refusals. */
#include <stdio.h>

#include "scan_testutil.h"

/* A RunEvent of job ns/name with one input and one output. */
static const char *event(const char *type, const char *time, const char *run, const char *job,
			 const char *input, const char *output)
{
	static char buf[2048];
	snprintf(buf, sizeof buf,
		 "{\"eventType\": \"%s\", \"eventTime\": \"%s\", \"producer\": \"https://example.com/test\","
		 " \"schemaURL\": \"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\","
		 " \"run\": {\"runId\": \"%s\"}, \"job\": {\"namespace\": \"etl\", \"name\": \"%s\"},"
		 " \"inputs\": [{\"namespace\": \"postgres://db:5432\", \"name\": \"%s\"}],"
		 " \"outputs\": [{\"namespace\": \"postgres://db:5432\", \"name\": \"%s\"}]}",
		 type, time, run, job, input, output);
	return buf;
}

static lineage_outcome send(lineage_ol_ingest *ing, const char *json)
{
	lineage_outcome o = 0;
	TU_OK(lineage_ol_ingest_event(&o, ing, json, strlen(json)));
	return o;
}

static int64_t last_seq(lineage_db *db)
{
	int64_t seq = 0;
	TU_OK(lineage_changes_last_seq(&seq, db));
	return seq;
}

/* The job's status and the value of a field of its property "run" ("" when absent). */
static void job_state(lineage_db *db, const char *key, char *status, size_t n)
{
	lineage_asset *a = NULL;
	TU_OK(lineage_asset_get(&a, db, key));
	snprintf(status, n, "%s", a->status ? a->status : "");
	lineage_asset_free(a);
}

static char *runs(lineage_db *db, const char *job)
{
	char *json = NULL;
	TU_OK(lineage_job_runs_json(&json, db, job, 0));
	return json;
}

START_TEST(start_then_complete_records_lineage_and_state)
{
	lineage_db *db = tu_open_memory();
	lineage_ol_ingest *ing = NULL;
	lineage_asset *job = NULL;
	char status[32], *json;
	TU_OK(lineage_ol_ingest_new(&ing, db, NULL));
	ck_assert_int_eq(send(ing, event("START", "2026-12-05T10:00:00.000Z", "r1", "load", "app.orders", "wh.orders")), LINEAGE_CREATED);
	job_state(db, "etl/load", status, sizeof status);
	ck_assert_str_eq(status, "running");
	ck_assert(has_edge(db, "app.orders", "wh.orders", NULL, "etl/load"));
	ck_assert_int_eq(send(ing, event("COMPLETE", "2026-12-05T11:00:01.500+01:00", "r1", "load", "app.orders", "wh.orders")), LINEAGE_UPDATED);
	job_state(db, "etl/load", status, sizeof status);
	ck_assert_str_eq(status, "completed");
	TU_OK(lineage_asset_get(&job, db, "etl/load"));
	ck_assert_ptr_nonnull(strstr(job->properties_json, "\"duration_ms\":1500"));
	ck_assert_ptr_nonnull(strstr(job->properties_json, "\"run_id\":\"r1\""));
	ck_assert_ptr_nonnull(strstr(job->properties_json, "\"started_at\":1796464800000"));
	lineage_asset_free(job);
	/* The run is a row of the runs table (schema 6), not an asset. */
	ck_assert_ptr_null(asset_kind(db, "etl/load/runs/r1"));
	json = runs(db, "etl/load");
	ck_assert_ptr_nonnull(strstr(json, "\"status\":\"completed\""));
	ck_assert_ptr_nonnull(strstr(json, "{\"run_id\":\"r1\",\"state\":\"completed\",\"started_at\":1796464800000,"
					   "\"ended_at\":1796464801500,\"duration_ms\":1500,\"updated_at\":1796464801500,"
					   "\"events\":{\"COMPLETE\":1796464801500,\"START\":1796464800000}}"));
	lineage_free(json);
	lineage_ol_ingest_free(ing);
	lineage_db_close(db);
}
END_TEST

START_TEST(the_same_event_twice_writes_nothing)
{
	lineage_db *db = tu_open_memory();
	lineage_ol_ingest *ing = NULL;
	const char *start;
	char copy[2048];
	int64_t seq;
	TU_OK(lineage_ol_ingest_new(&ing, db, NULL));
	snprintf(copy, sizeof copy, "%s", event("START", "2026-12-05T10:00:00Z", "r1", "load", "a.b", "c.d"));
	start = copy;
	send(ing, start);
	send(ing, event("COMPLETE", "2026-12-05T10:05:00Z", "r1", "load", "a.b", "c.d"));
	seq = last_seq(db);
	/* START again after COMPLETE, and COMPLETE again: nothing, not even a batch. */
	ck_assert_int_eq(send(ing, start), LINEAGE_UNCHANGED);
	ck_assert_int_eq(send(ing, event("COMPLETE", "2026-12-05T10:05:00Z", "r1", "load", "a.b", "c.d")), LINEAGE_UNCHANGED);
	ck_assert_int_eq(last_seq(db), seq);
	lineage_ol_ingest_free(ing);
	lineage_db_close(db);
}
END_TEST

START_TEST(event_time_wins_over_arrival_order)
{
	lineage_db *db = tu_open_memory();
	lineage_ol_ingest *ing = NULL;
	lineage_asset *job = NULL;
	char status[32], *json;
	TU_OK(lineage_ol_ingest_new(&ing, db, NULL));
	send(ing, event("COMPLETE", "2026-12-05T10:10:00Z", "r2", "load", "a.b", "c.d"));
	send(ing, event("RUNNING", "2026-12-05T10:05:00Z", "r2", "load", "a.b", "c.d"));
	send(ing, event("START", "2026-12-05T10:00:00Z", "r2", "load", "a.b", "c.d"));
	job_state(db, "etl/load", status, sizeof status);
	ck_assert_str_eq(status, "completed");
	TU_OK(lineage_asset_get(&job, db, "etl/load"));
	ck_assert_ptr_nonnull(strstr(job->properties_json, "\"duration_ms\":600000"));
	lineage_asset_free(job);
	/* An older run arriving late does not take over the job's state. */
	send(ing, event("FAIL", "2026-12-05T09:10:00Z", "r1", "load", "a.b", "c.d"));
	send(ing, event("START", "2026-12-05T09:00:00Z", "r1", "load", "a.b", "c.d"));
	job_state(db, "etl/load", status, sizeof status);
	ck_assert_str_eq(status, "completed");
	/* A newer run does, and the history lists both, newest first. */
	send(ing, event("START", "2026-12-05T11:00:00Z", "r3", "load", "a.b", "c.d"));
	send(ing, event("ABORT", "2026-12-05T11:01:00Z", "r3", "load", "a.b", "c.d"));
	job_state(db, "etl/load", status, sizeof status);
	ck_assert_str_eq(status, "aborted");
	json = runs(db, "etl/load");
	ck_assert_ptr_nonnull(strstr(json, "\"run_id\":\"r3\""));
	ck_assert(strstr(json, "\"r3\"") < strstr(json, "\"r2\""));
	ck_assert(strstr(json, "\"r2\"") < strstr(json, "\"r1\""));
	ck_assert_ptr_nonnull(strstr(json, "\"state\":\"failed\""));
	lineage_free(json);
	lineage_ol_ingest_free(ing);
	lineage_db_close(db);
}
END_TEST

START_TEST(a_completed_run_retires_what_earlier_runs_reported)
{
	lineage_db *db = tu_open_memory();
	lineage_ol_ingest *ing = NULL;
	lineage_edge *e = NULL;
	char *json = NULL;
	TU_OK(lineage_ol_ingest_new(&ing, db, NULL));
	send(ing, event("START", "2026-12-05T10:00:00Z", "r1", "load", "a.old", "c.d"));
	send(ing, event("COMPLETE", "2026-12-05T10:01:00Z", "r1", "load", "a.old", "c.d"));
	send(ing, event("START", "2026-12-05T11:00:00Z", "r2", "load", "a.new", "c.d"));
	/* Still running: the old lineage stays until the new run completes. */
	ck_assert(has_edge(db, "a.old", "c.d", NULL, "etl/load"));
	send(ing, event("COMPLETE", "2026-12-05T11:01:00Z", "r2", "load", "a.new", "c.d"));
	TU_OK(lineage_edge_find(&e, db, "a.old", "c.d", NULL, "etl/load"));
	ck_assert_int_eq(e->status, LINEAGE_EDGE_RETIRED);
	lineage_edge_free(e);
	ck_assert(has_edge(db, "a.new", "c.d", NULL, "etl/load"));
	TU_OK(lineage_ol_ingest_result_json(&json, ing));
	ck_assert_ptr_nonnull(strstr(json, "\"edges_retired\":1"));
	ck_assert_ptr_nonnull(strstr(json, "\"run_state\":\"completed\""));
	lineage_free(json);
	lineage_ol_ingest_free(ing);
	lineage_db_close(db);
}
END_TEST

static void refused(lineage_ol_ingest *ing, int code, const char *json, const char *needle)
{
	TU_FAILS(code, lineage_ol_ingest_event(NULL, ing, json, strlen(json)));
	ck_assert_msg(strstr(lineage_error_last()->message, needle), "message \"%s\" lacks \"%s\"",
		      lineage_error_last()->message, needle);
}

START_TEST(invalid_events_are_refused_and_write_nothing)
{
	lineage_db *db = tu_open_memory();
	lineage_ol_ingest *ing = NULL;
	lineage_ol_ingest_options opts;
	char *big;
	int64_t seq;
	TU_OK(lineage_ol_ingest_options_init(&opts, LINEAGE_OL_INGEST_OPTIONS_VERSION));
	opts.max_event_bytes = 1 << 20;
	TU_OK(lineage_ol_ingest_new(&ing, db, &opts));
	send(ing, event("START", "2026-12-05T10:00:00Z", "r1", "load", "a.b", "c.d"));
	seq = last_seq(db);
	refused(ing, LINEAGE_EINVALID, "{\"eventType\": \"START\", \"eventTime\": \"2026-12-05T10:00:00Z\", \"run\": {}, \"job\": {\"namespace\": \"etl\", \"name\": \"x\"}}", "run.runId is missing");
	refused(ing, LINEAGE_EINVALID, "{\"eventType\": 3, \"eventTime\": \"2026-12-05T10:00:00Z\", \"run\": {\"runId\": \"r\"}, \"job\": {\"namespace\": \"etl\", \"name\": \"x\"}}", "eventType must be one of");
	refused(ing, LINEAGE_EINVALID, "{\"eventType\": \"DONE\", \"eventTime\": \"2026-12-05T10:00:00Z\", \"run\": {\"runId\": \"r\"}, \"job\": {\"namespace\": \"etl\", \"name\": \"x\"}}", "START, RUNNING");
	refused(ing, LINEAGE_EINVALID, "{\"eventType\": \"START\", \"eventTime\": \"yesterday\", \"run\": {\"runId\": \"r\"}, \"job\": {\"namespace\": \"etl\", \"name\": \"x\"}}", "ISO 8601");
	refused(ing, LINEAGE_EINVALID, "{\"eventType\": \"START\", \"eventTime\": \"2026-02-30T10:00:00Z\", \"run\": {\"runId\": \"r\"}, \"job\": {\"namespace\": \"etl\", \"name\": \"x\"}}", "ISO 8601");
	refused(ing, LINEAGE_EINVALID, "{\"eventType\": \"START\", \"eventTime\": \"2026-12-05T10:00:00Z\", \"run\": {\"runId\": 7}, \"job\": {\"namespace\": \"etl\", \"name\": \"x\"}}", "run.runId is not a string");
	refused(ing, LINEAGE_EINVALID, "{\"eventType\": \"START\", \"eventTime\": \"2026-12-05T10:00:00Z\", \"run\": {\"runId\": \"r\"}, \"job\": {\"namespace\": \"etl\", \"name\": \"x\"}, \"inputs\": [{\"namespace\": \"n\"}]}", "inputs[0].name is missing");
	refused(ing, LINEAGE_EINVALID, "{\"eventType\": \"START\", \"eventTime\": \"2026-12-05T10:00:00Z\", \"run\": {\"runId\": \"r\"}, \"job\": \"etl.x\"}", "job is not an object");
	refused(ing, LINEAGE_EINVALID, "[1, 2]", "JSON object");
	refused(ing, LINEAGE_EPARSE, "{\"eventType\": ", "not valid JSON");
	big = malloc((2u << 20) + 1);
	memset(big, ' ', 2u << 20);
	big[2u << 20] = '\0';
	big[0] = '{';
	big[(2u << 20) - 1] = '}';
	refused(ing, LINEAGE_ELIMIT, big, "over the 1048576-byte limit");
	free(big);
	ck_assert_int_eq(last_seq(db), seq);
	ck_assert_ptr_null(asset_kind(db, "etl/x"));
	lineage_ol_ingest_free(ing);
	lineage_db_close(db);
}
END_TEST

START_TEST(inside_a_transaction_a_bad_event_undoes_only_itself)
{
	lineage_db *db = tu_open_memory();
	lineage_ol_ingest *ing = NULL;
	char *json;
	const char *bad = "{\"eventType\": \"START\", \"eventTime\": \"2026-12-05T10:00:00Z\", \"run\": {\"runId\": \"r9\"}, \"job\": {\"namespace\": \"etl\", \"name\": \"bad\"}, \"outputs\": [{\"namespace\": \"n\", \"name\": \" spaced \"}]}";
	TU_OK(lineage_ol_ingest_new(&ing, db, NULL));
	TU_OK(lineage_db_begin(db, "many events"));
	send(ing, event("START", "2026-12-05T10:00:00Z", "r1", "one", "a.b", "c.d"));
	(void)lineage_ol_ingest_event(NULL, ing, bad, strlen(bad)); /* refused or stored whole */
	send(ing, event("START", "2026-12-05T10:00:00Z", "r2", "two", "a.b", "e.f"));
	TU_OK(lineage_db_commit(db));
	ck_assert(has_edge(db, "a.b", "c.d", NULL, "etl/one"));
	ck_assert(has_edge(db, "a.b", "e.f", NULL, "etl/two"));
	json = runs(db, "etl/two");
	ck_assert_ptr_nonnull(strstr(json, "\"run_id\":\"r2\""));
	lineage_free(json);
	lineage_ol_ingest_free(ing);
	lineage_db_close(db);
}
END_TEST

START_TEST(job_and_dataset_events)
{
	lineage_db *db = tu_open_memory();
	lineage_ol_ingest *ing = NULL;
	char status[32];
	TU_OK(lineage_ol_ingest_new(&ing, db, NULL));
	send(ing, "{\"eventTime\": \"2026-12-05T10:00:00Z\", \"job\": {\"namespace\": \"etl\", \"name\": \"static\"},"
		  " \"inputs\": [{\"namespace\": \"kafka://b:9092\", \"name\": \"clicks\"}],"
		  " \"outputs\": [{\"namespace\": \"s3://lake\", \"name\": \"clicks/\"}]}");
	ck_assert(has_edge(db, "kafka://b:9092/clicks", "s3://lake/clicks/", NULL, "etl/static"));
	job_state(db, "etl/static", status, sizeof status);
	ck_assert_str_eq(status, ""); /* no run, no state */
	send(ing, "{\"eventTime\": \"2026-12-05T10:00:00Z\", \"dataset\": {\"namespace\": \"postgres://h:5432\", \"name\": \"db.s.t\","
		  " \"facets\": {\"schema\": {\"fields\": [{\"name\": \"id\", \"type\": \"int\"}]}}}}");
	ck_assert_str_eq(asset_kind(db, "db.s.t.id"), "column");
	lineage_ol_ingest_free(ing);
	lineage_db_close(db);
}
END_TEST

START_TEST(writes_from_elsewhere_and_rollbacks_are_not_skipped)
{
	lineage_db *db = tu_open_memory();
	lineage_ol_ingest *ing = NULL;
	lineage_edge *e = NULL;
	char *json;
	TU_OK(lineage_ol_ingest_new(&ing, db, NULL));
	send(ing, event("START", "2026-12-05T10:00:00Z", "r1", "load", "a.b", "c.d"));
	/* A person removes the edge; the next event reports it again and it is back. */
	TU_OK(lineage_edge_find(&e, db, "a.b", "c.d", NULL, "etl/load"));
	TU_OK(lineage_edge_remove(db, e->id));
	lineage_edge_free(e);
	send(ing, event("COMPLETE", "2026-12-05T10:01:00Z", "r1", "load", "a.b", "c.d"));
	ck_assert(has_edge(db, "a.b", "c.d", NULL, "etl/load"));
	/* An event rolled back with its transaction is written again when sent again. */
	TU_OK(lineage_db_begin(db, "undone"));
	send(ing, event("START", "2026-12-05T11:00:00Z", "r2", "load", "a.b", "x.y"));
	TU_OK(lineage_db_rollback(db));
	ck_assert_ptr_null(asset_kind(db, "x.y"));
	json = runs(db, "etl/load");
	ck_assert_ptr_null(strstr(json, "\"r2\"")); /* the run's row went with the transaction */
	lineage_free(json);
	send(ing, event("START", "2026-12-05T11:00:00Z", "r2", "load", "a.b", "x.y"));
	ck_assert(has_edge(db, "a.b", "x.y", NULL, "etl/load"));
	json = runs(db, "etl/load");
	ck_assert_ptr_nonnull(strstr(json, "\"runs\":[{\"run_id\":\"r2\",\"state\":\"running\""));
	lineage_free(json);
	lineage_ol_ingest_free(ing);
	lineage_db_close(db);
}
END_TEST

/* An old run's late event changes only its row: committed, though it writes no change row,
 * and the job keeps showing its latest run. Runs go with their job. */
START_TEST(a_late_event_of_an_old_run_updates_its_row_only)
{
	lineage_db *db = tu_open_memory();
	lineage_ol_ingest *ing = NULL;
	lineage_run_list *list = NULL;
	char status[32];
	int64_t seq;
	TU_OK(lineage_ol_ingest_new(&ing, db, NULL));
	send(ing, event("START", "2026-12-05T09:00:00Z", "r1", "load", "a.b", "c.d"));
	send(ing, event("START", "2026-12-05T10:00:00Z", "r2", "load", "a.b", "c.d"));
	seq = last_seq(db);
	ck_assert_int_eq(send(ing, event("FAIL", "2026-12-05T09:30:00Z", "r1", "load", "a.b", "c.d")), LINEAGE_UPDATED);
	ck_assert_int_eq(last_seq(db), seq);
	ck_assert_int_eq(send(ing, event("FAIL", "2026-12-05T09:30:00Z", "r1", "load", "a.b", "c.d")), LINEAGE_UNCHANGED);
	job_state(db, "etl/load", status, sizeof status);
	ck_assert_str_eq(status, "running");
	TU_OK(lineage_job_runs(&list, db, "etl/load", 0));
	ck_assert_uint_eq(lineage_run_list_count(list), 2);
	ck_assert_str_eq(lineage_run_list_get(list, 0)->run_id, "r2");
	ck_assert_str_eq(lineage_run_list_get(list, 1)->state, "failed");
	ck_assert_int_eq(lineage_run_list_get(list, 1)->duration_ms, 1800000);
	lineage_run_list_free(list);
	/* Removing the job removes its runs; a job of the same name starts with none. */
	TU_OK(lineage_asset_remove(db, "etl/load", LINEAGE_REMOVE_CASCADE));
	tu_asset(db, "etl/load", "job", NULL);
	TU_OK(lineage_job_runs(&list, db, "etl/load", 0));
	ck_assert_uint_eq(lineage_run_list_count(list), 0);
	lineage_run_list_free(list);
	lineage_ol_ingest_free(ing);
	lineage_db_close(db);
}
END_TEST

START_TEST(runs_of_what_is_not_a_job)
{
	lineage_db *db = tu_open_memory();
	char *json = NULL;
	tu_asset(db, "t", "table", NULL);
	TU_FAILS(LINEAGE_EINVALID, lineage_job_runs_json(&json, db, "t", 0));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_job_runs_json(&json, db, "nope", 0));
	lineage_db_close(db);
}
END_TEST

/* The job's own changes (updates of the asset itself) since `seq`. */
static size_t job_updates_since(lineage_db *db, const char *key, int64_t seq)
{
	lineage_change_list *list = NULL;
	size_t n = 0;
	TU_OK(lineage_changes_since(&list, db, seq, 0));
	for (size_t i = 0; i < lineage_change_list_count(list); i++) {
		const lineage_change *c = lineage_change_list_get(list, i);
		n += !strcmp(c->entity, "asset") && !strcmp(c->action, "update") && !strcmp(c->asset_key, key);
	}
	lineage_change_list_free(list);
	return n;
}

/* In the caller's transaction a job's state is written once, when it commits: the last
 * state wins, the run history keeps every event. A write by the caller in between, a
 * rollback, and an ingester freed before the commit lose nothing. */
START_TEST(in_a_transaction_a_job_state_is_written_once_at_commit)
{
	lineage_db *db = tu_open_memory();
	lineage_ol_ingest *ing = NULL;
	lineage_asset *job = NULL;
	lineage_asset_spec spec;
	char status[32], *json;
	int64_t seq;
	TU_OK(lineage_ol_ingest_new(&ing, db, NULL));
	send(ing, event("START", "2026-12-05T08:00:00Z", "r0", "a", "x.in", "x.out"));
	seq = last_seq(db);
	TU_OK(lineage_db_begin(db, "batch"));
	send(ing, event("START", "2026-12-05T10:00:00Z", "r1", "a", "x.in", "x.out"));
	send(ing, event("START", "2026-12-05T10:00:00Z", "r1", "b", "x.in", "y.out"));
	send(ing, event("RUNNING", "2026-12-05T10:01:00Z", "r1", "a", "x.in", "x.out"));
	ck_assert_int_eq(send(ing, event("COMPLETE", "2026-12-05T10:05:00Z", "r1", "a", "x.in", "x.out")), LINEAGE_UPDATED);
	job_state(db, "etl/a", status, sizeof status);
	ck_assert_str_eq(status, "running"); /* r0's, until the commit */
	json = runs(db, "etl/a");
	ck_assert_ptr_nonnull(strstr(json, "{\"run_id\":\"r1\",\"state\":\"completed\""));
	lineage_free(json);
	TU_OK(lineage_db_commit(db));
	job_state(db, "etl/a", status, sizeof status);
	ck_assert_str_eq(status, "completed");
	job_state(db, "etl/b", status, sizeof status);
	ck_assert_str_eq(status, "running");
	ck_assert_uint_eq(job_updates_since(db, "etl/a", seq), 1);
	TU_OK(lineage_asset_get(&job, db, "etl/a"));
	ck_assert_ptr_nonnull(strstr(job->properties_json, "\"run_id\":\"r1\""));
	ck_assert_ptr_nonnull(strstr(job->properties_json, "\"duration_ms\":300000"));
	lineage_asset_free(job);

	/* The caller writes the job between two events: both are kept. */
	TU_OK(lineage_db_begin(db, "batch with a write"));
	send(ing, event("START", "2026-12-05T11:00:00Z", "r2", "a", "x.in", "x.out"));
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = "etl/a";
	spec.kind = "job";
	spec.description = "loads a";
	TU_OK(lineage_asset_upsert(NULL, NULL, db, &spec));
	send(ing, event("FAIL", "2026-12-05T11:02:00Z", "r2", "a", "x.in", "x.out"));
	TU_OK(lineage_db_commit(db));
	TU_OK(lineage_asset_get(&job, db, "etl/a"));
	ck_assert_str_eq(job->status, "failed");
	ck_assert_str_eq(job->description, "loads a");
	ck_assert_ptr_nonnull(strstr(job->properties_json, "\"run_id\":\"r2\""));
	lineage_asset_free(job);

	/* Rolled back: the state goes with the transaction, and the next one starts clean. */
	TU_OK(lineage_db_begin(db, "undone"));
	send(ing, event("START", "2026-12-05T12:00:00Z", "r3", "a", "x.in", "x.out"));
	TU_OK(lineage_db_rollback(db));
	TU_OK(lineage_db_begin(db, "after"));
	send(ing, event("START", "2026-12-05T12:00:00Z", "r3", "b", "x.in", "y.out"));
	TU_OK(lineage_db_commit(db));
	job_state(db, "etl/a", status, sizeof status);
	ck_assert_str_eq(status, "failed");
	json = runs(db, "etl/a");
	ck_assert_ptr_null(strstr(json, "\"r3\""));
	lineage_free(json);

	/* The ingester freed before the commit: what it had to write is in the transaction. */
	TU_OK(lineage_db_begin(db, "freed early"));
	send(ing, event("ABORT", "2026-12-05T13:00:00Z", "r4", "a", "x.in", "x.out"));
	lineage_ol_ingest_free(ing);
	TU_OK(lineage_db_commit(db));
	job_state(db, "etl/a", status, sizeof status);
	ck_assert_str_eq(status, "aborted");
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("openlineage_ingest");
	TCase *tc = tcase_create("ingest");
	tcase_add_test(tc, start_then_complete_records_lineage_and_state);
	tcase_add_test(tc, the_same_event_twice_writes_nothing);
	tcase_add_test(tc, event_time_wins_over_arrival_order);
	tcase_add_test(tc, a_completed_run_retires_what_earlier_runs_reported);
	tcase_add_test(tc, invalid_events_are_refused_and_write_nothing);
	tcase_add_test(tc, inside_a_transaction_a_bad_event_undoes_only_itself);
	tcase_add_test(tc, job_and_dataset_events);
	tcase_add_test(tc, writes_from_elsewhere_and_rollbacks_are_not_skipped);
	tcase_add_test(tc, a_late_event_of_an_old_run_updates_its_row_only);
	tcase_add_test(tc, runs_of_what_is_not_a_job);
	tcase_add_test(tc, in_a_transaction_a_job_state_is_written_once_at_commit);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
