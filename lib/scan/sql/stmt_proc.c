/*
 * Procedural statements: DECLARE (variables, cursors, T-SQL table variables), conditions and
 * assignments whose subqueries read tables, dynamic SQL. Variables and parameters are
 * remembered so that they are never taken for columns (block.c finds these pieces).
 */
#include <stdlib.h>
#include <string.h>

#include "sql_internal.h"

#define MAX_VARS 4096u

int lin_sql_is_var(const sql_script *sc, const char *name)
{
	for (uint32_t i = 0; i < sc->nvars; i++)
		if (!strcmp(sc->vars[i], name))
			return 1;
	return 0;
}

int lin_sql_var_add(sql_script *sc, const char *name)
{
	if (sc->nvars >= MAX_VARS || !*name || lin_sql_is_var(sc, name))
		return 0;
	uint32_t id = lin_sql_intern(sc, name, strlen(name));
	if (id == UINT32_MAX)
		return LINEAGE_ENOMEM;
	if (sc->nvars == sc->cvars) {
		uint32_t nc = sc->cvars ? sc->cvars * 2 : 16;
		const char **v = realloc(sc->vars, nc * sizeof *v);
		if (!v)
			return LINEAGE_ENOMEM;
		sc->vars = v;
		sc->cvars = nc;
	}
	sc->vars[sc->nvars++] = lin_sql_name(sc, id);
	return 0;
}

static void add_var(sql_parser *p, const sql_token *t)
{
	if (lin_sql_is_ident(t) && lin_sql_var_add(p->sc, lin_sql_ident(p, t)) < 0)
		lin_sql_oom(p);
}

#define MAX_RECORDS 1024u

const sql_record *lin_sql_record_find(const sql_script *sc, const char *name)
{
	for (uint32_t i = sc->nrecords; i-- > 0;)
		if (!strcmp(sc->records[i].name, name))
			return &sc->records[i];
	return NULL;
}

static sql_record *record_new(sql_script *sc, const char *name, uint32_t n)
{
	if (sc->nrecords >= MAX_RECORDS)
		return NULL;
	if (sc->nrecords == sc->crecords) {
		uint32_t nc = sc->crecords ? sc->crecords * 2 : 8;
		sql_record *v = realloc(sc->records, nc * sizeof *v);
		if (!v)
			return NULL;
		sc->records = v;
		sc->crecords = nc;
	}
	sql_record *r = &sc->records[sc->nrecords];
	r->name = name;
	r->n = n;
	r->cols = malloc((n ? n : 1) * sizeof *r->cols);
	r->refs = malloc((n ? n : 1) * sizeof *r->refs);
	if (!r->cols || !r->refs) {
		free(r->cols);
		free(r->refs);
		return NULL;
	}
	sc->nrecords++;
	return r;
}

void lin_sql_record_save(sql_parser *p, const char *name, const sql_query *q)
{
	sql_script *sc = p->sc;
	uint32_t n = 0, k = 0;
	for (int i = 0; i < q->ncols; i++)
		n += q->cols[i].set.n;
	uint32_t id = lin_sql_intern(sc, name, strlen(name));
	if (id == UINT32_MAX)
		lin_sql_oom(p);
	sql_record *r = record_new(sc, lin_sql_name(sc, id), n);
	if (!r)
		return; /* too many records: its fields are dropped like variables */
	for (int i = 0; i < q->ncols; i++) {
		uint32_t col = lin_sql_intern(sc, q->cols[i].name, strlen(q->cols[i].name));
		if (col == UINT32_MAX)
			lin_sql_oom(p);
		for (uint32_t j = 0; j < q->cols[i].set.n; j++) {
			r->cols[k] = col;
			r->refs[k++] = q->cols[i].set.v[j];
		}
	}
}

