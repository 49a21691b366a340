/*
 * A parser for the Python that DAG files are written in: statements into a tree of blocks
 * (by indentation, with an explicit stack), expressions by recursive descent whose depth is
 * capped at AF_MAX_DEPTH. A statement with a syntax error is reported and skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "af_internal.h"

typedef struct ps {
	const af_token *t;
	size_t n, pos;
	lin_arena *arena;
	const af_diag_fn *diag;
	int depth;
	int failed;  /* a syntax error in the current statement (reported) */
	int oom;
} ps;

static const af_token *cur(const ps *p)
{
	return &p->t[p->pos < p->n ? p->pos : p->n - 1];
}

static const af_token *peek(const ps *p, size_t k)
{
	size_t i = p->pos + k;
	return &p->t[i < p->n ? i : p->n - 1];
}

static int tok_is(const af_token *k, af_tok_kind kind, const char *text)
{
	return k->kind == kind && (!text || (k->len == strlen(text) && !memcmp(k->text, text, k->len)));
}

static int is_op(const ps *p, const char *op)
{
	return tok_is(cur(p), AF_T_OP, op);
}

static int is_kw(const ps *p, const char *kw)
{
	return tok_is(cur(p), AF_T_NAME, kw);
}

static int at_end(const ps *p)
{
	af_tok_kind k = cur(p)->kind;
	return k == AF_T_NEWLINE || k == AF_T_EOF;
}

static void next(ps *p)
{
	if (!at_end(p))
		p->pos++;
}

static void *pmalloc(ps *p, size_t size)
{
	void *m = lin_arena_alloc(p->arena, size);
	if (!m && !p->oom) {
		p->oom = 1;
		p->failed = 1;
	}
	return m;
}

static void syntax_error(ps *p, const char *what)
{
	const af_token *k = cur(p);
	char msg[256];
	if (p->failed)
		return;
	p->failed = 1;
	if (k->kind == AF_T_NEWLINE || k->kind == AF_T_EOF)
		snprintf(msg, sizeof msg, "syntax error: %s at the end of the line (unbalanced brackets or a missing part?); statement skipped", what);
	else
		snprintf(msg, sizeof msg, "syntax error: %s before '%.*s'; statement skipped", what,
			 (int)(k->len > 40 ? 40 : k->len), k->text);
	if (p->diag && p->diag->fn)
		p->diag->fn(p->diag->ctx, LINEAGE_DIAG_ERROR, k->line, k->col, msg);
}

static int expect(ps *p, const char *op)
{
	char what[64];
	if (is_op(p, op)) {
		next(p);
		return 1;
	}
	snprintf(what, sizeof what, "expected '%s'", op);
	syntax_error(p, what);
	return 0;
}

/* Depth guard for every recursive step: beyond AF_MAX_DEPTH the statement is refused. */
static int enter(ps *p)
{
	if (p->failed)
		return 0;
	if (++p->depth > AF_MAX_DEPTH) {
		const af_token *k = cur(p);
		char msg[160];
		snprintf(msg, sizeof msg, "nested too deep: more than %d levels of brackets or operators; statement skipped",
			 AF_MAX_DEPTH);
		p->failed = 1;
		if (p->diag && p->diag->fn)
			p->diag->fn(p->diag->ctx, LINEAGE_DIAG_ERROR, k->line, k->col, msg);
		p->depth--;
		return 0;
	}
	return 1;
}

static void leave(ps *p)
{
	p->depth--;
}

/* A growable list of nodes, copied into the arena when done. */
typedef struct nvec {
	af_node **v;
	const char **names;
	size_t n, cap;
} nvec;

static void nvec_push(ps *p, nvec *v, af_node *node, const char *name)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 4;
		af_node **nv = pmalloc(p, cap * sizeof *nv);
		const char **nn = pmalloc(p, cap * sizeof *nn);
		if (!nv || !nn)
			return;
		if (v->n) {
			memcpy(nv, v->v, v->n * sizeof *nv);
			memcpy(nn, v->names, v->n * sizeof *nn);
		}
		v->v = nv;
		v->names = nn;
		v->cap = cap;
	}
	v->v[v->n] = node;
	v->names[v->n] = name;
	v->n++;
}

static af_node *mk(ps *p, af_node_kind kind, const af_token *at)
{
	af_node *n = pmalloc(p, sizeof *n);
	if (n) {
		n->kind = kind;
		n->line = at->line;
		n->col = at->col;
	}
	return n;
}

static af_node *mk_kids(ps *p, af_node_kind kind, const af_token *at, nvec *v)
{
	af_node *n = mk(p, kind, at);
	if (n) {
		n->kids = v->v;
		n->names = v->names;
		n->nkids = v->n;
	}
	return n;
}

