/*
 * Statements: what each one reads and writes, and the column lineage of its writes.
 */
#include <stdio.h>
#include <string.h>

#include "sql_internal.h"

static int accept_word(sql_parser *p, const char *w)
{
	if (lin_sql_word_is(p, lin_sql_cur(p), w)) {
		p->pos++;
		return 1;
	}
	return 0;
}

static uint32_t intern(sql_parser *p, const char *s)
{
	uint32_t id = lin_sql_intern(p->sc, s, strlen(s));
	if (id == UINT32_MAX)
		lin_sql_oom(p);
	return id;
}

static void skip_rest(sql_parser *p)
{
	p->pos = p->n;
}

/* A string literal's text (quotes removed, doubled quotes undone). */
static const char *string_text(sql_parser *p, const sql_token *t)
{
	const char *s = p->src + t->off;
	uint32_t len = t->len;
	/* skip prefixes such as E'..' or r'..' */
	while (len && s[0] != '\'' && s[0] != '"' && s[0] != '$') {
		s++;
		len--;
	}
	if (len >= 2 && s[0] == '$') {
		const char *e = memchr(s + 1, '$', len - 1);
		size_t tag = e ? (size_t)(e - s) + 1 : 1;
		if (len >= 2 * tag)
			return lin_arena_strndup(p->arena, s + tag, len - 2 * tag);
	}
	char q = len ? s[0] : '\'';
	char *out = lin_sql_alloc(p, len + 1);
	size_t k = 0;
	for (uint32_t i = 1; i + 1 < len; i++) {
		if (s[i] == q && i + 2 < len && s[i + 1] == q)
			i++;
		else if (s[i] == '\\' && (p->flags & DF_BACKSLASH) && i + 2 < len)
			i++;
		out[k++] = s[i];
	}
	out[k] = '\0';
	return out;
}

static uint32_t location(sql_parser *p, const sql_token *t)
{
	const char *name = t->type == T_STRING ? string_text(p, t)
						: lin_arena_strndup(p->arena, p->src + t->off, t->len);
	uint32_t tid = lin_sql_table(p->sc, &name, 1, 1, p->stmt, t->line, t->col);
	if (tid == UINT32_MAX)
		lin_sql_oom(p);
	return tid;
}

static int is_location(const sql_token *t, const char *src)
{
	return t->type == T_STRING || (t->type == T_PARAM && src[t->off] == '@');
}

void lin_sql_col_edge(sql_parser *p, sql_ref src, uint32_t tid, uint32_t col, int kind,
		      uint32_t line, uint32_t column)
{
	if (REF_TABLE(src) == tid && REF_COL(src) == col)
		return; /* t.x = t.x + ...: not lineage */
	if (p->nedges == p->cedges) {
		size_t nc = p->cedges ? p->cedges * 2 : 64;
		sql_edge *v = lin_sql_alloc(p, nc * sizeof *v);
		if (p->nedges)
			memcpy(v, p->edges, p->nedges * sizeof *v);
		p->edges = v;
		p->cedges = nc;
	}
	sql_edge *e = &p->edges[p->nedges++];
	e->src_table = REF_TABLE(src);
	e->src_col = REF_COL(src);
	e->dst_table = tid;
	e->dst_col = col;
	e->kind = (uint8_t)kind;
	e->stmt = p->stmt;
	e->line = line;
	e->col = column;
}

static void edges_to(sql_parser *p, const sql_outcol *c, uint32_t tid, uint32_t col)
{
	for (uint32_t i = 0; i < c->set.n; i++)
		lin_sql_col_edge(p, c->set.v[i], tid, col, c->kind, c->line, c->col);
}

/* A wildcard output: each t.* goes to target.*, each plain column too. */
static void wildcard_to(sql_parser *p, const sql_outcol *c, uint32_t tid)
{
	edges_to(p, c, tid, p->sc->star_id);
}

void lin_sql_emit_query(sql_parser *p, sql_query *q, uint32_t tid, const char **cols, int ncols,
			int mode)
{
	const uint32_t *tcols = NULL;
	uint32_t ntcols = 0;
	int wild = 0;
	for (int i = 0; i < q->ncols; i++)
		wild |= !strcmp(q->cols[i].name, "*");
	if (!cols && mode == EMIT_INSERT) {
		int rc = lin_sql_table_columns(p->sc, tid, &tcols, &ntcols);
		if (rc < 0) {
			p->fail = rc == LINEAGE_ENOMEM ? 2 : 3;
			longjmp(p->jb, 1);
		}
		if (rc > 0 && wild && q->ncols)
			lin_sql_diag(p->sc, p->stmt, q->cols[0].line, q->cols[0].col,
				     LINEAGE_SQL_INFO,
				     "SELECT * with unknown columns written by position into a table "
				     "with known columns: recorded as a wildcard edge");
		if (rc == 0 || wild)
			tcols = NULL;
	}
	if (cols || tcols) {
		/* by position */
		int n = cols ? ncols : (int)ntcols;
		int i;
		for (i = 0; i < q->ncols && i < n; i++) {
			if (!strcmp(q->cols[i].name, "*"))
				break;
			uint32_t col = cols ? intern(p, cols[i]) : tcols[i];
			edges_to(p, &q->cols[i], tid, col);
		}
		if (i < q->ncols && !strcmp(q->cols[i].name, "*")) {
			const sql_token *at = lin_sql_cur(p);
			lin_sql_diag(p->sc, p->stmt, q->cols[i].line, q->cols[i].col,
				     LINEAGE_SQL_INFO,
				     "SELECT * with unknown columns written by position: recorded as "
				     "a wildcard edge");
			(void)at;
			for (; i < q->ncols; i++)
				wildcard_to(p, &q->cols[i], tid);
		} else if (q->ncols != n && !wild) {
			lin_sql_diag(p->sc, p->stmt, q->ncols ? q->cols[0].line : 0,
				     q->ncols ? q->cols[0].col : 0, LINEAGE_SQL_WARNING,
				     "the query gives %d columns for %d target columns", q->ncols, n);
		}
		return;
	}
	/* by name */
	uint32_t *names = q->ncols ? lin_sql_alloc(p, (size_t)q->ncols * sizeof *names) : NULL;
	uint32_t nn = 0;
	for (int i = 0; i < q->ncols; i++) {
		if (!strcmp(q->cols[i].name, "*")) {
			wildcard_to(p, &q->cols[i], tid);
			continue;
		}
		uint32_t col = intern(p, q->cols[i].name);
		names[nn++] = col;
		edges_to(p, &q->cols[i], tid, col);
	}
	if (mode == EMIT_DEFINE && !wild) {
		if (lin_sql_table_set_columns(p->sc, tid, names, nn) < 0)
			lin_sql_oom(p);
	} else if (mode == EMIT_DEFINE) {
		p->sc->tables[tid].cols_state = 2;
	}
}

/* ---- SELECT ---- */
static void stmt_query(sql_parser *p)
{
	p->type = "select";
	sql_query *q = lin_sql_parse_query(p, NULL, &p->indirect);
	if (p->into) {
		uint32_t tid = lin_sql_table_of(p, p->into, p->ninto, p->into_at);
		if (p->into_temp)
			p->sc->tables[tid].temporary = 1;
		lin_sql_note_write(p, tid);
		lin_sql_emit_query(p, q, tid, NULL, 0, EMIT_DEFINE);
		p->type = "select_into";
	}
}

/* ---- INSERT ---- */
static const char **column_list(sql_parser *p, int *n)
{
	*n = 0;
	if (lin_sql_is_op(lin_sql_cur(p), '(') && !lin_sql_query_starts(p, 1))
		return lin_sql_ident_list(p, n);
	return NULL;
}

/* Hive/Spark PARTITION (a='x', b): dynamic partition columns (no value) come last */
static const char **partition_spec(sql_parser *p, int *ndyn)
{
	const char *tmp[64];
	int n = 0, d = 0;
	*ndyn = 0;
	if (!lin_sql_is_op(lin_sql_cur(p), '('))
		return NULL;
	p->pos++;
	while (lin_sql_cur(p)->type != T_EOF) {
		const sql_token *t = lin_sql_cur(p);
		if (lin_sql_is_op(t, '('))
			d++;
		else if (lin_sql_is_op(t, ')')) {
			if (d == 0) {
				p->pos++;
				break;
			}
			d--;
		} else if (d == 0 && lin_sql_is_ident(t) &&
			   (lin_sql_is_op(lin_sql_peek(p, 1), ',') || lin_sql_is_op(lin_sql_peek(p, 1), ')'))) {
			const sql_token *prev = &p->t[p->pos - 1];
			if ((lin_sql_is_op(prev, '(') || lin_sql_is_op(prev, ',')) && n < 64)
				tmp[n++] = lin_sql_ident(p, t);
		}
		p->pos++;
	}
	const char **v = lin_sql_alloc(p, (size_t)(n ? n : 1) * sizeof *v);
	memcpy(v, tmp, (size_t)n * sizeof *v);
	*ndyn = n;
	return v;
}

