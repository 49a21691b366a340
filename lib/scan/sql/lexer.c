/*
 * The SQL tokenizer: one statement at a time, with the dialect's comments, strings and
 * quoting. It never fails on bad input: an unterminated string or comment runs to the end
 * of the input and is reported through lx->error.
 */
#include <stdlib.h>
#include <string.h>

#include "sql_internal.h"

void lin_sql_lexer_init(sql_lexer *lx, const char *src, size_t len, unsigned flags)
{
	memset(lx, 0, sizeof *lx);
	lx->src = src;
	lx->len = len;
	lx->line = 1;
	lx->flags = flags;
	lin_sql_keywords_init();
}

void lin_sql_tokvec_free(sql_tokvec *tv)
{
	free(tv->v);
	tv->v = NULL;
	tv->n = tv->cap = 0;
}

/* character classes: 1 starts an identifier, 2 continues one */
#define CC_START 1
#define CC_CONT 2
#define CC_ROW16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
static const unsigned char cclass[256] = {
	CC_ROW16(0), CC_ROW16(0),
	/* ' ' .. '/': '$' continues */
	0, 0, 0, 0, CC_CONT, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* '0'..'9' */
	CC_CONT, CC_CONT, CC_CONT, CC_CONT, CC_CONT, CC_CONT, CC_CONT, CC_CONT, CC_CONT, CC_CONT,
	0, 0, 0, 0, 0, 0,
	/* '@', 'A'..'O' */
	0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	/* 'P'..'Z', '[', '\\', ']', '^', '_' */
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 3,
	/* '`', 'a'..'o' */
	0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	/* 'p'..'z' */
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0,
	CC_ROW16(3), CC_ROW16(3), CC_ROW16(3), CC_ROW16(3),
	CC_ROW16(3), CC_ROW16(3), CC_ROW16(3), CC_ROW16(3)};

static inline int is_ident_start(unsigned char c)
{
	return cclass[c] & CC_START;
}

