/* The scan report: counts, inputs and diagnostics, and its JSON. */
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "scan_internal.h"

static const char *const severity_names[] = {"note", "warning", "error"};

void lin_scan_report_diag(lineage_scan_report *report, lineage_diag_severity severity,
			  const char *file, int line, int column, const char *message)
{
	lineage_scan_diagnostic *d;
	report->diag_counts[severity]++;
	if (report->diag_len >= LIN_SCAN_MAX_DIAGNOSTICS)
		return;
	if (report->diag_len == report->diag_cap) {
		size_t cap = report->diag_cap ? report->diag_cap * 2 : 16;
		d = realloc(report->diags, cap * sizeof *d);
		if (!d)
			return; /* counted, not kept: a report must not fail the run */
		report->diags = d;
		report->diag_cap = cap;
	}
	d = &report->diags[report->diag_len];
	/* Inputs and the parse errors that quote them may hold any bytes; a report holds
	 * UTF-8, so that it can always be written as JSON. */
	d->file = file ? lin_printable(file, strlen(file), strlen(file)) : NULL;
	d->message = lin_printable(message, strlen(message), strlen(message));
	if (!d->message || (file && !d->file)) {
		free((char *)d->file);
		free((char *)d->message);
		return;
	}
	d->line = line;
	d->column = column;
	d->severity = severity;
	report->diag_len++;
}

const lineage_scan_summary *lineage_scan_report_summary(const lineage_scan_report *report)
{
	return report ? &report->s : NULL;
}

size_t lineage_scan_report_diagnostic_kept(const lineage_scan_report *report)
{
	return report ? report->diag_len : 0;
}

const lineage_scan_diagnostic *lineage_scan_report_diagnostic(const lineage_scan_report *report,
							      size_t i)
{
	return report && i < report->diag_len ? &report->diags[i] : NULL;
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

int lin_scan_report_input(lineage_scan_report *report, const char *path, const char *scanner,
			  size_t edges, size_t retired)
{
	char *name = lin_printable(path, strlen(path), strlen(path));
	char *by = lin_printable(scanner, strlen(scanner), strlen(scanner));
	json_t *input = name && by ? json_pack("{s:s, s:s, s:I, s:I}", "path", name, "scanner", by,
					       "edges", (json_int_t)edges, "retired",
					       (json_int_t)retired)
				   : NULL;
	free(name);
	free(by);
	return json_array_append_new(report->inputs, input) ? lin_error_oom() : 0;
}

/* What jansson could not pack: out of memory, or a report the code above let go wrong. */
static int pack_failed(const json_error_t *err)
{
	if (json_error_code(err) == json_error_out_of_memory)
		return lin_error_oom();
	return lin_error_set(LINEAGE_ERROR, "the scan report cannot be written as JSON: %s", err->text);
}

static int diagnostics_json(json_t **out, const lineage_scan_report *r)
{
	json_t *arr = json_array();
	json_error_t err;
	if (!arr)
		return lin_error_oom();
	for (size_t i = 0; i < r->diag_len; i++) {
		const lineage_scan_diagnostic *d = &r->diags[i];
		json_t *item = json_pack_ex(&err, 0, "{s:s?, s:i, s:i, s:s, s:s}", "file", d->file,
					    "line", d->line, "column", d->column, "severity",
					    severity_names[d->severity], "message", d->message);
		if (!item || json_array_append_new(arr, item)) {
			json_decref(arr);
			return item ? lin_error_oom() : pack_failed(&err);
		}
	}
	*out = arr;
	return 0;
}

int lineage_scan_report_to_json(char **out, const lineage_scan_report *r)
{
	json_t *root, *diags = NULL;
	json_error_t err;
	const lineage_scan_summary *s;
	int rc;
	if (!out || !r)
		return lin_error_set(LINEAGE_EINVALID, "out and report are required");
	s = &r->s;
	if ((rc = diagnostics_json(&diags, r)))
		return rc;
	root = json_pack_ex(&err, 0,
			    "{s:b, s:I, s:I, s:I, s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I, s:I},"
			    " s:O, s:o, s:I}",
			    "dry_run", s->dry_run, "batch_id", (json_int_t)s->batch_id,
			    "files", (json_int_t)s->files, "statements", (json_int_t)s->statements,
			    "assets", "found", (json_int_t)s->assets_found, "created",
			    (json_int_t)s->assets_created, "updated", (json_int_t)s->assets_updated,
			    "removed", (json_int_t)s->assets_removed,
			    "edges", "found", (json_int_t)s->edges_found, "created",
			    (json_int_t)s->edges_created, "updated", (json_int_t)s->edges_updated,
			    "unchanged", (json_int_t)s->edges_unchanged, "retired",
			    (json_int_t)s->edges_retired, "inputs", r->inputs, "diagnostics", diags,
			    "diagnostics_total",
			    (json_int_t)(r->diag_counts[0] + r->diag_counts[1] + r->diag_counts[2]));
	if (!root)
		return pack_failed(&err);
	*out = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	return *out ? 0 : lin_error_oom();
}

void lineage_scan_report_free(lineage_scan_report *report)
{
	if (!report)
		return;
	json_decref(report->inputs);
	for (size_t i = 0; i < report->diag_len; i++) {
		free((char *)report->diags[i].file);
		free((char *)report->diags[i].message);
	}
	free(report->diags);
	free(report);
}

const char *lin_scan_str(const json_t *obj, const char *field)
{
	const json_t *v = json_object_get(obj, field);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

int lin_scan_head_has(const unsigned char *head, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; head && i + n <= len; i++)
		if (!memcmp(head + i, needle, n))
			return 1;
	return 0;
}

int lin_scan_head_is_json(const unsigned char *head, size_t len)
{
	size_t i = 0;
	while (head && i < len && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'))
		i++;
	return head && i < len && (head[i] == '{' || head[i] == '[');
}
