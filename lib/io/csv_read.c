/*
 * A streaming CSV reader (RFC 4180): quoted fields with embedded delimiters, newlines and
 * doubled quotes; a UTF-8 byte order mark; CRLF, LF and CR line ends, even mixed; the
 * delimiter (, ; tab |) detected from the header line. Memory is one record, bounded by the
 * limits, so a gigabyte-long line is an error, never an out-of-memory.
 */
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "reader.h"

#define CHUNK 65536

typedef struct csv_reader {
	lin_reader base;
	unsigned char buf[CHUNK];
	size_t pos, len;
	int eof;
	uint64_t line;       /* line of the next byte, 1-based */
	int prev_cr;         /* the last byte inside quotes was a CR */
	char *rec;           /* the fields of the record, each NUL-terminated */
	size_t rec_len, rec_cap;
	size_t *starts;      /* offset of each field in rec */
	size_t nfields, cap_fields;
	int *cols;           /* resolved column of each header field */
	lin_field *fields;
	lin_raw raw;
	uint64_t ordinal;
	char problem[600];
} csv_reader;

static int fill(csv_reader *c, int *err)
{
	if (c->pos < c->len)
		return 1;
	if (c->eof)
		return 0;
	c->len = lin_src_read(c->base.src, c->buf, CHUNK, err);
	c->pos = 0;
	if (*err)
		return 0;
	if (c->len == 0) {
		c->eof = 1;
		return 0;
	}
	return 1;
}

static int rec_reserve(csv_reader *c, size_t n)
{
	if (c->rec_len + n >= c->rec_cap) {
		size_t cap = c->rec_cap ? c->rec_cap * 2 : 4096;
		char *p;
		while (cap <= c->rec_len + n)
			cap *= 2;
		if (!(p = realloc(c->rec, cap)))
			return lin_error_oom();
		c->rec = p;
		c->rec_cap = cap;
	}
	return 0;
}

static int rec_put(csv_reader *c, char ch)
{
	int rc = c->rec_len + 1 >= c->rec_cap ? rec_reserve(c, 1) : 0;
	if (!rc)
		c->rec[c->rec_len++] = ch;
	return rc;
}

/* How many of the next bytes are plain: not `stop` (the delimiter, or the quote inside
 * quotes), a line end or NUL. A field's plain bytes are copied at once; the byte loop
 * handles what ends them. */
static size_t plain_run(const csv_reader *c, unsigned char stop)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	const unsigned char *p = c->buf + c->pos, *end = c->buf + c->len;
	/* eight bytes at a time while none of them is special ("has a zero byte" tests) */
	for (; end - p >= 8; p += 8) {
		uint64_t w, a, b, d;
		memcpy(&w, p, 8);
		a = w ^ (stop * ones);
		b = w ^ ('\n' * ones);
		d = w ^ ('\r' * ones);
		if ((((a - ones) & ~a) | ((b - ones) & ~b) | ((d - ones) & ~d) | ((w - ones) & ~w)) &
		    highs)
			break;
	}
	while (p < end && *p != stop && *p != '\n' && *p != '\r' && *p != '\0')
		p++;
	return (size_t)(p - (c->buf + c->pos));
}

static int field_start(csv_reader *c)
{
	if (c->nfields == c->cap_fields) {
		size_t cap = c->cap_fields ? c->cap_fields * 2 : 32;
		size_t *p = realloc(c->starts, cap * sizeof *p);
		if (!p)
			return lin_error_oom();
		c->starts = p;
		c->cap_fields = cap;
	}
	c->starts[c->nfields++] = c->rec_len;
	return 0;
}

static const char *column_label(csv_reader *c, size_t i, char *buf, size_t size)
{
	if (c->cols && i < c->base.header_count)
		snprintf(buf, size, "column \"%.60s\"", c->base.header[i]);
	else
		snprintf(buf, size, "column %zu", i + 1);
	return buf;
}

static int too_long(csv_reader *c, uint64_t row, int field)
{
	char col[100];
	c->base.fatal_row = row;
	if (field)
		return lin_error_set(LINEAGE_ELIMIT,
				     "Row %llu, %s: a value is longer than %zu bytes, the limit. "
				     "This is often a quote that is never closed; check the quotes "
				     "on this row, or split the value",
				     (unsigned long long)row,
				     column_label(c, c->nfields ? c->nfields - 1 : 0, col, sizeof col),
				     c->base.limits.max_field);
	return lin_error_set(LINEAGE_ELIMIT,
			     "Row %llu is longer than %zu bytes, the limit for one row. Check that "
			     "the file is a CSV file with one record per line",
			     (unsigned long long)row, c->base.limits.max_record);
}

enum { AT_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED };

/*
 * Read one record into rec/starts. Returns 0, LINEAGE_ITEROVER at the end of the input, or a
 * fatal error. *row receives the line the record starts on.
 */
