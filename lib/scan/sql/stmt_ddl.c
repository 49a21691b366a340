/*
 * CREATE TABLE/VIEW (AS query, column lists, LIKE, CLONE), ALTER TABLE (RENAME, SWAP,
 * EXCHANGE PARTITION), RENAME TABLE and DROP.
 */
#include <stdio.h>
#include <string.h>

#include "sql_internal.h"

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

void lin_sql_copy_columns_edges(sql_parser *p, uint32_t src, uint32_t dst, const sql_token *at)
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

void lin_sql_stmt_create(sql_parser *p)
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
		lin_sql_skip_rest(p); /* CREATE FUNCTION, INDEX, SCHEMA, ...: no data lineage */
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
				lin_sql_copy_columns_edges(p, src, tid, sf);
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
			lin_sql_skip_rest(p);
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
				ids[i] = lin_sql_intern_name(p, cols[i]);
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
			ids[i] = lin_sql_intern_name(p, cols[i]);
		if (lin_sql_table_set_columns(p->sc, tid, ids, (uint32_t)ncols) < 0)
			lin_sql_oom(p);
	} else {
		lin_sql_emit_query(p, q, tid, NULL, 0, EMIT_DEFINE);
	}
	/* Teradata WITH [NO] DATA, PRIMARY INDEX ...; Spark options after the query */
	lin_sql_skip_rest(p);
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

void lin_sql_stmt_alter(sql_parser *p)
{
	p->type = "alter";
	p->pos++;
	if (!lin_sql_is_kw(lin_sql_cur(p), K_table) && !lin_sql_is_kw(lin_sql_cur(p), K_view) &&
	    !(lin_sql_is_kw(lin_sql_cur(p), K_materialized) && lin_sql_is_kw(lin_sql_peek(p, 1), K_view))) {
		lin_sql_skip_rest(p);
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
	} else if (lin_sql_accept_word(p, "exchange")) {
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
	lin_sql_skip_rest(p);
}

void lin_sql_stmt_rename(sql_parser *p)
{
	/* MySQL: RENAME TABLE a TO b [, c TO d] */
	p->type = "rename";
	p->pos++;
	if (!lin_sql_accept_kw(p, K_table)) {
		lin_sql_skip_rest(p);
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
	lin_sql_skip_rest(p);
}

void lin_sql_stmt_drop(sql_parser *p)
{
	p->type = "drop";
	p->pos++;
	lin_sql_accept_kw(p, K_temporary);
	lin_sql_accept_kw(p, K_materialized);
	if (!lin_sql_accept_kw(p, K_table) && !lin_sql_accept_kw(p, K_view)) {
		lin_sql_skip_rest(p);
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
	lin_sql_skip_rest(p);
}