static const char *const keywords[] = {
	"and", "as", "assert", "async", "break", "class", "continue", "def", "del", "elif", "else",
	"except", "finally", "for", "from", "global", "if", "import", "in", "is", "nonlocal",
	"or", "pass", "raise", "return", "try", "while", "with", NULL};

static int is_keyword(const af_token *k)
{
	if (k->kind != AF_T_NAME)
		return 0;
	for (int i = 0; keywords[i]; i++)
		if (k->len == strlen(keywords[i]) && !memcmp(k->text, keywords[i], k->len))
			return 1;
	return 0;
}

static af_node *parse_expr(ps *p);
static af_node *parse_or(ps *p);
static af_node *parse_bitor(ps *p);

/* Comprehension clauses after `first`: for TARGET in OR [if OR]... */
static af_node *parse_comp(ps *p, af_node *first, const af_token *at)
{
	nvec v = {0};
	nvec_push(p, &v, first, NULL);
	while (!p->failed && (is_kw(p, "for") || is_kw(p, "async"))) {
		if (is_kw(p, "async"))
			next(p);
		if (!is_kw(p, "for")) {
			syntax_error(p, "expected 'for'");
			break;
		}
		next(p);
		do {
			nvec_push(p, &v, parse_bitor(p), NULL);
		} while (!p->failed && is_op(p, ",") && (next(p), 1));
		if (!is_kw(p, "in")) {
			syntax_error(p, "expected 'in' in a comprehension");
			break;
		}
		next(p);
		nvec_push(p, &v, parse_or(p), NULL);
		while (!p->failed && is_kw(p, "if")) {
			next(p);
			nvec_push(p, &v, parse_or(p), NULL);
		}
	}
	return mk_kids(p, AF_N_OTHER, at, &v);
}

/* String literals side by side are one value; an f-string part makes it an f-string, and
 * the braces of its plain parts are doubled so that they stay literal. */
static af_node *parse_strings(ps *p)
{
	const af_token *at = cur(p);
	size_t i, total = 0, o = 0;
	unsigned flags = 0;
	char *buf;
	af_node *n;
	for (i = p->pos; i < p->n && p->t[i].kind == AF_T_STRING; i++) {
		flags |= p->t[i].flags;
		total += p->t[i].len * 2;
	}
	buf = pmalloc(p, total + 1);
	n = mk(p, AF_N_STR, at);
	if (!buf || !n)
		return NULL;
	for (; p->pos < i; p->pos++) {
		const af_token *k = &p->t[p->pos];
		for (size_t j = 0; j < k->len; j++) {
			buf[o++] = k->text[j];
			if ((flags & AF_STR_F) && !(k->flags & AF_STR_F) && (k->text[j] == '{' || k->text[j] == '}'))
				buf[o++] = k->text[j];
		}
	}
	n->text = buf;
	n->len = o;
	n->flags = flags;
	return n;
}

/* (...), [...], {...}: tuples, lists, sets, dicts and comprehensions. */
static af_node *parse_display(ps *p)
{
	const af_token *at = cur(p);
	char open = at->text[0];
	const char *close = open == '(' ? ")" : open == '[' ? "]" : "}";
	af_node_kind kind = open == '(' ? AF_N_TUPLE : open == '[' ? AF_N_LIST : AF_N_SET;
	nvec v = {0};
	int commas = 0;
	next(p);
	if (open == '(' && is_kw(p, "yield")) {
		af_node *y;
		next(p);
		y = at_end(p) || is_op(p, ")") ? mk(p, AF_N_CONST, at) : parse_expr(p);
		expect(p, ")");
		return y;
	}
	while (!p->failed && !is_op(p, close)) {
		af_node *e;
		if (is_op(p, "**") && open == '{') {
			next(p);
			kind = AF_N_DICT;
			nvec_push(p, &v, NULL, NULL);
			nvec_push(p, &v, parse_bitor(p), NULL);
		} else {
			if (is_op(p, "*")) {
				const af_token *st = cur(p);
				next(p);
				e = mk(p, AF_N_STAR, st);
				if (e) {
					af_node **k = pmalloc(p, sizeof *k);
					if (k) {
						k[0] = parse_bitor(p);
						e->kids = k;
						e->nkids = 1;
					}
				}
			} else {
				e = parse_expr(p);
			}
			if (p->failed)
				break;
			if (open == '{' && is_op(p, ":")) {
				kind = AF_N_DICT;
				next(p);
				nvec_push(p, &v, e, NULL);
				nvec_push(p, &v, parse_expr(p), NULL);
				if (is_kw(p, "for") || is_kw(p, "async")) {
					af_node *pair = mk_kids(p, AF_N_OTHER, at, &v);
					af_node *c = parse_comp(p, pair, at);
					expect(p, close);
					return c;
				}
			} else if (is_kw(p, "for") || is_kw(p, "async")) {
				af_node *c = parse_comp(p, e, at);
				expect(p, close);
				return c;
			} else {
				nvec_push(p, &v, e, NULL);
			}
		}
		if (!is_op(p, ","))
			break;
		commas++;
		next(p);
	}
	if (p->failed || !expect(p, close))
		return NULL;
	if (open == '(' && v.n == 1 && !commas)
		return v.v[0]; /* parenthesized expression */
	if (open == '{' && v.n == 0)
		kind = AF_N_DICT;
	return mk_kids(p, kind, at, &v);
}

