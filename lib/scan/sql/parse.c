/* Parser helpers shared by the statement, query and expression parsers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql_internal.h"


void lin_sql_fail(sql_parser *p, const sql_token *at, const char *fmt, ...)
{
	char buf[400], near[48];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (at->type == T_EOF) {
		snprintf(near, sizeof near, "the end of the statement");
	} else {
		unsigned l = at->len > 30 ? 30 : at->len;
		size_t off = at->type == T_QIDENT ? at->off - 1 : at->off;
		char tok[32];
		size_t k = 0;
		for (unsigned i = 0; i < l && k < sizeof tok - 1; i++) {
			unsigned char c = (unsigned char)p->src[off + i];
			tok[k++] = (char)(c < 0x20 || c >= 0x7f ? '?' : c);
		}
		tok[k] = '\0';
		snprintf(near, sizeof near, "\"%s\"", tok);
	}
	uint32_t line = at->type == T_EOF && p->n ? p->t[p->n - 1].line : at->line;
	uint32_t col = at->type == T_EOF && p->n ? p->t[p->n - 1].col : at->col;
	if (lin_sql_diag(p->sc, p->stmt, line, col, LINEAGE_SQL_ERROR,
			 "%s near %s; statement skipped", buf, near) < 0)
		p->fail = 2;
	else
		p->fail = 1;
	longjmp(p->jb, 1);
}

void lin_sql_oom(sql_parser *p)
{
	p->fail = 2;
	longjmp(p->jb, 1);
}

/* Out of memory or over the statement's limit: the parse fails with the reason. */
static void alloc_failed(sql_parser *p, size_t size)
{
	if (p->arena->limit && p->arena->used_total + size > p->arena->limit) {
		const sql_token *at = lin_sql_peek(p, 0);
		lin_sql_fail(p, at, "statement too complex for lineage analysis "
				    "(more than %zu MiB of working memory)",
			     p->arena->limit >> 20);
	}
	lin_sql_oom(p);
}

void *lin_sql_alloc(sql_parser *p, size_t size)
{
	void *v = lin_arena_alloc(p->arena, size);
	if (!v)
		alloc_failed(p, size);
	return v;
}

void *lin_sql_alloc_uninit(sql_parser *p, size_t size)
{
	void *v = lin_arena_alloc_uninit(p->arena, size);
	if (!v)
		alloc_failed(p, size);
	return v;
}

