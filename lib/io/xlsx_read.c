/*
 * An Excel workbook (Office Open XML, .xlsx) read like a CSV file: the first sheet, or the one
 * named, gives a header row and then one record a row, numbered as the spreadsheet shows them.
 *
 * The archive is opened with libzip from memory (a workbook is compressed, so it is small
 * beside the rows it holds; at most MAX_WORKBOOK bytes). Each part is inflated as it is read,
 * never whole, and refused when it would inflate past MAX_PART or at a ratio only a zip bomb
 * has. The XML is read with libxml2's text reader, with network access off, entities never
 * expanded, and any DTD refused. Shared strings are kept in memory, bounded by MAX_STRINGS.
 */
#include <libxml/xmlreader.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "reader.h"

#define MAX_WORKBOOK (256u << 20)        /* the .xlsx file itself */
#define MAX_PART ((zip_uint64_t)1 << 30) /* one inflated XML part */
#define MAX_RATIO 200                    /* inflated / compressed, past 1 MiB */
#define MAX_STRINGS (256u << 20)         /* the shared strings' text, in all */
#define MAX_COLUMNS 16384                /* Excel's own limit (XFD) */
#define MAX_SHEETS 4096

typedef struct part_reader {
	zip_file_t *zf;
	zip_uint64_t left;  /* bytes the part may still give */
	lin_src *progress;  /* the sheet: bytes inflated count as consumed */
	int failed;
} part_reader;

typedef struct xlsx_reader {
	lin_reader base;
	unsigned char *data;     /* the workbook file */
	uint64_t file_size;      /* the source's size, given back at the end (see open) */
	zip_t *zip;
	char **strings;          /* shared strings */
	size_t nstrings;
	part_reader sheet;
	xmlTextReaderPtr xr;
	char *part_name;         /* for messages */
	lin_strbuf cells;        /* the row's values, NUL-terminated, at offs[column] */
	size_t *offs;            /* (size_t)-1: no cell in this column */
	size_t cap_cols, ncols;  /* columns seen in the row */
	int *cols;
	lin_field *fields;
	lin_raw raw;
	uint64_t ordinal, last_row;
	char problem[600];
	char xml_error[400];
} xlsx_reader;

static int fail(xlsx_reader *x, const char *fmt, ...) LIN_PRINTF(2, 3);
static int fail(xlsx_reader *x, const char *fmt, ...)
{
	char msg[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	(void)x;
	return lin_error_set(LINEAGE_EPARSE, "%s", msg);
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
	xlsx_reader *x = ctx;
	size_t n;
	if (!e || x->xml_error[0] || e->level < XML_ERR_ERROR)
		return;
	snprintf(x->xml_error, sizeof x->xml_error, "%s (line %d)",
		 e->message ? e->message : "XML error", e->line);
	n = strlen(x->xml_error);
	while (n && (x->xml_error[n - 1] == '\n' || x->xml_error[n - 1] == ' '))
		x->xml_error[--n] = '\0';
}

/* ---- parts of the archive ---- */

static int part_open(xlsx_reader *x, const char *name, part_reader *p, int required)
{
	zip_stat_t st;
	zip_int64_t idx = zip_name_locate(x->zip, name, 0);
	memset(p, 0, sizeof *p);
	if (idx < 0) {
		if (!required)
			return LINEAGE_ENOTFOUND;
		return fail(x, "This file is a zip archive but not an Excel workbook: it has no "
			       "\"%s\". Save the spreadsheet as an Excel Workbook (.xlsx)", name);
	}
	if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
		return fail(x, "The workbook's part \"%s\" cannot be read: the file may be damaged. "
			       "Save the spreadsheet again", name);
	if (st.size > MAX_PART ||
	    ((st.valid & ZIP_STAT_COMP_SIZE) && st.size > (1u << 20) &&
	     st.size / (st.comp_size ? st.comp_size : 1) > MAX_RATIO))
		return lin_error_set(LINEAGE_ELIMIT,
				     "The workbook's part \"%s\" would inflate to %llu bytes from %llu: "
				     "more than a spreadsheet holds (a \"zip bomb\"?). Nothing was "
				     "read; check where the file comes from",
				     name, (unsigned long long)st.size,
				     (unsigned long long)st.comp_size);
	if (!(p->zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0))) {
		int ze = zip_error_code_zip(zip_get_error(x->zip));
		if (ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD || ze == ZIP_ER_ENCRNOTSUPP)
			return fail(x, "The workbook is protected with a password: save it without "
				       "one, then import it");
		return fail(x, "The workbook's part \"%s\" cannot be read (%s): save the "
			       "spreadsheet again", name, zip_strerror(x->zip));
	}
	p->left = st.size;
	return 0;
}

