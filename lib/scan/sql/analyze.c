/* lineage_sql_analyze(): the statement loop, and the public result with its JSON form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/util.h"
#include "sql_internal.h"

#define DEFAULT_MAX_STATEMENT (4u * 1024u * 1024u)
#define DEFAULT_MAX_DEPTH 1000u

struct lineage_sql_result {
	sql_script sc;
	lin_arena strs;
	const char *dialect;
	char *file;
	lineage_sql_table *tables;
	size_t ntables;
	lineage_sql_edge *cedges;
	size_t ncedges;
	lineage_sql_edge *tedges;
	size_t ntedges;
	lineage_sql_diagnostic *diags;
	size_t ndiags;
};

int lineage_sql_options_init(lineage_sql_options *opts, unsigned int version)
{
	if (!opts)
		return lin_error_set(LINEAGE_EINVALID, "lineage_sql_options_init: opts is NULL");
	if (version != LINEAGE_SQL_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID,
				     "lineage_sql_options version %u is not supported (this "
				     "liblineage knows version %d)",
				     version, LINEAGE_SQL_OPTIONS_VERSION);
	memset(opts, 0, sizeof *opts);
	opts->version = version;
	return 0;
}

static int run_statement(sql_parser *p)
{
	if (setjmp(p->jb))
		return p->fail ? p->fail : 1;
	lin_sql_parse_statement(p);
	return 0;
}

static uint32_t *dup_ids(const uint32_t *v, uint32_t n)
{
	uint32_t *c = malloc((n ? n : 1) * sizeof *c);
	if (c && n)
		memcpy(c, v, n * sizeof *c);
	return c;
}

static int add_stmt(sql_script *sc, const sql_token *first)
{
	if (sc->nstmts == sc->cstmts) {
		size_t nc = sc->cstmts ? sc->cstmts * 2 : 16;
		sql_stmtinfo *v = realloc(sc->stmts, nc * sizeof *v);
		if (!v)
			return lin_error_oom();
		sc->stmts = v;
		sc->cstmts = nc;
	}
	sql_stmtinfo *si = &sc->stmts[sc->nstmts++];
	memset(si, 0, sizeof *si);
	si->line = first->line;
	si->col = first->col;
	si->type = "error";
	return 0;
}

static void touch(int64_t *first, int64_t *last, int64_t idx)
{
	if (*first < 0 || idx < *first)
		*first = idx;
	if (idx > *last)
		*last = idx;
}

/* Make the statement's reads, writes and edges part of the script. */
static int commit(sql_script *sc, sql_parser *p, sql_stmtinfo *si)
{
	int64_t idx = (int64_t)p->stmt;
	const sql_token *first = p->n ? &p->t[0] : &p->eof;
	si->type = p->type;
	si->reads = dup_ids(p->reads, p->nreads);
	si->writes = dup_ids(p->writes, p->nwrites);
	if (!si->reads || !si->writes)
		return lin_error_oom();
	si->nreads = p->nreads;
	si->nwrites = p->nwrites;
	if (p->nrenames) {
		si->renames = dup_ids(p->renames, 2 * p->nrenames);
		if (!si->renames)
			return lin_error_oom();
		si->nrenames = p->nrenames;
	}
	for (uint32_t i = 0; i < p->nreads; i++)
		touch(&sc->tables[p->reads[i]].first_read, &sc->tables[p->reads[i]].last_read, idx);
	for (uint32_t i = 0; i < p->nwrites; i++)
		touch(&sc->tables[p->writes[i]].first_write, &sc->tables[p->writes[i]].last_write,
		      idx);
	for (size_t i = 0; i < p->nedges; i++)
		if (lin_sql_add_edge(sc, &p->edges[i]) < 0)
			return LINEAGE_ENOMEM;
	for (uint32_t w = 0; w < p->nwrites; w++) {
		uint32_t tid = p->writes[w];
		for (uint32_t r = 0; r < p->nreads; r++) {
			/* An UPDATE, DELETE or MERGE reads the table it writes (its WHERE): no
			 * edge. An INSERT .. SELECT from the same table rewrites it from itself. */
			if (p->reads[r] == tid && strcmp(p->type, "insert") != 0)
				continue;
			sql_edge e = {p->reads[r], UINT32_MAX, tid, UINT32_MAX, EK_TABLE, p->stmt,
				      first->line, first->col};
			if (lin_sql_add_edge(sc, &e) < 0)
				return LINEAGE_ENOMEM;
		}
		for (uint32_t k = 0; k < p->indirect.n; k++) {
			sql_ref ref = p->indirect.v[k];
			if (REF_TABLE(ref) == tid)
				continue;
			sql_edge e = {REF_TABLE(ref), REF_COL(ref), tid, UINT32_MAX, EK_INDIRECT,
				      p->stmt, first->line, first->col};
			if (lin_sql_add_edge(sc, &e) < 0)
				return LINEAGE_ENOMEM;
		}
	}
	return 0;
}

