/*
 * The JSON reader of live ingestion: the tree jansson's json_loadb() builds, by its rules
 * (RFC 8259; UTF-8 checked; no "\u0000"; a key twice is refused, as JSON_REJECT_DUPLICATES
 * does; an object or an array at the top; at most 2,048 levels), read in one pass over the
 * buffer. jansson reads through a stream callback a character at a time and copies every
 * string twice: on an OpenLineage event that was a quarter of the ingest's time
 * (docs/benchmarks.md). Reals are handed to jansson, for its exact conversion.
 */
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "ol_internal.h"

#define MAX_DEPTH 2048 /* jansson's JSON_PARSER_MAX_DEPTH */

typedef struct reader {
	const unsigned char *p, *end, *start;
	int depth;
	lin_strbuf scratch; /* a string with escapes, decoded */
	lin_ol_json_error *err;
} reader;

static json_t *fail(reader *r, const unsigned char *at, const char *why)
{
	if (!r->err->text) {
		r->err->text = why;
		r->err->offset = (size_t)(at - r->start);
	}
	return NULL;
}

static json_t *oom(reader *r)
{
	r->err->oom = 1;
	return fail(r, r->p, "out of memory");
}

static void skip_space(reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
		r->p++;
}

/* The length of the UTF-8 sequence at p (shortest form, no surrogates), or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xBF;
	size_t n;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
	else
		return 0;
	if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return n;
}

static int hex4(const unsigned char *p, const unsigned char *end, unsigned *out)
{
	unsigned v = 0;
	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		unsigned char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (c | 0x20) - 'a' + 10;
		else
			return -1;
	}
	*out = v;
	return 0;
}

static int put_utf8(lin_strbuf *sb, unsigned cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80)
		b[0] = (char)cp, n = 1;
	else if (cp < 0x800)
		b[0] = (char)(0xC0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	else if (cp < 0x10000)
		b[0] = (char)(0xE0 | cp >> 12), b[1] = (char)(0x80 | (cp >> 6 & 0x3F)),
		b[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
	else
		b[0] = (char)(0xF0 | cp >> 18), b[1] = (char)(0x80 | (cp >> 12 & 0x3F)),
		b[2] = (char)(0x80 | (cp >> 6 & 0x3F)), b[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
	return lin_strbuf_append(sb, b, n);
}

/* The rest of a string from its first backslash at q, decoded into r->scratch. */
static int read_escaped(reader *r, const unsigned char *s, const unsigned char *q)
{
	static const char plain[] = "\"\\/bfnrt", decoded[] = "\"\\/\b\f\n\r\t";
	lin_strbuf *sb = &r->scratch;
	lin_strbuf_reset(sb);
	if (lin_strbuf_append(sb, (const char *)s, (size_t)(q - s)))
		return oom(r), -1;
	while (q < r->end && *q != '"') {
		const unsigned char *from = q;
		unsigned cp, lo;
		const char *esc;
		size_t n;
		if (*q >= 0x20 && *q != '\\') {
			n = *q < 0x80 ? 1 : utf8_len(q, r->end);
			if (!n)
				return fail(r, q, "a string holds bytes that are not UTF-8"), -1;
			if (lin_strbuf_append(sb, (const char *)q, n))
				return oom(r), -1;
			q += n;
			continue;
		}
		if (*q < 0x20)
			return fail(r, q, "a string holds a control character: escape it (\\n, \\t, \\u0001...)"), -1;
		if (++q >= r->end)
			break;
		if (*q != 'u') {
			if (!(esc = strchr(plain, *q)) || !*q)
				return fail(r, from, "a string holds an unknown escape: use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX"), -1;
			if (lin_strbuf_putc(sb, decoded[esc - plain]))
				return oom(r), -1;
			q++;
			continue;
		}
		if (hex4(q + 1, r->end, &cp))
			return fail(r, from, "\\u must be followed by four hexadecimal digits"), -1;
		q += 5;
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (r->end - q < 6 || q[0] != '\\' || q[1] != 'u' || hex4(q + 2, r->end, &lo) ||
			    lo < 0xDC00 || lo > 0xDFFF)
				return fail(r, from, "a \\u escape is half of a surrogate pair without its other half"), -1;
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			q += 6;
		} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
			return fail(r, from, "a \\u escape is half of a surrogate pair without its other half"), -1;
		} else if (!cp) {
			return fail(r, from, "a string holds \\u0000, which is not allowed"), -1;
		}
		if (put_utf8(sb, cp))
			return oom(r), -1;
	}
	if (q >= r->end)
		return fail(r, s - 1, "a string has no closing quote"), -1;
	r->p = q + 1;
	return 0;
}

