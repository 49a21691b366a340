/*
 * The store in PostgreSQL against the same warehouse in SQLite, in one run (issue 12):
 *   - bulk load: `lineage import` of the warehouse's assets then lineage CSV into a new
 *     SQLite file and a new PostgreSQL schema, against `COPY` of the same CSV rows into bare
 *     indexed tables (the target: import >= 0.5x COPY's rows/s); and `lineage copy` of the
 *     SQLite store into PostgreSQL;
 *   - open to first query (the engine's build) on each;
 *   - depth-3 and unlimited downstream closures from the same roots (drawn at random among
 *     the assets with at least --min-closure assets downstream) through each handle's engine,
 *     against a recursive CTE in PostgreSQL for the same closures, fetching the same set of
 *     assets (compared) (target: >= 30x); the PostgreSQL engine twice: with the exact
 *     per-query probe (the default) and with max_staleness_ms = --staleness;
 *   - a write committed by one process, then seen by another process's loop of engine
 *     queries: the delay until visible, p50/p99 (target: p99 <= 50 ms), for a reader with
 *     each of the two settings.
 * One JSON line per figure on stdout.
 *
 *   build/bench/bench_pg --assets 1000000 --pg "$LINEAGE_TEST_PG" --dir /tmp/bpg
 */
#include <fcntl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <lineage/lineage.h>

#include "lbench.h"
#include "rng.h"
#include "warehouse.h"

static const char *dir = "/tmp/lineage-bench-pg";
static const char *pg_uri;
static long long assets_wanted = LBENCH_WH_FULL_ASSETS, roots_wanted = 100, cte_roots = 100,
		 writes_wanted = 200, min_closure = 10, large_closure = 200, seed = 12,
		 stale_ms = 50;
static char schema[64];

static char *path_of(const char *name)
{
	static char bufs[8][1024];
	static int next;
	char *b = bufs[next++ % 8];
	snprintf(b, sizeof bufs[0], "%s/%s", dir, name);
	return b;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_pg: %s: %s\n", what, lineage_error_last()->message);
	exit(1);
}

/* stale_ms: the handle's max_staleness_ms (PostgreSQL: how long queries skip the probe) */
static lineage_db *open_store_stale(int pg, int max_staleness_ms)
{
	lineage_open_options o;
	lineage_db *db = NULL;
	lineage_open_options_init(&o, LINEAGE_OPEN_OPTIONS_VERSION);
	o.pg_schema = schema;
	o.busy_timeout_ms = 60000;
	o.max_staleness_ms = max_staleness_ms;
	if (lineage_db_open(&db, pg ? pg_uri : path_of("import.db"), &o))
		die("open");
	return db;
}

static lineage_db *open_store(int pg)
{
	return open_store_stale(pg, 0);
}

static PGconn *pg_connect(void)
{
	PGconn *c = PQconnectdb(pg_uri);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "bench_pg: %s\n", PQerrorMessage(c));
		exit(1);
	}
	return c;
}

static void pg_exec(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "bench_pg: %s: %s\n", sql, PQerrorMessage(c));
		exit(1);
	}
	PQclear(r);
}

/* ---- bulk load ---- */

static double import_file(lineage_db *db, const char *file, size_t *rows)
{
	lineage_import_report *r = NULL;
	uint64_t t0 = lbench_now_ns();
	if (lineage_import_path(&r, db, file, NULL))
		die(file);
	double s = lbench_ms(t0, lbench_now_ns()) / 1000;
	(void)rows;
	lineage_import_report_free(r);
	return s;
}

/* COPY a CSV file (with its header) into `table`; returns seconds. */
static double copy_csv(PGconn *c, const char *table, const char *file)
{
	char sql[512], buf[1 << 16];
	FILE *f = fopen(file, "r");
	size_t n;
	if (!f) {
		perror(file);
		exit(1);
	}
	uint64_t t0 = lbench_now_ns();
	snprintf(sql, sizeof sql, "COPY %s FROM STDIN WITH (FORMAT csv, HEADER)", table);
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		fprintf(stderr, "bench_pg: %s: %s\n", sql, PQerrorMessage(c));
		exit(1);
	}
	PQclear(r);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		PQputCopyData(c, buf, (int)n);
	PQputCopyEnd(c, NULL);
	while ((r = PQgetResult(c))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			fprintf(stderr, "bench_pg: COPY %s: %s\n", table, PQerrorMessage(c));
			exit(1);
		}
		PQclear(r);
	}
	fclose(f);
	return lbench_ms(t0, lbench_now_ns()) / 1000;
}

