/*
 * The DataHub scanner: a metadata file as DataHub's file sink writes it (a JSON array of
 * MetadataChangeProposals, or of the older MetadataChangeEvents with a DatasetSnapshot), read
 * for lineage (docs/scanners.md):
 *
 *   - upstreamLineage: each upstream dataset → the entity's dataset, an inferred edge with
 *     the upstream's type (TRANSFORMED, COPY, VIEW) as transformation type;
 *     fineGrainedLineages: column edges from each upstream field (or dataset) to each
 *     downstream field, with its transformOperation and confidenceScore;
 *   - schemaMetadata: the dataset's columns with their native types;
 *   - datasetProperties: its description.
 *
 * Other entities and aspects are not lineage and are passed over. A proposal that cannot be
 * read (a URN that is not a dataset's, a PATCH) is a diagnostic and the others are read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "scan/scan_internal.h"
#include "dh_internal.h"

#define DATAHUB_CONFIDENCE 0.9
#define MAX_ITEMS_PER_ASPECT 100000

typedef struct dh_item {
	lineage_scan_sink *sink;
	const char *path;
	size_t index;
	char *evidence;
} dh_item;

static void diag(dh_item *it, lineage_diag_severity sev, const char *fmt, const char *detail)
{
	char text[600], msg[700];
	snprintf(text, sizeof text, fmt, detail ? detail : "");
	snprintf(msg, sizeof msg, "item %zu: %s", it->index, text);
	lineage_scan_sink_diagnostic(it->sink, sev, it->path, 0, 0, msg);
}

/* The dataset's asset (created or updated with its URN); its key, or NULL. */
static char *emit_dataset(dh_item *it, const char *urn, const lin_dh_dataset *d,
			  const char *description, int *rc)
{
	lineage_asset_spec spec;
	json_t *props = json_pack("{s:{s:s, s:s, s:s, s:s}}", "datahub", "urn", urn, "platform",
				  d->platform, "name", d->name, "env", d->env);
	char *key = lin_dh_dataset_key(d), *text = props ? json_dumps(props, JSON_COMPACT) : NULL;
	json_decref(props);
	*rc = 0;
	if (!key || !text) {
		free(key);
		free(text);
		*rc = lin_error_oom();
		return NULL;
	}
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = key;
	spec.kind = lin_dh_dataset_kind(d);
	spec.description = description;
	spec.properties_json = text;
	*rc = lin_scan_go_on(lineage_scan_sink_asset(it->sink, &spec));
	free(text);
	return key;
}

/* A dataset URN's asset, or a diagnostic. */
static char *dataset_of(dh_item *it, const char *urn, int *rc)
{
	lin_dh_dataset d;
	char *key;
	*rc = 0;
	if (lin_dh_parse_dataset(&d, urn)) {
		diag(it, LINEAGE_DIAG_ERROR, "\"%.300s\" is not a dataset URN: expected urn:li:dataset:(urn:li:dataPlatform:PLATFORM,NAME,ENV)", urn);
		return NULL;
	}
	key = emit_dataset(it, urn, &d, NULL, rc);
	lin_dh_dataset_free(&d);
	return key;
}

/* A schemaField URN's column asset (inside its dataset), or a diagnostic. */
static char *column_of(dh_item *it, const char *urn, const char *data_type, int *rc)
{
	lin_dh_dataset d;
	lineage_asset_spec spec;
	char *field = NULL, *table, *key = NULL, *ds_urn, *props = NULL;
	*rc = 0;
	if (lin_dh_parse_field(&d, &field, urn)) {
		diag(it, LINEAGE_DIAG_ERROR, "\"%.300s\" is not a schemaField URN: expected urn:li:schemaField:(DATASET_URN,FIELD_PATH)", urn);
		return NULL;
	}
	ds_urn = lin_dh_dataset_urn(d.platform, d.name, d.env);
	table = ds_urn ? emit_dataset(it, ds_urn, &d, NULL, rc) : NULL;
	if (table && !*rc && (key = lin_dh_column_key(&d, table, field)) != NULL) {
		if (data_type) {
			json_t *p = json_pack("{s:s}", "data_type", data_type);
			props = p ? json_dumps(p, JSON_COMPACT) : NULL;
			json_decref(p);
		}
		lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
		spec.key = key;
		spec.kind = "column";
		spec.name = field;
		spec.parent_key = table;
		spec.properties_json = props;
		*rc = lin_scan_go_on(lineage_scan_sink_asset(it->sink, &spec));
	} else if (!*rc) {
		*rc = lin_error_oom();
	}
	free(props);
	free(ds_urn);
	free(table);
	free(field);
	lin_dh_dataset_free(&d);
	if (*rc) {
		free(key);
		return NULL;
	}
	return key;
}

