/*
 * The expression scanner: walks an expression's tokens and records the column references
 * lineage needs, without building a tree. Parentheses and CASE are tracked on an explicit
 * stack (so deep nesting costs no C stack); only subqueries recurse, through the depth limit.
 */
#include <string.h>

#include "sql_internal.h"

enum { C_PAREN = 1, C_CASE = 2, C_BRACKET = 3 };
#define C_TYPE(c) ((c) & 7)
#define C_INDIRECT 8u /* FILTER (...): refs only shape rows */
#define C_CAST 16u    /* CAST(x AS type): skip the type */
#define C_SKIPARG 32u /* CONVERT(type, x) in T-SQL: skip the first argument */
#define C_DATEFN 64u  /* a date function: DAY, MONTH... are units here, not columns */

#define MAX_LAMBDA 16

typedef struct scan {
	sql_parser *p;
	sql_query *q;
	sql_refset *dest;
	int item;
	int base;       /* p->depth at entry */
	int nind;       /* indirect contexts open */
	const char *lambda[MAX_LAMBDA];
	int nlambda;
} scan;

static void push_ctx(scan *s, const sql_token *at, unsigned c)
{
	sql_parser *p = s->p;
	lin_sql_enter(p, at);
	p->ctx[p->depth] = (uint8_t)c;
	if (c & C_INDIRECT)
		s->nind++;
}

static unsigned pop_ctx(scan *s)
{
	sql_parser *p = s->p;
	unsigned c = p->ctx[p->depth];
	if (c & C_INDIRECT)
		s->nind--;
	lin_sql_leave(p);
	return c;
}

static int level(const scan *s)
{
	return (int)s->p->depth - s->base;
}

static unsigned top_ctx(const scan *s)
{
	return level(s) > 0 ? s->p->ctx[s->p->depth] : 0;
}

static sql_refset *dest_of(scan *s)
{
	return s->nind ? &s->p->indirect : s->dest;
}

static int is_lambda_name(const scan *s, const char *name)
{
	for (int i = 0; i < s->nlambda; i++)
		if (!strcmp(s->lambda[i], name))
			return 1;
	return 0;
}

static void add_ref(scan *s, const char **parts, int nparts, int star, int soft,
		    const sql_token *at)
{
	sql_parser *p = s->p;
	if (!star && is_lambda_name(s, parts[0]))
		return;
	/* procedural variables and parameters (a loop record's fields too) are not columns */
	if (p->sc->nrecords && nparts == 2 && !star) {
		/* a cursor or loop record's field: the columns its query computed it from */
		const sql_record *rec = lin_sql_record_find(p->sc, parts[0]);
		if (rec) {
			for (uint32_t i = 0; i < rec->n; i++) {
				if (strcmp(lin_sql_name(p->sc, rec->cols[i]), parts[1]))
					continue;
				lin_sql_refset_add(p, dest_of(s), rec->refs[i]);
				lin_sql_note_read(p, REF_TABLE(rec->refs[i])); /* its rows flow here */
			}
			return;
		}
	}
	if (p->sc->nvars && (nparts == 1 || (nparts == 2 && !star)) &&
	    lin_sql_is_var(p->sc, parts[0]))
		return;
	/* a trigger's NEW.col and OLD.col are the row's values, not a table's */
	if (p->in_proc && nparts == 2 && (!strcmp(parts[0], "new") || !strcmp(parts[0], "old")))
		return;
	sql_rawref *r = lin_sql_alloc(p, sizeof *r);
	r->parts = parts;
	r->nparts = (uint8_t)nparts;
	r->star = (uint8_t)star;
	r->soft = (uint8_t)soft;
	r->dest = dest_of(s);
	r->origin = s->q;
	r->item = r->dest == &p->indirect ? -1 : s->item;
	r->alias_ok = (uint8_t)(p->alias_ok != 0);
	r->line = at->line;
	r->col = at->col;
	if (s->q->refs_tail)
		s->q->refs_tail->next = r;
	else
		s->q->refs = r;
	s->q->refs_tail = r;
}