/* libxml2 reads a part through this: never more than the size it declared. */
static int part_read(void *ctx, char *buf, int len)
{
	part_reader *p = ctx;
	zip_int64_t n;
	if (p->left == 0 || len <= 0)
		return 0;
	if ((zip_uint64_t)len > p->left)
		len = (int)p->left;
	n = zip_fread(p->zf, buf, (zip_uint64_t)len);
	if (n < 0) {
		p->failed = 1;
		return -1;
	}
	p->left -= (zip_uint64_t)n;
	if (p->progress)
		p->progress->consumed += (uint64_t)n;
	return (int)n;
}

static int part_close(void *ctx)
{
	part_reader *p = ctx;
	if (p->zf)
		zip_fclose(p->zf);
	p->zf = NULL;
	return 0;
}

static xmlTextReaderPtr xml_open(xlsx_reader *x, part_reader *p, const char *name)
{
	xmlTextReaderPtr xr = xmlReaderForIO(part_read, part_close, p, name, NULL,
					     XML_PARSE_NONET | XML_PARSE_BIG_LINES);
	if (xr)
		xmlTextReaderSetStructuredErrorHandler(xr, on_xml_error, x);
	else
		part_close(p);
	return xr;
}

/* The next node; 1, 0 at the end, or an error (a DTD is refused). */
static int xml_next(xlsx_reader *x, xmlTextReaderPtr xr, const char *name)
{
	int r = xmlTextReaderRead(xr);
	if (r == 1 && xmlTextReaderNodeType(xr) == XML_READER_TYPE_DOCUMENT_TYPE)
		return fail(x, "The workbook's part \"%s\" declares a DTD, which no spreadsheet "
			       "program writes: it is refused", name);
	if (r < 0)
		return fail(x, "The workbook's part \"%s\" is not well-formed XML: %s. Save the "
			       "spreadsheet again", name, x->xml_error[0] ? x->xml_error : "read error");
	return r;
}

static int is_element(xmlTextReaderPtr xr, const char *local)
{
	return xmlTextReaderNodeType(xr) == XML_READER_TYPE_ELEMENT &&
	       !strcmp((const char *)xmlTextReaderConstLocalName(xr), local);
}

static int is_end(xmlTextReaderPtr xr, const char *local)
{
	return xmlTextReaderNodeType(xr) == XML_READER_TYPE_END_ELEMENT &&
	       !strcmp((const char *)xmlTextReaderConstLocalName(xr), local);
}

static int is_text(xmlTextReaderPtr xr)
{
	int t = xmlTextReaderNodeType(xr);
	return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
	       t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || t == XML_READER_TYPE_WHITESPACE;
}

static char *attr(xmlTextReaderPtr xr, const char *name)
{
	return (char *)xmlTextReaderGetAttribute(xr, (const xmlChar *)name);
}

/* ---- the workbook: which part holds the sheet ---- */

typedef struct sheet_ref {
	char *name, *rid;
} sheet_ref;

static void refs_free(sheet_ref *refs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		xmlFree(refs[i].name);
		xmlFree(refs[i].rid);
	}
	free(refs);
}