/* The header line of a CSV file, as a column list for bare text columns. */
static void bare_table(PGconn *c, const char *table, const char *file, const char *unique)
{
	char line[4096], sql[8192];
	FILE *f = fopen(file, "r");
	if (!f || !fgets(line, sizeof line, f)) {
		perror(file);
		exit(1);
	}
	fclose(f);
	line[strcspn(line, "\r\n")] = 0;
	lbench_buf b = {NULL, 0, 0};
	lbench_put(&b, "DROP TABLE IF EXISTS %s; CREATE TABLE %s(", table, table);
	for (char *tok = strtok(line, ","), *sep = ""; tok; tok = strtok(NULL, ","), sep = ", ")
		lbench_put(&b, "%s\"%s\" text", sep, tok);
	lbench_put(&b, ")");
	pg_exec(c, b.p);
	snprintf(sql, sizeof sql, "CREATE UNIQUE INDEX ON %s(%s)", table, unique);
	pg_exec(c, sql);
	free(b.p);
}

static size_t lines_of(const char *file)
{
	FILE *f = fopen(file, "r");
	size_t n = 0;
	int ch;
	while (f && (ch = getc(f)) != EOF)
		n += ch == '\n';
	if (f)
		fclose(f);
	return n ? n - 1 : 0;
}

/* ---- closures ---- */

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int by_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static double pct(double *v, size_t n, double p)
{
	qsort(v, n, sizeof *v, by_value);
	return n ? v[(size_t)(p * (double)(n - 1))] : 0;
}

/* Downstream closure through the engine; returns ms, size in *nodes, and (ids not NULL) the
 * assets' ids, sorted, in *ids (free it). */
static double engine_closure(lineage_db *db, const char *key, int depth, size_t *nodes, int64_t **ids)
{
	lineage_query_options o;
	lineage_result *r = NULL;
	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.max_depth = depth;
	uint64_t t0 = lbench_now_ns();
	if (lineage_query_downstream(&r, db, key, &o))
		die(key);
	double ms = lbench_ms(t0, lbench_now_ns());
	*nodes = lineage_result_node_count(r);
	if (ids) {
		*ids = calloc(*nodes + 1, sizeof **ids);
		for (size_t i = 0; i < *nodes; i++)
			(*ids)[i] = lineage_result_node(r, i)->asset_id;
		qsort(*ids, *nodes, sizeof **ids, by_id);
	}
	lineage_result_free(r);
	return ms;
}

/* The same closure as a recursive CTE in PostgreSQL (active edges, every kind), fetching
 * the assets' ids as a service would; the same set as the engine's (*same). */
static double cte_closure(PGconn *c, const char *key, int depth, const int64_t *want, size_t n_want,
			  int *same)
{
	static const char unlimited[] =
		"WITH RECURSIVE down(id) AS (SELECT id FROM assets WHERE key = $1"
		" UNION SELECT e.target_id FROM edges e JOIN down d ON e.source_id = d.id WHERE e.status = 0)"
		" SELECT id FROM down";
	static const char limited[] =
		"WITH RECURSIVE down(id, depth) AS (SELECT id, 0 FROM assets WHERE key = $1"
		" UNION SELECT e.target_id, d.depth + 1 FROM edges e JOIN down d ON e.source_id = d.id"
		" WHERE e.status = 0 AND d.depth < $2::int)"
		" SELECT DISTINCT id FROM down";
	char d[16];
	snprintf(d, sizeof d, "%d", depth);
	const char *values[2] = {key, d};
	uint64_t t0 = lbench_now_ns();
	PGresult *r = PQexecParams(c, depth > 0 ? limited : unlimited, depth > 0 ? 2 : 1, NULL, values,
				   NULL, NULL, 0);
	double ms = lbench_ms(t0, lbench_now_ns());
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "bench_pg: CTE: %s\n", PQerrorMessage(c));
		exit(1);
	}
	size_t n = (size_t)PQntuples(r);
	int64_t *got = calloc(n + 1, sizeof *got);
	for (size_t i = 0; i < n; i++)
		got[i] = strtoll(PQgetvalue(r, (int)i, 0), NULL, 10);
	qsort(got, n, sizeof *got, by_id);
	*same = n == n_want && (n == 0 || !memcmp(got, want, n * sizeof *got));
	free(got);
	PQclear(r);
	return ms;
}

