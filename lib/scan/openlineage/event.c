/*
 * One OpenLineage event into assets and inferred edges.
 *
 * A job's inputs and outputs become table-to-table edges (each input to each output) with
 * the job recorded on them, the way dbt and Airflow lineage is stored too; a job with only
 * inputs (a sink) or only outputs (a source) is linked to its job asset instead. The schema
 * facet gives columns, the columnLineage facet column edges (kind "indirect" for INDIRECT
 * transformations: filters, joins, sorts), the symlinks facet the table a location stands for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "api/json.h"
#include "scan/scan_internal.h"
#include "ol_internal.h"

/* Lineage observed when a job ran is strong evidence; a failed or aborted run's less so. */
#define RUN_CONFIDENCE 0.9
#define FAILED_RUN_CONFIDENCE 0.7
#define MAX_FIELD_DEPTH 8

typedef struct ol_event {
	lineage_scan_sink *sink;
	const char *path;
	size_t index;
	json_t *aliases; /* physical dataset key -> table key, from symlinks facets */
	const char *job; /* the job's key, recorded on table and column edges */
	double confidence;
	char *evidence;
} ol_event;

static void diag(ol_event *ev, lineage_diag_severity sev, const char *fmt, const char *detail)
{
	char msg[600];
	char text[500];
	snprintf(text, sizeof text, fmt, detail ? detail : "");
	snprintf(msg, sizeof msg, "event %zu: %s", ev->index, text);
	lineage_scan_sink_diagnostic(ev->sink, sev, ev->path, 0, 0, msg);
}

/* The key of a dataset, following a symlink to the table it stands for. */
static char *dataset_key(ol_event *ev, const char *ns, const char *name)
{
	char *key = lin_ol_dataset_key(ns, name);
	const char *alias = key ? lin_scan_str(ev->aliases, key) : NULL;
	if (alias) {
		free(key);
		key = lin_strdup(alias);
	}
	return key;
}

/* Whether `key` is the table some location stands for. */
static int is_alias(ol_event *ev, const char *key)
{
	const char *phys;
	json_t *table;
	json_object_foreach(ev->aliases, phys, table) {
		if (!strcmp(json_string_value(table), key))
			return 1;
	}
	return 0;
}

static const char *symlink_table(json_t *dataset, const char **alias_ns)
{
	json_t *ids = json_object_get(json_object_get(json_object_get(dataset, "facets"), "symlinks"), "identifiers");
	json_t *id;
	size_t i;
	json_array_foreach(ids, i, id) {
		const char *type = lin_scan_str(id, "type");
		if (type && !lin_strcasecmp(type, "TABLE") && lin_scan_str(id, "name")) {
			*alias_ns = lin_scan_str(id, "namespace");
			return lin_scan_str(id, "name");
		}
	}
	return NULL;
}

/* Record every dataset's symlinked table before anything refers to it. */
static void collect_aliases(ol_event *ev, json_t *list)
{
	json_t *ds;
	size_t i;
	json_array_foreach(list, i, ds) {
		const char *ns = lin_scan_str(ds, "namespace"), *name = lin_scan_str(ds, "name");
		const char *alias_ns = NULL, *alias = symlink_table(ds, &alias_ns);
		char *phys, *table;
		if (!name || !alias)
			continue;
		phys = lin_ol_dataset_key(ns ? ns : "", name);
		table = lin_ol_dataset_key(alias_ns ? alias_ns : "", alias);
		if (phys && table && strcmp(phys, table))
			json_object_set_new(ev->aliases, phys, json_string(table));
		free(phys);
		free(table);
	}
}

/* Properties written for every dataset and column of every event, made as text (jansson
 * objects and a dump cost more than the upsert they feed once the spec cache skips it):
 * {"<field>": "<value>"}, or {"<field>": {"namespace": ns, "name": name}}. New string, NULL
 * when out of memory. */
static char *props_text(const char *field, const char *value, const char *ns, const char *name)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	int rc = lin_strbuf_puts(&sb, "{") || lin_json_str(&sb, field) || lin_strbuf_puts(&sb, ":");
	if (!rc && value)
		rc = lin_json_str(&sb, value);
	else if (!rc)
		rc = lin_strbuf_puts(&sb, "{\"namespace\":") || lin_json_str(&sb, ns) ||
		     lin_strbuf_puts(&sb, ",\"name\":") || lin_json_str(&sb, name) ||
		     lin_strbuf_puts(&sb, "}");
	if (rc || lin_strbuf_puts(&sb, "}")) {
		lin_strbuf_free(&sb);
		return NULL;
	}
	return lin_strbuf_detach(&sb);
}