static int read_sheets(xlsx_reader *x, sheet_ref **out, size_t *count)
{
	part_reader p;
	xmlTextReaderPtr xr;
	sheet_ref *refs = calloc(MAX_SHEETS, sizeof *refs);
	size_t n = 0;
	int rc;
	*out = NULL;
	*count = 0;
	if (!refs)
		return lin_error_oom();
	if ((rc = part_open(x, "xl/workbook.xml", &p, 1)) != 0 ||
	    !(xr = xml_open(x, &p, "xl/workbook.xml"))) {
		free(refs);
		return rc ? rc : lin_error_oom();
	}
	while ((rc = xml_next(x, xr, "xl/workbook.xml")) == 1) {
		if (!is_element(xr, "sheet") || n == MAX_SHEETS)
			continue;
		refs[n].name = attr(xr, "name");
		refs[n].rid = (char *)xmlTextReaderGetAttributeNs(
			xr, (const xmlChar *)"id",
			(const xmlChar *)"http://schemas.openxmlformats.org/officeDocument/2006/relationships");
		if (refs[n].name && refs[n].rid)
			n++;
		else
			xmlFree(refs[n].name), xmlFree(refs[n].rid);
	}
	xmlFreeTextReader(xr);
	if (rc < 0) {
		refs_free(refs, n);
		return rc;
	}
	if (n == 0) {
		refs_free(refs, n);
		return fail(x, "The workbook has no sheets: add a sheet with a header row and "
			       "the rows to import");
	}
	*out = refs;
	*count = n;
	return 0;
}

/* The part a relationship id points to, from xl/_rels/workbook.xml.rels. */
static int sheet_part(xlsx_reader *x, const char *rid, char **out)
{
	part_reader p;
	xmlTextReaderPtr xr;
	const char *rels = "xl/_rels/workbook.xml.rels";
	int rc;
	*out = NULL;
	if ((rc = part_open(x, rels, &p, 1)) != 0 || !(xr = xml_open(x, &p, rels)))
		return rc ? rc : lin_error_oom();
	while (!*out && (rc = xml_next(x, xr, rels)) == 1) {
		char *id, *target;
		if (!is_element(xr, "Relationship"))
			continue;
		id = attr(xr, "Id");
		target = attr(xr, "Target");
		if (id && target && !strcmp(id, rid)) {
			lin_strbuf sb = LIN_STRBUF_INIT;
			/* Targets are relative to xl/, or absolute from the archive's root. */
			if (lin_strbuf_printf(&sb, "%s%s", target[0] == '/' ? "" : "xl/",
					      target + (target[0] == '/')) != 0)
				rc = LINEAGE_ENOMEM;
			else
				*out = lin_strbuf_detach(&sb);
			lin_strbuf_free(&sb);
		}
		xmlFree(id);
		xmlFree(target);
		if (rc < 0)
			break;
	}
	xmlFreeTextReader(xr);
	if (rc < 0)
		return rc;
	if (!*out)
		return fail(x, "The workbook does not say where its sheet is (relationship "
			       "\"%.60s\" is missing): save the spreadsheet again", rid);
	return 0;
}

static int choose_sheet(xlsx_reader *x, const char *wanted)
{
	sheet_ref *refs;
	size_t n, pick = 0;
	int rc = read_sheets(x, &refs, &n);
	if (rc)
		return rc;
	if (wanted) {
		for (pick = 0; pick < n && strcmp(refs[pick].name, wanted); pick++)
			;
		if (pick == n) {
			lin_strbuf names = LIN_STRBUF_INIT;
			for (size_t i = 0; i < n && i < 20; i++)
				lin_strbuf_printf(&names, "%s\"%.60s\"", i ? ", " : "", refs[i].name);
			rc = fail(x, "The workbook has no sheet named \"%.100s\": its sheets are %s",
				  wanted, names.data ? names.data : "");
			lin_strbuf_free(&names);
			refs_free(refs, n);
			return rc;
		}
	}
	rc = sheet_part(x, refs[pick].rid, &x->part_name);
	refs_free(refs, n);
	return rc;
}

/* ---- shared strings ---- */

