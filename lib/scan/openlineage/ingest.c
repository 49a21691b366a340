/*
 * One OpenLineage event from memory into the store: checked, read by the scanner's own
 * event code (event.c) through a sink kept from one event to the next, its run state
 * recorded (runs.c), all in one transaction or savepoint.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/db_internal.h"
#include "api/write.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "lineage/openlineage.h"
#include "scan/scan_internal.h"
#include "scan/spec_cache.h"
#include "store/store.h"
#include "ol_internal.h"

#define DEFAULT_MAX_EVENT (4u << 20)
#define RUN_ID_MAX 256

struct lineage_ol_ingest {
	lineage_db *db;
	size_t max_bytes;
	char *source;
	lineage_scan_options scan_opts;
	lineage_scan_report report; /* reset for each event */
	lin_strbuf origin, job, run_id, label;
	int64_t *seen;              /* the sink's buffer, kept */
	size_t seen_cap;
	/* What the last events wrote, valid while the change feed ends where they left it
	 * and no transaction was rolled back since. */
	lin_spec_cache *cache;
	int64_t cache_seq;
	uint64_t cache_rollbacks;
	/* The jobs seen, under the same rule; the states they are to show are written when the
	 * transaction commits (the hook, or before an event's own commit). */
	lin_ol_jobs *jobs;
	lin_tx_hook hook;
	/* The last event's result. */
	lineage_outcome outcome;
	const char *event_type;     /* static, or NULL */
	const char *run_state;      /* static, or NULL */
	size_t retired;
	lineage_outcome run_written; /* the run's row (0: unchanged) */
};

static int flush_at_commit(void *payload);

int lineage_ol_ingest_options_init(lineage_ol_ingest_options *opts, unsigned int version)
{
	if (!opts || version != LINEAGE_OL_INGEST_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "OpenLineage ingest options: pass LINEAGE_OL_INGEST_OPTIONS_VERSION");
	memset(opts, 0, sizeof *opts);
	opts->version = version;
	opts->max_event_bytes = DEFAULT_MAX_EVENT;
	return 0;
}

int lineage_ol_ingest_new(lineage_ol_ingest **out, lineage_db *db,
			  const lineage_ol_ingest_options *opts)
{
	lineage_ol_ingest *ing;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "OpenLineage ingest: the output pointer is NULL");
	*out = NULL;
	if (lin_check_db(db))
		return LINEAGE_EUSAGE;
	if (opts && opts->version != LINEAGE_OL_INGEST_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "OpenLineage ingest options: fill them with lineage_ol_ingest_options_init()");
	ing = calloc(1, sizeof *ing);
	if (!ing)
		return lin_error_oom();
	ing->db = db;
	ing->max_bytes = opts && opts->max_event_bytes ? opts->max_event_bytes : DEFAULT_MAX_EVENT;
	ing->source = lin_strdup(opts && opts->source ? opts->source : "openlineage");
	ing->cache = lin_spec_cache_new();
	ing->jobs = lin_ol_jobs_new();
	ing->cache_seq = -1;
	if (!ing->source || !ing->cache || !ing->jobs) {
		free(ing->source);
		lin_spec_cache_free(ing->cache);
		lin_ol_jobs_free(ing->jobs);
		free(ing);
		return lin_error_oom();
	}
	lineage_scan_options_init(&ing->scan_opts, LINEAGE_SCAN_OPTIONS_VERSION);
	ing->hook.flush = flush_at_commit;
	ing->hook.payload = ing;
	lin_db_tx_hook_add(db, &ing->hook);
	*out = ing;
	return 0;
}

static void report_reset(lineage_scan_report *r)
{
	for (size_t i = 0; i < r->diag_len; i++) {
		free((char *)r->diags[i].file);
		free((char *)r->diags[i].message);
	}
	r->diag_len = 0;
	memset(r->diag_counts, 0, sizeof r->diag_counts);
	memset(&r->s, 0, sizeof r->s);
}

