/*
 * Name resolution: every column reference of a query is matched against the query's FROM
 * sources (then the enclosing queries'), and its output columns are computed as sets of
 * base-table columns. Derived tables and CTEs are resolved before the queries that read
 * them, so resolution never recurses.
 */
#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "sql_internal.h"

static uint32_t intern(sql_parser *p, const char *s)
{
	uint32_t id = lin_sql_intern(p->sc, s, strlen(s));
	if (id == UINT32_MAX)
		lin_sql_oom(p);
	return id;
}

static const char *src_label(const sql_src *s)
{
	if (s->alias)
		return s->alias;
	if (s->nparts)
		return s->parts[s->nparts - 1];
	return "(function)";
}

static void copy_set(sql_parser *p, sql_refset *dst, const sql_refset *src)
{
	memset(dst, 0, sizeof *dst);
	lin_sql_refset_merge(p, dst, src);
}

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The index of output column `name` (first one), or -1; builds the index on first use. */
static int outcol_index(sql_parser *p, sql_query *q, const char *name)
{
	if (!q->colidx) {
		uint32_t n = 16;
		while (n < 2u * (uint32_t)q->ncols + 2u)
			n *= 2;
		q->colidx = lin_sql_alloc(p, n * sizeof *q->colidx);
		q->ncolidx = n;
		q->has_wild = 0;
		for (int i = 0; i < q->ncols; i++) {
			const char *c = q->cols[i].name;
			if (c[0] == '*' && !c[1]) {
				q->has_wild = 1;
				continue;
			}
			uint32_t h = name_hash(c) & (n - 1);
			int dup = 0;
			while (q->colidx[h]) {
				if (!strcmp(q->cols[q->colidx[h] - 1].name, c)) {
					dup = 1;
					break;
				}
				h = (h + 1) & (n - 1);
			}
			if (!dup)
				q->colidx[h] = i + 1;
		}
	}
	uint32_t h = name_hash(name) & (q->ncolidx - 1);
	while (q->colidx[h]) {
		if (!strcmp(q->cols[q->colidx[h] - 1].name, name))
			return q->colidx[h] - 1;
		h = (h + 1) & (q->ncolidx - 1);
	}
	return -1;
}

int lin_sql_src_has(sql_parser *p, sql_src *s, uint32_t col)
{
	const char *name = lin_sql_name(p->sc, col);
	switch (s->kind) {
	case S_TABLE: {
		const uint32_t *cols = NULL;
		uint32_t n = 0;
		int rc = lin_sql_table_columns(p->sc, s->tid, &cols, &n);
		if (rc < 0) {
			p->fail = rc == LINEAGE_ENOMEM ? 2 : 3;
			longjmp(p->jb, 1);
		}
		if (rc == 0)
			return -1;
		for (uint32_t i = 0; i < n; i++)
			if (cols[i] == col)
				return 1;
		for (uint32_t i = 0; i < n; i++)
			if (!lin_strcasecmp(lin_sql_name(p->sc, cols[i]), name))
				return 1;
		return 0;
	}
	case S_DERIVED:
		if (s->ncolaliases) {
			for (int i = 0; i < s->ncolaliases; i++)
				if (!strcmp(s->colaliases[i], name))
					return 1;
			return 0;
		}
		if (!s->q) {
			if (!s->cte || !s->cte->ncols)
				return -1;
			for (int i = 0; i < s->cte->ncols; i++)
				if (!strcmp(s->cte->cols[i], name))
					return 1;
			return 0;
		} else {
			if (outcol_index(p, s->q, name) >= 0)
				return 1;
			return s->q->has_wild ? -1 : 0;
		}
	case S_FUNC:
		for (int i = 0; i < s->ncolaliases; i++)
			if (!strcmp(s->colaliases[i], name))
				return 1;
		return s->alias && !strcmp(s->alias, name);
	}
	return 0;
}