static const char *kind_name(int kind)
{
	switch (kind) {
	case EK_IDENTITY: return "identity";
	case EK_TRANSFORM: return "transform";
	case EK_AGGREGATE: return "aggregate";
	case EK_WINDOW: return "window";
	case EK_INDIRECT: return "indirect";
	default: return "table";
	}
}

static char *col_name(lineage_sql_result *r, uint32_t tid, uint32_t col)
{
	const char *t = r->sc.tables[tid].name;
	const char *c = lin_sql_name(&r->sc, col);
	size_t lt = strlen(t), lc = strlen(c);
	char *s = lin_arena_alloc_uninit(&r->strs, lt + lc + 2); /* every byte written below */
	if (!s)
		return NULL;
	memcpy(s, t, lt);
	s[lt] = '.';
	memcpy(s + lt + 1, c, lc + 1);
	return s;
}

static int build(lineage_sql_result *r)
{
	sql_script *sc = &r->sc;
	r->tables = calloc(sc->ntables ? sc->ntables : 1, sizeof *r->tables);
	r->cedges = calloc(sc->nedges ? sc->nedges : 1, sizeof *r->cedges);
	r->tedges = calloc(sc->nedges ? sc->nedges : 1, sizeof *r->tedges);
	r->diags = calloc(sc->ndiags ? sc->ndiags : 1, sizeof *r->diags);
	if (!r->tables || !r->cedges || !r->tedges || !r->diags)
		return lin_error_oom();
	for (uint32_t i = 0; i < sc->ntables; i++) {
		sql_table *t = &sc->tables[i];
		lineage_sql_table *o;
		unsigned roles = 0;
		if (!t->kept)
			continue;
		o = &r->tables[r->ntables++];
		if (t->first_read >= 0 && (t->first_write < 0 || t->first_read <= t->first_write))
			roles |= LINEAGE_SQL_SOURCE;
		if (t->last_write >= 0 && t->last_write >= t->last_read)
			roles |= LINEAGE_SQL_TARGET;
		if (t->first_write >= 0 && t->last_read > t->first_write)
			roles |= LINEAGE_SQL_INTERMEDIATE;
		/* written, then dropped by the same script: a work table */
		if ((t->temporary || (t->last_write >= 0 && t->last_drop > t->last_write)) &&
		    (roles & LINEAGE_SQL_TARGET))
			roles = (roles & ~LINEAGE_SQL_TARGET) | LINEAGE_SQL_INTERMEDIATE;
		o->name = t->name;
		o->roles = roles;
		o->temporary = t->temporary;
		o->location = t->location;
		o->statement = t->stmt;
		o->line = t->line;
		o->column = t->col;
	}
	for (size_t i = 0; i < sc->nedges; i++) {
		const sql_edge *e = &sc->edges[i];
		lineage_sql_edge *o;
		if (e->kind == EK_TABLE) {
			o = &r->tedges[r->ntedges++];
			o->source = sc->tables[e->src_table].name;
			o->target = sc->tables[e->dst_table].name;
		} else {
			o = &r->cedges[r->ncedges++];
			o->source = col_name(r, e->src_table, e->src_col);
			o->target = e->kind == EK_INDIRECT ? sc->tables[e->dst_table].name
							   : col_name(r, e->dst_table, e->dst_col);
			if (!o->source || !o->target)
				return lin_error_oom();
		}
		o->source_table = sc->tables[e->src_table].name;
		o->target_table = sc->tables[e->dst_table].name;
		o->kind = kind_name(e->kind);
		o->routine = e->stmt < sc->nstmts ? sc->stmts[e->stmt].routine : NULL;
		o->statement = e->stmt;
		o->line = e->line;
		o->column = e->col;
	}
	for (size_t i = 0; i < sc->ndiags; i++) {
		lineage_sql_diagnostic *d = &r->diags[r->ndiags++];
		d->file = r->file;
		d->line = sc->diags[i].line;
		d->column = sc->diags[i].col;
		d->statement = sc->diags[i].stmt;
		d->severity = (lineage_sql_severity)sc->diags[i].severity;
		d->reason = sc->diags[i].reason;
	}
	return 0;
}