static int read_strings(xlsx_reader *x)
{
	const char *name = "xl/sharedStrings.xml";
	part_reader p;
	xmlTextReaderPtr xr;
	lin_strbuf text = LIN_STRBUF_INIT;
	size_t cap = 0, total = 0;
	int rc, in_si = 0, in_t = 0, in_phonetic = 0;
	if ((rc = part_open(x, name, &p, 0)) == LINEAGE_ENOTFOUND)
		return 0; /* a workbook of numbers only */
	if (rc || !(xr = xml_open(x, &p, name)))
		return rc ? rc : lin_error_oom();
	while ((rc = xml_next(x, xr, name)) == 1) {
		if (is_element(xr, "si") && !xmlTextReaderIsEmptyElement(xr)) {
			in_si = 1;
			lin_strbuf_reset(&text);
		} else if (is_element(xr, "si")) { /* <si/>: an empty string */
			in_si = 0;
			lin_strbuf_reset(&text);
			goto add;
		} else if (is_element(xr, "rPh")) {
			in_phonetic = !xmlTextReaderIsEmptyElement(xr);
		} else if (is_end(xr, "rPh")) {
			in_phonetic = 0;
		} else if (is_element(xr, "t")) {
			in_t = !xmlTextReaderIsEmptyElement(xr);
		} else if (is_end(xr, "t")) {
			in_t = 0;
		} else if (in_si && in_t && !in_phonetic && is_text(xr)) {
			const char *v = (const char *)xmlTextReaderConstValue(xr);
			size_t len = v ? strlen(v) : 0;
			total += len;
			if (total > MAX_STRINGS) {
				rc = lin_error_set(LINEAGE_ELIMIT, "The workbook's text is longer than "
						   "%u MiB, the limit: split the spreadsheet, or "
						   "export it as CSV", MAX_STRINGS >> 20);
				break;
			}
			if ((rc = lin_strbuf_append(&text, v, len)) != 0)
				break;
		} else if (is_end(xr, "si")) {
			in_si = 0;
		add:
			if (x->nstrings == cap) {
				char **grown;
				cap = cap ? cap * 2 : 1024;
				if (cap > MAX_STRINGS / 8 || !(grown = realloc(x->strings, cap * sizeof *grown))) {
					rc = lin_error_oom();
					break;
				}
				x->strings = grown;
			}
			if (!(x->strings[x->nstrings] = lin_strdup(text.data ? text.data : ""))) {
				rc = LINEAGE_ENOMEM;
				break;
			}
			x->nstrings++;
			total += 8; /* each string's own cost counts against the limit */
		}
	}
	xmlFreeTextReader(xr);
	lin_strbuf_free(&text);
	return rc < 0 ? rc : 0;
}

/* ---- rows ---- */

/* Column of a cell reference ("C7" -> 2), or -1. */
static long ref_column(const char *ref)
{
	long col = 0;
	size_t i = 0;
	for (; ref[i] >= 'A' && ref[i] <= 'Z'; i++) {
		col = col * 26 + (ref[i] - 'A' + 1);
		if (col > MAX_COLUMNS)
			return -1;
	}
	return i ? col - 1 : -1;
}

static int cells_reserve(xlsx_reader *x, size_t ncols)
{
	if (ncols > x->cap_cols) {
		size_t cap = x->cap_cols ? x->cap_cols : 32, *p;
		while (cap < ncols)
			cap *= 2;
		if (!(p = realloc(x->offs, cap * sizeof *p)))
			return lin_error_oom();
		x->offs = p;
		x->cap_cols = cap;
	}
	for (size_t i = x->ncols; i < ncols; i++)
		x->offs[i] = (size_t)-1;
	if (ncols > x->ncols)
		x->ncols = ncols;
	return 0;
}