/* Parse a dotted name in an expression: parts, with a trailing * allowed. */
static const char **expr_path(sql_parser *p, int *nparts, int *star)
{
	const char *tmp[64];
	int n = 0;
	*star = 0;
	for (;;) {
		const sql_token *t = lin_sql_cur(p);
		if (t->type == T_OP && t->op == '*' && n > 0) {
			*star = 1;
			p->pos++;
			break;
		}
		if (!lin_sql_is_ident(t))
			break;
		if (n < 64)
			tmp[n++] = lin_sql_ident(p, t);
		p->pos++;
		if (!lin_sql_is_op(lin_sql_cur(p), '.'))
			break;
		const sql_token *nx = lin_sql_peek(p, 1);
		if (!lin_sql_is_ident(nx) && !lin_sql_is_op(nx, '*'))
			break;
		p->pos++;
	}
	const char **parts = lin_sql_alloc_uninit(p, (size_t)(n ? n : 1) * sizeof *parts);
	parts[0] = NULL;
	memcpy(parts, tmp, (size_t)n * sizeof *parts);
	*nparts = n;
	return parts;
}

/* What a call of the function `f` means for its arguments: C_CAST, C_SKIPARG (T-SQL's
 * CONVERT(type, value)), C_DATEFN. Switched on the first letter: it runs for every call. */
static unsigned function_class(const char *f, unsigned flags)
{
	unsigned c = 0;
	switch (f[0]) {
	case 'c':
		if (!strcmp(f, "cast"))
			c = C_CAST;
		else if ((flags & DF_GO) && !strcmp(f, "convert"))
			c = C_SKIPARG;
		break;
	case 't':
		if (!strcmp(f, "try_cast"))
			c = C_CAST;
		else if ((flags & DF_GO) && !strcmp(f, "try_convert"))
			c = C_SKIPARG;
		else if (!strcmp(f, "trunc"))
			c = C_DATEFN;
		break;
	case 's':
		if (!strcmp(f, "safe_cast"))
			c = C_CAST;
		break;
	case 'e':
		if (!strcmp(f, "extract"))
			c = C_DATEFN;
		break;
	case 'l':
		if (!strcmp(f, "last_day"))
			c = C_DATEFN;
		break;
	case 'i':
		if (!strcmp(f, "interval"))
			c = C_DATEFN;
		break;
	default:
		break;
	}
	if (strstr(f, "date") || strstr(f, "time"))
		c |= C_DATEFN;
	return c;
}

/* After '::': a type name, its (params) and [] suffixes. */
static void skip_type(sql_parser *p)
{
	while (lin_sql_is_ident(lin_sql_cur(p)) || lin_sql_cur(p)->type == T_WORD) {
		p->pos++;
		if (!lin_sql_is_op(lin_sql_cur(p), '.'))
			break;
		p->pos++;
	}
	if (lin_sql_is_op(lin_sql_cur(p), '('))
		lin_sql_skip_balanced(p);
	while (lin_sql_is_op(lin_sql_cur(p), '[') && lin_sql_is_op(lin_sql_peek(p, 1), ']'))
		p->pos += 2;
}

/* Snowflake/Databricks semi-structured paths: col:a.b[0]:c */
static void skip_colon_path(sql_parser *p)
{
	for (;;) {
		const sql_token *t = lin_sql_cur(p);
		if ((lin_sql_is_op(t, ':') || lin_sql_is_op(t, '.')) && (lin_sql_is_ident(lin_sql_peek(p, 1)) ||
							 lin_sql_peek(p, 1)->type == T_NUMBER)) {
			p->pos += 2;
		} else if (lin_sql_is_op(t, '[')) {
			lin_sql_skip_balanced(p);
		} else {
			break;
		}
	}
}

/* (a, b) -> ... : a lambda parameter list at '(' */
static int lambda_params(scan *s)
{
	sql_parser *p = s->p;
	size_t k = 1;
	for (;;) {
		if (!lin_sql_is_ident(lin_sql_peek(p, k)))
			return 0;
		k++;
		if (lin_sql_is_op(lin_sql_peek(p, k), ','))
			k++;
		else if (lin_sql_is_op(lin_sql_peek(p, k), ')'))
			break;
		else
			return 0;
	}
	if (!lin_sql_is_op(lin_sql_peek(p, k + 1), OP2('-', '>')))
		return 0;
	for (size_t i = 1; i < k; i += 2)
		if (s->nlambda < MAX_LAMBDA)
			s->lambda[s->nlambda++] = lin_sql_ident(p, lin_sql_peek(p, i));
	p->pos += k + 2;
	return 1;
}

