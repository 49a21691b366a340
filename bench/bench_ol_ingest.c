/*
 * Throughput of live OpenLineage ingestion (lineage_ol_ingest_event): events sent one at a
 * time, as a pipeline emits them, into a database file. The baseline, measured in the same
 * run, is the OpenLineage scanner reading the same events as one JSON Lines buffer in one
 * transaction (lineage_scan_run_buffer). Prints one JSON line.
 *
 *   build/bench/bench_ol_ingest --jobs 1000 --runs 5 --batch 1000 --dir /tmp
 *   build/bench/bench_ol_ingest --pg "$LINEAGE_TEST_PG"    # stores in PostgreSQL instead
 *
 * Each run sends START and COMPLETE (2 inputs, 1 output with a 4-column schema and column
 * lineage). Three figures: the scan baseline, one transaction per event (what the service
 * does for single events), and --batch events per transaction (a batch POST).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <lineage/lineage.h>

#include "lbench.h"

static const char *pg_uri; /* --pg: each store a fresh schema of this database */

/* Run one statement on pg_uri (dropping a schema). */
static void pg_exec(const char *sql)
{
	PGconn *c = PQconnectdb(pg_uri);
	PGresult *r;
	PQclear(PQexec(c, "SET client_min_messages = warning")); /* no NOTICE per dropped table */
	r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "bench_ol_ingest: %s: %s\n", sql, PQerrorMessage(c));
		exit(1);
	}
	PQclear(r);
	PQfinish(c);
}

/* The schema of a store named `name` ("bench_ol_scan.db" -> "bench_ol_scan"). */
static const char *schema_of(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%.*s", (int)strcspn(name, "."), name);
	return buf;
}

/* One event on its own line; returns its offset. */
static size_t event(lbench_buf *b, const char *type, int job, int run, int minute)
{
	size_t at = b->n;
	lbench_put(b, "{\"eventType\":\"%s\",\"eventTime\":\"2026-12-05T%02d:%02d:00.000Z\","
	       "\"producer\":\"https://example.com/bench\",\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\","
	       "\"run\":{\"runId\":\"0193a5f0-0000-7000-8000-%06d%06d\"},"
	       "\"job\":{\"namespace\":\"airflow\",\"name\":\"etl.load_%d\"},"
	       "\"inputs\":[{\"namespace\":\"postgres://app:5432\",\"name\":\"app.public.orders_%d\"},"
	       "{\"namespace\":\"postgres://app:5432\",\"name\":\"app.public.customers_%d\"}],"
	       "\"outputs\":[{\"namespace\":\"snowflake://acme\",\"name\":\"wh.mart.orders_%d\",\"facets\":{"
	       "\"schema\":{\"fields\":[{\"name\":\"id\",\"type\":\"int\"},{\"name\":\"amount\",\"type\":\"numeric\"},"
	       "{\"name\":\"customer\",\"type\":\"text\"},{\"name\":\"day\",\"type\":\"date\"}]},"
	       "\"columnLineage\":{\"fields\":{\"amount\":{\"inputFields\":[{\"namespace\":\"postgres://app:5432\","
	       "\"name\":\"app.public.orders_%d\",\"field\":\"amount\",\"transformations\":[{\"type\":\"DIRECT\",\"subtype\":\"IDENTITY\"}]}]}}}}}]}\n",
	    type, (minute / 60) % 24, minute % 60, job, run, job, job, job % 500, job, job);
	return at;
}

static lineage_db *open_fresh(const char *dir, const char *name)
{
	char path[1024], schema[64], sql[128];
	lineage_db *db = NULL;
	lineage_open_options o;
	lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	unlink(path);
	if (pg_uri) {
		o.pg_schema = schema_of(name, schema, sizeof schema);
		snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", schema);
		pg_exec(sql);
		snprintf(path, sizeof path, "%s", pg_uri);
	}
	if (lineage_db_open(&db, path, &o)) {
		fprintf(stderr, "cannot open %s: %s\n", path, lineage_error_last()->message);
		exit(1);
	}
	return db;
}

