/* Queries: WITH, SELECT, VALUES, set operations, and the FROM clause. */
#include <stdio.h>
#include <string.h>

#include "sql_internal.h"

sql_query *lin_sql_query_new(sql_parser *p, sql_query *parent, sql_refset *parent_dest)
{
	sql_query *q = lin_sql_alloc(p, sizeof *q);
	q->parent = parent;
	q->parent_dest = parent_dest;
	q->ctes = p->ctes;
	q->parent_item = -1;
	q->has_wild = -1;
	return q;
}

#define MAX_FROM_ITEMS 1024

static void add_src(sql_parser *p, sql_query *q, sql_src *s)
{
	if (q->nsrcs >= MAX_FROM_ITEMS)
		lin_sql_fail(p, lin_sql_peek(p, 0),
			     "more than %d tables in one FROM clause", MAX_FROM_ITEMS);
	if (q->nsrcs == q->csrcs) {
		int nc = q->csrcs ? q->csrcs * 2 : 4;
		sql_src **v = lin_sql_alloc(p, (size_t)nc * sizeof *v);
		if (q->nsrcs)
			memcpy(v, q->srcs, (size_t)q->nsrcs * sizeof *v);
		q->srcs = v;
		q->csrcs = nc;
	}
	q->srcs[q->nsrcs++] = s;
}

static sql_item *add_item(sql_parser *p, sql_query *q)
{
	if (q->nitems == q->citems) {
		int nc = q->citems ? q->citems * 2 : 8;
		sql_item **v = lin_sql_alloc(p, (size_t)nc * sizeof *v);
		if (q->nitems)
			memcpy(v, q->items, (size_t)q->nitems * sizeof *v);
		q->items = v;
		q->citems = nc;
	}
	sql_item *it = lin_sql_alloc(p, sizeof *it);
	q->items[q->nitems++] = it;
	return it;
}

int lin_sql_query_starts(sql_parser *p, size_t ahead)
{
	const sql_token *t = lin_sql_peek(p, ahead);
	size_t k = ahead;
	/* ((SELECT ...) UNION ...) */
	while (lin_sql_is_op(t, '(') && k < ahead + 64)
		t = lin_sql_peek(p, ++k);
	size_t wrapped = k - ahead + (ahead > 0 && lin_sql_is_op(lin_sql_peek(p, ahead - 1), '('));
	if (wrapped >= 2 && (lin_sql_is_kw(t, K_select) || lin_sql_is_kw(t, K_with))) {
		/* (SELECT ...) must close into a ) or a set operation, not go on as an
		 * expression: f((SELECT a), (SELECT b)), ((SELECT a) + 1) */
		size_t i = p->pos + k;
		int d = 1;
		for (size_t guard = 0; i < p->n && guard < 4096; i++, guard++) {
			if (lin_sql_is_op(&p->t[i], '('))
				d++;
			else if (lin_sql_is_op(&p->t[i], ')') && --d == 0)
				break;
		}
		if (d == 0 && i + 1 < p->n) {
			const sql_token *after = &p->t[i + 1];
			if (!(lin_sql_is_op(after, ')') || lin_sql_is_kw(after, K_union) ||
			      lin_sql_is_kw(after, K_except) || lin_sql_is_kw(after, K_intersect) ||
			      lin_sql_is_kw(after, K_minus) || lin_sql_is_kw(after, K_order) ||
			      lin_sql_is_kw(after, K_limit)))
				return 0;
		}
	}
	if (lin_sql_is_kw(t, K_table) && k == ahead && ahead > 0 &&
	    (lin_sql_is_kw(lin_sql_peek(p, ahead - 1), K_as) || lin_sql_is_op(lin_sql_peek(p, ahead - 1), '(')) &&
	    lin_sql_is_ident(lin_sql_peek(p, ahead + 1)))
		return 1; /* AS TABLE t */
	return lin_sql_is_kw(t, K_select) || lin_sql_is_kw(t, K_with) ||
	       (lin_sql_is_kw(t, K_values) && k == ahead && lin_sql_is_op(lin_sql_peek(p, k + 1), '(')) ||
	       (lin_sql_is_kw(t, K_from) && k == ahead &&
		!lin_sql_is_kw(lin_sql_peek(p, ahead > 0 ? ahead - 1 : 0), K_distinct));
}

const char **lin_sql_parse_name(sql_parser *p, int *nparts, const sql_token **first)
{
	const char *tmp[16];
	int n = 0;
	*first = lin_sql_cur(p);
	for (;;) {
		const sql_token *t = lin_sql_cur(p);
		if (t->type == T_QIDENT && t->quote == '`' && (p->flags & DF_BQ_STRINGS)) {
			/* BigQuery: `project.dataset.table` is three parts */
			const char *id = lin_sql_ident(p, t);
			const char *s = id;
			for (;;) {
				const char *dot = strchr(s, '.');
				size_t l = dot ? (size_t)(dot - s) : strlen(s);
				if (n < 16)
					tmp[n++] = lin_arena_strndup(p->arena, s, l);
				if (!dot)
					break;
				s = dot + 1;
			}
		} else if (t->type == T_PARAM && t->len > 1 &&
			   (p->src[t->off] == '$' || (p->src[t->off] == '@' && (p->flags & DF_GO)))) {
			/* $1 templates; T-SQL table variables @t */
			char *v = lin_arena_strndup(p->arena, p->src + t->off, t->len);
			if (!v)
				lin_sql_oom(p);
			for (char *c = v; p->src[t->off] == '@' && *c; c++)
				if (*c >= 'A' && *c <= 'Z')
					*c = (char)(*c + 32);
			tmp[n < 16 ? n++ : 15] = v;
		} else if (lin_sql_is_ident(t)) {
			if (n < 16)
				tmp[n++] = lin_sql_ident(p, t);
		} else {
			break;
		}
		p->pos++;
		if (!lin_sql_is_op(lin_sql_cur(p), '.'))
			break;
		p->pos++;
		while (lin_sql_is_op(lin_sql_cur(p), '.')) /* T-SQL db..table */
			p->pos++;
	}
	if (n == 0)
		lin_sql_fail(p, lin_sql_cur(p), "expected a table name");
	const char **parts = lin_sql_alloc(p, (size_t)n * sizeof *parts);
	memcpy(parts, tmp, (size_t)n * sizeof *parts);
	*nparts = n;
	return parts;
}

uint32_t lin_sql_table_of(sql_parser *p, const char **parts, int nparts, const sql_token *at)
{
	uint32_t tid = lin_sql_table(p->sc, parts, nparts, 0, p->stmt, at->line, at->col);
	if (tid == UINT32_MAX)
		lin_sql_oom(p);
	return tid;
}

static int is_tsql_hint(sql_parser *p, const sql_token *t)
{
	static const char *const hints[] = {
		"nolock", "readuncommitted", "readcommitted", "repeatableread", "serializable",
		"holdlock", "updlock", "xlock", "rowlock", "paglock", "tablock", "tablockx",
		"readpast", "nowait", "index", "forceseek", "forcescan", "noexpand", NULL};
	for (const char *const *h = hints; *h; h++)
		if (lin_sql_word_is(p, t, *h))
			return 1;
	return 0;
}

/* format.`path` (Spark, Databricks): a file source; the token before the cursor is the
 * quoted path. */