static af_node *parse_atom(ps *p)
{
	const af_token *k = cur(p);
	af_node *n;
	switch (k->kind) {
	case AF_T_NAME:
		if (is_keyword(k) && !tok_is(k, AF_T_NAME, "lambda")) {
			syntax_error(p, "expected an expression");
			return NULL;
		}
		n = mk(p, AF_N_NAME, k);
		if (!n)
			return NULL;
		n->text = k->text;
		n->len = k->len;
		if (tok_is(k, AF_T_NAME, "None") || tok_is(k, AF_T_NAME, "True") || tok_is(k, AF_T_NAME, "False"))
			n->kind = AF_N_CONST;
		next(p);
		return n;
	case AF_T_NUMBER:
		n = mk(p, AF_N_NUM, k);
		if (n) {
			n->text = k->text;
			n->len = k->len;
		}
		next(p);
		return n;
	case AF_T_STRING:
		return parse_strings(p);
	case AF_T_OP:
		if (k->len == 1 && strchr("([{", k->text[0])) {
			if (!enter(p))
				return NULL;
			n = parse_display(p);
			leave(p);
			return n;
		}
		if (tok_is(k, AF_T_OP, "...")) {
			next(p);
			return mk(p, AF_N_CONST, k);
		}
		break;
	default:
		break;
	}
	syntax_error(p, "expected an expression");
	return NULL;
}

/* Call arguments after '(' : positional, keyword=, *args, **kwargs, a generator. */
static af_node *parse_call(ps *p, af_node *callee)
{
	const af_token *at = cur(p);
	nvec v = {0};
	next(p);
	nvec_push(p, &v, callee, NULL);
	while (!p->failed && !is_op(p, ")")) {
		const char *name = NULL;
		af_node *e;
		if (is_op(p, "*") || is_op(p, "**")) {
			const af_token *st = cur(p);
			next(p);
			e = mk(p, AF_N_STAR, st);
			if (e) {
				af_node **k = pmalloc(p, sizeof *k);
				if (k) {
					k[0] = parse_expr(p);
					e->kids = k;
					e->nkids = 1;
				}
			}
		} else {
			if (cur(p)->kind == AF_T_NAME && tok_is(peek(p, 1), AF_T_OP, "=")) {
				name = lin_arena_strndup(p->arena, cur(p)->text, cur(p)->len);
				next(p);
				next(p);
			}
			e = parse_expr(p);
			if (!name && (is_kw(p, "for") || is_kw(p, "async")))
				e = parse_comp(p, e, at);
		}
		nvec_push(p, &v, e, name);
		if (!is_op(p, ","))
			break;
		next(p);
	}
	if (p->failed || !expect(p, ")"))
		return NULL;
	return mk_kids(p, AF_N_CALL, at, &v);
}

static af_node *parse_subscript(ps *p, af_node *obj)
{
	const af_token *at = cur(p);
	nvec v = {0};
	next(p);
	nvec_push(p, &v, obj, NULL);
	while (!p->failed && !is_op(p, "]")) {
		if (is_op(p, ":") || is_op(p, ",")) {
			next(p);
			continue;
		}
		nvec_push(p, &v, parse_expr(p), NULL);
	}
	if (p->failed || !expect(p, "]"))
		return NULL;
	return mk_kids(p, AF_N_SUBSCRIPT, at, &v);
}

static af_node *parse_primary(ps *p)
{
	af_node *n;
	if (is_kw(p, "await"))
		next(p);
	n = parse_atom(p);
	while (n && !p->failed) {
		if (is_op(p, ".")) {
			const af_token *at = cur(p);
			af_node *a;
			next(p);
			if (cur(p)->kind != AF_T_NAME) {
				syntax_error(p, "expected a name after '.'");
				return NULL;
			}
			a = mk(p, AF_N_ATTR, at);
			if (!a)
				return NULL;
			a->kids = pmalloc(p, sizeof *a->kids);
			if (!a->kids)
				return NULL;
			a->kids[0] = n;
			a->nkids = 1;
			a->text = cur(p)->text;
			a->len = cur(p)->len;
			next(p);
			n = a;
		} else if (is_op(p, "(")) {
			if (!enter(p))
				return NULL;
			n = parse_call(p, n);
			leave(p);
		} else if (is_op(p, "[")) {
			if (!enter(p))
				return NULL;
			n = parse_subscript(p, n);
			leave(p);
		} else {
			break;
		}
	}
	return n;
}

