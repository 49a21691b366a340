/* Import reports: counts, errors, warnings and preview items, with accessors and JSON. */
#include "report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"

int lin_report_new(lineage_import_report **out, const char *file, size_t max_errors,
		   size_t max_items)
{
	lineage_import_report *rep = calloc(1, sizeof *rep);
	if (!rep || !(rep->file = lin_strdup(file ? file : "memory"))) {
		free(rep);
		return lin_error_oom();
	}
	rep->max_errors = max_errors;
	rep->max_items = max_items;
	*out = rep;
	return 0;
}

static void free_issue(lineage_import_issue *is)
{
	free((char *)is->column);
	free((char *)is->value);
	free((char *)is->message);
}

static void free_items(lineage_import_report *rep)
{
	for (size_t i = 0; i < rep->nitems; i++) {
		free((char *)rep->items[i].key);
		free((char *)rep->items[i].target_key);
		free((char *)rep->items[i].kind);
	}
	rep->nitems = 0;
}

static int push_issue(lineage_import_issue **arr, size_t *n, size_t *cap,
		      const lineage_import_issue *is)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		lineage_import_issue *p = realloc(*arr, c * sizeof *p);
		if (!p)
			return lin_error_oom();
		*arr = p;
		*cap = c;
	}
	(*arr)[(*n)++] = *is;
	return 0;
}

int lin_report_issue(lineage_import_report *rep, int warning, uint64_t row, const char *column,
		     const char *value, size_t value_len, const char *message)
{
	lineage_import_issue is = {row, NULL, NULL, NULL};
	size_t kept = warning ? rep->nwarnings : rep->nerrors;
	int rc;
	if (warning)
		rep->sum.warnings++;
	else
		rep->sum.errors++;
	if (kept >= rep->max_errors)
		return 0;
	if ((column && !(is.column = lin_strdup(column))) ||
	    (value && !(is.value = lin_printable(value, value_len, 200))) ||
	    !(is.message = lin_printable(message, strlen(message), 2000)))
		goto oom;
	rc = warning ? push_issue(&rep->warnings, &rep->nwarnings, &rep->cap_warnings, &is)
		     : push_issue(&rep->errors, &rep->nerrors, &rep->cap_errors, &is);
	if (rc == 0)
		return 0;
oom:
	free_issue(&is);
	return lin_error_oom();
}

int lin_report_item(lineage_import_report *rep, const char *action, const char *entity,
		    const char *key, const char *target, const char *kind, uint64_t row)
{
	lineage_import_item it = {action, entity, NULL, NULL, NULL, row};
	if (rep->nitems >= rep->max_items)
		return 0;
	if (rep->nitems == rep->cap_items) {
		size_t c = rep->cap_items ? rep->cap_items * 2 : 16;
		lineage_import_item *p = realloc(rep->items, c * sizeof *p);
		if (!p)
			return lin_error_oom();
		rep->items = p;
		rep->cap_items = c;
	}
	if ((key && !(it.key = lin_strdup(key))) || (target && !(it.target_key = lin_strdup(target))) ||
	    (kind && !(it.kind = lin_strdup(kind)))) {
		free((char *)it.key);
		free((char *)it.target_key);
		return LINEAGE_ENOMEM;
	}
	rep->items[rep->nitems++] = it;
	return 0;
}

void lin_report_forget_writes(lineage_import_report *rep)
{
	lineage_import_summary *s = &rep->sum;
	s->created_assets = s->created_edges = s->updated_assets = s->updated_edges = 0;
	s->unchanged_assets = s->unchanged_edges = s->retired_edges = 0;
	free_items(rep);
}

/* Insertion sort by row: stable, and the lists are short and nearly sorted. */
static void sort_issues(lineage_import_issue *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		lineage_import_issue x = a[i];
		size_t j = i;
		while (j > 0 && a[j - 1].row > x.row) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = x;
	}
}

void lin_report_sort(lineage_import_report *rep)
{
	sort_issues(rep->errors, rep->nerrors);
	sort_issues(rep->warnings, rep->nwarnings);
}

/* Move src's issues into dst's list, then keep the first `max` by row. */
static int absorb_issues(lineage_import_issue **dst, size_t *n, size_t *cap,
			 lineage_import_issue *src, size_t nsrc, size_t max)
{
	size_t i = 0;
	int rc = 0;
	for (; i < nsrc && rc == 0; i++)
		if ((rc = push_issue(dst, n, cap, &src[i])) != 0)
			free_issue(&src[i]);
	for (; i < nsrc; i++)
		free_issue(&src[i]);
	sort_issues(*dst, *n);
	while (*n > max)
		free_issue(&(*dst)[--*n]);
	return rc;
}