static int spark_file_source(sql_parser *p, const char **parts, const sql_token *first)
{
	static const char *const formats[] = {"parquet", "csv", "json", "orc", "delta", "avro",
					      "text", "binaryfile", "jdbc", NULL};
	const sql_token *path = &p->t[p->pos - 1];
	if (!(p->flags & DF_LAMBDA) || path->type != T_QIDENT || path->quote != '`' ||
	    first == path)
		return 0;
	const char *v = p->src + path->off;
	if (!(path->len && (v[0] == '/' || memchr(v, ':', path->len))))
		return 0;
	for (const char *const *f = formats; *f; f++)
		if (!strcmp(parts[0], *f))
			return 1;
	return 0;
}

static sql_cte *find_cte(sql_parser *p, const char *name)
{
	for (sql_cte *c = p->ctes; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

sql_src *lin_sql_add_table_src(sql_parser *p, sql_query *q, const char **parts, int nparts,
			       const sql_token *at, int read)
{
	sql_src *s = lin_sql_alloc(p, sizeof *s);
	sql_cte *c = nparts == 1 ? find_cte(p, parts[0]) : NULL;
	s->parts = parts;
	s->nparts = nparts;
	if (c) {
		s->kind = S_DERIVED;
		s->q = c->q;
		s->cte = c;
	} else {
		s->kind = S_TABLE;
		s->tid = lin_sql_table_of(p, parts, nparts, at);
		if (read)
			lin_sql_note_read(p, s->tid);
	}
	if (q)
		add_src(p, q, s);
	return s;
}

static int alias_word(const sql_token *t)
{
	if (t->type == T_QIDENT)
		return 1;
	if (t->type != T_WORD)
		return 0;
	return !(lin_sql_keyword_flags(t->kw) & (KF_CLAUSE | KF_OP));
}

const char **lin_sql_ident_list(sql_parser *p, int *n)
{
	/* at '(': (a, b, c) — identifiers, anything else skipped */
	const char *tmp[256];
	int k = 0, depth = 0;
	p->pos++;
	for (;;) {
		const sql_token *t = lin_sql_cur(p);
		if (t->type == T_EOF)
			break;
		if (lin_sql_is_op(t, '(')) {
			depth++;
		} else if (lin_sql_is_op(t, ')')) {
			if (depth == 0) {
				p->pos++;
				break;
			}
			depth--;
		} else if (depth == 0 && lin_sql_is_ident(t) &&
			   (lin_sql_is_op(lin_sql_peek(p, -1 + 0), '(') || 1)) {
			const sql_token *prev = &p->t[p->pos - 1];
			if ((lin_sql_is_op(prev, '(') || lin_sql_is_op(prev, ',')) && k < 256)
				tmp[k++] = lin_sql_ident(p, t);
		}
		p->pos++;
	}
	const char **v = lin_sql_alloc(p, (size_t)(k ? k : 1) * sizeof *v);
	memcpy(v, tmp, (size_t)k * sizeof *v);
	*n = k;
	return v;
}

void lin_sql_parse_alias(sql_parser *p, sql_src *s)
{
	const sql_token *t = lin_sql_cur(p);
	if (lin_sql_is_kw(t, K_as)) {
		p->pos++;
		t = lin_sql_cur(p);
		if (lin_sql_is_ident(t) || t->type == T_STRING) {
			s->alias = t->type == T_STRING ? lin_arena_strndup(p->arena, p->src + t->off + 1,
									   t->len >= 2 ? t->len - 2 : 0)
						       : lin_sql_ident(p, t);
			p->pos++;
		}
	} else if (alias_word(t) && !lin_sql_is_op(lin_sql_peek(p, 1), '(') &&
		   !(lin_sql_word_is(p, t, "start") && lin_sql_is_kw(lin_sql_peek(p, 1), K_with)) &&
		   !(lin_sql_is_kw(t, K_array) && lin_sql_is_kw(lin_sql_peek(p, 1), K_join)) &&
		   !(t->type == T_WORD && (lin_sql_word_is(p, t, "final") || lin_sql_word_is(p, t, "changes") ||
					   lin_sql_word_is(p, t, "before") || lin_sql_word_is(p, t, "settings")))) {
		s->alias = lin_sql_ident(p, t);
		p->pos++;
	} else if (alias_word(t) && lin_sql_is_op(lin_sql_peek(p, 1), '(') &&
		   lin_sql_is_ident(lin_sql_peek(p, 2)) &&
		   (lin_sql_is_op(lin_sql_peek(p, 3), ',') || lin_sql_is_op(lin_sql_peek(p, 3), ')')) &&
		   !lin_sql_word_is(p, t, "at") && !lin_sql_word_is(p, t, "before") && !lin_sql_is_kw(t, K_with)) {
		s->alias = lin_sql_ident(p, t); /* alias(c1, c2) */
		p->pos++;
	}
	if (s->alias && lin_sql_is_op(lin_sql_cur(p), '('))
		s->colaliases = lin_sql_ident_list(p, &s->ncolaliases);
}

static void scan_list(sql_parser *p, sql_query *q, sql_refset *dest)
{
	for (;;) {
		lin_sql_scan_expr(p, q, dest, -1, EX_LIST, NULL);
		if (!lin_sql_is_op(lin_sql_cur(p), ','))
			break;
		p->pos++;
	}
}

/* FROM items that are functions: UNNEST(...), FLATTEN(...), generate_series(...) */
static sql_src *func_src(sql_parser *p, sql_query *q)
{
	sql_src *s = lin_sql_alloc(p, sizeof *s);
	sql_rawref *before = q->refs_tail;
	s->kind = S_FUNC;
	add_src(p, q, s);
	/* arguments: scanned as one expression whose references feed the function's columns */
	lin_sql_scan_expr(p, q, &s->set, -1, EX_LIST, NULL);
	for (sql_rawref *r = before ? before->next : q->refs; r; r = r->next)
		r->early = 1;
	return s;
}

static void parse_from_item(sql_parser *p, sql_query *q);

static int join_start(sql_parser *p)
{
	const sql_token *t = lin_sql_cur(p);
	if (t->type != T_WORD)
		return 0;
	switch (t->kw) {
	case K_join: case K_inner: case K_left: case K_right: case K_full: case K_cross:
	case K_natural: case K_straight_join: case K_anti: case K_semi: case K_outer:
		return 1;
	case K_lateral:
		return 1;
	default:
		break;
	}
	return lin_sql_word_is(p, t, "asof") || lin_sql_word_is(p, t, "positional") ||
	       (lin_sql_word_is(p, t, "global") && (lin_sql_is_kw(lin_sql_peek(p, 1), K_join) ||
					    lin_sql_is_kw(lin_sql_peek(p, 1), K_left) ||
					    lin_sql_is_kw(lin_sql_peek(p, 1), K_inner) ||
					    lin_sql_is_kw(lin_sql_peek(p, 1), K_any)));
}

/* After a FROM item: pivots, time travel, sampling, hints. */
static void item_suffixes(sql_parser *p, sql_query *q, sql_src *s)
{
	for (;;) {
		const sql_token *t = lin_sql_cur(p);
		if ((lin_sql_is_kw(t, K_at) || lin_sql_word_is(p, t, "before") || lin_sql_word_is(p, t, "changes")) &&
		    lin_sql_is_op(lin_sql_peek(p, 1), '(')) {
			p->pos++;
			lin_sql_skip_balanced(p);
		} else if (lin_sql_is_kw(t, K_for) && (lin_sql_word_is(p, lin_sql_peek(p, 1), "system_time") ||
						       lin_sql_is_kw(lin_sql_peek(p, 1), K_timestamp) ||
						       lin_sql_word_is(p, lin_sql_peek(p, 1), "version") ||
						       lin_sql_word_is(p, lin_sql_peek(p, 1), "system_version"))) {
			p->pos += 2;
			lin_sql_accept_kw(p, K_as);
			if (lin_sql_word_is(p, lin_sql_cur(p), "of"))
				p->pos++;
			lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST, NULL);
		} else if ((lin_sql_is_kw(t, K_timestamp) || lin_sql_word_is(p, t, "version")) &&
			   lin_sql_is_kw(lin_sql_peek(p, 1), K_as)) {
			p->pos += 3; /* Delta: TIMESTAMP AS OF x */
			lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST, NULL);
		} else if (lin_sql_is_kw(t, K_tablesample) || lin_sql_is_kw(t, K_sample)) {
			p->pos++;
			while (lin_sql_is_ident(lin_sql_cur(p)) && !lin_sql_is_op(lin_sql_cur(p), '('))
				p->pos++;
			if (lin_sql_is_op(lin_sql_cur(p), '('))
				lin_sql_skip_balanced(p);
			if (lin_sql_word_is(p, lin_sql_cur(p), "repeatable") || lin_sql_word_is(p, lin_sql_cur(p), "seed")) {
				p->pos++;
				if (lin_sql_is_op(lin_sql_cur(p), '('))
					lin_sql_skip_balanced(p);
			}
		} else if (lin_sql_is_kw(t, K_with) && lin_sql_is_op(lin_sql_peek(p, 1), '(') &&
			   (p->flags & DF_GO)) {
			p->pos++; /* WITH (NOLOCK) */
			lin_sql_skip_balanced(p);
		} else if (lin_sql_word_is(p, t, "final") && !s->alias) {
			p->pos++;
		} else if ((lin_sql_is_kw(t, K_pivot) || lin_sql_is_kw(t, K_unpivot))) {
			p->pos++;
			if (lin_sql_word_is(p, lin_sql_cur(p), "include") || lin_sql_word_is(p, lin_sql_cur(p), "exclude"))
				p->pos += 2; /* INCLUDE NULLS */
			if (lin_sql_is_op(lin_sql_cur(p), '(')) {
				/* the pivot's columns: best effort, they shape the rows */
				p->pos++;
				sql_src tmp = *s;
				(void)tmp;
				int d = 0;
				while (lin_sql_cur(p)->type != T_EOF) {
					if (lin_sql_is_op(lin_sql_cur(p), '('))
						d++;
					if (lin_sql_is_op(lin_sql_cur(p), ')')) {
						if (d == 0)
							break;
						d--;
					}
					if (lin_sql_is_ident(lin_sql_cur(p)) &&
					    !(lin_sql_keyword_flags(lin_sql_cur(p)->kw) & (KF_CLAUSE | KF_OP)) &&
					    !lin_sql_is_op(lin_sql_peek(p, 1), '(')) {
						lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST, NULL);
						continue;
					}
					p->pos++;
				}
				if (lin_sql_is_op(lin_sql_cur(p), ')'))
					p->pos++;
			}
			lin_sql_diag(p->sc, p->stmt, t->line, t->col, LINEAGE_SQL_INFO,
				     "%s: output columns are taken as the input's (best effort)",
				     lin_sql_is_kw(t, K_pivot) ? "PIVOT" : "UNPIVOT");
			sql_src tmp = {0};
			lin_sql_parse_alias(p, &tmp);
			if (tmp.alias)
				s->alias = tmp.alias;
		} else if (lin_sql_word_is(p, t, "match_recognize") && lin_sql_is_op(lin_sql_peek(p, 1), '(')) {
			p->pos++;
			lin_sql_skip_balanced(p);
			sql_src tmp = {0};
			lin_sql_parse_alias(p, &tmp);
		} else {
			break;
		}
	}
}