static af_node *binop(ps *p, const af_token *at, af_node *l, af_node *r)
{
	af_node *n = mk(p, AF_N_BINOP, at);
	if (!n)
		return NULL;
	n->kids = pmalloc(p, 2 * sizeof *n->kids);
	if (!n->kids)
		return NULL;
	n->kids[0] = l;
	n->kids[1] = r;
	n->nkids = 2;
	n->text = at->text;
	n->len = at->len;
	return n;
}

/* Unary operators and ** (right-associative): each recursion passes the depth guard. */
static af_node *parse_factor(ps *p)
{
	af_node *n;
	if (is_op(p, "-") || is_op(p, "+") || is_op(p, "~")) {
		const af_token *at = cur(p);
		if (!enter(p))
			return NULL;
		next(p);
		n = parse_factor(p);
		leave(p);
		return n ? binop(p, at, n, n) : NULL;
	}
	n = parse_primary(p);
	if (n && is_op(p, "**")) {
		const af_token *at = cur(p);
		af_node *r;
		if (!enter(p))
			return NULL;
		next(p);
		r = parse_factor(p);
		leave(p);
		n = r ? binop(p, at, n, r) : NULL;
	}
	return n;
}

/* Left-associative binary levels, from the tightest. */
static const char *const level_ops[][5] = {
	{"*", "/", "//", "%", "@"}, {"+", "-", NULL}, {">>", "<<", NULL}, {"&", NULL}, {"^", NULL}, {"|", NULL}};

static af_node *parse_level(ps *p, int level)
{
	af_node *n = level == 0 ? parse_factor(p) : parse_level(p, level - 1);
	for (;;) {
		const af_token *at = cur(p);
		int hit = 0;
		if (!n || p->failed)
			return NULL;
		for (int i = 0; i < 5 && level_ops[level][i]; i++)
			if (tok_is(at, AF_T_OP, level_ops[level][i]))
				hit = 1;
		if (!hit)
			return n;
		next(p);
		n = binop(p, at, n, level == 0 ? parse_factor(p) : parse_level(p, level - 1));
	}
}

static af_node *parse_bitor(ps *p)
{
	return parse_level(p, 5);
}

static int is_comparison(const ps *p)
{
	static const char *const ops[] = {"<", ">", "==", ">=", "<=", "!=", NULL};
	for (int i = 0; ops[i]; i++)
		if (is_op(p, ops[i]))
			return 1;
	return is_kw(p, "in") || is_kw(p, "is") || (is_kw(p, "not") && tok_is(peek(p, 1), AF_T_NAME, "in"));
}

static af_node *parse_comparison(ps *p)
{
	af_node *n = parse_bitor(p);
	while (n && !p->failed && is_comparison(p)) {
		const af_token *at = cur(p);
		if (is_kw(p, "not") || (is_kw(p, "is") && tok_is(peek(p, 1), AF_T_NAME, "not")))
			next(p);
		next(p);
		n = binop(p, at, n, parse_bitor(p));
		if (n)
			n->kind = AF_N_OTHER;
	}
	return n;
}

static af_node *parse_not(ps *p)
{
	if (is_kw(p, "not")) {
		const af_token *at = cur(p);
		af_node *n;
		if (!enter(p))
			return NULL;
		next(p);
		n = parse_not(p);
		leave(p);
		if (n)
			n = binop(p, at, n, n);
		if (n)
			n->kind = AF_N_OTHER;
		return n;
	}
	return parse_comparison(p);
}

static af_node *parse_or(ps *p)
{
	af_node *n = parse_not(p);
	while (n && !p->failed && (is_kw(p, "and") || is_kw(p, "or"))) {
		const af_token *at = cur(p);
		next(p);
		n = binop(p, at, n, parse_not(p));
		if (n)
			n->kind = AF_N_OTHER;
	}
	return n;
}

/* lambda PARAMS: EXPR — the parameters are skipped, the body kept for its effects. */
static af_node *parse_lambda(ps *p)
{
	const af_token *at = cur(p);
	long d = 0;
	nvec v = {0};
	next(p);
	while (!at_end(p) && !(d == 0 && is_op(p, ":"))) {
		if (is_op(p, "(") || is_op(p, "[") || is_op(p, "{"))
			d++;
		else if (is_op(p, ")") || is_op(p, "]") || is_op(p, "}"))
			d--;
		next(p);
	}
	if (!expect(p, ":"))
		return NULL;
	nvec_push(p, &v, parse_expr(p), NULL);
	return mk_kids(p, AF_N_OTHER, at, &v);
}

