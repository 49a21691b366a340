/*
 * The SQL scanner: a SQL script analysed with lineage_sql_analyze() (scan.h), stored as
 * table assets, column assets inside them, and inferred edges with evidence.
 *
 * SELECT * is expanded with the columns the store already knows for a table (a table asset
 * with column children), so a scan after a dbt or OpenLineage scan, or an import, resolves
 * wildcards that the SQL alone cannot.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "lineage/scan.h"
#include "scan_internal.h"

/* Static analysis sees what a statement says, not whether it runs: strong evidence for
 * tables, a little less for columns, where expressions can hide references. */
#define TABLE_CONFIDENCE 0.85
#define COLUMN_CONFIDENCE 0.75

static int has_suffix(const char *path, const char *suffix)
{
	size_t lp = strlen(path), ls = strlen(suffix);
	if (lp < ls)
		return 0;
	for (size_t i = 0; i < ls; i++)
		if (tolower((unsigned char)path[lp - ls + i]) != suffix[i])
			return 0;
	return 1;
}

static int sql_detect(const char *path, const unsigned char *head, size_t len, void *payload)
{
	static const char *const suffixes[] = {".sql", ".hql", ".ddl", ".dml", ".bteq", ".psql"};
	(void)payload;
	if (!head || !path)
		return 0;
	/* Templated SQL (Jinja) belongs to its template engine's scanner (dbt, Airflow), which
	 * knows what the placeholders stand for; --type sql still reads it. */
	for (size_t i = 0; i + 1 < len; i++)
		if (head[i] == '{' && (head[i + 1] == '{' || head[i + 1] == '%'))
			return 0;
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
		if (has_suffix(path, suffixes[i]))
			return 80;
	return 0;
}

static char *evidence(const char *file, size_t statement, unsigned line, unsigned column)
{
	json_t *ev = json_pack("{s:s, s:I, s:i, s:i}", "file", file, "statement", (json_int_t)statement,
			       "line", (int)line, "column", (int)column);
	char *text = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
	json_decref(ev);
	return text;
}

static int emit_tables(lineage_scan_sink *sink, const lineage_sql_result *res)
{
	int rc = 0;
	for (size_t i = 0; i < lineage_sql_result_table_count(res) && !rc; i++) {
		const lineage_sql_table *t = lineage_sql_result_table(res, i);
		lineage_asset_spec spec;
		lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
		spec.key = t->name;
		spec.kind = t->location ? "file" : "table";
		spec.properties_json = t->temporary ? "{\"temporary\":true}" : NULL;
		rc = lin_scan_go_on(lineage_scan_sink_asset(sink, &spec));
	}
	/* the procedures whose bodies hold statements: the jobs of their edges */
	const char *last = NULL;
	for (size_t i = 0; i < lineage_sql_result_table_edge_count(res) && !rc; i++) {
		const char *job = lineage_sql_result_table_edge(res, i)->routine;
		if (!job || (last && !strcmp(job, last)))
			continue;
		lineage_asset_spec spec;
		lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
		spec.key = job;
		spec.kind = "job";
		rc = lin_scan_go_on(lineage_scan_sink_asset(sink, &spec));
		last = job;
	}
	return rc;
}

static int emit_edge(lineage_scan_sink *sink, const lineage_sql_edge *e, const char *file, int column_level)
{
	lineage_edge_spec spec;
	char *ev = evidence(file, e->statement, e->line, e->column);
	int indirect = !strcmp(e->kind, "indirect");
	int rc;
	if (!ev)
		return lin_error_oom();
	lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
	spec.source_key = e->source;
	spec.target_key = e->target;
	spec.kind = indirect ? "indirect" : NULL;
	spec.confidence = column_level ? COLUMN_CONFIDENCE : TABLE_CONFIDENCE;
	spec.transformation_type = column_level ? e->kind : "sql";
	spec.evidence_json = ev;
	spec.job_key = e->routine; /* a stored procedure moves the data */
	spec.source_kind = column_level ? "column" : "table";
	spec.target_kind = column_level && !indirect ? "column" : "table";
	/* INSERT INTO t SELECT ... FROM t rewrites t from itself. */
	if (!strcmp(e->source, e->target))
		spec.kind = "update";
	rc = lineage_scan_sink_edge(sink, &spec);
	free(ev);
	return lin_scan_go_on(rc);
}