/* Add what column `col` (NULL: all columns) of source s is computed from. */
static void add_from_src(sql_parser *p, sql_src *s, const char *col, sql_refset *dest,
			 const sql_rawref *r)
{
	switch (s->kind) {
	case S_TABLE:
		lin_sql_refset_add(p, dest, REF(s->tid, col ? intern(p, col) : p->sc->star_id));
		return;
	case S_FUNC:
		lin_sql_refset_merge(p, dest, &s->set);
		return;
	case S_DERIVED:
		break;
	}
	sql_query *q = s->q;
	if (!q)
		return; /* a recursive CTE reading itself adds nothing new */
	if (!col) {
		for (int i = 0; i < q->ncols; i++)
			lin_sql_refset_merge(p, dest, &q->cols[i].set);
		return;
	}
	int idx = -1;
	if (s->ncolaliases) {
		for (int i = 0; i < s->ncolaliases; i++)
			if (!strcmp(s->colaliases[i], col))
				idx = i;
	} else {
		idx = outcol_index(p, q, col);
	}
	if (idx >= 0 && idx < q->ncols && strcmp(q->cols[idx].name, "*")) {
		lin_sql_refset_merge(p, dest, &q->cols[idx].set);
		return;
	}
	/* through an unexpanded SELECT *: the column comes from the wildcard's tables */
	int found = 0;
	for (int i = 0; i < q->ncols; i++) {
		if (strcmp(q->cols[i].name, "*"))
			continue;
		const sql_refset *w = &q->cols[i].set;
		for (uint32_t k = 0; k < w->n; k++) {
			if (REF_COL(w->v[k]) == p->sc->star_id) {
				lin_sql_refset_add(p, dest, REF(REF_TABLE(w->v[k]), intern(p, col)));
				found = 1;
			}
		}
		if (found)
			break; /* the first wildcard that can provide it */
	}
	if (!found && r)
		lin_sql_diag(p->sc, p->stmt, r->line, r->col, LINEAGE_SQL_WARNING,
			     "column \"%.100s\" is not an output of \"%.100s\"", col, src_label(s));
}

static int parts_match(const sql_src *s, const char **parts, int k)
{
	if (s->nparts < k)
		return 0;
	for (int i = 0; i < k; i++)
		if (strcmp(s->parts[s->nparts - k + i], parts[i]))
			return 0;
	return 1;
}

static sql_src *match_qualifier(sql_query *q, const char **parts, int k)
{
	if (k == 1)
		for (int i = 0; i < q->nsrcs; i++)
			if (q->srcs[i]->alias && !strcmp(q->srcs[i]->alias, parts[0]))
				return q->srcs[i];
	for (int i = 0; i < q->nsrcs; i++)
		if (parts_match(q->srcs[i], parts, k))
			return q->srcs[i];
	return NULL;
}

static int resolve_qualified(sql_parser *p, sql_query *q, sql_rawref *r)
{
	int n = r->nparts;
	if (r->star) {
		sql_src *s = match_qualifier(q, r->parts, n);
		if (!s)
			return 0;
		add_from_src(p, s, NULL, r->dest, r);
		return 1;
	}
	for (int k = n - 1; k >= 1; k--) {
		sql_src *s = match_qualifier(q, r->parts, k);
		if (s) {
			add_from_src(p, s, r->parts[k], r->dest, r);
			return 1;
		}
	}
	return 0;
}

static int pseudo_column(const char *name);

typedef struct sql_warned {
	const char *name;
	struct sql_warned *next;
} sql_warned;

/* One "ambiguous" warning per column name and statement is enough. */
static int warn_once(sql_parser *p, const char *name)
{
	int n = 0;
	for (sql_warned *w = p->warned; w; w = w->next, n++)
		if (!strcmp(w->name, name) || n > 256)
			return 0;
	sql_warned *w = lin_sql_alloc(p, sizeof *w);
	w->name = name;
	w->next = p->warned;
	p->warned = w;
	return 1;
}

static int in_using(const sql_src *s, const char *name)
{
	for (int i = 0; i < s->nusing; i++)
		if (!strcmp(s->using_cols[i], name))
			return 1;
	return 0;
}