static void insert_body(sql_parser *p, uint32_t tid, const char **cols, int ncols, int by_name,
			const char **dyn, int ndyn)
{
	if (lin_sql_is_kw(lin_sql_cur(p), K_default) && lin_sql_is_kw(lin_sql_peek(p, 1), K_values)) {
		p->pos += 2;
		return;
	}
	if (lin_sql_is_kw(lin_sql_cur(p), K_set)) {
		/* MySQL: INSERT INTO t SET a = expr, ... */
		sql_query *q = lin_sql_query_new(p, NULL, &p->indirect);
		q->from_done = 1;
		q->no_alias = 1;
		p->pos++;
		for (;;) {
			if (!lin_sql_is_ident(lin_sql_cur(p)))
				break;
			sql_item *it = lin_sql_alloc(p, sizeof *it);
			it->alias = lin_sql_ident(p, lin_sql_cur(p));
			it->line = lin_sql_cur(p)->line;
			it->col = lin_sql_cur(p)->col;
			p->pos++;
			if (lin_sql_is_op(lin_sql_cur(p), '='))
				p->pos++;
			sql_item **v = lin_sql_alloc(p, (size_t)(q->nitems + 1) * sizeof *v);
			if (q->nitems)
				memcpy(v, q->items, (size_t)q->nitems * sizeof *v);
			v[q->nitems] = it;
			q->items = v;
			q->nitems++;
			sql_exprinfo info;
			lin_sql_scan_expr(p, q, &it->set, q->nitems - 1, EX_LIST, &info);
			it->kind = info.kind;
			if (!lin_sql_is_op(lin_sql_cur(p), ','))
				break;
			p->pos++;
		}
		lin_sql_resolve(p, q);
		lin_sql_emit_query(p, q, tid, NULL, 0, EMIT_BY_NAME);
		return;
	}
	if (lin_sql_is_kw(lin_sql_cur(p), K_values) || lin_sql_query_starts(p, 0) || lin_sql_is_op(lin_sql_cur(p), '(')) {
		p->sub_item = -1;
		sql_query *q = lin_sql_parse_query(p, NULL, &p->indirect);
		if (ndyn && !cols && q->ncols >= ndyn) {
			/* the last query columns fill the dynamic partitions */
			int keep = q->ncols - ndyn;
			for (int i = 0; i < ndyn; i++)
				q->cols[keep + i].name = dyn[i];
		}
		lin_sql_emit_query(p, q, tid, cols, ncols, by_name ? EMIT_BY_NAME : EMIT_INSERT);
		return;
	}
	if (lin_sql_word_is(p, lin_sql_cur(p), "execute") || lin_sql_word_is(p, lin_sql_cur(p), "exec")) {
		skip_rest(p);
		return;
	}
	lin_sql_fail(p, lin_sql_cur(p), "expected a query, VALUES or SET after the INSERT target");
}

/* INSERT ALL / FIRST (Snowflake, Oracle): several targets fed by one query. */
static void insert_multi(sql_parser *p)
{
	struct tgt {
		uint32_t tid;
		const char **cols;
		int ncols;
		size_t values_pos; /* 0: none */
	} tg[64];
	size_t when_pos[64];
	int nt = 0, nw = 0;
	p->pos++; /* ALL / FIRST */
	for (;;) {
		const sql_token *t = lin_sql_cur(p);
		if (lin_sql_is_kw(t, K_when)) {
			p->pos++;
			if (nw < 64)
				when_pos[nw++] = p->pos;
			while (lin_sql_cur(p)->type != T_EOF && !lin_sql_is_kw(lin_sql_cur(p), K_then)) {
				if (lin_sql_is_op(lin_sql_cur(p), '('))
					lin_sql_skip_balanced(p);
				else
					p->pos++;
			}
			lin_sql_accept_kw(p, K_then);
			continue;
		}
		if (lin_sql_is_kw(t, K_else)) {
			p->pos++;
			continue;
		}
		if (!lin_sql_is_kw(t, K_into))
			break;
		p->pos++;
		int np;
		const sql_token *first;
		const char **parts = lin_sql_parse_name(p, &np, &first);
		struct tgt *g = nt < 64 ? &tg[nt++] : &tg[63];
		g->tid = lin_sql_table_of(p, parts, np, first);
		lin_sql_note_write(p, g->tid);
		g->cols = column_list(p, &g->ncols);
		g->values_pos = 0;
		if (lin_sql_is_kw(lin_sql_cur(p), K_values)) {
			p->pos++;
			g->values_pos = p->pos;
			lin_sql_skip_balanced(p);
		}
	}
	p->sub_item = -1;
	sql_query *sub = lin_sql_parse_query(p, NULL, &p->indirect);
	size_t end = p->pos;
	/* WHEN conditions and VALUES lists name the query's columns */
	sql_query *q = lin_sql_query_new(p, NULL, &p->indirect);
	sql_src *s = lin_sql_alloc(p, sizeof *s);
	s->kind = S_DERIVED;
	s->q = sub;
	q->srcs = lin_sql_alloc(p, sizeof *q->srcs);
	q->srcs[0] = s;
	q->nsrcs = q->csrcs = 1;
	q->from_done = 1;
	q->no_alias = 1;
	for (int i = 0; i < nw; i++) {
		p->pos = when_pos[i];
		lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST, NULL);
	}
	int first_item[64];
	for (int i = 0; i < nt; i++) {
		first_item[i] = q->nitems;
		if (!tg[i].values_pos)
			continue;
		p->pos = tg[i].values_pos + 1;
		for (;;) {
			sql_item *it = lin_sql_alloc(p, sizeof *it);
			sql_item **v = lin_sql_alloc(p, (size_t)(q->nitems + 1) * sizeof *v);
			if (q->nitems)
				memcpy(v, q->items, (size_t)q->nitems * sizeof *v);
			v[q->nitems] = it;
			q->items = v;
			q->nitems++;
			it->line = lin_sql_cur(p)->line;
			it->col = lin_sql_cur(p)->col;
			sql_exprinfo info;
			lin_sql_scan_expr(p, q, &it->set, q->nitems - 1, EX_LIST, &info);
			it->kind = info.kind;
			if (!lin_sql_is_op(lin_sql_cur(p), ','))
				break;
			p->pos++;
		}
	}
	lin_sql_resolve(p, q);
	for (int i = 0; i < nt; i++) {
		if (!tg[i].values_pos) {
			lin_sql_emit_query(p, sub, tg[i].tid, tg[i].cols, tg[i].ncols, EMIT_INSERT);
			continue;
		}
		int n = (i + 1 < nt ? first_item[i + 1] : q->nitems) - first_item[i];
		sql_query part = *q;
		part.cols = q->cols + first_item[i];
		part.ncols = n;
		lin_sql_emit_query(p, &part, tg[i].tid, tg[i].cols, tg[i].ncols, EMIT_INSERT);
	}
	p->pos = end;
}

static void stmt_insert(sql_parser *p)
{
	int by_name = 0, ncols = 0, ndyn = 0;
	const char **cols = NULL, **dyn = NULL;
	p->type = "insert";
	p->pos++; /* INSERT / REPLACE / UPSERT */
	for (;;) {
		if (lin_sql_is_kw(lin_sql_cur(p), K_or)) {
			p->pos += 2;
		} else if (accept_word(p, "ignore") || accept_word(p, "low_priority") ||
			   accept_word(p, "delayed") || accept_word(p, "high_priority")) {
		} else {
			break;
		}
	}
	if (lin_sql_is_kw(lin_sql_cur(p), K_overwrite) &&
	    (lin_sql_is_kw(lin_sql_peek(p, 1), K_all) || lin_sql_word_is(p, lin_sql_peek(p, 1), "first")))
		p->pos++;
	if (lin_sql_is_kw(lin_sql_cur(p), K_all) || lin_sql_word_is(p, lin_sql_cur(p), "first")) {
		insert_multi(p);
		return;
	}
	if (!lin_sql_accept_kw(p, K_into))
		lin_sql_accept_kw(p, K_overwrite);
	lin_sql_accept_kw(p, K_table);
	/* INSERT OVERWRITE [LOCAL] DIRECTORY 'path' ... query */
	if (lin_sql_accept_kw(p, K_local) || lin_sql_is_kw(lin_sql_cur(p), K_directory)) {
		lin_sql_accept_kw(p, K_directory);
		uint32_t tid = location(p, lin_sql_cur(p));
		p->pos++;
		lin_sql_note_write(p, tid);
		while (lin_sql_cur(p)->type != T_EOF && !lin_sql_query_starts(p, 0)) {
			if (lin_sql_is_op(lin_sql_cur(p), '('))
				lin_sql_skip_balanced(p);
			else
				p->pos++;
		}
		if (lin_sql_cur(p)->type == T_EOF)
			lin_sql_fail(p, lin_sql_cur(p), "expected a query after INSERT OVERWRITE DIRECTORY");
		p->sub_item = -1;
		sql_query *q = lin_sql_parse_query(p, NULL, &p->indirect);
		lin_sql_emit_query(p, q, tid, NULL, 0, EMIT_BY_NAME);
		return;
	}
	int np;
	const sql_token *first;
	const char **parts = lin_sql_parse_name(p, &np, &first);
	uint32_t tid = lin_sql_table_of(p, parts, np, first);
	lin_sql_note_write(p, tid);
	if (lin_sql_is_kw(lin_sql_cur(p), K_as) && lin_sql_is_ident(lin_sql_peek(p, 1)))
		p->pos += 2; /* Postgres: INSERT INTO t AS alias */
	for (;;) {
		if (lin_sql_is_kw(lin_sql_cur(p), K_partition)) {
			p->pos++;
			dyn = partition_spec(p, &ndyn);
		} else if (lin_sql_is_op(lin_sql_cur(p), '(') && !lin_sql_query_starts(p, 1) && !cols) {
			cols = column_list(p, &ncols);
		} else if (lin_sql_is_kw(lin_sql_cur(p), K_if)) {
			p->pos += 3; /* IF NOT EXISTS */
		} else if (lin_sql_is_kw(lin_sql_cur(p), K_by) && lin_sql_word_is(p, lin_sql_peek(p, 1), "name")) {
			p->pos += 2;
			by_name = 1;
		} else if (lin_sql_is_kw(lin_sql_cur(p), K_with) && lin_sql_is_op(lin_sql_peek(p, 1), '(') &&
			   (p->flags & DF_GO)) {
			p->pos++;
			lin_sql_skip_balanced(p);
		} else if (lin_sql_word_is(p, lin_sql_cur(p), "output") && (p->flags & DF_GO)) {
			/* OUTPUT inserted.* ... */
			while (lin_sql_cur(p)->type != T_EOF && !lin_sql_query_starts(p, 0) &&
			       !lin_sql_is_kw(lin_sql_cur(p), K_values))
				p->pos++;
		} else {
			break;
		}
	}
	insert_body(p, tid, cols, ncols, by_name, dyn, ndyn);
	if (lin_sql_is_kw(lin_sql_cur(p), K_on) || lin_sql_is_kw(lin_sql_cur(p), K_returning))
		skip_rest(p); /* ON CONFLICT / ON DUPLICATE KEY UPDATE / RETURNING */
}

