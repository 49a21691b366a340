/*
 * UPDATE, DELETE and MERGE: the written table, the values assigned and the rows chosen.
 */
#include <stdio.h>
#include <string.h>

#include "sql_internal.h"

/* ---- UPDATE / DELETE / MERGE ---- */
sql_item *lin_sql_new_item(sql_parser *p, sql_query *q, const char *name, const sql_token *at)
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
				lin_sql_new_item(p, q, names[i], t)->kind = EK_TRANSFORM;
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
			sql_item *it = lin_sql_new_item(p, q, name, t);
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
			lin_sql_edges_to(p, c, tid, p->sc->star_id);
			continue;
		}
		lin_sql_edges_to(p, c, tid, lin_sql_intern_name(p, c->name));
	}
}

/* T-SQL UPDATE TOP (n) [PERCENT], DELETE TOP (n) */
static void skip_top(sql_parser *p)
{
	if (!lin_sql_is_kw(lin_sql_cur(p), K_top) || !lin_sql_is_op(lin_sql_peek(p, 1), '('))
		return;
	p->pos++;
	lin_sql_skip_balanced(p);
	lin_sql_accept_word(p, "percent");
}

void lin_sql_stmt_update(sql_parser *p)
{
	sql_query *q = lin_sql_query_new(p, NULL, &p->indirect);
	sql_src *tgt;
	int np;
	const sql_token *first;
	p->type = "update";
	q->no_alias = 1;
	p->pos++;
	lin_sql_accept_kw(p, K_only);
	skip_top(p);
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
	lin_sql_skip_rest(p);
}

void lin_sql_stmt_delete(sql_parser *p)
{
	sql_query *q = lin_sql_query_new(p, NULL, &p->indirect);
	sql_src *tgt = NULL;
	int np;
	const sql_token *first;
	p->type = "delete";
	q->no_alias = 1;
	p->pos++;
	skip_top(p);
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
	lin_sql_skip_rest(p);
}

static void merge_star(sql_parser *p, sql_query *q, sql_src *src, const sql_token *at,
		       int update)
{
	(void)update;
	sql_item *it = lin_sql_new_item(p, q, NULL, at);
	it->star = 1;
	const char *qual = src->alias ? src->alias : src->nparts ? src->parts[src->nparts - 1] : NULL;
	if (qual) {
		it->star_parts = lin_sql_alloc(p, sizeof *it->star_parts);
		it->star_parts[0] = qual;
		it->nstar = 1;
	}
}

void lin_sql_stmt_merge(sql_parser *p)
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
		if (!lin_sql_accept_word(p, "matched"))
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
						sql_item *it = lin_sql_new_item(p, q, i < n ? cols[i] : NULL, at);
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
	lin_sql_skip_rest(p);
}

/* ---- T-SQL OUTPUT ... INTO t [(cols)] ---- */

/* The OUTPUT clause of an INSERT/UPDATE/DELETE/MERGE at the top level: [*o, *e). */
static int find_output(sql_parser *p, size_t *o, size_t *e)
{
	int d = 0;
	for (size_t i = 1; i < p->n; i++) {
		const sql_token *t = &p->t[i];
		if (lin_sql_is_op(t, '('))
			d++;
		else if (lin_sql_is_op(t, ')') && d > 0)
			d--;
		if (d || !lin_sql_word_is(p, t, "output"))
			continue;
		/* up to INTO name [(cols)], or to the clause that follows */
		size_t j = i + 1;
		int dd = 0;
		for (; j < p->n; j++) {
			const sql_token *x = &p->t[j];
			if (lin_sql_is_op(x, '('))
				dd++;
			else if (lin_sql_is_op(x, ')') && dd > 0)
				dd--;
			if (dd)
				continue;
			if (lin_sql_is_kw(x, K_into)) {
				j++;
				while (j < p->n && (lin_sql_is_ident(&p->t[j]) || p->t[j].type == T_PARAM ||
						    lin_sql_is_op(&p->t[j], '.')))
					j++;
				if (j < p->n && lin_sql_is_op(&p->t[j], '(') && j + 1 < p->n &&
				    !lin_sql_query_starts(p, j + 1 - p->pos)) {
					int k = 0;
					for (; j < p->n; j++) {
						if (lin_sql_is_op(&p->t[j], '('))
							k++;
						else if (lin_sql_is_op(&p->t[j], ')') && --k == 0) {
							j++;
							break;
						}
					}
				}
				break;
			}
			if (lin_sql_is_kw(x, K_select) || lin_sql_is_kw(x, K_values) ||
			    lin_sql_is_kw(x, K_from) || lin_sql_is_kw(x, K_where) ||
			    lin_sql_is_kw(x, K_default) || lin_sql_is_kw(x, K_when))
				break;
		}
		*o = i;
		*e = j;
		return 1;
	}
	return 0;
}

