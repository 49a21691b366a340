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
/* A job the ingester has seen (jobs.c): its id, the run it shows, and the run it is to
 * show when the transaction commits (a job's state is written once per transaction). */
typedef struct lin_ol_job {
	char *key;
	int64_t id;
	char *shown_run;     /* the run it shows or will show; NULL: none */
	int64_t shown_order;
	const char *state;   /* pending: the state to write (static), with... */
	char *record;        /* ...the run's record for its property "run"; NULL: nothing */
} lin_ol_job;
/* Read job_key's id and the run its properties show (run_id a new string, NULL for none). */
int lin_ol_job_read(lineage_db *db, const char *job_key, int64_t *id, char **run_id,
		    int64_t *order);
/* Show the run (its record `rec`, in state `state`) on the job as an audited update, unless
 * the job shows a later run by then or was deleted (job_id no longer its id). */
int lin_ol_job_show(lineage_db *db, const char *job_key, int64_t job_id, const char *run_id,
		    int64_t order, const char *state, const char *record, int *updated);

/* What recording an event did to its run. */
typedef struct lin_ol_run_outcome {
	const char *state; /* the run's state (static), NULL while it has none */
	int latest;        /* the run is its job's latest: the job is to show it */
	int64_t order;     /* the run's start time, else its first event's */
	char *record;      /* when latest: the run's record for the job (JSON text; free it) */
	int64_t *edges;    /* ids of every edge the run reported so far, sorted (free it) */
	size_t edge_count;
	lineage_outcome run_written; /* the run's row: CREATED, UPDATED; 0 when unchanged */
} lin_ol_run_outcome;
/* Record an event of `type` at `event_ms` for the run, with the edges the sink saw in it:
 * its row in the runs table; and whether the job is to show it (the caller shows it). */
int lin_ol_run_record(lineage_scan_sink *sink, const lin_ol_job *job, const char *run_id,
		      int type, int64_t event_ms, lin_ol_run_outcome *out);

/* The jobs an ingester has seen, by key (jobs.c). */
typedef struct lin_ol_jobs lin_ol_jobs;
lin_ol_jobs *lin_ol_jobs_new(void);
void lin_ol_jobs_free(lin_ol_jobs *jobs);
/* Forget every job, and what they were to show (after a rollback, or a write by another). */
void lin_ol_jobs_clear(lin_ol_jobs *jobs);
/* The job with this key, read from the store the first time. */
int lin_ol_jobs_get(lin_ol_job **out, lin_ol_jobs *jobs, lineage_db *db, const char *key);
/* The job is to show this run at the next flush (*record taken: NULL afterwards). */
int lin_ol_jobs_show(lin_ol_jobs *jobs, lin_ol_job *job, const char *run_id, int64_t order,
		     const char *state, char **record);
/* Write what every job is to show; *updated (may be NULL) counts the jobs changed. */
int lin_ol_jobs_flush(lin_ol_jobs *jobs, lineage_db *db, size_t *updated);
/* Whether some job has a state to write. */
int lin_ol_jobs_pending(const lin_ol_jobs *jobs);

/* The stored lineage (result NULL: the whole graph) as OpenLineage JobEvents, one JSON
 * object per line, appended to `out` (lib/scan/openlineage/export.c). */
struct lin_strbuf;
int lin_ol_export(lineage_db *db, const lineage_result *result, struct lin_strbuf *out);

#endif
