/* The sink through which scanners store what they find, during a scan run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "scan_internal.h"
#include "spec_cache.h"

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
		snprintf(msg, sizeof msg, "%s skipped: %s", what, lin_error_plain());
		lin_scan_report_diag(sink->report, LINEAGE_DIAG_WARNING, sink->input, 0, 0, msg);
	} else if (!sink->failed) {
		sink->failed = rc;
	}
	return rc;
}

/* Append an id to a growable array. */
static int remember(int64_t **ids, size_t *len, size_t *cap, int64_t id)
{
	if (*len == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		int64_t *p = realloc(*ids, ncap * sizeof *p);
		if (!p)
			return lin_error_oom();
		*ids = p;
		*cap = ncap;
	}
	(*ids)[(*len)++] = id;
	return 0;
}

int lineage_scan_sink_asset(lineage_scan_sink *sink, const lineage_asset_spec *spec)
{
	lineage_outcome outcome;
	int64_t id = 0;
	lin_id cached = {0, 0};
	int rc;
	if (!sink || !spec)
		return lin_error_set(LINEAGE_EINVALID, "sink and spec are required");
	if (sink->failed)
		return sink->failed;
	sink->report->s.assets_found++;
	if (sink->cache) {
		cached = lin_spec_cache_asset_id(spec);
		if (lin_spec_cache_has(sink->cache, cached, NULL))
			return 0;
	}
	rc = lineage_asset_upsert(&outcome, &id, sink->db, spec);
	if (rc)
		return item_failed(sink, rc, "an asset");
	if (sink->source && (rc = remember(&sink->assets, &sink->assets_len, &sink->assets_cap, id)))
		return item_failed(sink, rc, "an asset");
	if (sink->cache)
		lin_spec_cache_add(sink->cache, cached, 0);
	if (outcome == LINEAGE_CREATED)
		sink->report->s.assets_created++;
	else if (outcome == LINEAGE_UPDATED)
		sink->report->s.assets_updated++;
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
	if (sink->cache) {
		lin_id cached = lin_spec_cache_edge_id(&copy);
		if (lin_spec_cache_has(sink->cache, cached, &id)) {
			sink->report->s.edges_unchanged++;
			return remember(&sink->seen, &sink->seen_len, &sink->seen_cap, id);
		}
		rc = lineage_edge_upsert(&outcome, &id, sink->db, &copy);
		if (!rc)
			lin_spec_cache_add(sink->cache, cached, id);
	} else {
		rc = lineage_edge_upsert(&outcome, &id, sink->db, &copy);
	}
	if (rc)
		return item_failed(sink, rc, "an edge");
	if (outcome == LINEAGE_CREATED)
		sink->report->s.edges_created++;
	else if (outcome == LINEAGE_UPDATED)
		sink->report->s.edges_updated++;
	else
		sink->report->s.edges_unchanged++;
	rc = remember(&sink->seen, &sink->seen_len, &sink->seen_cap, id);
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
	if (!strcmp(name, "source"))
		return sink->source;
	if (!strcmp(name, "queries"))
		return sink->collect && sink->collect->queries ? "1" : NULL;
	if (!strcmp(name, "schema_json"))
		return sink->opts->schema_json;
	return NULL;
}

int lineage_scan_sink_progress(lineage_scan_sink *sink, const char *stage, uint64_t done,
			       uint64_t total)
{
	if (!sink)
		return lin_error_set(LINEAGE_EINVALID, "sink is required");
	if (sink->failed)
		return sink->failed;
	if (sink->opts->progress &&
	    sink->opts->progress(stage, done, total, sink->opts->progress_payload)) {
		sink->failed = lin_error_set(LINEAGE_ECANCELLED, "cancelled: nothing was written");
		return sink->failed;
	}
	return 0;
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