/* Teradata: at '(' of col (TITLE 'x'), (FORMAT 'x'), (NAMED x): output options. */
static int teradata_phrase(sql_parser *p)
{
	const sql_token *w = lin_sql_peek(p, 1), *v = lin_sql_peek(p, 2);
	if (w->type != T_WORD || w->len < 5 || w->len > 6)
		return 0;
	return (lin_sql_word_is(p, w, "title") || lin_sql_word_is(p, w, "format") ||
		lin_sql_word_is(p, w, "named")) &&
	       (v->type == T_STRING || lin_sql_is_ident(v)) &&
	       lin_sql_is_op(lin_sql_peek(p, 3), ')');
}

static void subquery(scan *s, sql_exprinfo *info)
{
	sql_parser *p = s->p;
	sql_refset *d = dest_of(s);
	const sql_token *open = lin_sql_cur(p);
	p->pos++; /* ( */
	p->sub_item = d == &p->indirect ? -1 : s->item;
	sql_query *sub = lin_sql_parse_query(p, s->q, d);
	for (int i = 0; i < sub->ncols; i++)
		lin_sql_refset_merge(p, d, &sub->cols[i].set);
	if (!lin_sql_is_op(lin_sql_cur(p), ')'))
		lin_sql_fail(p, lin_sql_cur(p), "expected ')' to close the subquery opened at line %u",
			     (unsigned)open->line);
	p->pos++;
	if (info)
		info->noperands++;
}

