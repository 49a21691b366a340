/*
 * Symbolic evaluation of a parsed DAG file: names are bound to what they stand for (a DAG,
 * a task, a task group, a dataset, a string, a list, a function), and the constructs that
 * define DAGs, tasks and dependencies are interpreted. Nothing is executed: a value that
 * cannot be known statically is "unknown", and where that matters (a task id, a DAG id,
 * SQL) a diagnostic says so. Loops over literal lists are unrolled and function bodies are
 * evaluated at their calls, within the bounds of af_internal.h.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "af_internal.h"

#define MAX_STEPS 1000000u
#define MAX_EVAL_DEPTH 400
#define MAX_EXEC_DEPTH 300

typedef struct binding {
	const char *name;
	af_value *v;
} binding;

typedef struct af_scope {
	struct af_scope *parent;
	binding *slots;
	size_t cap, n;
	struct af_scope *next_alloc;
} af_scope;

typedef struct ev {
	af_model *m;
	lin_arena *a;
	const af_diag_fn *diag;
	af_scope *globals, *scopes;
	long dag, group;
	int exec_depth, eval_depth, calls;
	size_t steps;
	int stopped, oom, returning, deep;
	af_value *ret;
	af_value unknown;
} ev;

static void diag(ev *e, lineage_diag_severity sev, int line, int col, const char *fmt, ...)
	LIN_PRINTF(5, 6);

static void diag(ev *e, lineage_diag_severity sev, int line, int col, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (e->diag && e->diag->fn)
		e->diag->fn(e->diag->ctx, sev, line, col, msg);
}

/* ---- scopes ---- */

static uint64_t hash_name(const char *s)
{
	return lin_hash_bytes(LIN_HASH_INIT, s, strlen(s));
}

static af_scope *scope_new(ev *e, af_scope *parent)
{
	af_scope *s = calloc(1, sizeof *s);
	if (!s) {
		e->oom = 1;
		return NULL;
	}
	s->parent = parent;
	s->next_alloc = e->scopes;
	e->scopes = s;
	return s;
}

static void scope_set(ev *e, af_scope *s, const char *name, af_value *v)
{
	size_t i;
	if (!s || !name)
		return;
	if ((s->n + 1) * 2 > s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		binding *ns = calloc(nc, sizeof *ns);
		if (!ns) {
			e->oom = 1;
			return;
		}
		for (i = 0; i < s->cap; i++) {
			if (s->slots[i].name) {
				size_t j = hash_name(s->slots[i].name) & (nc - 1);
				while (ns[j].name)
					j = (j + 1) & (nc - 1);
				ns[j] = s->slots[i];
			}
		}
		free(s->slots);
		s->slots = ns;
		s->cap = nc;
	}
	i = hash_name(name) & (s->cap - 1);
	while (s->slots[i].name && strcmp(s->slots[i].name, name))
		i = (i + 1) & (s->cap - 1);
	if (!s->slots[i].name) {
		s->slots[i].name = name;
		s->n++;
	}
	s->slots[i].v = v;
}

static af_value *scope_get(af_scope *s, const char *name)
{
	for (; s; s = s->parent) {
		if (!s->cap)
			continue;
		size_t i = hash_name(name) & (s->cap - 1);
		while (s->slots[i].name) {
			if (!strcmp(s->slots[i].name, name))
				return s->slots[i].v;
			i = (i + 1) & (s->cap - 1);
		}
	}
	return NULL;
}

/* ---- values ---- */

static af_value *vnew(ev *e, af_vkind kind)
{
	af_value *v = lin_arena_alloc(e->a, sizeof *v);
	if (!v) {
		e->oom = 1;
		return &e->unknown;
	}
	v->kind = kind;
	return v;
}

static af_value *vstr(ev *e, const char *s, size_t n, int dynamic)
{
	af_value *v = vnew(e, AF_V_STR);
	if (v != &e->unknown) {
		v->text = lin_arena_strndup(e->a, s, n);
		v->n = n;
		v->dynamic = dynamic;
		if (!v->text) {
			e->oom = 1;
			return &e->unknown;
		}
	}
	return v;
}

static void list_push(ev *e, af_value *list, af_value *item)
{
	if (list == &e->unknown)
		return;
	if (list->n == list->cap) {
		size_t nc = list->cap ? list->cap * 2 : 4;
		af_value **items = lin_arena_alloc(e->a, nc * sizeof *items);
		const char **keys = lin_arena_alloc(e->a, nc * sizeof *keys);
		if (!items || !keys) {
			e->oom = 1;
			return;
		}
		if (list->n) {
			memcpy(items, list->items, list->n * sizeof *items);
			if (list->keys)
				memcpy(keys, list->keys, list->n * sizeof *keys);
		}
		list->items = items;
		list->keys = keys;
		list->cap = nc;
	}
	list->keys[list->n] = NULL;
	list->items[list->n++] = item;
}

static void dict_put(ev *e, af_value *dict, const char *key, af_value *v)
{
	list_push(e, dict, v);
	if (dict != &e->unknown && dict->n && dict->keys)
		dict->keys[dict->n - 1] = key;
}

static const char *str_of(const af_value *v)
{
	return v && v->kind == AF_V_STR && !v->dynamic ? v->text : NULL;
}

static char *node_name(ev *e, const af_node *n)
{
	char *s = lin_arena_strndup(e->a, n->text, n->len);
	if (!s)
		e->oom = 1;
	return s;
}

/* ---- the model ---- */

static int step(ev *e)
{
	if (e->stopped || e->oom)
		return 0;
	if (++e->steps > MAX_STEPS) {
		e->stopped = 1;
		diag(e, LINEAGE_DIAG_ERROR, 0, 0, "evaluation stopped after %u steps (loops or calls that multiply too much): the rest of the file was not read", MAX_STEPS);
		return 0;
	}
	return 1;
}

static void add_refs(ev *e, const af_value *v, af_ref *refs, size_t *n, size_t cap, int depth)
{
	if (!v || depth > 4)
		return;
	if (v->kind == AF_V_TASK || v->kind == AF_V_GROUP) {
		if (*n < cap) {
			refs[*n].is_group = v->kind == AF_V_GROUP;
			refs[*n].index = v->index;
			(*n)++;
		}
	} else if (v->kind == AF_V_LIST || v->kind == AF_V_DICT) {
		for (size_t i = 0; i < v->n; i++)
			add_refs(e, v->items[i], refs, n, cap, depth + 1);
	}
}

#define MAX_REFS 4096

/* Every task (or group) of `up` before every one of `down`. */
static void depend(ev *e, const af_value *up, const af_value *down, int line)
{
	af_ref *ups, *downs;
	size_t nu = 0, nd = 0;
	ups = malloc(2 * MAX_REFS * sizeof *ups);
	if (!ups) {
		e->oom = 1;
		return;
	}
	downs = ups + MAX_REFS;
	add_refs(e, up, ups, &nu, MAX_REFS, 0);
	add_refs(e, down, downs, &nd, MAX_REFS, 0);
	for (size_t i = 0; i < nu && !e->oom; i++)
		for (size_t j = 0; j < nd; j++)
			if (lin_af_add_dep(e->m, ups[i], downs[j], line))
				e->oom = 1;
	free(ups);
}