/* The value of the cell at the reader: type t, text in `v`. */
static int cell_value(xlsx_reader *x, const char *t, const char *v, size_t col, uint64_t row)
{
	const char *value = v;
	char label[40];
	int rc;
	if (t && !strcmp(t, "s")) {
		char *end;
		unsigned long long i = strtoull(v, &end, 10);
		if (end == v || *end || i >= x->nstrings)
			return fail(x, "Row %llu: a cell refers to text %.20s that the workbook does "
				       "not have: the file is damaged. Save the spreadsheet again",
				       (unsigned long long)row, v);
		value = x->strings[i];
	} else if (t && !strcmp(t, "b")) {
		value = strcmp(v, "0") ? "true" : "false";
	} else if (t && !strcmp(t, "e") && !x->problem[0]) {
		lin_column_label(&x->base, col, label, sizeof label);
		snprintf(x->problem, sizeof x->problem,
			 "Row %llu, %s holds the spreadsheet error %.40s: fix the formula, or "
			 "type the value", (unsigned long long)row, label, v);
	}
	if (strlen(value) > x->base.limits.max_field) {
		lin_column_label(&x->base, col, label, sizeof label);
		x->base.fatal_row = row;
		return lin_error_set(LINEAGE_ELIMIT, "Row %llu, %s: a value is longer than %zu "
				     "bytes, the limit. Split the value",
				     (unsigned long long)row, label, x->base.limits.max_field);
	}
	if ((rc = cells_reserve(x, col + 1)) != 0)
		return rc;
	x->offs[col] = x->cells.len;
	if ((rc = lin_strbuf_append(&x->cells, value, strlen(value) + 1)) != 0)
		return rc;
	if (x->cells.len > x->base.limits.max_record) {
		x->base.fatal_row = row;
		return lin_error_set(LINEAGE_ELIMIT, "Row %llu is longer than %zu bytes, the "
				     "limit for one row", (unsigned long long)row,
				     x->base.limits.max_record);
	}
	return 0;
}

/* Read a <c> element (the reader is on it) to its end. */
static int read_cell(xlsx_reader *x, uint64_t row, size_t *next_col)
{
	xmlTextReaderPtr xr = x->xr;
	char *ref = attr(xr, "r"), *t = attr(xr, "t");
	long col = ref ? ref_column(ref) : (long)*next_col;
	lin_strbuf text = LIN_STRBUF_INIT;
	int rc = 0, in_value = 0, depth = xmlTextReaderDepth(xr), has_value = 0;
	if (col < 0 || col >= MAX_COLUMNS) {
		rc = fail(x, "Row %llu: the cell reference \"%.20s\" is not a spreadsheet cell: "
			     "the file is damaged. Save the spreadsheet again",
			     (unsigned long long)row, ref ? ref : "");
		goto done;
	}
	*next_col = (size_t)col + 1;
	if (!xmlTextReaderIsEmptyElement(xr)) {
		while ((rc = xml_next(x, xr, x->part_name)) == 1) {
			if (is_end(xr, "c") && xmlTextReaderDepth(xr) == depth)
				break;
			/* <v> holds the value (a formula's too), <is><t> inline text. */
			if (is_element(xr, "v") || is_element(xr, "t")) {
				in_value = !xmlTextReaderIsEmptyElement(xr);
				has_value = 1;
			} else if (is_end(xr, "v") || is_end(xr, "t")) {
				in_value = 0;
			} else if (in_value && is_text(xr)) {
				const char *v = (const char *)xmlTextReaderConstValue(xr);
				if (v && (rc = lin_strbuf_append(&text, v, strlen(v))) != 0)
					break;
				if (text.len > x->base.limits.max_field + 1) {
					rc = cell_value(x, NULL, text.data, (size_t)col, row);
					break;
				}
			}
		}
		if (rc == 0)
			rc = fail(x, "Row %llu: the sheet ends inside a cell: the file is cut short. "
				     "Save the spreadsheet again", (unsigned long long)row);
		else if (rc == 1)
			rc = 0;
	}
	if (rc == 0 && has_value) {
		if ((rc = lin_strbuf_putc(&text, '\0')) == 0)
			rc = cell_value(x, t && !strcmp(t, "inlineStr") ? NULL : t, text.data,
					(size_t)col, row);
	}
done:
	lin_strbuf_free(&text);
	xmlFree(ref);
	xmlFree(t);
	return rc;
}

/*
 * Read the next <row> into cells/offs. Returns 0, ITEROVER after the last row, or an
 * error; *row gets the row's number as the spreadsheet shows it.
 */
