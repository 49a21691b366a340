/* Generating a warehouse straight into a new database file (bench_generate, bench_core). */
#include "warehouse.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/lbench.h"

typedef struct progress_state {
	const char *stage;
	uint64_t start, last; /* when the stage started; the previous report */
} progress_state;

static void print_progress(const char *stage, size_t done, size_t total, void *payload)
{
	progress_state *ps = payload;
	uint64_t now = lbench_now_ns();
	double s;
	if (strcmp(ps->stage, stage) != 0) { /* the previous stage ended at the last report */
		ps->stage = stage;
		ps->start = ps->last;
	}
	s = lbench_ms(ps->start, now) / 1000.0;
	fprintf(stderr, "  %-6s %9zu / %zu  (%.1f s, %.0f rows/s)\n", stage, done, total, s,
		s > 0 ? (double)done / s : 0.0);
	ps->last = now;
}

int lbench_generate_file(const char *path, const lbench_wh_params *p, size_t batch,
			 int verbose, lbench_gen_report *r)
{
	lbench_warehouse *wh = NULL;
	lineage_db *db = NULL;
	progress_state ps;
	double cpu0;
	struct stat st;
	uint64_t t0, t1;
	int rc = 1;
	memset(r, 0, sizeof *r);
	if (stat(path, &st) == 0) {
		fprintf(stderr, "bench: %s already exists; remove it or pick another path\n", path);
		return 1;
	}
	t0 = lbench_now_ns();
	if (lbench_warehouse_generate(&wh, p) != 0) {
		fprintf(stderr, "bench: generating the warehouse failed (out of memory, or fewer "
				"than 100 assets asked for)\n");
		return 1;
	}
	r->generate_seconds = lbench_ms(t0, lbench_now_ns()) / 1000.0;
	r->assets = wh->asset_count;
	r->edges = wh->edge_count;
	r->table_edges = wh->table_edge_count;
	r->column_edges = wh->column_edge_count;
	r->tables = wh->table_count;
	r->columns = wh->column_count;
	r->dashboards = wh->dashboard_count;
	r->jobs = wh->job_count;
	r->cycle_edges = wh->cycle_edge_count;
	r->self_loops = wh->self_loop_count;
	r->max_consumers = wh->max_consumers;
	if (verbose)
		fprintf(stderr,
			"bench: generated %zu assets (%zu tables, %zu columns, %zu dashboards, %zu "
			"jobs) and %zu edges (%zu table, %zu column) in %.2f s; storing into %s\n",
			r->assets, r->tables, r->columns, r->dashboards, r->jobs, r->edges,
			r->table_edges, r->column_edges, r->generate_seconds, path);
	if (lineage_db_open(&db, path, NULL) != 0) {
		fprintf(stderr, "bench: cannot create %s: %s\n", path, lineage_error_last()->message);
		goto done;
	}
	ps.stage = "assets";
	cpu0 = lbench_cpu_ms();
	ps.start = ps.last = t0 = lbench_now_ns();
	if (lbench_warehouse_store(db, wh, batch, &r->load, verbose ? print_progress : NULL,
				   &ps) != 0)
		goto done;
	t1 = lbench_now_ns();
	lineage_db_close(db);
	db = NULL;
	r->close_seconds = lbench_ms(t1, lbench_now_ns()) / 1000.0;
	r->load_cpu_seconds = (lbench_cpu_ms() - cpu0) / 1000.0;
	if (stat(path, &st) == 0)
		r->file_kib = (long)(st.st_size / 1024);
	rc = 0;
done:
	lineage_db_close(db);
	lbench_warehouse_free(wh);
	return rc;
}

void lbench_gen_report_json_fields(FILE *f, const lbench_wh_params *p,
				   const lbench_gen_report *r)
{
	double total = r->load.asset_seconds + r->load.edge_seconds;
	fprintf(f,
		"\"seed\":%llu,\"target_assets\":%zu,"
		"\"assets\":%zu,\"edges\":%zu,\"table_edges\":%zu,\"column_edges\":%zu,"
		"\"tables\":%zu,\"columns\":%zu,\"dashboards\":%zu,\"jobs\":%zu,"
		"\"cycle_edges\":%zu,\"self_loops\":%zu,\"max_consumers\":%zu,"
		"\"generate_s\":%.3f,\"load_assets_s\":%.3f,\"load_edges_s\":%.3f,"
		"\"assets_per_s\":%.0f,\"edges_per_s\":%.0f,\"rows_per_s\":%.0f,"
		"\"transactions\":%zu,\"close_s\":%.3f,\"load_cpu_s\":%.3f,\"file_mib\":%.1f",
		(unsigned long long)p->seed, p->assets, r->assets, r->edges,
		r->table_edges, r->column_edges, r->tables, r->columns, r->dashboards, r->jobs,
		r->cycle_edges, r->self_loops, r->max_consumers, r->generate_seconds,
		r->load.asset_seconds, r->load.edge_seconds,
		r->load.asset_seconds > 0 ? (double)r->assets / r->load.asset_seconds : 0.0,
		r->load.edge_seconds > 0 ? (double)r->edges / r->load.edge_seconds : 0.0,
		total > 0 ? (double)(r->assets + r->edges) / total : 0.0, r->load.transactions,
		r->close_seconds, r->load_cpu_seconds, (double)r->file_kib / 1024.0);
}

void lbench_gen_report_json(FILE *f, const char *name, const char *path,
			    const lbench_wh_params *p, const lbench_gen_report *r)
{
	fputs("{\"benchmark\":", f);
	lbench_json_string(f, name);
	fputs(",\"db\":", f);
	lbench_json_string(f, path);
	fputc(',', f);
	lbench_gen_report_json_fields(f, p, r);
	fputs("}\n", f);
}
