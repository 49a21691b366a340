/* Script-wide state of a SQL analysis: interned names, tables, edges and diagnostics. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/util.h"
#include "sql_internal.h"

static int grow(void **v, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap : 16;
	while (nc < need)
		nc *= 2;
	void *nv = realloc(*v, nc * elem);
	if (!nv)
		return lin_error_oom();
	*v = nv;
	*cap = nc;
	return 0;
}

static int grow32(void **v, uint32_t *cap, uint32_t need, size_t elem)
{
	size_t c = *cap;
	int rc = grow(v, &c, need, elem);
	*cap = (uint32_t)c;
	return rc;
}

static uint64_t hash_str(const char *s, size_t n)
{
	return lin_hash_bytes(LIN_HASH_INIT, s, n);
}

static int intern_rehash(sql_intern *in, uint32_t nslots)
{
	uint32_t *slots = calloc(nslots, sizeof *slots);
	if (!slots)
		return lin_error_oom();
	for (uint32_t id = 0; id < in->n; id++) {
		uint32_t h = (uint32_t)hash_str(in->names[id], strlen(in->names[id])) & (nslots - 1);
		while (slots[h])
			h = (h + 1) & (nslots - 1);
		slots[h] = id + 1;
	}
	free(in->slots);
	in->slots = slots;
	in->nslots = nslots;
	return 0;
}

uint32_t lin_sql_intern(sql_script *sc, const char *s, size_t n)
{
	sql_intern *in = &sc->names;
	if ((in->n + 1) * 2 > in->nslots &&
	    intern_rehash(in, in->nslots ? in->nslots * 2 : 1024) < 0)
		return UINT32_MAX;
	uint32_t h = (uint32_t)hash_str(s, n) & (in->nslots - 1);
	while (in->slots[h]) {
		const char *c = in->names[in->slots[h] - 1];
		if (!strncmp(c, s, n) && c[n] == '\0')
			return in->slots[h] - 1;
		h = (h + 1) & (in->nslots - 1);
	}
	if (in->n >= UINT32_MAX - 2 || grow32((void **)&in->names, &in->cap, in->n + 1,
					      sizeof *in->names) < 0)
		return UINT32_MAX;
	char *copy = lin_strndup(s, n);
	if (!copy)
		return UINT32_MAX;
	in->names[in->n] = copy;
	in->slots[h] = in->n + 1;
	return in->n++;
}

/* A column name as unquoted SQL spells it: catalogs of upper-folding warehouses say "ID". */
static char *catalog_column(const char *name)
{
	char *c = lin_strdup(name);
	int lower = 0;
	if (!c)
		return NULL;
	for (char *q = c; *q; q++)
		lower |= *q >= 'a' && *q <= 'z';
	for (char *q = c; !lower && *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q + 32);
	return c;
}

/* A dbt catalog.json ({"nodes"|"sources": {id: {"metadata": {database, schema, name},
 * "columns": {name: ...}}}}) as {"database.schema.name": ["col", ...]}. */
static json_t *catalog_tables(json_t *catalog)
{
	static const char *const sections[] = {"nodes", "sources"};
	json_t *out = json_object();
	if (!out)
		return NULL;
	for (size_t s = 0; s < 2; s++) {
		const char *id;
		json_t *node;
		json_object_foreach(json_object_get(catalog, sections[s]), id, node) {
			json_t *md = json_object_get(node, "metadata");
			const char *db = json_string_value(json_object_get(md, "database"));
			const char *sch = json_string_value(json_object_get(md, "schema"));
			const char *name = json_string_value(json_object_get(md, "name"));
			json_t *cols = json_array(), *c;
			const char *cname;
			char key[768];
			if (!name || !cols) {
				json_decref(cols);
				continue;
			}
			snprintf(key, sizeof key, "%s%s%s%s%s", db ? db : "", db ? "." : "",
				 sch ? sch : "", sch ? "." : "", name);
			json_object_foreach(json_object_get(node, "columns"), cname, c) {
				char *n = catalog_column(cname);
				if (n)
					json_array_append_new(cols, json_string(n));
				free(n);
			}
			json_object_set_new(out, key, cols);
		}
	}
	return out;
}