void lin_sql_parse_join_tail(sql_parser *p, sql_query *q);

static void parse_from_item(sql_parser *p, sql_query *q)
{
	const sql_token *t = lin_sql_cur(p);
	sql_src *s = NULL;
	lin_sql_enter(p, t);
	lin_sql_accept_kw(p, K_lateral);
	if (lin_sql_is_kw(lin_sql_cur(p), K_only))
		p->pos++;
	t = lin_sql_cur(p);
	if (lin_sql_is_op(t, '(')) {
		if (lin_sql_query_starts(p, 1)) {
			p->pos++;
			p->sub_item = -1;
			sql_query *sub = lin_sql_parse_query(p, q, &p->indirect);
			if (!lin_sql_is_op(lin_sql_cur(p), ')'))
				lin_sql_fail(p, lin_sql_cur(p), "expected ')' after the subquery in FROM");
			p->pos++;
			s = lin_sql_alloc(p, sizeof *s);
			s->kind = S_DERIVED;
			s->q = sub;
			add_src(p, q, s);
		} else {
			/* a parenthesized join: its tables join this scope */
			p->pos++;
			parse_from_item(p, q);
			lin_sql_parse_join_tail(p, q);
			if (!lin_sql_is_op(lin_sql_cur(p), ')'))
				lin_sql_fail(p, lin_sql_cur(p), "expected ')' to close the parenthesized join");
			p->pos++;
			sql_src tmp = {0};
			lin_sql_parse_alias(p, &tmp);
			lin_sql_leave(p);
			return;
		}
	} else if (lin_sql_is_kw(t, K_values)) {
		p->sub_item = -1;
		sql_query *vq = lin_sql_parse_query(p, q, &p->indirect);
		s = lin_sql_alloc(p, sizeof *s);
		s->kind = S_DERIVED;
		s->q = vq;
		add_src(p, q, s);
	} else if (t->type == T_PARAM && p->src[t->off] == '@' && !(p->flags & DF_GO)) {
		/* Snowflake stage */
		const char *name = lin_arena_strndup(p->arena, p->src + t->off, t->len);
		uint32_t tid = lin_sql_table(p->sc, &name, 1, 1, p->stmt, t->line, t->col);
		if (tid == UINT32_MAX)
			lin_sql_oom(p);
		lin_sql_note_read(p, tid);
		p->pos++;
		s = lin_sql_alloc(p, sizeof *s);
		s->kind = S_TABLE;
		s->tid = tid;
		s->parts = lin_sql_alloc(p, sizeof *s->parts);
		s->parts[0] = name;
		s->nparts = 1;
		add_src(p, q, s);
		if (lin_sql_is_op(lin_sql_cur(p), '('))
			lin_sql_skip_balanced(p); /* (FILE_FORMAT => ...) */
	} else if (t->type == T_STRING) {
		/* a file read directly (DuckDB 'x.parquet', Spark) */
		const char *name = lin_arena_strndup(p->arena, p->src + t->off + 1,
						     t->len >= 2 ? t->len - 2 : 0);
		uint32_t tid = lin_sql_table(p->sc, &name, 1, 1, p->stmt, t->line, t->col);
		if (tid == UINT32_MAX)
			lin_sql_oom(p);
		lin_sql_note_read(p, tid);
		p->pos++;
		s = lin_sql_alloc(p, sizeof *s);
		s->kind = S_TABLE;
		s->tid = tid;
		add_src(p, q, s);
	} else if (t->type == T_WORD && (lin_sql_keyword_flags(t->kw) & KF_CLAUSE) &&
		   !lin_sql_is_op(lin_sql_peek(p, 1), '(')) {
		lin_sql_fail(p, t, "expected a table, a subquery or a function in FROM");
	} else if (lin_sql_is_ident(t) || t->type == T_PARAM) {
		int np;
		const sql_token *first;
		size_t save = p->pos;
		const char **parts = lin_sql_parse_name(p, &np, &first);
		if (lin_sql_is_op(lin_sql_cur(p), '(') && lin_sql_peek(p, 1)->type == T_STRING &&
		    (!strncmp(parts[np - 1], "read_", 5) || strstr(parts[np - 1], "_scan"))) {
			/* DuckDB read_csv('file'), parquet_scan('file'): the file is read */
			const sql_token *f = lin_sql_peek(p, 1);
			const char *name = lin_arena_strndup(p->arena, p->src + f->off + 1,
							     f->len >= 2 ? f->len - 2 : 0);
			uint32_t tid = lin_sql_table(p->sc, &name, 1, 1, p->stmt, f->line, f->col);
			if (tid == UINT32_MAX)
				lin_sql_oom(p);
			lin_sql_note_read(p, tid);
			lin_sql_skip_balanced(p);
			s = lin_sql_alloc(p, sizeof *s);
			s->kind = S_TABLE;
			s->tid = tid;
			add_src(p, q, s);
		} else if (np == 2 && spark_file_source(p, parts, first)) {
			/* Spark: parquet.`/path` reads the files there */
			const sql_token *pt = &p->t[p->pos - 1];
			const char *path = lin_arena_strndup(p->arena, p->src + pt->off, pt->len);
			if (!path)
				lin_sql_oom(p);
			uint32_t tid = lin_sql_table(p->sc, &path, 1, 1, p->stmt, first->line,
						     first->col);
			if (tid == UINT32_MAX)
				lin_sql_oom(p);
			lin_sql_note_read(p, tid);
			s = lin_sql_alloc(p, sizeof *s);
			s->kind = S_TABLE;
			s->tid = tid;
			add_src(p, q, s);
		} else if (lin_sql_is_op(lin_sql_cur(p), '(') && (p->flags & DF_GO) &&
			   is_tsql_hint(p, lin_sql_peek(p, 1))) {
			/* T-SQL: t (NOLOCK) is a table hint, not a call */
			s = lin_sql_add_table_src(p, q, parts, np, first, !p->no_read);
			lin_sql_skip_balanced(p);
		} else if (lin_sql_is_op(lin_sql_cur(p), '(')) {
			/* table function: UNNEST(...), TABLE(FLATTEN(...)), generate_series(...) */
			p->pos = save;
			s = func_src(p, q);
			if (lin_sql_is_kw(lin_sql_cur(p), K_with) && (lin_sql_word_is(p, lin_sql_peek(p, 1), "ordinality") ||
							      lin_sql_is_kw(lin_sql_peek(p, 1), K_offset)))
				p->pos += 2;
		} else {
			s = lin_sql_add_table_src(p, q, parts, np, first, !p->no_read);
		}
	} else {
		lin_sql_fail(p, t, "expected a table, a subquery or a function in FROM");
	}
	item_suffixes(p, q, s);
	lin_sql_parse_alias(p, s);
	if (s->kind == S_FUNC && lin_sql_is_kw(lin_sql_cur(p), K_with) &&
	    lin_sql_is_kw(lin_sql_peek(p, 1), K_offset)) {
		p->pos += 2; /* BigQuery UNNEST(...) AS x WITH OFFSET [AS] o */
		sql_src tmp = {0};
		lin_sql_parse_alias(p, &tmp);
	}
	item_suffixes(p, q, s);
	lin_sql_leave(p);
}