void lineage_ol_ingest_free(lineage_ol_ingest *ing)
{
	if (!ing)
		return;
	/* Freed inside the caller's transaction: the job states go into it now. */
	if (ing->db->in_tx && ing->db->rollbacks == ing->cache_rollbacks)
		lin_ol_jobs_flush(ing->jobs, ing->db, NULL);
	lin_db_tx_hook_remove(ing->db, &ing->hook);
	lin_ol_jobs_free(ing->jobs);
	report_reset(&ing->report);
	free(ing->report.diags);
	free(ing->seen);
	free(ing->source);
	lin_spec_cache_free(ing->cache);
	lin_strbuf_free(&ing->origin);
	lin_strbuf_free(&ing->job);
	lin_strbuf_free(&ing->run_id);
	lin_strbuf_free(&ing->label);
	free(ing);
}

/* ---- checks: what the scanner would skip with a diagnostic is refused here ---- */

static int need_string(const json_t *obj, const char *field, const char *where, int required)
{
	json_t *v = json_object_get(obj, field);
	if (!v && !required)
		return 0;
	if (!json_is_string(v))
		return lin_error_set(LINEAGE_EINVALID, "%s%s%s is %s: it must be a string", where,
				     *where ? "." : "", field, v ? "not a string" : "missing");
	if (required && !json_string_length(v))
		return lin_error_set(LINEAGE_EINVALID, "%s%s%s is empty", where, *where ? "." : "", field);
	return 0;
}

static int check_datasets(const json_t *event, const char *field)
{
	json_t *list = json_object_get(event, field), *ds;
	size_t i;
	char where[64];
	int rc;
	if (!list)
		return 0;
	if (!json_is_array(list))
		return lin_error_set(LINEAGE_EINVALID, "%s must be an array of datasets ({\"namespace\", \"name\"})", field);
	json_array_foreach(list, i, ds) {
		snprintf(where, sizeof where, "%s[%zu]", field, i);
		if (!json_is_object(ds))
			return lin_error_set(LINEAGE_EINVALID, "%s must be an object with \"namespace\" and \"name\"", where);
		if ((rc = need_string(ds, "namespace", where, 1)) || (rc = need_string(ds, "name", where, 1)))
			return rc;
		if (json_object_get(ds, "facets") && !json_is_object(json_object_get(ds, "facets")))
			return lin_error_set(LINEAGE_EINVALID, "%s.facets must be an object", where);
	}
	return 0;
}

/* Check the event; on success *type is the eventType's index (-1: a JobEvent or
 * DatasetEvent) and *ms its time. */
static int check_event(const json_t *ev, int *type, int64_t *ms)
{
	json_t *run = json_object_get(ev, "run"), *t = json_object_get(ev, "eventType");
	int rc;
	*type = -1;
	*ms = 0;
	if (!json_is_object(ev))
		return lin_error_set(LINEAGE_EINVALID, "an OpenLineage event is a JSON object with \"job\" (a run or job event) or \"dataset\"");
	if ((rc = need_string(ev, "producer", "", 0)) || (rc = need_string(ev, "schemaURL", "", 0)) ||
	    (rc = need_string(ev, "eventTime", "", run || t)))
		return rc;
	if (json_object_get(ev, "eventTime") &&
	    lin_ol_parse_time(json_string_value(json_object_get(ev, "eventTime")), ms))
		return lin_error_set(LINEAGE_EINVALID, "eventTime \"%.64s\" is not an ISO 8601 time with its offset, such as \"2026-12-05T10:00:00.000Z\"",
				     json_string_value(json_object_get(ev, "eventTime")));
	if (json_is_object(json_object_get(ev, "dataset")) && !json_object_get(ev, "job")) {
		json_t *one = json_pack("{s:[O]}", "dataset", json_object_get(ev, "dataset"));
		rc = one ? check_datasets(one, "dataset") : lin_error_oom();
		json_decref(one);
		return rc;
	}
	if (!json_is_object(json_object_get(ev, "job")))
		return lin_error_set(LINEAGE_EINVALID, "job is %s: a run or job event needs \"job\": {\"namespace\", \"name\"} (a dataset event needs \"dataset\")",
				     json_object_get(ev, "job") ? "not an object" : "missing");
	if ((rc = need_string(json_object_get(ev, "job"), "namespace", "job", 1)) ||
	    (rc = need_string(json_object_get(ev, "job"), "name", "job", 1)) ||
	    (rc = check_datasets(ev, "inputs")) || (rc = check_datasets(ev, "outputs")))
		return rc;
	if (!run && !t)
		return 0; /* a JobEvent: static lineage */
	if (!json_is_object(run))
		return lin_error_set(LINEAGE_EINVALID, "run is %s: a run event needs \"run\": {\"runId\": \"<uuid>\"}",
				     run ? "not an object" : "missing");
	if ((rc = need_string(run, "runId", "run", 1)))
		return rc;
	if (json_string_length(json_object_get(run, "runId")) > RUN_ID_MAX ||
	    lin_check_name(json_string_value(json_object_get(run, "runId")), "run.runId"))
		return lin_error_set(LINEAGE_EINVALID, "run.runId must be at most %d characters without control characters (a UUID)", RUN_ID_MAX);
	if (!t) {
		*type = 0; /* no transition: lineage and the run, no state */
		return 0;
	}
	if (!json_is_string(t) || (*type = lin_ol_event_type_index(json_string_value(t))) < 0)
		return lin_error_set(LINEAGE_EINVALID, "eventType must be one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER%s",
				     json_is_string(t) ? " (in capitals)" : ", as a string");
	return 0;
}