static lineage_diag_severity severity_of(lineage_sql_severity s)
{
	return s == LINEAGE_SQL_ERROR ? LINEAGE_DIAG_ERROR
	       : s == LINEAGE_SQL_WARNING ? LINEAGE_DIAG_WARNING
					  : LINEAGE_DIAG_NOTE;
}

int lin_sql_scan_text(lineage_scan_sink *sink, const char *file, const char *sql, size_t len,
		      const char *dialect)
{
	lineage_sql_options opts;
	lineage_sql_result *res = NULL;
	lin_column_lookup cl = {sink->db, NULL, NULL};
	int rc;
	lineage_sql_options_init(&opts, LINEAGE_SQL_OPTIONS_VERSION);
	opts.dialect = dialect ? dialect : lineage_scan_sink_option(sink, "dialect");
	opts.default_database = lineage_scan_sink_option(sink, "default_database");
	opts.default_schema = lineage_scan_sink_option(sink, "default_schema");
	opts.schema_json = lineage_scan_sink_option(sink, "schema_json");
	opts.file = file;
	opts.columns = lin_column_lookup_cb;
	opts.columns_payload = &cl;
	rc = lineage_sql_analyze(&res, sql, len, &opts);
	lin_column_lookup_release(&cl);
	if (rc)
		return rc;
	lineage_scan_sink_count(sink, lineage_sql_result_statement_count(res));
	rc = emit_tables(sink, res);
	for (size_t i = 0; !rc && i < lineage_sql_result_table_edge_count(res); i++)
		rc = emit_edge(sink, lineage_sql_result_table_edge(res, i), file, 0);
	for (size_t i = 0; !rc && i < lineage_sql_result_column_edge_count(res); i++) {
		const lineage_sql_edge *e = lineage_sql_result_column_edge(res, i);
		rc = lin_scan_emit_column(sink, e->source, e->source_table);
		if (!rc)
			rc = lin_scan_emit_column(sink, e->target, e->target_table);
		if (!rc)
			rc = emit_edge(sink, e, file, 1);
	}
	for (size_t i = 0; !rc && i < lineage_sql_result_diagnostic_count(res); i++) {
		const lineage_sql_diagnostic *d = lineage_sql_result_diagnostic(res, i);
		char msg[700];
		snprintf(msg, sizeof msg, "statement %zu: %s", d->statement + 1, d->reason);
		lineage_scan_sink_diagnostic(sink, severity_of(d->severity), file, (int)d->line,
					     (int)d->column, msg);
	}
	lineage_sql_result_free(res);
	return rc;
}

int lineage_scan_sql_json(char **out, lineage_db *db, const char *sql, size_t len,
			  const char *file, const lineage_scan_options *opts)
{
	lineage_sql_options o;
	lineage_sql_result *res = NULL;
	lin_column_lookup cl = {db, NULL, NULL};
	int rc;
	if (!out || !sql)
		return lin_error_set(LINEAGE_EINVALID, "out and sql are required");
	*out = NULL;
	lineage_sql_options_init(&o, LINEAGE_SQL_OPTIONS_VERSION);
	if (opts) {
		o.dialect = opts->dialect;
		o.default_database = opts->default_database;
		o.default_schema = opts->default_schema;
		o.schema_json = opts->schema_json;
	}
	o.file = file;
	if (db) {
		o.columns = lin_column_lookup_cb;
		o.columns_payload = &cl;
	}
	rc = lineage_sql_analyze(&res, sql, len, &o);
	lin_column_lookup_release(&cl);
	if (!rc)
		rc = lineage_sql_result_to_json(out, res, 0);
	lineage_sql_result_free(res);
	return rc;
}

static int sql_scan(lineage_scan_sink *sink, const char *path, const unsigned char *data,
		    size_t len, void *payload)
{
	(void)payload;
	if (!data)
		return lin_error_set(LINEAGE_EINVALID, "%s is a folder: give SQL files", path);
	return lin_sql_scan_text(sink, path, (const char *)data, len, NULL);
}

const lineage_scanner lin_scanner_sql = {
	LINEAGE_SCANNER_VERSION, "sql",
	"SQL scripts in many dialects (.sql, .hql, ...): table and column lineage",
	sql_detect, sql_scan, NULL};
