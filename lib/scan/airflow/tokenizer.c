/*
 * A Python tokenizer, good enough for DAG files: comments, every string form (quotes,
 * triple quotes, r/b/u/f prefixes), line continuations, brackets spanning lines,
 * indentation of logical lines, numbers and operators. Bracket nesting is only counted
 * here (no stack), so any depth is safe; the parser bounds it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "af_internal.h"

typedef struct tz {
	const char *src;
	size_t len, pos;
	int line, col;
	lin_arena *arena;
	const af_diag_fn *diag;
	af_token *toks;
	size_t n, cap;
	long depth;     /* open brackets */
	int line_open;  /* a logical line has tokens */
} tz;

static void diag(tz *t, int line, int col, const char *msg)
{
	if (t->diag && t->diag->fn)
		t->diag->fn(t->diag->ctx, LINEAGE_DIAG_ERROR, line, col, msg);
}

static af_token *push(tz *t, af_tok_kind kind, const char *text, size_t len, int line, int col)
{
	af_token *k;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		af_token *p = realloc(t->toks, cap * sizeof *p);
		if (!p)
			return NULL;
		t->toks = p;
		t->cap = cap;
	}
	k = &t->toks[t->n++];
	memset(k, 0, sizeof *k);
	k->kind = kind;
	k->text = text;
	k->len = len;
	k->line = line;
	k->col = col;
	return k;
}