/* ---- the event ---- */

static int ingest(lineage_ol_ingest *ing, json_t *ev, int type, int64_t ms, int own)
{
	lineage_scan_sink sink;
	lin_ol_run_outcome run;
	lin_ol_job *job = NULL;
	int rc;
	memset(&sink, 0, sizeof sink);
	sink.db = ing->db;
	sink.opts = &ing->scan_opts;
	sink.report = &ing->report;
	sink.scanner_name = "openlineage";
	sink.input = ing->source;
	sink.origin = ing->origin.data;
	sink.seen = ing->seen;
	sink.seen_cap = ing->seen_cap;
	sink.cache = ing->cache;
	rc = lin_ol_event_live(&sink, ing->source, ev);
	if (!rc && sink.failed)
		rc = sink.failed;
	if (!rc && ing->report.diag_counts[LINEAGE_DIAG_ERROR]) {
		/* The scanner's messages start with "event 0: ". */
		const char *msg = "the event is not valid";
		for (size_t i = 0; i < ing->report.diag_len; i++)
			if (ing->report.diags[i].severity == LINEAGE_DIAG_ERROR) {
				msg = ing->report.diags[i].message;
				break;
			}
		rc = lin_error_set(LINEAGE_EINVALID, "%s", strncmp(msg, "event 0: ", 9) ? msg : msg + 9);
	}
	memset(&run, 0, sizeof run);
	if (!rc && type >= 0 && !(rc = lin_ol_jobs_get(&job, ing->jobs, ing->db, ing->job.data)))
		rc = lin_ol_run_record(&sink, job, ing->run_id.data, type, ms, &run);
	if (!rc && sink.failed)
		rc = sink.failed;
	ing->run_state = run.state;
	ing->run_written = run.run_written;
	/* The job's latest run completed: what its earlier runs reported and it did not is
	 * retired. A run that reported no lineage at all retires nothing. */
	if (!rc && run.latest && run.edge_count && type == lin_ol_event_type_index("COMPLETE"))
		rc = lineage_edge_retire_origin(&ing->retired, ing->db, ing->origin.data, run.edges,
						run.edge_count);
	if (!rc && run.latest)
		rc = lin_ol_jobs_show(ing->jobs, job, ing->run_id.data, run.order, run.state, &run.record);
	/* Its own transaction: the job's state is written before it commits. */
	if (!rc && own)
		rc = lin_ol_jobs_flush(ing->jobs, ing->db, &ing->report.s.assets_updated);
	free(run.record);
	free(run.edges);
	ing->seen = sink.seen; /* the sink may have grown it */
	ing->seen_cap = sink.seen_cap;
	return rc;
}

/* Whether what the caches hold is still what the store holds. */
static int cache_valid(lineage_ol_ingest *ing)
{
	int64_t seq = -1;
	return !lin_store_last_seq(ing->db->store, &seq) && seq == ing->cache_seq &&
	       ing->db->rollbacks == ing->cache_rollbacks;
}