int lin_sql_record_alias(sql_script *sc, const char *to, const char *from)
{
	const sql_record *f = lin_sql_record_find(sc, from);
	if (!f)
		return 0;
	uint32_t id = lin_sql_intern(sc, to, strlen(to)), n = f->n;
	if (id == UINT32_MAX)
		return LINEAGE_ENOMEM;
	size_t fi = (size_t)(f - sc->records);
	sql_record *r = record_new(sc, lin_sql_name(sc, id), n);
	if (!r)
		return 0;
	f = &sc->records[fi]; /* the array may have moved */
	memcpy(r->cols, f->cols, n * sizeof *r->cols);
	memcpy(r->refs, f->refs, n * sizeof *r->refs);
	return 0;
}

void lin_sql_records_clear(sql_script *sc)
{
	for (uint32_t i = 0; i < sc->nrecords; i++) {
		free(sc->records[i].cols);
		free(sc->records[i].refs);
	}
	sc->nrecords = 0;
}

int lin_sql_into_is_vars(sql_parser *p)
{
	const sql_token *n = lin_sql_peek(p, 1);
	if (n->type == T_PARAM)
		return 1; /* INTO @v, INTO :v */
	if (p->flags & DF_GO)
		return 0; /* T-SQL: SELECT ... INTO creates a table */
	if (p->in_proc)
		return 1; /* PL/pgSQL, PL/SQL, MySQL, Snowflake bodies: INTO variables */
	/* dialects where SELECT ... INTO never creates a table */
	return (p->flags & (DF_SLASH_LINE | DF_DELIMITER | DF_BQ_STRINGS | DF_SLASH_COMMENT)) != 0;
}

/* Read the subqueries of the expression at the current token up to the end (or a top-level
 * comma when `stop_comma`): the tables they read are this statement's reads. */
static void scan_reads(sql_parser *p, int stop_comma)
{
	int d = 0;
	while (lin_sql_cur(p)->type != T_EOF) {
		const sql_token *t = lin_sql_cur(p);
		if (lin_sql_is_op(t, '(') && lin_sql_query_starts(p, 1)) {
			p->pos++;
			d++;
			p->sub_item = -1;
			lin_sql_parse_query(p, NULL, &p->indirect);
			continue;
		}
		if ((lin_sql_is_kw(t, K_select) || lin_sql_is_kw(t, K_with)) &&
		    lin_sql_query_starts(p, 0)) {
			p->sub_item = -1;
			lin_sql_parse_query(p, NULL, &p->indirect);
			continue;
		}
		if (lin_sql_is_op(t, '('))
			d++;
		else if (lin_sql_is_op(t, ')') && d > 0)
			d--;
		else if (stop_comma && d == 0 && lin_sql_is_op(t, ','))
			return;
		p->pos++;
	}
}

void lin_sql_stmt_reads(sql_parser *p)
{
	p->type = "procedural";
	scan_reads(p, 0);
}

/* CURSOR c [(params)] IS|FOR query, c CURSOR ... FOR query: the query is read. */
static void cursor_query(sql_parser *p, const sql_token *name)
{
	int d = 0;
	p->type = "declare_cursor";
	while (lin_sql_cur(p)->type != T_EOF) {
		const sql_token *t = lin_sql_cur(p);
		if (lin_sql_is_op(t, '('))
			d++;
		else if (lin_sql_is_op(t, ')') && d > 0)
			d--;
		p->pos++;
		if (d == 0 && (lin_sql_is_kw(t, K_for) || lin_sql_word_is(p, t, "is")))
			break;
	}
	if (lin_sql_query_starts(p, 0)) {
		p->sub_item = -1;
		sql_query *q = lin_sql_parse_query(p, NULL, &p->indirect);
		if (name && lin_sql_is_ident(name)) /* FOR r IN c LOOP reads its columns */
			lin_sql_record_save(p, lin_sql_ident(p, name), q);
	}
	p->pos = p->n; /* FOR UPDATE, FOR READ ONLY */
}