static void join_using(sql_parser *p, sql_query *q)
{
	sql_src *right = q->srcs[q->nsrcs - 1];
	sql_src *left = q->nsrcs >= 2 ? q->srcs[q->nsrcs - 2] : NULL;
	int n;
	const sql_token *at = lin_sql_cur(p);
	const char **cols = lin_sql_ident_list(p, &n);
	right->using_cols = cols;
	right->nusing = n;
	if (left) {
		left->using_cols = cols;
		left->nusing = n;
	}
	/* both sides' columns shape the rows: record them as indirect references */
	for (int i = 0; i < n; i++) {
		sql_src *sides[2] = {left, right};
		for (int k = 0; k < 2; k++) {
			sql_src *sd = sides[k];
			if (!sd)
				continue;
			const char *qual = sd->alias ? sd->alias
				: sd->nparts ? sd->parts[sd->nparts - 1] : NULL;
			if (!qual)
				continue;
			sql_rawref *r = lin_sql_alloc(p, sizeof *r);
			r->parts = lin_sql_alloc(p, 2 * sizeof *r->parts);
			r->parts[0] = qual;
			r->parts[1] = cols[i];
			r->nparts = 2;
			r->dest = &p->indirect;
			r->origin = q;
			r->item = -1;
			r->line = at->line;
			r->col = at->col;
			if (q->refs_tail)
				q->refs_tail->next = r;
			else
				q->refs = r;
			q->refs_tail = r;
		}
	}
}