static int read_row(xlsx_reader *x, uint64_t *row)
{
	xmlTextReaderPtr xr = x->xr;
	int rc;
	size_t next_col = 0;
	x->ncols = 0;
	lin_strbuf_reset(&x->cells);
	x->problem[0] = '\0';
	while ((rc = xml_next(x, xr, x->part_name)) == 1) {
		char *r;
		if (!is_element(xr, "row"))
			continue;
		r = attr(xr, "r");
		*row = r ? strtoull(r, NULL, 10) : x->last_row + 1;
		xmlFree(r);
		if (*row <= x->last_row || *row > 1048576)
			*row = x->last_row + 1;
		x->last_row = *row;
		if (xmlTextReaderIsEmptyElement(xr))
			return 0;
		while ((rc = xml_next(x, xr, x->part_name)) == 1) {
			if (is_end(xr, "row"))
				return 0;
			if (is_element(xr, "c") && (rc = read_cell(x, *row, &next_col)) != 0)
				return rc;
		}
		if (rc == 0)
			return fail(x, "Row %llu: the sheet ends inside a row: the file is cut short. "
				       "Save the spreadsheet again", (unsigned long long)*row);
		return rc;
	}
	if (rc == 0 && x->sheet.failed)
		return fail(x, "The sheet cannot be read to its end: the workbook is damaged (%s). "
			       "Save the spreadsheet again", zip_strerror(x->zip));
	return rc == 0 ? LINEAGE_ITEROVER : rc;
}

static const char *cell(const xlsx_reader *x, size_t i)
{
	return i < x->ncols && x->offs[i] != (size_t)-1 ? x->cells.data + x->offs[i] : "";
}

static int row_blank(const xlsx_reader *x)
{
	for (size_t i = 0; i < x->ncols; i++)
		if (*cell(x, i))
			return 0;
	return 1;
}

static int read_header(xlsx_reader *x)
{
	uint64_t row = 0;
	const char **names;
	size_t n;
	int rc;
	do {
		if ((rc = read_row(x, &row)) == LINEAGE_ITEROVER)
			return fail(x, "The sheet is empty: there is nothing to import. Put a header "
				       "row such as \"source, target\" in the first row, then the rows");
		if (rc)
			return rc;
	} while (row_blank(x));
	/* Trailing empty header cells (a spreadsheet's formatting) are not columns. */
	for (n = x->ncols; n && !*cell(x, n - 1); n--)
		;
	if (!(names = malloc((n ? n : 1) * sizeof *names)))
		return lin_error_oom();
	for (size_t i = 0; i < n; i++)
		names[i] = cell(x, i);
	rc = lin_header_resolve(&x->base, names, n, row, &x->cols, &x->fields);
	free(names);
	return rc;
}

static int xlsx_next(lin_reader *r, const lin_raw **out)
{
	xlsx_reader *x = (xlsx_reader *)r;
	uint64_t row = 0;
	size_t n = r->header_count;
	int rc;
	do {
		if ((rc = read_row(x, &row)) != 0) {
			if (rc != LINEAGE_ITEROVER && !r->fatal_row)
				r->fatal_row = row;
			return rc;
		}
	} while (row_blank(x));
	x->raw.row = row;
	x->raw.ordinal = x->ordinal++;
	x->raw.type = r->type;
	x->raw.problem = NULL;
	x->raw.problem_column = NULL;
	x->raw.warning = NULL;
	for (size_t i = 0; i < n; i++) {
		x->fields[i].value = cell(x, i);
		x->fields[i].len = strlen(x->fields[i].value);
		x->fields[i].json = 0;
	}
	for (size_t i = n; i < x->ncols && !x->problem[0]; i++) {
		if (*cell(x, i)) {
			char label[40];
			lin_column_label(r, i, label, sizeof label);
			snprintf(x->problem, sizeof x->problem,
				 "Row %llu has a value in %s, which has no header. Give the column "
				 "a name in the header row, or clear the cell",
				 (unsigned long long)row, label);
		}
	}
	x->raw.problem = x->problem[0] ? x->problem : NULL;
	x->raw.nfields = n;
	x->raw.fields = x->fields;
	*out = &x->raw;
	return 0;
}