/* What the statement loop shares with the pieces the block splitter hands back. */
typedef struct run_ctx {
	sql_script *sc;
	const sql_dialect *d;
	const char *src;
	lin_arena *arena;
	uint8_t *ctx;
	unsigned max_depth;
	size_t max_stmt;
	size_t chunk_bytes; /* the chunk being read: bounds the statement's working memory */
	sql_block blk;
	int had_proc;       /* variables were declared inside a routine */
	char record[SQL_BLOCK_NAME]; /* a loop's record, filled by the next piece ("": none) */
	int rc;
} run_ctx;

/* Parse and commit one statement (a piece of a chunk). */
static int run_piece(run_ctx *c, const sql_token *t, size_t n, int kind)
{
	sql_script *sc = c->sc;
	size_t idx = sc->nstmts;
	const char *routine = lin_sql_block_routine(&c->blk);
	if (add_stmt(sc, &t[0]) < 0)
		return LINEAGE_ENOMEM;
	if (routine) {
		uint32_t id = lin_sql_intern(sc, routine, strlen(routine));
		if (id == UINT32_MAX)
			return lin_error_oom();
		sc->stmts[idx].routine = lin_sql_name(sc, id);
	}
	sql_parser p;
	memset(&p, 0, sizeof p);
	p.src = c->src;
	p.t = t;
	p.n = n;
	p.eof.type = T_EOF;
	p.eof.line = t[n - 1].line;
	p.eof.col = t[n - 1].col;
	p.arena = c->arena;
	c->arena->limit = (32u << 20) + 8 * c->chunk_bytes;
	p.sc = sc;
	p.d = c->d;
	p.flags = c->d->flags;
	p.stmt = idx;
	p.max_depth = c->max_depth;
	p.ctx = c->ctx;
	p.sub_item = -1;
	p.piece = kind;
	p.record = c->record[0] ? c->record : NULL;
	p.in_proc = routine || c->blk.depth > 0 || c->blk.in_body;
	int fail = run_statement(&p);
	int rc = 0;
	lin_sql_tables_settle(sc, fail == 0);
	if (fail == 2) {
		rc = lin_error_oom();
	} else if (fail == 3) {
		rc = sc->cb_error ? sc->cb_error : LINEAGE_ERROR;
		lin_error_prefix("the columns callback failed");
	} else if (fail == 0 && commit(sc, &p, &sc->stmts[idx]) < 0) {
		rc = LINEAGE_ENOMEM;
	}
	lin_arena_reset(c->arena);
	return rc;
}

static void read_chunks(run_ctx *c, sql_lexer *lx, sql_tokvec *tv);

/* Read src[from, to) as the SQL of a body, starting at line `line`. */
static void read_body(run_ctx *c, const char *src, size_t from, size_t to, uint32_t line,
		      size_t line_start)
{
	sql_lexer lx;
	sql_tokvec tv = {0};
	const char *saved = c->src;
	lin_sql_lexer_init(&lx, src, to, c->d->flags);
	lx.pos = from;
	lx.line = line;
	lx.line_start = line_start;
	tv.max = c->max_stmt;
	int depth = c->blk.depth, declaring = c->blk.declaring, semis = c->blk.semicolons;
	c->src = src;
	c->blk.src = src;
	c->blk.in_body++;
	c->blk.depth = 0;
	c->blk.declaring = 0;
	read_chunks(c, &lx, &tv);
	c->blk.in_body--;
	c->blk.depth = depth;
	c->blk.declaring = declaring;
	c->blk.semicolons = semis;
	c->blk.pe_tokens = NULL;
	c->src = saved;
	c->blk.src = saved;
	lin_sql_tokvec_free(&tv);
}