void lin_sql_parse_join_tail(sql_parser *p, sql_query *q)
{
	for (;;) {
		const sql_token *t = lin_sql_cur(p);
		if (lin_sql_is_op(t, ',')) {
			p->pos++;
			parse_from_item(p, q);
			continue;
		}
		/* Hive/Spark: LATERAL VIEW [OUTER] explode(x) t AS c1, c2 */
		if (lin_sql_is_kw(t, K_lateral) && lin_sql_is_kw(lin_sql_peek(p, 1), K_view)) {
			p->pos += 2;
			lin_sql_accept_kw(p, K_outer);
			sql_src *s = func_src(p, q);
			if (lin_sql_is_ident(lin_sql_cur(p)) && !lin_sql_is_kw(lin_sql_cur(p), K_as)) {
				s->alias = lin_sql_ident(p, lin_sql_cur(p));
				p->pos++;
			}
			if (lin_sql_accept_kw(p, K_as)) {
				const char *tmp[64];
				int n = 0;
				while (lin_sql_is_ident(lin_sql_cur(p))) {
					if (n < 64)
						tmp[n++] = lin_sql_ident(p, lin_sql_cur(p));
					p->pos++;
					if (!lin_sql_is_op(lin_sql_cur(p), ',') || !lin_sql_is_ident(lin_sql_peek(p, 1)) ||
					    lin_sql_is_kw(lin_sql_peek(p, 1), K_lateral))
						break;
					p->pos++;
				}
				s->colaliases = lin_sql_alloc(p, (size_t)(n ? n : 1) * sizeof *s->colaliases);
				memcpy(s->colaliases, tmp, (size_t)n * sizeof *tmp);
				s->ncolaliases = n;
			}
			continue;
		}
		/* ClickHouse: [LEFT] ARRAY JOIN arr [AS x], ...: each alias is a column computed
		 * from its array */
		if ((lin_sql_is_kw(t, K_array) && lin_sql_is_kw(lin_sql_peek(p, 1), K_join)) ||
		    (lin_sql_is_kw(t, K_left) && lin_sql_is_kw(lin_sql_peek(p, 1), K_array) &&
		     lin_sql_is_kw(lin_sql_peek(p, 2), K_join))) {
			p->pos += lin_sql_is_kw(t, K_left) ? 3 : 2;
			for (;;) {
				const sql_token *at = lin_sql_cur(p);
				sql_src *s = func_src(p, q);
				const char *name = NULL;
				if (lin_sql_accept_kw(p, K_as) && lin_sql_is_ident(lin_sql_cur(p))) {
					name = lin_sql_ident(p, lin_sql_cur(p));
					p->pos++;
				} else if (lin_sql_is_ident(at)) {
					name = lin_sql_ident(p, at); /* ARRAY JOIN arr: arr is the element */
				}
				if (name) {
					s->colaliases = lin_sql_alloc(p, sizeof *s->colaliases);
					s->colaliases[0] = name;
					s->ncolaliases = 1;
				}
				if (!lin_sql_is_op(lin_sql_cur(p), ','))
					break;
				p->pos++;
			}
			continue;
		}
		/* T-SQL CROSS APPLY / OUTER APPLY */
		if ((lin_sql_is_kw(t, K_cross) || lin_sql_is_kw(t, K_outer)) &&
		    lin_sql_is_kw(lin_sql_peek(p, 1), K_apply)) {
			p->pos += 2;
			parse_from_item(p, q);
			continue;
		}
		if (!join_start(p))
			break;
		int is_lateral_only = lin_sql_is_kw(t, K_lateral);
		int natural = lin_sql_is_kw(t, K_natural);
		if (!is_lateral_only) {
			while (lin_sql_cur(p)->type == T_WORD && !lin_sql_is_kw(lin_sql_cur(p), K_join) &&
			       !lin_sql_is_kw(lin_sql_cur(p), K_straight_join) && join_start(p))
				p->pos++;
			if (lin_sql_is_kw(lin_sql_cur(p), K_any) || lin_sql_is_kw(lin_sql_cur(p), K_all))
				p->pos++;
			if (!lin_sql_accept_kw(p, K_join) && !lin_sql_accept_kw(p, K_straight_join))
				lin_sql_fail(p, lin_sql_cur(p), "expected JOIN");
		}
		parse_from_item(p, q);
		if (natural && q->nsrcs >= 2)
			q->srcs[q->nsrcs - 1]->natural = q->srcs[q->nsrcs - 2]->natural = 1;
		if (lin_sql_accept_kw(p, K_on)) {
			lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST, NULL);
		} else if (lin_sql_is_kw(lin_sql_cur(p), K_using) && lin_sql_is_op(lin_sql_peek(p, 1), '(')) {
			p->pos++;
			join_using(p, q);
		}
	}
}

void lin_sql_parse_from(sql_parser *p, sql_query *q)
{
	parse_from_item(p, q);
	lin_sql_parse_join_tail(p, q);
}

/* Postgres: WITH x AS (INSERT|UPDATE|DELETE ... RETURNING ...): the statement runs (its
 * write is this statement's), and x's rows are the written table's (x.col is t.col). */
static sql_query *dml_cte(sql_parser *p)
{
	const sql_token *t = lin_sql_cur(p);
	if (!(lin_sql_is_kw(t, K_insert) || lin_sql_is_kw(t, K_update) ||
	      lin_sql_is_kw(t, K_delete) || lin_sql_is_kw(t, K_merge)))
		return NULL;
	size_t close = p->pos, saved_n = p->n;
	int d = 1;
	for (; close < p->n; close++) {
		if (lin_sql_is_op(&p->t[close], '('))
			d++;
		else if (lin_sql_is_op(&p->t[close], ')') && --d == 0)
			break;
	}
	uint32_t before = p->nwrites;
	p->n = close;
	lin_sql_enter(p, t);
	if (t->kw == K_insert)
		lin_sql_stmt_insert(p);
	else if (t->kw == K_update)
		lin_sql_stmt_update(p);
	else if (t->kw == K_delete)
		lin_sql_stmt_delete(p);
	else
		lin_sql_stmt_merge(p);
	lin_sql_leave(p);
	p->n = saved_n;
	p->pos = close;
	sql_query *q = lin_sql_query_new(p, NULL, &p->indirect);
	q->from_done = 1;
	q->resolved = 1;
	if (p->nwrites > before) {
		q->cols = lin_sql_alloc(p, sizeof *q->cols);
		memset(q->cols, 0, sizeof *q->cols);
		q->cols[0].name = "*";
		lin_sql_refset_add(p, &q->cols[0].set, REF(p->writes[before], p->sc->star_id));
		q->ncols = 1;
	}
	return q;
}

void lin_sql_parse_with(sql_parser *p)
{
	lin_sql_accept_kw(p, K_with);
	lin_sql_accept_kw(p, K_recursive);
	for (;;) {
		const sql_token *t = lin_sql_cur(p);
		if (!lin_sql_is_ident(t))
			lin_sql_fail(p, t, "expected a CTE name after WITH");
		sql_cte *c = lin_sql_alloc(p, sizeof *c);
		c->name = lin_sql_ident(p, t);
		p->pos++;
		/* Spark: WITH name (SELECT ...) without AS */
		int no_as = lin_sql_is_op(lin_sql_cur(p), '(') && lin_sql_query_starts(p, 1);
		if (lin_sql_is_op(lin_sql_cur(p), '(') && !no_as)
			c->cols = lin_sql_ident_list(p, &c->ncols);
		if (!no_as && !lin_sql_accept_kw(p, K_as))
			lin_sql_fail(p, lin_sql_cur(p), "expected AS after the CTE name \"%.60s\"", c->name);
		if (lin_sql_is_kw(lin_sql_cur(p), K_not))
			p->pos++;
		lin_sql_accept_kw(p, K_materialized);
		if (!lin_sql_is_op(lin_sql_cur(p), '('))
			lin_sql_fail(p, lin_sql_cur(p), "expected '(' after %.60s AS", c->name);
		p->pos++;
		/* visible inside its own body (recursive CTEs) */
		c->next = p->ctes;
		p->ctes = c;
		p->sub_item = -1;
		sql_query *body = dml_cte(p);
		if (!body)
			body = lin_sql_parse_query(p, NULL, &p->indirect);
		if (!lin_sql_is_op(lin_sql_cur(p), ')'))
			lin_sql_fail(p, lin_sql_cur(p), "expected ')' after the body of CTE \"%.60s\"", c->name);
		p->pos++;
		/* column list renames the outputs */
		for (int i = 0; i < c->ncols && i < body->ncols; i++)
			body->cols[i].name = c->cols[i];
		c->q = body;
		if (!lin_sql_is_op(lin_sql_cur(p), ','))
			break;
		p->pos++;
	}
}

/* Merge `r` into `l` column by column (UNION, INTERSECT, EXCEPT). */
static int outcol_index(const sql_query *q, const char *name)
{
	for (int i = 0; i < q->ncols; i++)
		if (!strcmp(q->cols[i].name, name))
			return i;
	return -1;
}

/* Add r's column c to l: into l's column of the same name, else as a new column. */
static void add_by_name(sql_parser *p, sql_query *l, const sql_outcol *c, sql_outcol **grow,
			int *cap)
{
	int k = strcmp(c->name, "*") ? outcol_index(l, c->name) : -1;
	if (k >= 0) {
		lin_sql_refset_merge(p, &l->cols[k].set, &c->set);
		return;
	}
	if (l->ncols == *cap) {
		int nc = *cap * 2 + 4;
		sql_outcol *v = lin_sql_alloc(p, (size_t)nc * sizeof *v);
		memcpy(v, l->cols, (size_t)l->ncols * sizeof *v);
		*grow = l->cols = v;
		*cap = nc;
	}
	l->cols[l->ncols++] = *c;
}

