/*
 * Transfer operators, whose tables and files are given as arguments: a small table of
 * operator -> (source, target) templates over their keyword arguments (docs/scanners.md).
 * "{name}" stands for the argument's string (a list gives one name per item); SQL stands for
 * the tables the operator's SQL reads.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "af_internal.h"

#define TRANSFER_CONFIDENCE 0.85
#define SQL "SQL"

typedef struct transfer {
	const char *op;
	const char *src[2], *src_kind; /* alternatives: the first that resolves */
	const char *dst[2], *dst_kind;
} transfer;

static const transfer transfers[] = {
	{"S3ToRedshiftOperator", {"s3://{s3_bucket}/{s3_key}", NULL}, "file", {"{schema}.{table}", "{table}"}, "table"},
	{"RedshiftToS3Operator", {"{schema}.{table}", SQL}, "table", {"s3://{s3_bucket}/{s3_key}", NULL}, "file"},
	{"GCSToBigQueryOperator", {"gs://{bucket}/{source_objects}", NULL}, "file", {"{destination_project_dataset_table}", NULL}, "table"},
	{"GoogleCloudStorageToBigQueryOperator", {"gs://{bucket}/{source_objects}", NULL}, "file", {"{destination_project_dataset_table}", NULL}, "table"},
	{"BigQueryToGCSOperator", {"{source_project_dataset_table}", NULL}, "table", {"{destination_cloud_storage_uris}", NULL}, "file"},
	{"BigQueryToBigQueryOperator", {"{source_project_dataset_tables}", NULL}, "table", {"{destination_project_dataset_table}", NULL}, "table"},
	{"PostgresToGCSOperator", {SQL, NULL}, "table", {"gs://{bucket}/{filename}", NULL}, "file"},
	{"MySQLToGCSOperator", {SQL, NULL}, "table", {"gs://{bucket}/{filename}", NULL}, "file"},
	{"MSSQLToGCSOperator", {SQL, NULL}, "table", {"gs://{bucket}/{filename}", NULL}, "file"},
	{"OracleToGCSOperator", {SQL, NULL}, "table", {"gs://{bucket}/{filename}", NULL}, "file"},
	{"TrinoToGCSOperator", {SQL, NULL}, "table", {"gs://{bucket}/{filename}", NULL}, "file"},
	{"PrestoToGCSOperator", {SQL, NULL}, "table", {"gs://{bucket}/{filename}", NULL}, "file"},
	{"SqlToS3Operator", {SQL, NULL}, "table", {"s3://{s3_bucket}/{s3_key}", NULL}, "file"},
	{"MySqlToHiveOperator", {SQL, NULL}, "table", {"{hive_table}", NULL}, "table"},
	{"CopyFromExternalStageToSnowflakeOperator", {"@{stage}", NULL}, "file", {"{schema}.{table}", "{table}"}, "table"},
	{"GCSToGCSOperator", {"gs://{source_bucket}/{source_object}", "gs://{source_bucket}/{source_objects}"}, "file",
	 {"gs://{destination_bucket}/{destination_object}", "gs://{destination_bucket}"}, "file"},
	{"S3CopyObjectOperator", {"s3://{source_bucket_name}/{source_bucket_key}", NULL}, "file",
	 {"s3://{dest_bucket_name}/{dest_bucket_key}", NULL}, "file"},
	{"S3ToGCSOperator", {"s3://{bucket}/{prefix}", NULL}, "file", {"{dest_gcs}", NULL}, "file"},
	{"GCSToS3Operator", {"gs://{bucket}/{prefix}", NULL}, "file", {"{dest_s3_key}", NULL}, "file"},
};

const char *lin_af_transfer_sql_arg(const char *op)
{
	if (!strcmp(op, "RedshiftToS3Operator"))
		return "select_query";
	if (!strcmp(op, "SqlToS3Operator"))
		return "query";
	return NULL;
}

/* A URI written whole in an argument ("s3://b/k" as s3_key) wins over the template's. */
static const char *tidy(const char *s, int table)
{
	const char *last = NULL;
	for (const char *p = strstr(s, "://"); p; p = strstr(p + 3, "://"))
		last = p;
	if (last && last != strstr(s, "://")) {
		while (last > s && last[-1] != '/')
			last--;
		return last;
	}
	(void)table;
	return s;
}