int lin_sql_script_init(sql_script *sc, const lineage_sql_options *opts,
			const sql_dialect *dialect)
{
	memset(sc, 0, sizeof *sc);
	sc->dialect = dialect;
	sc->opts = opts;
	sc->star_id = lin_sql_intern(sc, "*", 1);
	if (sc->star_id == UINT32_MAX)
		return LINEAGE_ENOMEM;
	if (opts && opts->schema_json) {
		json_error_t jerr;
		json_t *root = json_loads(opts->schema_json, 0, &jerr);
		if (!root || !json_is_object(root)) {
			int rc = lin_error_set(LINEAGE_EINVALID,
					       "the schema is not a JSON object (%s, line %d): give "
					       "{\"table\": [\"column\", ...]} or a dbt catalog.json",
					       root ? "not an object" : jerr.text, jerr.line);
			json_decref(root);
			return rc;
		}
		if (json_object_get(root, "nodes") || json_object_get(root, "sources")) {
			json_t *flat = catalog_tables(root);
			json_decref(root);
			if (!flat)
				return lin_error_oom();
			root = flat;
		}
		const char *k;
		json_t *v;
		json_object_foreach(root, k, v) {
			size_t i;
			json_t *c;
			if (!json_is_array(v)) {
				int rc = lin_error_set(LINEAGE_EINVALID,
						       "the schema: the value of \"%.200s\" is not an "
						       "array of column names",
						       k);
				json_decref(root);
				return rc;
			}
			json_array_foreach(v, i, c) {
				if (!json_is_string(c)) {
					int rc = lin_error_set(LINEAGE_EINVALID,
							       "the schema: table \"%.200s\" has a "
							       "column name that is not a string",
							       k);
					json_decref(root);
					return rc;
				}
			}
		}
		sc->schema_json = root;
	}
	return 0;
}

void lin_sql_script_free(sql_script *sc)
{
	for (uint32_t i = 0; i < sc->names.n; i++)
		free(sc->names.names[i]);
	free(sc->names.names);
	free(sc->names.slots);
	for (uint32_t i = 0; i < sc->ntables; i++) {
		free((char *)sc->tables[i].name);
		free((char *)sc->tables[i].key);
		free(sc->tables[i].cols);
	}
	free(sc->tables);
	free(sc->tslots);
	free(sc->pending);
	free(sc->vars);
	lin_sql_records_clear(sc);
	free(sc->records);
	free(sc->edges);
	for (size_t i = 0; i < sc->ndiags; i++)
		free(sc->diags[i].reason);
	free(sc->diags);
	for (size_t i = 0; i < sc->nstmts; i++) {
		free(sc->stmts[i].reads);
		free(sc->stmts[i].writes);
		free(sc->stmts[i].renames);
	}
	free(sc->stmts);
	json_decref((json_t *)sc->schema_json);
	memset(sc, 0, sizeof *sc);
}

/* Join parts with '.' into a new string. */
static char *join_parts(const char *const *parts, int nparts)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	for (int i = 0; i < nparts; i++) {
		if ((i && lin_strbuf_putc(&sb, '.') < 0) || lin_strbuf_puts(&sb, parts[i]) < 0) {
			lin_strbuf_free(&sb);
			return NULL;
		}
	}
	return lin_strbuf_detach(&sb);
}

static char *identity_key(sql_script *sc, const char *const *parts, int nparts, int location)
{
	if (location || nparts > 3 || nparts < 1)
		return join_parts(parts, nparts);
	const char *db = nparts == 3 ? parts[0] : sc->use_db;
	const char *schema = nparts >= 2 ? parts[nparts - 2] : sc->use_schema;
	lin_strbuf sb = LIN_STRBUF_INIT;
	if (lin_strbuf_printf(&sb, "%s\x1f%s\x1f%s", db ? db : "", schema ? schema : "",
			      parts[nparts - 1]) < 0) {
		lin_strbuf_free(&sb);
		return NULL;
	}
	return lin_strbuf_detach(&sb);
}

