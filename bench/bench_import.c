/*
 * Bulk import and export throughput. Generates a realistic warehouse (bench/gen), writes its
 * assets and N lineage rows as CSV with about 1% invalid rows (a confidence in words, a
 * missing target, an unknown lineage source, a self-loop), then measures, each phase in its
 * own child process (so that its peak RSS is its own):
 *   - the assets file import (setup);
 *   - the lineage import in atomic mode (validated and written, then rolled back: the file
 *     has invalid rows) and in skip-errors mode (the valid rows committed, rejects written);
 *   - the limit: a plain prepared-statement insert of the same rows into SQLite (one
 *     transaction, a UNIQUE (source, target, kind) index, no validation, no audit);
 *   - export of the imported graph in every format: MB/s.
 * Prints one JSON line per phase.
 *
 *   build/bench/bench_import --rows 1000000 --dir /tmp/bi
 */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lineage/lineage.h>

#include "lbench.h"
#include "warehouse.h"

typedef struct phase {
	double seconds;
	double cpu_seconds;
	long peak_rss_kib;
	uint64_t rows, valid, invalid, bytes;
	int rc;
} phase;

static const char *dir = "/tmp/lineage-bench-import";
static long long rows_wanted = 1000000;

static char *path_of(const char *name)
{
	static char bufs[8][1024];
	static int next;
	char *b = bufs[next++ % 8];
	snprintf(b, sizeof bufs[0], "%s/%s", dir, name);
	return b;
}

/* ---- The input files ---- */

static const char *bad_row(size_t i, const char *src, const char *dst, char *buf, size_t size)
{
	switch (i % 4) {
	case 0: snprintf(buf, size, "%s,%s,,,flow,inferred,high,,\n", src, dst); break;
	case 1: snprintf(buf, size, "%s,,,,flow,manual,1,,\n", src); break;
	case 2: snprintf(buf, size, "%s,%s,,,flow,probably,0.5,,\n", src, dst); break;
	default: snprintf(buf, size, "%s,%s,,,flow,manual,1,,\n", src, src);
	}
	return buf;
}

static int write_inputs(size_t *out_rows, size_t *out_invalid)
{
	lbench_wh_params p;
	lbench_warehouse *wh = NULL;
	FILE *fa = fopen(path_of("assets.csv"), "w"), *fl = fopen(path_of("lineage.csv"), "w");
	size_t n = 0, invalid = 0;
	char bad[2048];
	if (!fa || !fl)
		return -1;
	lbench_wh_params_init(&p);
	p.assets = (size_t)(rows_wanted / 3 + 200);
	if (lbench_warehouse_generate(&wh, &p) != 0)
		return -1;
	fprintf(fa, "key,kind,parent,owner\n");
	for (size_t i = 0; i < wh->asset_count; i++) {
		const lbench_wh_asset *a = &wh->assets[i];
		fprintf(fa, "%s,%s,%s,team-%u\n", lbench_wh_key(wh, i), lbench_wh_kind_name(a->kind),
			a->parent >= 0 ? lbench_wh_key(wh, (size_t)a->parent) : "", a->domain);
	}
	fprintf(fl, "source,target,source_kind,target_kind,kind,lineage_source,confidence,"
		    "transformation_type,job\n");
	for (size_t i = 0; i < wh->edge_count && n < (size_t)rows_wanted; i++, n++) {
		const lbench_wh_edge *e = &wh->edges[i];
		const char *src = lbench_wh_key(wh, e->source), *dst = lbench_wh_key(wh, e->target);
		if (n % 100 == 57) {
			fputs(bad_row(invalid++, src, dst, bad, sizeof bad), fl);
			continue;
		}
		fprintf(fl, "%s,%s,,,%s,%s,%.2f,%s,%s\n", src, dst, lbench_wh_edge_kind_name(e->kind),
			lineage_source_name((lineage_source)e->lsource), e->confidence,
			lbench_wh_ttype_name(e->ttype), e->job >= 0 ? lbench_wh_key(wh, (size_t)e->job) : "");
	}
	lbench_warehouse_free(wh);
	if (fclose(fa) != 0 || fclose(fl) != 0)
		return -1;
	*out_rows = n;
	*out_invalid = invalid;
	return 0;
}