/* ---- names ---- */

/* The dotted name a callee or decorator stands for ("DAG", "task.bash", "models.DAG"), with
 * its first part resolved through imports; NULL when its base is bound to a value. */
static const char *dotted(af_scope *sc, const af_node *n, char *buf, size_t size)
{
	const af_node *chain[16];
	int k = 0;
	size_t o;
	char name[256];
	af_value *v;
	if (n && n->kind == AF_N_CALL)
		n = n->kids[0];
	while (n && n->kind == AF_N_ATTR && k < 15) {
		chain[k++] = n;
		n = n->kids[0];
	}
	if (!n || n->kind != AF_N_NAME)
		return NULL;
	snprintf(name, sizeof name, "%.*s", (int)(n->len > 255 ? 255 : n->len), n->text);
	v = scope_get(sc, name);
	if (v && v->kind != AF_V_ALIAS)
		return NULL;
	o = (size_t)snprintf(buf, size, "%s", v ? v->text : name);
	while (k-- > 0 && o < size)
		o += (size_t)snprintf(buf + o, size - o, ".%.*s", (int)chain[k]->len, chain[k]->text);
	return o < size ? buf : NULL;
}

/* The last part of a dotted name. */
static const char *last_part(const char *d)
{
	const char *dot = d ? strrchr(d, '.') : NULL;
	return dot ? dot + 1 : d;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

static int is_operator_class(const char *name)
{
	if (!name || !(name[0] >= 'A' && name[0] <= 'Z'))
		return 0;
	return ends_with(name, "Operator") || ends_with(name, "Sensor") || ends_with(name, "SensorAsync") ||
	       ends_with(name, "OperatorAsync") || !strcmp(name, "ExternalTaskMarker");
}

/* ---- evaluation of expressions ---- */

static af_value *eval(ev *e, af_scope *sc, const af_node *n);
static void exec_body(ev *e, af_scope *sc, const af_body *b);

/* f"...{name}...": names bound to strings or numbers are substituted; anything else leaves
 * a placeholder and makes the value dynamic. */
static af_value *eval_fstring(ev *e, af_scope *sc, const af_node *n)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	const char *s = n->text, *why = NULL;
	size_t len = n->len;
	af_value *v;
	int dynamic = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '{' && i + 1 < len && s[i + 1] == '{') {
			lin_strbuf_putc(&sb, '{');
			i++;
		} else if (s[i] == '}' && i + 1 < len && s[i + 1] == '}') {
			lin_strbuf_putc(&sb, '}');
			i++;
		} else if (s[i] == '{') {
			size_t j = i + 1, d = 1;
			char name[256];
			af_value *b = NULL;
			while (j < len && d) {
				if (s[j] == '{')
					d++;
				else if (s[j] == '}')
					d--;
				j++;
			}
			snprintf(name, sizeof name, "%.*s", (int)((j - i - 2) > 255 ? 255 : (j - i - 2)), s + i + 1);
			{
				/* Trim spaces; only a plain name can be looked up. */
				char *a = name, *z;
				while (*a == ' ')
					a++;
				z = a + strlen(a);
				while (z > a && z[-1] == ' ')
					*--z = '\0';
				int plain = *a != '\0';
				for (char *c = a; *c; c++)
					if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '_' ||
					      (*c >= '0' && *c <= '9')))
						plain = 0;
				if (plain)
					b = scope_get(sc, a);
				if (b && b->kind == AF_V_STR && !b->dynamic)
					lin_strbuf_append(&sb, b->text, b->n);
				else if (b && b->kind == AF_V_NUM)
					lin_strbuf_puts(&sb, b->text);
				else {
					dynamic = 1;
					if (!why)
						why = lin_arena_strndup(e->a, a, strlen(a));
					lin_strbuf_puts(&sb, "__dynamic__");
				}
			}
			i = j - 1;
		} else {
			lin_strbuf_putc(&sb, s[i]);
		}
	}
	v = vstr(e, sb.data ? sb.data : "", sb.len, dynamic);
	if (v != &e->unknown)
		v->why = why;
	lin_strbuf_free(&sb);
	return v;
}

typedef struct args {
	af_value **pos;
	size_t npos;
	af_value *kw;            /* dict of keyword arguments */
	const af_node *call;
} args;

/* Where keyword `name` was given (for diagnostics): its value, else the call, else nowhere
 * (arguments of a decorator read later have no call). */
static const af_node *kw_node(const args *a, const char *name)
{
	static const af_node nowhere;
	for (size_t i = 1; a->call && i < a->call->nkids; i++)
		if (a->call->names[i] && !strcmp(a->call->names[i], name) && a->call->kids[i])
			return a->call->kids[i];
	return a->call ? a->call : &nowhere;
}

static int eval_args(ev *e, af_scope *sc, const af_node *call, args *out)
{
	size_t np = 0;
	memset(out, 0, sizeof *out);
	out->call = call;
	out->kw = vnew(e, AF_V_DICT);
	out->pos = lin_arena_alloc(e->a, (call->nkids + 1) * sizeof *out->pos);
	if (!out->pos) {
		e->oom = 1;
		return -1;
	}
	for (size_t i = 1; i < call->nkids; i++) {
		const af_node *k = call->kids[i];
		af_value *v = eval(e, sc, k);
		if (call->names[i])
			dict_put(e, out->kw, call->names[i], v);
		else if (k && k->kind == AF_N_STAR && v->kind == AF_V_DICT) {
			for (size_t j = 0; j < v->n; j++) /* **{"a": 1} */
				if (v->keys[j])
					dict_put(e, out->kw, v->keys[j], v->items[j]);
		} else if (k && k->kind == AF_N_STAR && v->kind == AF_V_LIST) {
			af_value **pos = lin_arena_alloc(e->a, (call->nkids + np + v->n + 1) * sizeof *pos);
			if (!pos) { /* chain(*tasks): the list's items are the arguments */
				e->oom = 1;
				return -1;
			}
			memcpy(pos, out->pos, np * sizeof *pos);
			out->pos = pos;
			for (size_t j = 0; j < v->n; j++)
				out->pos[np++] = v->items[j];
		} else
			out->pos[np++] = v;
	}
	out->npos = np;
	return 0;
}

/* The argument `name`, or positional `i` (-1: keyword only). */
static af_value *arg(const args *a, const char *name, int i)
{
	af_value *v = lin_af_dict_get(a->kw, name);
	if (!v && i >= 0 && (size_t)i < a->npos)
		v = a->pos[i];
	return v;
}

static void collect_datasets(ev *e, const af_value *v, af_strlist *out, int depth)
{
	if (!v || depth > 8)
		return;
	if (v->kind == AF_V_DATASET && v->text)
		lin_af_strlist_add(e->a, out, v->text);
	else if (v->kind == AF_V_LIST)
		for (size_t i = 0; i < v->n; i++)
			collect_datasets(e, v->items[i], out, depth + 1);
}

static void set_strlist(ev *e, af_strlist *out, const af_value *v)
{
	if (str_of(v))
		lin_af_strlist_add(e->a, out, v->text);
	else if (v && v->kind == AF_V_LIST)
		for (size_t i = 0; i < v->n; i++)
			if (str_of(v->items[i]))
				lin_af_strlist_add(e->a, out, v->items[i]->text);
}