static int is_ident_start(unsigned char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static int is_ident(unsigned char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static void advance(tz *t, size_t n)
{
	while (n-- && t->pos < t->len) {
		if (t->src[t->pos] == '\n') {
			t->line++;
			t->col = 1;
		} else {
			t->col++;
		}
		t->pos++;
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode the escapes of a non-raw literal body into `out` (at most `n` bytes written). */
static size_t decode(char *out, const char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c != '\\' || i + 1 == n) {
			out[o++] = c;
			continue;
		}
		c = s[++i];
		switch (c) {
		case '\n': break; /* continuation inside the literal */
		case 'n': out[o++] = '\n'; break;
		case 't': out[o++] = '\t'; break;
		case 'r': out[o++] = '\r'; break;
		case '\\': out[o++] = '\\'; break;
		case '\'': out[o++] = '\''; break;
		case '"': out[o++] = '"'; break;
		case '0': out[o++] = '\0'; break;
		case 'x':
			if (i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
				out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
				i += 2;
				break;
			}
			/* fall through */
		default:
			out[o++] = '\\';
			out[o++] = c;
		}
	}
	return o;
}

/* A string literal starting at t->pos (after `plen` prefix letters). */
static int lex_string(tz *t, size_t plen, int line, int col)
{
	const char *s = t->src;
	unsigned flags = 0;
	int raw = 0, triple;
	char q;
	size_t start, end, i;
	af_token *k;
	char *val;
	for (size_t p = 0; p < plen; p++) {
		char c = (char)(s[t->pos + p] | 0x20);
		if (c == 'r')
			raw = 1;
		else if (c == 'f')
			flags |= AF_STR_F;
		else if (c == 'b')
			flags |= AF_STR_BYTES;
	}
	advance(t, plen);
	q = s[t->pos];
	triple = t->pos + 2 < t->len && s[t->pos + 1] == q && s[t->pos + 2] == q;
	advance(t, triple ? 3 : 1);
	start = t->pos;
	i = start;
	for (;;) {
		if (i >= t->len) {
			diag(t, line, col, triple ? "unterminated triple-quoted string: close it with the same three quotes"
						  : "unterminated string: close the quote on the same line");
			end = i;
			break;
		}
		if (s[i] == '\\' && i + 1 < t->len) {
			i += 2;
			continue;
		}
		if (!triple && s[i] == '\n') {
			diag(t, line, col, "unterminated string: close the quote on the same line");
			end = i;
			/* The line is broken: its open brackets end with it, so that the next
			 * lines are read as statements again. */
			t->depth = 0;
			break;
		}
		if (s[i] == q && (!triple || (i + 2 < t->len && s[i + 1] == q && s[i + 2] == q))) {
			end = i;
			i += triple ? 3 : 1;
			break;
		}
		i++;
	}
	val = lin_arena_alloc(t->arena, end - start + 1);
	if (!val)
		return LINEAGE_ENOMEM;
	if (raw) {
		memcpy(val, s + start, end - start);
		k = push(t, AF_T_STRING, val, end - start, line, col);
	} else {
		k = push(t, AF_T_STRING, val, decode(val, s + start, end - start), line, col);
	}
	if (!k)
		return LINEAGE_ENOMEM;
	k->flags = flags;
	advance(t, i - t->pos);
	return 0;
}

/* Prefix letters of a string literal (r, b, u, f and two-letter combinations), or 0. */
static size_t string_prefix(const tz *t)
{
	const char *s = t->src + t->pos;
	size_t left = t->len - t->pos, n = 0;
	while (n < 2 && n < left && strchr("rRbBuUfF", s[n]) && s[n])
		n++;
	for (size_t k = 0; k <= n; k++) /* the longest prefix followed by a quote */
		if (n - k < left && (s[n - k] == '\'' || s[n - k] == '"'))
			return n - k;
	return (size_t)-1;
}

static const char *const ops3[] = {"**=", "//=", ">>=", "<<=", "...", NULL};
static const char *const ops2[] = {"->", ":=", "**", "//", ">>", "<<", "<=", ">=", "==", "!=",
				   "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", NULL};

static int lex_op(tz *t, int line, int col)
{
	const char *s = t->src + t->pos;
	size_t left = t->len - t->pos, n = 0;
	for (int i = 0; ops3[i] && !n; i++)
		if (left >= 3 && !memcmp(s, ops3[i], 3))
			n = 3;
	for (int i = 0; ops2[i] && !n; i++)
		if (left >= 2 && !memcmp(s, ops2[i], 2))
			n = 2;
	if (!n && strchr("+-*/%@&|^~<>()[]{},:.;=", *s) && *s)
		n = 1;
	if (!n) {
		char msg[96];
		snprintf(msg, sizeof msg, "unexpected character 0x%02x: not valid Python here", (unsigned char)*s);
		diag(t, line, col, msg);
		advance(t, 1);
		while (t->pos < t->len && t->src[t->pos] == *s) /* one report for a run */
			advance(t, 1);
		return 0;
	}
	if (n == 1 && strchr("([{", *s))
		t->depth++;
	else if (n == 1 && strchr(")]}", *s) && t->depth > 0)
		t->depth--;
	if (!push(t, AF_T_OP, s, n, line, col))
		return LINEAGE_ENOMEM;
	advance(t, n);
	return 0;
}

static int end_line(tz *t)
{
	if (t->line_open) {
		if (!push(t, AF_T_NEWLINE, "", 0, t->line, t->col))
			return LINEAGE_ENOMEM;
		t->line_open = 0;
	}
	return 0;
}

/* One token at t->pos (not white space, comment, newline or continuation). */
static int lex_token(tz *t)
{
	const char *src = t->src;
	unsigned char c = (unsigned char)src[t->pos];
	int line = t->line, col = t->col;
	size_t plen = string_prefix(t);
	if (plen != (size_t)-1)
		return lex_string(t, plen, line, col);
	if (is_ident_start(c)) {
		size_t p = t->pos;
		while (p < t->len && is_ident((unsigned char)src[p]))
			p++;
		if (!push(t, AF_T_NAME, src + t->pos, p - t->pos, line, col))
			return LINEAGE_ENOMEM;
		advance(t, p - t->pos);
		return 0;
	}
	if ((c >= '0' && c <= '9') ||
	    (c == '.' && t->pos + 1 < t->len && src[t->pos + 1] >= '0' && src[t->pos + 1] <= '9')) {
		size_t p = t->pos + 1;
		while (p < t->len && (is_ident((unsigned char)src[p]) || src[p] == '.' ||
				      ((src[p] == '+' || src[p] == '-') && (src[p - 1] | 0x20) == 'e')))
			p++;
		if (!push(t, AF_T_NUMBER, src + t->pos, p - t->pos, line, col))
			return LINEAGE_ENOMEM;
		advance(t, p - t->pos);
		return 0;
	}
	return lex_op(t, line, col);
}

int lin_af_tokenize(af_token **out, size_t *count, const char *src, size_t len, lin_arena *arena,
		    const af_diag_fn *dg)
{
	tz t;
	int rc = 0, at_line_start = 1, indent = 0;
	memset(&t, 0, sizeof t);
	t.src = src;
	t.len = len;
	t.line = 1;
	t.col = 1;
	t.arena = arena;
	t.diag = dg;
	*out = NULL;
	*count = 0;
	while (t.pos < t.len && !rc) {
		unsigned char c = (unsigned char)src[t.pos];
		size_t before = t.n;
		if (at_line_start) {
			at_line_start = 0;
			if (t.depth == 0 && !t.line_open) {
				/* Indentation of a new logical line (blank and comment lines have
				 * none: they push no token). */
				indent = 0;
				while (t.pos < t.len && (src[t.pos] == ' ' || src[t.pos] == '\t' || src[t.pos] == '\f')) {
					indent = src[t.pos] == '\t' ? (indent / 8 + 1) * 8 : src[t.pos] == '\f' ? 0 : indent + 1;
					advance(&t, 1);
				}
				continue;
			}
		}
		if (c == '\n' || c == '\r') {
			if (c == '\r') { /* CR LF, or a lone CR */
				t.pos += (t.pos + 1 < t.len && src[t.pos + 1] == '\n') ? 2 : 1;
				t.line++;
				t.col = 1;
			} else {
				advance(&t, 1);
			}
			if (t.depth == 0)
				rc = end_line(&t);
			at_line_start = 1;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\f') {
			advance(&t, 1);
			continue;
		}
		if (c == '#') {
			while (t.pos < t.len && src[t.pos] != '\n' && src[t.pos] != '\r')
				advance(&t, 1);
			continue;
		}
		if (c == '\\') {
			size_t p = t.pos + 1;
			if (p < t.len && src[p] == '\r')
				p++;
			if (p < t.len && src[p] == '\n') {
				/* A continuation: the logical line goes on. */
				t.pos = p + 1;
				t.line++;
				t.col = 1;
				continue;
			}
			diag(&t, t.line, t.col, "a backslash outside a string must end its line (line continuation)");
			advance(&t, 1);
			continue;
		}
		rc = lex_token(&t);
		if (t.n > before && !t.line_open) {
			t.toks[before].first = 1;
			t.toks[before].indent = indent;
			t.line_open = 1;
		}
	}
	if (!rc)
		rc = end_line(&t);
	if (!rc && !push(&t, AF_T_EOF, "", 0, t.line, t.col))
		rc = LINEAGE_ENOMEM;
	if (rc) {
		free(t.toks);
		return rc == LINEAGE_ENOMEM ? lin_error_oom() : rc;
	}
	*out = t.toks;
	*count = t.n;
	return 0;
}
