/*
 * Streaming JSON readers: a top-level array of objects, or JSON Lines (one object a line).
 * A small iterative scanner finds each element's extent (strings, escapes and a depth
 * counter: no recursion, nesting capped), then jansson parses that element alone. Memory is
 * one element, bounded by the record limit.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "reader.h"

#define CHUNK 65536

typedef struct json_reader {
	lin_reader base;
	unsigned char buf[CHUNK];
	size_t pos, len;
	int eof;
	int lines;          /* JSON Lines */
	int state;          /* 0: before '[', 1: in the array, 2: after ']' */
	int need_element;   /* a comma was read: an element must follow */
	uint64_t line;
	uint64_t index;     /* elements read */
	char *rec;
	size_t rec_len, rec_cap;
	lin_object_record o; /* the current record's fields */
} json_reader;

static int fill(json_reader *j, int *err)
{
	if (j->pos < j->len)
		return 1;
	if (j->eof)
		return 0;
	j->len = lin_src_read(j->base.src, j->buf, CHUNK, err);
	j->pos = 0;
	if (*err)
		return 0;
	if (!j->len) {
		j->eof = 1;
		return 0;
	}
	return 1;
}

/* The next byte that is not white space, left unread; -1 at the end. */
static int peek_nonspace(json_reader *j, int *err)
{
	while (fill(j, err)) {
		unsigned char ch = j->buf[j->pos];
		if (ch == '\n')
			j->line++;
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
			j->pos++;
			continue;
		}
		return ch;
	}
	return -1;
}

static int rec_put(json_reader *j, unsigned char ch)
{
	if (j->rec_len + 1 >= j->rec_cap) {
		size_t cap = j->rec_cap ? j->rec_cap * 2 : 4096;
		char *p = realloc(j->rec, cap);
		if (!p)
			return lin_error_oom();
		j->rec = p;
		j->rec_cap = cap;
	}
	j->rec[j->rec_len++] = (char)ch;
	return 0;
}

static int fatal(json_reader *j, int code, uint64_t row, const char *fmt, const char *arg)
{
	j->base.fatal_row = row;
	return lin_error_set(code, fmt, (unsigned long long)row, arg);
}

/* Where a character of JSON text leaves a scan: in a string (with a pending escape) or not.
 * 1 when `ch` is outside strings and not a quote: a bracket, comma or value character. */
typedef struct json_strings {
	int in_str, esc;
} json_strings;

static int outside_strings(json_strings *s, char ch)
{
	if (s->in_str) {
		if (s->esc)
			s->esc = 0;
		else if (ch == '\\')
			s->esc = 1;
		else if (ch == '"')
			s->in_str = 0;
		return 0;
	}
	if (ch == '"') {
		s->in_str = 1;
		return 0;
	}
	return 1;
}

/* Scan one array element into rec. Sets *last when the array's ']' ended it. */
static int scan_element(json_reader *j, uint64_t row, int *last)
{
	json_strings str = {0, 0};
	int depth = 0, err = 0, rc;
	j->rec_len = 0;
	*last = 0;
	for (;;) {
		unsigned char ch;
		if (!fill(j, &err)) {
			if (err)
				return err;
			if (depth == 0 && !str.in_str && j->rec_len)
				return fatal(j, LINEAGE_EPARSE, row,
					     "Row %llu: the file ends before the array is closed%s. The "
					     "file may be cut short: end it with \"]\"",
					     "");
			return fatal(j, LINEAGE_EPARSE, row,
				     "Row %llu: the file ends inside this object%s. The file may be cut "
				     "short: check that every string, { and [ is closed and the array "
				     "ends with ]",
				     str.in_str ? " (in a string that is never closed)" : "");
		}
		ch = j->buf[j->pos++];
		if (ch == '\n')
			j->line++;
		if (!outside_strings(&str, (char)ch)) {
			/* a string's character, or its quote: kept as it is */
		} else if (ch == '{' || ch == '[') {
			if (++depth > j->base.limits.max_depth) {
				char lim[32];
				snprintf(lim, sizeof lim, "%d", j->base.limits.max_depth);
				return fatal(j, LINEAGE_EPARSE, row,
					     "Row %llu is nested more than %s levels deep. A record is a "
					     "flat object of fields; check the file's structure",
					     lim);
			}
		} else if (ch == '}' || ch == ']') {
			if (depth == 0) {
				if (ch == '}')
					return fatal(j, LINEAGE_EPARSE, row,
						     "Row %llu: a \"}\" closes nothing%s. Check the "
						     "brackets of this object",
						     "");
				*last = 1;
				break;
			}
			depth--;
		} else if (ch == ',' && depth == 0) {
			break;
		}
		if ((rc = rec_put(j, ch)) != 0)
			return rc;
		if (j->rec_len > j->base.limits.max_record) {
			char lim[32];
			snprintf(lim, sizeof lim, "%zu", j->base.limits.max_record);
			return fatal(j, LINEAGE_ELIMIT, row,
				     "Row %llu is longer than %s bytes, the limit for one record. "
				     "Split it, or check that the file is what it should be",
				     lim);
		}
	}
	while (j->rec_len && strchr(" \t\r\n", j->rec[j->rec_len - 1]))
		j->rec_len--;
	j->rec[j->rec_len] = '\0';
	return 0;
}