/* DAG(...) or @dag(...): `id` from dag_id or the first argument (or the function name). */
static af_value *make_dag(ev *e, const args *a, const char *fallback_id, int line, int col)
{
	af_value *idv = arg(a, "dag_id", fallback_id ? -1 : 0), *v;
	const char *id = str_of(idv) ? idv->text : fallback_id;
	long d = -1;
	af_dag *dag;
	if (idv && !str_of(idv) && fallback_id) { /* @dag(dag_id=<not a literal>) */
		diag(e, LINEAGE_DIAG_WARNING, line, col, "@dag %s: dag_id is not a string literal: its tasks are left out; give the id as a plain string", fallback_id);
		id = NULL;
	}
	if (!id) {
		const af_node *at = kw_node(a, "dag_id");
		if (idv && idv->kind == AF_V_STR)
			diag(e, LINEAGE_DIAG_WARNING, at->line, at->col, "DAG id is built at run time (f-string with {%s}): its tasks are left out; give the id as a plain string", idv->why ? idv->why : "?");
		else
			diag(e, LINEAGE_DIAG_WARNING, at->line, at->col, "DAG id is not a string literal: its tasks are left out; give the id as a plain string");
	} else {
		for (size_t i = 0; i < e->m->ndags; i++)
			if (!e->m->dags[i].dynamic && !strcmp(e->m->dags[i].id, id))
				d = (long)i;
	}
	if (d < 0) {
		d = lin_af_add_dag(e->m, id ? id : "", line, col);
		if (d < 0) {
			e->oom = 1;
			return &e->unknown;
		}
		e->m->dags[d].dynamic = id == NULL;
	}
	dag = &e->m->dags[d];
	if (str_of(arg(a, "description", -1)))
		dag->description = arg(a, "description", -1)->text;
	{
		af_value *sched = arg(a, "schedule", -1);
		if (!sched)
			sched = arg(a, "schedule_interval", -1);
		if (!sched)
			sched = arg(a, "timetable", -1);
		if (!sched)
			sched = arg(a, "schedule_on", -1); /* Airflow 2.4 betas */
		if (str_of(sched))
			dag->schedule = sched->text;
		collect_datasets(e, sched, &dag->schedule_datasets, 0);
	}
	set_strlist(e, &dag->tags, arg(a, "tags", -1));
	set_strlist(e, &dag->searchpath, arg(a, "template_searchpath", -1));
	if (arg(a, "params", -1) && arg(a, "params", -1)->kind == AF_V_DICT)
		dag->params = arg(a, "params", -1);
	{
		af_value *da = arg(a, "default_args", -1);
		if (str_of(lin_af_dict_get(da, "owner")))
			dag->owner = lin_af_dict_get(da, "owner")->text;
	}
	v = vnew(e, AF_V_DAG);
	v->index = (size_t)d;
	return v;
}

/* The DAG a task belongs to: dag= or the enclosing `with DAG` / @dag; -1 with a diagnostic. */
static long task_dag(ev *e, const args *a, const char *what, int line, int col)
{
	af_value *dv = lin_af_dict_get(a ? a->kw : NULL, "dag");
	if (dv && dv->kind == AF_V_DAG)
		return (long)dv->index;
	if (dv && dv->kind != AF_V_NONE) {
		diag(e, LINEAGE_DIAG_WARNING, line, col, "task %s: dag= is not a DAG known statically; the task is left out", what);
		return -1;
	}
	if (e->dag < 0)
		diag(e, LINEAGE_DIAG_WARNING, line, col, "task %s is in no DAG (no `with DAG(...)` block, @dag function or dag= argument): left out", what);
	return e->dag;
}

static long task_group_of(ev *e, const args *a, long dag)
{
	af_value *g = lin_af_dict_get(a ? a->kw : NULL, "task_group");
	if (g && g->kind == AF_V_GROUP)
		return (long)g->index;
	if (e->group >= 0 && (long)e->m->groups[e->group].dag == dag)
		return e->group;
	return -1;
}

/* Datasets of inlets=/outlets=. */
static void task_datasets(ev *e, af_task *t, const args *a)
{
	collect_datasets(e, lin_af_dict_get(a->kw, "outlets"), &t->outlets, 0);
	collect_datasets(e, lin_af_dict_get(a->kw, "inlets"), &t->inlets, 0);
}

static int is_template_path(const char *s)
{
	static const char *const ext[] = {".sql", ".hql", ".ddl", ".bteq", NULL};
	if (strchr(s, '\n') || strchr(s, ' '))
		return 0;
	for (int i = 0; ext[i]; i++)
		if (ends_with(s, ext[i]))
			return 1;
	return 0;
}

static void add_sql(ev *e, af_task *t, const af_value *v, const af_node *at, const char *argname)
{
	af_sql *s;
	if (!v)
		return;
	if (v->kind == AF_V_LIST) {
		for (size_t i = 0; i < v->n; i++)
			add_sql(e, t, v->items[i], at, argname);
		return;
	}
	if (v->kind != AF_V_STR) {
		diag(e, LINEAGE_DIAG_WARNING, at->line, at->col, "task %s: %s= is not a string literal (a variable or a call): its SQL cannot be read statically", t->id, argname);
		return;
	}
	s = lin_arena_alloc(e->a, (t->nsql + 1) * sizeof *s);
	if (!s) {
		e->oom = 1;
		return;
	}
	if (t->nsql)
		memcpy(s, t->sql, t->nsql * sizeof *s);
	t->sql = s;
	s = &t->sql[t->nsql++];
	s->text = v->text;
	s->len = v->n;
	s->dynamic = v->dynamic;
	s->from_file = !v->dynamic && is_template_path(v->text);
	s->line = at->line;
	s->col = at->col;
	if (v->dynamic)
		diag(e, LINEAGE_DIAG_WARNING, at->line, at->col, "task %s: %s= is an f-string with {%s}, unknown statically: tables named with it are left out", t->id, argname, v->why ? v->why : "?");
}

/* SQL of SQL operators, by the operator's convention. */
static void task_sql(ev *e, af_task *t, const args *a)
{
	const char *argname = lin_af_operator_sql_arg(t->operator_name);
	af_value *v;
	int is_sql = 0;
	t->dialect = lin_af_operator_dialect(t->operator_name, &is_sql);
	if (!strcmp(t->operator_name, "BigQueryInsertJobOperator")) {
		af_value *conf = lin_af_dict_get(a->kw, "configuration");
		if (!conf)
			return;
		v = lin_af_dict_get(lin_af_dict_get(conf, "query"), "query");
		if (!v) {
			const af_node *at = kw_node(a, "configuration");
			if (conf->kind != AF_V_DICT || (lin_af_dict_get(conf, "query") && !v))
				diag(e, LINEAGE_DIAG_WARNING, at->line, at->col, "task %s: configuration is not a literal dict with query.query: its SQL cannot be read statically", t->id);
			return;
		}
		add_sql(e, t, v, kw_node(a, "configuration"), "configuration.query.query");
		return;
	}
	if (!argname || !(v = lin_af_dict_get(a->kw, argname)))
		return;
	if (!is_sql && strcmp(argname, "sql"))
		return;
	add_sql(e, t, v, kw_node(a, argname), argname);
}