static int read_record(csv_reader *c, uint64_t *row)
{
	int state = AT_START, err = 0, rc;
	size_t n;
	uint64_t quote_line = 0;
	char delim = c->base.delim;
	size_t fstart = 0;
	c->rec_len = 0;
	c->nfields = 0;
	c->problem[0] = '\0';
	*row = c->line;
	for (;;) {
		unsigned char ch;
		if (c->pos == c->len && !fill(c, &err)) {
			if (err)
				return err;
			break;
		}
		ch = c->buf[c->pos++];
		if (ch == '\0') {
			c->base.fatal_row = c->line;
			return lin_error_set(LINEAGE_EPARSE,
					     "Row %llu contains a NUL byte: this is not a text file. "
					     "Save the data as CSV (UTF-8) and import that file",
					     (unsigned long long)c->line);
		}
		if (state == AT_START) {
			if ((rc = field_start(c)) != 0)
				return rc;
			fstart = c->rec_len;
			if (ch == '"') {
				state = QUOTED;
				quote_line = c->line;
				continue;
			}
			state = UNQUOTED;
		}
		if (state == UNQUOTED) {
			if (ch == (unsigned char)delim) {
				if ((rc = rec_put(c, '\0')) != 0)
					return rc;
				state = AT_START;
				continue;
			}
			if (ch == '\n' || ch == '\r')
				goto end_of_line;
			if ((n = plain_run(c, (unsigned char)delim)) != 0)
				goto run;
		} else if (state == QUOTED) {
			if (ch == '"') {
				state = QUOTE_IN_QUOTED;
				continue;
			}
			/* Count CRLF, CR and LF each as one line end. */
			if (ch == '\r' || (ch == '\n' && !c->prev_cr))
				c->line++;
			c->prev_cr = ch == '\r';
			if (!c->prev_cr && ch != '\n' && (n = plain_run(c, '"')) != 0)
				goto run;
		} else { /* QUOTE_IN_QUOTED */
			if (ch == '"') {
				state = QUOTED;
			} else if (ch == (unsigned char)delim) {
				if ((rc = rec_put(c, '\0')) != 0)
					return rc;
				state = AT_START;
				continue;
			} else if (ch == '\n' || ch == '\r') {
				goto end_of_line;
			} else {
				/* Text after a closing quote: keep it, but the row is suspect. */
				if (!c->problem[0]) {
					char col[100];
					snprintf(c->problem, sizeof c->problem,
						 "Row %llu, %s: there is text after a closing quote. "
						 "Inside a quoted value, write a quote as two quotes (\"\"), "
						 "or quote the whole value",
						 (unsigned long long)*row,
						 column_label(c, c->nfields - 1, col, sizeof col));
				}
				if ((rc = rec_put(c, '"')) != 0)
					return rc;
				state = UNQUOTED;
			}
		}
		if ((rc = rec_put(c, (char)ch)) != 0)
			return rc;
		goto check;
	run:
		/* ch and the n plain bytes after it, at once */
		if ((rc = rec_reserve(c, n + 1)) != 0)
			return rc;
		c->rec[c->rec_len++] = (char)ch;
		memcpy(c->rec + c->rec_len, c->buf + c->pos, n);
		c->rec_len += n;
		c->pos += n;
	check:
		if (c->rec_len - fstart > c->base.limits.max_field)
			return too_long(c, *row, 1);
		if (c->rec_len > c->base.limits.max_record)
			return too_long(c, *row, 0);
		continue;
	end_of_line:
		/* CRLF is one line end; a lone CR or LF is one too. */
		if (ch == '\r') {
			if (c->pos == c->len)
				fill(c, &err);
			if (err)
				return err;
			if (c->pos < c->len && c->buf[c->pos] == '\n')
				c->pos++;
		}
		c->line++;
		if ((rc = rec_put(c, '\0')) != 0)
			return rc;
		return 0;
	}
	/* End of input. */
	if (state == QUOTED) {
		char col[100];
		c->base.fatal_row = quote_line;
		return lin_error_set(LINEAGE_EPARSE,
				     "Row %llu, %s: the quote opened here is never closed, so the "
				     "rest of the file would be one value. Add the closing quote "
				     "(inside a quoted value, write a quote as two quotes: \"\")",
				     (unsigned long long)quote_line,
				     column_label(c, c->nfields - 1, col, sizeof col));
	}
	if (state == AT_START && c->nfields == 0)
		return LINEAGE_ITEROVER;
	if (state == AT_START && (rc = field_start(c)) != 0) /* "a," at the end */
		return rc;
	return rec_put(c, '\0');
}

static int record_blank(const csv_reader *c)
{
	for (size_t i = 0; i < c->nfields; i++)
		if (c->rec[c->starts[i]])
			return 0;
	return 1;
}