/* ---- CREATE ---- */
const char **lin_sql_create_columns(sql_parser *p, int *n, const char ***like, int *nlike,
				   const sql_token **like_at)
{
	/* (a int, b text, PRIMARY KEY (a)) or (a, b) or (LIKE src) */
	const char *tmp[1024];
	int k = 0, d = 0, at_item = 1;
	*like = NULL;
	p->pos++;
	while (lin_sql_cur(p)->type != T_EOF) {
		const sql_token *t = lin_sql_cur(p);
		if (d == 0 && at_item) {
			at_item = 0;
			if (lin_sql_is_kw(t, K_like)) {
				p->pos++;
				*like_at = lin_sql_cur(p);
				*like = lin_sql_parse_name(p, nlike, like_at);
				continue;
			}
			if (lin_sql_is_ident(t) && !lin_sql_word_is(p, t, "constraint") &&
			    !lin_sql_word_is(p, t, "primary") && !lin_sql_word_is(p, t, "unique") &&
			    !lin_sql_word_is(p, t, "foreign") && !lin_sql_word_is(p, t, "check") &&
			    !lin_sql_word_is(p, t, "index") && !lin_sql_word_is(p, t, "key") &&
			    !lin_sql_word_is(p, t, "fulltext") && !lin_sql_word_is(p, t, "spatial") &&
			    !lin_sql_word_is(p, t, "period") && !lin_sql_is_kw(t, K_exclude) &&
			    !(t->type == T_WORD && lin_sql_word_is(p, t, "watermark")) && k < 1024)
				tmp[k++] = lin_sql_ident(p, t);
		}
		if (lin_sql_is_op(t, '(') || lin_sql_is_op(t, '['))
			d++;
		else if (lin_sql_is_op(t, ')') || lin_sql_is_op(t, ']')) {
			if (d == 0) {
				p->pos++;
				break;
			}
			d--;
		} else if (d == 0 && lin_sql_is_op(t, ',')) {
			at_item = 1;
		}
		p->pos++;
	}
	const char **v = lin_sql_alloc(p, (size_t)(k ? k : 1) * sizeof *v);
	memcpy(v, tmp, (size_t)k * sizeof *v);
	*n = k;
	return v;
}

static void copy_columns_edges(sql_parser *p, uint32_t src, uint32_t dst, const sql_token *at)
{
	const uint32_t *cols = NULL;
	uint32_t n = 0;
	int rc = lin_sql_table_columns(p->sc, src, &cols, &n);
	if (rc < 0) {
		p->fail = rc == LINEAGE_ENOMEM ? 2 : 3;
		longjmp(p->jb, 1);
	}
	if (rc == 0) {
		lin_sql_col_edge(p, REF(src, p->sc->star_id), dst, p->sc->star_id, EK_IDENTITY,
				 at->line, at->col);
		p->sc->tables[dst].cols_state = 2;
		return;
	}
	uint32_t *copy = n ? lin_sql_alloc(p, n * sizeof *copy) : NULL;
	if (n)
		memcpy(copy, cols, n * sizeof *copy);
	for (uint32_t i = 0; i < n; i++)
		lin_sql_col_edge(p, REF(src, copy[i]), dst, copy[i], EK_IDENTITY, at->line,
				 at->col);
	if (lin_sql_table_set_columns(p->sc, dst, copy, n) < 0)
		lin_sql_oom(p);
}

static void stmt_create(sql_parser *p)
{
	int temp = 0, is_view = 0, found = 0;
	p->pos++; /* CREATE */
	p->type = "create_other";
	for (int guard = 0; guard < 12 && lin_sql_cur(p)->type == T_WORD; guard++) {
		const sql_token *t = lin_sql_cur(p);
		if (lin_sql_is_kw(t, K_table)) {
			p->pos++;
			found = 1;
			break;
		}
		if (lin_sql_is_kw(t, K_view)) {
			p->pos++;
			found = 1;
			is_view = 1;
			break;
		}
		if (lin_sql_is_kw(t, K_or)) {
			p->pos += 2; /* OR REPLACE / OR ALTER */
			continue;
		}
		if (lin_sql_is_kw(t, K_temp) || lin_sql_is_kw(t, K_temporary) ||
		    lin_sql_is_kw(t, K_volatile))
			temp = 1;
		else if (!(lin_sql_is_kw(t, K_transient) || lin_sql_is_kw(t, K_global) ||
			   lin_sql_is_kw(t, K_local) || lin_sql_is_kw(t, K_secure) ||
			   lin_sql_is_kw(t, K_multiset) || lin_sql_is_kw(t, K_set) ||
			   lin_sql_is_kw(t, K_external) || lin_sql_is_kw(t, K_recursive) ||
			   lin_sql_is_kw(t, K_materialized) || lin_sql_word_is(p, t, "unlogged") ||
			   lin_sql_word_is(p, t, "force") || lin_sql_word_is(p, t, "noforce") ||
			   lin_sql_word_is(p, t, "dynamic") || lin_sql_word_is(p, t, "iceberg") ||
			   lin_sql_word_is(p, t, "hybrid") || lin_sql_word_is(p, t, "streaming") ||
			   lin_sql_word_is(p, t, "live") || lin_sql_word_is(p, t, "snapshot") ||
			   lin_sql_word_is(p, t, "foreign") || lin_sql_word_is(p, t, "private") ||
			   lin_sql_word_is(p, t, "shallow") || lin_sql_word_is(p, t, "deep") ||
			   lin_sql_word_is(p, t, "columnar") || lin_sql_word_is(p, t, "row") ||
			   lin_sql_word_is(p, t, "nologging")))
			break;
		p->pos++;
	}
	if (!found) {
		skip_rest(p); /* CREATE FUNCTION, INDEX, SCHEMA, ...: no data lineage */
		return;
	}
	if (lin_sql_is_kw(lin_sql_cur(p), K_if))
		p->pos += 3;
	int np;
	const sql_token *first;
	const char **parts = lin_sql_parse_name(p, &np, &first);
	uint32_t tid = lin_sql_table_of(p, parts, np, first);
	if (temp)
		p->sc->tables[tid].temporary = 1;
	int ncols = 0, nlike = 0;
	const char **cols = NULL, **like = NULL;
	const sql_token *like_at = NULL;
	if (lin_sql_is_op(lin_sql_cur(p), '(') && !lin_sql_query_starts(p, 1))
		cols = lin_sql_create_columns(p, &ncols, &like, &nlike, &like_at);
	p->type = is_view ? "create_view" : "create_table";
	/* options until AS query / LIKE / CLONE / a bare query */
	while (lin_sql_cur(p)->type != T_EOF) {
		const sql_token *t = lin_sql_cur(p);
		if (lin_sql_is_kw(t, K_as) && (lin_sql_query_starts(p, 1))) {
			p->pos++;
			break;
		}
		if (lin_sql_query_starts(p, 0) && !lin_sql_is_kw(t, K_with) &&
		    !lin_sql_is_kw(t, K_from))
			break;
		if (lin_sql_is_kw(t, K_with) && lin_sql_query_starts(p, 0) &&
		    lin_sql_is_ident(lin_sql_peek(p, 1)) && lin_sql_is_kw(lin_sql_peek(p, 2), K_as))
			break;
		if (is_view && lin_sql_is_kw(t, K_to) && lin_sql_is_ident(lin_sql_peek(p, 1))) {
			/* ClickHouse: the view's rows go to another table */
			p->pos++;
			int nt;
			const sql_token *tf;
			const char **tp = lin_sql_parse_name(p, &nt, &tf);
			tid = lin_sql_table_of(p, tp, nt, tf);
			continue;
		}
		if (lin_sql_is_kw(t, K_like) || lin_sql_is_kw(t, K_clone)) {
			int clone = lin_sql_is_kw(t, K_clone);
			p->pos++;
			const sql_token *sf;
			int ns;
			const char **sp = lin_sql_parse_name(p, &ns, &sf);
			uint32_t src = lin_sql_table_of(p, sp, ns, sf);
			lin_sql_note_read(p, src);
			lin_sql_note_write(p, tid);
			p->type = clone ? "create_table_clone" : "create_table_like";
			if (clone) {
				copy_columns_edges(p, src, tid, sf);
			} else {
				const uint32_t *sc = NULL;
				uint32_t n = 0;
				int rc = lin_sql_table_columns(p->sc, src, &sc, &n);
				if (rc > 0) {
					uint32_t *copy = n ? lin_sql_alloc(p, n * sizeof *copy) : NULL;
					if (n)
						memcpy(copy, sc, n * sizeof *copy);
					if (lin_sql_table_set_columns(p->sc, tid, copy, n) < 0)
						lin_sql_oom(p);
				}
			}
			skip_rest(p);
			return;
		}
		if (lin_sql_is_op(t, '(') || lin_sql_is_op(t, '['))
			lin_sql_skip_balanced(p);
		else
			p->pos++;
	}
	if (like) {
		uint32_t src = lin_sql_table_of(p, like, nlike, like_at);
		lin_sql_note_read(p, src);
		lin_sql_note_write(p, tid);
		p->type = "create_table_like";
		return;
	}
	if (lin_sql_cur(p)->type == T_EOF) {
		/* plain DDL: the table is written (created), its columns are known */
		if (!is_view)
			lin_sql_note_write(p, tid);
		if (cols && !is_view) {
			uint32_t *ids = ncols ? lin_sql_alloc(p, (size_t)ncols * sizeof *ids) : NULL;
			for (int i = 0; i < ncols; i++)
				ids[i] = intern(p, cols[i]);
			if (lin_sql_table_set_columns(p->sc, tid, ids, (uint32_t)ncols) < 0)
				lin_sql_oom(p);
		}
		return;
	}
	p->type = is_view ? "create_view" : "create_table_as";
	lin_sql_note_write(p, tid);
	p->sub_item = -1;
	sql_query *q = lin_sql_parse_query(p, NULL, &p->indirect);
	if (cols && ncols) {
		lin_sql_emit_query(p, q, tid, cols, ncols, EMIT_DEFINE);
		uint32_t *ids = lin_sql_alloc(p, (size_t)ncols * sizeof *ids);
		for (int i = 0; i < ncols; i++)
			ids[i] = intern(p, cols[i]);
		if (lin_sql_table_set_columns(p->sc, tid, ids, (uint32_t)ncols) < 0)
			lin_sql_oom(p);
	} else {
		lin_sql_emit_query(p, q, tid, NULL, 0, EMIT_DEFINE);
	}
	/* Teradata WITH [NO] DATA, PRIMARY INDEX ...; Spark options after the query */
	skip_rest(p);
}

