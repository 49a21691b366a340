/*
 * Run states from OpenLineage RunEvents, and a job's run history.
 *
 * A run is a row of the store's runs table (schema 6: lin_store_run_*), keyed by its job's
 * id and its run id, whose record holds the time of each event type it received. Its state
 * is derived from those times alone — the latest event wins, a terminal event winning a
 * tie — so the order in which the events arrive does not matter and the same event twice
 * changes nothing. The job's status and its property "run" are those of its latest run (by
 * start time, else first event time), written as an audited asset update; the run's own row
 * is one upsert outside the asset path, which is what makes an event cheap.
 */
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "api/json.h"
#include "api/ops.h"
#include "scan/scan_internal.h"
#include "store/store.h"
#include "ol_internal.h"

#define DEFAULT_RUN_LIMIT 100
#define MAX_RUN_LIMIT 10000

/* Event types in rank order: at equal times the later one in this list wins. */
static const char *const event_types[] = {"OTHER", "START", "RUNNING", "COMPLETE", "FAIL", "ABORT"};
static const char *const event_states[] = {NULL, "running", "running", "completed", "failed", "aborted"};
#define N_TYPES (sizeof event_types / sizeof *event_types)

int lin_ol_event_type_index(const char *type)
{
	for (size_t i = 0; i < N_TYPES; i++)
		if (!strcmp(type, event_types[i]))
			return (int)i;
	return -1;
}

const char *lin_ol_event_type_name(int index)
{
	return index >= 0 && index < (int)N_TYPES ? event_types[index] : NULL;
}

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : d[m - 1];
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int lin_ol_parse_time(const char *s, int64_t *out_ms)
{
	int y, mo, d, h, mi, sec, ms = 0, oh = 0, om = 0, sign = 0;
	const char *p = s;
	if (!s || digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
	    digits(&p, 2, &d) || (*p != 'T' && *p != 't' && *p != ' '))
		return -1;
	p++;
	if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) || *p++ != ':' || digits(&p, 2, &sec))
		return -1;
	if (*p == '.') {
		int n = 0;
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		for (; *p >= '0' && *p <= '9'; p++, n++)
			if (n < 3)
				ms = ms * 10 + (*p - '0');
		for (; n < 3; n++)
			ms *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (digits(&p, 2, &oh))
			return -1;
		if (*p == ':')
			p++;
		if (*p && digits(&p, 2, &om))
			return -1;
	} else {
		return -1; /* OpenLineage times carry their offset */
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
	    sec > 60 || oh > 23 || om > 59)
		return -1;
	*out_ms = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) -
		   sign * (oh * 3600 + om * 60)) * 1000 + ms;
	return 0;
}

/* One run's event times, as stored in its asset's property "run". */
typedef struct run_times {
	int64_t at[N_TYPES];
	int has[N_TYPES];
} run_times;

static void times_read(run_times *rt, const json_t *run)
{
	json_t *events = json_object_get(run, "events");
	memset(rt, 0, sizeof *rt);
	for (size_t i = 0; i < N_TYPES; i++) {
		json_t *v = json_object_get(events, event_types[i]);
		if (json_is_integer(v)) {
			rt->at[i] = json_integer_value(v);
			rt->has[i] = 1;
		}
	}
}

/* START keeps its earliest time (the run began once); the others their latest. */
static void times_add(run_times *rt, int type, int64_t ms)
{
	if (!rt->has[type] || (type == 1 ? ms < rt->at[type] : ms > rt->at[type]))
		rt->at[type] = ms;
	rt->has[type] = 1;
}

/* The type whose event decides the state: the latest, the higher rank on a tie; -1 none. */
static int deciding_type(const run_times *rt)
{
	int best = -1;
	for (int i = 1; i < (int)N_TYPES; i++)
		if (rt->has[i] && (best < 0 || rt->at[i] >= rt->at[best]))
			best = i;
	return best;
}

/* Keys in the order emit_json sorts them. */
static const int events_sorted[] = {5, 3, 4, 0, 2, 1}; /* ABORT COMPLETE FAIL OTHER RUNNING START */

static int put_int(lin_strbuf *sb, int64_t v)
{
	char num[24], *p = num + sizeof num;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	*--p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	return lin_strbuf_puts(sb, p);
}

