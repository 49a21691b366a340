/*
 * A synthetic data warehouse of realistic shape, for the benchmarks (C, and through
 * bench_generate the Python and Node binding benchmarks).
 *
 * Shape: source systems (operational databases, a CRM, Kafka topics, landing files) feed a
 * warehouse in layers -- raw (1:1 copies) -> staging -> intermediate (chains of joins) ->
 * marts -> reports -> BI dashboards -- each table with 5 to 40 columns (column assets whose
 * parent is the table), each derived table moved by one orchestrator job. Upstream tables are
 * picked with heavy-tailed (Zipf, preferential) popularity, so a few hubs (dimension tables,
 * core marts) have thousands of consumers, and fan-in is Pareto-distributed. Column edges
 * join columns of linked tables. A few reverse-ETL flows (a mart written back into a source
 * system) close cycles, and a few incremental marts read themselves (self-loops of kind
 * "incremental"). Edges mix inferred (with confidences), manual and approved lineage.
 *
 * Everything is deterministic for a given seed and size.
 */
#ifndef LBENCH_WAREHOUSE_H
#define LBENCH_WAREHOUSE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <lineage/lineage.h>

/* Warehouse layers (lbench_wh_asset.layer). */
enum {
	LBENCH_LAYER_NONE = 0, /* containers, jobs */
	LBENCH_LAYER_SOURCE,
	LBENCH_LAYER_RAW,
	LBENCH_LAYER_STAGING,
	LBENCH_LAYER_INTERMEDIATE,
	LBENCH_LAYER_MART,
	LBENCH_LAYER_REPORT,
	LBENCH_LAYER_DASHBOARD,
	LBENCH_LAYER_COUNT
};

typedef struct lbench_wh_asset {
	uint32_t key_off; /* offset of the key in lbench_warehouse.keys */
	int32_t parent;   /* index of the parent asset, -1 for none; always a lower index */
	uint8_t kind;     /* index into lbench_wh_kind_names */
	uint8_t layer;    /* LBENCH_LAYER_* */
	uint8_t domain;   /* index into the domain list (owner "team-<domain>") */
	uint8_t data_type;/* columns: index into the data type list */
} lbench_wh_asset;

typedef struct lbench_wh_edge {
	uint32_t source;    /* asset index */
	uint32_t target;    /* asset index */
	int32_t job;        /* asset index of the job, -1 for none */
	uint8_t kind;       /* 0 "flow", 1 "incremental" */
	uint8_t lsource;    /* lineage_source */
	uint8_t ttype;      /* index into the transformation type list */
	uint8_t is_column;  /* a column-level edge */
	float confidence;   /* 0..1 */
} lbench_wh_edge;

typedef struct lbench_warehouse {
	lbench_wh_asset *assets;
	size_t asset_count;
	char *keys; /* NUL-terminated keys, back to back */
	size_t keys_len;
	lbench_wh_edge *edges;
	size_t edge_count;
	size_t table_count;       /* tables, views, topics, files, reports (with columns) */
	size_t column_count;
	size_t dashboard_count;
	size_t job_count;
	size_t table_edge_count;  /* edges between tables/dashboards */
	size_t column_edge_count;
	size_t cycle_edge_count;  /* reverse-ETL table edges that close cycles */
	size_t self_loop_count;
	size_t max_consumers;     /* largest number of table-level consumers of one table */
} lbench_warehouse;

typedef struct lbench_wh_params {
	size_t assets;           /* target number of assets (the result is within a few %) */
	double edges_per_asset;  /* target edges / assets; default 3 */
	uint64_t seed;           /* default 42 */
} lbench_wh_params;

/* Full scale: about 1M assets and 3M edges. */
#define LBENCH_WH_FULL_ASSETS 1000000u

/* Fill `p` with the defaults (full scale). */
void lbench_wh_params_init(lbench_wh_params *p);

/* Generate a warehouse in memory. Returns 0, or -1 (out of memory, or assets < 100). */
int lbench_warehouse_generate(lbench_warehouse **out, const lbench_wh_params *p);

void lbench_warehouse_free(lbench_warehouse *wh);

/* The key of asset i (borrowed from the warehouse). */
const char *lbench_wh_key(const lbench_warehouse *wh, size_t i);

/* Names behind the small codes. */
const char *lbench_wh_kind_name(unsigned kind);
const char *lbench_wh_layer_name(unsigned layer);
const char *lbench_wh_ttype_name(unsigned ttype);
const char *lbench_wh_edge_kind_name(unsigned kind);

/* Timings and counts of lbench_warehouse_store(). */
typedef struct lbench_load_stats {
	double asset_seconds;
	double edge_seconds;
	size_t assets_created;
	size_t edges_created;
	size_t transactions;
} lbench_load_stats;

/* Called every `batch` rows with what is done; may be NULL. */
typedef void (*lbench_load_progress)(const char *stage, size_t done, size_t total,
				     void *payload);

/*
 * Store the warehouse through the public API (lineage_asset_upsert, then
 * lineage_edge_upsert), `batch` upserts per lineage_db_begin/commit transaction (0 means
 * one transaction per 250000). On failure, the open transaction is rolled back, the
 * liblineage error message is printed to stderr and its code is returned.
 */
int lbench_warehouse_store(lineage_db *db, const lbench_warehouse *wh, size_t batch,
			   lbench_load_stats *stats, lbench_load_progress progress,
			   void *payload);

/* What lbench_generate_file() did. */
typedef struct lbench_gen_report {
	size_t assets, edges, table_edges, column_edges, tables, columns, dashboards, jobs;
	size_t cycle_edges, self_loops, max_consumers;
	double generate_seconds; /* building the warehouse in memory */
	lbench_load_stats load;  /* storing it through the API */
	double close_seconds;    /* lineage_db_close (the last checkpoint) */
	double load_cpu_seconds; /* CPU time (user + system) of storing and closing */
	long file_kib;           /* size of the database file afterwards */
} lbench_gen_report;

/*
 * Generate a warehouse and write it to a new database file at `path` (which must not
 * exist), `batch` upserts per transaction. With `verbose`, progress goes to stderr.
 * Returns 0, or non-zero with a message on stderr.
 */
int lbench_generate_file(const char *path, const lbench_wh_params *p, size_t batch,
			 int verbose, lbench_gen_report *report);

/* The report's fields as JSON members ("seed":42,"assets":...), no braces. */
void lbench_gen_report_json_fields(FILE *f, const lbench_wh_params *p,
				   const lbench_gen_report *r);

/* Print a report as one JSON object on a line of `f`, with "benchmark": `name`. */
void lbench_gen_report_json(FILE *f, const char *name, const char *path,
			    const lbench_wh_params *p, const lbench_gen_report *r);

#endif
