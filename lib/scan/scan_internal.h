/* Internal: the scan run's sink and report, and the built-in scanners. */
#ifndef LIN_SCAN_INTERNAL_H
#define LIN_SCAN_INTERNAL_H

#include <jansson.h>

#include "lineage/lineage.h"
#include "lineage/collect.h"
#include "lineage/scanner.h"

/* Diagnostics kept in a report; more are counted, not kept. */
#define LIN_SCAN_MAX_DIAGNOSTICS 10000

struct lineage_scan_report {
	lineage_scan_summary s;
	size_t diag_counts[3];
	json_t *inputs;      /* [{"path", "scanner", "edges", "retired"}] */
	lineage_scan_diagnostic *diags; /* kept diagnostics; strings owned */
	size_t diag_len, diag_cap;
};

struct lineage_scan_sink {
	lineage_db *db;
	const lineage_scan_options *opts;
	lineage_scan_report *report;
	const char *scanner_name;
	const char *input;   /* the input's path */
	char *origin;        /* "scan:<scanner>:<input>" */
	int64_t *seen;       /* ids of the edges this input reported */
	size_t seen_len, seen_cap;
	size_t input_edges;
	int failed;          /* a storage error that must end the run (code) */
	/* A collect: the source's name (its system asset's key), its options, and the ids of
	 * the assets emitted, so that those under the source not emitted are marked removed. */
	const char *source;
	const lineage_collect_options *collect;
	int64_t *assets;
	size_t assets_len, assets_cap;
	/* A live ingester's specs written lately (spec_cache.h), or NULL: a spec found there
	 * is not written again. */
	struct lin_spec_cache *cache;
};

/* A run: one transaction and one report, shared by scan runs and collects. */
typedef struct lin_run {
	lineage_db *db;
	const lineage_scan_options *opts;
	lineage_scan_report *report;
	const char *source;                      /* a collect's source, else NULL */
	const lineage_collect_options *collect;  /* a collect's options, else NULL */
} lin_run;

/* Check the options, create the report and begin the transaction labelled `label`. */
int lin_run_begin(lin_run *r, lineage_db *db, const lineage_scan_options *opts,
		  const char *label);
/* Feed one input to a scanner, then retire the edges of `origin` it no longer reports (and,
 * in a collect, mark removed the assets under the source it no longer reports). `path` is
 * what the scanner reads, `input` how the report names it. A scanner's failure is a
 * diagnostic and 0 unless `fatal`. */
int lin_run_input(lin_run *r, const lineage_scanner *sc, const char *path, const char *input,
		  const char *origin, const unsigned char *data, size_t len, int fatal);
/* Commit (or roll back: a failure `rc`, a dry run) and hand the report over on success. */
int lin_run_end(lin_run *r, int rc, lineage_scan_report **out);

/* Mark the assets under `root` whose ids are not in `seen` (sorted) as removed, and clear
 * that status from those in it; counts the newly removed. */
int lin_scan_mark_removed(size_t *removed, lineage_db *db, const char *root,
			  const int64_t *seen, size_t n);

/* The built-in scanners. */
extern const lineage_scanner lin_scanner_dbt;
extern const lineage_scanner lin_scanner_openlineage;
extern const lineage_scanner lin_scanner_airflow;
extern const lineage_scanner lin_scanner_sql;
extern const lineage_scanner lin_scanner_datahub;
extern const lineage_scanner lin_collector_postgres;
extern const lineage_scanner lin_collector_mysql;
extern const lineage_scanner lin_collector_sqlite;

/* Analyse SQL text and emit its lineage into the sink (the SQL scanner's work, also used by
 * scanners that find SQL inside other files). `dialect` NULL: the run's dialect option. */
int lin_sql_scan_text(lineage_scan_sink *sink, const char *file, const char *sql, size_t len,
		      const char *dialect);

/* Find a scanner by name, or the best for an input (detect scores); copies it into *out.
 * Returns 0, ENOTFOUND (no scanner by that name / none fits). */
int lin_scanner_find(lineage_scanner *out, const char *name);
/* Whether a name is one of the built-in scanners of files (not a collector). */
int lin_scanner_reads_files(const char *name);
int lin_scanner_detect(lineage_scanner *out, const char *path, const unsigned char *head,
		       size_t head_len);

/* A schema provider for lineage_sql_analyze() that answers from the store: the column
 * children of the table asset the SQL names (as written, else lower-cased). */
typedef struct lin_column_lookup {
	lineage_db *db;
	lineage_asset_list *list; /* the last answer, alive until the next call */
	const char **names;
} lin_column_lookup;
int lin_column_lookup_cb(const char *table, const char ***out, size_t *n, void *payload);
void lin_column_lookup_release(lin_column_lookup *cl);

/* A sink call's code, with the failures of one item (EINVALID, ENOTFOUND, ECONFLICT: the
 * sink has already recorded them as a diagnostic) turned into 0, so that a scanner goes on
 * with the next item; any other code must end the scan. */
int lin_scan_go_on(int rc);

/* Emit `key` as a column asset inside `table_key` ("sales.orders.amount" in "sales.orders",
 * created if missing); a key that is not inside the table (an indirect edge's target is the
 * table itself) emits nothing. Returns lin_scan_go_on() of the sink's code. */
int lin_scan_emit_column(lineage_scan_sink *sink, const char *key, const char *table_key);

/* Add a diagnostic, or a scanned input, to a report. Every text is kept as printable UTF-8
 * (other bytes become "?"), so that the report can always be written as JSON. */
void lin_scan_report_diag(lineage_scan_report *report, lineage_diag_severity severity,
			  const char *file, int line, int column, const char *message);
int lin_scan_report_input(lineage_scan_report *report, const char *path, const char *scanner,
			  size_t edges, size_t retired);

/* Helpers for scanners that read JSON. */
const char *lin_scan_str(const json_t *obj, const char *field); /* NULL unless a string */

/* For detect(): whether the first bytes hold `needle`; whether they start (after white
 * space) with "{" or "[", as a JSON document or JSON Lines does. */
int lin_scan_head_has(const unsigned char *head, size_t len, const char *needle);
int lin_scan_head_is_json(const unsigned char *head, size_t len);

#endif