/* 1 resolved, 0 not found here. */
static int resolve_unqualified(sql_parser *p, sql_query *q, sql_rawref *r, const char *name,
			       int soft)
{
	uint32_t col = intern(p, name);
	sql_src *yes = NULL, *unk = NULL;
	int nyes = 0, nunk = 0;
	for (int i = 0; i < q->nsrcs; i++) {
		int h = lin_sql_src_has(p, q->srcs[i], col);
		if (h > 0) {
			if (!nyes++)
				yes = q->srcs[i];
		} else if (h < 0) {
			/* the same table named twice (T-SQL UPDATE t ... FROM t) is one candidate */
			if (unk && unk->kind == S_TABLE && q->srcs[i]->kind == S_TABLE &&
			    unk->tid == q->srcs[i]->tid)
				continue;
			if (!nunk++)
				unk = q->srcs[i];
		}
	}
	/* JOIN ... USING (c): both sides feed c */
	for (int i = 0; i < q->nsrcs && (nyes || nunk); i++) {
		if (!in_using(q->srcs[i], name))
			continue;
		for (int k = 0; k < q->nsrcs; k++)
			if (lin_sql_src_has(p, q->srcs[k], col) != 0)
				add_from_src(p, q->srcs[k], name, r->dest, r);
		return 1;
	}
	if (nyes) {
		/* NATURAL JOIN: columns both sides have are its join columns */
		if (nyes > 1 && !in_using(yes, name) && !yes->natural && warn_once(p, name))
			lin_sql_diag(p->sc, p->stmt, r->line, r->col, LINEAGE_SQL_WARNING,
				     "column \"%.100s\" is ambiguous (%d tables in scope have it); "
				     "attributed to \"%.100s\"",
				     name, nyes, src_label(yes));
		add_from_src(p, yes, name, r->dest, r);
		return 1;
	}
	if (soft)
		return 0;
	if (pseudo_column(name))
		return 1; /* ROWNUM, LEVEL, SYSDATE...: not a column of any table */
	if (r->alias_ok && !q->no_alias) {
		int limit = r->item >= 0 && q == r->origin ? r->item : q->nitems;
		for (int i = 0; i < limit && i < q->nitems; i++) {
			sql_item *it = q->items[i];
			if (it->alias && !strcmp(it->alias, name) &&
			    !(it->colname && !strcmp(it->colname, name))) {
				if (&it->set != r->dest)
					lin_sql_refset_merge(p, r->dest, &it->set);
				return 1;
			}
		}
	}
	if (nunk) {
		if (nunk > 1 && !in_using(unk, name)) {
			/* never guessed: several tables may have it */
			if (warn_once(p, name) &&
			    lin_sql_diag(p->sc, p->stmt, r->line, r->col, LINEAGE_SQL_WARNING,
					 "column \"%.100s\" is ambiguous: %d tables in scope have "
					 "unknown columns; not resolved (qualify it or give a schema)",
					 name, nunk) < 0)
				lin_sql_oom(p);
			return 1;
		}
		add_from_src(p, unk, name, r->dest, r);
		return 1;
	}
	return 0;
}

static int resolve_here(sql_parser *p, sql_query *q, sql_rawref *r)
{
	if (r->star && r->nparts == 0) {
		/* count(*): whole rows of every table in FROM — t.*, also through a CTE or a
		 * derived table (the tables its columns come from) */
		for (int i = 0; i < q->nsrcs; i++) {
			sql_src *s = q->srcs[i];
			if (s->kind != S_DERIVED) {
				add_from_src(p, s, NULL, r->dest, r);
				continue;
			}
			for (int c = 0; s->q && c < s->q->ncols; c++) {
				const sql_refset *set = &s->q->cols[c].set;
				for (uint32_t k = 0; k < set->n; k++)
					lin_sql_refset_add(p, r->dest,
							   REF(REF_TABLE(set->v[k]), p->sc->star_id));
			}
		}
		return q->nsrcs > 0;
	}
	if (r->nparts >= 2 || r->star)
		return r->nparts >= 1 && resolve_qualified(p, q, r);
	return resolve_unqualified(p, q, r, r->parts[0], r->soft);
}

static int pseudo_column(const char *name)
{
	static const char *const names[] = {"rownum", "rowid", "level", "sysdate", "systimestamp",
					    "user", "session_user", "localtimestamp", "localtime",
					    "current_schema", "current_role", "getdate", "current_database",
					    "system_user"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(names[i], name))
			return 1;
	return 0;
}

static void append_ref(sql_query *q, sql_rawref *r)
{
	r->next = NULL;
	if (q->refs_tail)
		q->refs_tail->next = r;
	else
		q->refs = r;
	q->refs_tail = r;
}