/* ,"key":v — when it has a value (emit_json leaves nulls out). */
static int put_member(lin_strbuf *sb, int *first, const char *key, int has, int64_t v)
{
	if (!has)
		return 0;
	if (!*first && lin_strbuf_putc(sb, ','))
		return LINEAGE_ENOMEM;
	*first = 0;
	return lin_strbuf_putc(sb, '"') || lin_strbuf_puts(sb, key) || lin_strbuf_puts(sb, "\":") ||
	       put_int(sb, v);
}

/*
 * The run record as text, written directly in the form emit_json gives it (keys sorted,
 * null members left out) so that it compares with the stored one: {"duration_ms", "edges"
 * (the run's row only), "ended_at", "events": {type: ms}, "first_event_at", "run_id",
 * "started_at", "state", "updated_at"}. *order is the run's start time, else its first
 * event's; *dec the deciding type (-1: no state).
 */
static int record_text(lin_strbuf *sb, const char *run_id, const run_times *rt,
		       const int64_t *edges, size_t n_edges, int with_edges, int64_t *order, int *dec)
{
	int d = deciding_type(rt), ended = d >= 3, first_member = 1, first_event = 1, rc;
	int64_t first = 0;
	int has_first = 0;
	for (size_t i = 0; i < N_TYPES; i++)
		if (rt->has[i] && (!has_first || rt->at[i] < first)) {
			first = rt->at[i];
			has_first = 1;
		}
	*order = rt->has[1] ? rt->at[1] : first;
	*dec = d;
	lin_strbuf_reset(sb);
	rc = lin_strbuf_putc(sb, '{') ||
	     put_member(sb, &first_member, "duration_ms", ended && rt->has[1] && rt->at[d] >= rt->at[1],
			ended ? rt->at[d] - rt->at[1] : 0);
	if (!rc && with_edges) {
		rc = (!first_member && lin_strbuf_putc(sb, ',')) || lin_strbuf_puts(sb, "\"edges\":[");
		first_member = 0;
		for (size_t i = 0; !rc && i < n_edges; i++)
			rc = (i && lin_strbuf_putc(sb, ',')) || put_int(sb, edges[i]);
		rc = rc || lin_strbuf_putc(sb, ']');
	}
	rc = rc || put_member(sb, &first_member, "ended_at", ended, ended ? rt->at[d] : 0) ||
	     (!first_member && lin_strbuf_putc(sb, ',')) || lin_strbuf_puts(sb, "\"events\":{");
	first_member = 0;
	for (size_t i = 0; !rc && i < N_TYPES; i++) {
		int t = events_sorted[i];
		rc = put_member(sb, &first_event, event_types[t], rt->has[t], rt->at[t]);
	}
	rc = rc || lin_strbuf_putc(sb, '}') ||
	     put_member(sb, &first_member, "first_event_at", has_first, first) ||
	     lin_strbuf_puts(sb, ",\"run_id\":") || lin_json_str(sb, run_id) ||
	     put_member(sb, &first_member, "started_at", rt->has[1], rt->at[1]);
	if (!rc && d >= 0)
		rc = lin_strbuf_puts(sb, ",\"state\":\"") || lin_strbuf_puts(sb, event_states[d]) ||
		     lin_strbuf_putc(sb, '"');
	rc = rc || put_member(sb, &first_member, "updated_at", d >= 0, d >= 0 ? rt->at[d] : 0) ||
	     lin_strbuf_putc(sb, '}');
	return rc ? LINEAGE_ENOMEM : 0;
}