/* ---- write on one process, visible on another ---- */

typedef struct board {
	volatile int64_t written_ns[4096]; /* CLOCK_REALTIME at commit return, per write */
	volatile int done;
	volatile int ready; /* the reader's engine is built: the writes may start */
} board;

static int64_t real_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void visibility(const char *warm_key, int reader_stale_ms)
{
	int fd = open(path_of("board"), O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, sizeof(board)) != 0)
		die("board");
	board *b = mmap(NULL, sizeof *b, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	size_t n = writes_wanted > 4096 ? 4096 : (size_t)writes_wanted;
	char root[64];
	snprintf(root, sizeof root, "visible%d.root", reader_stale_ms);
	double *delay = calloc(n, sizeof *delay);
	pid_t pid = fork();
	if (pid == 0) { /* the writer: one new edge (and asset) per commit, 20 ms apart */
		lineage_db *w = open_store(1);
		char key[64];
		while (!b->ready)
			nanosleep(&(struct timespec){0, 1000 * 1000}, NULL);
		for (size_t i = 0; i < n; i++) {
			snprintf(key, sizeof key, "visible%d.k%zu", reader_stale_ms, i);
			lineage_edge_spec e;
			lineage_edge_spec_init(&e, LINEAGE_EDGE_SPEC_VERSION);
			e.source_key = root;
			e.target_key = key;
			e.create_missing = 1;
			if (lineage_edge_upsert(NULL, NULL, w, &e))
				die("write");
			b->written_ns[i] = real_ns();
			nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
		}
		lineage_db_close(w);
		_exit(0);
	}
	/* the reader: a loop of engine queries (the root's consumers), as a host serving
	 * requests: each one probes the store and applies the change feed when it moved */
	lineage_db *r = open_store_stale(1, reader_stale_ms);
	lineage_query_options qo;
	lineage_query_options_init(&qo, LINEAGE_QUERY_OPTIONS_VERSION);
	qo.max_depth = 1;
	{ /* a host already serving: its engine built before the writes begin */
		size_t nodes;
		engine_closure(r, warm_key, 1, &nodes, NULL);
		b->ready = 1;
	}
	for (size_t i = 0; i < n; i++) {
		for (;;) {
			lineage_result *res = NULL;
			size_t nodes = 0;
			if (lineage_query_downstream(&res, r, root, &qo) == 0)
				nodes = lineage_result_node_count(res);
			lineage_result_free(res);
			if (nodes >= i + 2) /* the root and its i + 1 consumers */
				break;
		}
		int64_t seen = real_ns();
		while (!b->written_ns[i])
			; /* seen before the writer noted its commit: a delay of 0 */
		delay[i] = seen > b->written_ns[i] ? (double)(seen - b->written_ns[i]) / 1e6 : 0;
	}
	waitpid(pid, NULL, 0);
	lineage_db_close(r);
	double p50 = pct(delay, n, 0.5), p99 = pct(delay, n, 0.99);
	printf("{\"benchmark\":\"pg_visible_to_other_process\",\"reader_max_staleness_ms\":%d,"
	       "\"writes\":%zu,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"target_p99_ms\":50}\n",
	       reader_stale_ms, n, p50, p99, delay[n - 1]);
	free(delay);
	munmap(b, sizeof *b);
}