/* ---- Phases, each in a child process ---- */

typedef int (*phase_fn)(phase *ph, const void *arg);

static int run_phase(phase_fn fn, const void *arg, phase *out)
{
	int fds[2];
	pid_t pid;
	int status;
	memset(out, 0, sizeof *out);
	if (pipe(fds) != 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		phase ph;
		uint64_t t0 = lbench_now_ns();
		double c0 = lbench_cpu_ms();
		memset(&ph, 0, sizeof ph);
		close(fds[0]);
		ph.rc = fn(&ph, arg);
		ph.seconds = lbench_ms(t0, lbench_now_ns()) / 1000.0;
		ph.cpu_seconds = (lbench_cpu_ms() - c0) / 1000.0;
		ph.peak_rss_kib = lbench_peak_rss_kib();
		if (write(fds[1], &ph, sizeof ph) != (ssize_t)sizeof ph)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], out, sizeof *out) != (ssize_t)sizeof *out)
		out->rc = -1;
	close(fds[0]);
	waitpid(pid, &status, 0);
	return out->rc;
}

typedef struct import_arg {
	const char *db;
	const char *file;
	lineage_import_mode mode;
	const char *rejects;
} import_arg;

static int do_import(phase *ph, const void *varg)
{
	const import_arg *a = varg;
	lineage_db *db = NULL;
	lineage_import_options o;
	lineage_import_report *r = NULL;
	int rc;
	if ((rc = lineage_db_open(&db, a->db, NULL)) != 0)
		return rc;
	lineage_import_options_init(&o, LINEAGE_IMPORT_OPTIONS_VERSION);
	o.mode = a->mode;
	o.rejects_path = a->rejects;
	rc = lineage_import_path(&r, db, a->file, &o);
	if (r) {
		const lineage_import_summary *s = lineage_import_report_summary(r);
		ph->rows = s->rows;
		ph->valid = s->valid;
		ph->invalid = s->invalid;
		if (rc == LINEAGE_EINVALID)
			rc = 0;
	} else {
		fprintf(stderr, "import failed: %s\n", lineage_error_last()->message);
	}
	lineage_import_report_free(r);
	lineage_db_close(db);
	return rc;
}