static char detect_delim(const unsigned char *p, size_t n)
{
	static const char cands[] = {',', ';', '\t', '|'};
	size_t counts[4] = {0, 0, 0, 0};
	int quoted = 0, best = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			quoted = !quoted;
		else if (!quoted && (p[i] == '\n' || p[i] == '\r'))
			break;
		else if (!quoted)
			for (int k = 0; k < 4; k++)
				counts[k] += p[i] == (unsigned char)cands[k];
	}
	for (int k = 1; k < 4; k++)
		if (counts[k] > counts[best])
			best = k;
	return cands[best];
}

/* Read the header, resolve its columns and tell the record type. */
static int read_header(csv_reader *c)
{
	uint64_t row;
	int rc, err = 0;
	/* Skip a UTF-8 byte order mark; refuse UTF-16. */
	if (!fill(c, &err))
		return err ? err : lin_error_set(LINEAGE_EPARSE, "The file is empty: there is nothing to import. Export the data again, with a header line such as \"source,target\"");
	if (c->len >= 2 && ((c->buf[0] == 0xFF && c->buf[1] == 0xFE) || (c->buf[0] == 0xFE && c->buf[1] == 0xFF)))
		return lin_error_set(LINEAGE_EPARSE, "The file is UTF-16 text: save it as CSV UTF-8 (in Excel: \"CSV UTF-8 (Comma delimited)\") and import that file");
	if (c->len >= 3 && c->buf[0] == 0xEF && c->buf[1] == 0xBB && c->buf[2] == 0xBF)
		c->pos = 3;
	{
		const char *hint = lin_sniff_hint(c->buf + c->pos, c->len - c->pos, LINEAGE_FORMAT_CSV);
		if (hint)
			return lin_error_set(LINEAGE_EPARSE, "%s", hint);
	}
	c->base.delim = detect_delim(c->buf + c->pos, c->len - c->pos);
	do {
		rc = read_record(c, &row);
		if (rc == LINEAGE_ITEROVER)
			return lin_error_set(LINEAGE_EPARSE, "The file is empty: there is nothing to import. Export the data again, with a header line such as \"source,target\"");
		if (rc)
			return rc;
	} while (record_blank(c));
	{
		const char **names = malloc(c->nfields * sizeof *names);
		if (!names)
			return lin_error_oom();
		for (size_t i = 0; i < c->nfields; i++)
			names[i] = c->rec + c->starts[i];
		rc = lin_header_resolve(&c->base, names, c->nfields, row, &c->cols, &c->fields);
		free(names);
		return rc;
	}
}

static int csv_next(lin_reader *r, const lin_raw **out)
{
	csv_reader *c = (csv_reader *)r;
	uint64_t row;
	int rc;
	size_t n = r->header_count;
	do {
		rc = read_record(c, &row);
		if (rc)
			return rc;
	} while (record_blank(c));
	c->raw.row = row;
	c->raw.ordinal = c->ordinal++;
	c->raw.type = r->type;
	c->raw.problem = c->problem[0] ? c->problem : NULL;
	c->raw.problem_column = NULL;
	c->raw.warning = NULL;
	for (size_t i = 0; i < n; i++) {
		c->fields[i].value = i < c->nfields ? c->rec + c->starts[i] : "";
		c->fields[i].len = strlen(c->fields[i].value);
		c->fields[i].json = 0;
	}
	c->raw.nfields = n;
	c->raw.fields = c->fields;
	if (c->nfields != n && !c->raw.problem) {
		size_t extra_filled = 0;
		for (size_t i = n; i < c->nfields; i++)
			extra_filled += c->rec[c->starts[i]] != '\0';
		/* Trailing empty cells (left by spreadsheets) are harmless. */
		if (c->nfields < n || extra_filled) {
			snprintf(c->problem, sizeof c->problem,
				 "Row %llu has %zu values but the header has %zu columns. Check "
				 "for a missing or extra delimiter (\"%s\"), or quote values that "
				 "contain one",
				 (unsigned long long)row, c->nfields, n,
				 r->delim == '\t' ? "tab" : (char[]){r->delim, '\0'});
			c->raw.problem = c->problem;
		}
	}
	*out = &c->raw;
	return 0;
}

static void csv_free(lin_reader *r)
{
	csv_reader *c = (csv_reader *)r;
	free(c->rec);
	free(c->starts);
	free(c->cols);
	free(c->fields);
}

static const lin_reader_ops csv_ops = {csv_next, csv_free};

int lin_csv_reader_open(lin_reader **out, lin_src *src, lineage_record_type type,
			const lin_limits *limits)
{
	csv_reader *c = calloc(1, sizeof *c);
	int rc;
	*out = NULL;
	if (!c)
		return lin_error_oom();
	c->base.ops = &csv_ops;
	c->base.src = src;
	c->base.limits = *limits;
	c->base.type = type;
	c->base.format = LINEAGE_FORMAT_CSV;
	c->base.delim = ',';
	c->line = 1;
	*out = &c->base;
	if ((rc = read_header(c)) != 0) {
		lin_reader_free(&c->base);
		*out = NULL;
	}
	return rc;
}