static int tslots_rehash(sql_script *sc, uint32_t nslots)
{
	uint32_t *slots = calloc(nslots, sizeof *slots);
	if (!slots)
		return lin_error_oom();
	for (uint32_t id = 0; id < sc->ntables; id++) {
		const char *k = sc->tables[id].key;
		uint32_t h = (uint32_t)hash_str(k, strlen(k)) & (nslots - 1);
		while (slots[h])
			h = (h + 1) & (nslots - 1);
		slots[h] = id + 1;
	}
	free(sc->tslots);
	sc->tslots = slots;
	sc->ntslots = nslots;
	return 0;
}

static int note_pending(sql_script *sc, uint32_t id)
{
	if (grow32((void **)&sc->pending, &sc->cpending, sc->npending + 1, sizeof *sc->pending) < 0)
		return -1;
	sc->pending[sc->npending++] = id;
	return 0;
}

void lin_sql_tables_settle(sql_script *sc, int ok)
{
	for (uint32_t i = 0; ok && i < sc->npending; i++)
		sc->tables[sc->pending[i]].kept = 1;
	sc->npending = 0;
}

uint32_t lin_sql_table(sql_script *sc, const char *const *parts, int nparts, int location,
		       size_t stmt, uint32_t line, uint32_t col)
{
	char *key = identity_key(sc, parts, nparts, location);
	if (!key)
		return UINT32_MAX;
	if ((sc->ntables + 1) * 2 > sc->ntslots &&
	    tslots_rehash(sc, sc->ntslots ? sc->ntslots * 2 : 256) < 0) {
		free(key);
		return UINT32_MAX;
	}
	uint32_t h = (uint32_t)hash_str(key, strlen(key)) & (sc->ntslots - 1);
	while (sc->tslots[h]) {
		sql_table *t = &sc->tables[sc->tslots[h] - 1];
		if (!strcmp(t->key, key)) {
			free(key);
			/* Named before only by skipped statements: first named here, if kept. */
			if (!t->kept && t->stmt != stmt) {
				if (note_pending(sc, t->id) < 0)
					return UINT32_MAX;
				t->stmt = stmt;
				t->line = line;
				t->col = col;
			}
			return t->id;
		}
		h = (h + 1) & (sc->ntslots - 1);
	}
	if (grow32((void **)&sc->tables, &sc->ctables, sc->ntables + 1, sizeof *sc->tables) < 0 ||
	    note_pending(sc, sc->ntables) < 0) {
		free(key);
		return UINT32_MAX;
	}
	sql_table *t = &sc->tables[sc->ntables];
	memset(t, 0, sizeof *t);
	t->name = join_parts(parts, nparts);
	if (!t->name) {
		free(key);
		return UINT32_MAX;
	}
	t->key = key;
	t->id = sc->ntables;
	t->location = location;
	/* T-SQL #tmp tables and @t table variables */
	t->temporary = parts[nparts - 1][0] == '#' ||
		       (parts[nparts - 1][0] == '@' && (sc->dialect->flags & DF_GO));
	t->first_read = t->last_read = t->first_write = t->last_write = t->last_drop = -1;
	t->stmt = stmt;
	t->line = line;
	t->col = col;
	sc->tslots[h] = sc->ntables + 1;
	return sc->ntables++;
}

static int set_cols_from_strings(sql_script *sc, sql_table *t, const char *const *names,
				 size_t n)
{
	uint32_t *cols = n ? malloc(n * sizeof *cols) : NULL;
	if (n && !cols)
		return lin_error_oom();
	for (size_t i = 0; i < n; i++) {
		cols[i] = lin_sql_intern(sc, names[i] ? names[i] : "", names[i] ? strlen(names[i]) : 0);
		if (cols[i] == UINT32_MAX) {
			free(cols);
			return LINEAGE_ENOMEM;
		}
	}
	free(t->cols);
	t->cols = cols;
	t->ncols = (uint32_t)n;
	t->cols_state = 1;
	return 0;
}

