/*
 * The stored lineage as OpenLineage JobEvents (static lineage, one per job), so that
 * liblineage can feed Marquez, DataHub or any OpenLineage consumer.
 *
 * Each job becomes one event whose inputs are the sources and outputs the targets of the
 * edges that carry it; edges without a job are grouped by target, under a job named
 * "liblineage/load:<target>". Column edges become the columnLineage facet of their output
 * (DIRECT, or INDIRECT for edges of kind "indirect"). Datasets that came from OpenLineage keep
 * their namespace and name; keys with a scheme ("s3://bucket/path") are split into both; any
 * other key is a name in the namespace "liblineage".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "scan/scan_internal.h"
#include "ol_internal.h"

#define NAMESPACE "liblineage"
#define PRODUCER "urn:liblineage"
#define SCHEMA_URL "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent"

typedef struct ol_export {
	lineage_db *db;
	json_t *assets; /* key -> {"kind", "parent", "ns", "name"} */
	json_t *jobs;   /* group key -> {"job": {...}, "inputs": {key: ds}, "outputs": {key: ds},
			   "columns": {target dataset key: {field: [input fields]}}, "sql"} */
	char time[40];
} ol_export;

/* What the exporter needs of an asset, read once. */
static json_t *asset_info(ol_export *x, const char *key)
{
	json_t *info = json_object_get(x->assets, key), *props;
	lineage_asset *a = NULL;
	const char *ns = NAMESPACE, *name = key, *scheme;
	if (info)
		return info;
	if (lineage_asset_get(&a, x->db, key) != 0) {
		lineage_error_clear();
		info = json_pack("{s:s, s:n, s:s, s:s}", "kind", "unknown", "parent", "ns", ns, "name", name);
	} else {
		json_t *ol;
		char nsbuf[512];
		props = json_loads(a->properties_json, 0, NULL);
		ol = json_object_get(props, "openlineage");
		scheme = strstr(key, "://");
		if (lin_scan_str(ol, "namespace") && lin_scan_str(ol, "name")) {
			ns = lin_scan_str(ol, "namespace");
			name = lin_scan_str(ol, "name");
		} else if (scheme && scheme - key < 32) {
			/* "s3://bucket/path": namespace "s3://bucket", name "/path". */
			const char *slash = strchr(scheme + 3, '/');
			size_t nl = slash ? (size_t)(slash - key) : strlen(key);
			snprintf(nsbuf, sizeof nsbuf, "%.*s", (int)(nl < 500 ? nl : 500), key);
			ns = nsbuf;
			name = slash ? slash : "/";
		}
		info = json_pack("{s:s, s:s?, s:s, s:s}", "kind", a->kind, "parent", a->parent_key, "ns",
				 ns, "name", name);
		json_decref(props);
		lineage_asset_free(a);
	}
	if (!info || json_object_set_new(x->assets, key, info))
		return NULL;
	return info;
}

static json_t *dataset_json(json_t *info)
{
	return json_pack("{s:O, s:O}", "namespace", json_object_get(info, "ns"), "name",
			 json_object_get(info, "name"));
}

/* The event a job's edges go to. */
static json_t *group_of(ol_export *x, const lineage_edge *e, const char *target_dataset)
{
	lin_strbuf gk = LIN_STRBUF_INIT;
	json_t *g;
	const char *slash;
	if (e->job_key)
		lin_strbuf_printf(&gk, "job:%s", e->job_key);
	else
		lin_strbuf_printf(&gk, "load:%s", target_dataset);
	if (!gk.data)
		return NULL;
	g = json_object_get(x->jobs, gk.data);
	if (!g) {
		json_t *job;
		if (e->job_key && (slash = strchr(e->job_key, '/')) && slash != e->job_key && slash[1])
			job = json_pack("{s:s%, s:s}", "namespace", e->job_key, (size_t)(slash - e->job_key),
					"name", slash + 1);
		else if (e->job_key)
			job = json_pack("{s:s, s:s}", "namespace", NAMESPACE, "name", e->job_key);
		else
			job = json_pack("{s:s, s:s+}", "namespace", NAMESPACE, "name", "load:", target_dataset);
		g = json_pack("{s:o, s:{}, s:{}, s:{}}", "job", job, "inputs", "outputs", "columns");
		if (g)
			json_object_set_new(x->jobs, gk.data, g);
	}
	lin_strbuf_free(&gk);
	return g;
}