/* An operator instance: XxxOperator(task_id=..., ...). */
static af_value *make_operator(ev *e, const char *opname, const args *a, int line, int col, int mapped)
{
	af_value *idv = lin_af_dict_get(a->kw, "task_id"), *v;
	long dag, group, ti;
	af_task *t;
	if (!str_of(idv)) {
		const af_node *at = kw_node(a, "task_id");
		if (idv && idv->kind == AF_V_STR)
			diag(e, LINEAGE_DIAG_WARNING, at->line, at->col, "%s: task_id is built at run time (f-string with {%s}): the task is left out", opname, idv->why ? idv->why : "?");
		else
			diag(e, LINEAGE_DIAG_WARNING, at->line, at->col, "%s: task_id is %s: the task is left out", opname, idv ? "not a string literal" : "missing");
		return &e->unknown;
	}
	dag = task_dag(e, a, idv->text, line, col);
	if (dag < 0)
		return &e->unknown;
	group = task_group_of(e, a, dag);
	ti = lin_af_add_task(e->m, idv->text, (size_t)dag, group, line, col, 0);
	if (ti < 0) {
		e->oom = 1;
		return &e->unknown;
	}
	t = &e->m->tasks[ti];
	t->operator_name = opname;
	t->mapped |= mapped;
	t->kwargs = a->kw;
	if (lin_af_dict_get(a->kw, "params") && lin_af_dict_get(a->kw, "params")->kind == AF_V_DICT)
		t->params = lin_af_dict_get(a->kw, "params");
	task_datasets(e, t, a);
	task_sql(e, t, a);
	v = vnew(e, AF_V_TASK);
	v->index = (size_t)ti;
	return v;
}

/* A call of a @task function: a new task (ids repeat as id__1, id__2), after the tasks
 * whose results it is given. */
static af_value *make_taskflow(ev *e, const af_value *fn, const args *a, int line, int col, int mapped)
{
	long dag = task_dag(e, NULL, fn->text, line, col), group, ti;
	af_task *t;
	af_value *v;
	args deco;
	if (dag < 0)
		return &e->unknown;
	group = e->group >= 0 && (long)e->m->groups[e->group].dag == dag ? e->group : -1;
	ti = lin_af_add_task(e->m, fn->text, (size_t)dag, group, line, col, 1);
	if (ti < 0) {
		e->oom = 1;
		return &e->unknown;
	}
	t = &e->m->tasks[ti];
	t->operator_name = fn->deco_name;
	t->mapped = mapped;
	memset(&deco, 0, sizeof deco);
	deco.kw = fn->deco;
	if (fn->deco) {
		task_datasets(e, t, &deco);
		t->kwargs = fn->deco;
	}
	v = vnew(e, AF_V_TASK);
	v->index = (size_t)ti;
	for (size_t i = 0; i < a->npos; i++)
		depend(e, a->pos[i], v, line);
	depend(e, a->kw, v, line);
	if (fn->items) /* .partial() arguments */
		for (size_t i = 0; i < fn->n; i++)
			depend(e, fn->items[i], v, line);
	return v;
}

static af_value *make_group(ev *e, const char *id, const args *a, int line, int col)
{
	af_value *pg = a ? lin_af_dict_get(a->kw, "parent_group") : NULL, *pre = a ? lin_af_dict_get(a->kw, "prefix_group_id") : NULL;
	long dag = task_dag(e, a, id, line, col), parent, g;
	char buf[600];
	int k = 0;
	af_value *v;
	if (dag < 0)
		return &e->unknown;
	parent = pg && pg->kind == AF_V_GROUP ? (long)pg->index
		 : (e->group >= 0 && (long)e->m->groups[e->group].dag == dag ? e->group : -1);
	/* A group id used again in the DAG gets "__1", "__2", as Airflow does. */
	snprintf(buf, sizeof buf, "%s", id);
	for (;;) {
		int clash = 0;
		char full[700];
		if (parent >= 0 && e->m->groups[parent].prefix)
			snprintf(full, sizeof full, "%s.%s", e->m->groups[parent].id, buf);
		else
			snprintf(full, sizeof full, "%s", buf);
		for (size_t i = 0; i < e->m->ngroups && !clash; i++)
			clash = e->m->groups[i].dag == (size_t)dag && !strcmp(e->m->groups[i].id, full);
		if (!clash || k >= 10000)
			break;
		snprintf(buf, sizeof buf, "%s__%d", id, ++k);
	}
	g = lin_af_add_group(e->m, lin_arena_strndup(e->a, buf, strlen(buf)), (size_t)dag, parent,
			     !(pre && pre->kind == AF_V_NUM && !strcmp(pre->text, "False")));
	if (g < 0) {
		e->oom = 1;
		return &e->unknown;
	}
	v = vnew(e, AF_V_GROUP);
	v->index = (size_t)g;
	return v;
}

static af_value *make_dataset(ev *e, const args *a)
{
	af_value *u = arg(a, "uri", -1), *v;
	if (!u)
		u = arg(a, "name", 0);
	if (!str_of(u)) {
		const af_node *at = a->call;
		diag(e, LINEAGE_DIAG_WARNING, at->line, at->col, "dataset URI is %s: left out", u && u->kind == AF_V_STR ? "an f-string, unknown statically" : "not a string literal");
		return &e->unknown;
	}
	v = vnew(e, AF_V_DATASET);
	v->text = u->text;
	return v;
}

/* chain(a, b, [c, d], e): consecutive items in order; two lists side by side pair up. */
static void do_chain(ev *e, const args *a, int linear, int line)
{
	for (size_t i = 0; i + 1 < a->npos; i++) {
		af_value *x = a->pos[i], *y = a->pos[i + 1];
		if (!linear && x->kind == AF_V_LIST && y->kind == AF_V_LIST) {
			if (x->n != y->n) {
				diag(e, LINEAGE_DIAG_WARNING, line, 0, "chain(): lists of different lengths (%zu and %zu) side by side; Airflow refuses this", x->n, y->n);
				continue;
			}
			for (size_t k = 0; k < x->n; k++)
				depend(e, x->items[k], y->items[k], line);
		} else {
			depend(e, x, y, line);
		}
	}
}

static af_value *call_function(ev *e, af_value *fn, const args *a, int line, int col);

static af_value *dirname_of(ev *e, const af_value *v)
{
	const char *slash = strrchr(v->text, '/');
	if (!slash)
		return vstr(e, ".", 1, 0);
	return vstr(e, v->text, slash == v->text ? 1 : (size_t)(slash - v->text), 0);
}

static af_value *join_paths(ev *e, const af_value *l, const af_value *r)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	af_value *v;
	if (r->text[0] == '/')
		return vstr(e, r->text, r->n, 0);
	lin_strbuf_printf(&sb, "%s%s%s", l->text, l->n && l->text[l->n - 1] == '/' ? "" : "/", r->text);
	v = sb.data ? vstr(e, sb.data, sb.len, 0) : &e->unknown;
	lin_strbuf_free(&sb);
	return v;
}

/* os.path.join/dirname/abspath/realpath and Path(...) on known strings, for
 * template_searchpath=os.path.join(os.path.dirname(__file__), "sql"). */
