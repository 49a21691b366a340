/*
 * Procedural SQL: the statements inside procedure and function bodies, anonymous blocks and
 * scripting control flow (T-SQL, PL/SQL, PL/pgSQL, BigQuery and Snowflake scripting, MySQL).
 *
 * The lexer hands over one chunk at a time (up to a `;`, a GO or a / line). This splitter
 * walks a chunk and cuts it into pieces the statement parser understands: control words
 * (BEGIN, END, IF … THEN, LOOP, EXCEPTION WHEN …) are stepped over, conditions become
 * "expression" pieces whose subqueries are read, and what is left are plain statements.
 * T-SQL needs no `;` between statements, so there a statement ends where the next one
 * starts. Routine headers (CREATE PROCEDURE … AS) open a routine: the statements of its
 * body are its job. State carries over between chunks, and every step moves forward, so
 * the work is linear in the tokens.
 */
#include <string.h>

#include "sql_internal.h"

static int word(const sql_block *b, const sql_token *t, const char *w)
{
	size_t n = strlen(w);
	if (t->type != T_WORD || t->len != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = b->src[t->off + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c != w[i])
			return 0;
	}
	return 1;
}

static int word_in(const sql_block *b, const sql_token *t, const char *const *ws)
{
	for (; *ws; ws++)
		if (word(b, t, *ws))
			return 1;
	return 0;
}

static int is_op(const sql_token *t, uint16_t op)
{
	return t->type == T_OP && t->op == op;
}

/* A word that starts a statement in T-SQL (and a few it shares with the block languages):
 * a length switch, then at most a few compares (hot: every top-level word of T-SQL). */