/* Merge `r` into `l` (UNION): by position, or by name (BY NAME, CORRESPONDING); a branch
 * past the other's wildcard, or naming new columns by name, adds its columns. */
static void combine(sql_parser *p, sql_query *l, sql_query *r, const sql_token *at, int by_name)
{
	if (!lin_sql_is_kw(at, K_union)) {
		/* INTERSECT / EXCEPT / MINUS: values come from the left; the right filters */
		for (int i = 0; i < r->ncols; i++)
			lin_sql_refset_merge(p, &p->indirect, &r->cols[i].set);
		return;
	}
	int n = l->ncols < r->ncols ? l->ncols : r->ncols;
	int lw = 0, rw = 0, merged = 0, cap = l->ncols;
	sql_outcol *grow = NULL;
	for (int i = 0; i < l->ncols; i++)
		lw |= !strcmp(l->cols[i].name, "*");
	for (int i = 0; i < r->ncols; i++)
		rw |= !strcmp(r->cols[i].name, "*");
	/* name matching is quadratic: very wide queries fall back to positions */
	if (by_name && (int64_t)l->ncols * r->ncols <= 1000000) {
		for (int i = 0; i < r->ncols; i++)
			add_by_name(p, l, &r->cols[i], &grow, &cap);
		return;
	}
	if (l->ncols != r->ncols && !lw && !rw)
		lin_sql_diag(p->sc, p->stmt, at->line, at->col, LINEAGE_SQL_WARNING,
			     "set operation: the left side has %d columns, the right side %d",
			     l->ncols, r->ncols);
	for (; merged < n; merged++) {
		int i = merged;
		if (!strcmp(l->cols[i].name, "*") != !strcmp(r->cols[i].name, "*"))
			break;
		lin_sql_refset_merge(p, &l->cols[i].set, &r->cols[i].set);
		if (l->cols[i].kind != r->cols[i].kind && l->cols[i].kind == EK_IDENTITY)
			l->cols[i].kind = r->cols[i].kind;
	}
	if (lw || rw) {
		/* positions are unknown past a wildcard: the right side's remaining columns
		 * join by name, its wildcards are kept */
		for (int i = merged; i < r->ncols; i++)
			if ((int64_t)l->ncols * (r->ncols - merged) <= 1000000 ||
			    !strcmp(r->cols[i].name, "*"))
				add_by_name(p, l, &r->cols[i], &grow, &cap);
	}
}

static sql_query *parse_values(sql_parser *p, sql_query *parent, sql_refset *dest)
{
	sql_query *q = lin_sql_query_new(p, parent, dest);
	p->pos++; /* VALUES */
	q->from_done = 1;
	int row = 0;
	for (;;) {
		if (lin_sql_word_is(p, lin_sql_cur(p), "row"))
			p->pos++;
		if (!lin_sql_is_op(lin_sql_cur(p), '(')) {
			/* VALUES 1, 2 (single-column rows) */
			sql_item *it = q->nitems ? q->items[0] : NULL;
			if (!it) {
				it = lin_sql_alloc(p, sizeof *it);
				q->items = lin_sql_alloc(p, sizeof *q->items);
				q->items[0] = it;
				q->nitems = q->citems = 1;
				it->line = lin_sql_cur(p)->line;
				it->col = lin_sql_cur(p)->col;
			}
			lin_sql_scan_expr(p, q, &it->set, 0, EX_LIST, NULL);
		} else {
			p->pos++;
			int i = 0;
			for (;;) {
				sql_item *it;
				if (row == 0) {
					it = add_item(p, q);
					it->line = lin_sql_cur(p)->line;
					it->col = lin_sql_cur(p)->col;
					it->kind = EK_TRANSFORM;
				} else {
					it = i < q->nitems ? q->items[i] : NULL;
				}
				sql_refset *rd = it ? &it->set : lin_sql_alloc(p, sizeof *rd);
				lin_sql_scan_expr(p, q, rd, it ? i : -1, EX_LIST, NULL);
				i++;
				if (!lin_sql_is_op(lin_sql_cur(p), ','))
					break;
				p->pos++;
			}
			if (!lin_sql_is_op(lin_sql_cur(p), ')'))
				lin_sql_fail(p, lin_sql_cur(p), "expected ')' after a VALUES row");
			p->pos++;
		}
		row++;
		if (!lin_sql_is_op(lin_sql_cur(p), ','))
			break;
		p->pos++;
	}
	for (int i = 0; i < q->nitems; i++) {
		char buf[32];
		snprintf(buf, sizeof buf, "column%d", i + 1);
		q->items[i]->alias = lin_arena_strndup(p->arena, buf, strlen(buf));
	}
	lin_sql_resolve(p, q);
	return q;
}

/* SELECT modifiers before the list: DISTINCT [ON (...)], ALL, TOP n, AS STRUCT... */
static void select_modifiers(sql_parser *p, sql_query *q)
{
	for (;;) {
		const sql_token *t = lin_sql_cur(p);
		if (lin_sql_is_kw(t, K_distinct) || lin_sql_is_kw(t, K_all) ||
		    lin_sql_word_is(p, t, "distinctrow") || lin_sql_word_is(p, t, "unique")) {
			p->pos++;
			if (lin_sql_is_kw(lin_sql_cur(p), K_on) && lin_sql_is_op(lin_sql_peek(p, 1), '(')) {
				p->pos += 2;
				scan_list(p, q, &p->indirect);
				if (lin_sql_is_op(lin_sql_cur(p), ')'))
					p->pos++;
			}
		} else if (lin_sql_is_kw(t, K_top)) {
			p->pos++;
			if (lin_sql_is_op(lin_sql_cur(p), '('))
				lin_sql_skip_balanced(p);
			else
				p->pos++;
			if (lin_sql_word_is(p, lin_sql_cur(p), "percent"))
				p->pos++;
			if (lin_sql_is_kw(lin_sql_cur(p), K_with) && lin_sql_word_is(p, lin_sql_peek(p, 1), "ties"))
				p->pos += 2;
		} else if (lin_sql_is_kw(t, K_as) &&
			   (lin_sql_word_is(p, lin_sql_peek(p, 1), "struct") ||
			    lin_sql_word_is(p, lin_sql_peek(p, 1), "value"))) {
			p->pos += 2;
		} else if (t->type == T_WORD && t->len > 4 &&
			   (!strncmp(p->src + t->off, "SQL_", 4) || !strncmp(p->src + t->off, "sql_", 4) ||
			    lin_sql_word_is(p, t, "high_priority") || lin_sql_word_is(p, t, "straight_join"))) {
			p->pos++;
		} else {
			break;
		}
	}
}