static void resolve_ref(sql_parser *p, sql_query *q, sql_rawref *r)
{
	if (resolve_here(p, q, r))
		return;
	if (r->soft)
		return;
	sql_refset *d = r->dest;
	int item = r->item;
	for (sql_query *c = q, *a = q->parent; a; c = a, a = a->parent) {
		/* the value reaches `a` through the subquery's place in it */
		if (d != &p->indirect) {
			d = c->parent_dest ? c->parent_dest : &p->indirect;
			item = d == &p->indirect ? -1 : c->parent_item;
		}
		/* inside FROM (LATERAL, ON), the items already read are visible */
		if (!a->from_done && a->nsrcs > 0 && resolve_here(p, a, r))
			return;
		if (!a->from_done) {
			/* the enclosing query has not read its FROM yet: resolve it there */
			sql_rawref *moved = lin_sql_alloc(p, sizeof *moved);
			*moved = *r;
			moved->dest = r->dest == &p->indirect ? &p->indirect : d;
			moved->item = item;
			append_ref(a, moved);
			return;
		}
		if (resolve_here(p, a, r))
			return;
	}
	if (r->nparts == 0)
		return; /* count(*) without FROM */
	/* a struct field (BigQuery, Spark): col.field */
	if (r->nparts >= 2 && !r->star && r->origin && (p->flags & DF_STRUCT) &&
	    resolve_unqualified(p, r->origin, r, r->parts[0], 0))
		return;
	if (r->nparts >= 2 || r->star) {
		lin_sql_diag(p->sc, p->stmt, r->line, r->col, LINEAGE_SQL_WARNING,
			     "unknown table or alias \"%.100s\" in a column reference", r->parts[0]);
	} else if (!pseudo_column(r->parts[0]) && r->origin && r->origin->nsrcs > 0) {
		lin_sql_diag(p->sc, p->stmt, r->line, r->col, LINEAGE_SQL_WARNING,
			     "column \"%.100s\" is not in any table in scope", r->parts[0]);
	}
}

static int excluded(const sql_item *it, const char *name)
{
	for (int i = 0; i < it->nexcept; i++)
		if (!strcmp(it->except[i], name))
			return 1;
	return 0;
}

typedef struct colvec {
	sql_outcol *v;
	int n, cap;
} colvec;

static sql_outcol *push_col(sql_parser *p, colvec *cv)
{
	if (cv->n == cv->cap) {
		int nc = cv->cap ? cv->cap * 2 : 16;
		sql_outcol *v = lin_sql_alloc(p, (size_t)nc * sizeof *v);
		if (cv->n)
			memcpy(v, cv->v, (size_t)cv->n * sizeof *v);
		cv->v = v;
		cv->cap = nc;
	}
	sql_outcol *c = &cv->v[cv->n++];
	memset(c, 0, sizeof *c);
	return c;
}

static void expand_src(sql_parser *p, colvec *cv, sql_src *s, const sql_item *it)
{
	switch (s->kind) {
	case S_TABLE: {
		const uint32_t *cols = NULL;
		uint32_t n = 0;
		int rc = lin_sql_table_columns(p->sc, s->tid, &cols, &n);
		if (rc < 0) {
			p->fail = rc == LINEAGE_ENOMEM ? 2 : 3;
			longjmp(p->jb, 1);
		}
		if (rc == 0) {
			sql_outcol *c = push_col(p, cv);
			c->name = "*";
			c->kind = EK_IDENTITY;
			c->line = it->line;
			c->col = it->col;
			lin_sql_refset_add(p, &c->set, REF(s->tid, p->sc->star_id));
			return;
		}
		for (uint32_t i = 0; i < n; i++) {
			const char *name = lin_sql_name(p->sc, cols[i]);
			if (excluded(it, name))
				continue;
			sql_outcol *c = push_col(p, cv);
			c->name = name;
			c->kind = EK_IDENTITY;
			c->line = it->line;
			c->col = it->col;
			lin_sql_refset_add(p, &c->set, REF(s->tid, cols[i]));
		}
		return;
	}
	case S_DERIVED:
		if (!s->q)
			return;
		for (int i = 0; i < s->q->ncols; i++) {
			const sql_outcol *o = &s->q->cols[i];
			const char *name = i < s->ncolaliases ? s->colaliases[i] : o->name;
			if (excluded(it, name))
				continue;
			sql_outcol *c = push_col(p, cv);
			c->name = name;
			c->kind = o->kind;
			c->line = it->line;
			c->col = it->col;
			copy_set(p, &c->set, &o->set);
		}
		return;
	case S_FUNC:
		if (s->ncolaliases) {
			for (int i = 0; i < s->ncolaliases; i++) {
				sql_outcol *c = push_col(p, cv);
				c->name = s->colaliases[i];
				c->kind = EK_TRANSFORM;
				c->line = it->line;
				c->col = it->col;
				copy_set(p, &c->set, &s->set);
			}
		} else if (s->alias) {
			sql_outcol *c = push_col(p, cv);
			c->name = s->alias;
			c->kind = EK_TRANSFORM;
			c->line = it->line;
			c->col = it->col;
			copy_set(p, &c->set, &s->set);
		}
		return;
	}
}

