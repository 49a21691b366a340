/*
 * bench_core: the core benchmark of liblineage (issue 2, point 11).
 *
 * On a synthetic warehouse (bench/gen/warehouse.h; ~1M assets and ~3M edges at full scale)
 * stored through the public API, it measures: the load rate; open-to-first-query (a fresh
 * handle, engine cold); upstream and downstream latency at depth 1, 3 and unlimited over
 * random roots; impact latency; write-then-query (upsert an edge, then a depth-3 downstream
 * query that must include it); the library's peak RSS. Then it computes the same closures
 * with a plain array BFS over a CSR of the active edges (the speed limit) and with a SQLite
 * recursive CTE, both over the same file, checks that every closure size agrees, and prints
 * the ratios against the targets, as a table and as one JSON line.
 *
 *   bench_core                          # full scale; generates lineage_bench_1000000_s42.db
 *   bench_core --reuse                  # reuse that file when it exists
 *   bench_core --scale 0.01 --db /tmp/small.db --reuse
 *
 * Exit status: 0 when every closure agreed (targets met or not), 3 on a mismatch, 1 on an
 * error, 2 on bad usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "baseline.h"
#include "lbench.h"
#include "rng.h"
#include "warehouse.h"

/* ---- Configuration ---- */

typedef struct config {
	const char *db;
	char db_buf[256];
	long long assets, seed, roots, deep_roots, impact_roots, writes, cte_roots, cte_shallow;
	long long large_roots, large_scan;
	long long batch;
	double scale, cte_budget;
	int reuse, force, quiet;
	const char *json_out;
} config;

/* ---- What is measured ---- */

typedef struct root {
	int64_t id;
	char *key;
} root;

/* One unlimited closure to measure: a random root in one direction, or one of the roots with
 * the largest closures found by a scan ("large"). */
typedef struct probe {
	const root *rt;
	int dir;   /* LBENCH_DOWN or LBENCH_UP */
	int large;
	size_t eng_n;
	double eng_ms;      /* the query call */
	double eng_read_ms; /* the call and a read of every node (the answer in hand) */
	double eng_cpu_ms;  /* the call, in thread CPU time */
} probe;

typedef struct series {
	const char *name;
	lbench_samples ms;
	lbench_samples nodes;
} series;

enum { S_UP1, S_DOWN1, S_UP3, S_DOWN3, S_UPALL, S_DOWNALL, S_UPBIG, S_DOWNBIG, S_UNL_READ,
       S_IMPACT,
       S_WRITE_QUERY, S_WRITE, S_QUERY_AFTER_WRITE, S_CSR_ALL, S_CSR_3, S_CTE_ALL, S_CTE_3,
       S_COUNT };

static const char *const series_names[S_COUNT] = {
	"upstream depth 1",      "downstream depth 1",     "upstream depth 3",
	"downstream depth 3",    "upstream unlimited",     "downstream unlimited",
	"upstream, large closures", "downstream, large closures",
	"unlimited, + read every node", "impact (drop)",         "write-then-query",       "  of which: edge upsert",
	"  of which: query",     "CSR BFS unlimited",      "CSR BFS depth 3",
	"recursive CTE unlimited", "recursive CTE depth 3"};

static const char *const series_keys[S_COUNT] = {
	"upstream_d1",  "downstream_d1",  "upstream_d3",       "downstream_d3",
	"upstream_all", "downstream_all", "upstream_large", "downstream_large", "unlimited_read",
	"impact",            "write_then_query",
	"write_upsert", "write_query",    "csr_all",           "csr_d3",
	"cte_all",      "cte_d3"};

typedef struct run {
	config cfg;
	series s[S_COUNT];
	int have_load;
	lbench_wh_params params;
	lbench_gen_report gen;
	long gen_child_rss_kib;
	int64_t assets, active_edges;
	double open_ms, first_query_ms, first_cpu_ms;
	long rss_before_kib, engine_peak_kib, process_peak_kib;
	double csr_load_ms;
	double remove_ms;
	size_t probes_created;
	/* Unlimited closures: random roots (both directions) first, then large ones. */
	probe *unl;
	size_t nunl, nunl_random;
	/* Engine depth-3 closure sizes, to compare with the baselines: [dir][root]. */
	size_t *eng_d3[2];
	/* Engine and baseline times on the same roots, for the ratios. */
	double eng_all_sum, csr_all_sum, cte_all_sum, eng_cte_all_sum;
	double eng_rand_sum, csr_rand_sum, eng_read_sum;
	/* The same sums in thread CPU time (robust to waiting for a core). */
	double eng_all_cpu, csr_all_cpu, cte_all_cpu, eng_cte_all_cpu;
	size_t large_min[2]; /* smallest closure among the large roots, per direction */
	double cte_d3_sum, eng_cte_d3_sum;
	size_t cte_all_done, cte_d3_done;
	size_t mismatches;
	int64_t read_checksum; /* keeps the reads of results from being optimised away */
} run;

static root *g_roots;
static size_t g_nroots;

static void fail_lineage(const char *what)
{
	const lineage_error *e = lineage_error_last();
	fprintf(stderr, "bench_core: %s failed: %s (%s)\n", what, e->message,
		lineage_error_code_name(e->code));
}

static int add_sample(series *s, double ms, double nodes)
{
	if (lbench_samples_add(&s->ms, ms) != 0 || lbench_samples_add(&s->nodes, nodes) != 0) {
		fprintf(stderr, "bench_core: out of memory\n");
		return -1;
	}
	return 0;
}

/* ---- Generating the database (in a child process, so that its memory is not ours) ---- */

