/*
 * bench_generate: write a synthetic warehouse (bench/gen/warehouse.h) to a new liblineage
 * database file, through the public API, and report the load rate.
 *
 *   bench_generate --out warehouse.db                 # full scale: ~1M assets, ~3M edges
 *   bench_generate --assets 100000 --out small.db     # or --scale 0.1
 *
 * Used by the other benchmarks and by the Python and Node binding benchmarks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lbench.h"
#include "warehouse.h"

int main(int argc, char **argv)
{
	const char *out = NULL;
	long long assets = 0, seed = 42, batch = 250000;
	double scale = 1.0, edges_per_asset = 3.0;
	int force = 0, quiet = 0;
	lbench_wh_params p;
	lbench_gen_report report;
	const lbench_flag flags[] = {
		{"out", LBENCH_FLAG_STRING, &out, "database file to create (required)"},
		{"assets", LBENCH_FLAG_INT, &assets, "number of assets (default: 1000000 x scale)"},
		{"scale", LBENCH_FLAG_DOUBLE, &scale, "fraction of full scale (default 1)"},
		{"edges-per-asset", LBENCH_FLAG_DOUBLE, &edges_per_asset,
		 "edges per asset (default 3)"},
		{"seed", LBENCH_FLAG_INT, &seed, "random seed (default 42)"},
		{"batch", LBENCH_FLAG_INT, &batch, "upserts per transaction (default 250000)"},
		{"force", LBENCH_FLAG_BOOL, &force, "replace FILE when it exists"},
		{"quiet", LBENCH_FLAG_BOOL, &quiet, "no progress on stderr"},
	};
	int rc = lbench_flags_parse(argc, argv, flags, sizeof flags / sizeof flags[0],
				    "Write a synthetic data warehouse to a new liblineage database "
				    "and print one JSON line with the load rate.");
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	if (!out) {
		fprintf(stderr, "%s: --out FILE is required (see --help)\n", argv[0]);
		return 2;
	}
	if (scale <= 0 || edges_per_asset <= 0 || batch <= 0 || assets < 0 || seed < 0) {
		fprintf(stderr, "%s: --scale, --edges-per-asset and --batch must be positive\n",
			argv[0]);
		return 2;
	}
	lbench_wh_params_init(&p);
	p.assets = assets ? (size_t)assets : (size_t)(scale * LBENCH_WH_FULL_ASSETS);
	p.edges_per_asset = edges_per_asset;
	p.seed = (uint64_t)seed;
	if (p.assets < 100) {
		fprintf(stderr, "%s: at least 100 assets are needed (--assets or --scale)\n",
			argv[0]);
		return 2;
	}
	if (force && access(out, F_OK) == 0) {
		char side[4096];
		remove(out);
		snprintf(side, sizeof side, "%s-wal", out);
		remove(side);
		snprintf(side, sizeof side, "%s-shm", out);
		remove(side);
	}
	if (lbench_generate_file(out, &p, (size_t)batch, !quiet, &report) != 0)
		return 1;
	if (!quiet)
		fprintf(stderr, "bench: stored %zu assets in %.1f s (%.0f/s) and %zu edges in %.1f s "
				"(%.0f/s); %.1f s of CPU; %s is %.0f MiB\n",
			report.assets, report.load.asset_seconds,
			(double)report.assets / report.load.asset_seconds, report.edges,
			report.load.edge_seconds, (double)report.edges / report.load.edge_seconds,
			report.load_cpu_seconds, out, (double)report.file_kib / 1024.0);
	lbench_gen_report_json(stdout, "generate", out, &p, &report);
	return 0;
}
