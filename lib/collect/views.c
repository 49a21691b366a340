/*
 * Lineage from SQL the database holds or ran: a view's definition, or a statement from
 * pg_stat_statements, analysed in the source's dialect with every catalog table's columns
 * known, and its names mapped back to the catalog's keys. A name that is not a relation of
 * the source (a function, a system catalog, another database) is left out with a warning.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect_internal.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "lineage/scan.h"

/* What the database runs is strong evidence; the analysis of it, a little less. */
#define VIEW_TABLE_CONFIDENCE 0.95
#define VIEW_COLUMN_CONFIDENCE 0.9
#define MAX_TRANSFORMATION 4000

typedef struct analysis {
	lin_catalog *cat;
	const char *local_schema; /* for one-part names */
	lin_strbuf unknown;       /* names already reported, "\n"-separated */
	lineage_scan_sink *sink;
	const char *what;         /* the view's or the job's key, for diagnostics */
	int quiet;                /* statements that ran: unknown names are temporary tables,
				     other databases... not worth a warning each */
} analysis;

/* A relation from a name as the analyzer reports it ("s.t", "t", "db.s.t"). */
static lin_cat_rel *resolve(analysis *an, const char *name)
{
	const char *dot = strrchr(name, '.');
	char schema[1024];
	if (!dot) {
		return an->local_schema ? lin_cat_lookup(an->cat, an->local_schema, name) : NULL;
	} else {
		const char *start = dot;
		while (start > name && start[-1] != '.')
			start--;
		if ((size_t)(dot - start) >= sizeof schema)
			return NULL;
		memcpy(schema, start, (size_t)(dot - start));
		schema[dot - start] = '\0';
		return lin_cat_lookup(an->cat, schema, dot + 1);
	}
}

static int columns_cb(const char *table, const char ***out, size_t *n, void *payload)
{
	lin_cat_rel *r = resolve(payload, table);
	if (!r || !r->ncols)
		return LINEAGE_ENOTFOUND;
	*out = r->colnames;
	*n = r->ncols;
	return 0;
}

/* Whether `s` starts with `prefix`, ignoring ASCII case. */
static int starts_with_nocase(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (tolower((unsigned char)*s) != tolower((unsigned char)*prefix))
			return 0;
	return 1;
}

static const lin_cat_column *find_column(const lin_cat_rel *r, const char *name)
{
	for (size_t i = 0; i < r->ncols; i++)
		if (!strcmp(r->cols[i].name, name))
			return &r->cols[i];
	for (size_t i = 0; i < r->ncols; i++)
		if (!lin_strcasecmp(r->cols[i].name, name))
			return &r->cols[i];
	return NULL;
}

/* A database's own catalog (PostgreSQL writes its names unqualified in a definition read
 * with an empty search_path): no data of the source flows from it. */
static int system_name(const analysis *an, const char *name)
{
	static const char *const schemas[] = {"pg_catalog.", "information_schema.", "mysql.",
					      "performance_schema.", "sys.", NULL};
	if (!strchr(name, '.'))
		return !an->local_schema;
	for (size_t i = 0; schemas[i]; i++)
		if (starts_with_nocase(name, schemas[i]))
			return 1;
	return 0;
}

/* Warn once per name that it is not one of the source's relations. */
static void unknown(analysis *an, const char *name)
{
	char msg[1400];
	lin_strbuf *seen = &an->unknown;
	size_t len = strlen(name);
	for (const char *p = seen->data; p && *p;) {
		const char *nl = strchr(p, '\n');
		if ((size_t)(nl - p) == len && !memcmp(p, name, len))
			return;
		p = nl + 1;
	}
	if (an->quiet || lin_strbuf_puts(seen, name) || lin_strbuf_putc(seen, '\n'))
		return;
	if (system_name(an, name)) {
		snprintf(msg, sizeof msg, "reads %.300s, a system catalog: no lineage from it", name);
		lineage_scan_sink_diagnostic(an->sink, LINEAGE_DIAG_NOTE, an->what, 0, 0, msg);
		return;
	}
	snprintf(msg, sizeof msg, "reads %.300s, which is not a table or view of %.200s%s: "
		 "its lineage from it is left out", name, an->cat->source,
		 an->cat->only ? " (or of the schemas collected)" : "");
	lineage_scan_sink_diagnostic(an->sink, LINEAGE_DIAG_WARNING, an->what, 0, 0, msg);
}