/* ---- UPDATE / DELETE / MERGE ---- */
static sql_item *new_item(sql_parser *p, sql_query *q, const char *name, const sql_token *at)
{
	sql_item *it = lin_sql_alloc(p, sizeof *it);
	sql_item **v = lin_sql_alloc(p, (size_t)(q->nitems + 1) * sizeof *v);
	if (q->nitems)
		memcpy(v, q->items, (size_t)q->nitems * sizeof *v);
	v[q->nitems] = it;
	q->items = v;
	q->nitems++;
	q->citems = q->nitems;
	it->alias = name;
	it->line = at->line;
	it->col = at->col;
	return it;
}

static void target_src(sql_parser *p, sql_query *q, const char **parts, int np,
		       const sql_token *first, sql_src **out)
{
	int saved = p->no_read;
	p->no_read = 1;
	sql_src *s = lin_sql_add_table_src(p, q, parts, np, first, 0);
	p->no_read = saved;
	*out = s;
}

/* SET a = expr, t.b = expr, (c, d) = (subquery) */
static void assignments(sql_parser *p, sql_query *q)
{
	for (;;) {
		const sql_token *t = lin_sql_cur(p);
		if (lin_sql_is_op(t, '(')) {
			/* (a, b) = (SELECT x, y ...) or (a, b) = (x, y): by position */
			int n;
			const char **names = lin_sql_ident_list(p, &n);
			if (lin_sql_is_op(lin_sql_cur(p), '='))
				p->pos++;
			int base = q->nitems;
			for (int i = 0; i < n; i++)
				new_item(p, q, names[i], t)->kind = EK_TRANSFORM;
			if (lin_sql_is_op(lin_sql_cur(p), '(') && lin_sql_query_starts(p, 1)) {
				p->pos++;
				p->sub_item = -1;
				sql_query *sub = lin_sql_parse_query(p, q, &p->indirect);
				for (int i = 0; i < n && i < sub->ncols; i++)
					lin_sql_refset_merge(p, &q->items[base + i]->set, &sub->cols[i].set);
				if (lin_sql_is_op(lin_sql_cur(p), ')'))
					p->pos++;
			} else if (lin_sql_is_op(lin_sql_cur(p), '(')) {
				p->pos++;
				for (int i = 0;; i++) {
					sql_refset *d = i < n ? &q->items[base + i]->set
							      : lin_sql_alloc(p, sizeof *d);
					lin_sql_scan_expr(p, q, d, i < n ? base + i : -1, EX_LIST, NULL);
					if (!lin_sql_is_op(lin_sql_cur(p), ','))
						break;
					p->pos++;
				}
				if (lin_sql_is_op(lin_sql_cur(p), ')'))
					p->pos++;
			} else {
				lin_sql_fail(p, lin_sql_cur(p), "expected '(' after (columns) = in SET");
			}
		} else if (lin_sql_is_ident(t)) {
			const char *name = NULL;
			while (lin_sql_is_ident(lin_sql_cur(p))) {
				name = lin_sql_ident(p, lin_sql_cur(p));
				p->pos++;
				if (!lin_sql_is_op(lin_sql_cur(p), '.'))
					break;
				p->pos++;
			}
			if (!lin_sql_is_op(lin_sql_cur(p), '=') && !lin_sql_is_op(lin_sql_cur(p), OP2(':', '=')))
				lin_sql_fail(p, lin_sql_cur(p), "expected '=' in SET");
			p->pos++;
			sql_item *it = new_item(p, q, name, t);
			sql_exprinfo info;
			lin_sql_scan_expr(p, q, &it->set, q->nitems - 1, EX_LIST, &info);
			it->kind = info.kind;
		} else {
			lin_sql_fail(p, t, "expected a column name in SET");
		}
		if (!lin_sql_is_op(lin_sql_cur(p), ','))
			break;
		p->pos++;
	}
}

static void emit_items(sql_parser *p, sql_query *q, uint32_t tid)
{
	for (int i = 0; i < q->ncols; i++) {
		const sql_outcol *c = &q->cols[i];
		if (!strcmp(c->name, "*")) {
			edges_to(p, c, tid, p->sc->star_id);
			continue;
		}
		edges_to(p, c, tid, intern(p, c->name));
	}
}

static void stmt_update(sql_parser *p)
{
	sql_query *q = lin_sql_query_new(p, NULL, &p->indirect);
	sql_src *tgt;
	int np;
	const sql_token *first;
	p->type = "update";
	q->no_alias = 1;
	p->pos++;
	lin_sql_accept_kw(p, K_only);
	const char **parts = lin_sql_parse_name(p, &np, &first);
	const char *alias = NULL;
	if (lin_sql_is_kw(lin_sql_cur(p), K_as)) {
		p->pos++;
		alias = lin_sql_ident(p, lin_sql_cur(p));
		p->pos++;
	} else if (lin_sql_is_ident(lin_sql_cur(p)) && !lin_sql_is_kw(lin_sql_cur(p), K_set) &&
		   !(lin_sql_keyword_flags(lin_sql_cur(p)->kw) & (KF_CLAUSE | KF_OP))) {
		alias = lin_sql_ident(p, lin_sql_cur(p));
		p->pos++;
	}
	/* T-SQL: UPDATE alias SET ... FROM t alias: resolve the target after FROM */
	size_t set_pos = p->pos;
	int deferred = 0;
	if (np == 1 && !alias && lin_sql_is_kw(lin_sql_cur(p), K_from)) {
		/* Teradata: UPDATE alias FROM t alias, s SET ... */
		p->pos++;
		lin_sql_parse_from(p, q);
		deferred = 1;
	} else if (np == 1 && !alias && (p->flags & DF_GO)) {
		deferred = 1;
	} else {
		target_src(p, q, parts, np, first, &tgt);
		tgt->alias = alias;
		/* MySQL: UPDATE t1 JOIN t2 ON ... SET */
		if (!lin_sql_is_kw(lin_sql_cur(p), K_set))
			lin_sql_parse_join_tail(p, q);
	}
	set_pos = p->pos;
	if (!lin_sql_accept_kw(p, K_set))
		lin_sql_fail(p, lin_sql_cur(p), "expected SET in UPDATE");
	/* skip the assignments for now: FROM must be known first */
	size_t assign_pos = p->pos;
	int d = 0;
	while (lin_sql_cur(p)->type != T_EOF) {
		const sql_token *t = lin_sql_cur(p);
		if (lin_sql_is_op(t, '('))
			d++;
		else if (lin_sql_is_op(t, ')'))
			d--;
		else if (d == 0 && (lin_sql_is_kw(t, K_from) || lin_sql_is_kw(t, K_where) ||
				    lin_sql_is_kw(t, K_returning) ||
				    lin_sql_word_is(p, t, "output")))
			break;
		p->pos++;
	}
	if (lin_sql_accept_kw(p, K_from))
		lin_sql_parse_from(p, q);
	if (deferred) {
		sql_src *hit = NULL;
		for (int i = 0; i < q->nsrcs; i++)
			if (q->srcs[i]->alias && !strcmp(q->srcs[i]->alias, parts[0]))
				hit = q->srcs[i];
		if (hit && hit->kind == S_TABLE) {
			tgt = hit;
		} else {
			target_src(p, q, parts, np, first, &tgt);
		}
	}
	q->from_done = 1;
	size_t tail = p->pos;
	p->pos = assign_pos;
	assignments(p, q);
	p->pos = tail;
	if (lin_sql_accept_kw(p, K_where))
		lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST, NULL);
	(void)set_pos;
	lin_sql_resolve(p, q);
	if (tgt->kind != S_TABLE)
		lin_sql_fail(p, first, "UPDATE target is not a table");
	lin_sql_note_write(p, tgt->tid);
	/* T-SQL names the target in FROM too: it is written, not read */
	for (uint32_t i = 0; i < p->nreads; i++) {
		if (p->reads[i] == tgt->tid) {
			p->reads[i] = p->reads[--p->nreads];
			break;
		}
	}
	emit_items(p, q, tgt->tid);
	skip_rest(p);
}

