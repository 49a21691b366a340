/* Internal: the OpenLineage scanner. */
#ifndef LIN_SCAN_OL_INTERNAL_H
#define LIN_SCAN_OL_INTERNAL_H

#include <jansson.h>
#include <stddef.h>

#include "lineage/lineage.h"
#include "lineage/scanner.h"

typedef enum lin_ol_namespace_kind {
	LIN_OL_DATABASE, /* postgres://, snowflake://, bigquery, hive://... */
	LIN_OL_TOPIC,    /* kafka://... */
	LIN_OL_FILE      /* s3://, gs://, file, hdfs://, anything else */
} lin_ol_namespace_kind;

lin_ol_namespace_kind lin_ol_namespace_kind_of(const char *ns);
int lin_ol_strncasecmp(const char *a, const char *b, size_t n);

/* Keys (new strings): a dataset's, and a column's within it. */
char *lin_ol_dataset_key(const char *ns, const char *name);
char *lin_ol_column_key(const char *dataset_key, const char *ns, const char *field);
/* "table", "topic" or "file". */
const char *lin_ol_dataset_kind(const char *ns);

/* Ingest one event (a RunEvent, JobEvent or DatasetEvent). `index` numbers it in the input
 * for messages. Problems with the event are diagnostics; returns non-zero only for failures
 * that must end the run. */
int lin_ol_event(lineage_scan_sink *sink, const char *path, size_t index, json_t *event);

/* The stored lineage (result NULL: the whole graph) as OpenLineage JobEvents, one JSON
 * object per line, appended to `out` (lib/scan/openlineage/export.c). */
struct lin_strbuf;
int lin_ol_export(lineage_db *db, const lineage_result *result, struct lin_strbuf *out);

#endif