/* The limit: the same rows straight into SQLite with a prepared statement. */
static int do_plain(phase *ph, const void *varg)
{
	const char *db_path = varg;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	FILE *f = fopen(path_of("lineage.csv"), "r");
	char line[4096];
	int rc = 0;
	if (!f || sqlite3_open(db_path, &db) != SQLITE_OK)
		return -1;
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
			 "PRAGMA cache_size=-65536;"
			 "CREATE TABLE edges(id INTEGER PRIMARY KEY, source TEXT NOT NULL, target TEXT "
			 "NOT NULL, kind TEXT NOT NULL, lineage_source INTEGER, confidence REAL, "
			 "transformation_type TEXT, job TEXT, UNIQUE(source, target, kind));",
		     NULL, NULL, NULL);
	if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO edges(source, target, kind, "
				   "lineage_source, confidence, transformation_type, job) "
				   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	if (!fgets(line, sizeof line, f))
		rc = -1;
	while (rc == 0 && fgets(line, sizeof line, f)) {
		char *fld[9], *p = line;
		int n = 0;
		line[strcspn(line, "\r\n")] = '\0';
		while (n < 9) {
			fld[n++] = p;
			p = strchr(p, ',');
			if (!p)
				break;
			*p++ = '\0';
		}
		ph->rows++;
		if (n < 9)
			continue;
		for (int i = 0; i < 7; i++) {
			static const int map[] = {0, 1, 4, 5, 6, 7, 8};
			sqlite3_bind_text(st, i + 1, fld[map[i]], -1, SQLITE_STATIC);
		}
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = -1;
		sqlite3_reset(st);
		ph->valid++;
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_finalize(st);
	sqlite3_close(db);
	fclose(f);
	return rc;
}

typedef struct export_arg {
	const char *db;
	lineage_format format;
	lineage_record_type type;
	const char *out;
} export_arg;

static int do_export(phase *ph, const void *varg)
{
	const export_arg *a = varg;
	lineage_db *db = NULL;
	lineage_export_options o;
	struct stat st;
	int rc;
	if ((rc = lineage_db_open(&db, a->db, NULL)) != 0)
		return rc;
	lineage_export_options_init(&o, LINEAGE_EXPORT_OPTIONS_VERSION);
	o.format = a->format;
	o.type = a->type;
	rc = lineage_export_path(db, NULL, a->out, &o);
	if (rc)
		fprintf(stderr, "export failed: %s\n", lineage_error_last()->message);
	if (rc == 0 && stat(a->out, &st) == 0)
		ph->bytes = (uint64_t)st.st_size;
	lineage_db_close(db);
	return rc;
}

static void report(const char *name, const phase *ph)
{
	printf("{\"benchmark\":\"import\",\"phase\":\"%s\",\"rows\":%llu,\"valid\":%llu,"
	       "\"invalid\":%llu,\"seconds\":%.3f,\"cpu_seconds\":%.3f,\"rows_per_s\":%.0f,"
	       "\"rows_per_cpu_s\":%.0f,\"peak_rss_kib\":%ld",
	       name, (unsigned long long)ph->rows, (unsigned long long)ph->valid,
	       (unsigned long long)ph->invalid, ph->seconds, ph->cpu_seconds,
	       ph->seconds > 0 ? (double)ph->rows / ph->seconds : 0,
	       ph->cpu_seconds > 0 ? (double)ph->rows / ph->cpu_seconds : 0, ph->peak_rss_kib);
	if (ph->bytes)
		printf(",\"bytes\":%llu,\"mb_per_s\":%.1f,\"mb_per_cpu_s\":%.1f",
		       (unsigned long long)ph->bytes, ph->bytes / 1e6 / (ph->seconds > 0 ? ph->seconds : 1),
		       ph->bytes / 1e6 / (ph->cpu_seconds > 0 ? ph->cpu_seconds : 1));
	printf(",\"rc\":%d}\n", ph->rc);
	fflush(stdout);
}

static int by_ratio(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int no_export = 0;
	long long repeat = 1;
	const lbench_flag flags[] = {
		{"rows", LBENCH_FLAG_INT, &rows_wanted, "lineage rows in the file (default 1000000)"},
		{"dir", LBENCH_FLAG_STRING, &dir, "work folder (default /tmp/lineage-bench-import)"},
		{"no-export", LBENCH_FLAG_BOOL, &no_export, "skip the export phases"},
		{"repeat", LBENCH_FLAG_INT, &repeat,
		 "skip-errors and plain-insert pairs, run in turn; the median ratio is the figure (1)"},
	};
	double ratios[2][16];
	int pairs = 0;
	static const struct {
		const char *name;
		lineage_format format;
		lineage_record_type type;
	} exports[] = {
		{"export_csv", LINEAGE_FORMAT_CSV, LINEAGE_RECORDS_LINEAGE},
		{"export_json", LINEAGE_FORMAT_JSON, LINEAGE_RECORDS_BOTH},
		{"export_jsonl", LINEAGE_FORMAT_JSONL, LINEAGE_RECORDS_LINEAGE},
		{"export_cytoscape", LINEAGE_FORMAT_CYTOSCAPE, 0},
		{"export_graphml", LINEAGE_FORMAT_GRAPHML, 0},
		{"export_dot", LINEAGE_FORMAT_DOT, 0},
	};
	size_t rows = 0, invalid = 0;
	phase ph, plain, skip;
	char cmd[1200];
	int rc = lbench_flags_parse(argc, argv, flags, sizeof flags / sizeof flags[0],
				    "Bulk import (atomic, skip-errors) against a plain SQLite insert, "
				    "and export MB/s per format.");
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
	if (system(cmd) != 0 || write_inputs(&rows, &invalid) != 0) {
		fprintf(stderr, "cannot write the input files in %s: %s\n", dir, strerror(errno));
		return 1;
	}
	fprintf(stderr, "%zu lineage rows (%zu invalid) in %s\n", rows, invalid, path_of("lineage.csv"));
	/* Setup: the assets, into a database copied for each mode. */
	{
		import_arg a = {path_of("base.db"), path_of("assets.csv"), LINEAGE_IMPORT_ATOMIC, NULL};
		run_phase(do_import, &a, &ph);
		report("assets_setup", &ph);
		snprintf(cmd, sizeof cmd, "cp '%s' '%s' && cp '%s' '%s'", path_of("base.db"),
			 path_of("atomic.db"), path_of("base.db"), path_of("skip.db"));
		if (ph.rc != 0 || system(cmd) != 0)
			return 1;
	}
	{
		import_arg a = {path_of("atomic.db"), path_of("lineage.csv"), LINEAGE_IMPORT_ATOMIC, NULL};
		run_phase(do_import, &a, &ph);
		report("lineage_atomic", &ph);
	}
	/* The pair in turn, `repeat` times: on a shared machine the speed drifts between runs,
	 * and a pair run back to back sees the same machine. */
	for (long long r = 0; r < repeat && r < 16; r++) {
		import_arg a = {path_of("skip.db"), path_of("lineage.csv"), LINEAGE_IMPORT_SKIP_ERRORS,
				path_of("rejects.csv")};
		snprintf(cmd, sizeof cmd, "cp '%s' '%s' && rm -f '%s-wal' '%s' '%s-wal'",
			 path_of("base.db"), path_of("skip.db"), path_of("skip.db"), path_of("plain.db"),
			 path_of("plain.db"));
		if (r > 0 && system(cmd) != 0)
			return 1;
		run_phase(do_import, &a, &skip);
		report("lineage_skip_errors", &skip);
		run_phase(do_plain, path_of("plain.db"), &plain);
		report("plain_sqlite_insert", &plain);
		if (plain.seconds > 0 && skip.seconds > 0) {
			ratios[0][pairs] = plain.seconds / skip.seconds;
			ratios[1][pairs] = plain.cpu_seconds / skip.cpu_seconds;
			printf("{\"benchmark\":\"import\",\"phase\":\"ratio\","
			       "\"skip_errors_vs_plain\":%.3f,\"skip_errors_vs_plain_cpu\":%.3f}\n",
			       ratios[0][pairs], ratios[1][pairs]);
			pairs++;
		}
	}
	if (pairs > 1) {
		qsort(ratios[0], (size_t)pairs, sizeof ratios[0][0], by_ratio);
		qsort(ratios[1], (size_t)pairs, sizeof ratios[1][0], by_ratio);
		printf("{\"benchmark\":\"import\",\"phase\":\"ratio_median\",\"pairs\":%d,"
		       "\"skip_errors_vs_plain\":%.3f,\"skip_errors_vs_plain_cpu\":%.3f,"
		       "\"cpu_min\":%.3f,\"cpu_max\":%.3f}\n",
		       pairs, ratios[0][pairs / 2], ratios[1][pairs / 2], ratios[1][0],
		       ratios[1][pairs - 1]);
	}
	for (size_t i = 0; !no_export && i < sizeof exports / sizeof exports[0]; i++) {
		export_arg a = {path_of("skip.db"), exports[i].format, exports[i].type, path_of("export.out")};
		run_phase(do_export, &a, &ph);
		ph.rows = 0;
		report(exports[i].name, &ph);
	}
	return 0;
}