/* * EXCEPT (a, b) / EXCLUDE (a) / REPLACE (expr AS a) / RENAME (...) after a star item */
static void star_modifiers(sql_parser *p, sql_item *it)
{
	for (;;) {
		const sql_token *t = lin_sql_cur(p);
		if ((lin_sql_is_kw(t, K_except) || lin_sql_is_kw(t, K_exclude)) ) {
			p->pos++;
			if (lin_sql_is_op(lin_sql_cur(p), '(')) {
				it->except = lin_sql_ident_list(p, &it->nexcept);
			} else if (lin_sql_is_ident(lin_sql_cur(p))) {
				it->except = lin_sql_alloc(p, sizeof *it->except);
				it->except[0] = lin_sql_ident(p, lin_sql_cur(p));
				it->nexcept = 1;
				p->pos++;
			}
		} else if ((lin_sql_is_kw(t, K_replace) || lin_sql_is_kw(t, K_rename) ||
			    lin_sql_word_is(p, t, "ilike")) && lin_sql_is_op(lin_sql_peek(p, 1), '(')) {
			/* REPLACE (expr AS col): the column keeps its name and, usually, its source */
			p->pos++;
			lin_sql_skip_balanced(p);
		} else {
			break;
		}
	}
}

static void order_by_list(sql_parser *p, sql_query *q)
{
	for (;;) {
		lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST, NULL);
		while (lin_sql_is_kw(lin_sql_cur(p), K_asc) || lin_sql_is_kw(lin_sql_cur(p), K_desc) ||
		       lin_sql_is_kw(lin_sql_cur(p), K_nulls) || lin_sql_word_is(p, lin_sql_cur(p), "first") ||
		       lin_sql_word_is(p, lin_sql_cur(p), "last"))
			p->pos++;
		if (!lin_sql_is_op(lin_sql_cur(p), ','))
			break;
		p->pos++;
	}
}

/* The clauses after FROM. */
static void select_tail(sql_parser *p, sql_query *q)
{
	int saved = p->alias_ok;
	for (;;) {
		const sql_token *t = lin_sql_cur(p);
		const sql_token *nx = lin_sql_peek(p, 1);
		if (lin_sql_is_kw(t, K_where)) {
			p->pos++;
			p->alias_ok = 0;
			lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST, NULL);
		} else if (lin_sql_is_kw(t, K_group) && lin_sql_is_kw(nx, K_by)) {
			p->pos += 2;
			p->alias_ok = 1;
			if (lin_sql_is_kw(lin_sql_cur(p), K_all))
				p->pos++;
			scan_list(p, q, &p->indirect);
			if (lin_sql_is_kw(lin_sql_cur(p), K_with) && lin_sql_word_is(p, lin_sql_peek(p, 1), "rollup"))
				p->pos += 2;
		} else if (lin_sql_is_kw(t, K_having) || lin_sql_is_kw(t, K_qualify)) {
			p->pos++;
			p->alias_ok = 1;
			lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST, NULL);
		} else if (lin_sql_is_kw(t, K_window)) {
			p->pos++;
			p->alias_ok = 0;
			for (;;) {
				if (lin_sql_is_ident(lin_sql_cur(p)) && lin_sql_is_kw(lin_sql_peek(p, 1), K_as))
					p->pos += 2;
				if (lin_sql_is_op(lin_sql_cur(p), '(')) {
					p->pos++;
					scan_list(p, q, &p->indirect);
					while (!lin_sql_is_op(lin_sql_cur(p), ')') && lin_sql_cur(p)->type != T_EOF) {
						p->pos++;
						scan_list(p, q, &p->indirect);
					}
					if (lin_sql_is_op(lin_sql_cur(p), ')'))
						p->pos++;
				}
				if (!lin_sql_is_op(lin_sql_cur(p), ','))
					break;
				p->pos++;
			}
		} else if ((lin_sql_is_kw(t, K_order) || lin_sql_is_kw(t, K_cluster) ||
			    lin_sql_is_kw(t, K_distribute) || lin_sql_is_kw(t, K_sort)) &&
			   lin_sql_is_kw(nx, K_by)) {
			p->pos += 2;
			p->alias_ok = 1;
			if (lin_sql_word_is(p, lin_sql_cur(p), "siblings"))
				p->pos++;
			order_by_list(p, q);
		} else if (lin_sql_is_kw(t, K_connect) && lin_sql_is_kw(nx, K_by)) {
			p->pos += 2;
			p->alias_ok = 0;
			if (lin_sql_word_is(p, lin_sql_cur(p), "nocycle"))
				p->pos++;
			lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST, NULL);
		} else if (lin_sql_word_is(p, t, "start") && lin_sql_is_kw(nx, K_with)) {
			p->pos += 2;
			p->alias_ok = 0;
			lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST, NULL);
		} else if (lin_sql_is_kw(t, K_limit) || lin_sql_is_kw(t, K_offset) ||
			   lin_sql_is_kw(t, K_fetch)) {
			p->pos++;
			p->alias_ok = 0;
			while (lin_sql_word_is(p, lin_sql_cur(p), "first") || lin_sql_word_is(p, lin_sql_cur(p), "next"))
				p->pos++;
			lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST, NULL);
			if (lin_sql_is_op(lin_sql_cur(p), ',')) { /* LIMIT a, b */
				p->pos++;
				lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST, NULL);
			}
			if (lin_sql_is_kw(lin_sql_cur(p), K_by)) { /* ClickHouse LIMIT n BY keys */
				p->pos++;
				p->alias_ok = 1;
				scan_list(p, q, &p->indirect);
			}
			while (lin_sql_is_kw(lin_sql_cur(p), K_rows) || lin_sql_is_kw(lin_sql_cur(p), K_row) ||
			       lin_sql_is_kw(lin_sql_cur(p), K_only) || lin_sql_word_is(p, lin_sql_cur(p), "ties") ||
			       (lin_sql_is_kw(lin_sql_cur(p), K_with) && lin_sql_word_is(p, lin_sql_peek(p, 1), "ties")))
				p->pos++;
		} else if (lin_sql_is_kw(t, K_for) &&
			   (lin_sql_is_kw(nx, K_update) || lin_sql_word_is(p, nx, "share") ||
			    lin_sql_word_is(p, nx, "xml") || lin_sql_word_is(p, nx, "json") ||
			    lin_sql_word_is(p, nx, "no") || lin_sql_word_is(p, nx, "key"))) {
			/* FOR UPDATE / FOR XML ...: skip to the end of this query */
			while (lin_sql_cur(p)->type != T_EOF && !lin_sql_is_op(lin_sql_cur(p), ')'))
				p->pos++;
		} else if (lin_sql_is_kw(t, K_with) && lin_sql_word_is(p, nx, "ur")) {
			p->pos += 2;
		} else {
			break;
		}
	}
	p->alias_ok = saved;
}