static int add_edge(const lineage_edge *e, void *payload)
{
	ol_export *x = payload;
	json_t *src = asset_info(x, e->source_key), *dst = asset_info(x, e->target_key), *g;
	int column = src && dst && !strcmp(lin_scan_str(src, "kind"), "column") &&
		     lin_scan_str(src, "parent");
	const char *src_ds = e->source_key, *dst_ds = e->target_key;
	if (!src || !dst)
		return lin_error_oom();
	if (column) {
		src_ds = lin_scan_str(src, "parent");
		/* An indirect column edge ends on the table itself. */
		if (!strcmp(lin_scan_str(dst, "kind"), "column") && lin_scan_str(dst, "parent"))
			dst_ds = lin_scan_str(dst, "parent");
	}
	g = group_of(x, e, dst_ds);
	if (!g)
		return lin_error_oom();
	{
		json_t *si = asset_info(x, src_ds), *di = asset_info(x, dst_ds);
		if (!si || !di)
			return lin_error_oom();
		json_object_set_new(json_object_get(g, "inputs"), src_ds, dataset_json(si));
		json_object_set_new(json_object_get(g, "outputs"), dst_ds, dataset_json(di));
	}
	if (!column && e->transformation && !json_object_get(g, "sql"))
		json_object_set_new(g, "sql", json_string(e->transformation));
	if (column) {
		json_t *cols = json_object_get(g, "columns"), *fields, *list;
		const char *field = strcmp(dst_ds, e->target_key) ? lin_scan_str(dst, "name") : NULL;
		const char *target_field = field ? e->target_key + strlen(dst_ds) + 1 : NULL;
		json_t *input;
		if (!target_field)
			return 0; /* an indirect edge to the whole table: no field to attach it to */
		if (!(fields = json_object_get(cols, dst_ds))) {
			fields = json_object();
			json_object_set_new(cols, dst_ds, fields);
		}
		if (!(list = json_object_get(fields, target_field))) {
			list = json_array();
			json_object_set_new(fields, target_field, list);
		}
		input = json_pack("{s:O, s:O, s:s, s:[{s:s, s:s}]}", "namespace",
				  json_object_get(asset_info(x, src_ds), "ns"), "name",
				  json_object_get(asset_info(x, src_ds), "name"), "field",
				  e->source_key + strlen(src_ds) + 1, "transformations", "type",
				  strcmp(e->kind, "indirect") ? "DIRECT" : "INDIRECT", "subtype",
				  e->transformation_type ? e->transformation_type : "TRANSFORMATION");
		json_array_append_new(list, input);
	}
	return 0;
}

static json_t *event_of(ol_export *x, json_t *g)
{
	json_t *inputs = json_array(), *outputs = json_array(), *ds, *ev, *job;
	const char *key;
	json_object_foreach(json_object_get(g, "inputs"), key, ds)
		json_array_append(inputs, ds);
	json_object_foreach(json_object_get(g, "outputs"), key, ds) {
		json_t *out = json_deep_copy(ds);
		json_t *fields = json_object_get(json_object_get(g, "columns"), key);
		if (fields) {
			json_t *cll = json_object(), *f = json_object(), *list;
			const char *name;
			json_object_foreach(fields, name, list)
				json_object_set_new(f, name, json_pack("{s:O}", "inputFields", list));
			json_object_set_new(cll, "_producer", json_string(PRODUCER));
			json_object_set_new(cll, "_schemaURL", json_string("https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet"));
			json_object_set_new(cll, "fields", f);
			json_object_set_new(out, "facets", json_pack("{s:o}", "columnLineage", cll));
		}
		json_array_append_new(outputs, out);
	}
	job = json_deep_copy(json_object_get(g, "job"));
	if (json_object_get(g, "sql"))
		json_object_set_new(job, "facets",
				    json_pack("{s:{s:s, s:s, s:O}}", "sql", "_producer", PRODUCER, "_schemaURL",
					      "https://openlineage.io/spec/facets/1-0-1/SQLJobFacet.json#/$defs/SQLJobFacet",
					      "query", json_object_get(g, "sql")));
	ev = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "eventTime", x->time, "producer", PRODUCER,
		       "schemaURL", SCHEMA_URL, "job", job, "inputs", inputs, "outputs", outputs);
	return ev;
}

int lin_ol_export(lineage_db *db, const lineage_result *result, lin_strbuf *out)
{
	ol_export x;
	const char *gk;
	json_t *g;
	int rc = 0;
	memset(&x, 0, sizeof x);
	x.db = db;
	x.assets = json_object();
	x.jobs = json_object();
	lin_format_time(x.time, sizeof x.time, lin_now_ms());
	if (!x.assets || !x.jobs) {
		rc = lin_error_oom();
		goto done;
	}
	if (!result) {
		rc = lineage_edge_foreach(db, 0, add_edge, &x);
	} else {
		for (size_t i = 0; !rc && i < lineage_result_edge_count(result); i++) {
			lineage_edge *e = NULL;
			rc = lineage_edge_get(&e, db, lineage_result_edge_at(result, i)->edge_id);
			if (!rc)
				rc = add_edge(e, &x);
			lineage_edge_free(e);
		}
	}
	json_object_foreach(x.jobs, gk, g) {
		json_t *ev;
		char *line;
		if (rc)
			break;
		ev = event_of(&x, g);
		line = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
		json_decref(ev);
		if (!line) {
			rc = lin_error_oom();
			break;
		}
		rc = lin_strbuf_puts(out, line);
		if (!rc)
			rc = lin_strbuf_putc(out, '\n');
		free(line);
	}
done:
	json_decref(x.assets);
	json_decref(x.jobs);
	return rc;
}