static void xlsx_free(lin_reader *r)
{
	xlsx_reader *x = (xlsx_reader *)r;
	/* the file's own size again, so that a second pass reads the whole workbook */
	x->base.src->size = x->file_size;
	if (x->xr)
		xmlFreeTextReader(x->xr); /* closes the sheet's part */
	else
		part_close(&x->sheet);
	if (x->zip)
		zip_discard(x->zip);
	for (size_t i = 0; i < x->nstrings; i++)
		free(x->strings[i]);
	free(x->strings);
	free(x->data);
	free(x->part_name);
	lin_strbuf_free(&x->cells);
	free(x->offs);
	free(x->cols);
	free(x->fields);
}

static const lin_reader_ops xlsx_ops = {xlsx_next, xlsx_free};

/* The whole file into memory (a workbook is compressed), at most MAX_WORKBOOK bytes. */
static int slurp(xlsx_reader *x, size_t *len)
{
	size_t cap = 1u << 16;
	int err = 0;
	*len = 0;
	for (;;) {
		size_t n;
		if (*len == cap) {
			unsigned char *p;
			if (cap >= MAX_WORKBOOK)
				return lin_error_set(LINEAGE_ELIMIT, "The workbook is larger than %u "
						     "MiB, the limit: split it, or export the sheet "
						     "as CSV", MAX_WORKBOOK >> 20);
			cap *= 2;
			if (!(p = realloc(x->data, cap)))
				return lin_error_oom();
			x->data = p;
		} else if (!x->data && !(x->data = malloc(cap))) {
			return lin_error_oom();
		}
		n = lin_src_read(x->base.src, x->data + *len, cap - *len, &err);
		if (err)
			return err;
		if (n == 0)
			return 0;
		*len += n;
	}
}

static int open_archive(xlsx_reader *x)
{
	zip_error_t ze;
	zip_source_t *zs;
	size_t len;
	int rc;
	if ((rc = slurp(x, &len)) != 0)
		return rc;
	if (len < 4 || memcmp(x->data, "PK\3\4", 4))
		return fail(x, "This file is not an Excel workbook (an .xlsx file is a zip "
			       "archive): save the spreadsheet as an Excel Workbook (.xlsx), or "
			       "import the file with its own format (csv, json...)");
	zip_error_init(&ze);
	if (!(zs = zip_source_buffer_create(x->data, len, 0, &ze))) {
		zip_error_fini(&ze);
		return lin_error_oom();
	}
	if (!(x->zip = zip_open_from_source(zs, ZIP_RDONLY | ZIP_CHECKCONS, &ze))) {
		rc = fail(x, "The workbook cannot be opened: %s. The file may be damaged or cut "
			     "short; save the spreadsheet again", zip_error_strerror(&ze));
		zip_source_free(zs);
		zip_error_fini(&ze);
		return rc;
	}
	zip_error_fini(&ze);
	return 0;
}

int lin_xlsx_reader_open(lin_reader **out, lin_src *src, lineage_record_type type,
			 const lin_limits *limits, const char *sheet)
{
	xlsx_reader *x = calloc(1, sizeof *x);
	int rc;
	*out = NULL;
	if (!x)
		return lin_error_oom();
	x->base.ops = &xlsx_ops;
	x->base.src = src;
	x->file_size = src->size;
	x->base.limits = *limits;
	x->base.type = type == LINEAGE_RECORDS_BOTH ? LINEAGE_RECORDS_AUTO : type;
	x->base.format = LINEAGE_FORMAT_XLSX;
	x->base.delim = ',';
	if ((rc = open_archive(x)) != 0 || (rc = choose_sheet(x, sheet)) != 0 ||
	    (rc = read_strings(x)) != 0 || (rc = part_open(x, x->part_name, &x->sheet, 1)) != 0)
		goto fail;
	/* Progress and estimates count the sheet's inflated bytes. */
	src->size = x->sheet.left;
	src->consumed = 0;
	x->sheet.progress = src;
	if (!(x->xr = xml_open(x, &x->sheet, x->part_name))) {
		rc = lin_error_oom();
		goto fail;
	}
	if ((rc = read_header(x)) != 0)
		goto fail;
	*out = &x->base;
	return 0;
fail:
	lin_reader_free(&x->base);
	return rc;
}