static int64_t record_order(const json_t *rec)
{
	json_t *v = json_object_get(rec, "started_at");
	if (!json_is_integer(v))
		v = json_object_get(rec, "first_event_at");
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Compact JSON with sorted keys and without null members — the text an RFC 7396 merge
 * stores (lin_json_merge_patch), so that stored records and job properties compare as text.
 * Written here because json_dumps (integers through snprintf) cost more than the store's
 * upsert of the run.
 */
static int emit_json(lin_strbuf *sb, const json_t *v, int depth)
{
	char num[24];
	int rc = 0;
	if (depth > 64)
		return lin_error_set(LINEAGE_ELIMIT, "a run record nests deeper than 64 levels");
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		size_t n = json_object_size(v), k = 0;
		const char **keys = malloc((n + 1) * sizeof *keys), *key;
		json_t *m;
		if (!keys)
			return lin_error_oom();
		json_object_foreach((json_t *)v, key, m)
			if (!json_is_null(m))
				keys[k++] = key;
		qsort(keys, k, sizeof *keys, cmp_str);
		rc = lin_strbuf_putc(sb, '{');
		for (size_t i = 0; !rc && i < k; i++)
			rc = (i && lin_strbuf_putc(sb, ',')) || lin_json_str(sb, keys[i]) ||
			     lin_strbuf_putc(sb, ':') ||
			     emit_json(sb, json_object_get(v, keys[i]), depth + 1);
		free(keys);
		return rc ? rc : lin_strbuf_putc(sb, '}');
	}
	case JSON_ARRAY:
		rc = lin_strbuf_putc(sb, '[');
		for (size_t i = 0; !rc && i < json_array_size(v); i++)
			rc = (i && lin_strbuf_putc(sb, ',')) || emit_json(sb, json_array_get(v, i), depth + 1);
		return rc ? rc : lin_strbuf_putc(sb, ']');
	case JSON_STRING:
		return lin_json_str(sb, json_string_value(v));
	case JSON_INTEGER: {
		json_int_t x = json_integer_value(v);
		uint64_t u = x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
		char *p = num + sizeof num;
		*--p = '\0';
		do
			*--p = (char)('0' + u % 10);
		while (u /= 10);
		if (x < 0)
			*--p = '-';
		return lin_strbuf_puts(sb, p);
	}
	case JSON_REAL:
		return lin_json_double(sb, json_real_value(v));
	case JSON_TRUE:
		return lin_strbuf_puts(sb, "true");
	case JSON_FALSE:
		return lin_strbuf_puts(sb, "false");
	default:
		return lin_strbuf_puts(sb, "null");
	}
}

/* emit_json into a new string *out. */
static int json_text(char **out, const json_t *v)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	int rc = lin_strbuf_grow(&sb, 512);
	if (!rc)
		rc = emit_json(&sb, v, 0);
	*out = rc ? NULL : lin_strbuf_detach(&sb);
	lin_strbuf_free(&sb);
	return rc ? rc : *out ? 0 : lin_error_oom();
}

/* The run a job's properties show: its id (new string, NULL for none) and order. */
static int shown_run(const char *props_json, char **run_id, int64_t *order)
{
	lin_ol_json_error err;
	json_t *props = props_json ? lin_ol_json_read(props_json, strlen(props_json), &err) : NULL;
	json_t *shown = json_object_get(props, "run");
	const char *id = lin_scan_str(shown, "run_id");
	int rc = 0;
	*run_id = NULL;
	*order = 0;
	if (!props && props_json && err.oom)
		rc = lin_error_oom();
	else if (json_is_object(shown) && id) {
		*order = record_order(shown);
		if (!(*run_id = lin_strdup(id)))
			rc = lin_error_oom();
	}
	json_decref(props);
	return rc;
}

int lin_ol_job_read(lineage_db *db, const char *job_key, int64_t *id, char **run_id,
		    int64_t *order)
{
	lin_asset_rec *job = NULL;
	int rc = lin_store_asset_by_key(db->store, job_key, &job);
	if (!rc && !job)
		rc = lin_error_set(LINEAGE_ENOTFOUND, "job \"%.200s\" does not exist", job_key);
	if (!rc) {
		*id = job->pub.id;
		rc = shown_run(job->pub.properties_json, run_id, order);
	}
	lin_asset_rec_free(job);
	return rc;
}