int main(int argc, char **argv)
{
	const lbench_flag flags[] = {
		{"assets", LBENCH_FLAG_INT, &assets_wanted, "warehouse size (default 1000000, ~3 edges each)"},
		{"pg", LBENCH_FLAG_STRING, &pg_uri, "libpq URI of a database to use (default $LINEAGE_TEST_PG)"},
		{"dir", LBENCH_FLAG_STRING, &dir, "work folder (default /tmp/lineage-bench-pg)"},
		{"roots", LBENCH_FLAG_INT, &roots_wanted, "closure roots through the engines (default 100)"},
		{"cte-roots", LBENCH_FLAG_INT, &cte_roots, "of those, roots run as recursive CTEs too (default 100)"},
		{"min-closure", LBENCH_FLAG_INT, &min_closure, "roots have at least this many assets downstream (default 10)"},
		{"large", LBENCH_FLAG_INT, &large_closure, "closures this large get a ratio of their own (default 200)"},
		{"staleness", LBENCH_FLAG_INT, &stale_ms, "max_staleness_ms of the third handle and the second reader (default 50)"},
		{"seed", LBENCH_FLAG_INT, &seed, "the roots' random draw (default 12)"},
		{"writes", LBENCH_FLAG_INT, &writes_wanted, "writes timed until visible (default 200)"},
	};
	char cmd[1200];
	int rc = lbench_flags_parse(argc, argv, flags, sizeof flags / sizeof flags[0],
				    "PostgreSQL store against SQLite: bulk load vs COPY, open, closures vs "
				    "recursive CTE, cross-process visibility.");
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	if (!pg_uri)
		pg_uri = getenv("LINEAGE_TEST_PG");
	if (!pg_uri || !*pg_uri) {
		fprintf(stderr, "bench_pg: give --pg URI (or set LINEAGE_TEST_PG)\n");
		return 2;
	}
	snprintf(schema, sizeof schema, "bench_%d", (int)getpid());
	snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
	if (system(cmd) != 0)
		return 1;

	/* The warehouse, stored through the API in SQLite, exported to import-ready CSV. */
	lbench_wh_params wp;
	lbench_gen_report gr;
	lbench_wh_params_init(&wp);
	wp.assets = (size_t)assets_wanted;
	if (lbench_generate_file(path_of("gen.db"), &wp, 0, 0, &gr))
		return 1;
	lineage_db *gen = NULL;
	lineage_export_options eo;
	if (lineage_db_open(&gen, path_of("gen.db"), NULL))
		die("open gen.db");
	lineage_export_options_init(&eo, LINEAGE_EXPORT_OPTIONS_VERSION);
	eo.type = LINEAGE_RECORDS_ASSETS;
	if (lineage_export_path(gen, NULL, path_of("assets.csv"), &eo))
		die("export assets");
	eo.type = LINEAGE_RECORDS_LINEAGE;
	if (lineage_export_path(gen, NULL, path_of("lineage.csv"), &eo))
		die("export lineage");
	lineage_db_close(gen);
	size_t asset_rows = lines_of(path_of("assets.csv")), edge_rows = lines_of(path_of("lineage.csv"));
	fprintf(stderr, "warehouse: %zu assets, %zu lineage rows\n", asset_rows, edge_rows);

	/* Bulk load: COPY into bare indexed tables (first: the quick one), then import into
	 * each store. An edge is one per source, target, kind and job, as in the store. */
	PGconn *c = pg_connect();
	pg_exec(c, "SET client_min_messages TO warning");
	bare_table(c, "bench_bare_assets", path_of("assets.csv"), "key");
	bare_table(c, "bench_bare_edges", path_of("lineage.csv"), "source, target, kind, job");
	double copy_s = copy_csv(c, "bench_bare_assets", path_of("assets.csv")) +
			copy_csv(c, "bench_bare_edges", path_of("lineage.csv"));
	pg_exec(c, "DROP TABLE bench_bare_assets; DROP TABLE bench_bare_edges");
	double load[2];
	for (int pg = 0; pg < 2; pg++) {
		lineage_db *db = open_store(pg);
		load[pg] = import_file(db, path_of("assets.csv"), NULL) + import_file(db, path_of("lineage.csv"), NULL);
		lineage_db_close(db);
	}
	{ /* the CTE baseline reads the store's own tables, with fresh planner statistics */
		char sql[128];
		snprintf(sql, sizeof sql, "SET search_path TO %s", schema);
		pg_exec(c, sql);
		pg_exec(c, "ANALYZE assets; ANALYZE edges");
	}
	double rows = (double)(asset_rows + edge_rows);
	printf("{\"benchmark\":\"pg_bulk_load\",\"rows\":%.0f,\"sqlite_import_rows_s\":%.0f,"
	       "\"pg_import_rows_s\":%.0f,\"pg_copy_bare_rows_s\":%.0f,\"pg_import_vs_copy\":%.3f,"
	       "\"target\":0.5}\n", rows, rows / load[0], rows / load[1], rows / copy_s,
	       copy_s / load[1]);
	{ /* lineage copy of the SQLite store into a second schema */
		lineage_copy_options co;
		char dest[96];
		snprintf(dest, sizeof dest, "%s_copy", schema);
		lineage_copy_options_init(&co, LINEAGE_COPY_OPTIONS_VERSION);
		co.dest_pg_schema = dest;
		uint64_t t0 = lbench_now_ns();
		if (lineage_db_copy(path_of("import.db"), pg_uri, &co))
			die("copy");
		double copy_store_s = lbench_ms(t0, lbench_now_ns()) / 1000;
		/* the same rows (assets, edges, their change rows and batches) COPYed into the
		 * store's own tables, indexes, foreign keys and search column */
		printf("{\"benchmark\":\"pg_lineage_copy_from_sqlite\",\"seconds\":%.2f,"
		       "\"pg_import_vs_copy_into_store_tables\":%.3f}\n", copy_store_s,
		       copy_store_s / load[1]);
	}

	lbench_warehouse *wh = NULL;
	if (lbench_warehouse_generate(&wh, &wp))
		return 1;
	/* Open to first query (the engine's build). */
	lineage_db *db[3];
	for (int pg = 0; pg < 2; pg++) {
		size_t nodes;
		uint64_t t0 = lbench_now_ns();
		db[pg] = open_store(pg);
		engine_closure(db[pg], lbench_wh_key(wh, 0), 1, &nodes, NULL);
		printf("{\"benchmark\":\"open_to_first_query\",\"store\":\"%s\",\"ms\":%.1f}\n",
		       pg ? "postgres" : "sqlite", lbench_ms(t0, lbench_now_ns()));
	}
	/* Roots: assets drawn at random (seeded) among those whose unlimited downstream closure
	 * holds at least --min-closure assets: the closures a lineage question is about, not
	 * the many leaves and near-leaves whose answer is themselves. */
	size_t nroots = 0, *roots = calloc((size_t)roots_wanted, sizeof *roots), tried = 0;
	lbench_rng rng;
	lbench_rng_seed(&rng, (uint64_t)seed);
	while (nroots < (size_t)roots_wanted && tried++ < 200 * (size_t)roots_wanted) {
		size_t i = (size_t)(lbench_rng_next(&rng) % wh->asset_count), nodes;
		engine_closure(db[0], lbench_wh_key(wh, i), 0, &nodes, NULL);
		if (nodes >= (size_t)min_closure)
			roots[nroots++] = i;
	}
	if (!nroots)
		return 1;
	/* A third handle, as a query-heavy host would open it: max_staleness_ms = --staleness */
	db[2] = open_store_stale(1, (int)stale_ms);
	{
		size_t nodes;
		engine_closure(db[2], lbench_wh_key(wh, 0), 1, &nodes, NULL);
	}
	static const int depths[2] = {3, 0};
	for (int d = 0; d < 2; d++) {
		double *ms[4], *ratio, *ratio_stale, *sizes;
		size_t n_cte = nroots < (size_t)cte_roots ? nroots : (size_t)cte_roots, mismatch = 0;
		for (int k = 0; k < 4; k++)
			ms[k] = calloc(nroots, sizeof(double));
		ratio = calloc(nroots, sizeof *ratio);
		ratio_stale = calloc(nroots, sizeof *ratio_stale);
		sizes = calloc(nroots, sizeof *sizes);
		for (size_t i = 0; i < nroots; i++) {
			const char *key = lbench_wh_key(wh, roots[i]);
			size_t n0, n1, n3;
			int64_t *ids = NULL;
			int same = 1;
			ms[0][i] = engine_closure(db[0], key, depths[d], &n0, NULL);
			ms[1][i] = engine_closure(db[1], key, depths[d], &n1, &ids);
			ms[3][i] = engine_closure(db[2], key, depths[d], &n3, NULL);
			sizes[i] = (double)n1;
			if (n0 != n1 || n3 != n1)
				mismatch++;
			if (i < n_cte) {
				ms[2][i] = cte_closure(c, key, depths[d], ids, n1, &same);
				ratio[i] = ms[1][i] > 0 ? ms[2][i] / ms[1][i] : 0;
				ratio_stale[i] = ms[3][i] > 0 ? ms[2][i] / ms[3][i] : 0;
				mismatch += !same;
			}
			free(ids);
		}
		double sq = pct(ms[0], nroots, 0.5), pg = pct(ms[1], nroots, 0.5), cte = pct(ms[2], n_cte, 0.5);
		double pg99 = pct(ms[1], nroots, 0.99), stale = pct(ms[3], nroots, 0.5);
		double stale99 = pct(ms[3], nroots, 0.99), stale_ratio50 = pct(ratio_stale, n_cte, 0.5);
		/* the same for the large closures alone (at least --large assets) */
		size_t n_large = 0;
		double *large = calloc(n_cte + 1, sizeof *large);
		for (size_t i = 0; i < n_cte; i++)
			if (sizes[i] >= (double)large_closure)
				large[n_large++] = ratio[i];
		double large50 = pct(large, n_large, 0.5);
		free(large);
		double ratio50 = pct(ratio, n_cte, 0.5); /* sorted: ratio[0] is the least */
		double size50 = pct(sizes, nroots, 0.5);
		printf("{\"benchmark\":\"closure\",\"depth\":\"%s\",\"roots\":%zu,\"cte_roots\":%zu,"
		       "\"min_closure\":%lld,\"size_p50\":%.0f,\"size_max\":%.0f,"
		       "\"sqlite_p50_ms\":%.4f,\"pg_engine_p50_ms\":%.4f,\"pg_engine_p99_ms\":%.4f,"
		       "\"pg_cte_p50_ms\":%.3f,\"cte_vs_engine\":%.0f,\"per_root_ratio_p50\":%.0f,"
		       "\"per_root_ratio_min\":%.1f,\"large_roots\":%zu,\"large_ratio_p50\":%.0f,"
		       "\"max_staleness_ms\":%lld,\"pg_engine_stale_p50_ms\":%.4f,"
		       "\"pg_engine_stale_p99_ms\":%.4f,\"cte_vs_engine_stale\":%.0f,"
		       "\"per_root_ratio_stale_p50\":%.0f,\"per_root_ratio_stale_min\":%.1f,"
		       "\"target\":30,\"set_mismatches\":%zu}\n",
		       d ? "unlimited" : "3", nroots, n_cte, min_closure, size50, sizes[nroots - 1], sq,
		       pg, pg99, cte, pg > 0 ? cte / pg : 0, ratio50, ratio[0], n_large, large50,
		       stale_ms, stale, stale99, stale > 0 ? cte / stale : 0, stale_ratio50, ratio_stale[0],
		       mismatch);
		for (int k = 0; k < 4; k++)
			free(ms[k]);
		free(ratio);
		free(ratio_stale);
		free(sizes);
	}
	free(roots);
	char *warm_key = strdup(lbench_wh_key(wh, 0));
	lbench_warehouse_free(wh);
	lineage_db_close(db[0]);
	lineage_db_close(db[1]);
	lineage_db_close(db[2]);

	visibility(warm_key, 0);
	visibility(warm_key, (int)stale_ms);
	free(warm_key);

	char drop[256];
	snprintf(drop, sizeof drop, "DROP SCHEMA %s CASCADE; DROP SCHEMA %s_copy CASCADE", schema, schema);
	pg_exec(c, drop);
	PQfinish(c);
	return 0;
}