static int emit_edge(dh_item *it, const char *source, const char *target, double confidence,
		     const char *ttype)
{
	lineage_edge_spec spec;
	if (!strcmp(source, target))
		return 0;
	lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
	spec.source_key = source;
	spec.target_key = target;
	spec.confidence = confidence;
	spec.transformation_type = ttype;
	spec.evidence_json = it->evidence;
	spec.source_kind = "table";
	spec.target_kind = "table";
	return lin_scan_go_on(lineage_scan_sink_edge(it->sink, &spec));
}

static double confidence_of(const json_t *fg)
{
	json_t *c = json_object_get(fg, "confidenceScore");
	double v = json_is_number(c) ? json_number_value(c) : DATAHUB_CONFIDENCE;
	return v >= 0.0 && v <= 1.0 ? v : DATAHUB_CONFIDENCE;
}

/* One fineGrainedLineages entry: each upstream to each downstream field. */
static int emit_fine_grained(dh_item *it, const json_t *fg)
{
	const char *up_type = lin_scan_str(fg, "upstreamType");
	json_t *ups = json_object_get(fg, "upstreams"), *downs = json_object_get(fg, "downstreams");
	const char *op = lin_scan_str(fg, "transformOperation");
	size_t i, j;
	int rc = 0, by_dataset = up_type && !strcmp(up_type, "DATASET");
	if (up_type && !strcmp(up_type, "NONE"))
		return 0; /* a field derived from nothing */
	if (json_array_size(ups) * json_array_size(downs) > MAX_ITEMS_PER_ASPECT) {
		diag(it, LINEAGE_DIAG_ERROR, "a fine-grained lineage has too many upstreams times downstreams: it is skipped%s", NULL);
		return 0;
	}
	for (j = 0; j < json_array_size(downs) && !rc; j++) {
		const char *durn = json_string_value(json_array_get(downs, j));
		char *target = durn ? column_of(it, durn, NULL, &rc) : NULL;
		if (!durn)
			diag(it, LINEAGE_DIAG_ERROR, "a fine-grained downstream is not a URN string%s", NULL);
		for (i = 0; target && i < json_array_size(ups) && !rc; i++) {
			const char *uurn = json_string_value(json_array_get(ups, i));
			char *source = NULL;
			if (!uurn) {
				diag(it, LINEAGE_DIAG_ERROR, "a fine-grained upstream is not a URN string%s", NULL);
				continue;
			}
			source = by_dataset ? dataset_of(it, uurn, &rc) : column_of(it, uurn, NULL, &rc);
			if (source && !rc)
				rc = emit_edge(it, source, target, confidence_of(fg), op);
			free(source);
		}
		free(target);
	}
	return rc;
}