static json_t *schema_lookup(sql_script *sc, const sql_table *t)
{
	json_t *root = sc->schema_json, *v;
	const char *k, *last;
	if (!root)
		return NULL;
	v = json_object_get(root, t->name);
	if (v)
		return v;
	json_object_foreach(root, k, v) {
		if (!lin_strcasecmp(k, t->name))
			return v;
	}
	last = strrchr(t->name, '.');
	last = last ? last + 1 : t->name;
	json_object_foreach(root, k, v) {
		const char *kl = strrchr(k, '.');
		if (!lin_strcasecmp(kl ? kl + 1 : k, last))
			return v;
	}
	return NULL;
}

int lin_sql_table_columns(sql_script *sc, uint32_t tid, const uint32_t **cols, uint32_t *n)
{
	sql_table *t = &sc->tables[tid];
	if (t->cols_state == 0) {
		json_t *v = t->location ? NULL : schema_lookup(sc, t);
		t->cols_state = 2;
		if (v) {
			size_t cnt = json_array_size(v);
			const char **names = cnt ? malloc(cnt * sizeof *names) : NULL;
			if (cnt && !names)
				return lin_error_oom();
			for (size_t i = 0; i < cnt; i++)
				names[i] = json_string_value(json_array_get(v, i));
			int rc = set_cols_from_strings(sc, t, names, cnt);
			free(names);
			if (rc < 0)
				return rc;
		} else if (!t->location && sc->opts && sc->opts->columns) {
			const char **names = NULL;
			size_t cnt = 0;
			int rc = sc->opts->columns(t->name, &names, &cnt, sc->opts->columns_payload);
			if (rc < 0 && rc != LINEAGE_ENOTFOUND) {
				sc->cb_error = rc;
				return rc;
			}
			if (rc == 0 && (names || cnt == 0)) {
				rc = set_cols_from_strings(sc, t, names, names ? cnt : 0);
				if (rc < 0)
					return rc;
			}
		}
	}
	if (t->cols_state != 1)
		return 0;
	*cols = t->cols;
	*n = t->ncols;
	return 1;
}

int lin_sql_table_set_columns(sql_script *sc, uint32_t tid, const uint32_t *cols, uint32_t n)
{
	sql_table *t = &sc->tables[tid];
	uint32_t *copy = n ? malloc(n * sizeof *copy) : NULL;
	if (n && !copy)
		return lin_error_oom();
	if (n)
		memcpy(copy, cols, n * sizeof *copy);
	free(t->cols);
	t->cols = copy;
	t->ncols = n;
	t->cols_state = 1;
	return 0;
}

int lin_sql_diag(sql_script *sc, size_t stmt, uint32_t line, uint32_t col, int severity,
		 const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	if (sc->ndiags >= 100000) /* bound memory on pathological input */
		return 0;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (grow((void **)&sc->diags, &sc->cdiags, sc->ndiags + 1, sizeof *sc->diags) < 0)
		return LINEAGE_ENOMEM;
	sql_diag *d = &sc->diags[sc->ndiags];
	d->reason = lin_strdup(buf);
	if (!d->reason)
		return LINEAGE_ENOMEM;
	d->line = line;
	d->col = col;
	d->stmt = stmt;
	d->severity = severity;
	sc->ndiags++;
	return 0;
}

int lin_sql_add_edge(sql_script *sc, const sql_edge *e)
{
	if (grow((void **)&sc->edges, &sc->cedges, sc->nedges + 1, sizeof *sc->edges) < 0)
		return LINEAGE_ENOMEM;
	sc->edges[sc->nedges++] = *e;
	return 0;
}