static void drop(lineage_db *db, const char *name)
{
	char path[1024], side[1100], schema[64];
	snprintf(path, sizeof path, "%s", lineage_db_path(db));
	lineage_db_close(db);
	if (pg_uri) {
		snprintf(side, sizeof side, "DROP SCHEMA %s CASCADE", schema_of(name, schema, sizeof schema));
		pg_exec(side);
		return;
	}
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

/* Ingest every event, `batch` per transaction (1: each its own). Returns wall seconds;
 * *cpu_s the CPU seconds (on a shared machine the wall time also counts waiting for a core). */
static double ingest_all(const char *dir, const lbench_buf *b, const size_t *at, size_t n, long long batch,
			 const char *name, char **runs_out, double *cpu_s)
{
	double c0;
	lineage_db *db = open_fresh(dir, name);
	lineage_ol_ingest *ing = NULL;
	uint64_t t0;
	double s;
	if (lineage_ol_ingest_new(&ing, db, NULL))
		exit(1);
	c0 = lbench_cpu_ms();
	t0 = lbench_now_ns();
	for (size_t i = 0; i < n; i++) {
		size_t end = i + 1 < n ? at[i + 1] : b->n;
		if (batch > 1 && i % (size_t)batch == 0 && lineage_db_begin(db, "bench batch"))
			exit(1);
		if (lineage_ol_ingest_event(NULL, ing, b->p + at[i], end - at[i])) {
			fprintf(stderr, "event %zu: %s\n", i, lineage_error_last()->message);
			exit(1);
		}
		if (batch > 1 && ((i + 1) % (size_t)batch == 0 || i + 1 == n) && lineage_db_commit(db))
			exit(1);
	}
	s = lbench_ms(t0, lbench_now_ns()) / 1000.0;
	*cpu_s = (lbench_cpu_ms() - c0) / 1000.0;
	if (runs_out && lineage_job_runs_json(runs_out, db, "airflow/etl.load_0", 3))
		exit(1);
	lineage_ol_ingest_free(ing);
	drop(db, name);
	return s;
}

int main(int argc, char **argv)
{
	long long jobs = 1000, runs = 5, batch = 1000;
	const char *dir = "/tmp";
	lbench_flag flags[] = {
		{"jobs", LBENCH_FLAG_INT, &jobs, "distinct jobs (default 1000)"},
		{"runs", LBENCH_FLAG_INT, &runs, "runs per job, each START and COMPLETE (default 5)"},
		{"batch", LBENCH_FLAG_INT, &batch, "events per transaction in the batched figure (default 1000)"},
		{"dir", LBENCH_FLAG_STRING, &dir, "folder for the database files (default /tmp)"},
		{"pg", LBENCH_FLAG_STRING, &pg_uri, "libpq URI: the stores in PostgreSQL, each in a fresh schema (default: SQLite files)"},
	};
	lbench_buf b = {NULL, 0, 0};
	size_t *at, n = 0;
	lineage_db *db;
	lineage_scan_report *report = NULL;
	lineage_scan_options opts;
	uint64_t t0;
	double scan_s, single_s, batch_s, scan_cpu, single_cpu, batch_cpu;
	char *last_runs = NULL;
	int rc = lbench_flags_parse(argc, argv, flags, sizeof flags / sizeof *flags,
				    "Events per second of lineage_ol_ingest_event against the OpenLineage file scan of the same events.");
	if (rc)
		return rc > 0 ? 0 : 2;
	if (jobs < 1 || runs < 1 || batch < 1) {
		fprintf(stderr, "--jobs, --runs and --batch must be at least 1\n");
		return 2;
	}
	at = malloc((size_t)(jobs * runs * 2) * sizeof *at);
	if (!at)
		return 1;
	/* Runs in time order, jobs interleaved, as a scheduler emits them. */
	for (long long r = 0; r < runs; r++)
		for (long long j = 0; j < jobs; j++) {
			at[n++] = event(&b, "START", (int)j, (int)r, (int)(r * 60));
			at[n++] = event(&b, "COMPLETE", (int)j, (int)r, (int)(r * 60 + 30));
		}

	db = open_fresh(dir, "bench_ol_scan.db");
	lineage_scan_options_init(&opts, LINEAGE_SCAN_OPTIONS_VERSION);
	opts.type = "openlineage";
	scan_cpu = lbench_cpu_ms();
	t0 = lbench_now_ns();
	if (lineage_scan_run_buffer(&report, db, "events.jsonl", b.p, b.n, &opts)) {
		fprintf(stderr, "scan: %s\n", lineage_error_last()->message);
		return 1;
	}
	scan_s = lbench_ms(t0, lbench_now_ns()) / 1000.0;
	scan_cpu = (lbench_cpu_ms() - scan_cpu) / 1000.0;
	lineage_scan_report_free(report);
	drop(db, "bench_ol_scan.db");

	single_s = ingest_all(dir, &b, at, n, 1, "bench_ol_single.db", NULL, &single_cpu);
	batch_s = ingest_all(dir, &b, at, n, batch, "bench_ol_batch.db", &last_runs, &batch_cpu);

	printf("{\"bench\":\"ol_ingest\",\"store\":\"%s\",\"events\":%zu,\"bytes\":%zu,\"jobs\":%lld,\"runs_per_job\":%lld,"
	       "\"scan_events_per_s\":%.0f,\"ingest_events_per_s\":%.0f,\"ingest_batched_events_per_s\":%.0f,"
	       "\"batch\":%lld,\"ratio_ingest_vs_scan\":%.2f,\"ratio_batched_vs_scan\":%.2f,"
	       "\"scan_events_per_cpu_s\":%.0f,\"ingest_events_per_cpu_s\":%.0f,\"ingest_batched_events_per_cpu_s\":%.0f,\"peak_rss_kib\":%ld,"
	       "\"sample_runs\":%s}\n",
	       pg_uri ? "postgresql" : "sqlite", n, b.n, jobs, runs, n / scan_s, n / single_s, n / batch_s, batch, scan_s / single_s,
	       scan_s / batch_s, n / scan_cpu, n / single_cpu, n / batch_cpu, lbench_peak_rss_kib(),
	       last_runs);
	lineage_free(last_runs);
	free(at);
	free(b.p);
	return 0;
}