/* A routine or block body held in a string ($$ ... $$, or '...' with doubled quotes): read
 * as SQL, inside the routine. */
static void run_body(run_ctx *c, const sql_token *t)
{
	const char *s = c->src;
	size_t off = t->off, len = t->len, tag = 1;
	if (c->blk.in_body >= 4) {
		if (lin_sql_diag(c->sc, c->sc->nstmts, t->line, t->col, LINEAGE_SQL_ERROR,
				 "routine bodies nested more than 4 deep; inner body skipped") < 0)
			c->rc = LINEAGE_ENOMEM;
		return;
	}
	if (s[off] == '\'' && len >= 2) {
		/* the body without its quotes, '' (and \' where backslashes escape) as ' */
		char *copy = malloc(len);
		size_t k = 0;
		if (!copy) {
			c->rc = lin_error_oom();
			return;
		}
		for (size_t i = off + 1; i + 1 < off + len; i++) {
			if ((s[i] == '\'' && s[i + 1] == '\'') ||
			    (s[i] == '\\' && (c->d->flags & DF_BACKSLASH) && i + 2 < off + len))
				i++;
			copy[k++] = s[i];
		}
		/* the copy's text starts at the token's column on its line */
		read_body(c, copy, 0, k, t->line, 0);
		free(copy);
		return;
	}
	if (s[off] != '$')
		return;
	while (tag < len && s[off + tag] != '$')
		tag++;
	tag++;
	if (len < 2 * tag)
		return;
	read_body(c, s, off + tag, off + len - tag, t->line,
		  off + 1 >= t->col ? off + 1 - t->col : 0);
}