/* OUTPUT inserted.a, deleted.b AS x, ... INTO t [(cols)]: t is written from the columns of
 * the statement's target `tid`. */
static void output_clause(sql_parser *p, size_t o, size_t e, uint32_t tid)
{
	sql_refset sets[256];
	const char *names[256];
	int n = 0, d = 0;
	memset(sets, 0, sizeof sets);
	memset(names, 0, sizeof names);
	size_t i = o + 1;
	const sql_token *item_start = &p->t[i];
	for (; i < e && n < 256; i++) {
		const sql_token *t = &p->t[i];
		if (lin_sql_is_op(t, '('))
			d++;
		else if (lin_sql_is_op(t, ')') && d > 0)
			d--;
		if (d == 0 && (lin_sql_is_op(t, ',') || lin_sql_is_kw(t, K_into))) {
			n++;
			item_start = i + 1 < e ? &p->t[i + 1] : t;
			if (lin_sql_is_kw(t, K_into))
				break;
			continue;
		}
		if ((lin_sql_word_is(p, t, "inserted") || lin_sql_word_is(p, t, "deleted")) &&
		    i + 2 < e && lin_sql_is_op(&p->t[i + 1], '.')) {
			const sql_token *c = &p->t[i + 2];
			const char *col = lin_sql_is_op(c, '*') ? "*" : lin_sql_ident(p, c);
			lin_sql_refset_add(p, &sets[n], REF(tid, lin_sql_intern_name(p, col)));
			if (t == item_start && (i + 3 >= e || lin_sql_is_op(&p->t[i + 3], ',') ||
						lin_sql_is_kw(&p->t[i + 3], K_into)))
				names[n] = col; /* a bare inserted.col is named col */
			i += 2;
		} else if (lin_sql_is_kw(t, K_as) && d == 0 && i + 1 < e && lin_sql_is_ident(&p->t[i + 1])) {
			names[n] = lin_sql_ident(p, &p->t[i + 1]);
			i++;
		}
	}
	if (i >= e || !lin_sql_is_kw(&p->t[i], K_into))
		return; /* OUTPUT to the client: nothing is written */
	size_t save_n = p->n;
	p->pos = i + 1;
	p->n = e;
	int np, ncols = 0;
	const sql_token *first;
	const char **parts = lin_sql_parse_name(p, &np, &first);
	uint32_t out = lin_sql_table_of(p, parts, np, first);
	const char **cols = NULL;
	if (lin_sql_is_op(lin_sql_cur(p), '('))
		cols = lin_sql_ident_list(p, &ncols);
	p->n = save_n;
	lin_sql_note_write(p, out);
	for (int k = 0; k < n; k++) {
		const char *name = cols ? (k < ncols ? cols[k] : NULL) : names[k];
		if (!name)
			continue;
		uint32_t col = lin_sql_intern_name(p, name);
		for (uint32_t r = 0; r < sets[k].n; r++)
			lin_sql_col_edge(p, sets[k].v[r], out,
					 REF_COL(sets[k].v[r]) == p->sc->star_id ? p->sc->star_id : col,
					 EK_IDENTITY, first->line, first->col);
	}
}

/* T-SQL: the statement without its OUTPUT clause, then the clause (its INTO table). */
int lin_sql_stmt_with_output(sql_parser *p, void (*parse)(sql_parser *))
{
	size_t o, e;
	if (!(p->flags & DF_GO) || !find_output(p, &o, &e))
		return 0;
	const sql_token *orig = p->t;
	size_t n = p->n;
	sql_token *copy = lin_sql_alloc(p, (n - (e - o) + 1) * sizeof *copy);
	memcpy(copy, orig, o * sizeof *copy);
	memcpy(copy + o, orig + e, (n - e) * sizeof *copy);
	p->t = copy;
	p->n = n - (e - o);
	p->pos = 0;
	parse(p);
	size_t end = p->pos;
	p->t = orig;
	p->n = n;
	if (p->nwrites)
		output_clause(p, o, e, p->writes[0]);
	/* where the statement's parse stopped, in the original tokens */
	p->pos = end >= o ? end + (e - o) : end;
	return 1;
}