static void stmt_delete(sql_parser *p)
{
	sql_query *q = lin_sql_query_new(p, NULL, &p->indirect);
	sql_src *tgt = NULL;
	int np;
	const sql_token *first;
	p->type = "delete";
	q->no_alias = 1;
	p->pos++;
	/* MySQL: DELETE t1 FROM t1 JOIN t2 ...; T-SQL: DELETE a FROM t a JOIN ... */
	const char **parts = NULL;
	if (!lin_sql_is_kw(lin_sql_cur(p), K_from)) {
		parts = lin_sql_parse_name(p, &np, &first);
		while (lin_sql_is_op(lin_sql_cur(p), ',')) { /* DELETE t1, t2 FROM */
			p->pos++;
			int n2;
			const sql_token *f2;
			lin_sql_parse_name(p, &n2, &f2);
		}
	}
	if (lin_sql_accept_kw(p, K_from)) {
		if (!parts) {
			parts = lin_sql_parse_name(p, &np, &first);
			target_src(p, q, parts, np, first, &tgt);
			sql_src tmp = {0};
			lin_sql_parse_alias(p, &tmp);
			tgt->alias = tmp.alias;
			if (lin_sql_accept_kw(p, K_using) || lin_sql_accept_kw(p, K_from))
				lin_sql_parse_from(p, q);
		} else {
			lin_sql_parse_from(p, q);
		}
	} else if (parts) {
		target_src(p, q, parts, np, first, &tgt);
	}
	if (!tgt) {
		/* the named target is one of the FROM items */
		for (int i = 0; i < q->nsrcs && !tgt; i++) {
			sql_src *s = q->srcs[i];
			if ((s->alias && np == 1 && !strcmp(s->alias, parts[0])) ||
			    (s->kind == S_TABLE && s->nparts == np &&
			     !strcmp(s->parts[np - 1], parts[np - 1])))
				tgt = s;
		}
		if (!tgt)
			target_src(p, q, parts, np, first, &tgt);
	}
	q->from_done = 1;
	if (lin_sql_accept_kw(p, K_where))
		lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST, NULL);
	lin_sql_resolve(p, q);
	if (tgt->kind != S_TABLE)
		lin_sql_fail(p, first, "DELETE target is not a table");
	lin_sql_note_write(p, tgt->tid);
	/* the target's own rows were in the FROM list as a read: it is the table written */
	for (uint32_t i = 0; i < p->nreads; i++) {
		if (p->reads[i] == tgt->tid) {
			p->reads[i] = p->reads[--p->nreads];
			break;
		}
	}
	skip_rest(p);
}

static void merge_star(sql_parser *p, sql_query *q, sql_src *src, const sql_token *at,
		       int update)
{
	(void)update;
	sql_item *it = new_item(p, q, NULL, at);
	it->star = 1;
	const char *qual = src->alias ? src->alias : src->nparts ? src->parts[src->nparts - 1] : NULL;
	if (qual) {
		it->star_parts = lin_sql_alloc(p, sizeof *it->star_parts);
		it->star_parts[0] = qual;
		it->nstar = 1;
	}
}

static void stmt_merge(sql_parser *p)
{
	sql_query *q = lin_sql_query_new(p, NULL, &p->indirect);
	sql_src *tgt, *src;
	int np;
	const sql_token *first;
	p->type = "merge";
	q->no_alias = 1;
	p->pos++;
	lin_sql_accept_kw(p, K_into);
	const char **parts = lin_sql_parse_name(p, &np, &first);
	target_src(p, q, parts, np, first, &tgt);
	{
		sql_src tmp = {0};
		if (!lin_sql_is_kw(lin_sql_cur(p), K_using))
			lin_sql_parse_alias(p, &tmp);
		tgt->alias = tmp.alias;
	}
	if (!lin_sql_accept_kw(p, K_using))
		lin_sql_fail(p, lin_sql_cur(p), "expected USING in MERGE");
	int before = q->nsrcs;
	lin_sql_parse_from(p, q);
	src = q->nsrcs > before ? q->srcs[before] : NULL;
	if (!lin_sql_accept_kw(p, K_on))
		lin_sql_fail(p, lin_sql_cur(p), "expected ON in MERGE");
	lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST, NULL);
	q->from_done = 1;
	while (lin_sql_accept_kw(p, K_when)) {
		lin_sql_accept_kw(p, K_not);
		if (!accept_word(p, "matched"))
			lin_sql_fail(p, lin_sql_cur(p), "expected MATCHED after WHEN");
		if (lin_sql_accept_kw(p, K_by))
			p->pos++; /* BY SOURCE / BY TARGET */
		if (lin_sql_accept_kw(p, K_and))
			lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST, NULL);
		if (!lin_sql_accept_kw(p, K_then))
			lin_sql_fail(p, lin_sql_cur(p), "expected THEN in MERGE");
		const sql_token *t = lin_sql_cur(p);
		if (lin_sql_accept_kw(p, K_update)) {
			if (!lin_sql_accept_kw(p, K_set))
				lin_sql_fail(p, lin_sql_cur(p), "expected SET after UPDATE in MERGE");
			if (lin_sql_is_op(lin_sql_cur(p), '*')) {
				p->pos++;
				if (src)
					merge_star(p, q, src, t, 1);
			} else {
				assignments(p, q);
			}
			if (lin_sql_accept_kw(p, K_where)) /* Oracle */
				lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST, NULL);
			if (lin_sql_accept_kw(p, K_delete) && lin_sql_accept_kw(p, K_where))
				lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST, NULL);
		} else if (lin_sql_accept_kw(p, K_delete)) {
		} else if (lin_sql_accept_kw(p, K_insert)) {
			int n = 0;
			const char **cols = NULL;
			if (lin_sql_is_op(lin_sql_cur(p), '*') || lin_sql_is_kw(lin_sql_cur(p), K_row)) {
				p->pos++;
				if (src)
					merge_star(p, q, src, t, 0);
			} else {
				if (lin_sql_is_op(lin_sql_cur(p), '('))
					cols = lin_sql_ident_list(p, &n);
				if (lin_sql_is_kw(lin_sql_cur(p), K_default) &&
				    lin_sql_is_kw(lin_sql_peek(p, 1), K_values)) {
					p->pos += 2;
				} else if (lin_sql_accept_kw(p, K_values)) {
					if (!lin_sql_is_op(lin_sql_cur(p), '('))
						lin_sql_fail(p, lin_sql_cur(p), "expected '(' after VALUES");
					p->pos++;
					int i = 0;
					for (;;) {
						const sql_token *at = lin_sql_cur(p);
						sql_item *it = new_item(p, q, i < n ? cols[i] : NULL, at);
						sql_exprinfo info;
						lin_sql_scan_expr(p, q, &it->set, q->nitems - 1, EX_LIST,
								  &info);
						it->kind = info.kind;
						if (!it->alias) {
							/* no column list: the target's columns by position */
							it->alias = info.colname;
						}
						i++;
						if (!lin_sql_is_op(lin_sql_cur(p), ','))
							break;
						p->pos++;
					}
					if (lin_sql_is_op(lin_sql_cur(p), ')'))
						p->pos++;
					if (n == 0) {
						/* map by position to the target's known columns */
						const uint32_t *tc = NULL;
						uint32_t ntc = 0;
						if (lin_sql_table_columns(p->sc, tgt->tid, &tc, &ntc) > 0) {
							for (int k = 0; k < i && (uint32_t)k < ntc; k++)
								q->items[q->nitems - i + k]->alias =
									lin_sql_name(p->sc, tc[k]);
						}
					}
				}
			}
			if (lin_sql_accept_kw(p, K_where))
				lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST, NULL);
		} else if (lin_sql_word_is(p, lin_sql_cur(p), "do") ) {
			p->pos += 2; /* DO NOTHING */
		} else {
			lin_sql_fail(p, lin_sql_cur(p), "expected UPDATE, DELETE or INSERT in MERGE");
		}
	}
	lin_sql_resolve(p, q);
	lin_sql_note_write(p, tgt->tid);
	/* drop items without a target column name */
	int k = 0;
	for (int i = 0; i < q->ncols; i++)
		if (q->cols[i].name && strncmp(q->cols[i].name, "_col", 4))
			q->cols[k++] = q->cols[i];
	q->ncols = k;
	emit_items(p, q, tgt->tid);
	skip_rest(p);
}