static void on_piece(void *vctx, const sql_token *t, size_t n, int kind)
{
	run_ctx *c = vctx;
	sql_script *sc = c->sc;
	if (c->rc || !n)
		return;
	int inside = lin_sql_block_routine(&c->blk) || c->blk.in_body || c->blk.depth;
	if (inside) {
		c->had_proc = 1;
	} else if (c->had_proc) {
		sc->nvars = 0; /* the routine's variables end with it */
		lin_sql_records_clear(sc);
		c->had_proc = 0;
	}
	if (kind == BK_VAR || kind == BK_LOOPVAR) {
		char name[SQL_BLOCK_NAME];
		size_t l = t->len < sizeof name - 1 ? t->len : sizeof name - 1;
		for (size_t i = 0; i < l; i++) {
			char ch = c->src[t->off + i];
			name[i] = (char)(t->type == T_WORD && ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
		}
		name[l] = '\0';
		if (lin_sql_var_add(sc, name) < 0)
			c->rc = LINEAGE_ENOMEM;
		if (kind == BK_LOOPVAR)
			memcpy(c->record, name, l + 1);
		return;
	} else if (kind == BK_BODY) {
		run_body(c, t);
	} else if (kind == BK_FOREIGN) {
		if (lin_sql_diag(sc, sc->nstmts, t->line, t->col, LINEAGE_SQL_INFO,
				 "a routine body in LANGUAGE %.*s is not SQL; not analyzed",
				 (int)(t->len > 20 ? 20 : t->len), c->src + t->off) < 0)
			c->rc = LINEAGE_ENOMEM;
	} else if (c->record[0] && kind == BK_EXPR && n == 1 && lin_sql_is_ident(t)) {
		/* FOR r IN c LOOP: r has the cursor's columns */
		char from[SQL_BLOCK_NAME];
		size_t l = t->len < sizeof from - 1 ? t->len : sizeof from - 1;
		for (size_t i = 0; i < l; i++) {
			char ch = c->src[t->off + i];
			from[i] = (char)(t->type == T_WORD && ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
		}
		from[l] = '\0';
		if (lin_sql_record_alias(sc, c->record, from) < 0)
			c->rc = LINEAGE_ENOMEM;
	} else {
		c->rc = run_piece(c, t, n, kind);
	}
	if (kind != BK_VAR && kind != BK_LOOPVAR)
		c->record[0] = '\0';
}

/* The statement loop: each chunk the lexer cuts is split into statements by the block
 * splitter, which calls on_piece() for each. */
static void read_chunks(run_ctx *c, sql_lexer *lx, sql_tokvec *tv)
{
	sql_script *sc = c->sc;
	while (!c->rc) {
		size_t start = lx->pos;
		int lr = lin_sql_lex_statement(lx, tv);
		if (lr < 0) {
			c->rc = lin_error_oom();
			return;
		}
		if (lr == 0)
			break;
		if (lx->error && lin_sql_diag(sc, sc->nstmts, lx->err_line, lx->err_col,
					      LINEAGE_SQL_ERROR, "%s%s", lx->error,
					      tv->n ? ": the rest of the script was read as part of it"
						    : "") < 0) {
			c->rc = LINEAGE_ENOMEM;
			return;
		}
		if (tv->dropped) {
			if (add_stmt(sc, tv->n ? &tv->v[0] : &(sql_token){0}) < 0 ||
			    lin_sql_diag(sc, sc->nstmts - 1, tv->n ? tv->v[0].line : 1,
					 tv->n ? tv->v[0].col : 1, LINEAGE_SQL_ERROR,
					 "statement longer than %zu bytes (max_statement_size); "
					 "skipped",
					 c->max_stmt) < 0)
				c->rc = LINEAGE_ENOMEM;
			continue;
		}
		if (tv->n == 0) {
			if (lx->batch_end && !c->blk.in_body)
				lin_sql_block_end(&c->blk);
			continue;
		}
		c->chunk_bytes = lx->pos - start;
		lin_sql_block_split(&c->blk, tv->v, tv->n, lx->batch_end && !c->blk.in_body,
				    lx->delim[0] != 0);
	}
}

static int analyze(lineage_sql_result *r, const char *sql, size_t len,
		   const lineage_sql_options *opts, const sql_dialect *d)
{
	sql_script *sc = &r->sc;
	sql_lexer lx;
	sql_tokvec tv = {0};
	lin_arena arena;
	run_ctx c;
	memset(&c, 0, sizeof c);
	c.max_depth = opts && opts->max_depth ? opts->max_depth : DEFAULT_MAX_DEPTH;
	c.max_stmt = opts && opts->max_statement_size ? opts->max_statement_size
						       : DEFAULT_MAX_STATEMENT;
	lin_arena_init(&arena, 0);
	lin_sql_lexer_init(&lx, sql, len, d->flags);
	tv.max = c.max_stmt;
	c.sc = sc;
	c.d = d;
	c.src = sql;
	c.arena = &arena;
	c.ctx = malloc(c.max_depth + 2);
	if (!c.ctx) {
		c.rc = lin_error_oom();
		goto done;
	}
	lin_sql_block_init(&c.blk, sql, d->flags, on_piece, &c);
	if (opts && (opts->default_database || opts->default_schema)) {
		if (opts->default_database)
			sc->use_db = lin_sql_name(sc, lin_sql_intern(sc, opts->default_database,
								     strlen(opts->default_database)));
		if (opts->default_schema)
			sc->use_schema = lin_sql_name(sc, lin_sql_intern(sc, opts->default_schema,
									 strlen(opts->default_schema)));
	}
	read_chunks(&c, &lx, &tv);
done:
	lin_arena_free(&arena);
	lin_sql_tokvec_free(&tv);
	free(c.ctx);
	return c.rc;
}

int lineage_sql_analyze(lineage_sql_result **out, const char *sql, size_t len,
			const lineage_sql_options *opts)
{
	lineage_sql_result *r = NULL;
	const sql_dialect *d;
	int rc;
	if (!out || (!sql && len))
		return lin_error_set(LINEAGE_EINVALID, "lineage_sql_analyze: %s is NULL",
				     out ? "sql" : "out");
	if (opts && opts->version != LINEAGE_SQL_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID,
				     "lineage_sql_options version %u is not supported: fill the "
				     "options with lineage_sql_options_init()",
				     opts->version);
	d = lin_sql_dialect_find(opts ? opts->dialect : NULL);
	if (!d) {
		lin_strbuf sb = LIN_STRBUF_INIT;
		const char *const *names = lineage_sql_dialects();
		for (size_t i = 0; names[i]; i++)
			if (lin_strbuf_printf(&sb, "%s%s", i ? ", " : "", names[i]) < 0)
				break;
		rc = lin_error_set(LINEAGE_EINVALID, "unknown SQL dialect \"%.100s\": use one of %s",
				   opts->dialect, sb.data ? sb.data : "");
		lin_strbuf_free(&sb);
		return rc;
	}
	r = calloc(1, sizeof *r);
	if (!r)
		return lin_error_oom();
	lin_arena_init(&r->strs, 0);
	r->dialect = d->name;
	rc = lin_sql_script_init(&r->sc, opts, d);
	if (rc < 0)
		goto fail;
	if (opts && opts->file) {
		r->file = lin_strdup(opts->file);
		if (!r->file) {
			rc = LINEAGE_ENOMEM;
			goto fail;
		}
	}
	rc = analyze(r, sql ? sql : "", len, opts, d);
	if (rc < 0)
		goto fail;
	rc = build(r);
	if (rc < 0)
		goto fail;
	r->sc.opts = NULL; /* the caller's options need not outlive the call */
	*out = r;
	return 0;
fail:
	lineage_sql_result_free(r);
	return rc;
}

void lineage_sql_result_free(lineage_sql_result *r)
{
	if (!r)
		return;
	lin_sql_script_free(&r->sc);
	lin_arena_free(&r->strs);
	free(r->file);
	free(r->tables);
	free(r->cedges);
	free(r->tedges);
	free(r->diags);
	free(r);
}

size_t lineage_sql_result_table_count(const lineage_sql_result *r)
{
	return r ? r->ntables : 0;
}

const lineage_sql_table *lineage_sql_result_table(const lineage_sql_result *r, size_t i)
{
	return r && i < r->ntables ? &r->tables[i] : NULL;
}

size_t lineage_sql_result_column_edge_count(const lineage_sql_result *r)
{
	return r ? r->ncedges : 0;
}

const lineage_sql_edge *lineage_sql_result_column_edge(const lineage_sql_result *r, size_t i)
{
	return r && i < r->ncedges ? &r->cedges[i] : NULL;
}

size_t lineage_sql_result_table_edge_count(const lineage_sql_result *r)
{
	return r ? r->ntedges : 0;
}

const lineage_sql_edge *lineage_sql_result_table_edge(const lineage_sql_result *r, size_t i)
{
	return r && i < r->ntedges ? &r->tedges[i] : NULL;
}

size_t lineage_sql_result_diagnostic_count(const lineage_sql_result *r)
{
	return r ? r->ndiags : 0;
}

const lineage_sql_diagnostic *lineage_sql_result_diagnostic(const lineage_sql_result *r, size_t i)
{
	return r && i < r->ndiags ? &r->diags[i] : NULL;
}

size_t lineage_sql_result_statement_count(const lineage_sql_result *r)
{
	return r ? r->sc.nstmts : 0;
}

/* ---- JSON ----
 * Written directly (no DOM): a large script gives hundreds of thousands of edges. */

typedef struct jw {
	lin_strbuf sb;
	int pretty, depth, err;
} jw;

static void jraw(jw *w, const char *s, size_t n)
{
	if (!w->err && lin_strbuf_append(&w->sb, s, n) < 0)
		w->err = 1;
}

static void jnl(jw *w)
{
	if (!w->pretty)
		return;
	jraw(w, "\n", 1);
	for (int i = 0; i < w->depth; i++)
		jraw(w, "  ", 2);
}

/* A JSON string; bytes that are not valid UTF-8 become '?'. */
static void jstr(jw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	jraw(w, "\"", 1);
	size_t run = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			i++;
			run++;
			continue;
		}
		jraw(w, (const char *)p + i - run, run);
		run = 0;
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};
			jraw(w, e, 2);
			i++;
		} else if (c < 0x20) {
			char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			jraw(w, e, 6);
			i++;
		} else {
			size_t k = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
			if (k > 1 && i + k <= n && lin_utf8_valid((const char *)p + i, k))
				jraw(w, (const char *)p + i, k);
			else
				jraw(w, "?", 1), k = 1;
			i += k;
		}
	}
	jraw(w, (const char *)p + n - run, run);
	jraw(w, "\"", 1);
}