static inline int is_ident_char(unsigned char c)
{
	return cclass[c] & CC_CONT;
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Advance over src[pos..to), counting lines. */
static void advance_to(sql_lexer *lx, size_t to)
{
	const char *s = lx->src;
	for (size_t i = lx->pos; i < to; i++) {
		if (s[i] == '\n') {
			lx->line++;
			lx->line_start = i + 1;
		}
	}
	lx->pos = to;
}

static void lex_error(sql_lexer *lx, const char *what, uint32_t line, uint32_t col)
{
	if (!lx->error) {
		lx->error = what;
		lx->err_line = line;
		lx->err_col = col;
	}
}

/* End of a quoted run starting after the opening quote at `i`; doubled quotes stay inside.
 * Returns the index just after the closing quote, or len when unterminated (*ok = 0). */
static size_t quoted_end(const sql_lexer *lx, size_t i, char q, int backslash, int *ok)
{
	const char *s = lx->src;
	size_t n = lx->len;
	while (i < n) {
		char c = s[i];
		if (backslash && c == '\\') {
			i += 2;
			continue;
		}
		if (c == q) {
			if (i + 1 < n && s[i + 1] == q) {
				i += 2;
				continue;
			}
			*ok = 1;
			return i + 1;
		}
		i++;
	}
	*ok = 0;
	return n;
}

/* A $tag$ (or $$) opener at i: its length, or 0. */
static size_t dollar_tag(const sql_lexer *lx, size_t i)
{
	const char *s = lx->src;
	size_t j = i + 1;
	if (j < lx->len && s[j] == '$')
		return 2;
	if (!(lx->flags & DF_DOLLAR_TAG) || j >= lx->len || !is_ident_start((unsigned char)s[j]))
		return 0;
	while (j < lx->len && is_ident_char((unsigned char)s[j]) && s[j] != '$')
		j++;
	return j < lx->len && s[j] == '$' ? j - i + 1 : 0;
}

static size_t find_bytes(const char *s, size_t from, size_t n, const char *pat, size_t plen)
{
	if (plen == 0 || n < plen)
		return n;
	for (size_t i = from; i + plen <= n; i++)
		if (s[i] == pat[0] && !memcmp(s + i, pat, plen))
			return i;
	return n;
}

/* End of the string literal whose opening quote is at i (triple quotes in BigQuery). */
static size_t string_end(sql_lexer *lx, size_t i, int bs)
{
	const char *s = lx->src;
	size_t n = lx->len, end;
	char q = s[i];
	int ok = 1;
	uint32_t line = lx->line, col = (uint32_t)(i - lx->line_start + 1);
	if ((lx->flags & DF_BQ_STRINGS) && i + 2 < n && s[i + 1] == q && s[i + 2] == q) {
		char pat[3] = {q, q, q};
		size_t k = i + 3;
		for (;;) {
			k = find_bytes(s, k, n, pat, 3);
			if (k < n && bs && s[k - 1] == '\\') {
				k++;
				continue;
			}
			break;
		}
		if (k >= n) {
			ok = 0;
			end = n;
		} else {
			end = k + 3;
		}
	} else {
		end = quoted_end(lx, i + 1, q, bs, &ok);
	}
	if (!ok)
		lex_error(lx, "unterminated string literal", line, col);
	return end;
}

static int push(sql_tokvec *out, const sql_token *t)
{
	if (out->n == out->cap) {
		size_t nc = out->cap ? out->cap * 2 : 256;
		sql_token *v = realloc(out->v, nc * sizeof *v);
		if (!v)
			return -1;
		out->v = v;
		out->cap = nc;
	}
	out->v[out->n++] = *t;
	return 0;
}

/* A GO batch separator: "go" alone on its line (optionally with a count). */
static int is_go_line(const sql_lexer *lx, size_t start, size_t end, int line_first)
{
	const char *s = lx->src;
	if (!line_first || end - start != 2 || (s[start] | 32) != 'g' || (s[start + 1] | 32) != 'o')
		return 0;
	for (size_t i = end; i < lx->len && s[i] != '\n'; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && !is_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Teradata's SEL, INS, UPD, DEL: the keyword they stand for, or K_NONE. */
static int abbreviation(const char *w)
{
	char a[3] = {(char)(w[0] | 32), (char)(w[1] | 32), (char)(w[2] | 32)};
	if (!memcmp(a, "sel", 3))
		return K_select;
	if (!memcmp(a, "ins", 3))
		return K_insert;
	if (!memcmp(a, "upd", 3))
		return K_update;
	if (!memcmp(a, "del", 3))
		return K_delete;
	return K_NONE;
}

/* s[0..n) equals the lower-case word w, in any case. */
static int word_eq(const char *s, const char *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((s[i] | 32) != w[i])
			return 0;
	return 1;
}

/* Only blanks from i to the end of the line. */
static int blank_to_eol(const sql_lexer *lx, size_t i)
{
	for (; i < lx->len && lx->src[i] != '\n'; i++)
		if (lx->src[i] != ' ' && lx->src[i] != '\t' && lx->src[i] != '\r')
			return 0;
	return 1;
}

/* MySQL client's "DELIMITER xx" line at i: sets the terminator and steps past the line. */
static int is_delimiter_line(sql_lexer *lx, size_t i)
{
	const char *s = lx->src;
	size_t n = lx->len, j = i + 9, k;
	if (i + 10 > n || !word_eq(s + i, "delimiter", 9) || (s[j] != ' ' && s[j] != '\t'))
		return 0;
	while (j < n && (s[j] == ' ' || s[j] == '\t'))
		j++;
	k = j;
	while (k < n && s[k] != ' ' && s[k] != '\t' && s[k] != '\r' && s[k] != '\n')
		k++;
	if (k == j || k - j >= sizeof lx->delim)
		return 0;
	memset(lx->delim, 0, sizeof lx->delim);
	if (!(k - j == 1 && s[j] == ';'))
		memcpy(lx->delim, s + j, k - j);
	while (k < n && s[k] != '\n')
		k++;
	lx->pos = k;
	return 1;
}

/* The two-character operators: :: -> => || <= >= <> != := << >> == && #> @> <@ !~ ~~ ** */
static int is_two_char_op(unsigned char c, unsigned char d)
{
	switch (c) {
	case ':': return d == ':' || d == '=';
	case '-': return d == '>';
	case '=': return d == '>' || d == '=';
	case '|': return d == '|';
	case '<': return d == '=' || d == '>' || d == '<' || d == '@';
	case '>': return d == '=' || d == '>';
	case '!': return d == '=' || d == '~';
	case '&': return d == '&';
	case '#': return d == '>';
	case '@': return d == '>';
	case '~': return d == '~';
	case '*': return d == '*';
	default: return 0;
	}
}

int lin_sql_lex_statement(sql_lexer *lx, sql_tokvec *out)
{
	const char *s = lx->src;
	size_t n = lx->len;
	unsigned f = lx->flags;
	int nl = 1, any = 0;
	size_t stmt_start = lx->pos;
	out->n = 0;
	out->dropped = 0;
	lx->error = NULL;
	lx->batch_end = 0;
	if (lx->pos >= n)
		return 0;
	while (lx->pos < n) {
		size_t i = lx->pos;
		unsigned char c = (unsigned char)s[i];
		sql_token t;
		int ok = 1;
		size_t end;
		if (c == '\n') {
			nl = 1;
			lx->line++;
			lx->line_start = lx->pos = i + 1;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			lx->pos++;
			continue;
		}
		memset(&t, 0, sizeof t);
		t.line = lx->line;
		t.col = (uint32_t)(i - lx->line_start + 1);
		if (lx->delim[0] && i + strlen(lx->delim) <= n &&
		    !memcmp(s + i, lx->delim, strlen(lx->delim))) {
			lx->pos = i + strlen(lx->delim);
			return 1;
		}
		if (nl && (f & DF_DELIMITER) && is_delimiter_line(lx, i)) {
			if (out->n)
				return 1;
			continue;
		}
		if (nl && c == '/' && (f & DF_SLASH_LINE) && blank_to_eol(lx, i + 1)) {
			while (lx->pos < n && s[lx->pos] != '\n')
				lx->pos++;
			lx->batch_end = 1;
			return 1;
		}
		/* comments */
		if ((c == '-' && i + 1 < n && s[i + 1] == '-') || (c == '#' && (f & DF_HASH_COMMENT)) ||
		    (c == '/' && i + 1 < n && s[i + 1] == '/' && (f & DF_SLASH_COMMENT))) {
			end = i;
			while (end < n && s[end] != '\n')
				end++;
			lx->pos = end;
			continue;
		}
		if (c == '/' && i + 1 < n && s[i + 1] == '*') {
			size_t j = i + 2;
			int level = 1;
			while (j < n && level > 0) {
				if (s[j] == '*' && j + 1 < n && s[j + 1] == '/') {
					level--;
					j += 2;
				} else if ((f & DF_NESTED_COMMENT) && s[j] == '/' && j + 1 < n &&
					   s[j + 1] == '*') {
					level++;
					j += 2;
				} else {
					j++;
				}
			}
			if (level > 0)
				lex_error(lx, "unterminated comment", t.line, t.col);
			advance_to(lx, j);
			continue;
		}
		if (c == ';' && !lx->delim[0]) {
			lx->pos++;
			return 1;
		}
		t.off = i;
		t.nl = (uint8_t)nl;
		nl = 0;
		any = 1;
		/* T-SQL temporary tables: #tmp, ##global */
		if (c == '#' && (f & DF_GO) && i + 1 < n &&
		    (is_ident_char((unsigned char)s[i + 1]) || s[i + 1] == '#')) {
			size_t j = i + 1;
			while (j < n && (is_ident_char((unsigned char)s[j]) || s[j] == '#'))
				j++;
			t.type = T_WORD;
			t.len = (uint32_t)(j - i);
			lx->pos = j;
			goto emit;
		}
		/* string prefixes: E'..', N'..', X'..', B'..', r'..' (BigQuery), q'[..]' (Oracle) */
		if (is_ident_start(c)) {
			size_t j = i;
			while (j < n && is_ident_char((unsigned char)s[j]))
				j++;
			if (lx->delim[0]) /* END$$: the word stops at the DELIMITER */
				for (size_t k = i + 1; k < j; k++)
					if (s[k] == lx->delim[0] && k + strlen(lx->delim) <= n &&
					    !memcmp(s + k, lx->delim, strlen(lx->delim))) {
						j = k;
						break;
					}
			size_t wl = j - i;
			if (j < n && (s[j] == '\'' || (s[j] == '"' && (f & DF_DQ_STRING))) && wl <= 2) {
				char p0 = (char)(s[i] | 32), p1 = wl == 2 ? (char)(s[i + 1] | 32) : 0;
				int bs = (f & DF_BACKSLASH) != 0, raw = 0, prefix = 0;
				if (wl == 1 && (p0 == 'e' || p0 == 'n' || p0 == 'x' || p0 == 'b'))
					prefix = 1, bs = bs || p0 == 'e';
				if ((f & DF_BQ_STRINGS) &&
				    ((wl == 1 && p0 == 'r') || (wl == 2 && ((p0 == 'r' && p1 == 'b') ||
									(p0 == 'b' && p1 == 'r')))))
					prefix = 1, raw = 1;
				if ((f & DF_Q_QUOTE) && wl == 1 && p0 == 'q' && s[j] == '\'' &&
				    j + 1 < n) {
					char open = s[j + 1], close = open;
					if (open == '[') close = ']';
					else if (open == '(') close = ')';
					else if (open == '{') close = '}';
					else if (open == '<') close = '>';
					size_t k = j + 2;
					while (k + 1 < n && !(s[k] == close && s[k + 1] == '\''))
						k++;
					if (k + 1 >= n) {
						lex_error(lx, "unterminated string literal", t.line, t.col);
						k = n;
					} else {
						k += 2;
					}
					t.type = T_STRING;
					t.len = (uint32_t)(k - i);
					advance_to(lx, k);
					goto emit;
				}
				if (prefix) {
					end = string_end(lx, j, raw ? 0 : bs);
					t.type = T_STRING;
					t.len = (uint32_t)(end - t.off);
					advance_to(lx, end);
					goto emit;
				}
			}
			if (f & DF_GO && is_go_line(lx, i, j, t.nl || out->n == 0)) {
				lx->pos = j;
				while (lx->pos < n && s[lx->pos] != '\n')
					lx->pos++;
				lx->batch_end = 1;
				return 1;
			}
			t.type = T_WORD;
			t.len = (uint32_t)wl;
			t.kw = (uint16_t)lin_sql_keyword(s + i, wl);
			if (wl == 3 && (f & DF_ABBREV) && !t.kw) {
				/* SEL anywhere; INS, UPD, DEL only where a statement starts */
				int k = abbreviation(s + i);
				if (k == K_select || out->n == 0)
					t.kw = (uint16_t)k;
			}
			lx->pos = j;
			goto emit;
		}
		if (c == '\'' || (c == '"' && (f & DF_DQ_STRING))) {
			end = string_end(lx, i, (f & DF_BACKSLASH) != 0);
			t.type = T_STRING;
			t.len = (uint32_t)(end - t.off);
			advance_to(lx, end);
			goto emit;
		}
		if (c == '"' || c == '`' || (c == '[' && (f & DF_BRACKET_ID))) {
			char q = c == '[' ? ']' : (char)c;
			end = quoted_end(lx, i + 1, q, 0, &ok);
			if (!ok)
				lex_error(lx, "unterminated quoted identifier", t.line, t.col);
			t.type = T_QIDENT;
			t.quote = (uint8_t)q;
			t.off = i + 1;
			t.len = (uint32_t)(ok ? end - i - 2 : end - i - 1);
			advance_to(lx, end);
			goto emit;
		}
		if (is_digit(c) || (c == '.' && i + 1 < n && is_digit((unsigned char)s[i + 1]))) {
			size_t j = i;
			if (c == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
				j += 2;
				while (j < n && is_ident_char((unsigned char)s[j]))
					j++;
			} else {
				while (j < n && (is_digit((unsigned char)s[j]) || s[j] == '.' || s[j] == '_'))
					j++;
				if (j < n && (s[j] == 'e' || s[j] == 'E')) {
					size_t k = j + 1;
					if (k < n && (s[k] == '+' || s[k] == '-'))
						k++;
					if (k < n && is_digit((unsigned char)s[k])) {
						j = k;
						while (j < n && is_digit((unsigned char)s[j]))
							j++;
					}
				}
				/* type suffixes such as 10L, 1.5BD (Spark) */
				while (j < n && (is_ident_char((unsigned char)s[j])))
					j++;
			}
			t.type = T_NUMBER;
			t.len = (uint32_t)(j - i);
			lx->pos = j;
			goto emit;
		}
		if (c == '$') {
			size_t tag = (f & DF_DOLLAR) ? dollar_tag(lx, i) : 0;
			if (tag) {
				size_t k = find_bytes(s, i + tag, n, s + i, tag);
				if (k >= n) {
					lex_error(lx, "unterminated dollar-quoted string", t.line, t.col);
					end = n;
				} else {
					end = k + tag;
				}
				t.type = T_STRING;
				t.len = (uint32_t)(end - i);
				advance_to(lx, end);
				goto emit;
			}
			size_t j = i + 1;
			if (j < n && s[j] == '{') { /* ${var} templates */
				while (j < n && s[j] != '}' && s[j] != '\n')
					j++;
				if (j < n && s[j] == '}')
					j++;
			} else {
				while (j < n && is_ident_char((unsigned char)s[j]))
					j++;
			}
			t.type = T_PARAM;
			t.len = (uint32_t)(j - i);
			lx->pos = j;
			goto emit;
		}
		/* :name bind parameters (not a::b casts, not col:path right after a name) */
		if (c == ':' && i + 1 < n && is_ident_start((unsigned char)s[i + 1]) &&
		    (i == 0 || !(is_ident_char((unsigned char)s[i - 1]) || s[i - 1] == ':' ||
				 s[i - 1] == ')' || s[i - 1] == ']' || s[i - 1] == '"' ||
				 s[i - 1] == '`' || s[i - 1] == '\''))) {
			size_t j = i + 1;
			while (j < n && is_ident_char((unsigned char)s[j]))
				j++;
			t.type = T_PARAM;
			t.len = (uint32_t)(j - i);
			lx->pos = j;
			goto emit;
		}
		if (c == '@' || c == '?') {
			size_t j = i + 1;
			if (c == '@') {
				while (j < n && (is_ident_char((unsigned char)s[j]) || s[j] == '@' ||
						 s[j] == '/' || s[j] == '%' || s[j] == '~' ||
						 (s[j] == '.' && j + 1 < n &&
						  is_ident_char((unsigned char)s[j + 1])) ||
						 s[j] == '-'))
					j++;
			}
			t.type = T_PARAM;
			t.len = (uint32_t)(j - i);
			lx->pos = j;
			goto emit;
		}
		/* operators */
		t.type = T_OP;
		t.len = 1;
		t.op = (uint16_t)c;
		if (i + 1 < n && is_two_char_op(c, (unsigned char)s[i + 1])) {
			t.len = 2;
			t.op = OP2(c, s[i + 1]);
			if (i + 2 < n && s[i + 2] == '>' && (c == '-' || c == '#'))
				t.len = 3; /* ->> and #>> */
		}
		lx->pos = i + t.len;
emit:
		if (out->max && t.off - stmt_start > out->max) {
			out->dropped++;
			continue;
		}
		if (push(out, &t) < 0)
			return -1;
	}
	(void)any;
	return 1;
}