static int is_stmt_word(const sql_block *b, const sql_token *t)
{
	char w[12];
	if (t->type != T_WORD || t->len < 2 || t->len > 10)
		return 0;
	switch (t->kw) {
	case K_NONE: break;
	case K_select: case K_insert: case K_update: case K_delete: case K_merge: case K_with:
	case K_create: case K_drop: case K_alter: case K_truncate: case K_set: case K_if:
	case K_else: case K_begin: case K_end: case K_use: case K_replace: case K_fetch:
		return 1;
	default:
		return 0;
	}
	/* the others are not keywords: most identifiers fail on their first letter */
	switch (b->src[t->off] | 32) {
	case 'b': case 'c': case 'd': case 'e': case 'g': case 'o': case 'p': case 'r':
	case 's': case 't': case 'w':
		break;
	default:
		return 0;
	}
	for (uint32_t i = 0; i < t->len; i++) {
		char c = b->src[t->off + i];
		w[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	w[t->len] = '\0';
	switch (t->len) {
	case 2: return !strcmp(w, "if");
	case 3: return !strcmp(w, "set") || !strcmp(w, "end") || !strcmp(w, "use");
	case 4: return !strcmp(w, "with") || !strcmp(w, "drop") || !strcmp(w, "exec") ||
		       !strcmp(w, "else") || !strcmp(w, "open") || !strcmp(w, "goto") ||
		       !strcmp(w, "deny") || !strcmp(w, "save") || !strcmp(w, "bulk") ||
		       !strcmp(w, "dbcc");
	case 5: return !strcmp(w, "merge") || !strcmp(w, "alter") || !strcmp(w, "while") ||
		       !strcmp(w, "begin") || !strcmp(w, "print") || !strcmp(w, "throw") ||
		       !strcmp(w, "fetch") || !strcmp(w, "close") || !strcmp(w, "break") ||
		       !strcmp(w, "grant");
	case 6: return !strcmp(w, "select") || !strcmp(w, "insert") || !strcmp(w, "update") ||
		       !strcmp(w, "delete") || !strcmp(w, "create") || !strcmp(w, "return") ||
		       !strcmp(w, "revoke") || !strcmp(w, "commit");
	case 7: return !strcmp(w, "execute") || !strcmp(w, "declare") || !strcmp(w, "waitfor") ||
		       !strcmp(w, "replace");
	case 8: return !strcmp(w, "truncate") || !strcmp(w, "continue") || !strcmp(w, "rollback");
	case 9: return !strcmp(w, "raiserror");
	case 10: return !strcmp(w, "deallocate");
	default: return 0;
	}
}

/* A word after which SELECT continues the statement (set operations, AS, cursor FOR). */
static const char *const select_glue[] = {"union", "all", "except", "intersect", "minus",
					  "as", "for", "distinct", "exists", NULL};

/*
 * T-SQL: where the statement starting at i ends — at the next statement keyword that can
 * only start a new statement, outside parentheses and CASE.
 */
static size_t tsql_end(const sql_block *b, const sql_token *t, size_t i, size_t n)
{
	const sql_token *k = &t[i];
	int d = 0, cd = 0, need_query = 0, seen_set = 0;
	const sql_token *kind = k;
	if (word(b, k, "insert") || word(b, k, "with"))
		need_query = 1;
	for (size_t j = i + 1; j < n; j++) {
		const sql_token *x = &t[j], *prev = &t[j - 1];
		const sql_token *next = j + 1 < n ? &t[j + 1] : NULL;
		if (is_op(x, '(')) {
			d++;
			continue;
		}
		if (is_op(x, ')')) {
			if (d > 0)
				d--;
			continue;
		}
		if (is_op(x, ';'))
			return j;
		if (d > 0 || x->type != T_WORD)
			continue;
		if (x->kw == K_values || x->kw == K_default) {
			need_query = 0; /* INSERT ... VALUES | DEFAULT VALUES */
			continue;
		}
		if (x->kw == K_case) {
			cd++;
			continue;
		}
		if (cd > 0) {
			if (x->kw == K_end)
				cd--;
			continue;
		}
		if (!is_stmt_word(b, x))
			continue;
		if (word(b, kind, "grant") || word(b, kind, "revoke") || word(b, kind, "deny")) {
			if (!x->nl || is_op(prev, ','))
				continue;
		}
		if (word(b, x, "select")) {
			if (word_in(b, prev, select_glue) || need_query) {
				need_query = 0;
				continue;
			}
			return j;
		}
		if (word(b, x, "insert") || word(b, x, "update") || word(b, x, "delete") ||
		    word(b, x, "merge")) {
			if (word(b, prev, "then") || word(b, prev, "on") || word(b, prev, "for") ||
			    word(b, prev, "instead") || word(b, prev, "after") || is_op(prev, ',') ||
			    word(b, prev, "of"))
				continue;
			if (need_query && word(b, kind, "with")) {
				kind = x;
				need_query = word(b, x, "insert");
				continue;
			}
			return j;
		}
		if (word(b, x, "set")) {
			if ((word(b, kind, "update") && !seen_set) || word(b, prev, "update") ||
			    word(b, kind, "alter")) {
				seen_set = 1;
				continue;
			}
			return j;
		}
		if (word(b, x, "with")) {
			/* a CTE starts a statement; WITH (NOLOCK), WITH TIES, WITH ROLLUP do not */
			if (next && (next->type == T_WORD || next->type == T_QIDENT) && j + 2 < n &&
			    (word(b, &t[j + 2], "as") || is_op(&t[j + 2], '(')) &&
			    !word(b, next, "execute")) {
				if (!word(b, prev, "as"))
					return j;
				need_query = 1; /* CREATE VIEW v AS WITH c AS (...) SELECT */
			}
			continue;
		}
		if (word(b, x, "exec") || word(b, x, "execute")) {
			if (word(b, prev, "with") || (need_query && word(b, kind, "insert"))) {
				need_query = 0;
				continue;
			}
			return j;
		}
		if (word(b, x, "if")) {
			if (next && (word(b, next, "exists") || word(b, next, "not")) &&
			    (word(b, kind, "drop") || word(b, kind, "create") || word(b, kind, "alter")))
				continue;
			return j;
		}
		if (word(b, x, "drop") || word(b, x, "alter")) {
			if (word(b, kind, "alter") && next &&
			    (word(b, next, "column") || word(b, next, "constraint") ||
			     word(b, next, "period")))
				continue;
			return j;
		}
		if (word(b, x, "fetch")) {
			if (word(b, prev, "rows") || word(b, prev, "row"))
				continue;
			return j;
		}
		if (word(b, x, "replace"))
			continue; /* REPLACE(...) is a function in T-SQL */
		if (word(b, x, "insert") && word(b, prev, "bulk"))
			continue;
		return j;
	}
	return n;
}

/* End of the piece starting at i: T-SQL's next statement, elsewhere the next `;` token
 * (DELIMITER scripts keep their semicolons inside the chunk) or the chunk's end. */
static size_t piece_end(sql_block *b, const sql_token *t, size_t i, size_t n)
{
	if (b->flags & DF_GO)
		return tsql_end(b, t, i, n);
	if (!b->semicolons)
		return n; /* the lexer cut at every ; */
	/* every statement start inside the piece ends at the same ; (IF a THEN IF b THEN ...
	 * would otherwise rescan the piece from each) */
	if (b->pe_tokens == t && i > b->pe_from && i < b->pe_end)
		return b->pe_end;
	int d = 0;
	size_t j = i;
	for (; j < n; j++) {
		if (is_op(&t[j], '('))
			d++;
		else if (is_op(&t[j], ')') && d > 0)
			d--;
		else if (is_op(&t[j], ';') && d == 0)
			break;
	}
	b->pe_tokens = t;
	b->pe_from = i;
	b->pe_end = j;
	return j;
}

/* The first top-level `w` (THEN, LOOP, DO) in [i, end): its index, or end. */
static size_t find_word(const sql_block *b, const sql_token *t, size_t i, size_t end,
			const char *const *ws)
{
	int d = 0, cd = 0;
	for (size_t j = i; j < end; j++) {
		const sql_token *x = &t[j];
		if (is_op(x, '(')) {
			d++;
		} else if (is_op(x, ')')) {
			if (d > 0)
				d--;
		} else if (d == 0 && word(b, x, "case")) {
			cd++;
		} else if (d == 0 && cd > 0 && word(b, x, "end")) {
			cd--;
		} else if (d == 0 && cd == 0 && word_in(b, x, ws)) {
			return j;
		}
	}
	return end;
}

static void emit(sql_block *b, const sql_token *t, size_t a, size_t e, int kind)
{
	if (a < e)
		b->fn(b->ctx, t + a, e - a, kind);
}

/* The normalized text of the dotted name at t[*i]; steps over it. */
static void name_text(const sql_block *b, const sql_token *t, size_t *i, size_t n, char *out,
		      size_t cap)
{
	size_t k = 0;
	out[0] = '\0';
	while (*i < n && (t[*i].type == T_WORD || t[*i].type == T_QIDENT)) {
		const sql_token *x = &t[*i];
		for (uint32_t c = 0; c < x->len && k + 2 < cap; c++) {
			char ch = b->src[x->off + c];
			if (x->type == T_WORD && ch >= 'A' && ch <= 'Z')
				ch = (char)(ch + 32);
			out[k++] = ch;
		}
		(*i)++;
		if (*i + 1 < n && is_op(&t[*i], '.') && k + 2 < cap) {
			out[k++] = '.';
			(*i)++;
		} else {
			break;
		}
	}
	out[k] = '\0';
}

static void push_routine(sql_block *b, const char *name, int end_mode)
{
	if (b->nroutines >= SQL_BLOCK_MAX_ROUTINES) {
		b->overflow++;
		return;
	}
	sql_block_routine *r = &b->routines[b->nroutines++];
	r->depth = b->depth;
	r->end_mode = end_mode;
	r->package = 0;
	/* a local procedure keeps its parent's job; a package's procedures are pkg.proc */
	if (b->nroutines > 1 && !b->routines[b->nroutines - 2].package) {
		memcpy(r->name, b->routines[b->nroutines - 2].name, sizeof r->name);
	} else if (b->nroutines > 1) {
		/* package.proc, cut to the buffer */
		const char *pkg = b->routines[b->nroutines - 2].name;
		size_t lp = strnlen(pkg, SQL_BLOCK_NAME - 1), ln = strlen(name), k = 0;
		char full[SQL_BLOCK_NAME];
		memcpy(full, pkg, lp);
		k = lp;
		if (k + 1 < sizeof full)
			full[k++] = '.';
		if (ln > sizeof full - 1 - k)
			ln = sizeof full - 1 - k;
		memcpy(full + k, name, ln);
		full[k + ln] = '\0';
		memcpy(r->name, full, sizeof full);
	} else {
		size_t ln = strnlen(name, sizeof r->name - 1);
		memcpy(r->name, name, ln);
		r->name[ln] = '\0';
	}
}

static void pop_routine(sql_block *b)
{
	if (b->overflow)
		b->overflow--;
	else if (b->nroutines)
		b->nroutines--;
}

static int query_at(const sql_block *b, const sql_token *t, size_t i, size_t n)
{
	if (i >= n)
		return 0;
	if (word(b, &t[i], "select") || word(b, &t[i], "with"))
		return 1;
	return is_op(&t[i], '(') && i + 1 < n &&
	       (word(b, &t[i + 1], "select") || word(b, &t[i + 1], "with"));
}

/* Parameter names in (p1 type, IN p2 type, ...) at t[i] == '(': they are variables. */
static void params(sql_block *b, const sql_token *t, size_t i, size_t n)
{
	int d = 0;
	int expect = 1;
	for (size_t j = i; j < n; j++) {
		const sql_token *x = &t[j];
		if (is_op(x, '(')) {
			d++;
			continue;
		}
		if (is_op(x, ')')) {
			if (--d <= 0)
				return;
			continue;
		}
		if (d == 1 && is_op(x, ',')) {
			expect = 1;
			continue;
		}
		if (d != 1 || !expect)
			continue;
		if (word(b, x, "in") || word(b, x, "out") || word(b, x, "inout") ||
		    word(b, x, "variadic"))
			continue;
		if (x->type == T_WORD || x->type == T_QIDENT)
			b->fn(b->ctx, x, 1, BK_VAR);
		expect = 0;
	}
}

/*
 * CREATE [OR REPLACE|OR ALTER] ... PROCEDURE|FUNCTION|TRIGGER|PACKAGE [BODY] name ... at i:
 * opens the routine and returns where its body starts (or n when it has none here).
 * Returns i unchanged when this is no routine header.
 */
static size_t routine_header(sql_block *b, const sql_token *t, size_t i, size_t n)
{
	size_t j = i;
	int is_pkg = 0, is_trigger = 0;
	char name[SQL_BLOCK_NAME];
	if (word(b, &t[j], "create") || word(b, &t[j], "alter") || word(b, &t[j], "replace")) {
		/* CREATE [OR REPLACE | OR ALTER], ALTER (T-SQL), REPLACE (Teradata) */
		j++;
		if (j < n && word(b, &t[j], "or"))
			j += 2;
		while (j < n && t[j].type == T_WORD &&
		       !word_in(b, &t[j], (const char *const[]){"procedure", "proc", "function",
							       "trigger", "package", "task", NULL})) {
			if (word(b, &t[j], "table") || word(b, &t[j], "view") ||
			    word(b, &t[j], "index") || word(b, &t[j], "as") || j > i + 12)
				return i;
			j++;
			if (is_op(&t[j - 1], '='))
				j++;
		}
		/* DEFINER=`u`@`h` */
		while (j < n && !(t[j].type == T_WORD &&
				  word_in(b, &t[j], (const char *const[]){"procedure", "proc", "function",
									  "trigger", "package", "task", NULL})) &&
		       j < i + 16)
			j++;
	}
	if (j >= n)
		return i;
	if (word(b, &t[j], "package")) {
		is_pkg = 1;
		j++;
		if (j < n && word(b, &t[j], "body"))
			j++, is_pkg = 2;
	} else if (word(b, &t[j], "trigger")) {
		is_trigger = 1;
		j++;
	} else if (word(b, &t[j], "task")) {
		is_pkg = 3; /* Snowflake TASK name options AS statement: the task is its job */
		j++;
	} else if (word(b, &t[j], "function")) {
		j++;
	} else if (word(b, &t[j], "procedure") || word(b, &t[j], "proc")) {
		j++;
	} else {
		return i;
	}
	if (j + 2 < n && word(b, &t[j], "if"))
		j += word(b, &t[j + 1], "not") ? 3 : 2;
	name_text(b, t, &j, n, name, sizeof name);
	if (!name[0])
		return i;
	if (is_pkg == 3) {
		size_t k = find_word(b, t, j, n, (const char *const[]){"as", NULL});
		if (k + 1 >= n)
			return n; /* ALTER TASK ... RESUME and the like */
		push_routine(b, name, word(b, &t[k + 1], "begin") ? RT_END_BLOCK : RT_END_CHUNK);
		return k + 1;
	}
	if (is_pkg == 1) {
		/* a package specification declares, it does not run: skip to its END */
		b->skip_spec = 1;
		return n;
	}
	if (is_pkg == 2) {
		push_routine(b, name, RT_END_BLOCK);
		if (b->nroutines && !b->overflow)
			b->routines[b->nroutines - 1].package = 1;
		b->depth++;
		b->declaring = 1;
		size_t k = find_word(b, t, j, n, (const char *const[]){"is", "as", NULL});
		return k < n ? k + 1 : n;
	}
	if (j < n && is_op(&t[j], '('))
		params(b, t, j, n);
	/* the body: after AS/IS, a string body, BEGIN, or a lone statement (MySQL) */
	int d = 0;
	size_t is_as = find_word(b, t, j, n, (const char *const[]){"is", "as", NULL});
	const char *language = NULL;
	for (size_t k = j; k < n; k++) {
		const sql_token *x = &t[k];
		if (is_op(x, '(')) {
			d++;
			continue;
		}
		if (is_op(x, ')')) {
			if (d > 0)
				d--;
			continue;
		}
		if (d > 0)
			continue;
		if (word(b, x, "language") && k + 1 < n) {
			language = word_in(b, &t[k + 1], (const char *const[]){"sql", "plpgsql",
										"plsql", NULL})
					   ? "sql"
					   : "other";
			if (!strcmp(language, "other")) {
				b->fn(b->ctx, &t[k + 1], 1, BK_FOREIGN);
				return n;
			}
			continue;
		}
		if (x->type == T_STRING && k > j && word(b, &t[k - 1], "as")) {
			/* the body is a string: $$ ... $$ (Postgres, Snowflake), or '...' */
			size_t m = k + 1;
			while (m < n && !(word(b, &t[m], "language")))
				m++; /* once: the header ends here */
			if (m + 1 < n && !word_in(b, &t[m + 1], (const char *const[]){"sql", "plpgsql",
										      "plsql", NULL})) {
				b->fn(b->ctx, &t[m + 1], 1, BK_FOREIGN);
				return n;
			}
			push_routine(b, name, RT_END_STRING);
			emit(b, t, k, k + 1, BK_BODY);
			pop_routine(b);
			return n;
		}
		if (word(b, x, "as") || word(b, x, "is")) {
			if (k > j && (word(b, &t[k - 1], "execute") || word(b, &t[k - 1], "cast")))
				continue;
			if (k + 1 < n && t[k + 1].type == T_STRING)
				continue;
			if (k + 1 < n && (word(b, &t[k + 1], "language") || word(b, &t[k + 1], "external")))
				return n;
			int tsql = (b->flags & DF_GO) != 0;
			if (!tsql && k + 1 < n && is_op(&t[k + 1], '(') && !query_at(b, t, k + 1, n)) {
				emit(b, t, k + 1, n, BK_EXPR); /* AS (expression): a SQL function */
				return n;
			}
			if (!tsql && query_at(b, t, k + 1, n)) {
				push_routine(b, name, RT_END_CHUNK); /* AS SELECT ...: a table function */
				return k + 1;
			}
			push_routine(b, name, tsql ? RT_END_BATCH : RT_END_BLOCK);
			if (!tsql)
				b->declaring = 1;
			return k + 1;
		}
		if (is_trigger && (word(b, x, "insert") || word(b, x, "update") ||
				   word(b, x, "delete")) &&
		    !(k > j && word(b, &t[k - 1], "row")))
			continue;
		if (word(b, x, "begin") || word(b, x, "return") ||
		    word_in(b, x, (const char *const[]){"select", "insert", "update", "delete",
							 "replace", "merge", "call", "declare",
							 NULL})) {
			/* Oracle: FUNCTION f RETURN NUMBER IS ... declares the type */
			if (word(b, x, "return") && is_as > k && is_as < n)
				continue;
			push_routine(b, name, word(b, x, "begin") ? RT_END_BLOCK : RT_END_CHUNK);
			return k;
		}
	}
	return n;
}

/* Close one block (END ...): a routine whose block this was ends with it. */
static void close_block(sql_block *b)
{
	if (b->depth > 0)
		b->depth--;
	if (b->nroutines && !b->overflow) {
		sql_block_routine *r = &b->routines[b->nroutines - 1];
		if (r->end_mode == RT_END_BLOCK && b->depth <= r->depth) {
			pop_routine(b);
			/* back in a package body: more procedures may follow */
			b->declaring = b->nroutines && b->routines[b->nroutines - 1].package;
		}
	}
}

/* One statement or control word at t[i]: emits what it holds, returns where the next starts. */
static size_t step(sql_block *b, const sql_token *t, size_t i, size_t n)
{
	const sql_token *x = &t[i];
	int tsql = (b->flags & DF_GO) != 0;
	size_t e, k;
	/* labels: name: (MySQL, BigQuery, T-SQL) and <<name>> (PL/SQL, PL/pgSQL) */
	if ((x->type == T_WORD || x->type == T_QIDENT) && i + 1 < n && is_op(&t[i + 1], ':') &&
	    !is_stmt_word(b, x))
		return i + 2;
	if (is_op(x, OP2('<', '<')) && i + 2 < n && is_op(&t[i + 2], OP2('>', '>')))
		return i + 3;
	if (b->skip_spec) {
		if (word(b, x, "end"))
			b->skip_spec = 0;
		return piece_end(b, t, i, n) + 1;
	}
	if (word(b, x, "create") || word(b, x, "alter") || word(b, x, "replace") ||
	    (b->declaring && (word(b, x, "procedure") || word(b, x, "function")))) {
		k = routine_header(b, t, i, n);
		if (k != i)
			return k;
		if (b->declaring) /* a forward declaration */
			return piece_end(b, t, i, n) + 1;
	}
	if (word(b, x, "do") && !tsql) {
		/* DO [LANGUAGE plpgsql] $$ ... $$ (Postgres anonymous block) */
		e = piece_end(b, t, i, n);
		for (k = i + 1; k < e; k++)
			if (t[k].type == T_STRING)
				break;
		if (k < e)
			emit(b, t, k, k + 1, BK_BODY);
		return e;
	}
	if (word(b, x, "begin")) {
		const sql_token *nx = i + 1 < n ? &t[i + 1] : NULL;
		if (nx && (word(b, nx, "tran") || word(b, nx, "transaction") || word(b, nx, "work") ||
			   word(b, nx, "distributed") ||
			   (!tsql && (word(b, nx, "isolation") || word(b, nx, "read") ||
				      word(b, nx, "deferrable") || word(b, nx, "name"))))) {
			/* a transaction, not a block */
			k = i + 2;
			if (k < n && word(b, &t[k - 1], "distributed"))
				k++;
			if (tsql && k < n && (t[k].type == T_PARAM ||
					      (t[k].type == T_WORD && !is_stmt_word(b, &t[k]))))
				k++;
			return tsql ? k : piece_end(b, t, i, n);
		}
		if (!tsql && !nx && !b->nroutines && !b->declaring && !b->depth)
			return n; /* BEGIN; starts a transaction */
		b->depth++;
		b->declaring = 0;
		k = i + 1;
		if (nx && (word(b, nx, "try") || word(b, nx, "catch") || word(b, nx, "atomic")))
			k++;
		else if (nx && word(b, nx, "not") && i + 2 < n && word(b, &t[i + 2], "atomic"))
			k += 2;
		return k;
	}
	if (word(b, x, "end")) {
		close_block(b);
		if (tsql)
			return i + 1 < n && (word(b, &t[i + 1], "try") || word(b, &t[i + 1], "catch"))
				       ? i + 2
				       : i + 1;
		return piece_end(b, t, i, n);
	}
	if (b->declaring && word_in(b, x, (const char *const[]){"select", "insert", "update",
							      "delete", "merge", "with", "create",
							      "drop", "truncate", "if", NULL}))
		b->declaring = 0; /* no declaration starts so: the section was not one */
	if (b->declaring) {
		/* a declaration section (PL/SQL, PL/pgSQL, Snowflake): name type [:= expr] */
		if (word(b, x, "declare"))
			return i + 1;
		e = piece_end(b, t, i, n);
		emit(b, t, i, e, BK_DECL);
		return e;
	}
	if (word(b, x, "declare")) {
		e = piece_end(b, t, i, n);
		emit(b, t, i, e, tsql ? BK_STMT : BK_DECL);
		/* DECLARE opens a section in block languages; BigQuery and MySQL declare one
		 * name per statement */
		if (!tsql && !(b->flags & (DF_BQ_STRINGS | DF_DELIMITER)) &&
		    (b->nroutines || b->in_body || b->depth ||
		     (b->flags & (DF_SLASH_LINE | DF_SLASH_COMMENT))))
			b->declaring = 1;
		return e;
	}
	if (word(b, x, "let")) {
		e = piece_end(b, t, i, n);
		emit(b, t, i + 1, e, BK_DECL);
		return e;
	}
	if (word(b, x, "if") || word(b, x, "elsif") || word(b, x, "elseif") ||
	    word(b, x, "while")) {
		int opener = !word(b, x, "elsif") && !word(b, x, "elseif");
		if (tsql) {
			e = tsql_end(b, t, i, n);
			emit(b, t, i + 1, e, BK_EXPR);
			return e;
		}
		e = piece_end(b, t, i, n);
		k = find_word(b, t, i + 1, e, (const char *const[]){"then", "loop", "do", NULL});
		if (k == e) /* IF(...) as an expression, or not procedural: a statement */
			return emit(b, t, i, e, BK_STMT), e;
		emit(b, t, i + 1, k, BK_EXPR);
		if (opener)
			b->depth++;
		return k + 1;
	}
	if (!tsql && (word(b, x, "for") || word(b, x, "foreach") || word(b, x, "forall"))) {
		e = piece_end(b, t, i, n);
		if (word(b, x, "forall")) {
			/* FORALL i IN a..b [SAVE EXCEPTIONS] dml */
			k = find_word(b, t, i + 1, e, (const char *const[]){"insert", "update",
									     "delete", "merge", NULL});
			emit(b, t, k, e, BK_STMT);
			return e;
		}
		k = find_word(b, t, i + 1, e, (const char *const[]){"loop", "do", NULL});
		size_t in = find_word(b, t, i + 1, k, (const char *const[]){"in", NULL});
		if (i + 1 < in)
			b->fn(b->ctx, &t[i + 1], 1, BK_LOOPVAR); /* the loop's record */
		if (in < k && query_at(b, t, in + 1, k))
			emit(b, t, in + 1, k, BK_STMT);
		else if (in < k)
			emit(b, t, in + 1, k, BK_EXPR);
		if (k < e)
			b->depth++;
		return k < e ? k + 1 : e;
	}
	if (!tsql && (word(b, x, "loop") || word(b, x, "repeat"))) {
		b->depth++;
		return i + 1;
	}
	if (!tsql && word(b, x, "until")) {
		e = piece_end(b, t, i, n);
		k = find_word(b, t, i + 1, e, (const char *const[]){"end", NULL});
		emit(b, t, i + 1, k, BK_EXPR);
		return k;
	}
	if (!tsql && word(b, x, "case")) {
		/* a CASE statement: CASE [x] WHEN c THEN stmts ... END CASE */
		e = piece_end(b, t, i, n);
		k = find_word(b, t, i + 1, e, (const char *const[]){"then", NULL});
		b->depth++;
		return k < e ? k + 1 : e;
	}
	if (word(b, x, "else"))
		return i + 1;
	if (!tsql && (word(b, x, "exception") || word(b, x, "when"))) {
		e = piece_end(b, t, i, n);
		if (word(b, x, "exception"))
			return i + 1;
		k = find_word(b, t, i + 1, e, (const char *const[]){"then", NULL});
		return k < e ? k + 1 : e;
	}
	if (word(b, x, "return")) {
		e = piece_end(b, t, i, n);
		k = i + 1;
		if (k < e && word(b, &t[k], "query"))
			k++;
		if (k < e && word(b, &t[k], "next"))
			k++;
		emit(b, t, k, e, query_at(b, t, k, e) ? BK_STMT : BK_EXPR);
		return e;
	}
	if (word(b, x, "open")) {
		e = piece_end(b, t, i, n);
		k = find_word(b, t, i + 1, e, (const char *const[]){"for", NULL});
		if (k < e && query_at(b, t, k + 1, e))
			emit(b, t, k + 1, e, BK_STMT);
		return e;
	}
	if (word(b, x, "exec") || word(b, x, "execute")) {
		e = piece_end(b, t, i, n);
		k = i + 1;
		if (k < e && word(b, &t[k], "immediate"))
			k++;
		if (k < e && t[k].type == T_STRING && b->src[t[k].off] == '$' &&
		    !word(b, &t[i + 1], "procedure")) {
			/* Snowflake EXECUTE IMMEDIATE $$ block $$ */
			emit(b, t, k, k + 1, BK_BODY);
			return e;
		}
		if (k > i + 1 || (k < e && (t[k].type == T_STRING || is_op(&t[k], '(') ||
					    word(b, &t[k], "sp_executesql") ||
					    word(b, &t[k], "format"))) ||
		    (k < e && t[k].type == T_PARAM && tsql && k + 1 == e))
			emit(b, t, i, e, BK_DYNAMIC);
		else
			emit(b, t, i, e, BK_STMT);
		return e;
	}
	/* v := expr (PL/SQL, PL/pgSQL) */
	if ((x->type == T_WORD || x->type == T_QIDENT) && !tsql) {
		e = piece_end(b, t, i, n);
		size_t m = i + 1;
		while (m < e && m < i + 8 && !is_op(&t[m], OP2(':', '=')))
			m++;
		if (m < e && m < i + 8 && is_op(&t[m], OP2(':', '='))) {
			emit(b, t, m + 1, e, BK_EXPR);
			return e;
		}
	}
	if (!tsql && x->type == T_WORD && x->kw == K_NONE && !is_stmt_word(b, x) &&
	    (b->nroutines || b->depth || b->in_body) &&
	    (i + 1 == n || is_op(&t[i + 1], '.') || is_op(&t[i + 1], '(') ||
	     is_op(&t[i + 1], ';'))) {
		/* a procedure call inside a body: dbms_output.put_line(...), log_step('x') */
		e = piece_end(b, t, i, n);
		emit(b, t, i + 1, e, BK_EXPR);
		return e;
	}
	if (word(b, x, "perform") || word(b, x, "call")) {
		e = piece_end(b, t, i, n);
		emit(b, t, i + 1, e, BK_EXPR);
		return e;
	}
	e = piece_end(b, t, i, n);
	if (e == i)
		e = i + 1;
	emit(b, t, i, e, BK_STMT);
	return e;
}

void lin_sql_block_init(sql_block *b, const char *src, unsigned flags, sql_piece_fn fn,
			void *ctx)
{
	memset(b, 0, sizeof *b);
	b->src = src;
	b->flags = flags;
	b->fn = fn;
	b->ctx = ctx;
}

void lin_sql_block_split(sql_block *b, const sql_token *t, size_t n, int batch_end,
			 int semicolons)
{
	b->semicolons = semicolons;
	b->pe_tokens = NULL; /* the token buffer is reused from chunk to chunk */
	size_t i = 0;
	int base = b->nroutines;
	while (i < n) {
		if (is_op(&t[i], ';')) {
			i++;
			continue;
		}
		size_t next = step(b, t, i, n);
		i = next > i ? next : i + 1;
	}
	/* a one-statement body (MySQL) ends with its chunk */
	while (b->nroutines && b->nroutines >= base && !b->overflow &&
	       b->routines[b->nroutines - 1].end_mode == RT_END_CHUNK)
		pop_routine(b);
	if (batch_end)
		lin_sql_block_end(b);
}

void lin_sql_block_end(sql_block *b)
{
	b->nroutines = 0;
	b->overflow = 0;
	b->depth = 0;
	b->declaring = 0;
	b->skip_spec = 0;
}

const char *lin_sql_block_routine(const sql_block *b)
{
	return b->nroutines ? b->routines[b->nroutines - 1].name : NULL;
}