/* Expand one template into `out`; returns 0, or 1 naming the argument that is missing. */
static int expand(lin_arena *a, const char *tpl, const af_value *kw, int table, af_strlist *out,
		  char *missing, size_t missing_size)
{
	lin_strbuf pre = LIN_STRBUF_INIT;
	const char *open = strchr(tpl, '{'), *close;
	char name[64];
	af_value *v;
	int rc = 0;
	if (!open) {
		return lin_af_strlist_add(a, out, tpl) ? -1 : 0;
	}
	close = strchr(open, '}');
	snprintf(name, sizeof name, "%.*s", (int)(close - open - 1), open + 1);
	v = lin_af_dict_get(kw, name);
	if (!v || !(v->kind == AF_V_STR || v->kind == AF_V_LIST) || (v->kind == AF_V_STR && v->dynamic)) {
		snprintf(missing, missing_size, "%s", name);
		return 1;
	}
	for (size_t i = 0; i < (v->kind == AF_V_LIST ? v->n : 1) && !rc; i++) {
		const af_value *item = v->kind == AF_V_LIST ? v->items[i] : v;
		char *s;
		if (item->kind != AF_V_STR || item->dynamic) {
			snprintf(missing, missing_size, "%s", name);
			rc = 1;
			break;
		}
		lin_strbuf_reset(&pre);
		lin_strbuf_printf(&pre, "%.*s%s%s", (int)(open - tpl), tpl, item->text, close + 1);
		if (!pre.data) {
			rc = -1;
			break;
		}
		if (strchr(close + 1, '{')) { /* one more placeholder */
			af_strlist tmp = {0};
			rc = expand(a, pre.data, kw, table, &tmp, missing, missing_size);
			for (size_t k = 0; !rc && k < tmp.n; k++)
				rc = lin_af_strlist_add(a, out, tmp.v[k]) ? -1 : 0;
			continue;
		}
		if (table)
			for (char *c = pre.data; *c; c++)
				if (*c == ':')
					*c = '.'; /* project:dataset.table */
		s = lin_arena_strndup(a, tidy(pre.data, table), strlen(tidy(pre.data, table)));
		if (!s || lin_af_strlist_add(a, out, s))
			rc = -1;
	}
	lin_strbuf_free(&pre);
	return rc;
}

static int side(af_scan_ctx *c, const af_task *t, const char *const tpl[2], const char *kind,
		const af_strlist *sql_sources, af_strlist *out, const char *what)
{
	char missing[64] = "";
	for (int i = 0; i < 2 && tpl[i]; i++) {
		int rc;
		if (!strcmp(tpl[i], SQL)) {
			for (size_t k = 0; sql_sources && k < sql_sources->n; k++)
				if (lin_af_strlist_add(c->model->arena, out, sql_sources->v[k]))
					return LINEAGE_ENOMEM;
			if (out->n)
				return 0;
			continue;
		}
		out->n = 0;
		rc = expand(c->model->arena, tpl[i], t->kwargs, !strcmp(kind, "table"), out, missing, sizeof missing);
		if (rc < 0)
			return LINEAGE_ENOMEM;
		if (rc == 0)
			return 0;
	}
	out->n = 0;
	lin_af_diag(c->sink, LINEAGE_DIAG_WARNING, c->path, t->line, t->col,
		    "task %s (%s): %s%s is not a string literal: the transfer's %s is left out", t->id,
		    t->operator_name, missing[0] ? missing : "its SQL", missing[0] ? "=" : "", what);
	return 0;
}

static int transfer_edge(af_scan_ctx *c, const af_task *t, const char *from, const char *to,
			 const char *job, const char *from_kind, const char *to_kind)
{
	lineage_edge_spec spec;
	json_t *ev = json_pack("{s:s, s:i, s:s, s:s, s:s}", "file", c->path, "line", t->line, "dag",
			       c->model->dags[t->dag].id, "task", t->id, "operator", t->operator_name);
	char *evs = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
	int rc;
	json_decref(ev);
	if (!evs)
		return lin_error_oom();
	lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
	spec.source_key = from;
	spec.target_key = to;
	spec.job_key = job;
	spec.confidence = TRANSFER_CONFIDENCE;
	spec.transformation_type = "transfer";
	spec.evidence_json = evs;
	spec.source_kind = from_kind;
	spec.target_kind = to_kind;
	rc = lineage_scan_sink_edge(c->sink, &spec);
	free(evs);
	return rc == LINEAGE_EINVALID || rc == LINEAGE_ENOTFOUND || rc == LINEAGE_ECONFLICT ? 0 : rc;
}

int lin_af_emit_transfer(af_scan_ctx *c, size_t task, const char *task_key,
			 const af_strlist *sql_sources)
{
	af_model *m = c->model;
	const af_task *t = &m->tasks[task];
	const transfer *tr = NULL;
	af_strlist src = {0}, dst = {0};
	int rc;
	for (size_t i = 0; i < sizeof transfers / sizeof transfers[0]; i++)
		if (t->operator_name && !strcmp(t->operator_name, transfers[i].op))
			tr = &transfers[i];
	if (!tr)
		return 0;
	rc = side(c, t, tr->src, tr->src_kind, sql_sources, &src, "source");
	if (!rc)
		rc = side(c, t, tr->dst, tr->dst_kind, sql_sources, &dst, "target");
	/* Each source to each target with the task as job; and the task to each target, so
	 * that what runs the task (its DAG, what schedules that) reaches what it writes. */
	for (size_t i = 0; i <= src.n && !rc; i++) {
		for (size_t j = 0; j < dst.n && !rc; j++) {
			const char *from = i < src.n ? src.v[i] : task_key;
			if (!strcmp(from, dst.v[j]))
				continue;
			rc = transfer_edge(c, t, from, dst.v[j], i < src.n ? task_key : NULL,
					   i < src.n ? tr->src_kind : "task", tr->dst_kind);
		}
	}
	return rc;
}