static int generate_in_child(run *r)
{
	int fds[2];
	pid_t pid;
	int status = 0;
	ssize_t got;
	struct rusage ru;
	if (pipe(fds) != 0) {
		perror("bench_core: pipe");
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("bench_core: fork");
		return -1;
	}
	if (pid == 0) {
		lbench_gen_report rep;
		int rc;
		close(fds[0]);
		rc = lbench_generate_file(r->cfg.db, &r->params, (size_t)r->cfg.batch, !r->cfg.quiet,
					  &rep);
		if (rc == 0 && write(fds[1], &rep, sizeof rep) != (ssize_t)sizeof rep)
			rc = 1;
		close(fds[1]);
		_exit(rc == 0 ? 0 : 1);
	}
	close(fds[1]);
	got = read(fds[0], &r->gen, sizeof r->gen);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || got != (ssize_t)sizeof r->gen) {
		fprintf(stderr, "bench_core: generating %s failed\n", r->cfg.db);
		return -1;
	}
	r->have_load = 1;
	if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
		r->gen_child_rss_kib = ru.ru_maxrss;
	return 0;
}

/* ---- Random roots, read from the file with a plain read-only connection ---- */

typedef struct scored {
	size_t n, idx;
} scored;

static int by_size_desc(const void *a, const void *b)
{
	const scored *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/*
 * The unlimited probes: each random deep root in both directions, then, per direction, the
 * `large_roots` roots with the largest closures among `nscan` scanned random roots (found
 * with the CSR, which is freed again before the engine is measured). Random roots mostly
 * have small closures; the large ones measure the traversal itself rather than a call.
 */
static int make_probes(run *r, sqlite3 *db, const root *deep, size_t nd, const root *scan,
		       size_t nscan)
{
	size_t nl = (size_t)r->cfg.large_roots;
	lbench_csr *csr = NULL;
	scored *sc = NULL;
	int rc = -1;
	if (nl > nscan)
		nl = nscan;
	r->unl = calloc(2 * nd + 2 * nl + 1, sizeof *r->unl);
	if (!r->unl)
		return -1;
	for (size_t i = 0; i < nd; i++) {
		r->unl[r->nunl++] = (probe){&deep[i], LBENCH_UP, 0, 0, 0, 0, 0};
		r->unl[r->nunl++] = (probe){&deep[i], LBENCH_DOWN, 0, 0, 0, 0, 0};
	}
	r->nunl_random = r->nunl;
	if (!nl)
		return 0;
	{
		uint64_t t0 = lbench_now_ns();
		if (lbench_csr_load(&csr, db) != 0)
			goto done;
		r->csr_load_ms = lbench_ms(t0, lbench_now_ns());
	}
	sc = calloc(nscan, sizeof *sc);
	if (!sc)
		goto done;
	for (int dir = 0; dir < 2; dir++) {
		for (size_t i = 0; i < nscan; i++) {
			sc[i].n = lbench_csr_closure(csr, scan[i].id, dir, 0, NULL);
			sc[i].idx = i;
		}
		qsort(sc, nscan, sizeof *sc, by_size_desc);
		for (size_t i = 0; i < nl; i++)
			r->unl[r->nunl++] = (probe){&scan[sc[i].idx], dir, 1, 0, 0, 0, 0};
		r->large_min[dir] = sc[nl - 1].n;
	}
	rc = 0;
done:
	free(sc);
	lbench_csr_free(csr);
	return rc;
}

/* Sample `n` random assets into g_roots; the deep roots are [nd_first, nd_first + nd) and
 * the last `nscan` are scanned for large closures. */
static int sample_roots(run *r, size_t n, size_t nd_first, size_t nd, size_t nscan)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *get = NULL, *q = NULL;
	lbench_rng rng;
	int64_t max_id = 0;
	int rc = -1;
	size_t misses = 0;
	lbench_rng_seed(&rng, (uint64_t)r->cfg.seed * 7919u + 1);
	if (sqlite3_open_v2(r->cfg.db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		goto sqlfail;
	if (sqlite3_prepare_v2(db,
			       "SELECT (SELECT max(id) FROM assets), (SELECT count(*) FROM assets),"
			       " (SELECT count(*) FROM edges WHERE status = 0)",
			       -1, &q, NULL) != SQLITE_OK ||
	    sqlite3_step(q) != SQLITE_ROW)
		goto sqlfail;
	max_id = sqlite3_column_int64(q, 0);
	r->assets = sqlite3_column_int64(q, 1);
	r->active_edges = sqlite3_column_int64(q, 2);
	if (max_id < 1) {
		fprintf(stderr, "bench_core: %s has no assets\n", r->cfg.db);
		goto done;
	}
	if (sqlite3_prepare_v2(db, "SELECT key FROM assets WHERE id = ?", -1, &get, NULL) !=
	    SQLITE_OK)
		goto sqlfail;
	if (max_id > (int64_t)UINT32_MAX) {
		fprintf(stderr, "bench_core: asset ids beyond 32 bits are not supported\n");
		goto done;
	}
	g_roots = calloc(n, sizeof *g_roots);
	if (!g_roots)
		goto done;
	while (g_nroots < n) {
		int64_t id = 1 + (int64_t)lbench_rng_below(&rng, (uint64_t)max_id);
		sqlite3_reset(get);
		sqlite3_bind_int64(get, 1, id);
		if (sqlite3_step(get) != SQLITE_ROW) {
			if (++misses > 100 * n + 1000) {
				fprintf(stderr, "bench_core: too few assets to sample roots from\n");
				goto done;
			}
			continue;
		}
		g_roots[g_nroots].id = id;
		g_roots[g_nroots].key = strdup((const char *)sqlite3_column_text(get, 0));
		if (!g_roots[g_nroots].key)
			goto done;
		g_nroots++;
	}
	rc = make_probes(r, db, g_roots + nd_first, nd, g_roots + n - nscan, nscan);
	goto done;
sqlfail:
	fprintf(stderr, "bench_core: reading %s: %s\n", r->cfg.db, db ? sqlite3_errmsg(db) : "?");
done:
	sqlite3_finalize(get);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return rc;
}

/* ---- The engine ---- */

static int traverse(run *r, lineage_db *db, const root *roots, size_t n, lineage_direction dir,
		    int depth, int which, size_t *sizes)
{
	lineage_query_options o;
	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.max_depth = depth;
	for (size_t i = 0; i < n; i++) {
		lineage_result *res = NULL;
		uint64_t t0 = lbench_now_ns();
		int rc = lineage_query_traverse(&res, db, roots[i].key, dir, &o);
		double ms = lbench_ms(t0, lbench_now_ns());
		size_t count;
		if (rc != 0) {
			fail_lineage("a traversal");
			return -1;
		}
		count = lineage_result_node_count(res);
		lineage_result_free(res);
		if (sizes)
			sizes[i] = count;
		if (add_sample(&r->s[which], ms, (double)count) != 0)
			return -1;
	}
	return 0;
}

static int write_then_query(run *r, lineage_db *db, const root *pairs, size_t n)
{
	lineage_query_options o;
	int64_t *created = calloc(n ? n : 1, sizeof *created);
	size_t ncreated = 0;
	int rc = -1;
	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.max_depth = 3;
	if (!created)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const root *src = &pairs[2 * i], *dst = &pairs[2 * i + 1];
		lineage_edge_spec spec;
		lineage_outcome outcome;
		lineage_result *res = NULL;
		int64_t edge_id = 0;
		uint64_t t0, t1, t2;
		int found = 0;
		if (src->id == dst->id)
			continue;
		lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
		spec.source_key = src->key;
		spec.target_key = dst->key;
		spec.lineage_source = LINEAGE_SOURCE_MANUAL;
		spec.description = "bench_core write-then-query probe";
		t0 = lbench_now_ns();
		if (lineage_edge_upsert(&outcome, &edge_id, db, &spec) != 0) {
			fail_lineage("lineage_edge_upsert (write-then-query)");
			goto done;
		}
		t1 = lbench_now_ns();
		if (lineage_query_downstream(&res, db, src->key, &o) != 0) {
			fail_lineage("lineage_query_downstream (write-then-query)");
			goto done;
		}
		t2 = lbench_now_ns();
		if (outcome == LINEAGE_CREATED)
			created[ncreated++] = edge_id;
		for (size_t k = 0; k < lineage_result_node_count(res) && !found; k++)
			found = lineage_result_node(res, k)->asset_id == dst->id;
		if (!found) {
			fprintf(stderr,
				"bench_core: MISMATCH: after adding %s -> %s, the downstream query "
				"from %s does not include %s\n",
				src->key, dst->key, src->key, dst->key);
			r->mismatches++;
		}
		if (add_sample(&r->s[S_WRITE_QUERY], lbench_ms(t0, t2),
			       (double)lineage_result_node_count(res)) != 0 ||
		    add_sample(&r->s[S_WRITE], lbench_ms(t0, t1), 1) != 0 ||
		    add_sample(&r->s[S_QUERY_AFTER_WRITE], lbench_ms(t1, t2),
			       (double)lineage_result_node_count(res)) != 0) {
			lineage_result_free(res);
			goto done;
		}
		lineage_result_free(res);
	}
	rc = 0;
done:
	/* Take the probes out again, so that the file keeps its shape for --reuse. */
	{
		uint64_t t0 = lbench_now_ns();
		for (size_t i = 0; i < ncreated; i++)
			if (lineage_edge_remove(db, created[i]) != 0) {
				fail_lineage("lineage_edge_remove (probe)");
				rc = -1;
				break;
			}
		r->remove_ms = lbench_ms(t0, lbench_now_ns());
		r->probes_created = ncreated;
	}
	free(created);
	return rc;
}

static int unlimited(run *r, lineage_db *db)
{
	lineage_query_options o;
	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.max_depth = 0;
	for (size_t i = 0; i < r->nunl; i++) {
		probe *p = &r->unl[i];
		lineage_result *res = NULL;
		uint64_t c0 = lbench_thread_cpu_ns(), t0 = lbench_now_ns();
		int rc = lineage_query_traverse(&res, db, p->rt->key,
						p->dir == LBENCH_UP ? LINEAGE_UPSTREAM
								    : LINEAGE_DOWNSTREAM,
						&o);
		int which = p->large ? (p->dir == LBENCH_UP ? S_UPBIG : S_DOWNBIG)
				     : (p->dir == LBENCH_UP ? S_UPALL : S_DOWNALL);
		uint64_t t1 = lbench_now_ns(), c1 = lbench_thread_cpu_ns();
		int64_t sum = 0;
		p->eng_ms = lbench_ms(t0, t1);
		p->eng_cpu_ms = lbench_ms(c0, c1);
		if (rc != 0) {
			fail_lineage("an unlimited traversal");
			return -1;
		}
		p->eng_n = lineage_result_node_count(res);
		/* What a caller does with a closure: read each asset (id, key, distance). */
		for (size_t k = 0; k < p->eng_n; k++) {
			const lineage_node *nd = lineage_result_node(res, k);
			sum += nd->asset_id + nd->distance + (unsigned char)nd->key[0];
		}
		p->eng_read_ms = p->eng_ms + lbench_ms(t1, lbench_now_ns());
		r->read_checksum += sum;
		lineage_result_free(res);
		if (add_sample(&r->s[which], p->eng_ms, (double)p->eng_n) != 0 ||
		    add_sample(&r->s[S_UNL_READ], p->eng_read_ms, (double)p->eng_n) != 0)
			return -1;
	}
	return 0;
}

static int engine_phase(run *r, const root *shallow, size_t ns, const root *impact, size_t ni,
			const root *pairs, size_t nw)
{
	lineage_open_options oo;
	lineage_db *db = NULL;
	lineage_result *res = NULL;
	lineage_query_options o;
	uint64_t t0, t1, t2;
	double cpu0;
	int rc = -1;

	lineage_open_options_init(&oo, LINEAGE_OPEN_OPTIONS_VERSION);
	oo.flags = LINEAGE_OPEN_NOCREATE;
	oo.actor = "bench_core";
	lineage_query_options_init(&o, LINEAGE_QUERY_OPTIONS_VERSION);
	o.max_depth = 3;
	cpu0 = lbench_cpu_ms();
	t0 = lbench_now_ns();
	if (lineage_db_open(&db, r->cfg.db, &oo) != 0) {
		fail_lineage("lineage_db_open");
		return -1;
	}
	t1 = lbench_now_ns();
	if (lineage_query_downstream(&res, db, shallow[0].key, &o) != 0) {
		fail_lineage("the first query");
		goto done;
	}
	t2 = lbench_now_ns();
	r->first_cpu_ms = lbench_cpu_ms() - cpu0;
	lineage_result_free(res);
	r->open_ms = lbench_ms(t0, t1);
	r->first_query_ms = lbench_ms(t1, t2);
	if (!r->cfg.quiet)
		fprintf(stderr,
			"bench_core: open %.1f ms, first query %.1f ms (%.1f ms of CPU); "
			"querying...\n",
			r->open_ms, r->first_query_ms, r->first_cpu_ms);

	if (traverse(r, db, shallow, ns, LINEAGE_UPSTREAM, 1, S_UP1, NULL) ||
	    traverse(r, db, shallow, ns, LINEAGE_DOWNSTREAM, 1, S_DOWN1, NULL) ||
	    traverse(r, db, shallow, ns, LINEAGE_UPSTREAM, 3, S_UP3, r->eng_d3[LBENCH_UP]) ||
	    traverse(r, db, shallow, ns, LINEAGE_DOWNSTREAM, 3, S_DOWN3, r->eng_d3[LBENCH_DOWN]) ||
	    unlimited(r, db))
		goto done;

	for (size_t i = 0; i < ni; i++) {
		uint64_t a = lbench_now_ns();
		double ms;
		if (lineage_query_impact(&res, db, impact[i].key, LINEAGE_CHANGE_DROP, NULL) != 0) {
			fail_lineage("lineage_query_impact");
			goto done;
		}
		ms = lbench_ms(a, lbench_now_ns());
		if (add_sample(&r->s[S_IMPACT], ms, (double)lineage_result_node_count(res)) != 0) {
			lineage_result_free(res);
			goto done;
		}
		lineage_result_free(res);
	}
	if (!r->cfg.quiet)
		fprintf(stderr, "bench_core: write-then-query...\n");
	if (write_then_query(r, db, pairs, nw) != 0)
		goto done;
	rc = 0;
done:
	lineage_db_close(db);
	r->engine_peak_kib = lbench_peak_rss_kib();
	return rc;
}

/* ---- The baselines ---- */

static void mismatch(run *r, const char *who, const root *rt, int dir, int depth, size_t engine,
		     size_t base)
{
	if (r->mismatches < 20)
		fprintf(stderr,
			"bench_core: MISMATCH: %s %s closure of %s (depth %d): engine %zu, "
			"baseline %zu\n",
			who, dir == LBENCH_UP ? "upstream" : "downstream", rt->key, depth, engine,
			base);
	r->mismatches++;
}

static int baseline_phase(run *r, const root *shallow, size_t ns)
{
	sqlite3 *db = NULL;
	lbench_csr *csr = NULL;
	lbench_cte cte;
	int rc = -1, prepared = 0;
	uint64_t t0, budget_start;
	double budget_ms = r->cfg.cte_budget * 1000.0;
	size_t cte_random = 2 * (size_t)r->cfg.cte_roots, cte_shallow = (size_t)r->cfg.cte_shallow;

	if (sqlite3_open_v2(r->cfg.db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_core: opening %s read-only: %s\n", r->cfg.db,
			sqlite3_errmsg(db));
		goto done;
	}
	/* The same page cache as liblineage's default (64 MiB). */
	sqlite3_exec(db, "PRAGMA cache_size = -65536", NULL, NULL, NULL);

	if (!r->cfg.quiet)
		fprintf(stderr, "bench_core: CSR baseline...\n");
	t0 = lbench_now_ns();
	if (lbench_csr_load(&csr, db) != 0)
		goto done;
	r->csr_load_ms = lbench_ms(t0, lbench_now_ns());
	for (size_t i = 0; i < r->nunl; i++) {
		const probe *p = &r->unl[i];
		uint64_t c = lbench_thread_cpu_ns(), a = lbench_now_ns();
		size_t n = lbench_csr_closure(csr, p->rt->id, p->dir, 0, NULL);
		double ms = lbench_ms(a, lbench_now_ns());
		r->csr_all_cpu += lbench_ms(c, lbench_thread_cpu_ns());
		r->eng_all_cpu += p->eng_cpu_ms;
		if (add_sample(&r->s[S_CSR_ALL], ms, (double)n) != 0)
			goto done;
		r->csr_all_sum += ms;
		r->eng_all_sum += p->eng_ms;
		r->eng_read_sum += p->eng_read_ms;
		if (i < r->nunl_random) {
			r->csr_rand_sum += ms;
			r->eng_rand_sum += p->eng_ms;
		}
		if (n != p->eng_n)
			mismatch(r, "CSR", p->rt, p->dir, 0, p->eng_n, n);
	}
	for (int dir = 0; dir < 2; dir++) {
		for (size_t i = 0; i < ns; i++) {
			uint64_t a = lbench_now_ns();
			size_t n = lbench_csr_closure(csr, shallow[i].id, dir, 3, NULL);
			double ms = lbench_ms(a, lbench_now_ns());
			if (add_sample(&r->s[S_CSR_3], ms, (double)n) != 0)
				goto done;
			if (n != r->eng_d3[dir][i])
				mismatch(r, "CSR", &shallow[i], dir, 3, r->eng_d3[dir][i], n);
		}
	}
	lbench_csr_free(csr);
	csr = NULL;

	if (budget_ms <= 0) { /* --cte-budget 0: no CTE at all */
		rc = 0;
		goto done;
	}
	if (lbench_cte_prepare(&cte, db) != 0)
		goto done;
	prepared = 1;
	if (!r->cfg.quiet)
		fprintf(stderr, "bench_core: recursive CTE baseline (budget %.0f s)...\n",
			r->cfg.cte_budget);
	/* Unlimited closures: the large probes and the first random ones, until half of the
	 * time budget is spent. */
	budget_start = lbench_now_ns();
	for (size_t k = 0; k < r->nunl; k++) {
		/* Large probes first: they matter most for the ratio. */
		size_t i = k < r->nunl - r->nunl_random ? r->nunl_random + k
							: k - (r->nunl - r->nunl_random);
		const probe *p = &r->unl[i];
		size_t n = 0;
		uint64_t a, c;
		double ms;
		if (i < r->nunl_random && i >= cte_random)
			continue;
		if (k > 0 && lbench_ms(budget_start, lbench_now_ns()) > budget_ms / 2)
			break;
		c = lbench_thread_cpu_ns();
		a = lbench_now_ns();
		if (lbench_cte_closure(&n, &cte, p->rt->id, p->dir, 0) != 0)
			goto done;
		ms = lbench_ms(a, lbench_now_ns());
		r->cte_all_cpu += lbench_ms(c, lbench_thread_cpu_ns());
		r->eng_cte_all_cpu += p->eng_cpu_ms;
		if (add_sample(&r->s[S_CTE_ALL], ms, (double)n) != 0)
			goto done;
		r->cte_all_sum += ms;
		r->eng_cte_all_sum += p->eng_ms;
		if (n != p->eng_n)
			mismatch(r, "CTE", p->rt, p->dir, 0, p->eng_n, n);
		r->cte_all_done++;
	}
	budget_start = lbench_now_ns();
	for (size_t i = 0; i < ns && i < cte_shallow; i++) {
		if (i > 0 && lbench_ms(budget_start, lbench_now_ns()) > budget_ms / 2)
			break;
		for (int dir = 0; dir < 2; dir++) {
			int which = dir == LBENCH_UP ? S_UP3 : S_DOWN3;
			size_t n = 0;
			uint64_t a = lbench_now_ns();
			double ms;
			if (lbench_cte_closure(&n, &cte, shallow[i].id, dir, 3) != 0)
				goto done;
			ms = lbench_ms(a, lbench_now_ns());
			if (add_sample(&r->s[S_CTE_3], ms, (double)n) != 0)
				goto done;
			r->cte_d3_sum += ms;
			r->eng_cte_d3_sum += r->s[which].ms.v[i];
			if (n != r->eng_d3[dir][i])
				mismatch(r, "CTE", &shallow[i], dir, 3, r->eng_d3[dir][i], n);
		}
		r->cte_d3_done++;
	}
	rc = 0;
done:
	if (prepared)
		lbench_cte_finalize(&cte);
	lbench_csr_free(csr);
	sqlite3_close(db);
	return rc;
}

/* ---- Report ---- */

typedef struct target {
	const char *key, *what, *unit, *op;
	double value, limit;
	int known;
} target;

static double ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

static size_t targets(const run *r, target *t)
{
	size_t n = 0;
	t[n++] = (target){"closure_vs_csr", "unlimited closure, engine / CSR BFS (CPU)", "x", "<=",
			  ratio(r->eng_all_cpu, r->csr_all_cpu), 2.0, r->csr_all_cpu > 0};
	t[n++] = (target){"cte_vs_closure", "unlimited closure, CTE / engine (CPU)", "x",
			  ">=", ratio(r->cte_all_cpu, r->eng_cte_all_cpu), 30.0, r->cte_all_done > 0};
	t[n++] = (target){"depth3_p50", "depth-3 p50 (upstream and downstream)", "ms", "<",
			  lbench_percentile(&r->s[S_UP3].ms, 50) >
					  lbench_percentile(&r->s[S_DOWN3].ms, 50)
				  ? lbench_percentile(&r->s[S_UP3].ms, 50)
				  : lbench_percentile(&r->s[S_DOWN3].ms, 50),
			  0.2, r->s[S_UP3].ms.n > 0};
	t[n++] = (target){"write_then_query_p50", "write-then-query p50", "ms", "<",
			  lbench_percentile(&r->s[S_WRITE_QUERY].ms, 50), 5.0,
			  r->s[S_WRITE_QUERY].ms.n > 0};
	t[n++] = (target){"write_then_query_p99", "write-then-query p99", "ms", "<",
			  lbench_percentile(&r->s[S_WRITE_QUERY].ms, 99), 5.0,
			  r->s[S_WRITE_QUERY].ms.n > 0};
	t[n++] = (target){"open_to_first_query", "open-to-first-query", "ms", "<",
			  r->open_ms + r->first_query_ms, 2000.0, 1};
	t[n++] = (target){"peak_rss", "peak RSS (open, queries, writes)", "MiB", "<",
			  (double)r->engine_peak_kib / 1024.0, 1024.0, r->engine_peak_kib > 0};
	return n;
}

static int met(const target *t)
{
	if (strcmp(t->op, "<=") == 0)
		return t->value <= t->limit;
	if (strcmp(t->op, ">=") == 0)
		return t->value >= t->limit;
	return t->value < t->limit;
}

static void print_table(const run *r)
{
	target t[8];
	size_t nt = targets(r, t);
	printf("\nliblineage core benchmark: %s\n", r->cfg.db);
	printf("  %lld assets, %lld active edges", (long long)r->assets,
	       (long long)r->active_edges);
	if (r->have_load) {
		double total = r->gen.load.asset_seconds + r->gen.load.edge_seconds;
		printf(";\n  loaded through the API in %.1f s: %.0f assets/s, %.0f edges/s "
		       "(%.0f rows/s; %.0f rows per CPU second; %zu transactions; %.0f MiB file)\n",
		       total, ratio((double)r->gen.assets, r->gen.load.asset_seconds),
		       ratio((double)r->gen.edges, r->gen.load.edge_seconds),
		       ratio((double)(r->gen.assets + r->gen.edges), total),
		       ratio((double)(r->gen.assets + r->gen.edges), r->gen.load_cpu_seconds),
		       r->gen.load.transactions, (double)r->gen.file_kib / 1024.0);
	} else {
		printf(" (reused file: load rate not measured in this run)\n");
	}
	printf("  open-to-first-query: %.1f ms (open %.1f ms + first query %.1f ms, engine build "
	       "included; %.1f ms of CPU)\n\n",
	       r->open_ms + r->first_query_ms, r->open_ms, r->first_query_ms, r->first_cpu_ms);
	printf("  %-28s %6s %10s %10s %10s %12s %10s\n", "measure", "n", "p50 ms", "p99 ms",
	       "mean ms", "mean nodes", "max nodes");
	for (int i = 0; i < S_COUNT; i++) {
		const series *s = &r->s[i];
		if (!s->ms.n)
			continue;
		printf("  %-28s %6zu %10.4f %10.4f %10.4f %12.1f %10.0f\n", series_names[i], s->ms.n,
		       lbench_percentile(&s->ms, 50), lbench_percentile(&s->ms, 99),
		       lbench_mean(&s->ms), lbench_mean(&s->nodes), lbench_max(&s->nodes));
	}
	printf("\n  unlimited closures: %zu random (both directions of each root) and %zu large "
	       "(the largest of %lld scanned roots per direction: at least %zu downstream, %zu "
	       "upstream nodes)\n",
	       r->nunl_random, r->nunl - r->nunl_random, r->cfg.large_scan,
	       r->large_min[LBENCH_DOWN], r->large_min[LBENCH_UP]);
	printf("  sums over the same closures: engine / CSR %.2fx wall (%.2fx CPU), %.2fx over the "
	       "random roots only, %.2fx for the query and a read of every node;\n"
	       "  CTE / engine %.1fx wall (%.1fx CPU); CSR load %.0f ms\n",
	       ratio(r->eng_all_sum, r->csr_all_sum), ratio(r->eng_all_cpu, r->csr_all_cpu),
	       ratio(r->eng_rand_sum, r->csr_rand_sum), ratio(r->eng_read_sum, r->csr_all_sum),
	       ratio(r->cte_all_sum, r->eng_cte_all_sum), ratio(r->cte_all_cpu, r->eng_cte_all_cpu),
	       r->csr_load_ms);
	printf("  recursive CTE over %zu unlimited closures and %zu depth-3 roots (both "
	       "directions); depth-3 CTE / engine %.1fx (sum)\n",
	       r->cte_all_done, r->cte_d3_done, ratio(r->cte_d3_sum, r->eng_cte_d3_sum));
	printf("  probe edges created and removed: %zu (removal %.1f ms in all)\n",
	       r->probes_created, r->remove_ms);
	printf("  peak RSS: %.0f MiB before opening, %.0f MiB through the engine phase, %.0f MiB "
	       "for the whole process (baselines included)",
	       (double)r->rss_before_kib / 1024.0, (double)r->engine_peak_kib / 1024.0,
	       (double)r->process_peak_kib / 1024.0);
	if (r->have_load)
		printf("; generator process %.0f MiB", (double)r->gen_child_rss_kib / 1024.0);
	printf("\n\n  %-44s %12s %12s  %s\n", "target", "measured", "target", "");
	for (size_t i = 0; i < nt; i++) {
		char m[32], l[32];
		snprintf(m, sizeof m, "%.3g %s", t[i].value, t[i].unit);
		snprintf(l, sizeof l, "%s %.3g %s", t[i].op, t[i].limit, t[i].unit);
		printf("  %-44s %12s %12s  %s\n", t[i].what, t[i].known ? m : "n/a", l,
		       !t[i].known ? "NOT MEASURED" : met(&t[i]) ? "MET" : "MISSED");
	}
	printf("\n  closure sizes: %s (%zu mismatches)\n\n",
	       r->mismatches ? "ENGINE AND BASELINES DISAGREE" : "engine, CSR and CTE agree",
	       r->mismatches);
}

static void print_series_json(FILE *f, const series *s, const char *key)
{
	fprintf(f,
		"\"%s\":{\"n\":%zu,\"p50_ms\":%.5f,\"p99_ms\":%.5f,\"mean_ms\":%.5f,"
		"\"max_ms\":%.5f,\"mean_nodes\":%.1f,\"max_nodes\":%.0f}",
		key, s->ms.n, lbench_percentile(&s->ms, 50), lbench_percentile(&s->ms, 99),
		lbench_mean(&s->ms), lbench_max(&s->ms), lbench_mean(&s->nodes),
		lbench_max(&s->nodes));
}

static void print_json(FILE *f, const run *r)
{
	target t[8];
	size_t nt = targets(r, t);
	fputs("{\"benchmark\":\"core\",\"db\":", f);
	lbench_json_string(f, r->cfg.db);
	fprintf(f, ",\"assets\":%lld,\"active_edges\":%lld,", (long long)r->assets,
		(long long)r->active_edges);
	if (r->have_load) {
		fprintf(f, "\"load\":{");
		lbench_gen_report_json_fields(f, &r->params, &r->gen);
		fputc('}', f);
	} else {
		fprintf(f, "\"load\":null");
	}
	fprintf(f,
		",\"open_ms\":%.3f,\"first_query_ms\":%.3f,\"open_to_first_query_ms\":%.3f,"
		"\"open_to_first_query_cpu_ms\":%.3f",
		r->open_ms, r->first_query_ms, r->open_ms + r->first_query_ms, r->first_cpu_ms);
	for (int i = 0; i < S_COUNT; i++) {
		fputc(',', f);
		print_series_json(f, &r->s[i], series_keys[i]);
	}
	fprintf(f,
		",\"csr_load_ms\":%.1f,\"cte_unlimited_closures\":%zu,\"cte_depth3_roots\":%zu,"
		"\"large_min_nodes\":{\"downstream\":%zu,\"upstream\":%zu},"
		"\"ratios\":{\"engine_over_csr_unlimited_cpu\":%.3f,"
		"\"cte_over_engine_unlimited_cpu\":%.2f,\"engine_over_csr_unlimited\":%.3f,"
		"\"engine_over_csr_unlimited_random\":%.3f,\"engine_read_over_csr_unlimited\":%.3f,"
		"\"cte_over_engine_unlimited\":%.2f,"
		"\"cte_over_engine_depth3\":%.2f},"
		"\"rss_mib\":{\"before_open\":%.1f,\"engine_phase_peak\":%.1f,\"process_peak\":%.1f,"
		"\"generator_peak\":%.1f},\"mismatches\":%zu,\"targets\":{",
		r->csr_load_ms, r->cte_all_done, r->cte_d3_done, r->large_min[LBENCH_DOWN],
		r->large_min[LBENCH_UP], ratio(r->eng_all_cpu, r->csr_all_cpu),
		ratio(r->cte_all_cpu, r->eng_cte_all_cpu), ratio(r->eng_all_sum, r->csr_all_sum),
		ratio(r->eng_rand_sum, r->csr_rand_sum), ratio(r->eng_read_sum, r->csr_all_sum),
		ratio(r->cte_all_sum, r->eng_cte_all_sum), ratio(r->cte_d3_sum, r->eng_cte_d3_sum),
		(double)r->rss_before_kib / 1024.0, (double)r->engine_peak_kib / 1024.0,
		(double)r->process_peak_kib / 1024.0, (double)r->gen_child_rss_kib / 1024.0,
		r->mismatches);
	for (size_t i = 0; i < nt; i++)
		fprintf(f, "%s\"%s\":{\"value\":%.5g,\"limit\":%.5g,\"met\":%s}", i ? "," : "",
			t[i].key, t[i].value, t[i].limit,
			!t[i].known ? "null" : met(&t[i]) ? "true" : "false");
	fputs("}}\n", f);
}

/* ---- Main ---- */

static int parse(config *c, int argc, char **argv)
{
	const lbench_flag flags[] = {
		{"db", LBENCH_FLAG_STRING, &c->db,
		 "database file (default lineage_bench_<assets>_s<seed>.db)"},
		{"reuse", LBENCH_FLAG_BOOL, &c->reuse, "use the file as it is when it exists"},
		{"force", LBENCH_FLAG_BOOL, &c->force, "replace the file when it exists"},
		{"scale", LBENCH_FLAG_DOUBLE, &c->scale,
		 "fraction of full scale (1M assets, 3M edges); default 1"},
		{"assets", LBENCH_FLAG_INT, &c->assets, "number of assets (overrides --scale)"},
		{"seed", LBENCH_FLAG_INT, &c->seed, "random seed of the warehouse and roots (42)"},
		{"roots", LBENCH_FLAG_INT, &c->roots, "random roots at depth 1 and 3 (1000)"},
		{"deep-roots", LBENCH_FLAG_INT, &c->deep_roots, "random roots, unlimited depth (50)"},
		{"large-roots", LBENCH_FLAG_INT, &c->large_roots,
		 "roots with the largest closures, per direction (10)"},
		{"large-scan", LBENCH_FLAG_INT, &c->large_scan,
		 "random roots scanned for the largest closures (5000)"},
		{"impact-roots", LBENCH_FLAG_INT, &c->impact_roots, "random roots of impact (200)"},
		{"writes", LBENCH_FLAG_INT, &c->writes, "write-then-query iterations (200)"},
		{"cte-roots", LBENCH_FLAG_INT, &c->cte_roots,
		 "random deep roots also run as a CTE, besides the large ones (20)"},
		{"cte-depth3-roots", LBENCH_FLAG_INT, &c->cte_shallow,
		 "roots of the depth-3 CTE (200)"},
		{"cte-budget", LBENCH_FLAG_DOUBLE, &c->cte_budget,
		 "seconds the CTE may take in all (120; 0: no CTE); fewer roots when slow"},
		{"batch", LBENCH_FLAG_INT, &c->batch, "upserts per transaction when loading (250000)"},
		{"json", LBENCH_FLAG_STRING, &c->json_out, "also write the JSON line to this file"},
		{"quiet", LBENCH_FLAG_BOOL, &c->quiet, "no progress on stderr"},
	};
	int rc;
	memset(c, 0, sizeof *c);
	c->scale = 1.0;
	c->seed = 42;
	c->roots = 1000;
	c->deep_roots = 50;
	c->large_roots = 10;
	c->large_scan = 5000;
	c->impact_roots = 200;
	c->writes = 200;
	c->cte_roots = 20;
	c->cte_shallow = 200;
	c->cte_budget = 120;
	c->batch = 250000;
	rc = lbench_flags_parse(argc, argv, flags, sizeof flags / sizeof flags[0],
				"The core benchmark of liblineage: load, open, traversals, impact, "
				"write-then-query, peak RSS,\nagainst a CSR BFS and a recursive CTE "
				"over the same file. See bench/README.md.");
	if (rc != 0)
		return rc > 0 ? 1 : -1;
	if (c->scale <= 0 || c->assets < 0 || c->seed < 0 || c->roots < 1 || c->deep_roots < 1 ||
	    c->impact_roots < 0 || c->large_roots < 0 || c->large_scan < c->large_roots || c->writes < 0 || c->cte_roots < 0 || c->cte_shallow < 0 ||
	    c->batch < 1 || c->cte_budget < 0) {
		fprintf(stderr, "%s: counts must be positive (--roots and --deep-roots at least 1)\n",
			argv[0]);
		return -1;
	}
	if (c->roots > 10000000 || c->deep_roots > 1000000 || c->impact_roots > 1000000 ||
	    c->writes > 1000000 || c->large_scan > 1000000) {
		fprintf(stderr, "%s: too many roots or writes asked for\n", argv[0]);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	run *r = calloc(1, sizeof *r);
	size_t ns, nd, ni, nw, nscan, total;
	struct stat st;
	int rc = 1, exists;
	if (!r)
		return 1;
	switch (parse(&r->cfg, argc, argv)) {
	case 0:
		break;
	case 1:
		free(r);
		return 0;
	default:
		free(r);
		return 2;
	}
	lbench_wh_params_init(&r->params);
	r->params.assets = r->cfg.assets ? (size_t)r->cfg.assets
					 : (size_t)(r->cfg.scale * LBENCH_WH_FULL_ASSETS);
	r->params.seed = (uint64_t)r->cfg.seed;
	if (r->params.assets < 100) {
		fprintf(stderr, "%s: at least 100 assets are needed\n", argv[0]);
		free(r);
		return 2;
	}
	if (!r->cfg.db) {
		snprintf(r->cfg.db_buf, sizeof r->cfg.db_buf, "lineage_bench_%zu_s%llu.db",
			 r->params.assets, (unsigned long long)r->params.seed);
		r->cfg.db = r->cfg.db_buf;
	}
	for (int i = 0; i < S_COUNT; i++)
		r->s[i].name = series_names[i];

	exists = stat(r->cfg.db, &st) == 0;
	if (exists && !r->cfg.reuse && !r->cfg.force) {
		fprintf(stderr,
			"%s: %s exists: pass --reuse to measure it as it is, or --force to "
			"generate it again\n",
			argv[0], r->cfg.db);
		goto done;
	}
	if (exists && r->cfg.force) {
		char side[600];
		remove(r->cfg.db);
		snprintf(side, sizeof side, "%s-wal", r->cfg.db);
		remove(side);
		snprintf(side, sizeof side, "%s-shm", r->cfg.db);
		remove(side);
		exists = 0;
	}
	if (!exists && generate_in_child(r) != 0)
		goto done;

	ns = (size_t)r->cfg.roots;
	nd = (size_t)r->cfg.deep_roots;
	ni = (size_t)r->cfg.impact_roots;
	nw = (size_t)r->cfg.writes;
	nscan = r->cfg.large_roots ? (size_t)r->cfg.large_scan : 0;
	/* Roots: shallow, deep, impact, write pairs, then the scan for large closures. */
	total = ns + nd + ni + 2 * nw + nscan;
	if (sample_roots(r, total, ns, nd, nscan) != 0)
		goto done;
	for (int d = 0; d < 2; d++) {
		r->eng_d3[d] = calloc(ns, sizeof *r->eng_d3[d]);
		if (!r->eng_d3[d])
			goto done;
	}

	/* Peak RSS from here on is the library's (plus this small program). */
	lbench_reset_peak_rss();
	r->rss_before_kib = lbench_current_rss_kib();
	if (engine_phase(r, g_roots, ns, g_roots + ns + nd, ni, g_roots + ns + nd + ni, nw) != 0)
		goto done;
	if (baseline_phase(r, g_roots, ns) != 0)
		goto done;
	r->process_peak_kib = lbench_peak_rss_kib();

	print_table(r);
	print_json(stdout, r);
	if (r->cfg.json_out) {
		FILE *f = fopen(r->cfg.json_out, "w");
		if (!f) {
			fprintf(stderr, "%s: cannot write %s: %s\n", argv[0], r->cfg.json_out,
				strerror(errno));
			goto done;
		}
		print_json(f, r);
		fclose(f);
	}
	rc = r->mismatches ? 3 : 0;
done:
	for (size_t i = 0; i < g_nroots; i++)
		free(g_roots[i].key);
	free(g_roots);
	for (int d = 0; d < 2; d++)
		free(r->eng_d3[d]);
	free(r->unl);
	for (int i = 0; i < S_COUNT; i++) {
		lbench_samples_free(&r->s[i].ms);
		lbench_samples_free(&r->s[i].nodes);
	}
	free(r);
	return rc;
}