static int read_upstream_lineage(dh_item *it, const char *urn, const json_t *aspect)
{
	json_t *ups = json_object_get(aspect, "upstreams"), *up, *fgs, *fg;
	size_t i;
	int rc = 0;
	char *target;
	if (!json_is_array(ups)) {
		diag(it, LINEAGE_DIAG_ERROR, "upstreamLineage has no \"upstreams\" array%s", NULL);
		return 0;
	}
	target = dataset_of(it, urn, &rc);
	if (!target)
		return rc;
	json_array_foreach(ups, i, up) {
		const char *src_urn = lin_scan_str(up, "dataset");
		char *source;
		if (!src_urn) {
			diag(it, LINEAGE_DIAG_ERROR, "an upstream has no \"dataset\" URN%s", NULL);
			continue;
		}
		source = dataset_of(it, src_urn, &rc);
		if (source && !rc)
			rc = emit_edge(it, source, target, DATAHUB_CONFIDENCE, lin_scan_str(up, "type"));
		free(source);
		if (rc)
			break;
	}
	fgs = json_object_get(aspect, "fineGrainedLineages");
	json_array_foreach(fgs, i, fg) {
		if (rc)
			break;
		rc = emit_fine_grained(it, fg);
	}
	free(target);
	return rc;
}

static int read_schema(dh_item *it, const char *urn, const json_t *aspect)
{
	json_t *fields = json_object_get(aspect, "fields"), *f;
	size_t i;
	int rc = 0;
	json_array_foreach(fields, i, f) {
		const char *path = lin_scan_str(f, "fieldPath");
		char *furn, *key;
		if (!path || !*path || rc)
			continue;
		furn = lin_dh_field_urn(urn, path);
		key = furn ? column_of(it, furn, lin_scan_str(f, "nativeDataType"), &rc) : NULL;
		free(key);
		free(furn);
	}
	return rc;
}

static int read_properties(dh_item *it, const char *urn, const json_t *aspect)
{
	lin_dh_dataset d;
	char *key;
	int rc = 0;
	if (lin_dh_parse_dataset(&d, urn)) {
		diag(it, LINEAGE_DIAG_ERROR, "\"%.300s\" is not a dataset URN: expected urn:li:dataset:(urn:li:dataPlatform:PLATFORM,NAME,ENV)", urn);
		return 0;
	}
	key = emit_dataset(it, urn, &d, lin_scan_str(aspect, "description"), &rc);
	free(key);
	lin_dh_dataset_free(&d);
	return rc;
}

/* One aspect of a dataset, by its name ("upstreamLineage") or its MCE class name's end. */
static int read_aspect(dh_item *it, const char *urn, const char *name, const json_t *aspect)
{
	const char *dot = strrchr(name, '.');
	const char *n = dot ? dot + 1 : name;
	if (!json_is_object(aspect))
		return 0;
	if (!lin_strcasecmp(n, "upstreamLineage"))
		return read_upstream_lineage(it, urn, aspect);
	if (!lin_strcasecmp(n, "schemaMetadata"))
		return read_schema(it, urn, aspect);
	if (!lin_strcasecmp(n, "datasetProperties"))
		return read_properties(it, urn, aspect);
	return 0;
}

/* A MetadataChangeProposal: {"entityType", "entityUrn", "changeType", "aspectName",
 * "aspect": {"json": {...}} or {"value": "<JSON text>", "contentType": "application/json"}}. */
static int read_proposal(dh_item *it, const json_t *mcp)
{
	const char *urn = lin_scan_str(mcp, "entityUrn"), *name = lin_scan_str(mcp, "aspectName");
	const char *change = lin_scan_str(mcp, "changeType"), *type = lin_scan_str(mcp, "entityType");
	json_t *aspect = json_object_get(mcp, "aspect"), *body;
	int rc;
	if (!urn || !name || (type && strcmp(type, "dataset")))
		return 0;
	if (strncmp(urn, "urn:li:dataset:", 15))
		return 0;
	if (change && strcmp(change, "UPSERT") && strcmp(change, "CREATE") &&
	    strcmp(change, "CREATE_ENTITY") && strcmp(change, "RESTATE")) {
		if (!lin_strcasecmp(name, "upstreamLineage"))
			diag(it, LINEAGE_DIAG_WARNING, "a %s of upstreamLineage is skipped: only UPSERT, CREATE and RESTATE proposals carry the whole aspect", change);
		return 0;
	}
	body = json_object_get(aspect, "json");
	if (json_is_object(body))
		return read_aspect(it, urn, name, body);
	if (lin_scan_str(aspect, "value")) {
		json_error_t err;
		json_t *parsed = json_loads(lin_scan_str(aspect, "value"), 0, &err);
		if (!parsed) {
			diag(it, LINEAGE_DIAG_ERROR, "the aspect's \"value\" is not valid JSON (%s)", err.text);
			return 0;
		}
		rc = read_aspect(it, urn, name, parsed);
		json_decref(parsed);
		return rc;
	}
	diag(it, LINEAGE_DIAG_ERROR, "the proposal has no aspect: give \"aspect\": {\"json\": {...}}%s", NULL);
	return 0;
}

