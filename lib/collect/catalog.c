/* The catalog a collector read: building it, finding relations, emitting it as assets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect_internal.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"

void lin_cat_init(lin_catalog *cat, lineage_scan_sink *sink, const char *collector,
		  const char *dialect, char quote)
{
	memset(cat, 0, sizeof *cat);
	lin_arena_init(&cat->arena, 0);
	cat->source = sink->source;
	cat->uri = sink->input;
	cat->collector = collector;
	cat->dialect = dialect;
	cat->quote = quote;
	if (sink->collect && sink->collect->schema_count) {
		cat->only = sink->collect->schemas;
		cat->nonly = sink->collect->schema_count;
	}
}

void lin_cat_free(lin_catalog *cat)
{
	for (size_t i = 0; i < cat->nrels; i++) {
		free(cat->rels[i].cols);
		free(cat->rels[i].colnames);
		free(cat->rels[i].keys);
	}
	free(cat->rels);
	free(cat->schemas);
	lin_arena_free(&cat->arena);
}

const char *lin_cat_str(lin_catalog *cat, const char *s)
{
	return s ? lin_arena_strndup(&cat->arena, s, strlen(s)) : NULL;
}

int lin_cat_wants(const lin_catalog *cat, const char *schema)
{
	if (!cat->only)
		return 1;
	for (size_t i = 0; i < cat->nonly; i++)
		if (cat->only[i] && !strcmp(cat->only[i], schema))
			return 1;
	return 0;
}

/* Grow an array of `size`-byte items to hold one more. */
static int grow(void **items, size_t *cap, size_t len, size_t size)
{
	void *p;
	size_t ncap;
	if (len < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	p = realloc(*items, ncap * size);
	if (!p)
		return lin_error_oom();
	*items = p;
	*cap = ncap;
	return 0;
}

int lin_cat_add_schema(lin_catalog *cat, const char *name, const char *comment)
{
	lin_cat_schema *s;
	if (grow((void **)&cat->schemas, &cat->capschemas, cat->nschemas, sizeof *cat->schemas))
		return LINEAGE_ENOMEM;
	s = &cat->schemas[cat->nschemas];
	s->name = lin_cat_str(cat, name);
	s->comment = comment && *comment ? lin_cat_str(cat, comment) : NULL;
	if (!s->name || (comment && *comment && !s->comment))
		return lin_error_oom();
	cat->nschemas++;
	return 0;
}

int lin_cat_add_rel(lin_catalog *cat, const char *schema, const char *name, const char *kind,
		    const char *comment, const char *definition)
{
	lin_cat_rel *r;
	if (cat->nrels >= LIN_CAT_MAX_RELATIONS)
		return lin_error_set(LINEAGE_ELIMIT, "%s has more than %d tables and views: collect some schemas at a time (--schema)",
				     cat->source, LIN_CAT_MAX_RELATIONS);
	if (grow((void **)&cat->rels, &cat->caprels, cat->nrels, sizeof *cat->rels))
		return LINEAGE_ENOMEM;
	r = &cat->rels[cat->nrels];
	memset(r, 0, sizeof *r);
	r->schema = lin_cat_str(cat, schema);
	r->name = lin_cat_str(cat, name);
	r->kind = kind;
	r->comment = comment && *comment ? lin_cat_str(cat, comment) : NULL;
	r->definition = lin_cat_str(cat, definition);
	if (!r->schema || !r->name || (comment && *comment && !r->comment) ||
	    (definition && !r->definition))
		return lin_error_oom();
	cat->nrels++;
	return 0;
}

static int cmp_rels(const void *a, const void *b)
{
	const lin_cat_rel *x = a, *y = b;
	int c = lin_strcasecmp(x->schema, y->schema);
	if (!c)
		c = lin_strcasecmp(x->name, y->name);
	if (!c)
		c = strcmp(x->schema, y->schema);
	return c ? c : strcmp(x->name, y->name);
}

int lin_cat_index(lin_catalog *cat)
{
	lin_strbuf key = LIN_STRBUF_INIT;
	if (cat->nrels)
		qsort(cat->rels, cat->nrels, sizeof *cat->rels, cmp_rels);
	cat->indexed = 1;
	for (size_t i = 0; i < cat->nrels; i++) {
		lin_cat_rel *r = &cat->rels[i];
		lin_strbuf_reset(&key);
		if (lin_strbuf_printf(&key, "%s.%s.%s", cat->source, r->schema, r->name) ||
		    !(r->key = lin_cat_str(cat, key.data))) {
			lin_strbuf_free(&key);
			return lin_error_oom();
		}
	}
	lin_strbuf_free(&key);
	return 0;
}

/* The relation by name: exact when `exact`, else the exact spelling first, then any case. */
static lin_cat_rel *find(lin_catalog *cat, const char *schema, const char *name, int exact)
{
	size_t lo = 0, hi = cat->nrels;
	if (!cat->indexed)
		return NULL;
	while (lo < hi) { /* the first entry not below (schema, name) ignoring case */
		size_t mid = lo + (hi - lo) / 2;
		const lin_cat_rel *r = &cat->rels[mid];
		int c = lin_strcasecmp(r->schema, schema);
		if (!c)
			c = lin_strcasecmp(r->name, name);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < cat->nrels; i++) {
		lin_cat_rel *r = &cat->rels[i];
		if (lin_strcasecmp(r->schema, schema) || lin_strcasecmp(r->name, name))
			break;
		if (!strcmp(r->schema, schema) && !strcmp(r->name, name))
			return r;
	}
	if (exact || lo >= cat->nrels)
		return NULL;
	{
		lin_cat_rel *r = &cat->rels[lo];
		return !lin_strcasecmp(r->schema, schema) && !lin_strcasecmp(r->name, name) ? r : NULL;
	}
}

lin_cat_rel *lin_cat_find(lin_catalog *cat, const char *schema, const char *name)
{
	return find(cat, schema, name, 1);
}

lin_cat_rel *lin_cat_lookup(lin_catalog *cat, const char *schema, const char *name)
{
	return find(cat, schema, name, 0);
}

int lin_cat_add_column(lin_catalog *cat, lin_cat_rel *rel, const char *name, const char *type,
		       const char *comment, int not_null, int position)
{
	lin_cat_column *c;
	if (++cat->ncolumns > LIN_CAT_MAX_COLUMNS)
		return lin_error_set(LINEAGE_ELIMIT, "%s has more than %d columns: collect some schemas at a time (--schema)",
				     cat->source, LIN_CAT_MAX_COLUMNS);
	if (grow((void **)&rel->cols, &rel->capcols, rel->ncols, sizeof *rel->cols))
		return LINEAGE_ENOMEM;
	c = &rel->cols[rel->ncols];
	c->name = lin_cat_str(cat, name);
	c->type = lin_cat_str(cat, type);
	c->comment = comment && *comment ? lin_cat_str(cat, comment) : NULL;
	c->not_null = not_null;
	c->position = position;
	if (!c->name || (type && !c->type) || (comment && *comment && !c->comment))
		return lin_error_oom();
	rel->ncols++;
	return 0;
}

int lin_cat_add_keycol(lin_catalog *cat, lin_cat_rel *rel, const char *constraint, int primary,
		       const char *column, const char *ref_schema, const char *ref_table,
		       const char *ref_column)
{
	lin_cat_keycol *k;
	if (grow((void **)&rel->keys, &rel->capkeys, rel->nkeys, sizeof *rel->keys))
		return LINEAGE_ENOMEM;
	k = &rel->keys[rel->nkeys];
	k->constraint = lin_cat_str(cat, constraint ? constraint : "");
	k->primary = primary;
	k->column = lin_cat_str(cat, column);
	k->ref_schema = lin_cat_str(cat, ref_schema);
	k->ref_table = lin_cat_str(cat, ref_table);
	k->ref_column = lin_cat_str(cat, ref_column);
	if (!k->constraint || !k->column || (ref_schema && !k->ref_schema) ||
	    (ref_table && !k->ref_table) || (ref_column && !k->ref_column))
		return lin_error_oom();
	rel->nkeys++;
	return 0;
}

/* ---- Emitting ---- */

static int emit_asset(lineage_scan_sink *sink, const char *key, const char *kind, const char *name,
		      const char *parent, const char *description, json_t *props)
{
	lineage_asset_spec spec;
	char *text = props ? json_dumps(props, JSON_COMPACT) : NULL;
	int rc;
	json_decref(props);
	if (props && !text)
		return lin_error_oom();
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = key;
	spec.kind = kind;
	spec.name = name;
	spec.parent_key = parent;
	spec.description = description;
	spec.properties_json = text;
	rc = lin_scan_go_on(lineage_scan_sink_asset(sink, &spec));
	free(text);
	return rc;
}

/* "primary_key": [columns] and "foreign_keys": [{"name", "columns", "references",
 * "referenced_columns"}], null when there are none (so that a dropped key goes away). */
static json_t *rel_properties(const lin_catalog *cat, const lin_cat_rel *r)
{
	json_t *props = json_object(), *pk = json_array(), *fks = json_array(), *fk = NULL;
	const char *current = NULL;
	if (!props || !pk || !fks)
		goto oom;
	for (size_t i = 0; i < r->nkeys; i++) {
		const lin_cat_keycol *k = &r->keys[i];
		if (k->primary) {
			json_array_append_new(pk, json_string(k->column));
			continue;
		}
		if (!current || strcmp(current, k->constraint)) {
			char *ref = NULL;
			lin_strbuf sb = LIN_STRBUF_INIT;
			current = k->constraint;
			if (lin_strbuf_printf(&sb, "%s.%s.%s", cat->source, k->ref_schema ? k->ref_schema : "",
					      k->ref_table ? k->ref_table : ""))
				goto oom;
			ref = sb.data;
			fk = json_pack("{s:s, s:[], s:s, s:[]}", "name", k->constraint, "columns",
				       "references", ref, "referenced_columns");
			lin_strbuf_free(&sb);
			if (!fk || json_array_append_new(fks, fk))
				goto oom;
		}
		json_array_append_new(json_object_get(fk, "columns"), json_string(k->column));
		if (k->ref_column)
			json_array_append_new(json_object_get(fk, "referenced_columns"),
					      json_string(k->ref_column));
	}
	json_object_set_new(props, "primary_key", json_array_size(pk) ? pk : json_null());
	json_object_set_new(props, "foreign_keys", json_array_size(fks) ? fks : json_null());
	if (!json_array_size(pk))
		json_decref(pk);
	if (!json_array_size(fks))
		json_decref(fks);
	return props;
oom:
	json_decref(props);
	json_decref(pk);
	json_decref(fks);
	return NULL;
}

static int emit_rel(lineage_scan_sink *sink, lin_catalog *cat, const lin_cat_rel *r)
{
	lin_strbuf parent = LIN_STRBUF_INIT, key = LIN_STRBUF_INIT;
	json_t *props = rel_properties(cat, r);
	int rc;
	if (!props)
		return lin_error_oom();
	if (lin_strbuf_printf(&parent, "%s.%s", cat->source, r->schema)) {
		json_decref(props);
		return LINEAGE_ENOMEM;
	}
	rc = emit_asset(sink, r->key, r->kind, r->name, parent.data, r->comment, props);
	for (size_t i = 0; !rc && i < r->ncols; i++) {
		const lin_cat_column *c = &r->cols[i];
		lin_strbuf_reset(&key);
		if (lin_strbuf_printf(&key, "%s.%s", r->key, c->name)) {
			rc = LINEAGE_ENOMEM;
			break;
		}
		props = json_pack("{s:s?, s:b, s:i}", "type", c->type, "nullable", !c->not_null,
				  "position", c->position);
		if (!props) {
			rc = lin_error_oom();
			break;
		}
		rc = emit_asset(sink, key.data, "column", c->name, r->key, c->comment, props);
	}
	lin_strbuf_free(&parent);
	lin_strbuf_free(&key);
	return rc;
}


int lin_cat_emit(lineage_scan_sink *sink, lin_catalog *cat)
{
	lin_strbuf key = LIN_STRBUF_INIT;
	size_t nviews = 0, done = 0;
	int rc;
	json_t *props = json_pack("{s:s, s:s?, s:s?}", "collector", cat->collector, "uri", cat->uri,
				  "server_version", cat->server);
	if (!props)
		return lin_error_oom();
	for (size_t i = 0; i < cat->nrels; i++) {
		lin_cat_rel *r = &cat->rels[i];
		nviews += r->definition != NULL;
		/* The analyzer's schema provider wants the names as an array. */
		r->colnames = malloc((r->ncols ? r->ncols : 1) * sizeof *r->colnames);
		if (!r->colnames)
			return lin_error_oom();
		for (size_t c = 0; c < r->ncols; c++)
			r->colnames[c] = r->cols[c].name;
	}
	rc = emit_asset(sink, cat->source, "system", cat->source, NULL, NULL, props);
	for (size_t i = 0; !rc && i < cat->nonly; i++) {
		size_t k = 0;
		while (k < cat->nschemas && strcmp(cat->schemas[k].name, cat->only[i]))
			k++;
		if (k == cat->nschemas) {
			char msg[600];
			snprintf(msg, sizeof msg, "no schema \"%.200s\" in %.200s (or the user may not see it): check the name, its case included",
				 cat->only[i], cat->source);
			lineage_scan_sink_diagnostic(sink, LINEAGE_DIAG_WARNING, NULL, 0, 0, msg);
		}
	}
	if (!rc && sink->collect && sink->collect->queries && strcmp(cat->collector, "postgres"))
		lineage_scan_sink_diagnostic(sink, LINEAGE_DIAG_NOTE, NULL, 0, 0,
					     "statements that ran are read from PostgreSQL's pg_stat_statements only: "
					     "this source gives none");
	for (size_t i = 0; !rc && i < cat->nschemas; i++) {
		lin_strbuf_reset(&key);
		if (lin_strbuf_printf(&key, "%s.%s", cat->source, cat->schemas[i].name))
			rc = LINEAGE_ENOMEM;
		else
			rc = emit_asset(sink, key.data, "schema", cat->schemas[i].name, cat->source,
					cat->schemas[i].comment, NULL);
	}
	lin_strbuf_free(&key);
	for (size_t i = 0; !rc && i < cat->nrels; i++) {
		rc = emit_rel(sink, cat, &cat->rels[i]);
		if (!rc)
			rc = lineage_scan_sink_progress(sink, "collect", ++done, cat->nrels + nviews);
	}
	for (size_t i = 0; !rc && i < cat->nrels; i++) {
		const lin_cat_rel *r = &cat->rels[i];
		if (!r->definition)
			continue;
		rc = lin_cat_view_lineage(sink, cat, r);
		if (!rc)
			rc = lineage_scan_sink_progress(sink, "collect", ++done, cat->nrels + nviews);
	}
	return rc;
}

int lin_collect_detect(const char *path, const char *const *prefixes)
{
	for (size_t i = 0; path && prefixes[i]; i++)
		if (!strncmp(path, prefixes[i], strlen(prefixes[i])))
			return 100;
	return 0;
}

int lin_collect_fail(const lin_catalog *cat, const char *what, const char *server_message)
{
	char msg[900];
	size_t n;
	snprintf(msg, sizeof msg, "%s", server_message ? server_message : "");
	lin_mask_secret(msg, cat->password);
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	return lin_error_set(LINEAGE_EIO, "%s (%s): %s: %s", cat->source, cat->uri, what, msg);
}