/* A string at r->p: *out points into the text (no escapes) or into r->scratch. */
static int read_string(reader *r, const char **out, size_t *len)
{
	const unsigned char *s = r->p + 1, *q = s;
	for (;;) {
		if (q >= r->end)
			return fail(r, s - 1, "a string has no closing quote"), -1;
		if (*q == '"')
			break;
		if (*q == '\\') {
			if (read_escaped(r, s, q))
				return -1;
			*out = r->scratch.len ? r->scratch.data : "";
			*len = r->scratch.len;
			return 0;
		}
		if (*q < 0x20)
			return fail(r, q, "a string holds a control character: escape it (\\n, \\t, \\u0001...)"), -1;
		if (*q < 0x80) {
			q++;
		} else {
			size_t n = utf8_len(q, r->end);
			if (!n)
				return fail(r, q, "a string holds bytes that are not UTF-8"), -1;
			q += n;
		}
	}
	*out = (const char *)s;
	*len = (size_t)(q - s);
	r->p = q + 1;
	return 0;
}

static int is_digit(const unsigned char *p, const unsigned char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

static json_t *read_number(reader *r)
{
	const unsigned char *s = r->p, *q = s;
	int real = 0, neg = *q == '-';
	uint64_t v = 0, limit;
	json_t *out;
	q += neg;
	if (!is_digit(q, r->end))
		return fail(r, s, "a number is not written as JSON writes one");
	if (*q == '0')
		q++;
	else
		while (is_digit(q, r->end))
			q++;
	if (q < r->end && *q == '.') {
		real = 1;
		if (!is_digit(++q, r->end))
			return fail(r, s, "a number has no digit after its decimal point");
		while (is_digit(q, r->end))
			q++;
	}
	if (q < r->end && (*q == 'e' || *q == 'E')) {
		real = 1;
		q++;
		if (q < r->end && (*q == '+' || *q == '-'))
			q++;
		if (!is_digit(q, r->end))
			return fail(r, s, "a number has no digit in its exponent");
		while (is_digit(q, r->end))
			q++;
	}
	r->p = q;
	if (real) {
		json_error_t e;
		out = json_loadb((const char *)s, (size_t)(q - s), JSON_DECODE_ANY, &e);
		return out ? out : fail(r, s, "a real number is out of range");
	}
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (const unsigned char *d = s + neg; d < q; d++) {
		unsigned digit = (unsigned)(*d - '0');
		if (v > (limit - digit) / 10)
			return fail(r, s, "an integer is out of the 64-bit range");
		v = v * 10 + digit;
	}
	out = json_integer(neg ? (json_int_t)(0 - v) : (json_int_t)v);
	return out ? out : oom(r);
}

static json_t *read_value(reader *r);

static json_t *read_object(reader *r)
{
	json_t *obj = json_object(), *v;
	const char *key;
	char *copy;
	size_t len;
	r->p++;
	if (!obj)
		return oom(r);
	skip_space(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		return obj;
	}
	for (;;) {
		skip_space(r);
		if (r->p >= r->end || *r->p != '"') {
			fail(r, r->p, "an object's key must be a string in double quotes");
			break;
		}
		if (read_string(r, &key, &len))
			break;
		if (json_object_getn(obj, key, len)) {
			fail(r, r->p, "an object has the same key twice");
			break;
		}
		copy = NULL;
		if (key == r->scratch.data && !(key = copy = malloc(len + 1))) {
			oom(r);
			break;
		}
		if (copy)
			memcpy(copy, r->scratch.data, len + 1);
		skip_space(r);
		if (r->p >= r->end || *r->p != ':') {
			free(copy);
			fail(r, r->p, "a key must be followed by ':' and its value");
			break;
		}
		r->p++;
		v = read_value(r);
		if (v && json_object_setn_new_nocheck(obj, key, len, v))
			oom(r), v = NULL;
		free(copy);
		if (!v)
			break;
		skip_space(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == '}') {
			r->p++;
			return obj;
		}
		fail(r, r->p, "',' or '}' expected after an object's member");
		break;
	}
	json_decref(obj);
	return NULL;
}

static json_t *read_array(reader *r)
{
	json_t *arr = json_array(), *v;
	r->p++;
	if (!arr)
		return oom(r);
	skip_space(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		return arr;
	}
	for (;;) {
		if (!(v = read_value(r)))
			break;
		if (json_array_append_new(arr, v)) {
			oom(r);
			break;
		}
		skip_space(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == ']') {
			r->p++;
			return arr;
		}
		fail(r, r->p, "',' or ']' expected after an array's item");
		break;
	}
	json_decref(arr);
	return NULL;
}

static int literal(reader *r, const char *word, size_t n)
{
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n))
		return 0;
	r->p += n;
	return 1;
}