/* The key of an analyzer's column ("s.t.c" in table "s.t"), or NULL (with a warning). */
static int column_key(analysis *an, lin_strbuf *out, const char *column, const char *table)
{
	size_t tl = strlen(table);
	const lin_cat_rel *r;
	const lin_cat_column *c;
	if (strncmp(column, table, tl) || column[tl] != '.')
		return 1;
	if (!(r = resolve(an, table))) {
		unknown(an, table);
		return 1;
	}
	/* "t.*" (columns unknown) and names the catalog lacks (a field of a composite value,
	 * a misread expression) have no asset: leave them out. */
	if (!(c = find_column(r, column + tl + 1)))
		return 1;
	lin_strbuf_reset(out);
	return lin_strbuf_printf(out, "%s.%s", r->key, c->name);
}

typedef struct edge_ctx {
	const char *job_key;
	const char *transformation_type; /* table edges */
	const char *transformation;      /* table edges */
	const char *properties;
	const char *evidence;
	double table_confidence, column_confidence;
} edge_ctx;

static int emit(lineage_scan_sink *sink, const edge_ctx *ctx, const char *src, const char *dst,
		const lineage_sql_edge *e, int column_level)
{
	lineage_edge_spec spec;
	int indirect = column_level && !strcmp(e->kind, "indirect");
	lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
	spec.source_key = src;
	spec.target_key = dst;
	spec.kind = indirect ? "indirect" : NULL;
	spec.job_key = ctx->job_key;
	spec.confidence = column_level ? ctx->column_confidence : ctx->table_confidence;
	spec.transformation_type = column_level ? e->kind : ctx->transformation_type;
	spec.transformation = column_level ? NULL : ctx->transformation;
	spec.properties_json = ctx->properties;
	spec.evidence_json = ctx->evidence;
	if (!strcmp(src, dst))
		spec.kind = "update"; /* a statement that rewrites a table from itself */
	return lin_scan_go_on(lineage_scan_sink_edge(sink, &spec));
}

/* Map and emit every edge of a result. `count` (optional) gets the edges emitted. */
static int emit_result(analysis *an, const lineage_sql_result *res, const edge_ctx *ctx,
		       size_t *count)
{
	lin_strbuf src = LIN_STRBUF_INIT, dst = LIN_STRBUF_INIT;
	int rc = 0;
	for (size_t i = 0; !rc && i < lineage_sql_result_table_edge_count(res); i++) {
		const lineage_sql_edge *e = lineage_sql_result_table_edge(res, i);
		const lin_cat_rel *s = resolve(an, e->source), *t = resolve(an, e->target);
		if (!s || !t) {
			unknown(an, s ? e->target : e->source);
			continue;
		}
		if (count) {
			(*count)++;
			continue;
		}
		rc = emit(an->sink, ctx, s->key, t->key, e, 0);
	}
	for (size_t i = 0; !rc && i < lineage_sql_result_column_edge_count(res); i++) {
		const lineage_sql_edge *e = lineage_sql_result_column_edge(res, i);
		int indirect = !strcmp(e->kind, "indirect");
		const lin_cat_rel *t;
		if ((rc = column_key(an, &src, e->source, e->source_table)) != 0) {
			rc = rc > 0 ? 0 : rc;
			continue;
		}
		if (indirect) {
			if (!(t = resolve(an, e->target)))
				continue;
			lin_strbuf_reset(&dst);
			rc = lin_strbuf_puts(&dst, t->key);
		} else if ((rc = column_key(an, &dst, e->target, e->target_table)) != 0) {
			rc = rc > 0 ? 0 : rc;
			continue;
		}
		if (!rc && count)
			(*count)++;
		else if (!rc)
			rc = emit(an->sink, ctx, src.data, dst.data, e, 1);
	}
	lin_strbuf_free(&src);
	lin_strbuf_free(&dst);
	return rc;
}