static af_value *path_call(ev *e, const char *fn, const args *a)
{
	for (size_t i = 0; i < a->npos; i++)
		if (!str_of(a->pos[i]))
			return &e->unknown;
	if (!a->npos)
		return &e->unknown;
	if (!strcmp(fn, "join")) {
		af_value *v = a->pos[0];
		for (size_t i = 1; i < a->npos; i++)
			v = join_paths(e, v, a->pos[i]);
		return v;
	}
	if (!strcmp(fn, "dirname"))
		return dirname_of(e, a->pos[0]);
	if (!strcmp(fn, "abspath") || !strcmp(fn, "realpath") || !strcmp(fn, "normpath") || !strcmp(fn, "Path"))
		return a->pos[0];
	return &e->unknown;
}

/* Calls by name: DAG, operators, datasets, task groups, chain... */
static af_value *call_named(ev *e, const char *d, const af_node *f, args *a, int line, int col,
			    int *handled)
{
	const char *last = last_part(d);
	*handled = 1;
	if (f->kind == AF_N_ATTR && (!strcmp(last, "partial") || !strcmp(last, "expand"))) {
		/* XxxOperator.partial(...) / .expand(...) */
		char base[512];
		const char *bd = dotted(NULL, f->kids[0], base, sizeof base);
		const char *opname = bd ? last_part(bd) : NULL;
		if (opname && is_operator_class(opname)) {
			if (!strcmp(last, "expand"))
				return make_operator(e, lin_arena_strndup(e->a, opname, strlen(opname)), a, line, col, 1);
			af_value *v = vnew(e, AF_V_OPCLASS);
			v->text = lin_arena_strndup(e->a, opname, strlen(opname));
			v->deco = a->kw;
			return v;
		}
	}
	if (is_operator_class(last))
		return make_operator(e, lin_arena_strndup(e->a, last, strlen(last)), a, line, col, 0);
	if (!strcmp(last, "DAG"))
		return make_dag(e, a, NULL, line, col);
	if (!strcmp(last, "Dataset") || !strcmp(last, "Asset"))
		return make_dataset(e, a);
	if (!strcmp(last, "TaskGroup")) {
		af_value *id = arg(a, "group_id", 0);
		if (!str_of(id)) {
			diag(e, LINEAGE_DIAG_WARNING, line, col, "TaskGroup id is not a string literal: its tasks are kept without the group's prefix");
			return &e->unknown;
		}
		return make_group(e, id->text, a, line, col);
	}
	if (!strcmp(last, "chain") || !strcmp(last, "chain_linear")) {
		do_chain(e, a, !strcmp(last, "chain_linear"), line);
		return vnew(e, AF_V_NONE);
	}
	if (!strcmp(last, "cross_downstream")) {
		if (a->npos >= 2)
			depend(e, a->pos[0], a->pos[1], line);
		return vnew(e, AF_V_NONE);
	}
	if (!strncmp(d, "os.path.", 8) || !strcmp(d, "Path") || !strcmp(d, "pathlib.Path"))
		return path_call(e, last, a);
	if (!strcmp(d, "range") && a->npos >= 1 && a->npos <= 2) {
		/* range(n), range(a, b) of literal numbers: a list, so loops over it unroll. */
		long lo = 0, hi;
		af_value *v;
		for (size_t i = 0; i < a->npos; i++)
			if (a->pos[i]->kind != AF_V_NUM || !a->pos[i]->text)
				return &e->unknown;
		hi = strtol(a->pos[a->npos - 1]->text, NULL, 10);
		if (a->npos == 2)
			lo = strtol(a->pos[0]->text, NULL, 10);
		if (hi - lo > AF_MAX_LOOP || hi < lo)
			return &e->unknown;
		v = vnew(e, AF_V_LIST);
		for (long i = lo; i < hi; i++) {
			char num[32];
			af_value *n = vnew(e, AF_V_NUM);
			snprintf(num, sizeof num, "%ld", i);
			n->text = lin_arena_strndup(e->a, num, strlen(num));
			list_push(e, v, n);
		}
		return v;
	}
	if (!strcmp(d, "str") && a->npos == 1 && str_of(a->pos[0]))
		return a->pos[0];
	if (!strcmp(last, "XComArg") && a->npos)
		return a->pos[0];
	if (!strcmp(last, "DatasetOrTimeSchedule") || !strcmp(last, "AssetOrTimeSchedule")) {
		af_value *v = arg(a, "datasets", -1);
		return v ? v : arg(a, "assets", -1) ? arg(a, "assets", -1) : &e->unknown;
	}
	if (!strcmp(last, "DatasetAny") || !strcmp(last, "DatasetAll") || !strcmp(last, "AssetAny") ||
	    !strcmp(last, "AssetAll")) {
		af_value *v = vnew(e, AF_V_LIST);
		for (size_t i = 0; i < a->npos; i++)
			list_push(e, v, a->pos[i]);
		return v;
	}
	*handled = 0;
	return &e->unknown;
}

static af_value *copy_value(ev *e, const af_value *v)
{
	af_value *c = vnew(e, v->kind);
	if (c != &e->unknown)
		*c = *v;
	return c;
}

/* Methods on values: t.set_downstream(x), fn.override(...), fn.expand(...), list.append(x). */
static af_value *call_method(ev *e, af_value *obj, const char *m, args *a, int line, int col)
{
	if (obj->kind == AF_V_TASK || obj->kind == AF_V_GROUP || obj->kind == AF_V_LIST) {
		if (!strcmp(m, "set_downstream") && a->npos) {
			depend(e, obj, a->pos[0], line);
			return vnew(e, AF_V_NONE);
		}
		if (!strcmp(m, "set_upstream") && a->npos) {
			depend(e, a->pos[0], obj, line);
			return vnew(e, AF_V_NONE);
		}
	}
	if (obj->kind == AF_V_TASK) {
		if (!strcmp(m, "expand") || !strcmp(m, "expand_kwargs"))
			e->m->tasks[obj->index].mapped = 1;
		return obj; /* .output, .as_setup(), ... stand for the task */
	}
	if (obj->kind == AF_V_TASKFN) {
		if (!strcmp(m, "override") || !strcmp(m, "partial")) {
			af_value *c = copy_value(e, obj), *id = lin_af_dict_get(a->kw, "task_id");
			if (c == &e->unknown)
				return c;
			if (!strcmp(m, "override")) {
				af_value *merged = vnew(e, AF_V_DICT);
				for (size_t i = 0; obj->deco && i < obj->deco->n; i++)
					dict_put(e, merged, obj->deco->keys[i], obj->deco->items[i]);
				for (size_t i = 0; i < a->kw->n; i++)
					dict_put(e, merged, a->kw->keys[i], a->kw->items[i]);
				c->deco = merged;
				if (str_of(id))
					c->text = id->text;
				else if (id)
					diag(e, LINEAGE_DIAG_WARNING, line, col, "override(): task_id is not a string literal: the function's name is kept");
			} else {
				af_value *l = vnew(e, AF_V_LIST);
				for (size_t i = 0; i < a->npos; i++)
					list_push(e, l, a->pos[i]);
				list_push(e, l, a->kw);
				c->items = l->items;
				c->n = l->n;
			}
			return c;
		}
		if (!strcmp(m, "expand") || !strcmp(m, "expand_kwargs"))
			return make_taskflow(e, obj, a, line, col, 1);
	}
	if (obj->kind == AF_V_OPCLASS && (!strcmp(m, "expand") || !strcmp(m, "expand_kwargs"))) {
		args merged = *a;
		merged.kw = vnew(e, AF_V_DICT);
		for (size_t i = 0; obj->deco && i < obj->deco->n; i++)
			dict_put(e, merged.kw, obj->deco->keys[i], obj->deco->items[i]);
		for (size_t i = 0; i < a->kw->n; i++)
			dict_put(e, merged.kw, a->kw->keys[i], a->kw->items[i]);
		return make_operator(e, obj->text, &merged, line, col, 1);
	}
	if (obj->kind == AF_V_LIST && (!strcmp(m, "append") || !strcmp(m, "extend")) && a->npos) {
		if (!strcmp(m, "append"))
			list_push(e, obj, a->pos[0]);
		else if (a->pos[0]->kind == AF_V_LIST)
			for (size_t i = 0; i < a->pos[0]->n; i++)
				list_push(e, obj, a->pos[0]->items[i]);
		return vnew(e, AF_V_NONE);
	}
	return &e->unknown;
}

