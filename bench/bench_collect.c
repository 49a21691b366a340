/*
 * Time of a PostgreSQL collect (lineage_collect) for a catalog of N tables and N views, against
 * a baseline measured in the same run: a scan (lineage_scan_run_buffer, dialect postgres) of
 * the DDL that created that catalog — the same views analysed, without a server. Prints one
 * JSON line.
 *
 *   source scripts/servers.sh; servers_start_postgres
 *   build/bench/bench_collect --tables 2000 --columns 12 --rounds 3
 *
 * The catalog: N tables in 10 schemas with --columns columns each (a primary key, a foreign
 * key to the previous table), and N views, view i joining tables i and i+1 across schemas with
 * half of each one's columns, renamed. Needs a server: --uri, else $LINEAGE_TEST_PG_ADMIN (a
 * database to run CREATE DATABASE in); the bench database is dropped at the end.
 */
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lineage/lineage.h>

#include "lbench.h"

static void ddl(lbench_buf *b, long tables, long columns)
{
	for (int s = 0; s < 10; s++)
		lbench_put(b, "CREATE SCHEMA s%d;\n", s);
	for (long t = 0; t < tables; t++) {
		lbench_put(b, "CREATE TABLE s%ld.t%ld (id bigint PRIMARY KEY", t % 10, t);
		if (t)
			lbench_put(b, ", prev_id bigint REFERENCES s%ld.t%ld (id)", (t - 1) % 10, t - 1);
		for (long c = 0; c < columns - 2; c++)
			lbench_put(b, ", c%ld %s", c, c % 3 ? "text" : "numeric(12, 2)");
		lbench_put(b, ");\n");
	}
	for (long t = 0; t < tables; t++) {
		long u = (t + 1) % tables;
		lbench_put(b, "CREATE VIEW s%ld.v%ld AS SELECT a.id", t % 10, t);
		for (long c = 0; c < (columns - 2) / 2; c++)
			lbench_put(b, ", a.c%ld AS a_c%ld, b.c%ld AS b_c%ld", c, c, c, c);
		lbench_put(b, " FROM s%ld.t%ld a JOIN s%ld.t%ld b ON b.id = a.id WHERE a.c1 IS NOT NULL;\n",
		    t % 10, t, u % 10, u);
	}
}

static void pg_run(const char *uri, const char *sql)
{
	PGconn *c = PQconnectdb(uri);
	PGresult *r;
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "cannot connect: %s", PQerrorMessage(c));
		exit(1);
	}
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "%.200s: %s", sql, PQresultErrorMessage(r));
		exit(1);
	}
	PQclear(r);
	PQfinish(c);
}

static lineage_db *fresh_db(const char *path)
{
	lineage_db *db = NULL;
	unlink(path);
	if (lineage_db_open(&db, path, NULL)) {
		fprintf(stderr, "%s\n", lineage_error_last()->message);
		exit(1);
	}
	return db;
}