static void expand_star(sql_parser *p, sql_query *q, colvec *cv, sql_item *it)
{
	if (it->nstar) {
		sql_src *s = match_qualifier(q, it->star_parts, it->nstar);
		if (!s) {
			lin_sql_diag(p->sc, p->stmt, it->line, it->col, LINEAGE_SQL_WARNING,
				     "unknown table or alias \"%.100s\" in %.100s.*",
				     it->star_parts[0], it->star_parts[0]);
			return;
		}
		expand_src(p, cv, s, it);
	} else {
		for (int i = 0; i < q->nsrcs; i++)
			expand_src(p, cv, q->srcs[i], it);
	}
	/* REPLACE (expr AS col) references */
	if (it->set.n)
		for (int i = 0; i < cv->n; i++)
			lin_sql_refset_merge(p, &cv->v[i].set, &it->set);
}

/* NATURAL JOIN: the columns two joined tables both have are join columns (indirect). */
static void natural_columns(sql_parser *p, sql_query *q)
{
	for (int i = 1; i < q->nsrcs; i++) {
		sql_src *a = q->srcs[i - 1], *b = q->srcs[i];
		const uint32_t *ca = NULL, *cb = NULL;
		uint32_t na = 0, nb = 0;
		if (!b->natural || a->kind != S_TABLE || b->kind != S_TABLE)
			continue;
		int ka = lin_sql_table_columns(p->sc, a->tid, &ca, &na);
		int kb = ka > 0 ? lin_sql_table_columns(p->sc, b->tid, &cb, &nb) : 0;
		if (ka < 0 || kb < 0) {
			p->fail = (ka < 0 ? ka : kb) == LINEAGE_ENOMEM ? 2 : 3;
			longjmp(p->jb, 1);
		}
		if (ka == 0 || kb == 0)
			continue;
		for (uint32_t x = 0; x < na; x++)
			for (uint32_t y = 0; y < nb; y++)
				if (ca[x] == cb[y]) {
					lin_sql_refset_add(p, &p->indirect, REF(a->tid, ca[x]));
					lin_sql_refset_add(p, &p->indirect, REF(b->tid, cb[y]));
				}
	}
}

void lin_sql_resolve(sql_parser *p, sql_query *q)
{
	sql_rawref *r;
	colvec cv = {0};
	natural_columns(p, q);
	/* function sources first: other references may go through them */
	for (r = q->refs; r; r = r->next)
		if (r->early)
			resolve_ref(p, q, r);
	for (r = q->refs; r; r = r->next)
		if (!r->early)
			resolve_ref(p, q, r);
	int anon = 0;
	for (int i = 0; i < q->nitems; i++) {
		sql_item *it = q->items[i];
		if (it->star) {
			expand_star(p, q, &cv, it);
			continue;
		}
		sql_outcol *c = push_col(p, &cv);
		if (it->alias)
			c->name = it->alias;
		else if (it->colname)
			c->name = it->colname;
		else
			c->name = lin_sql_output_name(p, it, i, anon++);
		c->set = it->set;
		c->kind = it->kind;
		c->line = it->line;
		c->col = it->col;
	}
	q->cols = cv.v;
	q->ncols = cv.n;
	q->resolved = 1;
}
