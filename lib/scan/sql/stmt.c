/*
 * Statements: the helpers they share, the lineage of a query written into a table, and
 * the dispatch on the first word. One file per kind of statement beside it (stmt_*.c).
 */
#include <stdio.h>
#include <string.h>

#include "sql_internal.h"

int lin_sql_accept_word(sql_parser *p, const char *w)
{
	if (lin_sql_word_is(p, lin_sql_cur(p), w)) {
		p->pos++;
		return 1;
	}
	return 0;
}

uint32_t lin_sql_intern_name(sql_parser *p, const char *s)
{
	uint32_t id = lin_sql_intern(p->sc, s, strlen(s));
	if (id == UINT32_MAX)
		lin_sql_oom(p);
	return id;
}

void lin_sql_skip_rest(sql_parser *p)
{
	p->pos = p->n;
}

/* A string literal's text (quotes removed, doubled quotes undone). */
const char *lin_sql_string_text(sql_parser *p, const sql_token *t)
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

uint32_t lin_sql_location(sql_parser *p, const sql_token *t)
{
	const char *name = t->type == T_STRING ? lin_sql_string_text(p, t)
						: lin_arena_strndup(p->arena, p->src + t->off, t->len);
	uint32_t tid = lin_sql_table(p->sc, &name, 1, 1, p->stmt, t->line, t->col);
	if (tid == UINT32_MAX)
		lin_sql_oom(p);
	return tid;
}

int lin_sql_is_location(const sql_token *t, const char *src)
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

void lin_sql_edges_to(sql_parser *p, const sql_outcol *c, uint32_t tid, uint32_t col)
{
	for (uint32_t i = 0; i < c->set.n; i++)
		lin_sql_col_edge(p, c->set.v[i], tid, col, c->kind, c->line, c->col);
}

/* A wildcard output: each t.* goes to target.*, each plain column too. */
static void wildcard_to(sql_parser *p, const sql_outcol *c, uint32_t tid)
{
	lin_sql_edges_to(p, c, tid, p->sc->star_id);
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
			uint32_t col = cols ? lin_sql_intern_name(p, cols[i]) : tcols[i];
			lin_sql_edges_to(p, &q->cols[i], tid, col);
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
		uint32_t col = lin_sql_intern_name(p, q->cols[i].name);
		names[nn++] = col;
		lin_sql_edges_to(p, &q->cols[i], tid, col);
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
	if (p->record)
		lin_sql_record_save(p, p->record, q); /* FOR r IN (query) LOOP */
	/* MySQL: ... INTO OUTFILE 'path' after the query too */
	if (!p->into_file && lin_sql_is_kw(lin_sql_cur(p), K_into) &&
	    (lin_sql_word_is(p, lin_sql_peek(p, 1), "outfile") ||
	     lin_sql_word_is(p, lin_sql_peek(p, 1), "dumpfile")) &&
	    lin_sql_peek(p, 2)->type == T_STRING) {
		p->into_file = lin_sql_peek(p, 2);
		lin_sql_skip_rest(p); /* FIELDS TERMINATED BY ... */
	}
	if (p->into_file) {
		uint32_t tid = lin_sql_location(p, p->into_file);
		lin_sql_note_write(p, tid);
		lin_sql_emit_query(p, q, tid, NULL, 0, EMIT_BY_NAME);
		p->type = "select_into_file";
		return;
	}
	if (p->into) {
		uint32_t tid = lin_sql_table_of(p, p->into, p->ninto, p->into_at);
		if (p->into_temp)
			p->sc->tables[tid].temporary = 1;
		lin_sql_note_write(p, tid);
		lin_sql_emit_query(p, q, tid, NULL, 0, EMIT_DEFINE);
		p->type = "select_into";
	}
}

static void parse_statement(sql_parser *p);

void lin_sql_parse_statement(sql_parser *p)
{
	/* T-SQL OUTPUT ... INTO t sits inside DML: read apart from the statement */
	const sql_token *t = lin_sql_cur(p);
	if (p->piece == BK_STMT && (p->flags & DF_GO) &&
	    (lin_sql_is_kw(t, K_insert) || lin_sql_is_kw(t, K_update) ||
	     lin_sql_is_kw(t, K_delete) || lin_sql_is_kw(t, K_merge) || lin_sql_is_kw(t, K_with)) &&
	    lin_sql_stmt_with_output(p, parse_statement))
		return;
	parse_statement(p);
}

static void parse_statement(sql_parser *p)
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
		if (lin_sql_stmt_multi_insert(p))
			break;
		stmt_query(p);
		break;
	case K_insert:
		lin_sql_stmt_insert(p);
		break;
	case K_replace:
		if (lin_sql_is_kw(lin_sql_peek(p, 1), K_into))
			lin_sql_stmt_insert(p);
		else if (lin_sql_is_kw(lin_sql_peek(p, 1), K_view) ||
			 lin_sql_is_kw(lin_sql_peek(p, 1), K_table) ||
			 lin_sql_is_kw(lin_sql_peek(p, 1), K_recursive))
			lin_sql_stmt_create(p); /* Teradata REPLACE VIEW, Snowflake-like REPLACE TABLE */
		else
			lin_sql_skip_rest(p);
		break;
	case K_create:
		lin_sql_stmt_create(p);
		break;
	case K_merge:
		lin_sql_stmt_merge(p);
		break;
	case K_update:
		lin_sql_stmt_update(p);
		break;
	case K_delete:
		lin_sql_stmt_delete(p);
		break;
	case K_copy:
		lin_sql_stmt_copy(p);
		break;
	case K_unload:
		lin_sql_stmt_unload(p);
		break;
	case K_alter:
		lin_sql_stmt_alter(p);
		break;
	case K_rename:
		lin_sql_stmt_rename(p);
		break;
	case K_drop:
		lin_sql_stmt_drop(p);
		break;
	case K_use:
		lin_sql_stmt_use(p);
		break;
	case K_set:
		lin_sql_stmt_set(p);
		break;
	case K_load:
		lin_sql_stmt_load(p);
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
			lin_sql_skip_rest(p);
			break;
		}
		for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
			if (!strcmp(w, known[i])) {
				lin_sql_skip_rest(p);
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
