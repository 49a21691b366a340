/*
 * USE and SET: the defaults that decide which names are the same table, and
 * variable assignments whose subqueries read tables.
 */
#include <stdio.h>
#include <string.h>

#include "sql_internal.h"

static const char *intern_str(sql_parser *p, const char *s)
{
	return lin_sql_name(p->sc, lin_sql_intern_name(p, s));
}

void lin_sql_stmt_use(sql_parser *p)
{
	sql_script *sc = p->sc;
	int level = 0; /* 1 database, 2 schema */
	p->type = "use";
	p->pos++;
	if (lin_sql_accept_kw(p, K_database) || lin_sql_accept_word(p, "catalog"))
		level = 1;
	else if (lin_sql_accept_kw(p, K_schema))
		level = 2;
	else if ((lin_sql_word_is(p, lin_sql_cur(p), "warehouse") || lin_sql_word_is(p, lin_sql_cur(p), "role") ||
		  lin_sql_word_is(p, lin_sql_cur(p), "secondary")) && lin_sql_is_ident(lin_sql_peek(p, 1))) {
		lin_sql_skip_rest(p);
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
	lin_sql_skip_rest(p);
}

void lin_sql_stmt_set(sql_parser *p)
{
	/* Postgres: SET search_path TO x, ...; SET SCHEMA 'x' */
	p->type = "other";
	p->pos++;
	lin_sql_accept_kw(p, K_local);
	lin_sql_accept_word(p, "session");
	if (lin_sql_accept_word(p, "search_path") || lin_sql_accept_kw(p, K_schema)) {
		if (lin_sql_accept_kw(p, K_to) || lin_sql_is_op(lin_sql_cur(p), '='))
			if (lin_sql_is_op(lin_sql_cur(p), '='))
				p->pos++;
		const sql_token *t = lin_sql_cur(p);
		const char *name = t->type == T_STRING ? lin_sql_string_text(p, t)
			: lin_sql_is_ident(t) ? lin_sql_ident(p, t) : NULL;
		if (name && *name) {
			p->sc->use_schema = intern_str(p, name);
			p->type = "use";
		}
		lin_sql_skip_rest(p);
		return;
	}
	/* SET var = expr, SET (a, b) = (SELECT ...), SET @x += ...: the subqueries are read */
	lin_sql_stmt_reads(p);
	p->type = "other";
}