static int emit_fields(ol_event *ev, const char *parent_key, const char *ns, json_t *fields,
		       int depth)
{
	json_t *f;
	size_t i;
	int rc = 0;
	if (depth > MAX_FIELD_DEPTH)
		return 0;
	json_array_foreach(fields, i, f) {
		const char *name = lin_scan_str(f, "name");
		const char *type = lin_scan_str(f, "type");
		lineage_asset_spec spec;
		char *key, *props = NULL;
		if (!name || !*name)
			continue;
		key = lin_ol_column_key(parent_key, ns, name);
		if (!key)
			return LINEAGE_ENOMEM;
		if (type && !(props = props_text("data_type", type, NULL, NULL))) {
			free(key);
			return LINEAGE_ENOMEM;
		}
		lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
		spec.key = key;
		spec.kind = "column";
		spec.name = name;
		spec.parent_key = parent_key;
		spec.description = lin_scan_str(f, "description");
		spec.properties_json = props;
		rc = lin_scan_go_on(lineage_scan_sink_asset(ev->sink, &spec));
		/* Nested fields (structs) are columns inside their column. */
		if (!rc && json_is_array(json_object_get(f, "fields")))
			rc = emit_fields(ev, key, ns, json_object_get(f, "fields"), depth + 1);
		free(props);
		free(key);
		if (rc)
			break;
	}
	return rc;
}

static const char *first_owner(json_t *facets)
{
	json_t *owners = json_object_get(json_object_get(facets, "ownership"), "owners");
	return lin_scan_str(json_array_get(owners, 0), "name");
}

/* A dataset's asset and its columns. Returns its key (new string) or NULL when unusable. */
static char *emit_dataset(ol_event *ev, json_t *ds, int *rc)
{
	const char *ns = lin_scan_str(ds, "namespace"), *name = lin_scan_str(ds, "name");
	json_t *facets = json_object_get(ds, "facets");
	lineage_asset_spec spec;
	char *key, *props;
	*rc = 0;
	if (!name || !*name) {
		diag(ev, LINEAGE_DIAG_ERROR, "a dataset has no name: every input and output needs \"namespace\" and \"name\"%s", NULL);
		return NULL;
	}
	if (!ns) {
		diag(ev, LINEAGE_DIAG_WARNING, "dataset \"%.200s\" has no namespace: it is stored under its name alone", name);
		ns = "";
	}
	key = dataset_key(ev, ns, name);
	if (!key) {
		*rc = LINEAGE_ENOMEM;
		return NULL;
	}

	props = props_text("openlineage", NULL, ns, name);
	if (!props) {
		free(key);
		*rc = LINEAGE_ENOMEM;
		return NULL;
	}
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = key;
	spec.kind = is_alias(ev, key) ? "table" : lin_ol_dataset_kind(ns);
	spec.description = lin_scan_str(json_object_get(facets, "documentation"), "description");
	spec.owner = first_owner(facets);
	spec.properties_json = props;
	*rc = lineage_scan_sink_asset(ev->sink, &spec);
	free(props);
	*rc = lin_scan_go_on(*rc);
	if (!*rc)
		*rc = emit_fields(ev, key, ns, json_object_get(json_object_get(facets, "schema"), "fields"), 0);
	if (*rc) {
		free(key);
		return NULL;
	}
	return key;
}

static int emit_edge(ol_event *ev, const char *source, const char *target, const char *job,
		     const char *kind, const char *ttype, const char *transformation)
{
	lineage_edge_spec spec;
	int rc;
	if (!strcmp(source, target) && (!kind || strcmp(kind, "update")))
		return 0; /* reading and writing the same dataset is not a flow between two */
	lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
	spec.source_key = source;
	spec.target_key = target;
	spec.kind = kind;
	spec.job_key = job;
	spec.confidence = ev->confidence;
	spec.transformation_type = ttype;
	spec.transformation = transformation;
	spec.evidence_json = ev->evidence;
	spec.source_kind = "column";
	spec.target_kind = "column";
	rc = lineage_scan_sink_edge(ev->sink, &spec);
	return lin_scan_go_on(rc);
}

