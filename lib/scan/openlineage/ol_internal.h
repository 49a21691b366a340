/* Internal: the OpenLineage scanner. */
#ifndef LIN_SCAN_OL_INTERNAL_H
#define LIN_SCAN_OL_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

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
/* The same for an event ingested live (ingest.c): its edges' evidence names the source and
 * the run only. */
int lin_ol_event_live(lineage_scan_sink *sink, const char *source, json_t *event);

/* A JSON text read as json_loadb(text, len, JSON_REJECT_DUPLICATES) reads it, faster
 * (ol_json.c). On failure NULL, with *err saying why (a static text) and where. */
typedef struct lin_ol_json_error {
	const char *text;
	size_t offset;
	int line, column;
	int oom; /* out of memory, not bad JSON */
} lin_ol_json_error;
json_t *lin_ol_json_read(const char *text, size_t len, lin_ol_json_error *err);

/* Run states (runs.c). The index of an eventType ("OTHER" 0, "START" 1, "RUNNING",
 * "COMPLETE", "FAIL", "ABORT" 5), or -1; and back. */
int lin_ol_event_type_index(const char *type);
const char *lin_ol_event_type_name(int index);
/* An ISO 8601 time with its offset ("2026-12-05T10:00:00.123+01:00") as Unix ms; -1 if not. */
int lin_ol_parse_time(const char *s, int64_t *out_ms);
/* What recording an event did to its run. */
typedef struct lin_ol_run_outcome {
	const char *state; /* the run's state (static), NULL while it has none */
	int latest;        /* the run is its job's latest: the job shows it */
	int64_t *edges;    /* ids of every edge the run reported so far, sorted (free it) */
	size_t edge_count;
	lineage_outcome run_written; /* the run's row: CREATED, UPDATED; 0 when unchanged */
} lin_ol_run_outcome;
/* Record an event of `type` at `event_ms` for the run, with the edges the sink saw in it:
 * its row in the runs table, and the job's status when it is the job's latest run. */
int lin_ol_run_record(lineage_scan_sink *sink, const char *job_key, const char *run_id,
		      int type, int64_t event_ms, lin_ol_run_outcome *out);

/* The stored lineage (result NULL: the whole graph) as OpenLineage JobEvents, one JSON
 * object per line, appended to `out` (lib/scan/openlineage/export.c). */
struct lin_strbuf;
int lin_ol_export(lineage_db *db, const lineage_result *result, struct lin_strbuf *out);

#endif