static void jkey(jw *w, const char *key, int first)
{
	if (!first)
		jraw(w, ",", 1);
	jnl(w);
	jstr(w, key);
	jraw(w, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
}

static void jint(jw *w, long long v)
{
	char b[32];
	int k = snprintf(b, sizeof b, "%lld", v);
	jraw(w, b, (size_t)k);
}

static void jopen(jw *w, char c)
{
	jraw(w, &c, 1);
	w->depth++;
}

static void jclose(jw *w, char c, int empty)
{
	w->depth--;
	if (!empty)
		jnl(w);
	jraw(w, &c, 1);
}

static void jsep(jw *w, int first)
{
	if (!first)
		jraw(w, ",", 1);
	jnl(w);
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef struct pair {
	const char *a, *b;
} pair;

static int cmp_pair(const void *x, const void *y)
{
	const pair *p = x, *q = y;
	int c = strcmp(p->a, q->a);
	return c ? c : strcmp(p->b, q->b);
}

static int name_list(jw *w, const lineage_sql_result *r, unsigned role)
{
	const char **v = malloc((r->ntables ? r->ntables : 1) * sizeof *v);
	size_t n = 0, out = 0;
	if (!v)
		return -1;
	for (size_t i = 0; i < r->ntables; i++)
		if (r->tables[i].roles & role)
			v[n++] = r->tables[i].name;
	qsort(v, n, sizeof *v, cmp_cstr);
	jopen(w, '[');
	for (size_t i = 0; i < n; i++) {
		if (i && !strcmp(v[i], v[i - 1]))
			continue;
		jsep(w, out++ == 0);
		jstr(w, v[i]);
	}
	jclose(w, ']', out == 0);
	free(v);
	return 0;
}

/* Sorted, distinct [source, target] pairs: value edges, indirect edges or table edges. */
static int pair_list(jw *w, const lineage_sql_edge *edges, size_t n, int indirect, int table)
{
	pair *v = malloc((n ? n : 1) * sizeof *v);
	size_t k = 0, out = 0;
	if (!v)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int is_ind = !strcmp(edges[i].kind, "indirect");
		if (!table && is_ind != indirect)
			continue;
		v[k].a = edges[i].source;
		v[k].b = edges[i].target;
		k++;
	}
	qsort(v, k, sizeof *v, cmp_pair);
	jopen(w, '[');
	for (size_t i = 0; i < k; i++) {
		if (i && !cmp_pair(&v[i], &v[i - 1]))
			continue;
		jsep(w, out++ == 0);
		jraw(w, "[", 1);
		jstr(w, v[i].a);
		jraw(w, w->pretty ? ", " : ",", w->pretty ? 2 : 1);
		jstr(w, v[i].b);
		jraw(w, "]", 1);
	}
	jclose(w, ']', out == 0);
	free(v);
	return 0;
}

static const char *severity_name(lineage_sql_severity s)
{
	return s == LINEAGE_SQL_ERROR ? "error" : s == LINEAGE_SQL_WARNING ? "warning" : "info";
}

static void ids_json(jw *w, const sql_script *sc, const uint32_t *ids, uint32_t n)
{
	jraw(w, "[", 1);
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			jraw(w, w->pretty ? ", " : ",", w->pretty ? 2 : 1);
		jstr(w, sc->tables[ids[i]].name);
	}
	jraw(w, "]", 1);
}