/* Column edges of one output's columnLineage facet. */
static int emit_column_lineage(ol_event *ev, const char *out_key, const char *out_ns, json_t *cll)
{
	const char *field;
	json_t *spec;
	int rc = 0;
	json_object_foreach(json_object_get(cll, "fields"), field, spec) {
		json_t *inputs = json_object_get(spec, "inputFields"), *in;
		size_t i;
		char *target = lin_ol_column_key(out_key, out_ns, field);
		if (!target)
			return LINEAGE_ENOMEM;
		json_array_foreach(inputs, i, in) {
			const char *ns = lin_scan_str(in, "namespace"), *name = lin_scan_str(in, "name");
			const char *in_field = lin_scan_str(in, "field");
			json_t *tr = json_array_get(json_object_get(in, "transformations"), 0);
			const char *type = lin_scan_str(tr, "type");
			const char *subtype = lin_scan_str(tr, "subtype");
			char *ds, *source;
			if (!name || !in_field)
				continue;
			ds = dataset_key(ev, ns ? ns : "", name);
			source = ds ? lin_ol_column_key(ds, ns ? ns : "", in_field) : NULL;
			if (source) {
				/* The column asset inside its dataset, for containment and roll-up. */
				lineage_asset_spec col;
				lineage_asset_spec_init(&col, LINEAGE_ASSET_SPEC_VERSION);
				col.key = source;
				col.kind = "column";
				col.name = in_field;
				col.parent_key = ds;
				col.create_missing = 1;
				rc = lin_scan_go_on(lineage_scan_sink_asset(ev->sink, &col));
				if (!rc)
					rc = emit_edge(ev, source, target,
						       ev->job, type && !lin_strcasecmp(type, "INDIRECT") ? "indirect" : NULL,
						       subtype ? subtype : lin_scan_str(spec, "transformationType"),
						       lin_scan_str(tr, "description") && *lin_scan_str(tr, "description")
							       ? lin_scan_str(tr, "description")
							       : lin_scan_str(spec, "transformationDescription"));
			}
			free(source);
			free(ds);
			if (rc)
				break;
		}
		{
			/* The target column inside its dataset. */
			lineage_asset_spec col;
			lineage_asset_spec_init(&col, LINEAGE_ASSET_SPEC_VERSION);
			col.key = target;
			col.kind = "column";
			col.name = field;
			col.parent_key = out_key;
			if (!rc)
				rc = lin_scan_go_on(lineage_scan_sink_asset(ev->sink, &col));
		}
		free(target);
		if (rc)
			break;
	}
	return rc;
}

static char *emit_job(ol_event *ev, json_t *job, int *rc)
{
	const char *ns = lin_scan_str(job, "namespace"), *name = lin_scan_str(job, "name");
	json_t *facets = json_object_get(job, "facets");
	lin_strbuf key = LIN_STRBUF_INIT;
	lineage_asset_spec spec;
	*rc = 0;
	if (!ns || !name || !*name) {
		diag(ev, LINEAGE_DIAG_ERROR, "the job needs a \"namespace\" and a \"name\": the event is skipped%s", NULL);
		return NULL;
	}
	if (lin_strbuf_puts(&key, ns) || lin_strbuf_putc(&key, '/') || lin_strbuf_puts(&key, name)) {
		lin_strbuf_free(&key);
		*rc = LINEAGE_ENOMEM;
		return NULL;
	}
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = key.data;
	spec.kind = "job";
	spec.name = name;
	spec.description = lin_scan_str(json_object_get(facets, "documentation"), "description");
	spec.owner = first_owner(facets);
	*rc = lin_scan_go_on(lineage_scan_sink_asset(ev->sink, &spec));
	return lin_strbuf_detach(&key);
}

static int emit_job_lineage(ol_event *ev, json_t *event)
{
	json_t *inputs = json_object_get(event, "inputs"), *outputs = json_object_get(event, "outputs");
	size_t nin = json_array_size(inputs), nout = json_array_size(outputs), i, j;
	char **in_keys = NULL, **out_keys = NULL, *job;
	const char *sql = lin_scan_str(json_object_get(json_object_get(json_object_get(event, "job"), "facets"), "sql"), "query");
	int rc = 0;
	collect_aliases(ev, inputs);
	collect_aliases(ev, outputs);
	job = emit_job(ev, json_object_get(event, "job"), &rc);
	if (!job)
		return rc;
	ev->job = job;
	in_keys = calloc(nin + 1, sizeof *in_keys);
	out_keys = calloc(nout + 1, sizeof *out_keys);
	if (!in_keys || !out_keys) {
		rc = lin_error_oom();
		goto done;
	}
	for (i = 0; i < nin && !rc; i++)
		in_keys[i] = emit_dataset(ev, json_array_get(inputs, i), &rc);
	for (i = 0; i < nout && !rc; i++)
		out_keys[i] = emit_dataset(ev, json_array_get(outputs, i), &rc);
	for (i = 0; i < nin && !rc; i++) {
		if (!in_keys[i])
			continue;
		if (!nout)
			rc = emit_edge(ev, in_keys[i], job, NULL, NULL, "openlineage", sql);
		for (j = 0; j < nout && !rc; j++)
			if (out_keys[j])
				rc = emit_edge(ev, in_keys[i], out_keys[j], job, NULL, "openlineage", sql);
	}
	for (j = 0; j < nout && !rc; j++) {
		json_t *ds = json_array_get(outputs, j);
		if (!out_keys[j])
			continue;
		if (!nin)
			rc = emit_edge(ev, job, out_keys[j], NULL, NULL, "openlineage", sql);
		if (!rc)
			rc = emit_column_lineage(ev, out_keys[j], lin_scan_str(ds, "namespace") ? lin_scan_str(ds, "namespace") : "",
						 json_object_get(json_object_get(ds, "facets"), "columnLineage"));
	}
done:
	for (i = 0; in_keys && i < nin; i++)
		free(in_keys[i]);
	for (i = 0; out_keys && i < nout; i++)
		free(out_keys[i]);
	free(in_keys);
	free(out_keys);
	free(job);
	return rc;
}