/* A MetadataChangeEvent: {"proposedSnapshot": {"...DatasetSnapshot": {"urn", "aspects": [
 * {"com.linkedin.pegasus2avro.dataset.UpstreamLineage": {...}}, ...]}}}. */
static int read_event(dh_item *it, const json_t *mce)
{
	json_t *snap = json_object_get(mce, "proposedSnapshot"), *body, *aspects, *a, *v;
	const char *cls, *urn, *name;
	size_t i;
	int rc = 0;
	json_object_foreach(snap, cls, body) {
		if (!strstr(cls, "DatasetSnapshot") || !(urn = lin_scan_str(body, "urn")))
			continue;
		aspects = json_object_get(body, "aspects");
		json_array_foreach(aspects, i, a) {
			json_object_foreach(a, name, v) {
				if (!rc)
					rc = read_aspect(it, urn, name, v);
			}
		}
	}
	return rc;
}

static int read_item(lineage_scan_sink *sink, const char *path, size_t index, const json_t *item)
{
	dh_item it;
	json_t *ev;
	int rc = 0;
	it.sink = sink;
	it.path = path;
	it.index = index;
	ev = json_pack("{s:s, s:I}", "file", path, "item", (json_int_t)index);
	it.evidence = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
	json_decref(ev);
	if (!it.evidence)
		return lin_error_oom();
	if (!json_is_object(item))
		diag(&it, LINEAGE_DIAG_ERROR, "not a JSON object: a DataHub file holds MetadataChangeProposals or MetadataChangeEvents%s", NULL);
	else if (json_object_get(item, "proposedSnapshot"))
		rc = read_event(&it, item);
	else
		rc = read_proposal(&it, item);
	lineage_scan_sink_count(sink, 1);
	free(it.evidence);
	return rc;
}

static int dh_detect(const char *path, const unsigned char *head, size_t len, void *payload)
{
	(void)path;
	(void)payload;
	if (!lin_scan_head_is_json(head, len))
		return 0;
	if (lin_scan_head_has(head, len, "\"proposedSnapshot\"") || lin_scan_head_has(head, len, "\"aspectName\""))
		return lin_scan_head_has(head, len, "urn:li:") ? 95 : 60;
	return 0;
}

static int dh_scan(lineage_scan_sink *sink, const char *path, const unsigned char *data,
		   size_t len, void *payload)
{
	json_error_t err;
	json_t *doc, *item;
	size_t i;
	int rc = 0;
	(void)payload;
	if (!data)
		return lin_error_set(LINEAGE_EINVALID, "%s is a folder: give DataHub metadata files (JSON)", path);
	doc = json_loadb((const char *)data, len, 0, &err);
	if (!doc)
		return lin_error_set(LINEAGE_EPARSE, "%s is not valid JSON: %s (line %d, column %d): a DataHub file is a JSON array of metadata change proposals",
				     path, err.text, err.line, err.column);
	if (json_is_array(doc)) {
		json_array_foreach(doc, i, item) {
			if ((rc = read_item(sink, path, i, item)))
				break;
		}
	} else {
		rc = read_item(sink, path, 0, doc);
	}
	json_decref(doc);
	return rc;
}

const lineage_scanner lin_scanner_datahub = {
	LINEAGE_SCANNER_VERSION, "datahub",
	"DataHub metadata files (MetadataChangeProposals or MCEs): upstreamLineage with fine-grained column lineage, schemaMetadata, datasetProperties",
	dh_detect, dh_scan, NULL};