/* DECLARE @t [AS] TABLE (a int, ...): a temporary table with these columns. */
static void table_variable(sql_parser *p, const sql_token *name)
{
	int np, ncols, nlike = 0;
	const sql_token *first = name, *like_at = NULL;
	const char **like = NULL;
	size_t save = p->pos;
	p->pos = (size_t)(name - p->t);
	const char **parts = lin_sql_parse_name(p, &np, &first);
	p->pos = save;
	lin_sql_accept_kw(p, K_as);
	lin_sql_accept_kw(p, K_table);
	uint32_t tid = lin_sql_table_of(p, parts, np, first);
	p->sc->tables[tid].temporary = 1;
	p->type = "create_table";
	if (!lin_sql_is_op(lin_sql_cur(p), '('))
		return;
	const char **cols = lin_sql_create_columns(p, &ncols, &like, &nlike, &like_at);
	uint32_t *ids = lin_sql_alloc(p, (size_t)(ncols ? ncols : 1) * sizeof *ids);
	for (int i = 0; i < ncols; i++) {
		ids[i] = lin_sql_intern(p->sc, cols[i], strlen(cols[i]));
		if (ids[i] == UINT32_MAX)
			lin_sql_oom(p);
	}
	if (lin_sql_table_set_columns(p->sc, tid, ids, (uint32_t)ncols) < 0)
		lin_sql_oom(p);
}

void lin_sql_stmt_declare(sql_parser *p)
{
	p->type = "declare";
	if (lin_sql_word_is(p, lin_sql_cur(p), "declare"))
		p->pos++;
	while (lin_sql_cur(p)->type != T_EOF) {
		const sql_token *t = lin_sql_cur(p);
		if (lin_sql_word_is(p, t, "cursor")) {
			cursor_query(p, lin_sql_peek(p, 1)); /* CURSOR c IS ... */
			return;
		}
		if (lin_sql_word_is(p, t, "type") || lin_sql_word_is(p, t, "subtype") ||
		    lin_sql_word_is(p, t, "pragma") || lin_sql_word_is(p, t, "continue") ||
		    lin_sql_word_is(p, t, "exit") || lin_sql_word_is(p, t, "undo")) {
			p->pos = p->n; /* types, pragmas, MySQL handlers */
			return;
		}
		const sql_token *name = t;
		p->pos++;
		if (name->type != T_PARAM)
			add_var(p, name);
		/* BigQuery: DECLARE a, b INT64 */
		while (!(p->flags & DF_GO) && lin_sql_is_op(lin_sql_cur(p), ',') &&
		       lin_sql_is_ident(lin_sql_peek(p, 1))) {
			add_var(p, lin_sql_peek(p, 1));
			p->pos += 2;
		}
		for (int k = 0; k < 3; k++) /* [NO] SCROLL | INSENSITIVE CURSOR */
			if (lin_sql_word_is(p, lin_sql_peek(p, (size_t)k), "cursor")) {
				cursor_query(p, name); /* c CURSOR FOR ... */
				return;
			}
		if ((p->flags & DF_GO) && name->type == T_PARAM &&
		    (lin_sql_is_kw(lin_sql_cur(p), K_table) ||
		     (lin_sql_is_kw(lin_sql_cur(p), K_as) && lin_sql_is_kw(lin_sql_peek(p, 1), K_table)))) {
			table_variable(p, name);
		} else {
			scan_reads(p, (p->flags & DF_GO) != 0);
		}
		if (!lin_sql_is_op(lin_sql_cur(p), ','))
			break;
		p->pos++;
	}
	p->pos = p->n;
}

void lin_sql_stmt_dynamic(sql_parser *p)
{
	const sql_token *t = lin_sql_cur(p);
	p->type = "dynamic";
	if (lin_sql_diag(p->sc, p->stmt, t->line, t->col, LINEAGE_SQL_WARNING,
			 "dynamic SQL (%.*s of a string or variable) is not analyzed: the tables "
			 "it reads and writes are not in the lineage",
			 (int)(t->len > 20 ? 20 : t->len), p->src + t->off) < 0)
		lin_sql_oom(p);
	p->pos = p->n;
}