static af_value *eval_call(ev *e, af_scope *sc, const af_node *n)
{
	const af_node *f = n->kids[0];
	char buf[512];
	const char *d;
	args a;
	if (eval_args(e, sc, n, &a))
		return &e->unknown;
	d = dotted(sc, f, buf, sizeof buf);
	if (d) {
		int handled;
		af_value *v = call_named(e, d, f, &a, n->line, n->col, &handled);
		if (handled)
			return v;
	}
	if (f->kind == AF_N_ATTR) {
		af_value *obj = eval(e, sc, f->kids[0]);
		char m[128];
		snprintf(m, sizeof m, "%.*s", (int)(f->len > 127 ? 127 : f->len), f->text);
		return call_method(e, obj, m, &a, n->line, n->col);
	}
	{
		af_value *fv = eval(e, sc, f);
		if (fv->kind == AF_V_TASKFN)
			return make_taskflow(e, fv, &a, n->line, n->col, 0);
		if (fv->kind == AF_V_FUNC)
			return call_function(e, fv, &a, n->line, n->col);
	}
	return &e->unknown;
}

static void warn_unknown_operand(ev *e, const af_node *n, const af_value *v)
{
	if (v->kind == AF_V_UNKNOWN && n && n->kind == AF_N_NAME)
		diag(e, LINEAGE_DIAG_WARNING, n->line, n->col, "'%.*s' is not a task known statically: this dependency is left out", (int)(n->len > 100 ? 100 : n->len), n->text);
}

static af_value *eval_binop(ev *e, af_scope *sc, const af_node *n)
{
	af_value *l, *r;
	if (n->kids[0] == n->kids[1]) { /* unary */
		eval(e, sc, n->kids[0]);
		return &e->unknown;
	}
	l = eval(e, sc, n->kids[0]);
	r = eval(e, sc, n->kids[1]);
	if (n->len == 2 && (n->text[0] == '>' || n->text[0] == '<')) {
		warn_unknown_operand(e, n->kids[0], l);
		warn_unknown_operand(e, n->kids[1], r);
		if (n->text[0] == '>')
			depend(e, l, r, n->line);
		else
			depend(e, r, l, n->line);
		return r; /* a >> b >> c: (a >> b) gives b */
	}
	if (n->len == 1 && (n->text[0] == '|' || n->text[0] == '&') &&
	    (l->kind == AF_V_DATASET || l->kind == AF_V_LIST || r->kind == AF_V_DATASET || r->kind == AF_V_LIST)) {
		af_value *v = vnew(e, AF_V_LIST);
		list_push(e, v, l);
		list_push(e, v, r);
		return v;
	}
	if (n->len == 1 && n->text[0] == '/' && str_of(l) && str_of(r))
		return join_paths(e, l, r); /* Path(...) / "sql" */
	if (n->len == 1 && n->text[0] == '+') {
		if (l->kind == AF_V_STR && r->kind == AF_V_STR) {
			lin_strbuf sb = LIN_STRBUF_INIT;
			af_value *v;
			lin_strbuf_append(&sb, l->text, l->n);
			lin_strbuf_append(&sb, r->text, r->n);
			v = vstr(e, sb.data ? sb.data : "", sb.len, l->dynamic || r->dynamic);
			if (v != &e->unknown)
				v->why = l->why ? l->why : r->why;
			lin_strbuf_free(&sb);
			return v;
		}
		if (l->kind == AF_V_LIST && r->kind == AF_V_LIST) {
			af_value *v = vnew(e, AF_V_LIST);
			for (size_t i = 0; i < l->n; i++)
				list_push(e, v, l->items[i]);
			for (size_t i = 0; i < r->n; i++)
				list_push(e, v, r->items[i]);
			return v;
		}
	}
	return &e->unknown;
}

static af_value *eval_inner(ev *e, af_scope *sc, const af_node *n)
{
	af_value *v;
	switch (n->kind) {
	case AF_N_NAME: {
		char name[256];
		snprintf(name, sizeof name, "%.*s", (int)(n->len > 255 ? 255 : n->len), n->text);
		v = scope_get(sc, name);
		return v ? v : &e->unknown;
	}
	case AF_N_STR:
		if (n->flags & AF_STR_F)
			return eval_fstring(e, sc, n);
		v = vnew(e, AF_V_STR);
		v->text = n->text;
		v->n = n->len;
		return v;
	case AF_N_NUM:
		v = vnew(e, AF_V_NUM);
		v->text = lin_arena_strndup(e->a, n->text, n->len);
		return v;
	case AF_N_CONST:
		if (n->len == 4 && !memcmp(n->text, "None", 4))
			return vnew(e, AF_V_NONE);
		if (n->len == 0 || n->text[0] == '.')
			return &e->unknown;
		v = vnew(e, AF_V_NUM);
		v->text = lin_arena_strndup(e->a, n->text, n->len);
		return v;
	case AF_N_ATTR:
		v = eval(e, sc, n->kids[0]);
		if (str_of(v) && n->len == 6 && !memcmp(n->text, "parent", 6))
			return dirname_of(e, v); /* Path(__file__).parent */
		return v->kind == AF_V_TASK ? v : &e->unknown;
	case AF_N_CALL:
		return eval_call(e, sc, n);
	case AF_N_SUBSCRIPT: {
		af_value *obj = eval(e, sc, n->kids[0]), *key = n->nkids > 1 ? eval(e, sc, n->kids[1]) : NULL;
		for (size_t i = 2; i < n->nkids; i++)
			eval(e, sc, n->kids[i]);
		if (obj->kind == AF_V_TASK)
			return obj;
		if (obj->kind == AF_V_DICT && str_of(key) && lin_af_dict_get(obj, key->text))
			return lin_af_dict_get(obj, key->text);
		if (obj->kind == AF_V_LIST && key && key->kind == AF_V_NUM && n->nkids == 2) {
			long i = strtol(key->text, NULL, 10);
			if (i < 0)
				i += (long)obj->n;
			if (i >= 0 && (size_t)i < obj->n)
				return obj->items[i];
		}
		return &e->unknown;
	}
	case AF_N_LIST:
	case AF_N_TUPLE:
	case AF_N_SET:
		v = vnew(e, AF_V_LIST);
		for (size_t i = 0; i < n->nkids; i++) {
			af_value *item = eval(e, sc, n->kids[i]);
			if (n->kids[i] && n->kids[i]->kind == AF_N_STAR && item->kind == AF_V_LIST)
				for (size_t k = 0; k < item->n; k++)
					list_push(e, v, item->items[k]);
			else
				list_push(e, v, item);
		}
		return v;
	case AF_N_DICT:
		v = vnew(e, AF_V_DICT);
		for (size_t i = 0; i + 1 < n->nkids; i += 2) {
			af_value *key = n->kids[i] ? eval(e, sc, n->kids[i]) : NULL;
			af_value *val = eval(e, sc, n->kids[i + 1]);
			if (!n->kids[i] && val->kind == AF_V_DICT) {
				for (size_t k = 0; k < val->n; k++)
					dict_put(e, v, val->keys[k], val->items[k]);
			} else {
				dict_put(e, v, str_of(key), val);
			}
		}
		return v;
	case AF_N_BINOP:
		return eval_binop(e, sc, n);
	case AF_N_STAR:
		return n->nkids ? eval(e, sc, n->kids[0]) : &e->unknown;
	case AF_N_OTHER:
		for (size_t i = 0; i < n->nkids; i++)
			eval(e, sc, n->kids[i]);
		return &e->unknown;
	}
	return &e->unknown;
}