static af_node *parse_expr(ps *p)
{
	af_node *n;
	if (!enter(p))
		return NULL;
	if (is_kw(p, "lambda")) {
		n = parse_lambda(p);
	} else {
		n = parse_or(p);
		if (n && !p->failed && is_kw(p, "if")) {
			const af_token *at = cur(p);
			nvec v = {0};
			next(p);
			nvec_push(p, &v, n, NULL);
			nvec_push(p, &v, parse_or(p), NULL);
			if (is_kw(p, "else")) {
				next(p);
				nvec_push(p, &v, parse_expr(p), NULL);
				n = mk_kids(p, AF_N_OTHER, at, &v);
			} else {
				syntax_error(p, "expected 'else' in a conditional expression");
				n = NULL;
			}
		} else if (n && !p->failed && is_op(p, ":=")) {
			const af_token *at = cur(p);
			nvec v = {0};
			next(p);
			nvec_push(p, &v, parse_expr(p), NULL);
			n = mk_kids(p, AF_N_OTHER, at, &v);
		}
	}
	leave(p);
	return p->failed ? NULL : n;
}

/* expr, expr, ... — a tuple when there is a comma (star items allowed). */
static af_node *parse_exprlist(ps *p, int targets)
{
	const af_token *at = cur(p);
	nvec v = {0};
	int comma = 0;
	for (;;) {
		af_node *e;
		if (is_op(p, "*")) {
			const af_token *st = cur(p);
			next(p);
			e = mk(p, AF_N_STAR, st);
			if (e && (e->kids = pmalloc(p, sizeof *e->kids)) != NULL) {
				e->kids[0] = parse_bitor(p);
				e->nkids = 1;
			}
		} else {
			e = targets ? parse_bitor(p) : parse_expr(p);
		}
		if (p->failed)
			return NULL;
		nvec_push(p, &v, e, NULL);
		if (!is_op(p, ","))
			break;
		comma = 1;
		next(p);
		if (at_end(p) || is_op(p, "=") || is_op(p, ":") || is_kw(p, "in") || is_op(p, ";"))
			break;
	}
	if (!comma)
		return v.v[0];
	return mk_kids(p, AF_N_TUPLE, at, &v);
}

/* ---- statements ---- */

static af_stmt *mk_stmt(ps *p, af_stmt_kind kind, const af_token *at)
{
	af_stmt *s = pmalloc(p, sizeof *s);
	if (s) {
		s->kind = kind;
		s->line = at->line;
		s->col = at->col;
	}
	return s;
}

static void skip_statement(ps *p)
{
	while (!at_end(p))
		next(p);
}

static char *dotted_name(ps *p)
{
	size_t start = p->pos;
	const char *s = cur(p)->text;
	size_t end_off;
	while (is_op(p, ".") || is_op(p, "...")) /* relative imports */
		next(p);
	while (cur(p)->kind == AF_T_NAME && !is_keyword(cur(p))) {
		next(p);
		if (!is_op(p, ".") || peek(p, 1)->kind != AF_T_NAME)
			break;
		next(p);
	}
	if (p->pos == start) {
		syntax_error(p, "expected a module name");
		return NULL;
	}
	end_off = (size_t)(p->t[p->pos - 1].text + p->t[p->pos - 1].len - s);
	/* Tokens on one line are contiguous in the source, apart from spaces: strip them. */
	{
		char *out = pmalloc(p, end_off + 1);
		size_t o = 0;
		if (!out)
			return NULL;
		for (size_t i = 0; i < end_off; i++)
			if (s[i] != ' ' && s[i] != '\t')
				out[o++] = s[i];
		out[o] = '\0';
		return out;
	}
}