/* The analyzer's own diagnostics, named after the view or statement. */
static void forward_diagnostics(analysis *an, const lineage_sql_result *res)
{
	for (size_t i = 0; i < lineage_sql_result_diagnostic_count(res); i++) {
		const lineage_sql_diagnostic *d = lineage_sql_result_diagnostic(res, i);
		char msg[1200];
		lineage_diag_severity sev = d->severity == LINEAGE_SQL_ERROR     ? LINEAGE_DIAG_ERROR
					    : d->severity == LINEAGE_SQL_WARNING ? LINEAGE_DIAG_WARNING
										 : LINEAGE_DIAG_NOTE;
		snprintf(msg, sizeof msg, "%.800s", d->reason);
		lineage_scan_sink_diagnostic(an->sink, sev, an->what, (int)d->line, (int)d->column, msg);
	}
}

static int analyze(lineage_sql_result **res, analysis *an, const char *sql, size_t len)
{
	lineage_sql_options o;
	lineage_sql_options_init(&o, LINEAGE_SQL_OPTIONS_VERSION);
	o.dialect = an->cat->dialect;
	o.columns = columns_cb;
	o.columns_payload = an;
	o.file = an->what;
	return lineage_sql_analyze(res, sql, len, &o);
}

/* Append an identifier quoted the dialect's way (the quote character doubled inside). */
static int put_ident(lin_strbuf *sb, char quote, const char *name)
{
	int rc = lin_strbuf_putc(sb, quote);
	for (const char *p = name; !rc && *p; p++)
		rc = *p == quote ? lin_strbuf_putc(sb, quote) || lin_strbuf_putc(sb, quote)
				 : lin_strbuf_putc(sb, *p);
	return rc ? rc : lin_strbuf_putc(sb, quote);
}

/* The statement to analyse: the definition, or "CREATE VIEW s.v (cols) AS definition" (one
 * line of prefix, so that the analyzer's line numbers are the definition's). */
static int view_statement(lin_strbuf *sql, const lin_catalog *cat, const lin_cat_rel *v)
{
	int rc = 0;
	if (cat->definition_is_create)
		return lin_strbuf_puts(sql, v->definition);
	rc = lin_strbuf_puts(sql, "CREATE VIEW ");
	rc = rc ? rc : put_ident(sql, cat->quote, v->schema);
	rc = rc ? rc : lin_strbuf_putc(sql, '.');
	rc = rc ? rc : put_ident(sql, cat->quote, v->name);
	if (!rc && v->ncols) {
		rc = lin_strbuf_puts(sql, " (");
		for (size_t i = 0; !rc && i < v->ncols; i++) {
			rc = i ? lin_strbuf_puts(sql, ", ") : 0;
			rc = rc ? rc : put_ident(sql, cat->quote, v->cols[i].name);
		}
		rc = rc ? rc : lin_strbuf_putc(sql, ')');
	}
	return rc ? rc : lin_strbuf_printf(sql, " AS %s", v->definition);
}

static char *cut(const char *text)
{
	size_t n = strlen(text);
	if (n <= MAX_TRANSFORMATION)
		return lin_strdup(text);
	while (n > MAX_TRANSFORMATION - 3 || ((unsigned char)text[n] & 0xC0) == 0x80)
		n--; /* whole UTF-8 characters */
	char *s = malloc(n + 4);
	if (s) {
		memcpy(s, text, n);
		memcpy(s + n, "...", 4);
	}
	return s;
}

