/*
 * liblineage: OpenLineage events ingested one at a time, as a pipeline emits them, and the
 * run history they build.
 *
 * An event is read with the OpenLineage scanner's rules (assets, keys, inferred edges, column
 * lineage; docs/scanners.md) and its run's state is recorded (docs/openlineage.md): a RunEvent
 * of job J with run R records R in J's run history (the store's runs table), and J's `status`
 * is the state of its latest run ("running", "completed", "failed", "aborted"), with that run
 * in J's property "run". The event's time decides, not its arrival: a COMPLETE that arrives before its START
 * still ends the run completed.
 *
 * Threads: an ingester belongs to its database handle's thread (one handle per thread).
 */
#ifndef LINEAGE_OPENLINEAGE_H
#define LINEAGE_OPENLINEAGE_H

#include "db.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LINEAGE_OL_INGEST_OPTIONS_VERSION 1

/** How an ingester reads events. Fill with lineage_ol_ingest_options_init(). */
typedef struct lineage_ol_ingest_options {
	unsigned int version;    /**< LINEAGE_OL_INGEST_OPTIONS_VERSION */
	size_t max_event_bytes;  /**< a larger event is refused (ELIMIT); 0: 4 MiB */
	const char *source;      /**< recorded in the edges' evidence ("http", a file...);
				      NULL: "openlineage" */
} lineage_ol_ingest_options;

/** Fill `opts` with the defaults. @return 0, or EINVALID for an unknown version. */
LINEAGE_EXTERN int lineage_ol_ingest_options_init(lineage_ol_ingest_options *opts,
						  unsigned int version);

/** A reusable ingester: it keeps its buffers from one event to the next. */
typedef struct lineage_ol_ingest lineage_ol_ingest;

/**
 * A new ingester writing into `db` (which must outlive it). `opts` NULL: the defaults.
 * @return 0; EINVALID; ENOMEM. Free with lineage_ol_ingest_free().
 */
LINEAGE_EXTERN int lineage_ol_ingest_new(lineage_ol_ingest **out, lineage_db *db,
					 const lineage_ol_ingest_options *opts);

/** Free an ingester; NULL is a no-op. */
LINEAGE_EXTERN void lineage_ol_ingest_free(lineage_ol_ingest *ingest);

/**
 * Ingest one OpenLineage event (a RunEvent, JobEvent or DatasetEvent; JSON text of `len`
 * bytes, not necessarily NUL-terminated). All of it is stored or nothing: outside a
 * transaction the event is its own transaction (a batch labelled with the event); inside one
 * (lineage_db_begin(), to ingest many events at once) it is a savepoint of it, and the job's
 * status and property "run" are written once per job when lineage_db_commit() commits (the
 * latest run's state wins; each event still records its run). The same event twice writes
 * nothing the second time.
 * Edges are inferred, with the origin "openlineage:<job key>": when the job's latest run
 * completes, the edges its earlier runs reported and this run did not are retired.
 * @param out_outcome may be NULL; LINEAGE_CREATED (something new), _UPDATED or _UNCHANGED
 * @return 0; EPARSE (not JSON); EINVALID (not a valid event: no run id, a wrong type, an
 *         unknown eventType, an eventTime that is not ISO 8601 — the message says which
 *         field); ELIMIT (over max_event_bytes); EREADONLY; EFULL; EBUSY; ENOMEM.
 */
LINEAGE_EXTERN int lineage_ol_ingest_event(lineage_outcome *out_outcome, lineage_ol_ingest *ingest,
					   const void *event, size_t len);

/**
 * What the last successful lineage_ol_ingest_event() did, as JSON: {"outcome", "event_type",
 * "job", "run_id", "run_state", "assets_created", "assets_updated", "edges_created",
 * "edges_updated", "edges_retired", "warnings": [text...]} ("job", "run_id", "run_state" null
 * when the event has none). Release with lineage_free(). @return 0; ENOMEM.
 */
LINEAGE_EXTERN int lineage_ol_ingest_result_json(char **out, const lineage_ol_ingest *ingest);

/**
 * The run history of a job asset, newest first (by start time, else first event time), at
 * most `limit` runs (0: 100): {"job", "status", "runs": [{"run_id", "state", "started_at",
 * "ended_at", "duration_ms", "updated_at", "events": {"START": ms, ...}}]} — times in Unix
 * milliseconds, null when not known. Release with lineage_free().
 * @return 0; ENOTFOUND (no such asset); EINVALID (the asset is not a job).
 */
LINEAGE_EXTERN int lineage_job_runs_json(char **out, lineage_db *db, const char *job_key,
					 size_t limit);

/** One run of a job. Times are Unix milliseconds, -1 when not known. */
typedef struct lineage_run {
	const char *run_id;
	const char *state;       /**< "running", "completed", "failed", "aborted"; NULL: none yet */
	int64_t started_at_ms;   /**< the START event's time */
	int64_t ended_at_ms;     /**< the COMPLETE, FAIL or ABORT event's time */
	int64_t duration_ms;
	int64_t updated_at_ms;   /**< the time of the event that gave the state */
} lineage_run;

/** A job's runs, newest first. */
typedef struct lineage_run_list lineage_run_list;

/**
 * The same history as lineage_job_runs_json(), as a list. Free it with
 * lineage_run_list_free(). @return 0; ENOTFOUND; EINVALID (the asset is not a job).
 */
LINEAGE_EXTERN int lineage_job_runs(lineage_run_list **out, lineage_db *db, const char *job_key,
				    size_t limit);
LINEAGE_EXTERN size_t lineage_run_list_count(const lineage_run_list *list);
/** The i-th run, borrowed (valid until the list is freed); NULL past the end. */
LINEAGE_EXTERN const lineage_run *lineage_run_list_get(const lineage_run_list *list, size_t i);
/** The job's status when the list was read (NULL when it has none). */
LINEAGE_EXTERN const char *lineage_run_list_job_status(const lineage_run_list *list);
LINEAGE_EXTERN void lineage_run_list_free(lineage_run_list *list);

#ifdef __cplusplus
}
#endif
#endif
