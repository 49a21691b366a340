/* Internal: the scan run's sink and report, and the built-in scanners. */
#ifndef LIN_SCAN_INTERNAL_H
#define LIN_SCAN_INTERNAL_H

#include <jansson.h>

#include "lineage/lineage.h"
#include "lineage/scanner.h"

/* Diagnostics kept in a report; more are counted, not kept. */
#define LIN_SCAN_MAX_DIAGNOSTICS 10000

struct lineage_scan_report {
	int dry_run;
	int64_t batch_id;
	size_t files, statements;
	size_t assets_found, assets_created, assets_updated;
	size_t edges_found, edges_created, edges_updated, edges_unchanged, edges_retired;
	size_t diag_counts[3];
	json_t *inputs;      /* [{"path", "scanner", "edges"}] */
	json_t *diagnostics; /* [{"file", "line", "column", "severity", "message"}] */
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
};

/* The built-in scanners. */
extern const lineage_scanner lin_scanner_dbt;
extern const lineage_scanner lin_scanner_openlineage;

/* Find a scanner by name, or the best for an input (detect scores); copies it into *out.
 * Returns 0, ENOTFOUND (no scanner by that name / none fits). */
int lin_scanner_find(lineage_scanner *out, const char *name);
int lin_scanner_detect(lineage_scanner *out, const char *path, const unsigned char *head,
		       size_t head_len);

/* Add a diagnostic to a report. */
void lin_scan_report_diag(lineage_scan_report *report, lineage_diag_severity severity,
			  const char *file, int line, int column, const char *message);

/* Helpers for scanners that read JSON. */
const char *lin_scan_str(const json_t *obj, const char *field); /* NULL unless a string */

#endif