int main(int argc, char **argv)
{
	long long tables = 1000, columns = 12, rounds = 3;
	const char *admin = getenv("LINEAGE_TEST_PG_ADMIN");
	const lbench_flag flags[] = {
		{"tables", LBENCH_FLAG_INT, &tables, "tables (and as many views)"},
		{"columns", LBENCH_FLAG_INT, &columns, "columns per table (at least 4)"},
		{"rounds", LBENCH_FLAG_INT, &rounds, "best of this many runs"},
		{"uri", LBENCH_FLAG_STRING, &admin, "a PostgreSQL URI of a database named postgres"}};
	char name[64], sql[128], uri[2048], path[256];
	const char *at;
	lbench_buf script = {NULL, 0, 0};
	double best_collect = 1e30, best_scan = 1e30, collect_cpu = 0, scan_cpu = 0;
	size_t assets = 0, edges = 0, scan_edges = 0;
	int rc = lbench_flags_parse(argc, argv, flags, sizeof flags / sizeof flags[0],
				    "Time a PostgreSQL collect against a scan of the same DDL.");
	if (rc)
		return rc > 0 ? 0 : 2;
	if (!admin || !(at = strstr(admin, "/postgres"))) {
		fprintf(stderr, "give --uri postgresql://.../postgres?... (or start scripts/servers.sh)\n");
		return 2;
	}
	if (columns < 4 || tables < 2 || rounds < 1) {
		fprintf(stderr, "--tables at least 2, --columns at least 4, --rounds at least 1\n");
		return 2;
	}
	snprintf(name, sizeof name, "bench_collect_%ld", (long)getpid());
	snprintf(uri, sizeof uri, "%.*s/%s%s", (int)(at - admin), admin, name, at + 9);
	snprintf(path, sizeof path, "/tmp/%s.db", name);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	pg_run(admin, sql);
	ddl(&script, (long)tables, (long)columns);
	pg_run(uri, script.p);
	for (long long r = 0; r < rounds; r++) {
		lineage_db *db = fresh_db(path);
		lineage_scan_report *rep = NULL;
		lineage_scan_options so;
		double cpu0 = lbench_cpu_ms();
		uint64_t t0 = lbench_now_ns();
		double ms;
		if (lineage_collect(&rep, db, uri, NULL)) {
			fprintf(stderr, "collect: %s\n", lineage_error_last()->message);
			return 1;
		}
		ms = lbench_ms(t0, lbench_now_ns());
		if (ms < best_collect) {
			best_collect = ms;
			collect_cpu = lbench_cpu_ms() - cpu0;
		}
		assets = lineage_scan_report_summary(rep)->assets_created;
		edges = lineage_scan_report_summary(rep)->edges_created;
		lineage_scan_report_free(rep);
		lineage_db_close(db);
		/* The baseline: the DDL scanned, into a database of its own. */
		db = fresh_db(path);
		lineage_scan_options_init(&so, LINEAGE_SCAN_OPTIONS_VERSION);
		so.dialect = "postgres";
		cpu0 = lbench_cpu_ms();
		t0 = lbench_now_ns();
		if (lineage_scan_run_buffer(&rep, db, "catalog.sql", script.p, script.n, &so)) {
			fprintf(stderr, "scan: %s\n", lineage_error_last()->message);
			return 1;
		}
		ms = lbench_ms(t0, lbench_now_ns());
		if (ms < best_scan) {
			best_scan = ms;
			scan_cpu = lbench_cpu_ms() - cpu0;
		}
		scan_edges = lineage_scan_report_summary(rep)->edges_created;
		lineage_scan_report_free(rep);
		lineage_db_close(db);
	}
	unlink(path);
	snprintf(path, sizeof path, "/tmp/%s.db-wal", name);
	unlink(path);
	snprintf(path, sizeof path, "/tmp/%s.db-shm", name);
	unlink(path);
	snprintf(sql, sizeof sql, "DROP DATABASE %s", name);
	pg_run(admin, sql);
	printf("{\"bench\":\"collect\",\"tables\":%lld,\"views\":%lld,\"columns\":%lld,\"assets\":%zu,"
	       "\"edges\":%zu,\"collect_ms\":%.1f,\"collect_cpu_ms\":%.1f,\"relations_per_s\":%.0f,"
	       "\"scan_ddl_ms\":%.1f,\"scan_ddl_cpu_ms\":%.1f,\"scan_ddl_edges\":%zu,"
	       "\"ratio_collect_to_scan\":%.2f,\"ratio_cpu\":%.2f,\"peak_rss_kib\":%ld}\n",
	       tables, tables, columns, assets, edges, best_collect, collect_cpu,
	       2.0 * (double)tables / (best_collect / 1000.0), best_scan, scan_cpu, scan_edges,
	       best_collect / best_scan, scan_cpu > 0 ? collect_cpu / scan_cpu : 0.0,
	       lbench_peak_rss_kib());
	free(script.p);
	return 0;
}