/* Forget the caches when the store changed behind them. Job states still to write in the
 * same transaction (the caller wrote in between) are written first; after a rollback they
 * went with it. */
static int cache_check(lineage_ol_ingest *ing)
{
	int rc = 0;
	if (cache_valid(ing))
		return 0;
	if (ing->db->in_tx && ing->db->rollbacks == ing->cache_rollbacks)
		rc = lin_ol_jobs_flush(ing->jobs, ing->db, NULL);
	lin_spec_cache_clear(ing->cache);
	lin_ol_jobs_clear(ing->jobs);
	return rc;
}

static void cache_keep(lineage_ol_ingest *ing)
{
	if (lin_store_last_seq(ing->db->store, &ing->cache_seq))
		ing->cache_seq = -1;
	ing->cache_rollbacks = ing->db->rollbacks;
}

/* lineage_db_commit() of the caller's transaction: the job states go in before it commits. */
static int flush_at_commit(void *payload)
{
	lineage_ol_ingest *ing = payload;
	int valid, rc;
	if (!lin_ol_jobs_pending(ing->jobs))
		return 0;
	valid = cache_valid(ing);
	if (ing->db->rollbacks != ing->cache_rollbacks) {
		lin_ol_jobs_clear(ing->jobs); /* they were rolled back */
		return 0;
	}
	rc = lin_ol_jobs_flush(ing->jobs, ing->db, NULL);
	if (!rc && valid)
		cache_keep(ing); /* the caches saw every write: they hold */
	return rc;
}

/* The job's key, the edges' origin, the run id and the batch label (appends: printf cost
 * more than the rest of an unchanged event's bookkeeping). */
static int set_names(lineage_ol_ingest *ing, const json_t *ev, int type)
{
	const json_t *job = json_object_get(ev, "job");
	const char *what;
	lin_strbuf_reset(&ing->origin);
	lin_strbuf_reset(&ing->job);
	lin_strbuf_reset(&ing->run_id);
	lin_strbuf_reset(&ing->label);
	if (!job)
		return lin_strbuf_puts(&ing->origin, "openlineage:datasets") ||
		       lin_strbuf_printf(&ing->label, "openlineage DatasetEvent %.200s", lin_scan_str(json_object_get(ev, "dataset"), "name"));
	if (lin_strbuf_puts(&ing->job, lin_scan_str(job, "namespace")) || lin_strbuf_putc(&ing->job, '/') ||
	    lin_strbuf_puts(&ing->job, lin_scan_str(job, "name")) ||
	    lin_strbuf_puts(&ing->origin, "openlineage:") || lin_strbuf_puts(&ing->origin, ing->job.data))
		return LINEAGE_ENOMEM;
	if (type < 0)
		return lin_strbuf_printf(&ing->label, "openlineage JobEvent %.1000s", ing->job.data);
	what = json_object_get(ev, "eventType") ? lin_scan_str(ev, "eventType") : "event";
	return lin_strbuf_puts(&ing->run_id, lin_scan_str(json_object_get(ev, "run"), "runId")) ||
	       lin_strbuf_puts(&ing->label, "openlineage ") || lin_strbuf_puts(&ing->label, what) ||
	       lin_strbuf_putc(&ing->label, ' ') ||
	       lin_strbuf_append(&ing->label, ing->job.data, ing->job.len > 1000 ? 1000 : ing->job.len) ||
	       lin_strbuf_puts(&ing->label, " run ") || lin_strbuf_puts(&ing->label, ing->run_id.data);
}