static char *make_evidence(const char *path, size_t index, json_t *event, int live)
{
	/* A live event's edges name only their source, so that every event of every run that
	 * reports them gives the same edge and writes nothing (the run's row lists its edges). */
	json_t *ev = live ? json_pack("{s:s}", "source", path)
			  : json_pack("{s:s, s:I, s:s?, s:s?, s:s?}", "file", path, "event", (json_int_t)index,
			       "eventType", lin_scan_str(event, "eventType"), "eventTime",
			       lin_scan_str(event, "eventTime"), "runId",
			       lin_scan_str(json_object_get(event, "run"), "runId"));
	char *text = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
	json_decref(ev);
	return text;
}

static int read_event(lineage_scan_sink *sink, const char *path, size_t index, json_t *event,
		      int live)
{
	ol_event ev;
	const char *type;
	int rc = 0;
	memset(&ev, 0, sizeof ev);
	ev.sink = sink;
	ev.path = path;
	ev.index = index;
	if (!json_is_object(event)) {
		diag(&ev, LINEAGE_DIAG_ERROR, "not a JSON object: an OpenLineage event is an object with \"job\" or \"dataset\"%s", NULL);
		return 0;
	}
	type = lin_scan_str(event, "eventType");
	/* Live, a run's events arrive in any order and again: the edge must not depend on which
	 * came last (the failure shows on the job's state instead). */
	ev.confidence = !live && type && (!lin_strcasecmp(type, "FAIL") || !lin_strcasecmp(type, "ABORT"))
				? FAILED_RUN_CONFIDENCE
				: RUN_CONFIDENCE;
	ev.aliases = json_object();
	ev.evidence = make_evidence(path, index, event, live);
	if (!ev.aliases || !ev.evidence) {
		rc = lin_error_oom();
		goto done;
	}
	if (json_is_object(json_object_get(event, "dataset"))) {
		/* A DatasetEvent: the dataset and its schema, no lineage. */
		char *key;
		json_t *one = json_array();
		json_array_append(one, json_object_get(event, "dataset"));
		collect_aliases(&ev, one);
		json_decref(one);
		key = emit_dataset(&ev, json_object_get(event, "dataset"), &rc);
		free(key);
	} else if (json_is_object(json_object_get(event, "job"))) {
		int is_run = type != NULL || json_object_get(event, "run") != NULL;
		if (is_run && !lin_scan_str(json_object_get(event, "run"), "runId")) {
			diag(&ev, LINEAGE_DIAG_ERROR, "run.runId is missing: a RunEvent needs \"run\": {\"runId\": \"<uuid>\"}; the event is skipped%s", NULL);
			goto done;
		}
		rc = emit_job_lineage(&ev, event);
	} else if (json_object_get(event, "columnLineage") || json_object_get(event, "schema")) {
		diag(&ev, LINEAGE_DIAG_ERROR, "this is a facet, not an event: send the whole RunEvent that carries it in a dataset's \"facets\"%s", NULL);
	} else {
		diag(&ev, LINEAGE_DIAG_ERROR, "not an OpenLineage event: it has neither \"job\" nor \"dataset\"%s", NULL);
	}
	lineage_scan_sink_count(sink, 1);
done:
	json_decref(ev.aliases);
	free(ev.evidence);
	return rc;
}

int lin_ol_event(lineage_scan_sink *sink, const char *path, size_t index, json_t *event)
{
	return read_event(sink, path, index, event, 0);
}

int lin_ol_event_live(lineage_scan_sink *sink, const char *source, json_t *event)
{
	return read_event(sink, source, 0, event, 1);
}