static af_stmt *parse_import(ps *p)
{
	const af_token *at = cur(p);
	af_stmt *s = mk_stmt(p, AF_S_IMPORT, at);
	int from = is_kw(p, "from");
	size_t cap = 0;
	int paren = 0;
	if (!s)
		return NULL;
	next(p);
	if (from) {
		s->name = dotted_name(p);
		if (!is_kw(p, "import")) {
			syntax_error(p, "expected 'import'");
			return NULL;
		}
		next(p);
		if (is_op(p, "(")) {
			paren = 1;
			next(p);
		}
	}
	while (!p->failed && !at_end(p) && !is_op(p, ")")) {
		char *name, *alias;
		if (is_op(p, "*")) {
			name = lin_arena_strndup(p->arena, "*", 1);
			next(p);
		} else {
			name = dotted_name(p);
		}
		if (!name)
			return NULL;
		alias = name;
		if (is_kw(p, "as")) {
			next(p);
			if (cur(p)->kind != AF_T_NAME) {
				syntax_error(p, "expected a name after 'as'");
				return NULL;
			}
			alias = lin_arena_strndup(p->arena, cur(p)->text, cur(p)->len);
			next(p);
		} else if (!from && strchr(name, '.')) {
			alias = lin_arena_strndup(p->arena, name, (size_t)(strchr(name, '.') - name));
		}
		if (s->nimports == cap) {
			size_t nc = cap ? cap * 2 : 4;
			const char **ni = pmalloc(p, nc * sizeof *ni), **na = pmalloc(p, nc * sizeof *na);
			if (!ni || !na)
				return NULL;
			if (cap) {
				memcpy(ni, s->imports, cap * sizeof *ni);
				memcpy(na, s->aliases, cap * sizeof *na);
			}
			s->imports = ni;
			s->aliases = na;
			cap = nc;
		}
		s->imports[s->nimports] = name;
		s->aliases[s->nimports++] = alias;
		if (!is_op(p, ","))
			break;
		next(p);
	}
	if (paren)
		expect(p, ")");
	return s;
}

/* One simple statement (up to ';' or the end of the line). */
static af_stmt *parse_simple(ps *p)
{
	const af_token *at = cur(p);
	af_stmt *s;
	af_node *first;
	nvec targets = {0};
	if (is_kw(p, "import") || is_kw(p, "from"))
		return parse_import(p);
	if (is_kw(p, "return")) {
		s = mk_stmt(p, AF_S_RETURN, at);
		next(p);
		if (s && !at_end(p) && !is_op(p, ";"))
			s->value = parse_exprlist(p, 0);
		return s;
	}
	if (is_kw(p, "pass") || is_kw(p, "break") || is_kw(p, "continue") || is_kw(p, "global") ||
	    is_kw(p, "nonlocal") || is_kw(p, "del") || is_kw(p, "assert") || is_kw(p, "raise")) {
		/* Nothing here defines tasks or dependencies. */
		while (!at_end(p) && !is_op(p, ";"))
			next(p);
		return mk_stmt(p, AF_S_OTHER, at);
	}
	if (is_kw(p, "yield")) {
		next(p);
		if (at_end(p) || is_op(p, ";"))
			return mk_stmt(p, AF_S_OTHER, at);
	}
	first = parse_exprlist(p, 0);
	if (p->failed)
		return NULL;
	if (is_op(p, ":")) { /* annotation */
		next(p);
		parse_expr(p);
		if (!is_op(p, "="))
			return mk_stmt(p, AF_S_OTHER, at);
	}
	if (is_op(p, "=")) {
		af_node *value = first;
		while (!p->failed && is_op(p, "=")) {
			next(p);
			nvec_push(p, &targets, value, NULL);
			value = is_kw(p, "yield") ? (next(p), parse_exprlist(p, 0)) : parse_exprlist(p, 0);
		}
		s = mk_stmt(p, AF_S_ASSIGN, at);
		if (s) {
			s->targets = targets.v;
			s->ntargets = targets.n;
			s->value = value;
		}
		return p->failed ? NULL : s;
	}
	if (cur(p)->kind == AF_T_OP && cur(p)->len >= 2 && cur(p)->text[cur(p)->len - 1] == '=' &&
	    !is_op(p, "==") && !is_op(p, "<=") && !is_op(p, ">=") && !is_op(p, "!=")) {
		next(p); /* augmented assignment: the value only counts for its effects */
		first = parse_exprlist(p, 0);
	}
	s = mk_stmt(p, AF_S_EXPR, at);
	if (s)
		s->value = first;
	return p->failed ? NULL : s;
}

/* Simple statements separated by ';' into `body`. */
static void body_push(ps *p, af_body *b, size_t *cap, af_stmt *s)
{
	if (!s)
		return;
	if (b->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		af_stmt **v = pmalloc(p, nc * sizeof *v);
		if (!v)
			return;
		if (b->n)
			memcpy(v, b->stmts, b->n * sizeof *v);
		b->stmts = v;
		*cap = nc;
	}
	b->stmts[b->n++] = s;
}

static void parse_simple_list(ps *p, af_body *b, size_t *cap)
{
	while (!p->failed && !at_end(p)) {
		body_push(p, b, cap, parse_simple(p));
		if (p->failed)
			break;
		if (is_op(p, ";")) {
			next(p);
			continue;
		}
		if (!at_end(p))
			syntax_error(p, "expected the end of the statement");
	}
}

