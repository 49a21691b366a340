/*
 * INSERT in its forms (column lists, partitions, BY NAME, multi-table INSERT ALL, Hive
 * multi-insert): what is written where.
 */
#include <stdio.h>
#include <string.h>

#include "sql_internal.h"

/* ---- INSERT ---- */
const char **lin_sql_column_list(sql_parser *p, int *n)
{
	*n = 0;
	if (lin_sql_is_op(lin_sql_cur(p), '(') && !lin_sql_query_starts(p, 1))
		return lin_sql_ident_list(p, n);
	return NULL;
}

/* Hive/Spark PARTITION (a='x', b): dynamic partition columns (no value) come last */
const char **lin_sql_partition_spec(sql_parser *p, int *ndyn)
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
		lin_sql_skip_rest(p);
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
		g->cols = lin_sql_column_list(p, &g->ncols);
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

void lin_sql_stmt_insert(sql_parser *p)
{
	int by_name = 0, ncols = 0, ndyn = 0;
	const char **cols = NULL, **dyn = NULL;
	p->type = "insert";
	p->pos++; /* INSERT / REPLACE / UPSERT */
	for (;;) {
		if (lin_sql_is_kw(lin_sql_cur(p), K_or)) {
			p->pos += 2;
		} else if (lin_sql_accept_word(p, "ignore") || lin_sql_accept_word(p, "low_priority") ||
			   lin_sql_accept_word(p, "delayed") || lin_sql_accept_word(p, "high_priority")) {
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
	if (!lin_sql_accept_kw(p, K_into) && lin_sql_accept_kw(p, K_overwrite))
		lin_sql_accept_kw(p, K_into); /* Snowflake INSERT OVERWRITE INTO */
	lin_sql_accept_kw(p, K_table);
	/* INSERT OVERWRITE [LOCAL] DIRECTORY 'path' ... query */
	if (lin_sql_accept_kw(p, K_local) || lin_sql_is_kw(lin_sql_cur(p), K_directory)) {
		lin_sql_accept_kw(p, K_directory);
		uint32_t tid = lin_sql_location(p, lin_sql_cur(p));
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
			dyn = lin_sql_partition_spec(p, &ndyn);
		} else if (lin_sql_is_op(lin_sql_cur(p), '(') && !lin_sql_query_starts(p, 1) && !cols) {
			cols = lin_sql_column_list(p, &ncols);
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
		lin_sql_skip_rest(p); /* ON CONFLICT / ON DUPLICATE KEY UPDATE / RETURNING */
}

/* Hive multi-insert: FROM src INSERT ... SELECT ... [INSERT ... SELECT ...]: 1 when it was one. */
int lin_sql_stmt_multi_insert(sql_parser *p)
{
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
					dyn = lin_sql_partition_spec(p, &ndyn);
				if (lin_sql_is_op(lin_sql_cur(p), '(') && !lin_sql_query_starts(p, 1))
					cols = lin_sql_column_list(p, &ncols);
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
					sql_item *it = lin_sql_new_item(p, q, NULL, lin_sql_cur(p));
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
			lin_sql_skip_rest(p);
			return 1;
		}
	}
	return 0;
}