int lin_cat_view_lineage(lineage_scan_sink *sink, lin_catalog *cat, const lin_cat_rel *view)
{
	analysis an = {cat, cat->unqualified_is_local ? view->schema : NULL, LIN_STRBUF_INIT, sink,
		       view->key, 0};
	lin_strbuf sql = LIN_STRBUF_INIT;
	lineage_sql_result *res = NULL;
	edge_ctx ctx;
	json_t *ev = json_pack("{s:s, s:s}", "source", cat->source, "view", view->key);
	char *evidence = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
	char *transformation = cut(view->definition);
	int rc = 0;
	json_decref(ev);
	if (!evidence || !transformation) {
		rc = lin_error_oom();
		goto done;
	}
	if (!*view->definition) {
		char msg[600];
		snprintf(msg, sizeof msg, "the database gives no definition for this view: the user "
			 "may not read it (MySQL: grant SHOW VIEW)");
		lineage_scan_sink_diagnostic(sink, LINEAGE_DIAG_ERROR, view->key, 0, 0, msg);
		goto done;
	}
	rc = view_statement(&sql, cat, view);
	if (!rc)
		rc = analyze(&res, &an, sql.data, sql.len);
	if (rc == LINEAGE_EINVALID) { /* the analyzer refused the text: this view only */
		char msg[1200];
		snprintf(msg, sizeof msg, "its definition cannot be analysed: %.800s",
			 lin_error_plain());
		lineage_scan_sink_diagnostic(sink, LINEAGE_DIAG_ERROR, view->key, 0, 0, msg);
		rc = 0;
		goto done;
	}
	if (rc)
		goto done;
	lineage_scan_sink_count(sink, 1);
	memset(&ctx, 0, sizeof ctx);
	ctx.transformation_type = view->kind;
	ctx.transformation = transformation;
	ctx.evidence = evidence;
	ctx.table_confidence = VIEW_TABLE_CONFIDENCE;
	ctx.column_confidence = VIEW_COLUMN_CONFIDENCE;
	forward_diagnostics(&an, res);
	rc = emit_result(&an, res, &ctx, NULL);
done:
	lineage_sql_result_free(res);
	lin_strbuf_free(&sql);
	lin_strbuf_free(&an.unknown);
	free(evidence);
	free(transformation);
	return rc;
}

int lin_cat_query_lineage(lineage_scan_sink *sink, lin_catalog *cat, const char *sql,
			  const char *job_key, const char *job_properties,
			  const char *default_schema)
{
	analysis an = {cat, default_schema, LIN_STRBUF_INIT, sink, job_key, 1};
	lineage_sql_result *res = NULL;
	lineage_asset_spec job;
	edge_ctx ctx;
	size_t found = 0;
	char *transformation = cut(sql);
	json_t *ev = json_pack("{s:s, s:s}", "source", cat->source, "job", job_key);
	char *evidence = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
	int rc;
	json_decref(ev);
	if (!evidence || !transformation) {
		rc = lin_error_oom();
		goto done;
	}
	rc = analyze(&res, &an, sql, strlen(sql));
	if (rc == LINEAGE_EINVALID) {
		lineage_error_clear();
		rc = 0;
		goto done;
	}
	/* A statement that moved nothing between the source's tables gives no job. */
	if (rc || (rc = emit_result(&an, res, NULL, &found)) != 0 || !found)
		goto done;
	lineage_scan_sink_count(sink, 1);
	lineage_asset_spec_init(&job, LINEAGE_ASSET_SPEC_VERSION);
	job.key = job_key;
	job.kind = "job";
	job.name = job_key + strlen(cat->source) + 1;
	job.parent_key = cat->source;
	job.description = transformation;
	job.properties_json = job_properties;
	rc = lin_scan_go_on(lineage_scan_sink_asset(sink, &job));
	if (rc)
		goto done;
	memset(&ctx, 0, sizeof ctx);
	ctx.job_key = job_key;
	ctx.transformation_type = "query";
	ctx.transformation = transformation;
	ctx.properties = job_properties;
	ctx.evidence = evidence;
	ctx.table_confidence = VIEW_TABLE_CONFIDENCE;
	ctx.column_confidence = VIEW_COLUMN_CONFIDENCE;
	rc = emit_result(&an, res, &ctx, NULL);
done:
	lineage_sql_result_free(res);
	lin_strbuf_free(&an.unknown);
	free(evidence);
	free(transformation);
	return rc;
}