int lin_ol_job_show(lineage_db *db, const char *job_key, int64_t job_id, const char *run_id,
		    int64_t order, const char *state, const char *record, int *updated)
{
	json_t *props = NULL, *shown, *rec = NULL;
	lin_ol_json_error err;
	lin_asset_rec *job = NULL;
	char *text = NULL;
	lineage_outcome outcome;
	int rc;
	*updated = 0;
	if ((rc = lin_store_asset_by_key(db->store, job_key, &job)) || !job || job->pub.id != job_id)
		goto done; /* deleted since: nothing shows the run */
	props = lin_ol_json_read(job->pub.properties_json, strlen(job->pub.properties_json), &err);
	if (!json_is_object(props)) {
		json_decref(props);
		props = json_object();
	}
	shown = json_object_get(props, "run");
	/* Another writer showed a later run meanwhile: it stays. */
	if (json_is_object(shown) && lin_scan_str(shown, "run_id") &&
	    strcmp(lin_scan_str(shown, "run_id"), run_id) && order < record_order(shown))
		goto done;
	if (!props || !(rec = lin_ol_json_read(record, strlen(record), &err)) ||
	    json_object_set(props, "run", rec)) {
		rc = lin_error_oom();
		goto done;
	}
	if ((rc = json_text(&text, props)))
		goto done;
	/* Both in the form a merge stores (emit_json): the same text is the same job. */
	if (!strcmp(text, job->pub.properties_json) && job->pub.status && !strcmp(job->pub.status, state))
		goto done;
	rc = lin_asset_set_state(&outcome, db, job, state, text);
	*updated = !rc && outcome == LINEAGE_UPDATED;
done:
	free(text);
	json_decref(rec);
	json_decref(props);
	lin_asset_rec_free(job);
	return rc;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* The edges the run reported so far and those of this event, sorted, without repeats. */
static int64_t *edges_union(const json_t *old, const int64_t *ids, size_t n, size_t *out_n)
{
	json_t *stored = json_object_get(old, "edges"), *v;
	size_t cap = json_array_size(stored) + n + 1, len = 0, i, w = 0;
	int64_t *all = malloc(cap * sizeof *all);
	if (!all)
		return NULL;
	json_array_foreach(stored, i, v)
		if (json_is_integer(v))
			all[len++] = json_integer_value(v);
	for (i = 0; i < n; i++)
		all[len++] = ids[i];
	qsort(all, len, sizeof *all, cmp_i64);
	for (i = 0; i < len; i++)
		if (!w || all[w - 1] != all[i])
			all[w++] = all[i];
	*out_n = w;
	return all;
}

int lin_ol_run_record(lineage_scan_sink *sink, const lin_ol_job *job, const char *run_id,
		      int type, int64_t event_ms, lin_ol_run_outcome *out)
{
	json_t *old = NULL;
	char *old_text = NULL;
	lin_strbuf text = LIN_STRBUF_INIT;
	lin_ol_json_error err;
	lin_run_row row;
	run_times rt;
	int64_t order;
	int rc, dec;
	memset(out, 0, sizeof *out);
	if ((rc = lin_store_run_get(sink->db->store, job->id, run_id, &old_text)))
		goto done;
	old = old_text ? lin_ol_json_read(old_text, strlen(old_text), &err) : NULL;
	if (old_text && !old && err.oom) {
		rc = lin_error_oom();
		goto done;
	}
	times_read(&rt, old);
	times_add(&rt, type, event_ms);
	if (!(out->edges = edges_union(old, sink->seen, sink->seen_len, &out->edge_count))) {
		rc = lin_error_oom();
		goto done;
	}
	if ((rc = record_text(&text, run_id, &rt, out->edges, out->edge_count, 1, &order, &dec)))
		goto done;
	out->state = dec >= 0 ? event_states[dec] : NULL;
	/* The row is written when its record changed (stored as schema 4 stored it). */
	if (!old_text || strcmp(old_text, text.data)) {
		row.job_id = job->id;
		row.run_id = run_id;
		row.state = out->state;
		row.sort_at = order;
		row.record_json = text.data;
		if ((rc = lin_store_run_put(sink->db->store, &row)))
			goto done;
		out->run_written = old_text ? LINEAGE_UPDATED : LINEAGE_CREATED;
	}
	/* The job shows its latest run that has a state (by start time, else first event
	 * time), without its edges; the ingester writes it when the transaction commits
	 * (jobs.c). */
	out->latest = out->state && (!job->shown_run || !strcmp(job->shown_run, run_id) ||
				     order >= job->shown_order);
	out->order = order;
	if (out->latest && !(rc = record_text(&text, run_id, &rt, NULL, 0, 0, &order, &dec)))
		out->record = lin_strbuf_detach(&text);
done:
	json_decref(old);
	free(old_text);
	lin_strbuf_free(&text);
	if (rc) {
		free(out->edges);
		out->edges = NULL;
	}
	return rc;
}

/* The history: a job's rows in the runs table, newest first. */
static json_t *public_record(const json_t *stored)
{
	static const char *const fields[] = {"run_id", "state", "started_at", "ended_at",
					     "duration_ms", "updated_at"};
	json_t *out = json_object(), *events = json_object(), *v;
	const char *k;
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		v = json_object_get(stored, fields[i]);
		json_object_set_new(out, fields[i], v ? json_incref(v) : json_null());
	}
	json_object_foreach(json_object_get(stored, "events"), k, v)
		if (!json_is_null(v))
			json_object_set(events, k, v);
	json_object_set_new(out, "events", events);
	return out;
}