/* Read one line into rec (JSON Lines). Returns ITEROVER at the end. */
static int scan_line(json_reader *j)
{
	int err = 0, rc;
	j->rec_len = 0;
	for (;;) {
		unsigned char *nl;
		size_t n;
		if (!fill(j, &err)) {
			if (err)
				return err;
			if (!j->rec_len)
				return LINEAGE_ITEROVER;
			break;
		}
		nl = memchr(j->buf + j->pos, '\n', j->len - j->pos);
		n = nl ? (size_t)(nl - (j->buf + j->pos)) : j->len - j->pos;
		if (j->rec_len + n + 1 > j->base.limits.max_record + 1) {
			char lim[32];
			snprintf(lim, sizeof lim, "%zu", j->base.limits.max_record);
			return fatal(j, LINEAGE_ELIMIT, j->line,
				     "Row %llu is longer than %s bytes, the limit for one record. "
				     "In JSON Lines each line holds one object: check that the file "
				     "is JSON Lines",
				     lim);
		}
		for (size_t i = 0; i < n; i++)
			if ((rc = rec_put(j, j->buf[j->pos + i])) != 0)
				return rc;
		j->pos += n;
		if (nl) {
			j->pos++;
			break;
		}
	}
	while (j->rec_len && strchr(" \t\r", j->rec[j->rec_len - 1]))
		j->rec_len--;
	if (rec_put(j, '\0') != 0)
		return LINEAGE_ENOMEM;
	j->rec_len--;
	return 0;
}

/* Depth of the deepest nesting in rec, iteratively. */
static int max_depth(const char *s, size_t n)
{
	json_strings str = {0, 0};
	int depth = 0, top = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!outside_strings(&str, ch)) {
			/* in a string */
		} else if (ch == '{' || ch == '[') {
			if (++depth > top)
				top = depth;
		} else if (ch == '}' || ch == ']') {
			depth--;
		}
	}
	return top;
}

static int set_problem(json_reader *j, const char *fmt, ...) LIN_PRINTF(2, 3);
static int set_problem(json_reader *j, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(j->o.problem, sizeof j->o.problem, fmt, ap);
	va_end(ap);
	j->o.raw.problem = j->o.problem;
	return 0;
}

static int parse_element(json_reader *j)
{
	json_error_t jerr;
	json_t *v;
	int rc = 0;
	j->o.raw.nfields = 0;
	j->o.raw.fields = j->o.fields;
	j->o.raw.type = j->base.type;
	if (j->lines && max_depth(j->rec, j->rec_len) > j->base.limits.max_depth)
		return set_problem(j, "Row %llu is nested more than %d levels deep. A record is a "
				   "flat object of fields; check the line's structure",
				   (unsigned long long)j->o.raw.row, j->base.limits.max_depth);
	v = json_loadb(j->rec, j->rec_len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!v)
		return set_problem(j, "Row %llu is not valid JSON: %s (at character %d of the "
				   "record). Check its quotes, commas and brackets",
				   (unsigned long long)j->o.raw.row, jerr.text, jerr.position);
	if (!json_is_object(v))
		set_problem(j, "Row %llu is not an object: each record must be an object such as "
			    "{\"source\": \"a\", \"target\": \"b\"}",
			    (unsigned long long)j->o.raw.row);
	else
		rc = lin_object_record_fill(&j->o, v, j->base.type);
	json_decref(v);
	return rc;
}