/* ---- COPY / UNLOAD / LOAD ---- */
static void stmt_copy(sql_parser *p)
{
	p->type = "copy";
	p->pos++;
	int into = lin_sql_accept_kw(p, K_into);
	const sql_token *t = lin_sql_cur(p);
	if (is_location(t, p->src)) {
		/* COPY INTO @stage|'s3://' FROM table|(query): an unload */
		uint32_t dst = location(p, t);
		p->pos++;
		lin_sql_note_write(p, dst);
		if (!lin_sql_accept_kw(p, K_from))
			lin_sql_fail(p, lin_sql_cur(p), "expected FROM in COPY INTO <location>");
		if (lin_sql_is_op(lin_sql_cur(p), '(')) {
			p->pos++;
			p->sub_item = -1;
			lin_sql_parse_query(p, NULL, &p->indirect);
			if (lin_sql_is_op(lin_sql_cur(p), ')'))
				p->pos++;
		} else {
			int np;
			const sql_token *first;
			const char **parts = lin_sql_parse_name(p, &np, &first);
			lin_sql_note_read(p, lin_sql_table_of(p, parts, np, first));
		}
		skip_rest(p);
		return;
	}
	if (lin_sql_is_op(t, '(')) {
		/* COPY (query) TO 'file' */
		p->pos++;
		p->sub_item = -1;
		lin_sql_parse_query(p, NULL, &p->indirect);
		if (lin_sql_is_op(lin_sql_cur(p), ')'))
			p->pos++;
		if (lin_sql_accept_kw(p, K_to) && is_location(lin_sql_cur(p), p->src))
			lin_sql_note_write(p, location(p, lin_sql_cur(p)));
		skip_rest(p);
		return;
	}
	int np;
	const sql_token *first;
	const char **parts = lin_sql_parse_name(p, &np, &first);
	uint32_t tid = lin_sql_table_of(p, parts, np, first);
	int ncols = 0;
	if (lin_sql_is_op(lin_sql_cur(p), '(') && !lin_sql_query_starts(p, 1))
		lin_sql_ident_list(p, &ncols);
	if (lin_sql_accept_kw(p, K_from)) {
		lin_sql_note_write(p, tid);
		if (lin_sql_is_op(lin_sql_cur(p), '(')) {
			/* Snowflake: COPY INTO t FROM (SELECT ... FROM @stage) */
			p->pos++;
			p->sub_item = -1;
			lin_sql_parse_query(p, NULL, &p->indirect);
			if (lin_sql_is_op(lin_sql_cur(p), ')'))
				p->pos++;
		} else if (is_location(lin_sql_cur(p), p->src)) {
			lin_sql_note_read(p, location(p, lin_sql_cur(p)));
		} else if (!lin_sql_word_is(p, lin_sql_cur(p), "stdin") && !lin_sql_word_is(p, lin_sql_cur(p), "program")) {
			if (lin_sql_is_ident(lin_sql_cur(p))) {
				const sql_token *sf;
				int ns;
				const char **sp = lin_sql_parse_name(p, &ns, &sf);
				lin_sql_note_read(p, lin_sql_table_of(p, sp, ns, sf));
			}
		}
	} else if (lin_sql_accept_kw(p, K_to)) {
		lin_sql_note_read(p, tid);
		if (is_location(lin_sql_cur(p), p->src))
			lin_sql_note_write(p, location(p, lin_sql_cur(p)));
	} else if (!into) {
		lin_sql_fail(p, lin_sql_cur(p), "expected FROM or TO in COPY");
	}
	skip_rest(p);
}

static void parse_embedded(sql_parser *p, const char *text);

static void stmt_unload(sql_parser *p)
{
	p->type = "unload";
	p->pos++;
	if (lin_sql_is_op(lin_sql_cur(p), '('))
		p->pos++;
	if (lin_sql_cur(p)->type == T_STRING) {
		parse_embedded(p, string_text(p, lin_sql_cur(p)));
		p->pos++;
	} else if (lin_sql_query_starts(p, 0)) {
		p->sub_item = -1;
		lin_sql_parse_query(p, NULL, &p->indirect);
	}
	if (lin_sql_is_op(lin_sql_cur(p), ')'))
		p->pos++;
	if (lin_sql_accept_kw(p, K_to) && is_location(lin_sql_cur(p), p->src))
		lin_sql_note_write(p, location(p, lin_sql_cur(p)));
	skip_rest(p);
}

static void stmt_load(sql_parser *p)
{
	/* LOAD DATA [LOCAL] INPATH|INFILE 'path' [OVERWRITE|REPLACE|IGNORE] INTO TABLE t */
	p->type = "load";
	p->pos++;
	accept_word(p, "data");
	lin_sql_accept_kw(p, K_local);
	if (!lin_sql_accept_kw(p, K_inpath) && !accept_word(p, "infile")) {
		skip_rest(p);
		p->type = "other";
		return;
	}
	if (is_location(lin_sql_cur(p), p->src)) {
		lin_sql_note_read(p, location(p, lin_sql_cur(p)));
		p->pos++;
	}
	while (lin_sql_cur(p)->type != T_EOF && !lin_sql_is_kw(lin_sql_cur(p), K_into))
		p->pos++;
	if (lin_sql_accept_kw(p, K_into)) {
		lin_sql_accept_kw(p, K_table);
		int np;
		const sql_token *first;
		const char **parts = lin_sql_parse_name(p, &np, &first);
		lin_sql_note_write(p, lin_sql_table_of(p, parts, np, first));
	}
	skip_rest(p);
}

/* ---- ALTER / RENAME / DROP / USE ---- */
static void rename_table(sql_parser *p, const char **from, int nfrom, const sql_token *ff,
			 const char **to, int nto, const sql_token *tf)
{
	/* a new name without a schema stays in the old table's schema */
	if (nto < nfrom) {
		const char **full = lin_sql_alloc(p, (size_t)nfrom * sizeof *full);
		for (int i = 0; i < nfrom - nto; i++)
			full[i] = from[i];
		for (int i = 0; i < nto; i++)
			full[nfrom - nto + i] = to[i];
		to = full;
		nto = nfrom;
	}
	uint32_t a = lin_sql_table_of(p, from, nfrom, ff);
	uint32_t b = lin_sql_table_of(p, to, nto, tf);
	/* a rename moves no data: no read, no write, no edge; the new name takes the
	 * known columns, and the statement lists the pair */
	const uint32_t *cols = NULL;
	uint32_t n = 0;
	int rc = lin_sql_table_columns(p->sc, a, &cols, &n);
	if (rc < 0) {
		p->fail = rc == LINEAGE_ENOMEM ? 2 : 3;
		longjmp(p->jb, 1);
	}
	if (rc > 0) {
		uint32_t *copy = n ? lin_sql_alloc(p, n * sizeof *copy) : NULL;
		if (n)
			memcpy(copy, cols, n * sizeof *copy);
		if (lin_sql_table_set_columns(p->sc, b, copy, n) < 0)
			lin_sql_oom(p);
	} else {
		p->sc->tables[b].cols_state = 2;
	}
	if (p->sc->tables[a].temporary)
		p->sc->tables[b].temporary = 1;
	lin_sql_note_rename(p, a, b);
}

/* Data of table `from` moves into `into` (SWAP WITH, EXCHANGE PARTITION): column edges for
 * the known columns, else from.* -> into.*. */