static int add_run(const lin_run_row *row, void *payload)
{
	json_t *stored = json_loads(row->record_json, 0, NULL);
	int rc = 0;
	if (json_is_object(stored) && json_array_append_new(payload, public_record(stored)))
		rc = lin_error_oom();
	json_decref(stored);
	return rc;
}

/* The job's runs as public records, newest first, at most `limit` (a JSON array). */
static int read_runs(json_t **out, char **out_status, lineage_db *db, const char *job_key,
		     size_t limit)
{
	lineage_asset *job = NULL;
	int rc;
	*out = NULL;
	*out_status = NULL;
	if (!job_key)
		return lin_error_set(LINEAGE_EINVALID, "runs: give the job's key");
	if ((rc = lineage_asset_get(&job, db, job_key)))
		return rc;
	if (strcmp(job->kind, "job")) {
		rc = lin_error_set(LINEAGE_EINVALID, "%s is a %s, not a job: runs are recorded for jobs", job_key, job->kind);
		goto done;
	}
	if ((job->status && !(*out_status = lin_strdup(job->status))) || !(*out = json_array())) {
		rc = lin_error_oom();
		goto done;
	}
	limit = limit ? (limit > MAX_RUN_LIMIT ? MAX_RUN_LIMIT : limit) : DEFAULT_RUN_LIMIT;
	rc = lin_store_runs_of_job(db->store, job->id, limit, add_run, *out);
done:
	lineage_asset_free(job);
	if (rc) {
		json_decref(*out);
		*out = NULL;
		free(*out_status);
		*out_status = NULL;
	}
	return rc;
}

int lineage_job_runs_json(char **out, lineage_db *db, const char *job_key, size_t limit)
{
	json_t *runs = NULL, *doc;
	char *status = NULL;
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "runs: the output pointer is NULL");
	*out = NULL;
	if ((rc = read_runs(&runs, &status, db, job_key, limit)))
		return rc;
	doc = json_pack("{s:s, s:s?, s:o}", "job", job_key, "status", status, "runs", runs);
	*out = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	free(status);
	return *out ? 0 : lin_error_oom();
}

struct lineage_run_list {
	lineage_run *runs;
	size_t count;
	char *status;
	json_t *doc; /* owns the strings */
};

static int64_t ms_or_unknown(const json_t *rec, const char *field)
{
	json_t *v = json_object_get(rec, field);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
}

int lineage_job_runs(lineage_run_list **out, lineage_db *db, const char *job_key, size_t limit)
{
	lineage_run_list *list;
	json_t *rec;
	size_t i;
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "runs: the output pointer is NULL");
	*out = NULL;
	if (!(list = calloc(1, sizeof *list)))
		return lin_error_oom();
	if ((rc = read_runs(&list->doc, &list->status, db, job_key, limit))) {
		free(list);
		return rc;
	}
	list->runs = calloc(json_array_size(list->doc) + 1, sizeof *list->runs);
	if (!list->runs) {
		lineage_run_list_free(list);
		return lin_error_oom();
	}
	json_array_foreach(list->doc, i, rec) {
		lineage_run *r = &list->runs[list->count++];
		r->run_id = lin_scan_str(rec, "run_id");
		r->state = lin_scan_str(rec, "state");
		r->started_at_ms = ms_or_unknown(rec, "started_at");
		r->ended_at_ms = ms_or_unknown(rec, "ended_at");
		r->duration_ms = ms_or_unknown(rec, "duration_ms");
		r->updated_at_ms = ms_or_unknown(rec, "updated_at");
	}
	*out = list;
	return 0;
}

size_t lineage_run_list_count(const lineage_run_list *list)
{
	return list ? list->count : 0;
}

const lineage_run *lineage_run_list_get(const lineage_run_list *list, size_t i)
{
	return list && i < list->count ? &list->runs[i] : NULL;
}

const char *lineage_run_list_job_status(const lineage_run_list *list)
{
	return list ? list->status : NULL;
}

void lineage_run_list_free(lineage_run_list *list)
{
	if (!list)
		return;
	json_decref(list->doc);
	free(list->runs);
	free(list->status);
	free(list);
}