static int start_array(json_reader *j)
{
	int err = 0, ch;
	unsigned char head[64];
	size_t n;
	const char *hint;
	if (fill(j, &err) && j->len >= 3 && j->buf[0] == 0xEF && j->buf[1] == 0xBB &&
	    j->buf[2] == 0xBF)
		j->pos = 3;
	if (err)
		return err;
	ch = peek_nonspace(j, &err);
	if (err)
		return err;
	if (ch < 0)
		return lin_error_set(LINEAGE_EPARSE, "The file is empty: there is nothing to import. "
				     "A JSON file holds an array of objects, such as "
				     "[{\"source\": \"a\", \"target\": \"b\"}]");
	n = j->len - j->pos < sizeof head ? j->len - j->pos : sizeof head;
	memcpy(head, j->buf + j->pos, n);
	if ((hint = lin_sniff_hint(head, n, j->lines ? LINEAGE_FORMAT_JSONL : LINEAGE_FORMAT_JSON)))
		return lin_error_set(LINEAGE_EPARSE, "%s", hint);
	if (j->lines) {
		if (ch == '[')
			return lin_error_set(LINEAGE_EPARSE, "This file starts with \"[\": it looks "
					     "like a JSON array, not JSON Lines: import it as json");
		j->state = 1;
		return 0;
	}
	if (ch != '[')
		return lin_error_set(LINEAGE_EPARSE, "A JSON file must hold an array of objects, such "
				     "as [{\"source\": \"a\", \"target\": \"b\"}]; this one starts "
				     "with \"%c\". If each line holds one object, import it as jsonl",
				     ch);
	j->pos++;
	j->state = 1;
	return 0;
}

/* After the array's "]": only white space may follow. Returns ITEROVER when so. */
static int check_end(json_reader *j)
{
	int err = 0, ch = peek_nonspace(j, &err);
	if (err)
		return err;
	if (ch >= 0)
		return fatal(j, LINEAGE_EPARSE, j->index,
			     "Text follows the end of the array (after row %llu%s). A JSON file holds "
			     "one array: remove what follows the final \"]\"",
			     "");
	return LINEAGE_ITEROVER;
}

static int json_next(lin_reader *r, const lin_raw **out)
{
	json_reader *j = (json_reader *)r;
	int err = 0, rc, ch, last;
	j->o.raw.problem = NULL;
	j->o.raw.problem_column = NULL;
	j->o.raw.warning = NULL;
	if (j->lines) {
		do {
			j->line++;
			rc = scan_line(j);
			if (rc)
				return rc;
		} while (j->rec_len == 0);
		j->o.raw.row = j->line;
		j->o.raw.ordinal = j->index++;
		if ((rc = parse_element(j)) != 0)
			return rc;
		*out = &j->o.raw;
		return 0;
	}
	if (j->state == 2)
		return LINEAGE_ITEROVER;
	ch = peek_nonspace(j, &err);
	if (err)
		return err;
	if (ch < 0)
		return fatal(j, LINEAGE_EPARSE, j->index + 1,
			     "Row %llu: the file ends before the array is closed%s. The file may be "
			     "cut short: end it with \"]\"",
			     "");
	if (ch == ']') {
		if (j->need_element)
			return fatal(j, LINEAGE_EPARSE, j->index + 1,
				     "Row %llu: a comma is followed by \"]\" (there is a comma after "
				     "the last object%s). Remove that comma",
				     "");
		j->pos++;
		j->state = 2;
		return check_end(j);
	}
	if (ch == ',')
		return fatal(j, LINEAGE_EPARSE, j->index + 1,
			     "Row %llu: a comma with no object before it%s. Remove the extra comma",
			     "");
	j->o.raw.row = ++j->index;
	j->o.raw.ordinal = j->index - 1;
	if ((rc = scan_element(j, j->o.raw.row, &last)) != 0)
		return rc;
	if (j->rec_len == 0)
		return fatal(j, LINEAGE_EPARSE, j->o.raw.row, "Row %llu is empty%s. Remove the extra comma", "");
	j->need_element = !last;
	if (last) {
		j->state = 2;
		if ((rc = check_end(j)) != LINEAGE_ITEROVER)
			return rc;
	}
	if ((rc = parse_element(j)) != 0)
		return rc;
	*out = &j->o.raw;
	return 0;
}

static void json_free(lin_reader *r)
{
	json_reader *j = (json_reader *)r;
	free(j->rec);
	lin_object_record_free(&j->o);
}

static const lin_reader_ops json_ops = {json_next, json_free};

int lin_json_reader_open(lin_reader **out, lin_src *src, int lines, lineage_record_type type,
			 const lin_limits *limits)
{
	json_reader *j = calloc(1, sizeof *j);
	int rc;
	*out = NULL;
	if (!j)
		return lin_error_oom();
	j->base.ops = &json_ops;
	j->base.src = src;
	j->base.limits = *limits;
	j->base.type = type == LINEAGE_RECORDS_BOTH ? LINEAGE_RECORDS_AUTO : type;
	j->base.format = lines ? LINEAGE_FORMAT_JSONL : LINEAGE_FORMAT_JSON;
	j->lines = lines;
	j->line = lines ? 0 : 1;
	if ((rc = start_array(j)) != 0) {
		lin_reader_free(&j->base);
		return rc;
	}
	*out = &j->base;
	return 0;
}
