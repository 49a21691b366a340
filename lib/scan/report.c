/* The scan report: counts, inputs and diagnostics, and its JSON. */
#include <stdlib.h>

#include "common/error.h"
#include "scan_internal.h"

static const char *const severity_names[] = {"note", "warning", "error"};

void lin_scan_report_diag(lineage_scan_report *report, lineage_diag_severity severity,
			  const char *file, int line, int column, const char *message)
{
	json_t *d;
	report->diag_counts[severity]++;
	if (json_array_size(report->diagnostics) >= LIN_SCAN_MAX_DIAGNOSTICS)
		return;
	d = json_pack("{s:s?, s:i, s:i, s:s, s:s}", "file", file, "line", line, "column", column,
		      "severity", severity_names[severity], "message", message);
	if (d)
		json_array_append_new(report->diagnostics, d);
}

size_t lineage_scan_report_diagnostic_count(const lineage_scan_report *report,
					    lineage_diag_severity severity)
{
	size_t n = 0;
	if (!report)
		return 0;
	for (int s = (int)severity; s <= LINEAGE_DIAG_ERROR; s++)
		n += report->diag_counts[s];
	return n;
}

int lineage_scan_report_to_json(char **out, const lineage_scan_report *r)
{
	json_t *root;
	if (!out || !r)
		return lin_error_set(LINEAGE_EINVALID, "out and report are required");
	root = json_pack("{s:b, s:I, s:I, s:I, s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I, s:I},"
			 " s:O, s:O, s:I}",
			 "dry_run", r->dry_run, "batch_id", (json_int_t)r->batch_id,
			 "files", (json_int_t)r->files, "statements", (json_int_t)r->statements,
			 "assets", "found", (json_int_t)r->assets_found, "created",
			 (json_int_t)r->assets_created, "updated", (json_int_t)r->assets_updated,
			 "edges", "found", (json_int_t)r->edges_found, "created",
			 (json_int_t)r->edges_created, "updated", (json_int_t)r->edges_updated,
			 "unchanged", (json_int_t)r->edges_unchanged, "retired",
			 (json_int_t)r->edges_retired, "inputs", r->inputs, "diagnostics",
			 r->diagnostics, "diagnostics_total",
			 (json_int_t)(r->diag_counts[0] + r->diag_counts[1] + r->diag_counts[2]));
	if (!root)
		return lin_error_oom();
	*out = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	return *out ? 0 : lin_error_oom();
}

void lineage_scan_report_free(lineage_scan_report *report)
{
	if (!report)
		return;
	json_decref(report->inputs);
	json_decref(report->diagnostics);
	free(report);
}

const char *lin_scan_str(const json_t *obj, const char *field)
{
	const json_t *v = json_object_get(obj, field);
	return json_is_string(v) ? json_string_value(v) : NULL;
}