static af_value *eval(ev *e, af_scope *sc, const af_node *n)
{
	af_value *v;
	if (!n || !step(e))
		return &e->unknown;
	if (e->deep)
		return &e->unknown;
	if (e->eval_depth >= MAX_EVAL_DEPTH) {
		diag(e, LINEAGE_DIAG_ERROR, n->line, n->col, "nested too deep: an expression more than %d levels deep was not read", MAX_EVAL_DEPTH);
		e->deep = 1;
		return &e->unknown;
	}
	e->eval_depth++;
	v = eval_inner(e, sc, n);
	e->eval_depth--;
	return v;
}

/* ---- statements ---- */

static void assign(ev *e, af_scope *sc, const af_node *t, af_value *v)
{
	if (!t)
		return;
	if (t->kind == AF_N_NAME) {
		scope_set(e, sc, node_name(e, t), v);
	} else if (t->kind == AF_N_TUPLE || t->kind == AF_N_LIST) {
		int fits = v->kind == AF_V_LIST && v->n == t->nkids;
		for (size_t i = 0; i < t->nkids; i++)
			assign(e, sc, t->kids[i], fits ? v->items[i] : &e->unknown);
	}
}

static const char *strip_prefix(const char *d)
{
	static const char *const prefixes[] = {"airflow.decorators.", "airflow.sdk.", "decorators.", "airflow.", NULL};
	for (int i = 0; prefixes[i]; i++)
		if (!strncmp(d, prefixes[i], strlen(prefixes[i])))
			return d + strlen(prefixes[i]);
	return d;
}

/* Airflow 3's @asset: a DAG and a task, both named after the function, that write the asset
 * (URI from uri=, else the name). The name is bound to the asset, so that other DAGs can be
 * scheduled on it. */
static void exec_asset_def(ev *e, af_scope *sc, const af_stmt *s, args *a)
{
	af_value *dag, *uri, *ds;
	long ti;
	if (!a->kw)
		a->kw = vnew(e, AF_V_DICT);
	dag = make_dag(e, a, s->name, s->line, s->col);
	uri = lin_af_dict_get(a->kw, "uri");
	ds = vnew(e, AF_V_DATASET);
	ds->text = str_of(uri) ? uri->text : s->name;
	scope_set(e, sc, s->name, ds);
	if (dag->kind != AF_V_DAG)
		return;
	ti = lin_af_add_task(e->m, s->name, dag->index, -1, s->line, s->col, 0);
	if (ti < 0) {
		e->oom = 1;
		return;
	}
	e->m->tasks[ti].operator_name = "@asset";
	e->m->tasks[ti].kwargs = a->kw;
	lin_af_strlist_add(e->a, &e->m->tasks[ti].outlets, ds->text);
}

/* def with decorators: @dag, @task(.xxx), @task_group, @asset or a plain function. */
static void exec_def(ev *e, af_scope *sc, const af_stmt *s)
{
	af_value *fn = vnew(e, AF_V_FUNC);
	if (fn == &e->unknown)
		return;
	fn->def = s;
	fn->closure = sc;
	fn->text = s->name;
	for (size_t i = 0; i < s->nitems; i++) {
		const af_node *dn = s->items[i];
		char buf[256];
		const char *d = dn ? dotted(sc, dn, buf, sizeof buf) : NULL;
		args a;
		if (!d)
			continue;
		d = strip_prefix(d);
		memset(&a, 0, sizeof a);
		if (dn->kind == AF_N_CALL)
			eval_args(e, sc, dn, &a);
		if (!strcmp(d, "asset")) {
			exec_asset_def(e, sc, s, &a);
			return;
		}
		if (!strcmp(d, "dag")) {
			fn->fn_kind = 1;
		} else if (!strcmp(d, "task_group")) {
			fn->fn_kind = 2;
		} else if (!strcmp(d, "task") || !strncmp(d, "task.", 5) || !strcmp(d, "setup") ||
			   !strcmp(d, "teardown")) {
			af_value *id = a.kw ? lin_af_dict_get(a.kw, "task_id") : NULL;
			char name[300];
			fn->kind = AF_V_TASKFN;
			fn->text = str_of(id) ? id->text : s->name;
			snprintf(name, sizeof name, "@%s", d);
			fn->deco_name = lin_arena_strndup(e->a, name, strlen(name));
		} else {
			continue;
		}
		fn->deco = a.kw;
		break;
	}
	scope_set(e, sc, s->name, fn);
}