const char *lin_sql_ident(sql_parser *p, const sql_token *t)
{
	char *s;
	if (t->type == T_QIDENT) {
		const char *in = p->src + t->off;
		size_t k = 0;
		int has_lower = 0;
		s = lin_sql_alloc_uninit(p, (size_t)t->len + 1);
		for (uint32_t i = 0; i < t->len; i++) {
			char c = in[i];
			if (c == (char)t->quote && i + 1 < t->len && in[i + 1] == (char)t->quote)
				i++;
			s[k++] = c;
			has_lower |= c >= 'a' && c <= 'z';
		}
		s[k] = '\0';
		if ((p->flags & DF_CI_QUOTED) || ((p->flags & DF_UPPER_FOLD) && !has_lower))
			for (size_t i = 0; i < k; i++)
				if (s[i] >= 'A' && s[i] <= 'Z')
					s[i] = (char)(s[i] + 32);
		return s;
	}
	s = lin_sql_alloc_uninit(p, (size_t)t->len + 1);
	for (uint32_t i = 0; i < t->len; i++) {
		char c = p->src[t->off + i];
		s[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	s[t->len] = '\0';
	return s;
}

static int ref_cmp(const void *a, const void *b)
{
	sql_ref x = *(const sql_ref *)a, y = *(const sql_ref *)b;
	return x < y ? -1 : x > y;
}

static int sorted_has(const sql_refset *s, sql_ref r)
{
	uint32_t lo = 0, hi = s->nsorted;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (s->v[mid] == r)
			return 1;
		if (s->v[mid] < r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

#define REFSET_TAIL 32

void lin_sql_refset_add(sql_parser *p, sql_refset *s, sql_ref r)
{
	if (sorted_has(s, r))
		return;
	for (uint32_t i = s->nsorted; i < s->n; i++)
		if (s->v[i] == r)
			return;
	if (s->n == s->cap) {
		uint32_t nc = s->cap ? s->cap * 2 : 4;
		if (nc > (1u << 26))
			lin_sql_fail(p, lin_sql_peek(p, 0),
				     "statement too complex: a column depends on too many columns");
		sql_ref *v = lin_sql_alloc_uninit(p, (size_t)nc * sizeof *v); /* read below n only */
		if (s->n)
			memcpy(v, s->v, (size_t)s->n * sizeof *v);
		s->v = v;
		s->cap = nc;
	}
	s->v[s->n++] = r;
	if (s->n - s->nsorted >= REFSET_TAIL) {
		/* fold the tail into the sorted part (entries are distinct) */
		qsort(s->v, s->n, sizeof *s->v, ref_cmp);
		s->nsorted = s->n;
	}
}

void lin_sql_refset_merge(sql_parser *p, sql_refset *dst, const sql_refset *src)
{
	if (dst == src)
		return;
	uint32_t n = src->n; /* src may be dst's sibling sharing nothing */
	for (uint32_t i = 0; i < n; i++)
		lin_sql_refset_add(p, dst, src->v[i]);
}

void lin_sql_enter(sql_parser *p, const sql_token *at)
{
	if (p->depth + 1 >= p->max_depth)
		lin_sql_fail(p, at, "nested too deep (more than %u levels of parentheses, "
				    "subqueries or CASE)",
			     p->max_depth);
	p->depth++;
}

void lin_sql_leave(sql_parser *p)
{
	if (p->depth)
		p->depth--;
}

void lin_sql_skip_balanced(sql_parser *p)
{
	int d = 0;
	while (p->pos < p->n) {
		const sql_token *t = &p->t[p->pos];
		p->pos++;
		if (t->type == T_OP && (t->op == '(' || t->op == '['))
			d++;
		else if (t->type == T_OP && (t->op == ')' || t->op == ']')) {
			if (--d <= 0)
				return;
		}
		if (d == 0)
			return;
	}
}

static void add_id(sql_parser *p, uint32_t **v, uint32_t *n, uint32_t *cap, uint32_t id)
{
	for (uint32_t i = 0; i < *n; i++)
		if ((*v)[i] == id)
			return;
	if (*n == *cap) {
		uint32_t nc = *cap ? *cap * 2 : 8;
		uint32_t *nv = lin_sql_alloc(p, nc * sizeof *nv);
		if (*n)
			memcpy(nv, *v, *n * sizeof *nv);
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = id;
}

void lin_sql_note_read(sql_parser *p, uint32_t tid)
{
	sql_table *t = &p->sc->tables[tid];
	/* a mark per table and statement keeps this O(1) however many tables a statement reads
	 * (statement indexes are never reused, so a failed statement's marks are harmless) */
	if (t->read_mark == p->stmt + 1)
		return;
	t->read_mark = p->stmt + 1;
	if (p->nreads == p->creads) {
		uint32_t nc = p->creads ? p->creads * 2 : 8;
		uint32_t *nv = lin_sql_alloc(p, nc * sizeof *nv);
		if (p->nreads)
			memcpy(nv, p->reads, p->nreads * sizeof *nv);
		p->reads = nv;
		p->creads = nc;
	}
	p->reads[p->nreads++] = tid;
}

void lin_sql_note_write(sql_parser *p, uint32_t tid)
{
	add_id(p, &p->writes, &p->nwrites, &p->cwrites, tid);
}

void lin_sql_note_rename(sql_parser *p, uint32_t from, uint32_t to)
{
	uint32_t *v = lin_sql_alloc(p, (size_t)(p->nrenames + 1) * 2 * sizeof *v);
	if (p->nrenames)
		memcpy(v, p->renames, (size_t)p->nrenames * 2 * sizeof *v);
	v[2 * p->nrenames] = from;
	v[2 * p->nrenames + 1] = to;
	p->renames = v;
	p->nrenames++;
}