/* Skip to the ':' that ends a compound statement's header, at bracket depth 0. */
static int skip_to_colon(ps *p)
{
	long d = 0;
	while (!at_end(p)) {
		if (is_op(p, "(") || is_op(p, "[") || is_op(p, "{"))
			d++;
		else if (is_op(p, ")") || is_op(p, "]") || is_op(p, "}"))
			d--;
		else if (d <= 0 && is_op(p, ":"))
			break;
		next(p);
	}
	return expect(p, ":");
}

static af_stmt *parse_def(ps *p, af_stmt_kind kind)
{
	const af_token *at = cur(p);
	af_stmt *s = mk_stmt(p, kind, at);
	size_t cap = 0;
	if (!s)
		return NULL;
	next(p);
	if (cur(p)->kind != AF_T_NAME) {
		syntax_error(p, "expected a name");
		return NULL;
	}
	s->name = lin_arena_strndup(p->arena, cur(p)->text, cur(p)->len);
	next(p);
	if (kind == AF_S_CLASS) {
		skip_to_colon(p);
		return p->failed ? NULL : s;
	}
	if (!expect(p, "("))
		return NULL;
	while (!p->failed && !is_op(p, ")")) {
		af_param prm;
		memset(&prm, 0, sizeof prm);
		if (is_op(p, "*") || is_op(p, "**")) {
			prm.star = cur(p)->len == 1 ? 1 : 2;
			next(p);
		} else if (is_op(p, "/")) {
			next(p);
			if (is_op(p, ","))
				next(p);
			continue;
		}
		if (cur(p)->kind == AF_T_NAME) {
			prm.name = lin_arena_strndup(p->arena, cur(p)->text, cur(p)->len);
			next(p);
			if (is_op(p, ":")) {
				next(p);
				parse_expr(p);
			}
			if (is_op(p, "=")) {
				next(p);
				prm.def = parse_expr(p);
			}
			if (s->nparams == cap) {
				size_t nc = cap ? cap * 2 : 4;
				af_param *np = pmalloc(p, nc * sizeof *np);
				if (!np)
					return NULL;
				if (cap)
					memcpy(np, s->params, cap * sizeof *np);
				s->params = np;
				cap = nc;
			}
			s->params[s->nparams++] = prm;
		} else if (!prm.star) {
			syntax_error(p, "expected a parameter name");
			return NULL;
		}
		if (!is_op(p, ","))
			break;
		next(p);
	}
	if (!expect(p, ")"))
		return NULL;
	if (is_op(p, "->")) {
		next(p);
		parse_expr(p);
	}
	if (!expect(p, ":"))
		return NULL;
	return s;
}

static af_stmt *parse_with(ps *p)
{
	const af_token *at = cur(p);
	af_stmt *s = mk_stmt(p, AF_S_WITH, at);
	nvec items = {0}, as = {0};
	int paren = 0;
	if (!s)
		return NULL;
	next(p);
	/* `with (a as b, c):` — parenthesized items (Python 3.10). */
	if (is_op(p, "(")) {
		long d = 0;
		size_t i;
		for (i = p->pos; i < p->n && p->t[i].kind != AF_T_NEWLINE; i++) {
			if (tok_is(&p->t[i], AF_T_OP, "("))
				d++;
			else if (tok_is(&p->t[i], AF_T_OP, ")") && --d == 0)
				break;
			else if (d == 1 && tok_is(&p->t[i], AF_T_NAME, "as"))
				paren = 1;
		}
		if (paren)
			next(p);
	}
	while (!p->failed) {
		nvec_push(p, &items, parse_expr(p), NULL);
		if (is_kw(p, "as")) {
			next(p);
			nvec_push(p, &as, parse_bitor(p), NULL);
		} else {
			nvec_push(p, &as, NULL, NULL);
		}
		if (!is_op(p, ","))
			break;
		next(p);
		if (paren && is_op(p, ")"))
			break;
	}
	if (paren)
		expect(p, ")");
	if (!expect(p, ":"))
		return NULL;
	s->items = items.v;
	s->as = as.v;
	s->nitems = items.n;
	return s;
}

static af_stmt *parse_for(ps *p)
{
	const af_token *at = cur(p);
	af_stmt *s = mk_stmt(p, AF_S_FOR, at);
	if (!s)
		return NULL;
	next(p);
	s->targets = pmalloc(p, sizeof *s->targets);
	if (!s->targets)
		return NULL;
	s->targets[0] = parse_exprlist(p, 1);
	s->ntargets = 1;
	if (!is_kw(p, "in")) {
		syntax_error(p, "expected 'in'");
		return NULL;
	}
	next(p);
	s->value = parse_exprlist(p, 0);
	if (!expect(p, ":"))
		return NULL;
	return s;
}