int lin_report_absorb(lineage_import_report *dst, lineage_import_report *src)
{
	int rc = absorb_issues(&dst->errors, &dst->nerrors, &dst->cap_errors, src->errors,
			       src->nerrors, dst->max_errors);
	int wrc = absorb_issues(&dst->warnings, &dst->nwarnings, &dst->cap_warnings, src->warnings,
				src->nwarnings, dst->max_errors);
	dst->sum.errors += src->sum.errors;
	dst->sum.warnings += src->sum.warnings;
	src->nerrors = src->nwarnings = 0;
	return rc ? rc : wrc;
}

const lineage_import_summary *lineage_import_report_summary(const lineage_import_report *report)
{
	return report ? &report->sum : NULL;
}

size_t lineage_import_report_error_count(const lineage_import_report *report)
{
	return report ? report->nerrors : 0;
}

const lineage_import_issue *lineage_import_report_error(const lineage_import_report *report,
							size_t i)
{
	return report && i < report->nerrors ? &report->errors[i] : NULL;
}

size_t lineage_import_report_warning_count(const lineage_import_report *report)
{
	return report ? report->nwarnings : 0;
}

const lineage_import_issue *lineage_import_report_warning(const lineage_import_report *report,
							  size_t i)
{
	return report && i < report->nwarnings ? &report->warnings[i] : NULL;
}

size_t lineage_import_report_item_count(const lineage_import_report *report)
{
	return report ? report->nitems : 0;
}

const lineage_import_item *lineage_import_report_item(const lineage_import_report *report,
						      size_t i)
{
	return report && i < report->nitems ? &report->items[i] : NULL;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *issues_json(const lineage_import_issue *a, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++) {
		json_t *o = json_pack("{s:I,s:o,s:o,s:s}", "row", (json_int_t)a[i].row, "column",
				      str_or_null(a[i].column), "value", str_or_null(a[i].value),
				      "message", a[i].message);
		if (!o || json_array_append_new(arr, o) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *counts(uint64_t assets, uint64_t edges)
{
	return json_pack("{s:I,s:I}", "assets", (json_int_t)assets, "edges", (json_int_t)edges);
}

int lineage_import_report_to_json(char **out, const lineage_import_report *r)
{
	json_t *root, *items;
	char *text;
	if (!out || !r)
		return lin_error_set(LINEAGE_EINVALID, "no report given");
	*out = NULL;
	items = json_array();
	for (size_t i = 0; items && i < r->nitems; i++) {
		const lineage_import_item *it = &r->items[i];
		json_t *o = json_pack("{s:s,s:s,s:o,s:o,s:o,s:I}", "action", it->action, "entity",
				      it->entity, "key", str_or_null(it->key), "target",
				      str_or_null(it->target_key), "kind", str_or_null(it->kind),
				      "row", (json_int_t)it->row);
		if (!o || json_array_append_new(items, o) != 0) {
			json_decref(items);
			items = NULL;
		}
	}
	root = json_pack("{s:s,s:s,s:I,s:I,s:I,s:o,s:I,s:o,s:I,s:o,s:o,s:o,s:{s:I},s:o,s:b,s:b,s:I}",
			 "file", r->file, "format", lineage_format_name(r->sum.format),
			 "rows", (json_int_t)r->sum.rows, "valid", (json_int_t)r->sum.valid,
			 "invalid", (json_int_t)r->sum.invalid,
			 "errors", issues_json(r->errors, r->nerrors),
			 "errors_total", (json_int_t)r->sum.errors,
			 "warnings", issues_json(r->warnings, r->nwarnings),
			 "warnings_total", (json_int_t)r->sum.warnings,
			 "created", counts(r->sum.created_assets, r->sum.created_edges),
			 "updated", counts(r->sum.updated_assets, r->sum.updated_edges),
			 "unchanged", counts(r->sum.unchanged_assets, r->sum.unchanged_edges),
			 "retired", "edges", (json_int_t)r->sum.retired_edges,
			 "items", items, "dry_run", r->sum.dry_run, "committed", r->sum.committed,
			 "batch_id", (json_int_t)r->sum.batch_id);
	if (!root)
		return lin_error_oom();
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return lin_error_oom();
	*out = text;
	return 0;
}

void lineage_import_report_free(lineage_import_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nerrors; i++)
		free_issue(&r->errors[i]);
	for (size_t i = 0; i < r->nwarnings; i++)
		free_issue(&r->warnings[i]);
	free_items(r);
	free(r->errors);
	free(r->warnings);
	free(r->items);
	free(r->file);
	free(r);
}