static sql_query *parse_select(sql_parser *p, sql_query *parent, sql_refset *dest, int item)
{
	sql_query *q = lin_sql_query_new(p, parent, dest);
	int saved_alias = p->alias_ok;
	q->parent_item = item;
	p->pos++; /* SELECT */
	select_modifiers(p, q);
	p->alias_ok = (p->flags & DF_LATERAL_ALIAS) != 0;
	for (;;) {
		const sql_token *t = lin_sql_cur(p);
		sql_exprinfo info;
		if (t->type == T_EOF || lin_sql_is_kw(t, K_from))
			break;
		sql_item *it = add_item(p, q);
		it->line = t->line;
		it->col = t->col;
		lin_sql_scan_expr(p, q, &it->set, q->nitems - 1, EX_ITEM, &info);
		it->alias = info.alias;
		it->colname = info.colname;
		it->funcname = info.funcname;
		it->tok_from = info.tok_from;
		it->tok_to = info.tok_to;
		it->kind = info.kind;
		if (info.star) {
			it->star = 1;
			it->star_parts = info.star_parts;
			it->nstar = info.nstar;
			star_modifiers(p, it);
		}
		if (!lin_sql_is_op(lin_sql_cur(p), ','))
			break;
		p->pos++;
	}
	p->alias_ok = saved_alias;
	/* SELECT ... INTO target (T-SQL, Postgres) */
	if (lin_sql_is_kw(lin_sql_cur(p), K_into) && !parent && !p->into &&
	    !lin_sql_into_is_vars(p)) {
		p->pos++;
		while (lin_sql_is_kw(lin_sql_cur(p), K_temp) || lin_sql_is_kw(lin_sql_cur(p), K_temporary) ||
		       lin_sql_word_is(p, lin_sql_cur(p), "unlogged") || lin_sql_is_kw(lin_sql_cur(p), K_table)) {
			if (!lin_sql_is_kw(lin_sql_cur(p), K_table) && !lin_sql_word_is(p, lin_sql_cur(p), "unlogged"))
				p->into_temp = 1;
			p->pos++;
		}
		p->into_at = lin_sql_cur(p);
		p->into = lin_sql_parse_name(p, &p->ninto, &p->into_at);
	} else if (lin_sql_is_kw(lin_sql_cur(p), K_into)) {
		/* MySQL INTO OUTFILE|DUMPFILE 'path': a file written; else INTO variables of a
		 * procedural language: skipped */
		if (!parent && !p->into_file && (lin_sql_word_is(p, lin_sql_peek(p, 1), "outfile") ||
						 lin_sql_word_is(p, lin_sql_peek(p, 1), "dumpfile")) &&
		    lin_sql_peek(p, 2)->type == T_STRING)
			p->into_file = lin_sql_peek(p, 2);
		p->pos++;
		while (lin_sql_cur(p)->type != T_EOF && !lin_sql_is_kw(lin_sql_cur(p), K_from) &&
		       !lin_sql_is_op(lin_sql_cur(p), ')') && !lin_sql_is_kw(lin_sql_cur(p), K_where))
			p->pos++;
	}
	if (lin_sql_is_kw(lin_sql_cur(p), K_from)) {
		p->pos++;
		lin_sql_parse_from(p, q);
	}
	q->from_done = 1;
	select_tail(p, q);
	lin_sql_resolve(p, q);
	return q;
}

static sql_query *parse_set_operand(sql_parser *p, sql_query *parent, sql_refset *dest, int item)
{
	const sql_token *t = lin_sql_cur(p);
	if (lin_sql_is_op(t, '(')) {
		p->pos++;
		p->sub_item = item;
		sql_query *q = lin_sql_parse_query(p, parent, dest);
		if (!lin_sql_is_op(lin_sql_cur(p), ')'))
			lin_sql_fail(p, lin_sql_cur(p), "expected ')' after a parenthesized query");
		p->pos++;
		return q;
	}
	if (lin_sql_is_kw(t, K_select))
		return parse_select(p, parent, dest, item);
	if (lin_sql_is_kw(t, K_values))
		return parse_values(p, parent, dest);
	if (lin_sql_is_kw(t, K_with)) {
		p->sub_item = item;
		return lin_sql_parse_query(p, parent, dest);
	}
	if (lin_sql_is_kw(t, K_table)) { /* TABLE t */
		sql_query *q = lin_sql_query_new(p, parent, dest);
		int np;
		const sql_token *first;
		p->pos++;
		const char **parts = lin_sql_parse_name(p, &np, &first);
		lin_sql_add_table_src(p, q, parts, np, first, 1);
		sql_item *it = add_item(p, q);
		it->star = 1;
		it->line = first->line;
		it->col = first->col;
		q->from_done = 1;
		lin_sql_resolve(p, q);
		return q;
	}
	if (lin_sql_is_kw(t, K_from)) {
		/* FROM-first (DuckDB): FROM t [SELECT ...] */
		size_t from_pos = p->pos;
		int d = 0;
		/* find a SELECT at this level */
		size_t k = p->pos + 1;
		while (k < p->n) {
			const sql_token *u = &p->t[k];
			if (lin_sql_is_op(u, '('))
				d++;
			else if (lin_sql_is_op(u, ')')) {
				if (d == 0)
					break;
				d--;
			} else if (d == 0 && lin_sql_is_kw(u, K_select))
				break;
			k++;
		}
		sql_query *q = lin_sql_query_new(p, parent, dest);
		q->parent_item = item;
		p->pos++;
		lin_sql_parse_from(p, q);
		q->from_done = 1;
		if (k < p->n && lin_sql_is_kw(&p->t[k], K_select) && p->pos <= k) {
			/* parse the SELECT list against the sources already read */
			p->pos = k + 1;
			select_modifiers(p, q);
			for (;;) {
				sql_exprinfo info;
				const sql_token *u = lin_sql_cur(p);
				if (u->type == T_EOF)
					break;
				sql_item *it = add_item(p, q);
				it->line = u->line;
				it->col = u->col;
				lin_sql_scan_expr(p, q, &it->set, q->nitems - 1, EX_ITEM, &info);
				it->alias = info.alias;
				it->colname = info.colname;
				it->funcname = info.funcname;
				it->kind = info.kind;
				it->star = (uint8_t)info.star;
				it->star_parts = info.star_parts;
				it->nstar = info.nstar;
				if (!lin_sql_is_op(lin_sql_cur(p), ','))
					break;
				p->pos++;
			}
		} else {
			sql_item *it = add_item(p, q);
			it->star = 1;
			it->line = p->t[from_pos].line;
			it->col = p->t[from_pos].col;
		}
		select_tail(p, q);
		lin_sql_resolve(p, q);
		return q;
	}
	lin_sql_fail(p, t, "expected SELECT, VALUES or '(' to start a query");
	return NULL;
}

sql_query *lin_sql_parse_query(sql_parser *p, sql_query *parent, sql_refset *dest)
{
	int item = p->sub_item;
	sql_cte *saved = p->ctes;
	sql_query *q;
	p->sub_item = -1;
	lin_sql_enter(p, lin_sql_cur(p));
	if (lin_sql_is_kw(lin_sql_cur(p), K_with))
		lin_sql_parse_with(p);
	q = parse_set_operand(p, parent, dest, item);
	for (;;) {
		const sql_token *t = lin_sql_cur(p);
		if (!(lin_sql_is_kw(t, K_union) || lin_sql_is_kw(t, K_intersect) ||
		      lin_sql_is_kw(t, K_except) || lin_sql_is_kw(t, K_minus)))
			break;
		p->pos++;
		int by_name = 0;
		while (lin_sql_is_kw(lin_sql_cur(p), K_all) || lin_sql_is_kw(lin_sql_cur(p), K_distinct) ||
		       lin_sql_word_is(p, lin_sql_cur(p), "corresponding") ||
		       (lin_sql_is_kw(lin_sql_cur(p), K_by) && lin_sql_word_is(p, lin_sql_peek(p, 1), "name"))) {
			by_name |= !lin_sql_is_kw(lin_sql_cur(p), K_all) &&
				   !lin_sql_is_kw(lin_sql_cur(p), K_distinct);
			p->pos += lin_sql_is_kw(lin_sql_cur(p), K_by) ? 2 : 1;
		}
		sql_query *r = parse_set_operand(p, parent, dest, item);
		combine(p, q, r, t, by_name);
	}
	/* ORDER BY / LIMIT after a set operation or a parenthesized query */
	select_tail(p, q);
	p->ctes = saved;
	lin_sql_leave(p);
	return q;
}
