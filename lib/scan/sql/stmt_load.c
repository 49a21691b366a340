/*
 * COPY, UNLOAD and LOAD DATA: tables and files (locations) moved in and out; SQL held in
 * strings (UNLOAD ('select ...')).
 */
#include <stdio.h>
#include <string.h>

#include "sql_internal.h"

/* ---- COPY / UNLOAD / LOAD ---- */
void lin_sql_stmt_copy(sql_parser *p)
{
	p->type = "copy";
	p->pos++;
	int into = lin_sql_accept_kw(p, K_into);
	const sql_token *t = lin_sql_cur(p);
	if (lin_sql_is_location(t, p->src)) {
		/* COPY INTO @stage|'s3://' FROM table|(query): an unload */
		uint32_t dst = lin_sql_location(p, t);
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
		lin_sql_skip_rest(p);
		return;
	}
	if (lin_sql_is_op(t, '(')) {
		/* COPY (query) TO 'file' */
		p->pos++;
		p->sub_item = -1;
		lin_sql_parse_query(p, NULL, &p->indirect);
		if (lin_sql_is_op(lin_sql_cur(p), ')'))
			p->pos++;
		if (lin_sql_accept_kw(p, K_to) && lin_sql_is_location(lin_sql_cur(p), p->src))
			lin_sql_note_write(p, lin_sql_location(p, lin_sql_cur(p)));
		lin_sql_skip_rest(p);
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
		} else if (lin_sql_is_location(lin_sql_cur(p), p->src)) {
			lin_sql_note_read(p, lin_sql_location(p, lin_sql_cur(p)));
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
		if (lin_sql_is_location(lin_sql_cur(p), p->src))
			lin_sql_note_write(p, lin_sql_location(p, lin_sql_cur(p)));
	} else if (!into) {
		lin_sql_fail(p, lin_sql_cur(p), "expected FROM or TO in COPY");
	}
	lin_sql_skip_rest(p);
}

static void parse_embedded(sql_parser *p, const char *text);

void lin_sql_stmt_unload(sql_parser *p)
{
	p->type = "unload";
	p->pos++;
	if (lin_sql_is_op(lin_sql_cur(p), '('))
		p->pos++;
	if (lin_sql_cur(p)->type == T_STRING) {
		parse_embedded(p, lin_sql_string_text(p, lin_sql_cur(p)));
		p->pos++;
	} else if (lin_sql_query_starts(p, 0)) {
		p->sub_item = -1;
		lin_sql_parse_query(p, NULL, &p->indirect);
	}
	if (lin_sql_is_op(lin_sql_cur(p), ')'))
		p->pos++;
	if (lin_sql_accept_kw(p, K_to) && lin_sql_is_location(lin_sql_cur(p), p->src))
		lin_sql_note_write(p, lin_sql_location(p, lin_sql_cur(p)));
	lin_sql_skip_rest(p);
}

void lin_sql_stmt_load(sql_parser *p)
{
	/* LOAD DATA [LOCAL] INPATH|INFILE 'path' [OVERWRITE|REPLACE|IGNORE] INTO TABLE t */
	p->type = "load";
	p->pos++;
	lin_sql_accept_word(p, "data");
	lin_sql_accept_kw(p, K_local);
	if (!lin_sql_accept_kw(p, K_inpath) && !lin_sql_accept_word(p, "infile")) {
		lin_sql_skip_rest(p);
		p->type = "other";
		return;
	}
	if (lin_sql_is_location(lin_sql_cur(p), p->src)) {
		lin_sql_note_read(p, lin_sql_location(p, lin_sql_cur(p)));
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
	lin_sql_skip_rest(p);
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
