/* Internal: the dbt scanner's reading of one manifest. */
#ifndef LIN_SCAN_DBT_INTERNAL_H
#define LIN_SCAN_DBT_INTERNAL_H

#include <jansson.h>

#include "lineage/scanner.h"

typedef struct lin_dbt_project {
	lineage_scan_sink *sink;
	const char *manifest_path;
	json_t *manifest;
	json_t *catalog;     /* NULL when absent */
	const char *project; /* metadata.project_name, or the package of the first node */
	const char *adapter; /* metadata.adapter_type */
	json_t *keys;        /* unique_id -> asset key (string) */
	json_t *containers;  /* container keys already emitted (set) */
} lin_dbt_project;

int lin_dbt_project_init(lin_dbt_project *p, lineage_scan_sink *sink, const char *manifest_path,
			 json_t *manifest, json_t *catalog);
void lin_dbt_project_free(lin_dbt_project *p);

/* Emit every asset, column, job and edge the manifest describes. */
int lin_dbt_emit(lin_dbt_project *p);

/* Column-level lineage of one node from its compiled SQL (lib/scan/dbt/columns.c): the SQL
 * is analysed with the adapter's dialect and each output column is linked to the source
 * columns it is computed from. Unparseable SQL becomes a diagnostic. */
int lin_dbt_column_lineage(lin_dbt_project *p, const char *uid, json_t *node, const char *sql);

/* The SQL dialect name for a dbt adapter ("snowflake" -> "snowflake", "spark" -> "sparksql"). */
const char *lin_dbt_dialect(const char *adapter);

#endif
