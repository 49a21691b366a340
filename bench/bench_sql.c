/*
 * Throughput of the SQL lineage scanner (lineage_sql_analyze) on a synthetic ELT script of
 * realistic statements: CTAS with two CTEs, joins, 50+ columns, aggregates, CASE and a
 * window function, plus INSERT ... SELECT and MERGE. Prints one JSON line.
 *
 *   build/bench/bench_sql --mb 20 --dialect snowflake
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lineage/lineage.h>

#include "lbench.h"

typedef struct buf {
	char *p;
	size_t n, cap;
} buf;

static void put(buf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int k = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
		va_end(ap);
		if (k >= 0 && (size_t)k < b->cap - b->n) {
			b->n += (size_t)k;
			return;
		}
		b->cap = b->cap * 2 + (size_t)k + 1024;
		b->p = realloc(b->p, b->cap);
		if (!b->p) {
			fprintf(stderr, "out of memory\n");
			exit(1);
		}
	}
}

/* One model: a CTAS over two CTEs with ~55 output columns, then an INSERT and a MERGE. */
static void model(buf *b, int k)
{
	int i;
	put(b, "CREATE OR REPLACE TABLE mart.fact_%d AS\nWITH base AS (\n  SELECT o.order_id, "
	       "o.customer_id, c.name AS customer_name, c.region",
	    k);
	for (i = 1; i <= 30; i++)
		put(b, ", o.c%d", i);
	put(b, "\n  FROM raw.orders_%d o\n  JOIN raw.customers_%d c ON c.id = o.customer_id\n"
	       "  WHERE o.status <> 'cancelled' AND o.created_at >= DATE '2024-01-01'\n),\n"
	       "agg AS (\n  SELECT region, customer_id, customer_name, COUNT(*) AS n_orders",
	    k % 97, k % 89);
	for (i = 1; i <= 30; i++)
		put(b, ", SUM(c%d) AS s%d", i, i);
	put(b, "\n  FROM base GROUP BY region, customer_id, customer_name\n)\nSELECT a.region, "
	       "a.customer_id, a.customer_name, a.n_orders");
	for (i = 1; i <= 30; i++)
		put(b, ", a.s%d", i);
	for (i = 1; i <= 15; i++)
		put(b, ", CASE WHEN a.s%d > 100 THEN a.s%d * 1.1 ELSE COALESCE(a.s%d, 0) END AS adj%d",
		    i, i, i + 1, i);
	put(b, ",\n  ROW_NUMBER() OVER (PARTITION BY a.region ORDER BY a.s1 DESC) AS rnk,\n"
	       "  r.region_name\nFROM agg a\nLEFT JOIN dim.regions r ON r.code = a.region\n"
	       "WHERE a.n_orders > 0;\n\n");
	put(b, "INSERT INTO report.summary_%d (region, customers, total, top)\nSELECT region, "
	       "COUNT(DISTINCT customer_id), SUM(s1 + s2 + s3), MAX(adj1)\nFROM mart.fact_%d\n"
	       "GROUP BY region\nHAVING SUM(s1) > 0;\n\n",
	    k % 13, k);
	put(b, "MERGE INTO dim.customer_%d t USING (SELECT customer_id, customer_name, region "
	       "FROM mart.fact_%d WHERE rnk = 1) s\nON t.id = s.customer_id\nWHEN MATCHED THEN "
	       "UPDATE SET t.name = s.customer_name, t.region = s.region\nWHEN NOT MATCHED THEN "
	       "INSERT (id, name, region) VALUES (s.customer_id, s.customer_name, s.region);\n\n",
	    k % 7, k);
}

int main(int argc, char **argv)
{
	double mb = 20;
	long long rounds = 3;
	const char *dialect = "snowflake";
	int json = 0;
	const lbench_flag flags[] = {
		{"mb", LBENCH_FLAG_DOUBLE, &mb, "script size in MiB (default 20)"},
		{"rounds", LBENCH_FLAG_INT, &rounds, "analyses to time; the best is kept (default 3)"},
		{"dialect", LBENCH_FLAG_STRING, &dialect, "SQL dialect (default snowflake)"},
		{"json", LBENCH_FLAG_BOOL, &json, "also time lineage_sql_result_to_json"},
	};
	int rc = lbench_flags_parse(argc, argv, flags, sizeof flags / sizeof flags[0],
				    "Throughput of the SQL lineage scanner on a synthetic ELT script.");
	if (rc)
		return rc > 0 ? 0 : 2;
	buf b = {malloc(1 << 20), 0, 1 << 20};
	size_t want = (size_t)(mb * 1024 * 1024);
	int models = 0;
	while (b.n < want)
		model(&b, models++);
	lineage_sql_options o;
	lineage_sql_options_init(&o, LINEAGE_SQL_OPTIONS_VERSION);
	o.dialect = dialect;
	double best = 1e300, json_ms = 0;
	size_t stmts = 0, edges = 0, diags = 0;
	for (long long r = 0; r < (rounds > 0 ? rounds : 1); r++) {
		lineage_sql_result *res = NULL;
		uint64_t t0 = lbench_now_ns();
		if (lineage_sql_analyze(&res, b.p, b.n, &o) != 0) {
			fprintf(stderr, "analyze: %s\n", lineage_error_last()->message);
			return 1;
		}
		double ms = lbench_ms(t0, lbench_now_ns());
		if (ms < best)
			best = ms;
		stmts = lineage_sql_result_statement_count(res);
		edges = lineage_sql_result_column_edge_count(res);
		diags = lineage_sql_result_diagnostic_count(res);
		if (json) {
			char *text = NULL;
			t0 = lbench_now_ns();
			if (lineage_sql_result_to_json(&text, res, 0) == 0)
				json_ms = lbench_ms(t0, lbench_now_ns());
			lineage_free(text);
		}
		lineage_sql_result_free(res);
	}
	double mib = (double)b.n / (1024.0 * 1024.0);
	printf("{\"bench\": \"sql\", \"dialect\": ");
	lbench_json_string(stdout, dialect);
	printf(", \"bytes\": %zu, \"statements\": %zu, \"column_edges\": %zu, \"diagnostics\": %zu, "
	       "\"best_ms\": %.1f, \"mib_per_s\": %.1f, \"statements_per_s\": %.0f, "
	       "\"json_ms\": %.1f, \"peak_rss_kib\": %ld}\n",
	       b.n, stmts, edges, diags, best, mib / (best / 1000.0),
	       (double)stmts / (best / 1000.0), json_ms, lbench_peak_rss_kib());
	free(b.p);
	return diags ? 1 : 0;
}
