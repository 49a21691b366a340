/*
 * The name a dialect gives an unaliased select item that is not a bare column: the
 * expression's text (Spark, Hive, MySQL, Snowflake, ...), the function's or the cast
 * column's name (PostgreSQL), f0_ (BigQuery), _col0 (Trino).
 */
#include <stdio.h>
#include <string.h>

#include "sql_internal.h"

#define MAX_NAME 512

enum { NAME_FUNC, NAME_TEXT, NAME_PG, NAME_BQ, NAME_POS };

static int naming(const char *dialect)
{
	static const char *const text[] = {"sparksql", "databricks", "hive", "mysql", "mariadb",
					   "sqlite", "duckdb", "clickhouse", "snowflake",
					   "oracle", "teradata", NULL};
	for (const char *const *d = text; *d; d++)
		if (!strcmp(dialect, *d))
			return NAME_TEXT;
	if (!strcmp(dialect, "postgres") || !strcmp(dialect, "redshift"))
		return NAME_PG;
	if (!strcmp(dialect, "bigquery"))
		return NAME_BQ;
	if (!strcmp(dialect, "trino") || !strcmp(dialect, "athena"))
		return NAME_POS;
	return NAME_FUNC;
}

/* The item's tokens as written, words lower-cased, blanks and comments as one space. */
static const char *item_text(sql_parser *p, const sql_item *it)
{
	char buf[MAX_NAME];
	size_t k = 0;
	for (uint32_t i = it->tok_from; i < it->tok_to && i < p->n && k < sizeof buf - 1; i++) {
		const sql_token *t = &p->t[i];
		int quoted = t->type == T_QIDENT;
		size_t off = quoted ? t->off - 1 : t->off;
		if (i > it->tok_from) {
			const sql_token *prev = &p->t[i - 1];
			size_t prev_end = (prev->type == T_QIDENT ? prev->off + 1 : prev->off) + prev->len;
			if (off > prev_end)
				buf[k++] = ' ';
		}
		/* A quoted name: its quotes from the token, never read past its inside (a quote
		 * left open at the end of the script has no closing one in the text). */
		if (quoted && k < sizeof buf - 1)
			buf[k++] = p->src[off];
		for (size_t c = 0; c < t->len && k < sizeof buf - 1; c++) {
			char ch = p->src[t->off + c];
			if (t->type == T_WORD && ch >= 'A' && ch <= 'Z')
				ch = (char)(ch + 32);
			buf[k++] = ch;
		}
		if (quoted && k < sizeof buf - 1)
			buf[k++] = (char)t->quote;
	}
	if (k == 0)
		return NULL;
	const char *s = lin_arena_strndup(p->arena, buf, k);
	if (!s)
		lin_sql_oom(p);
	return s;
}

/* PostgreSQL: x::type and CAST(x AS type) are named x. */
static const char *pg_cast_column(sql_parser *p, const sql_item *it)
{
	uint32_t a = it->tok_from, b = it->tok_to;
	if (b > p->n || a >= b)
		return NULL;
	const sql_token *t = p->t;
	/* [q.]x :: type */
	uint32_t k = a;
	while (k + 2 < b && lin_sql_is_ident(&t[k]) && lin_sql_is_op(&t[k + 1], '.'))
		k += 2;
	if (k + 1 < b && lin_sql_is_ident(&t[k]) && lin_sql_is_op(&t[k + 1], OP2(':', ':')))
		return lin_sql_ident(p, &t[k]);
	/* CAST ( [q.]x AS type ) */
	if (b - a >= 5 && (lin_sql_word_is(p, &t[a], "cast") || lin_sql_word_is(p, &t[a], "try_cast")) &&
	    lin_sql_is_op(&t[a + 1], '(')) {
		k = a + 2;
		while (k + 2 < b && lin_sql_is_ident(&t[k]) && lin_sql_is_op(&t[k + 1], '.'))
			k += 2;
		if (k + 1 < b && lin_sql_is_ident(&t[k]) && lin_sql_is_kw(&t[k + 1], K_as))
			return lin_sql_ident(p, &t[k]);
	}
	return NULL;
}

static const char *numbered(sql_parser *p, const char *fmt, int n)
{
	char buf[32];
	snprintf(buf, sizeof buf, fmt, n);
	const char *s = lin_arena_strndup(p->arena, buf, strlen(buf));
	if (!s)
		lin_sql_oom(p);
	return s;
}

const char *lin_sql_output_name(sql_parser *p, const sql_item *it, int index, int anon_index)
{
	const char *name = NULL;
	switch (naming(p->d->name)) {
	case NAME_TEXT:
		name = item_text(p, it);
		break;
	case NAME_PG:
		name = pg_cast_column(p, it);
		if (!name)
			name = it->funcname ? it->funcname : "?column?";
		break;
	case NAME_BQ:
		return numbered(p, "f%d_", anon_index);
	case NAME_POS:
		return numbered(p, "_col%d", index);
	default:
		name = it->funcname;
		break;
	}
	return name ? name : numbered(p, "_col%d", index);
}
