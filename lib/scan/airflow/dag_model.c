/* The model of one DAG file: DAGs, task groups, tasks and dependencies, in a file arena. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "af_internal.h"

/* Grow an array of `size`-byte items held in malloc'ed memory. */
static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 16;
	void *p = realloc(*arr, nc * size);
	if (!p)
		return -1;
	*arr = p;
	*cap = nc;
	return 0;
}

long lin_af_add_dag(af_model *m, const char *id, int line, int col)
{
	af_dag *d;
	if (grow((void **)&m->dags, &m->cap_dags, m->ndags, sizeof *m->dags))
		return -1;
	d = &m->dags[m->ndags];
	memset(d, 0, sizeof *d);
	d->id = id;
	d->line = line;
	d->col = col;
	return (long)m->ndags++;
}

long lin_af_add_group(af_model *m, const char *id, size_t dag, long parent, int prefix)
{
	af_group *g;
	lin_strbuf sb = LIN_STRBUF_INIT;
	const char *full = id;
	if (parent >= 0 && m->groups[parent].prefix) {
		if (lin_strbuf_printf(&sb, "%s.%s", m->groups[parent].id, id))
			return -1;
		full = lin_arena_strndup(m->arena, sb.data, sb.len);
		lin_strbuf_free(&sb);
		if (!full)
			return -1;
	}
	if (grow((void **)&m->groups, &m->cap_groups, m->ngroups, sizeof *m->groups))
		return -1;
	g = &m->groups[m->ngroups];
	memset(g, 0, sizeof *g);
	g->id = full;
	g->dag = dag;
	g->parent = parent;
	g->prefix = prefix;
	return (long)m->ngroups++;
}

static long find_task(const af_model *m, size_t dag, const char *id)
{
	/* Files hold tens of tasks, rarely thousands: a linear search stays cheap. */
	for (size_t i = 0; i < m->ntasks; i++)
		if (m->tasks[i].dag == dag && !strcmp(m->tasks[i].id, id))
			return (long)i;
	return -1;
}

long lin_af_add_task(af_model *m, const char *id, size_t dag, long group, int line, int col,
		     int dedupe)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	const char *full;
	long found;
	af_task *t;
	if (group >= 0 && m->groups[group].prefix) {
		if (lin_strbuf_printf(&sb, "%s.%s", m->groups[group].id, id))
			return -1;
	} else if (lin_strbuf_puts(&sb, id)) {
		return -1;
	}
	found = find_task(m, dag, sb.data);
	if (found >= 0 && !dedupe) {
		lin_strbuf_free(&sb);
		return found;
	}
	if (found >= 0) {
		size_t base = sb.len;
		for (int k = 1; found >= 0 && k < 100000; k++) {
			sb.len = base;
			sb.data[base] = '\0';
			if (lin_strbuf_printf(&sb, "__%d", k)) {
				lin_strbuf_free(&sb);
				return -1;
			}
			found = find_task(m, dag, sb.data);
		}
	}
	full = lin_arena_strndup(m->arena, sb.data, sb.len);
	lin_strbuf_free(&sb);
	if (!full || grow((void **)&m->tasks, &m->cap_tasks, m->ntasks, sizeof *m->tasks))
		return -1;
	t = &m->tasks[m->ntasks];
	memset(t, 0, sizeof *t);
	t->id = full;
	t->dag = dag;
	t->group = group;
	t->line = line;
	t->col = col;
	return (long)m->ntasks++;
}

int lin_af_add_dep(af_model *m, af_ref up, af_ref down, int line)
{
	if (up.is_group == down.is_group && up.index == down.index)
		return 0;
	for (size_t i = m->ndeps; i-- > 0 && i + 64 >= m->ndeps;) /* recent duplicates */
		if (!memcmp(&m->deps[i].up, &up, sizeof up) && !memcmp(&m->deps[i].down, &down, sizeof down))
			return 0;
	if (grow((void **)&m->deps, &m->cap_deps, m->ndeps, sizeof *m->deps))
		return LINEAGE_ENOMEM;
	m->deps[m->ndeps].up = up;
	m->deps[m->ndeps].down = down;
	m->deps[m->ndeps].line = line;
	m->ndeps++;
	return 0;
}

