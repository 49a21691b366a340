/*
 * Column-level lineage of a dbt node from its compiled SQL. The SELECT is analysed as the
 * body of "CREATE TABLE <placeholder> AS ...", so that each output column becomes a column of
 * the model; source tables named in the SQL are matched to the manifest's relations by their
 * lower-cased, unquoted names.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "lineage/scan.h"
#include "scan/scan_internal.h"
#include "dbt_internal.h"

#define COLUMN_CONFIDENCE 0.75
#define TARGET "lineage_dbt_model_output"

/* A table name from the SQL as a key: lower-cased, quotes removed. */
static char *sql_table_key(const char *name)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	for (const char *c = name; *c; c++) {
		if (*c == '"' || *c == '`' || *c == '[' || *c == ']')
			continue;
		lin_strbuf_putc(&sb, (char)tolower((unsigned char)*c));
	}
	return lin_strbuf_detach(&sb);
}

/* "table.column" of the SQL as a key inside the dbt relation it names. */
static char *column_key(const char *model_key, const char *table, const char *column_ref)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	const char *col = column_ref + strlen(table);
	char *tkey;
	if (*col == '.')
		col++;
	tkey = strcmp(table, TARGET) ? sql_table_key(table) : lin_strdup(model_key);
	if (!tkey)
		return NULL;
	lin_strbuf_puts(&sb, tkey);
	lin_strbuf_putc(&sb, '.');
	for (const char *c = col; *c; c++)
		if (*c != '"' && *c != '`' && *c != '[' && *c != ']')
			lin_strbuf_putc(&sb, (char)tolower((unsigned char)*c));
	free(tkey);
	return lin_strbuf_detach(&sb);
}

static int emit_edge(lin_dbt_project *p, const char *model_key, const char *job,
		     const lineage_sql_edge *e, const char *evidence)
{
	char *src = column_key(model_key, e->source_table, e->source);
	char *src_table = strcmp(e->source_table, TARGET) ? sql_table_key(e->source_table) : lin_strdup(model_key);
	int indirect = !strcmp(e->kind, "indirect");
	char *dst = indirect ? lin_strdup(model_key) : column_key(model_key, e->target_table, e->target);
	lineage_edge_spec spec;
	int rc = 0;
	if (!src || !dst || !src_table) {
		rc = LINEAGE_ENOMEM;
		goto done;
	}
	if (strchr(src, '*') || (!indirect && strchr(dst, '*')))
		goto done; /* a wildcard the SQL alone cannot expand: the table edge says enough */
	rc = lin_scan_emit_column(p->sink, src, src_table);
	if (!rc && !indirect)
		rc = lin_scan_emit_column(p->sink, dst, model_key);
	if (rc)
		goto done;
	lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
	spec.source_key = src;
	spec.target_key = dst;
	spec.kind = indirect ? "indirect" : NULL;
	spec.job_key = job;
	spec.confidence = COLUMN_CONFIDENCE;
	spec.transformation_type = e->kind;
	spec.evidence_json = evidence;
	spec.source_kind = "column";
	spec.target_kind = indirect ? "table" : "column";
	rc = lin_scan_go_on(lineage_scan_sink_edge(p->sink, &spec));
done:
	free(src);
	free(dst);
	free(src_table);
	return rc;
}

int lin_dbt_column_lineage(lin_dbt_project *p, const char *uid, json_t *node, const char *sql)
{
	const char *model_key = lin_scan_str(p->keys, uid);
	lin_strbuf script = LIN_STRBUF_INIT, job = LIN_STRBUF_INIT;
	lineage_sql_options opts;
	lineage_sql_result *res = NULL;
	char *evidence = NULL;
	lin_column_lookup cl = {p->sink->db, NULL, NULL};
	size_t len;
	int rc;
	if (!model_key)
		return 0;
	len = strlen(sql);
	while (len && (isspace((unsigned char)sql[len - 1]) || sql[len - 1] == ';'))
		len--;
	if (lin_strbuf_puts(&script, "create table " TARGET " as\n") ||
	    lin_strbuf_append(&script, sql, len) ||
	    lin_strbuf_printf(&job, "dbt:%s.%s", p->project, lin_scan_str(node, "name") ? lin_scan_str(node, "name") : uid)) {
		rc = LINEAGE_ENOMEM;
		goto done;
	}
	lineage_sql_options_init(&opts, LINEAGE_SQL_OPTIONS_VERSION);
	opts.dialect = lin_dbt_dialect(p->adapter);
	opts.file = lin_scan_str(node, "original_file_path");
	opts.columns = lin_column_lookup_cb;
	opts.columns_payload = &cl;
	rc = lineage_sql_analyze(&res, script.data, script.len, &opts);
	lin_column_lookup_release(&cl);
	if (rc)
		goto done;
	{
		json_t *ev = json_pack("{s:s, s:s, s:s?}", "file", p->manifest_path, "node", uid,
				       "path", lin_scan_str(node, "original_file_path"));
		evidence = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
		json_decref(ev);
	}
	for (size_t i = 0; !rc && i < lineage_sql_result_column_edge_count(res); i++)
		rc = emit_edge(p, model_key, job.data, lineage_sql_result_column_edge(res, i), evidence);
	for (size_t i = 0; !rc && i < lineage_sql_result_diagnostic_count(res); i++) {
		const lineage_sql_diagnostic *d = lineage_sql_result_diagnostic(res, i);
		char msg[800];
		if (d->severity != LINEAGE_SQL_ERROR)
			continue;
		snprintf(msg, sizeof msg, "%s: compiled SQL not understood, no column lineage: %s", uid, d->reason);
		lineage_scan_sink_diagnostic(p->sink, LINEAGE_DIAG_WARNING, p->manifest_path, 0, 0, msg);
	}
done:
	free(evidence);
	lineage_sql_result_free(res);
	lin_strbuf_free(&script);
	lin_strbuf_free(&job);
	return rc;
}