/* A compound statement's header, or NULL when the line holds simple statements. */
static af_stmt *parse_compound(ps *p, int *is_compound)
{
	const af_token *at = cur(p);
	*is_compound = 1;
	if (is_kw(p, "async") && (tok_is(peek(p, 1), AF_T_NAME, "def") || tok_is(peek(p, 1), AF_T_NAME, "for") ||
				  tok_is(peek(p, 1), AF_T_NAME, "with")))
		next(p);
	if (is_kw(p, "def"))
		return parse_def(p, AF_S_DEF);
	if (is_kw(p, "class"))
		return parse_def(p, AF_S_CLASS);
	if (is_kw(p, "with"))
		return parse_with(p);
	if (is_kw(p, "for"))
		return parse_for(p);
	if (is_kw(p, "if") || is_kw(p, "elif") || is_kw(p, "else") || is_kw(p, "while") ||
	    is_kw(p, "try") || is_kw(p, "except") || is_kw(p, "finally") ||
	    (is_kw(p, "match") && peek(p, 1)->kind != AF_T_OP) || (is_kw(p, "case") && peek(p, 1)->kind != AF_T_OP)) {
		af_stmt *s = mk_stmt(p, AF_S_BLOCK, at);
		next(p);
		skip_to_colon(p);
		return p->failed ? NULL : s;
	}
	*is_compound = 0;
	return NULL;
}

typedef struct frame {
	af_body *body;
	size_t cap;
	int indent;
} frame;

int lin_af_parse(af_body *out, const af_token *toks, size_t count, lin_arena *arena,
		 const af_diag_fn *diag)
{
	ps p;
	frame stack[AF_MAX_BLOCKS + 1];
	int sp = 0, skip_above = -1;
	af_stmt *pending = NULL;   /* a compound statement waiting for its indented body */
	nvec decorators = {0};
	memset(&p, 0, sizeof p);
	memset(out, 0, sizeof *out);
	p.t = toks;
	p.n = count;
	p.arena = arena;
	p.diag = diag;
	stack[0].body = out;
	stack[0].cap = 0;
	stack[0].indent = 0;
	while (p.pos < p.n && cur(&p)->kind != AF_T_EOF && !p.oom) {
		const af_token *first = cur(&p);
		int indent = first->indent, compound;
		af_stmt *s;
		if (first->kind == AF_T_NEWLINE) {
			p.pos++;
			continue;
		}
		if (skip_above >= 0) {
			if (indent > skip_above) {
				skip_statement(&p);
				p.pos++;
				continue;
			}
			skip_above = -1;
		}
		if (pending) {
			if (indent > stack[sp].indent) {
				if (sp == AF_MAX_BLOCKS) {
					char msg[128];
					snprintf(msg, sizeof msg, "nested too deep: more than %d indented blocks; block skipped", AF_MAX_BLOCKS);
					if (diag && diag->fn)
						diag->fn(diag->ctx, LINEAGE_DIAG_ERROR, first->line, first->col, msg);
					skip_above = stack[sp].indent;
					pending = NULL;
					continue;
				}
				sp++;
				stack[sp].body = &pending->body;
				stack[sp].cap = 0;
				stack[sp].indent = indent;
			}
			pending = NULL;
		}
		while (sp > 0 && indent < stack[sp].indent)
			sp--;
		p.failed = 0;
		p.depth = 0;
		if (is_op(&p, "@")) {
			next(&p);
			nvec_push(&p, &decorators, parse_expr(&p), NULL);
			if (!p.failed && !at_end(&p))
				syntax_error(&p, "expected the end of the decorator");
			skip_statement(&p);
			p.pos++;
			continue;
		}
		s = parse_compound(&p, &compound);
		if (compound) {
			if (s && (s->kind == AF_S_DEF || s->kind == AF_S_CLASS)) {
				s->items = decorators.v;
				s->nitems = decorators.n;
			}
			memset(&decorators, 0, sizeof decorators);
			if (s && !p.failed) {
				body_push(&p, stack[sp].body, &stack[sp].cap, s);
				if (!at_end(&p)) {
					size_t cap = 0;
					parse_simple_list(&p, &s->body, &cap); /* `with x: stmt` on one line */
				} else {
					pending = s;
				}
			} else {
				/* The header is broken: its body is skipped with it. */
				skip_above = indent;
			}
		} else {
			memset(&decorators, 0, sizeof decorators);
			parse_simple_list(&p, stack[sp].body, &stack[sp].cap);
		}
		skip_statement(&p);
		p.pos++;
	}
	return p.oom ? lin_error_oom() : 0;
}