void lin_sql_scan_expr(sql_parser *p, sql_query *q, sql_refset *dest, int item, int mode,
		       sql_exprinfo *info)
{
	scan s;
	sql_exprinfo dummy;
	int operand = 1;     /* expecting an operand */
	int simple = 1;      /* the expression so far is one column reference */
	int ntok = 0;
	int agg = 0, window = 0;
	size_t start = p->pos, end_pos = SIZE_MAX;
	if (!info)
		info = &dummy;
	memset(info, 0, sizeof *info);
	memset(&s, 0, sizeof s);
	s.p = p;
	s.q = q;
	s.dest = dest;
	s.item = item;
	s.base = (int)p->depth;
	/* T-SQL: SELECT alias = expr */
	if ((mode & EX_ITEM) && (p->flags & DF_GO) && lin_sql_is_ident(lin_sql_cur(p)) &&
	    lin_sql_is_op(lin_sql_peek(p, 1), '=')) {
		info->alias = lin_sql_ident(p, lin_sql_cur(p));
		p->pos += 2;
		start = p->pos;
	}
	for (;;) {
		const sql_token *t = lin_sql_cur(p);
		int lvl = level(&s);
		unsigned ctx = top_ctx(&s);
		if (t->type == T_EOF)
			break;
		ntok = (int)(p->pos - start);
		if (lvl == 0) {
			if (lin_sql_is_op(t, ',') || lin_sql_is_op(t, ')') || lin_sql_is_op(t, ']'))
				break;
			if (t->type == T_WORD && (lin_sql_keyword_flags(t->kw) & KF_CLAUSE) &&
			    !(operand && lin_sql_is_op(lin_sql_peek(p, 1), '(') && t->kw != K_select &&
			      t->kw != K_values && t->kw != K_with)) {
				if ((mode & EX_ITEM) && !operand && t->kw == K_as) {
					const sql_token *a = lin_sql_peek(p, 1);
					end_pos = p->pos;
					if (lin_sql_is_ident(a) || a->type == T_STRING) {
						info->alias = a->type == T_STRING
								      ? lin_arena_strndup(p->arena, p->src + a->off + 1,
										  a->len >= 2 ? a->len - 2 : 0)
								      : lin_sql_ident(p, a);
						p->pos += 2;
					} else if (lin_sql_is_op(a, '(')) { /* AS (a, b) */
						p->pos++;
						lin_sql_skip_balanced(p);
					} else {
						p->pos++;
					}
				}
				break;
			}
			if ((mode & EX_ITEM) && !operand &&
			    (t->type == T_QIDENT ||
			     (t->type == T_WORD &&
			      !(lin_sql_keyword_flags(t->kw) & (KF_OP | KF_CLAUSE)) &&
			      !(t->kw == K_date || t->kw == K_timestamp) &&
			      !lin_sql_is_op(lin_sql_peek(p, 1), '(')) ||
			     (t->type == T_STRING && (p->flags & (DF_DQ_STRING | DF_GO | DF_BRACKET_ID))))) {
				end_pos = p->pos;
				info->alias = t->type == T_STRING
						      ? lin_arena_strndup(p->arena, p->src + t->off + 1,
									  t->len >= 2 ? t->len - 2 : 0)
						      : lin_sql_ident(p, t);
				p->pos++;
				break;
			}
		}
		/* two operands in a row: the expression ended (an alias follows) */
		if (lvl == 0 && !operand && lin_sql_is_ident(t) &&
		    !(t->type == T_WORD && (lin_sql_keyword_flags(t->kw) & (KF_OP | KF_CLAUSE))))
			break;
		/* CASE structure */
		if (t->type == T_WORD && C_TYPE(ctx) == C_CASE &&
		    (t->kw == K_when || t->kw == K_then || t->kw == K_else)) {
			p->pos++;
			operand = 1;
			simple = 0;
			continue;
		}
		if (t->type == T_WORD && t->kw == K_end && C_TYPE(ctx) == C_CASE) {
			pop_ctx(&s);
			p->pos++;
			operand = 0;
			continue;
		}
		/* the type in CAST(x AS type) */
		if ((ctx & C_CAST) && t->type == T_WORD && t->kw == K_as) {
			int d = 0;
			p->pos++;
			for (;;) {
				const sql_token *u = lin_sql_cur(p);
				if (u->type == T_EOF)
					break;
				if (lin_sql_is_op(u, '(') || lin_sql_is_op(u, '['))
					d++;
				else if (lin_sql_is_op(u, ')') || lin_sql_is_op(u, ']')) {
					if (d == 0)
						break;
					d--;
				}
				p->pos++;
			}
			operand = 0;
			continue;
		}
		if ((ctx & C_SKIPARG) && lvl > 0) {
			/* skip to the first comma at this level */
			int d = 0;
			while (lin_sql_cur(p)->type != T_EOF) {
				const sql_token *u = lin_sql_cur(p);
				if (lin_sql_is_op(u, '('))
					d++;
				else if (lin_sql_is_op(u, ')')) {
					if (d == 0)
						break;
					d--;
				} else if (lin_sql_is_op(u, ',') && d == 0) {
					break;
				}
				p->pos++;
			}
			p->ctx[p->depth] = (uint8_t)(ctx & ~C_SKIPARG);
			continue;
		}
		if (t->type == T_OP) {
			uint16_t op = t->op;
			if (op == '(') {
				if (!operand && teradata_phrase(p)) {
					if ((mode & EX_ITEM) && lvl == 0 &&
					    lin_sql_word_is(p, lin_sql_peek(p, 1), "named"))
						info->alias = lin_sql_ident(p, lin_sql_peek(p, 2));
					lin_sql_skip_balanced(p);
					continue;
				}
				if (lin_sql_query_starts(p, 1)) {
					subquery(&s, info);
					simple = 0;
					operand = 0;
					continue;
				}
				if ((p->flags & DF_LAMBDA) && operand && lambda_params(&s)) {
					simple = 0;
					operand = 1;
					continue;
				}
				push_ctx(&s, t, C_PAREN);
				p->pos++;
				operand = 1;
				if (ntok > 0)
					simple = 0;
				continue;
			}
			if (op == '[') {
				push_ctx(&s, t, C_BRACKET);
				p->pos++;
				operand = 1;
				simple = 0;
				continue;
			}
			if (op == ')' || op == ']') {
				/* lvl > 0 here; close CASEs left open by bad input too */
				while (level(&s) > 0 && C_TYPE(top_ctx(&s)) == C_CASE)
					pop_ctx(&s);
				if (level(&s) > 0)
					pop_ctx(&s);
				p->pos++;
				operand = 0;
				continue;
			}
			if (op == OP2(':', ':')) {
				p->pos++;
				skip_type(p);
				operand = 0;
				simple = 0;
				continue;
			}
			if (op == '*' && operand) {
				if (p->pos >= 2 && lin_sql_is_op(&p->t[p->pos - 1], '(') &&
				    lin_sql_is_op(lin_sql_peek(p, 1), ')') &&
				    (lin_sql_word_is(p, &p->t[p->pos - 2], "count") ||
				     lin_sql_word_is(p, &p->t[p->pos - 2], "count_big")))
					add_ref(&s, NULL, 0, 1, 0, t); /* count(*) reads whole rows */
				p->pos++;
				operand = 0;
				if ((mode & EX_ITEM) && lvl == 0 && ntok == 0) {
					info->star = 1;
					info->is_star_only = 1;
					break; /* the caller reads EXCEPT/EXCLUDE/REPLACE */
				}
				continue;
			}
			p->pos++;
			operand = 1;
			simple = 0;
			continue;
		}
		if (t->type == T_STRING || t->type == T_NUMBER || t->type == T_PARAM) {
			p->pos++;
			operand = 0;
			simple = 0;
			info->noperands++;
			if (t->type == T_PARAM && (p->flags & DF_COLON_PATH))
				skip_colon_path(p);
			continue;
		}
		/* words and quoted identifiers */
		if (t->type == T_WORD && t->kw) {
			unsigned kf = lin_sql_keyword_flags(t->kw);
			const sql_token *nx = lin_sql_peek(p, 1);
			if (t->kw == K_case) {
				push_ctx(&s, t, C_CASE);
				p->pos++;
				operand = 1;
				simple = 0;
				continue;
			}
			if (t->kw == K_interval) {
				p->pos++;
				if (lin_sql_cur(p)->type == T_STRING || lin_sql_cur(p)->type == T_NUMBER) {
					p->pos++;
					while (lin_sql_cur(p)->type == T_WORD &&
					       ((lin_sql_keyword_flags(lin_sql_cur(p)->kw) & KF_UNIT) ||
						lin_sql_cur(p)->kw == K_to))
						p->pos++;
				}
				operand = 0;
				simple = 0;
				continue;
			}
			if ((t->kw == K_date || t->kw == K_timestamp || lin_sql_word_is(p, t, "time") ||
			     lin_sql_word_is(p, t, "datetime")) &&
			    nx->type == T_STRING) {
				p->pos += 2;
				operand = 0;
				simple = 0;
				continue;
			}
			if ((t->kw == K_over || t->kw == K_filter) && !operand) {
				p->pos++;
				if (lin_sql_is_op(lin_sql_cur(p), '(')) {
					/* a window's PARTITION BY / ORDER BY columns feed its value;
					 * FILTER (WHERE ...) only picks rows */
					push_ctx(&s, lin_sql_cur(p),
						 t->kw == K_over ? C_PAREN : C_PAREN | C_INDIRECT);
					p->pos++;
					operand = 1;
				} else if (lin_sql_is_ident(lin_sql_cur(p))) {
					p->pos++; /* OVER window_name */
					operand = 0;
				}
				if (t->kw == K_over)
					window = 1;
				simple = 0;
				continue;
			}
			if (t->kw == K_within || t->kw == K_respect || t->kw == K_ignore) {
				p->pos += 2; /* WITHIN GROUP, RESPECT NULLS, IGNORE NULLS */
				simple = 0;
				continue;
			}
			if (t->kw == K_distinct && lin_sql_is_kw(nx, K_from)) {
				p->pos += 2; /* IS [NOT] DISTINCT FROM */
				operand = 1;
				simple = 0;
				continue;
			}
			if ((kf & KF_EXPR) && !(t->kw == K_array && !lin_sql_is_op(nx, '[') && !lin_sql_is_op(nx, '(') &&
						 !lin_sql_is_op(nx, '<'))) {
				p->pos++;
				simple = 0;
				if (t->kw == K_null || t->kw == K_true || t->kw == K_false ||
				    t->kw == K_current_date || t->kw == K_current_time ||
				    t->kw == K_current_timestamp || t->kw == K_current_user ||
				    t->kw == K_default || t->kw == K_unbounded || t->kw == K_preceding ||
				    t->kw == K_following || t->kw == K_row || t->kw == K_current) {
					operand = 0;
					info->noperands++;
				} else {
					operand = 1;
				}
				continue;
			}
			if (kf & (KF_OP | KF_CLAUSE)) {
				/* operators, and clause words inside parentheses (EXTRACT(x FROM y),
				 * SUBSTRING(a FROM 1), agg(x ORDER BY y)) */
				if (!(operand && lin_sql_is_op(nx, '('))) {
					p->pos++;
					operand = 1;
					simple = 0;
					if (t->kw == K_by || t->kw == K_nulls || t->kw == K_desc ||
					    t->kw == K_asc)
						operand = 1;
					continue;
				}
			}
			if ((kf & KF_UNIT) && !lin_sql_is_op(nx, '(') && !lin_sql_is_op(nx, '.') &&
			    ((ctx & C_DATEFN) || lin_sql_is_kw(nx, K_from))) {
				int np = 0, st = 0;
				const char **parts = expr_path(p, &np, &st);
				if (np)
					add_ref(&s, parts, np, 0, 1, t);
				operand = 0;
				simple = 0;
				continue;
			}
		}
		if (operand && lin_sql_word_is(p, t, "grouping") && lin_sql_word_is(p, lin_sql_peek(p, 1), "sets")) {
			p->pos += 2;
			continue;
		}
		if (lin_sql_is_ident(t)) {
			/* lambda: x -> ... */
			if ((p->flags & DF_LAMBDA) && lin_sql_is_op(lin_sql_peek(p, 1), OP2('-', '>')) &&
			    lin_sql_peek(p, 2)->type != T_STRING) {
				if (s.nlambda < MAX_LAMBDA)
					s.lambda[s.nlambda++] = lin_sql_ident(p, t);
				p->pos += 2;
				operand = 1;
				simple = 0;
				continue;
			}
			/* named argument: name => value */
			if (lin_sql_is_op(lin_sql_peek(p, 1), OP2('=', '>')) && lvl > 0) {
				p->pos += 2;
				operand = 1;
				continue;
			}
			int np = 0, star = 0;
			const sql_token *first = t;
			const char **parts = expr_path(p, &np, &star);
			if (np == 0) { /* not an identifier after all */
				p->pos++;
				continue;
			}
			if (lin_sql_is_op(lin_sql_cur(p), '(') && !star && !teradata_phrase(p)) {
				const char *fname = parts[np - 1];
				unsigned c = C_PAREN | function_class(fname, p->flags);
				if (lin_sql_is_aggregate(fname))
					agg = 1;
				if (lvl == 0 && ntok == 0)
					info->funcname = fname;
				simple = 0;
				if (lin_sql_query_starts(p, 1) ||
				    ((p->flags & DF_LAMBDA) && lambda_params(&s))) {
					/* fname(SELECT ...) e.g. ARRAY(SELECT ...) */
					if (lin_sql_is_op(lin_sql_cur(p), '('))
						subquery(&s, info);
					operand = 0;
					continue;
				}
				push_ctx(&s, lin_sql_cur(p), c);
				p->pos++;
				operand = 1;
				info->noperands++;
				continue;
			}
			if (star) {
				if ((mode & EX_ITEM) && lvl == 0 && ntok == 0) {
					info->star = 1;
					info->is_star_only = 1;
					info->star_parts = parts;
					info->nstar = np;
					break;
				} else {
					add_ref(&s, parts, np, 1, 0, first);
				}
			} else {
				add_ref(&s, parts, np, 0, 0, first);
				info->nrefs++;
				if (lvl == 0 && ntok == 0)
					info->colname = parts[np - 1];
			}
			if ((p->flags & DF_COLON_PATH) && lin_sql_is_op(lin_sql_cur(p), ':') &&
			    lin_sql_is_ident(lin_sql_peek(p, 1))) {
				skip_colon_path(p);
				simple = 0;
			}
			info->noperands++;
			operand = 0;
			continue;
		}
		/* anything else: skip */
		p->pos++;
		simple = 0;
	}
	while (level(&s) > 0)
		pop_ctx(&s);
	if (end_pos == SIZE_MAX || end_pos > p->pos)
		end_pos = p->pos;
	info->tok_from = (uint32_t)start;
	info->tok_to = (uint32_t)end_pos;
	if (!simple || info->nrefs != 1)
		info->colname = simple && info->nrefs == 1 ? info->colname : NULL;
	info->kind = window ? EK_WINDOW : agg ? EK_AGGREGATE : (simple && info->nrefs == 1) ? EK_IDENTITY
												   : EK_TRANSFORM;
	if (info->alias && !simple && info->colname)
		info->colname = NULL;
}