static af_value *call_function(ev *e, af_value *fn, const args *a, int line, int col)
{
	af_scope *sc;
	long saved_dag = e->dag, saved_group = e->group;
	af_value *saved_ret = e->ret, *result = NULL;
	const af_stmt *def = fn->def;
	size_t pi = 0;
	if (e->calls >= AF_MAX_CALL_DEPTH) {
		diag(e, LINEAGE_DIAG_NOTE, line, col, "calls nested more than %d deep are not followed", AF_MAX_CALL_DEPTH);
		return &e->unknown;
	}
	sc = scope_new(e, fn->closure);
	if (!sc)
		return &e->unknown;
	for (size_t i = 0; i < def->nparams; i++) {
		const af_param *p = &def->params[i];
		af_value *v = NULL;
		if (p->star == 1) {
			v = vnew(e, AF_V_LIST);
			while (pi < a->npos)
				list_push(e, v, a->pos[pi++]);
		} else if (p->star == 2) {
			v = a->kw;
		} else {
			v = lin_af_dict_get(a->kw, p->name);
			if (!v && pi < a->npos)
				v = a->pos[pi++];
			if (!v && p->def)
				v = eval(e, fn->closure, p->def);
		}
		scope_set(e, sc, p->name, v ? v : &e->unknown);
	}
	if (fn->fn_kind == 1) {
		args d;
		memset(&d, 0, sizeof d);
		d.kw = fn->deco ? fn->deco : vnew(e, AF_V_DICT);
		d.call = NULL;
		result = make_dag(e, &d, def->name, def->line, def->col);
		fn->called = 1;
		if (result->kind != AF_V_DAG)
			return result;
		e->dag = (long)result->index;
		e->group = -1;
	} else if (fn->fn_kind == 2) {
		af_value *id = fn->deco ? lin_af_dict_get(fn->deco, "group_id") : NULL;
		args d;
		memset(&d, 0, sizeof d);
		d.kw = fn->deco ? fn->deco : vnew(e, AF_V_DICT);
		result = make_group(e, str_of(id) ? id->text : def->name, &d, line, col);
		if (result->kind != AF_V_GROUP)
			return result;
		e->group = (long)result->index;
		e->dag = (long)e->m->groups[result->index].dag;
	}
	e->calls++;
	e->ret = NULL;
	exec_body(e, sc, &def->body);
	e->calls--;
	if (!result)
		result = e->ret ? e->ret : vnew(e, AF_V_NONE);
	e->returning = 0;
	e->ret = saved_ret;
	e->dag = saved_dag;
	e->group = saved_group;
	return result;
}

static void exec_import(ev *e, af_scope *sc, const af_stmt *s)
{
	if (s->name && !strncmp(s->name, "airflow", 7))
		e->m->imports_airflow = 1;
	for (size_t i = 0; i < s->nimports; i++) {
		af_value *v;
		const char *imp = s->imports[i];
		if (!strncmp(imp, "airflow", 7))
			e->m->imports_airflow = 1;
		if (!strcmp(imp, "*"))
			continue;
		v = vnew(e, AF_V_ALIAS);
		v->text = s->name ? imp : s->aliases[i]; /* `import a.b` binds a */
		scope_set(e, sc, s->aliases[i], v);
	}
}

static void exec_with(ev *e, af_scope *sc, const af_stmt *s)
{
	long saved_dag = e->dag, saved_group = e->group;
	for (size_t i = 0; i < s->nitems; i++) {
		af_value *v = eval(e, sc, s->items[i]);
		if (v->kind == AF_V_DAG) {
			e->dag = (long)v->index;
			e->group = -1;
		} else if (v->kind == AF_V_GROUP) {
			e->group = (long)v->index;
			e->dag = (long)e->m->groups[v->index].dag;
		}
		if (s->as[i])
			assign(e, sc, s->as[i], v);
	}
	exec_body(e, sc, &s->body);
	e->dag = saved_dag;
	e->group = saved_group;
}

static void exec_for(ev *e, af_scope *sc, const af_stmt *s)
{
	af_value *it = eval(e, sc, s->value);
	if (it->kind == AF_V_LIST && it->n > 0) {
		/* A literal list: the body once per item, so f"load_{table}" ids resolve. */
		for (size_t i = 0; i < it->n && i < AF_MAX_LOOP && !e->stopped && !e->returning; i++) {
			assign(e, sc, s->targets[0], it->items[i]);
			exec_body(e, sc, &s->body);
		}
		return;
	}
	if (it->kind == AF_V_DICT && it->n > 0) {
		for (size_t i = 0; i < it->n && i < AF_MAX_LOOP && !e->stopped && !e->returning; i++) {
			af_value *k = it->keys[i] ? vstr(e, it->keys[i], strlen(it->keys[i]), 0) : &e->unknown;
			assign(e, sc, s->targets[0], k);
			exec_body(e, sc, &s->body);
		}
		return;
	}
	assign(e, sc, s->targets[0], &e->unknown);
	exec_body(e, sc, &s->body);
}

static void exec_stmt(ev *e, af_scope *sc, const af_stmt *s)
{
	if (!step(e))
		return;
	e->deep = 0;
	switch (s->kind) {
	case AF_S_EXPR:
		eval(e, sc, s->value);
		break;
	case AF_S_ASSIGN: {
		af_value *v = eval(e, sc, s->value);
		for (size_t i = 0; i < s->ntargets; i++)
			assign(e, sc, s->targets[i], v);
		break;
	}
	case AF_S_RETURN:
		e->ret = s->value ? eval(e, sc, s->value) : vnew(e, AF_V_NONE);
		e->returning = 1;
		break;
	case AF_S_IMPORT:
		exec_import(e, sc, s);
		break;
	case AF_S_DEF:
		exec_def(e, sc, s);
		break;
	case AF_S_WITH:
		exec_with(e, sc, s);
		break;
	case AF_S_FOR:
		exec_for(e, sc, s);
		break;
	case AF_S_BLOCK:
		exec_body(e, sc, &s->body);
		break;
	case AF_S_CLASS:
	case AF_S_OTHER:
		break;
	}
}

static void exec_body(ev *e, af_scope *sc, const af_body *b)
{
	if (e->exec_depth >= MAX_EXEC_DEPTH) {
		if (b->n)
			diag(e, LINEAGE_DIAG_ERROR, b->stmts[0]->line, b->stmts[0]->col, "nested too deep: blocks and calls more than %d deep were not read", MAX_EXEC_DEPTH);
		return;
	}
	e->exec_depth++;
	for (size_t i = 0; i < b->n && !e->stopped && !e->oom && !e->returning; i++) {
		exec_stmt(e, sc, b->stmts[i]);
	}
	e->exec_depth--;
}

/* @dag functions never called: Airflow does not load them. */
static void report_uncalled(ev *e, af_scope *sc)
{
	for (size_t i = 0; i < sc->cap; i++) {
		af_value *v = sc->slots[i].v;
		if (sc->slots[i].name && v && v->kind == AF_V_FUNC && v->fn_kind == 1 && !v->called)
			diag(e, LINEAGE_DIAG_WARNING, v->def->line, v->def->col, "@dag function %s is never called in this file, so Airflow does not load it: call it (%s()) at module level", v->def->name, v->def->name);
	}
}

int lin_af_eval(af_model *m, const af_body *module, const af_diag_fn *dg)
{
	ev e;
	memset(&e, 0, sizeof e);
	e.m = m;
	e.a = m->arena;
	e.diag = dg;
	e.dag = -1;
	e.group = -1;
	e.unknown.kind = AF_V_UNKNOWN;
	e.globals = scope_new(&e, NULL);
	if (e.globals) {
		/* Absolute, so that paths built from it are found from any working folder. */
		char *abs = m->file ? realpath(m->file, NULL) : NULL;
		const char *file = abs ? abs : m->file ? m->file : "";
		af_value *f = vstr(&e, file, strlen(file), 0);
		free(abs);
		scope_set(&e, e.globals, "__file__", f);
		exec_body(&e, e.globals, module);
		if (!e.oom)
			report_uncalled(&e, e.globals);
	}
	while (e.scopes) {
		af_scope *next = e.scopes->next_alloc;
		free(e.scopes->slots);
		free(e.scopes);
		e.scopes = next;
	}
	return e.oom ? lin_error_oom() : 0;
}