int lineage_ol_ingest_event(lineage_outcome *out_outcome, lineage_ol_ingest *ing,
			    const void *event, size_t len)
{
	lin_ol_json_error err;
	json_t *ev = NULL;
	int rc, type, own;
	int64_t ms, first_before, last_before;
	if (out_outcome)
		*out_outcome = LINEAGE_UNCHANGED;
	if (!ing || (!event && len))
		return lin_error_set(LINEAGE_EINVALID, "OpenLineage ingest: give the ingester and the event's JSON text");
	ing->outcome = LINEAGE_UNCHANGED;
	ing->event_type = ing->run_state = NULL;
	ing->retired = 0;
	ing->run_written = 0;
	report_reset(&ing->report);
	if (len > ing->max_bytes)
		return lin_error_set(LINEAGE_ELIMIT, "the event is %zu bytes, over the %zu-byte limit for one event: send smaller facets (or raise the limit)",
				     len, ing->max_bytes);
	ev = lin_ol_json_read(event, len, &err);
	if (!ev)
		return err.oom ? lin_error_oom()
			       : lin_error_set(LINEAGE_EPARSE, "the event is not valid JSON: %s (line %d, column %d)",
					       err.text, err.line, err.column);
	if ((rc = check_event(ev, &type, &ms)))
		goto done;
	if ((rc = set_names(ing, ev, type))) {
		rc = lin_error_oom();
		goto done;
	}
	if ((rc = cache_check(ing)))
		goto done;
	own = !ing->db->in_tx;
	first_before = ing->db->tx_first_seq;
	last_before = ing->db->tx_last_seq;
	rc = own ? lineage_db_begin(ing->db, ing->label.data) : lin_store_savepoint(ing->db->store);
	if (rc)
		goto done;
	rc = ingest(ing, ev, type, ms, own);
	if (rc) {
		lin_error_saved saved;
		lin_error_save(&saved);
		if (own) {
			lineage_db_rollback(ing->db);
		} else {
			lin_store_rollback_savepoint(ing->db->store);
			ing->db->tx_first_seq = first_before;
			ing->db->tx_last_seq = last_before;
		}
		lin_spec_cache_clear(ing->cache);
		ing->cache_seq = -1;
		if (own)
			lin_ol_jobs_clear(ing->jobs);
		lin_error_restore(&saved);
		goto done;
	}
	if (!own)
		rc = lin_store_release(ing->db->store);
	else if (ing->db->tx_first_seq || ing->run_written)
		rc = lineage_db_commit(ing->db);
	else {
		/* Nothing changed: not even a batch row is kept. Nothing was undone either, so
		 * the cache of what is written stays valid. */
		uint64_t rollbacks = ing->db->rollbacks;
		rc = lineage_db_rollback(ing->db);
		ing->db->rollbacks = rollbacks;
	}
	if (rc) {
		lin_spec_cache_clear(ing->cache);
		ing->cache_seq = -1;
		goto done;
	}
	cache_keep(ing);
	if (ing->report.s.assets_created || ing->report.s.edges_created ||
	    ing->run_written == LINEAGE_CREATED)
		ing->outcome = LINEAGE_CREATED;
	else if (ing->report.s.assets_updated || ing->report.s.edges_updated || ing->retired ||
		 ing->run_written)
		ing->outcome = LINEAGE_UPDATED;
	ing->event_type = type >= 0 ? lin_ol_event_type_name(type) : NULL;
	if (out_outcome)
		*out_outcome = ing->outcome;
done:
	json_decref(ev);
	return rc;
}

int lineage_ol_ingest_result_json(char **out, const lineage_ol_ingest *ing)
{
	json_t *doc, *warnings;
	const lineage_scan_summary *s;
	if (!out || !ing)
		return lin_error_set(LINEAGE_EINVALID, "OpenLineage ingest result: give the output pointer and the ingester");
	s = &ing->report.s;
	warnings = json_array();
	for (size_t i = 0; warnings && i < ing->report.diag_len; i++) {
		const char *m = ing->report.diags[i].message;
		json_array_append_new(warnings, json_string(strncmp(m, "event 0: ", 9) ? m : m + 9));
	}
	doc = json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:I, s:I, s:I, s:I, s:I, s:o}",
			"outcome", lineage_outcome_name(ing->outcome), "event_type", ing->event_type,
			"job", ing->job.len ? ing->job.data : NULL,
			"run_id", ing->run_id.len ? ing->run_id.data : NULL, "run_state", ing->run_state,
			"assets_created", (json_int_t)s->assets_created,
			"assets_updated", (json_int_t)s->assets_updated,
			"edges_created", (json_int_t)s->edges_created,
			"edges_updated", (json_int_t)s->edges_updated,
			"edges_retired", (json_int_t)ing->retired, "warnings", warnings);
	*out = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	return *out ? 0 : lin_error_oom();
}