int lineage_sql_result_to_json(char **out, const lineage_sql_result *r, int pretty)
{
	jw w;
	size_t k;
	if (!out || !r)
		return lin_error_set(LINEAGE_EINVALID, "lineage_sql_result_to_json: %s is NULL",
				     out ? "result" : "out");
	memset(&w, 0, sizeof w);
	w.pretty = pretty != 0;
	jopen(&w, '{');
	jkey(&w, "dialect", 1);
	jstr(&w, r->dialect);
	jkey(&w, "sources", 0);
	if (name_list(&w, r, LINEAGE_SQL_SOURCE) < 0)
		goto oom;
	jkey(&w, "targets", 0);
	if (name_list(&w, r, LINEAGE_SQL_TARGET) < 0)
		goto oom;
	jkey(&w, "intermediates", 0);
	if (name_list(&w, r, LINEAGE_SQL_INTERMEDIATE) < 0)
		goto oom;
	jkey(&w, "column_lineage", 0);
	if (pair_list(&w, r->cedges, r->ncedges, 0, 0) < 0)
		goto oom;
	jkey(&w, "indirect", 0);
	if (pair_list(&w, r->cedges, r->ncedges, 1, 0) < 0)
		goto oom;
	jkey(&w, "table_lineage", 0);
	if (pair_list(&w, r->tedges, r->ntedges, 0, 1) < 0)
		goto oom;
	jkey(&w, "column_lineage_detail", 0);
	jopen(&w, '[');
	k = 0;
	for (size_t i = 0; i < r->ncedges; i++) {
		const lineage_sql_edge *e = &r->cedges[i];
		if (!strcmp(e->kind, "indirect"))
			continue;
		jsep(&w, k++ == 0);
		jopen(&w, '{');
		jkey(&w, "source", 1);
		jstr(&w, e->source);
		jkey(&w, "target", 0);
		jstr(&w, e->target);
		jkey(&w, "kind", 0);
		jstr(&w, e->kind);
		jkey(&w, "statement", 0);
		jint(&w, (long long)e->statement);
		jkey(&w, "line", 0);
		jint(&w, e->line);
		jkey(&w, "column", 0);
		jint(&w, e->column);
		jclose(&w, '}', 0);
	}
	jclose(&w, ']', k == 0);
	jkey(&w, "statements", 0);
	jopen(&w, '[');
	for (size_t i = 0; i < r->sc.nstmts; i++) {
		const sql_stmtinfo *si = &r->sc.stmts[i];
		jsep(&w, i == 0);
		jopen(&w, '{');
		jkey(&w, "index", 1);
		jint(&w, (long long)i);
		jkey(&w, "line", 0);
		jint(&w, si->line);
		jkey(&w, "column", 0);
		jint(&w, si->col);
		jkey(&w, "type", 0);
		jstr(&w, si->type);
		if (si->routine) {
			jkey(&w, "routine", 0);
			jstr(&w, si->routine);
		}
		jkey(&w, "reads", 0);
		ids_json(&w, &r->sc, si->reads, si->nreads);
		jkey(&w, "writes", 0);
		ids_json(&w, &r->sc, si->writes, si->nwrites);
		if (si->nrenames) {
			jkey(&w, "renamed", 0);
			jopen(&w, '[');
			for (uint32_t m = 0; m < si->nrenames; m++) {
				jsep(&w, m == 0);
				ids_json(&w, &r->sc, si->renames + 2 * m, 2);
			}
			jclose(&w, ']', 0);
		}
		jclose(&w, '}', 0);
	}
	jclose(&w, ']', r->sc.nstmts == 0);
	jkey(&w, "diagnostics", 0);
	jopen(&w, '[');
	for (size_t i = 0; i < r->ndiags; i++) {
		const lineage_sql_diagnostic *d = &r->diags[i];
		int first = 1;
		jsep(&w, i == 0);
		jopen(&w, '{');
		if (d->file) {
			jkey(&w, "file", 1);
			jstr(&w, d->file);
			first = 0;
		}
		jkey(&w, "line", first);
		jint(&w, d->line);
		jkey(&w, "column", 0);
		jint(&w, d->column);
		jkey(&w, "statement", 0);
		jint(&w, (long long)d->statement);
		jkey(&w, "severity", 0);
		jstr(&w, severity_name(d->severity));
		jkey(&w, "reason", 0);
		jstr(&w, d->reason);
		jclose(&w, '}', 0);
	}
	jclose(&w, ']', r->ndiags == 0);
	jclose(&w, '}', 0);
	if (w.pretty)
		jraw(&w, "\n", 1);
	if (w.err)
		goto oom;
	*out = lin_strbuf_detach(&w.sb);
	return 0;
oom:
	lin_strbuf_free(&w.sb);
	return lin_error_oom();
}