static void move_data(sql_parser *p, uint32_t from, uint32_t into, const sql_token *at)
{
	lin_sql_note_read(p, from);
	lin_sql_note_write(p, into);
	const uint32_t *cols = NULL;
	uint32_t n = 0;
	int rc = lin_sql_table_columns(p->sc, from, &cols, &n);
	if (rc < 0) {
		p->fail = rc == LINEAGE_ENOMEM ? 2 : 3;
		longjmp(p->jb, 1);
	}
	if (rc == 0) {
		lin_sql_col_edge(p, REF(from, p->sc->star_id), into, p->sc->star_id, EK_IDENTITY,
				 at->line, at->col);
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		lin_sql_col_edge(p, REF(from, cols[i]), into, cols[i], EK_IDENTITY, at->line,
				 at->col);
}

static void stmt_alter(sql_parser *p)
{
	p->type = "alter";
	p->pos++;
	if (!lin_sql_is_kw(lin_sql_cur(p), K_table) && !lin_sql_is_kw(lin_sql_cur(p), K_view) &&
	    !(lin_sql_is_kw(lin_sql_cur(p), K_materialized) && lin_sql_is_kw(lin_sql_peek(p, 1), K_view))) {
		skip_rest(p);
		return;
	}
	if (lin_sql_is_kw(lin_sql_cur(p), K_materialized))
		p->pos++;
	p->pos++;
	if (lin_sql_is_kw(lin_sql_cur(p), K_if))
		p->pos += 2;
	int na, nb;
	const sql_token *fa, *fb;
	const char **a = lin_sql_parse_name(p, &na, &fa);
	if (lin_sql_is_kw(lin_sql_cur(p), K_rename) && lin_sql_is_kw(lin_sql_peek(p, 1), K_to)) {
		p->pos += 2;
		const char **b = lin_sql_parse_name(p, &nb, &fb);
		p->type = "rename";
		rename_table(p, a, na, fa, b, nb, fb);
	} else if (lin_sql_is_kw(lin_sql_cur(p), K_rename) && lin_sql_is_kw(lin_sql_peek(p, 1), K_as)) {
		p->pos += 2;
		const char **b = lin_sql_parse_name(p, &nb, &fb);
		p->type = "rename";
		rename_table(p, a, na, fa, b, nb, fb);
	} else if (lin_sql_is_kw(lin_sql_cur(p), K_swap) && lin_sql_is_kw(lin_sql_peek(p, 1), K_with)) {
		/* Snowflake: a takes b's data (and b takes a's old data, which this script's
		 * lineage already gave it) */
		p->pos += 2;
		const char **b = lin_sql_parse_name(p, &nb, &fb);
		uint32_t ta = lin_sql_table_of(p, a, na, fa), tb = lin_sql_table_of(p, b, nb, fb);
		p->type = "swap";
		move_data(p, tb, ta, fb);
		/* the known columns are exchanged */
		const uint32_t *cx = NULL, *cy = NULL;
		uint32_t nx = 0, ny = 0;
		int kx = lin_sql_table_columns(p->sc, ta, &cx, &nx) > 0;
		int ky = lin_sql_table_columns(p->sc, tb, &cy, &ny) > 0;
		uint32_t *sx = nx ? lin_sql_alloc(p, nx * sizeof *sx) : NULL;
		uint32_t *sy = ny ? lin_sql_alloc(p, ny * sizeof *sy) : NULL;
		if (nx)
			memcpy(sx, cx, nx * sizeof *sx);
		if (ny)
			memcpy(sy, cy, ny * sizeof *sy);
		if (kx ? lin_sql_table_set_columns(p->sc, tb, sx, nx) < 0
		       : (p->sc->tables[tb].cols_state = 2, 0))
			lin_sql_oom(p);
		if (ky ? lin_sql_table_set_columns(p->sc, ta, sy, ny) < 0
		       : (p->sc->tables[ta].cols_state = 2, 0))
			lin_sql_oom(p);
	} else if (accept_word(p, "exchange")) {
		/* Hive: ALTER TABLE a EXCHANGE PARTITION (...) WITH TABLE b: b's data into a */
		if (lin_sql_accept_kw(p, K_partition) && lin_sql_is_op(lin_sql_cur(p), '('))
			lin_sql_skip_balanced(p);
		if (lin_sql_accept_kw(p, K_with) && lin_sql_accept_kw(p, K_table)) {
			const char **b = lin_sql_parse_name(p, &nb, &fb);
			uint32_t ta = lin_sql_table_of(p, a, na, fa), tb = lin_sql_table_of(p, b, nb, fb);
			p->type = "exchange_partition";
			move_data(p, tb, ta, fb);
		}
	}
	skip_rest(p);
}

static void stmt_rename(sql_parser *p)
{
	/* MySQL: RENAME TABLE a TO b [, c TO d] */
	p->type = "rename";
	p->pos++;
	if (!lin_sql_accept_kw(p, K_table)) {
		skip_rest(p);
		return;
	}
	for (;;) {
		int na, nb;
		const sql_token *fa, *fb;
		const char **a = lin_sql_parse_name(p, &na, &fa);
		if (!lin_sql_accept_kw(p, K_to))
			lin_sql_fail(p, lin_sql_cur(p), "expected TO in RENAME TABLE");
		const char **b = lin_sql_parse_name(p, &nb, &fb);
		rename_table(p, a, na, fa, b, nb, fb);
		if (!lin_sql_is_op(lin_sql_cur(p), ','))
			break;
		p->pos++;
	}
	skip_rest(p);
}

static void stmt_drop(sql_parser *p)
{
	p->type = "drop";
	p->pos++;
	lin_sql_accept_kw(p, K_temporary);
	lin_sql_accept_kw(p, K_materialized);
	if (!lin_sql_accept_kw(p, K_table) && !lin_sql_accept_kw(p, K_view)) {
		skip_rest(p);
		return;
	}
	if (lin_sql_is_kw(lin_sql_cur(p), K_if))
		p->pos += 2;
	for (;;) {
		int n;
		const sql_token *f;
		const char **parts = lin_sql_parse_name(p, &n, &f);
		uint32_t tid = lin_sql_table_of(p, parts, n, f);
		/* a table created again later gets new columns */
		p->sc->tables[tid].cols_state = 2;
		p->sc->tables[tid].last_drop = (int64_t)p->stmt;
		if (!lin_sql_is_op(lin_sql_cur(p), ','))
			break;
		p->pos++;
	}
	skip_rest(p);
}

static const char *intern_str(sql_parser *p, const char *s)
{
	return lin_sql_name(p->sc, intern(p, s));
}

static void stmt_use(sql_parser *p)
{
	sql_script *sc = p->sc;
	int level = 0; /* 1 database, 2 schema */
	p->type = "use";
	p->pos++;
	if (lin_sql_accept_kw(p, K_database) || accept_word(p, "catalog"))
		level = 1;
	else if (lin_sql_accept_kw(p, K_schema))
		level = 2;
	else if ((lin_sql_word_is(p, lin_sql_cur(p), "warehouse") || lin_sql_word_is(p, lin_sql_cur(p), "role") ||
		  lin_sql_word_is(p, lin_sql_cur(p), "secondary")) && lin_sql_is_ident(lin_sql_peek(p, 1))) {
		skip_rest(p);
		return;
	}
	int n;
	const sql_token *f;
	const char **parts = lin_sql_parse_name(p, &n, &f);
	if (n >= 2) {
		sc->use_db = intern_str(p, parts[n - 2]);
		sc->use_schema = intern_str(p, parts[n - 1]);
	} else if (level == 1 || (level == 0 && (p->flags & DF_USE_IS_DB))) {
		sc->use_db = intern_str(p, parts[0]);
		sc->use_schema = NULL;
	} else {
		sc->use_schema = intern_str(p, parts[0]);
	}
	skip_rest(p);
}

static void stmt_set(sql_parser *p)
{
	/* Postgres: SET search_path TO x, ...; SET SCHEMA 'x' */
	p->type = "other";
	p->pos++;
	lin_sql_accept_kw(p, K_local);
	accept_word(p, "session");
	if (accept_word(p, "search_path") || lin_sql_accept_kw(p, K_schema)) {
		if (lin_sql_accept_kw(p, K_to) || lin_sql_is_op(lin_sql_cur(p), '='))
			if (lin_sql_is_op(lin_sql_cur(p), '='))
				p->pos++;
		const sql_token *t = lin_sql_cur(p);
		const char *name = t->type == T_STRING ? string_text(p, t)
			: lin_sql_is_ident(t) ? lin_sql_ident(p, t) : NULL;
		if (name && *name) {
			p->sc->use_schema = intern_str(p, name);
			p->type = "use";
		}
		skip_rest(p);
		return;
	}
	/* SET var = expr, SET (a, b) = (SELECT ...), SET @x += ...: the subqueries are read */
	lin_sql_stmt_reads(p);
	p->type = "other";
}

/* Parse SQL held in a string literal (UNLOAD ('select ...')): its reads are this statement's. */
static void parse_embedded(sql_parser *p, const char *text)
{
	if (p->unload_depth > 0)
		return;
	sql_lexer lx;
	sql_tokvec tv = {0};
	lin_sql_lexer_init(&lx, text, strlen(text), p->flags);
	int rc = lin_sql_lex_statement(&lx, &tv);
	if (rc < 0) {
		lin_sql_tokvec_free(&tv);
		lin_sql_oom(p);
	}
	/* copy the tokens into the arena so a failure below leaks nothing */
	sql_token *toks = tv.n ? lin_arena_alloc(p->arena, tv.n * sizeof *toks) : NULL;
	size_t ntok = tv.n;
	if (tv.n && !toks) {
		lin_sql_tokvec_free(&tv);
		lin_sql_oom(p);
	}
	if (tv.n)
		memcpy(toks, tv.v, tv.n * sizeof *toks);
	lin_sql_tokvec_free(&tv);
	if (!ntok)
		return;
	const char *src = p->src;
	const sql_token *t = p->t;
	size_t n = p->n, pos = p->pos;
	p->src = text;
	p->t = toks;
	p->n = ntok;
	p->pos = 0;
	p->unload_depth++;
	if (lin_sql_query_starts(p, 0)) {
		p->sub_item = -1;
		lin_sql_parse_query(p, NULL, &p->indirect);
	}
	p->unload_depth--;
	p->src = src;
	p->t = t;
	p->n = n;
	p->pos = pos;
}

void lin_sql_parse_statement(sql_parser *p)
{
	const sql_token *t = lin_sql_cur(p);
	p->type = "other";
	if (t->type == T_EOF)
		return;
	if (p->piece == BK_EXPR) {
		lin_sql_stmt_reads(p);
		return;
	}
	if (p->piece == BK_DYNAMIC) {
		lin_sql_stmt_dynamic(p);
		return;
	}
	if (p->piece == BK_DECL || lin_sql_word_is(p, t, "declare")) {
		lin_sql_stmt_declare(p);
		return;
	}
	if (lin_sql_is_kw(t, K_with) && !lin_sql_query_starts(p, 0))
		lin_sql_fail(p, t, "expected a CTE after WITH");
	if (lin_sql_is_kw(t, K_with)) {
		/* WITH ... INSERT/UPDATE/DELETE/MERGE (T-SQL, Spark) or WITH ... SELECT */
		size_t save = p->pos;
		lin_sql_parse_with(p);
		t = lin_sql_cur(p);
		if (!(lin_sql_is_kw(t, K_insert) || lin_sql_is_kw(t, K_update) ||
		      lin_sql_is_kw(t, K_delete) || lin_sql_is_kw(t, K_merge) ||
		      lin_sql_is_kw(t, K_from))) {
			p->pos = save;
			p->ctes = NULL;
			p->type = "select";
			stmt_query(p);
			goto tail;
		}
	}
	if (t->type == T_OP && t->op == '(') {
		stmt_query(p);
		goto tail;
	}
	if (t->type != T_WORD)
		lin_sql_fail(p, t, "a statement cannot start here");
	switch (t->kw) {
	case K_select: case K_values: case K_table:
		stmt_query(p);
		break;
	case K_from:
		/* Hive multi-insert: FROM src INSERT ... SELECT ...; DuckDB FROM-first */
		if (p->flags & DF_LAMBDA) {
			size_t k = p->pos + 1;
			int d = 0;
			while (k < p->n && !(d == 0 && lin_sql_is_kw(&p->t[k], K_insert))) {
				if (lin_sql_is_op(&p->t[k], '('))
					d++;
				else if (lin_sql_is_op(&p->t[k], ')'))
					d--;
				k++;
			}
			if (k < p->n) {
				/* rewrite as INSERT ... SELECT ... FROM src for each INSERT */
				size_t from_start = p->pos + 1, from_end = k;
				p->type = "insert";
				while (p->pos < p->n && k < p->n && lin_sql_is_kw(&p->t[k], K_insert)) {
					p->pos = k;
					p->pos++; /* INSERT */
					if (!lin_sql_accept_kw(p, K_into))
						lin_sql_accept_kw(p, K_overwrite);
					lin_sql_accept_kw(p, K_table);
					int np, ndyn = 0, ncols = 0;
					const sql_token *first;
					const char **parts = lin_sql_parse_name(p, &np, &first);
					uint32_t tid = lin_sql_table_of(p, parts, np, first);
					lin_sql_note_write(p, tid);
					const char **dyn = NULL, **cols = NULL;
					if (lin_sql_accept_kw(p, K_partition))
						dyn = partition_spec(p, &ndyn);
					if (lin_sql_is_op(lin_sql_cur(p), '(') && !lin_sql_query_starts(p, 1))
						cols = column_list(p, &ncols);
					if (!lin_sql_is_kw(lin_sql_cur(p), K_select))
						lin_sql_fail(p, lin_sql_cur(p), "expected SELECT in a multi-insert");
					/* SELECT list, then the shared FROM, then this WHERE... */
					memset(&p->indirect, 0, sizeof p->indirect);
					sql_query *q = lin_sql_query_new(p, NULL, &p->indirect);
					size_t sel = p->pos + 1, after_from;
					p->pos = from_start;
					lin_sql_parse_from(p, q);
					q->from_done = 1;
					after_from = p->pos;
					(void)after_from;
					p->pos = sel;
					for (;;) {
						sql_exprinfo info;
						sql_item *it = new_item(p, q, NULL, lin_sql_cur(p));
						lin_sql_scan_expr(p, q, &it->set, q->nitems - 1, EX_ITEM,
								  &info);
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
					while (lin_sql_cur(p)->type != T_EOF && !lin_sql_is_kw(lin_sql_cur(p), K_insert)) {
						if (lin_sql_is_kw(lin_sql_cur(p), K_where) ||
						    lin_sql_is_kw(lin_sql_cur(p), K_group) ||
						    lin_sql_is_kw(lin_sql_cur(p), K_having)) {
							p->pos += lin_sql_is_kw(lin_sql_cur(p), K_group) ? 2 : 1;
							lin_sql_scan_expr(p, q, &p->indirect, -1, EX_LIST,
									  NULL);
						} else {
							p->pos++;
						}
					}
					lin_sql_resolve(p, q);
					if (ndyn && !cols && q->ncols >= ndyn)
						for (int i = 0; i < ndyn; i++)
							q->cols[q->ncols - ndyn + i].name = dyn[i];
					lin_sql_emit_query(p, q, tid, cols, ncols, EMIT_INSERT);
					/* this branch's filters shape this target only */
					for (uint32_t r = 0; r < p->indirect.n; r++)
						if (REF_TABLE(p->indirect.v[r]) != tid)
							lin_sql_col_edge(p, p->indirect.v[r], tid, UINT32_MAX,
									 EK_INDIRECT, p->t[0].line,
									 p->t[0].col);
					memset(&p->indirect, 0, sizeof p->indirect);
					k = p->pos;
				}
				(void)from_end;
				skip_rest(p);
				break;
			}
		}
		stmt_query(p);
		break;
	case K_insert:
		stmt_insert(p);
		break;
	case K_replace:
		if (lin_sql_is_kw(lin_sql_peek(p, 1), K_into))
			stmt_insert(p);
		else if (lin_sql_is_kw(lin_sql_peek(p, 1), K_view) ||
			 lin_sql_is_kw(lin_sql_peek(p, 1), K_table) ||
			 lin_sql_is_kw(lin_sql_peek(p, 1), K_recursive))
			stmt_create(p); /* Teradata REPLACE VIEW, Snowflake-like REPLACE TABLE */
		else
			skip_rest(p);
		break;
	case K_create:
		stmt_create(p);
		break;
	case K_merge:
		stmt_merge(p);
		break;
	case K_update:
		stmt_update(p);
		break;
	case K_delete:
		stmt_delete(p);
		break;
	case K_copy:
		stmt_copy(p);
		break;
	case K_unload:
		stmt_unload(p);
		break;
	case K_alter:
		stmt_alter(p);
		break;
	case K_rename:
		stmt_rename(p);
		break;
	case K_drop:
		stmt_drop(p);
		break;
	case K_use:
		stmt_use(p);
		break;
	case K_set:
		stmt_set(p);
		break;
	case K_load:
		stmt_load(p);
		break;
	default: {
		static const char *const known[] = {
			"begin", "commit", "rollback", "start", "end", "grant", "revoke", "analyze",
			"vacuum", "call", "exec", "execute", "declare", "show", "describe", "desc",
			"pragma", "comment", "truncate", "refresh", "msck", "optimize", "print", "if",
			"return", "raise", "lock", "unlock", "checkpoint", "reindex", "cluster",
			"savepoint", "release", "listen", "notify", "fetch", "close", "open",
			"deallocate", "prepare", "while", "loop", "for", "else", "elsif", "elseif",
			"exception", "do", "put", "get", "list", "remove", "unset", "reset", "attach",
			"detach", "install", "export", "import", "delimiter", "kill", "flush",
			"explain", "cache", "uncache", "add", "undrop", "abort", "discard", "go",
			"set", "use", "upsert", "sp_rename", "raiserror", "throw", "try", "catch",
			"break", "continue", "goto", "waitfor", "dbcc", "backup", "restore", "copy",
			"leave", "iterate", "repeat", "until", "signal", "resignal", "handler",
			"cursor", "let", "case", "when", "then", "exit", "null", "load", "summarize",
			"pivot", "from", "dump", "alter", "lateral", "out", "returns", "language"};
		const char *w = lin_sql_ident(p, t);
		if (t->kw == K_begin || t->kw == K_end || t->kw == K_if || t->kw == K_for ||
		    t->kw == K_else) {
			skip_rest(p);
			break;
		}
		for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
			if (!strcmp(w, known[i])) {
				skip_rest(p);
				return;
			}
		}
		lin_sql_fail(p, t, "unrecognized statement");
	}
	}
tail:
	if (lin_sql_cur(p)->type != T_EOF) {
		const sql_token *x = lin_sql_cur(p);
		lin_sql_diag(p->sc, p->stmt, x->line, x->col, LINEAGE_SQL_WARNING,
			     "unexpected \"%.*s\" after the end of the %s statement; the rest was "
			     "ignored",
			     (int)(x->len > 40 ? 40 : x->len), p->src + x->off, p->type);
	}
}
