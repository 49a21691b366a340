/*
 * The header row of a table (a CSV file, a spreadsheet's sheet): each name resolved to a
 * column of the import format, the record type told from the columns, and every mistake
 * named in the words of the table's format.
 */
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "reader.h"

void lin_column_label(const lin_reader *r, size_t i, char *buf, size_t size)
{
	if (r->format == LINEAGE_FORMAT_XLSX) {
		char letters[8];
		size_t n = 0, k = i + 1;
		while (k && n < sizeof letters) {
			letters[n++] = (char)('A' + (k - 1) % 26);
			k = (k - 1) / 26;
		}
		snprintf(buf, size, "column ");
		for (size_t at = strlen(buf); n && at + 1 < size; at++)
			buf[at] = letters[--n], buf[at + 1] = '\0';
	} else {
		snprintf(buf, size, "column %zu", i + 1);
	}
}

static const char *table_noun(const lin_reader *r)
{
	return r->format == LINEAGE_FORMAT_XLSX ? "A sheet" : "A CSV file";
}

int lin_header_resolve(lin_reader *r, const char *const *names, size_t n, uint64_t row,
		       int **cols_out, lin_field **fields_out)
{
	int has_key = 0, has_edge = 0, *cols;
	lineage_record_type type = r->type;
	lin_field *fields;
	char help[900], col[40], other[40];
	r->header = calloc(n ? n : 1, sizeof *r->header);
	cols = *cols_out = calloc(n ? n : 1, sizeof *cols);
	fields = *fields_out = calloc(n ? n : 1, sizeof *fields);
	if (!r->header || !cols || !fields)
		return lin_error_oom();
	r->header_count = n;
	for (size_t i = 0; i < n; i++) {
		const char *name = names[i];
		if (!(r->header[i] = lin_strdup(name)))
			return LINEAGE_ENOMEM;
		lin_column_label(r, i, col, sizeof col);
		if (!*name)
			return lin_error_set(LINEAGE_EPARSE, "Row %llu (the header), %s has no name. Give every column a name from the format, or delete the empty column", (unsigned long long)row, col);
		if (!lin_utf8_valid(name, strlen(name)))
			return lin_error_set(LINEAGE_EPARSE, "Row %llu (the header), %s is not valid UTF-8 text. Save the file as CSV UTF-8", (unsigned long long)row, col);
		cols[i] = lin_col_lookup(name, LINEAGE_RECORDS_AUTO);
		if (cols[i] < 0) {
			lin_col_help(help, sizeof help, name, type);
			return lin_error_set(LINEAGE_EPARSE, "Row %llu (the header): \"%.100s\" is not a known column. %s", (unsigned long long)row, name, help);
		}
		for (size_t j = 0; j < i; j++) {
			if (cols[j] == cols[i] && (cols[i] != LIN_COL_PROP || !lin_strcasecmp(r->header[j], name))) {
				lin_column_label(r, j, other, sizeof other);
				return lin_error_set(LINEAGE_EPARSE, "Row %llu (the header): the column \"%.100s\" appears twice (%s and %s). Keep one of them", (unsigned long long)row, name, other, col);
			}
		}
		has_key |= cols[i] == LIN_COL_KEY;
		has_edge |= cols[i] == LIN_COL_SOURCE || cols[i] == LIN_COL_TARGET;
	}
	if (type == LINEAGE_RECORDS_AUTO || type == LINEAGE_RECORDS_BOTH) {
		if (has_key && has_edge)
			return lin_error_set(LINEAGE_EPARSE, "The header has both \"key\" (assets) and \"source\"/\"target\" (lineage) columns. %s holds one record type: split it into an assets file and a lineage file", table_noun(r));
		if (!has_key && !has_edge)
			return lin_error_set(LINEAGE_EPARSE, "The header has neither \"key\" (an assets file) nor \"source\" and \"target\" (a lineage file), so the record type cannot be told. Add those columns, or give the type");
		type = has_key ? LINEAGE_RECORDS_ASSETS : LINEAGE_RECORDS_LINEAGE;
	}
	for (size_t i = 0; i < n; i++) {
		if (!lin_col_allowed(cols[i], type)) {
			lin_col_help(help, sizeof help, r->header[i], type);
			return lin_error_set(LINEAGE_EPARSE, "Row %llu (the header): \"%.100s\" is not a column of %s files. %s", (unsigned long long)row, r->header[i], type == LINEAGE_RECORDS_ASSETS ? "assets" : "lineage", help);
		}
		fields[i].name = r->header[i];
		fields[i].col = cols[i];
	}
	r->type = type;
	return 0;
}
