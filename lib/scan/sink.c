/* The sink through which scanners store what they find, during a scan run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "scan_internal.h"

/* Codes a scanner may get for one bad item; anything else ends the run. */
static int item_level(int rc)
{
	return rc == LINEAGE_EINVALID || rc == LINEAGE_ENOTFOUND || rc == LINEAGE_ECONFLICT;
}

int lin_scan_go_on(int rc)
{
	return item_level(rc) ? 0 : rc;
}

static int item_failed(lineage_scan_sink *sink, int rc, const char *what)
{
	if (item_level(rc)) {
		char msg[1200];
		snprintf(msg, sizeof msg, "%s skipped: %s", what, lineage_error_last()->message);
		lin_scan_report_diag(sink->report, LINEAGE_DIAG_WARNING, sink->input, 0, 0, msg);
	} else if (!sink->failed) {
		sink->failed = rc;
	}
	return rc;
}

int lineage_scan_sink_asset(lineage_scan_sink *sink, const lineage_asset_spec *spec)
{
	lineage_outcome outcome;
	int rc;
	if (!sink || !spec)
		return lin_error_set(LINEAGE_EINVALID, "sink and spec are required");
	if (sink->failed)
		return sink->failed;
	sink->report->s.assets_found++;
	rc = lineage_asset_upsert(&outcome, NULL, sink->db, spec);
	if (rc)
		return item_failed(sink, rc, "an asset");
	if (outcome == LINEAGE_CREATED)
		sink->report->s.assets_created++;
	else if (outcome == LINEAGE_UPDATED)
		sink->report->s.assets_updated++;
	return 0;
}

static int remember(lineage_scan_sink *sink, int64_t id)
{
	if (sink->seen_len == sink->seen_cap) {
		size_t cap = sink->seen_cap ? sink->seen_cap * 2 : 256;
		int64_t *p = realloc(sink->seen, cap * sizeof *p);
		if (!p)
			return lin_error_oom();
		sink->seen = p;
		sink->seen_cap = cap;
	}
	sink->seen[sink->seen_len++] = id;
	return 0;
}

int lineage_scan_sink_edge(lineage_scan_sink *sink, const lineage_edge_spec *spec)
{
	lineage_edge_spec copy;
	lineage_outcome outcome;
	int64_t id = 0;
	int rc;
	if (!sink || !spec)
		return lin_error_set(LINEAGE_EINVALID, "sink and spec are required");
	if (sink->failed)
		return sink->failed;
	copy = *spec;
	copy.lineage_source = LINEAGE_SOURCE_INFERRED;
	copy.origin = sink->origin;
	copy.create_missing = 1;
	sink->report->s.edges_found++;
	sink->input_edges++;
	rc = lineage_edge_upsert(&outcome, &id, sink->db, &copy);
	if (rc)
		return item_failed(sink, rc, "an edge");
	if (outcome == LINEAGE_CREATED)
		sink->report->s.edges_created++;
	else if (outcome == LINEAGE_UPDATED)
		sink->report->s.edges_updated++;
	else
		sink->report->s.edges_unchanged++;
	rc = remember(sink, id);
	if (rc && !sink->failed)
		sink->failed = rc;
	return rc;
}

int lineage_scan_sink_diagnostic(lineage_scan_sink *sink, lineage_diag_severity severity,
				 const char *file, int line, int column, const char *message)
{
	if (!sink || !message)
		return lin_error_set(LINEAGE_EINVALID, "sink and message are required");
	if (severity > LINEAGE_DIAG_ERROR)
		severity = LINEAGE_DIAG_ERROR;
	lin_scan_report_diag(sink->report, severity, file ? file : sink->input, line, column, message);
	return 0;
}

void lineage_scan_sink_count(lineage_scan_sink *sink, size_t n)
{
	if (sink)
		sink->report->s.statements += n;
}

const char *lineage_scan_sink_option(const lineage_scan_sink *sink, const char *name)
{
	if (!sink || !name)
		return NULL;
	if (!strcmp(name, "dialect"))
		return sink->opts->dialect;
	if (!strcmp(name, "default_database"))
		return sink->opts->default_database;
	if (!strcmp(name, "default_schema"))
		return sink->opts->default_schema;
	if (!strcmp(name, "schema_json"))
		return sink->opts->schema_json;
	return NULL;
}

int lin_scan_emit_column(lineage_scan_sink *sink, const char *key, const char *table_key)
{
	lineage_asset_spec spec;
	size_t tl = strlen(table_key);
	if (strncmp(key, table_key, tl) || key[tl] != '.')
		return 0;
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = key;
	spec.kind = "column";
	spec.name = key + tl + 1;
	spec.parent_key = table_key;
	spec.create_missing = 1;
	return lin_scan_go_on(lineage_scan_sink_asset(sink, &spec));
}