int lin_af_strlist_add(lin_arena *a, af_strlist *l, const char *s)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 4;
		const char **v = lin_arena_alloc(a, nc * sizeof *v);
		if (!v)
			return LINEAGE_ENOMEM;
		if (l->n)
			memcpy(v, l->v, l->n * sizeof *v);
		l->v = v;
		l->cap = nc;
	}
	l->v[l->n++] = s;
	return 0;
}

/* Is task `t` inside group `g` (at any depth)? */
static int in_group(const af_model *m, size_t t, size_t g)
{
	long x = m->tasks[t].group;
	for (int guard = 0; x >= 0 && guard < 10000; guard++) {
		if ((size_t)x == g)
			return 1;
		x = m->groups[x].parent;
	}
	return 0;
}

/* Is task `t` on the `up` (or down) side of a dependency from inside group `g`? Only
 * dependencies between tasks of the group count. */
static int has_inner_dep(const af_model *m, size_t t, size_t g, int as_up)
{
	for (size_t i = 0; i < m->ndeps; i++) {
		const af_dep *d = &m->deps[i];
		af_ref self = as_up ? d->up : d->down, other = as_up ? d->down : d->up;
		if (self.is_group || self.index != t)
			continue;
		if (!other.is_group && in_group(m, other.index, g))
			return 1;
		if (other.is_group && other.index != g) {
			/* a nested group inside g counts as inside */
			long x = m->groups[other.index].parent;
			for (int guard = 0; x >= 0 && guard < 10000; guard++, x = m->groups[x].parent)
				if ((size_t)x == g)
					return 1;
		}
	}
	return 0;
}

int lin_af_expand_ref(const af_model *m, af_ref r, int as_upstream, size_t **out, size_t *n)
{
	size_t *v = NULL, cap = 0;
	*out = NULL;
	*n = 0;
	if (!r.is_group) {
		v = malloc(sizeof *v);
		if (!v)
			return LINEAGE_ENOMEM;
		v[0] = r.index;
		*out = v;
		*n = 1;
		return 0;
	}
	/* A group stands for its leaves upstream and its roots downstream. */
	for (size_t t = 0; t < m->ntasks; t++) {
		if (!in_group(m, t, r.index) || has_inner_dep(m, t, r.index, as_upstream))
			continue;
		if (grow((void **)&v, &cap, *n, sizeof *v)) {
			free(v);
			*n = 0;
			return LINEAGE_ENOMEM;
		}
		v[(*n)++] = t;
	}
	*out = v;
	return 0;
}

af_value *lin_af_dict_get(const af_value *dict, const char *key)
{
	if (!dict || dict->kind != AF_V_DICT || !dict->keys)
		return NULL;
	for (size_t i = dict->n; i-- > 0;) /* the last one given wins */
		if (dict->keys[i] && !strcmp(dict->keys[i], key))
			return dict->items[i];
	return NULL;
}

void lin_af_model_free(af_model *m)
{
	free(m->dags);
	free(m->groups);
	free(m->tasks);
	free(m->deps);
	memset(m, 0, sizeof *m);
}

const char *lin_af_dag_key(af_model *m, size_t dag)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	const char *k;
	if (lin_strbuf_printf(&sb, "airflow:%s", m->dags[dag].id))
		return NULL;
	k = lin_arena_strndup(m->arena, sb.data, sb.len);
	lin_strbuf_free(&sb);
	return k;
}

const char *lin_af_task_key(af_model *m, size_t task)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	const char *k;
	if (lin_strbuf_printf(&sb, "airflow:%s.%s", m->dags[m->tasks[task].dag].id, m->tasks[task].id))
		return NULL;
	k = lin_arena_strndup(m->arena, sb.data, sb.len);
	lin_strbuf_free(&sb);
	return k;
}

void lin_af_diag(lineage_scan_sink *sink, lineage_diag_severity sev, const char *file, int line,
		 int col, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	lineage_scan_sink_diagnostic(sink, sev, file, line, col, msg);
}