static json_t *read_value(reader *r)
{
	const char *s;
	size_t len;
	json_t *v;
	skip_space(r);
	if (r->p >= r->end)
		return fail(r, r->p, "the text ends where a value was expected");
	switch (*r->p) {
	case '{':
	case '[':
		if (r->depth >= MAX_DEPTH)
			return fail(r, r->p, "objects and arrays nest deeper than 2,048 levels");
		r->depth++;
		v = *r->p == '{' ? read_object(r) : read_array(r);
		r->depth--;
		return v;
	case '"':
		if (read_string(r, &s, &len))
			return NULL;
		v = json_stringn_nocheck(s, len);
		return v ? v : oom(r);
	case 't':
		return literal(r, "true", 4) ? json_true() : fail(r, r->p, "an unknown word where a value was expected");
	case 'f':
		return literal(r, "false", 5) ? json_false() : fail(r, r->p, "an unknown word where a value was expected");
	case 'n':
		return literal(r, "null", 4) ? json_null() : fail(r, r->p, "an unknown word where a value was expected");
	default:
		if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
			return read_number(r);
		return fail(r, r->p, "an unexpected character where a value was expected");
	}
}

json_t *lin_ol_json_read(const char *text, size_t len, lin_ol_json_error *err)
{
	reader r;
	json_t *v = NULL;
	memset(err, 0, sizeof *err);
	memset(&r, 0, sizeof r);
	r.p = r.start = (const unsigned char *)text;
	r.end = r.p + len;
	r.err = err;
	skip_space(&r);
	if (r.p >= r.end || (*r.p != '{' && *r.p != '['))
		fail(&r, r.p, "an object '{' or an array '[' was expected");
	else if ((v = read_value(&r))) {
		skip_space(&r);
		if (r.p < r.end) {
			fail(&r, r.p, "the text goes on after the end of its value");
			json_decref(v);
			v = NULL;
		}
	}
	lin_strbuf_free(&r.scratch);
	if (!v) {
		/* Line and column (in bytes) of the offset, 1-based. */
		const char *at = text + err->offset;
		const char *nl = text;
		err->line = 1;
		for (const char *c = text; c < at; c++)
			if (*c == '\n')
				err->line++, nl = c + 1;
		err->column = (int)(at - nl) + 1;
	}
	return v;
}
