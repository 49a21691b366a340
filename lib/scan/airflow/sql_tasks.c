/*
 * The SQL of SQL operators: which argument holds it, which dialect it is written in, the
 * template file it may name, its Jinja, and the lineage lineage_sql_analyze() finds in it,
 * stored as table-to-table edges with the task as their job.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "lineage/scan.h"
#include "af_internal.h"

#define TABLE_CONFIDENCE 0.8
#define COLUMN_CONFIDENCE 0.7
#define MAX_TRANSFORMATION 4000
#define MAX_SQL_FILE (16u << 20)

/* Operator name prefixes and the dialect they speak. Generic operators
 * (SQLExecuteQueryOperator, JdbcOperator...) are not here: the scan's dialect applies. */
static const struct { const char *prefix, *dialect; } dialects[] = {
	{"Snowflake", "snowflake"}, {"BigQuery", "bigquery"},   {"Postgres", "postgres"},
	{"Redshift", "redshift"},   {"MySql", "mysql"},         {"MySQL", "mysql"},
	{"MsSql", "tsql"},          {"MSSQL", "tsql"},          {"Oracle", "oracle"},
	{"Trino", "trino"},         {"Presto", "trino"},        {"Databricks", "databricks"},
	{"SparkSql", "sparksql"},   {"SparkSQL", "sparksql"},   {"Hive", "hive"},
	{"Athena", "athena"},       {"Sqlite", "sqlite"},       {"Teradata", "teradata"},
	{"ClickHouse", "clickhouse"}, {"DuckDB", "duckdb"},
};

const char *lin_af_operator_dialect(const char *op, int *is_sql)
{
	*is_sql = 0;
	if (!op)
		return NULL;
	*is_sql = strstr(op, "Sql") || strstr(op, "SQL") || !strcmp(op, "HiveOperator") ||
		  !strcmp(op, "AthenaOperator") || !strncmp(op, "BigQuery", 8) ||
		  !strcmp(op, "SnowflakeOperator") || !strcmp(op, "PostgresOperator") ||
		  !strcmp(op, "OracleOperator") || !strcmp(op, "TrinoOperator");
	for (size_t i = 0; i < sizeof dialects / sizeof dialects[0]; i++)
		if (!strncmp(op, dialects[i].prefix, strlen(dialects[i].prefix)))
			return dialects[i].dialect;
	return NULL;
}

const char *lin_af_operator_sql_arg(const char *op)
{
	if (!op)
		return NULL;
	if (lin_af_transfer_sql_arg(op))
		return lin_af_transfer_sql_arg(op);
	if (!strncmp(op, "Hive", 4) && !strstr(op, "To"))
		return "hql";
	if (!strcmp(op, "AthenaOperator"))
		return "query";
	return "sql";
}

static int is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* `params.name`, `params['name']` or `params["name"]` resolved from a dict of strings. */
static const char *param_value(const char *expr, size_t len, const af_value *params)
{
	char name[128];
	size_t i = 7, n = 0;
	if (!params || len < 8 || strncmp(expr, "params", 6))
		return NULL;
	if (expr[6] == '.') {
		while (i < len && is_ident_char(expr[i]) && n < sizeof name - 1)
			name[n++] = expr[i++];
	} else if (expr[6] == '[' && (expr[7] == '\'' || expr[7] == '"')) {
		char q = expr[7];
		for (i = 8; i < len && expr[i] != q && n < sizeof name - 1; i++)
			name[n++] = expr[i];
		i += 2; /* quote and ] */
	} else {
		return NULL;
	}
	if (i != len || !n)
		return NULL;
	name[n] = '\0';
	{
		af_value *v = lin_af_dict_get(params, name);
		return v && v->kind == AF_V_STR && !v->dynamic ? v->text : NULL;
	}
}

/* ---- template files ---- */

static char *read_small_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf = NULL;
	if (!f)
		return NULL;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
	    (uint64_t)st.st_size <= MAX_SQL_FILE && (buf = malloc((size_t)st.st_size + 1)) != NULL) {
		*len = fread(buf, 1, (size_t)st.st_size, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

/* Find `name` where Airflow would: the DAG file's folder, then template_searchpath (relative
 * to the DAG file's folder when not absolute). */
static char *find_template(const char *dag_path, const af_dag *dag, const char *name,
			   lin_strbuf *found, size_t *len)
{
	const char *slash = strrchr(dag_path, '/');
	int dirlen = slash ? (int)(slash - dag_path) : 1;
	const char *dir = slash ? dag_path : ".";
	char *text;
	lin_strbuf_reset(found);
	if (name[0] == '/')
		lin_strbuf_puts(found, name);
	else
		lin_strbuf_printf(found, "%.*s/%s", dirlen, dir, name);
	if (found->data && (text = read_small_file(found->data, len)) != NULL)
		return text;
	for (size_t i = 0; i < dag->searchpath.n; i++) {
		const char *sp = dag->searchpath.v[i];
		lin_strbuf_reset(found);
		if (sp[0] == '/')
			lin_strbuf_printf(found, "%s/%s", sp, name);
		else
			lin_strbuf_printf(found, "%.*s/%s/%s", dirlen, dir, sp, name);
		if (found->data && (text = read_small_file(found->data, len)) != NULL)
			return text;
	}
	return NULL;
}

/* {% include 'file.sql' %}: the file's text, rendered too. Includes nest at most
 * MAX_INCLUDE_DEPTH deep and the whole rendering stays under MAX_RENDERED bytes, so an
 * include that repeats itself cannot grow without end. */
#define MAX_INCLUDE_DEPTH 8
#define MAX_RENDERED (64u << 20)

typedef struct render_ctx {
	const af_value *params;
	af_strlist *exprs;
	lin_arena *arena;
	const char *dag_path;  /* for includes; NULL: includes are dropped */
	const af_dag *dag;
	af_strlist *missing;   /* includes not found */
	int too_big;
} render_ctx;

static const char *include_name(const char *tag, size_t len, size_t *n)
{
	size_t i = 0;
	while (i < len && (tag[i] == ' ' || tag[i] == '-'))
		i++;
	if (len - i < 8 || strncmp(tag + i, "include", 7))
		return NULL;
	i += 7;
	while (i < len && tag[i] == ' ')
		i++;
	if (i < len && (tag[i] == '\'' || tag[i] == '"')) {
		char q = tag[i++];
		size_t start = i;
		while (i < len && tag[i] != q)
			i++;
		if (i < len) {
			*n = i - start;
			return tag + start;
		}
	}
	return NULL;
}

static void render(render_ctx *r, lin_strbuf *sb, const char *sql, size_t len, int depth)
{
	for (size_t i = 0; i < len && !r->too_big; i++) {
		if (sb->len > MAX_RENDERED) {
			r->too_big = 1;
			break;
		}
		if (sql[i] == '{' && i + 1 < len && (sql[i + 1] == '{' || sql[i + 1] == '%' || sql[i + 1] == '#')) {
			char close = sql[i + 1] == '{' ? '}' : sql[i + 1];
			size_t j = i + 2;
			while (j + 1 < len && !(sql[j] == close && sql[j + 1] == '}'))
				j++;
			if (j + 1 >= len) { /* not closed: kept as written */
				lin_strbuf_append(sb, sql + i, len - i);
				break;
			}
			if (close == '}') {
				size_t a = i + 2, z = j;
				const char *val;
				while (a < z && (sql[a] == ' ' || sql[a] == '-' || sql[a] == '\n'))
					a++;
				while (z > a && (sql[z - 1] == ' ' || sql[z - 1] == '-' || sql[z - 1] == '\n'))
					z--;
				val = param_value(sql + a, z - a, r->params);
				if (val) {
					lin_strbuf_puts(sb, val);
				} else {
					char *e = lin_arena_strndup(r->arena, sql + a, z - a);
					lin_strbuf_printf(sb, "__jinja_%zu__", r->exprs->n);
					if (e)
						lin_af_strlist_add(r->arena, r->exprs, e);
				}
			} else if (close == '%') {
				size_t n = 0;
				const char *inc = include_name(sql + i + 2, j - i - 2, &n);
				if (inc && r->dag_path && depth < MAX_INCLUDE_DEPTH) {
					char *name = lin_arena_strndup(r->arena, inc, n);
					lin_strbuf found = LIN_STRBUF_INIT;
					size_t flen = 0;
					char *text = name ? find_template(r->dag_path, r->dag, name, &found, &flen) : NULL;
					if (text)
						render(r, sb, text, flen, depth + 1);
					else if (name && r->missing)
						lin_af_strlist_add(r->arena, r->missing, name);
					free(text);
					lin_strbuf_free(&found);
				}
			}
			/* Other {% ... %} tags and {# ... #} comments: dropped, every branch kept. */
			i = j + 1;
			continue;
		}
		lin_strbuf_putc(sb, sql[i]);
	}
}

/* ---- emission ---- */

static int skippable(int rc)
{
	return rc == LINEAGE_EINVALID || rc == LINEAGE_ENOTFOUND || rc == LINEAGE_ECONFLICT;
}

static int has_placeholder(const char *s)
{
	return strstr(s, "__jinja_") || strstr(s, "__dynamic__");
}

/* A name with its placeholders shown as what they stand for: {{ params.schema }}.orders. */
static char *display_name(const char *name, const af_strlist *exprs)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	for (const char *p = name; *p;) {
		size_t k;
		if (!strncmp(p, "__jinja_", 8) && sscanf(p + 8, "%zu", &k) == 1 && exprs && k < exprs->n) {
			const char *end = strstr(p + 8, "__");
			lin_strbuf_printf(&sb, "{{ %s }}", exprs->v[k]);
			p = end ? end + 2 : p + strlen(p);
		} else if (!strncmp(p, "__dynamic__", 11)) {
			lin_strbuf_puts(&sb, "{...}");
			p += 11;
		} else {
			lin_strbuf_putc(&sb, *p++);
		}
	}
	return sb.data ? lin_strbuf_detach(&sb) : NULL;
}

static int emit_asset(af_scan_ctx *c, const char *key, const char *kind, const char *parent)
{
	lineage_asset_spec spec;
	int rc;
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = key;
	spec.kind = kind;
	spec.parent_key = parent;
	spec.create_missing = 1;
	rc = lineage_scan_sink_asset(c->sink, &spec);
	return skippable(rc) ? 0 : rc;
}

typedef struct sql_emit {
	af_scan_ctx *c;
	size_t task;
	const char *task_key, *file, *sql_file;
	const char *transformation;
	int line, col;
	af_strlist *reads_only;
	const af_strlist *exprs; /* the Jinja expressions behind __jinja_N__ */ /* tables only read, for transfer operators */
} sql_emit;

static char *evidence(const sql_emit *s, size_t statement)
{
	af_model *m = s->c->model;
	const af_task *t = &m->tasks[s->task];
	json_t *j = json_pack("{s:s, s:i, s:s, s:s, s:I}", "file", s->c->path, "line", s->line, "dag",
			      m->dags[t->dag].id, "task", t->id, "statement", (json_int_t)statement);
	char *text;
	if (j && s->sql_file)
		json_object_set_new(j, "sql_file", json_string(s->sql_file));
	text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	return text;
}

static int emit_edge(const sql_emit *s, const char *src, const char *dst, const char *kind,
		     const char *job, double confidence, const char *ttype, size_t statement,
		     const char *src_kind, const char *dst_kind)
{
	lineage_edge_spec spec;
	char *ev = evidence(s, statement);
	int rc;
	if (!ev)
		return lin_error_oom();
	lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
	spec.source_key = src;
	spec.target_key = dst;
	spec.kind = kind;
	spec.job_key = job;
	spec.confidence = confidence;
	spec.transformation_type = ttype;
	spec.transformation = s->transformation;
	spec.evidence_json = ev;
	spec.source_kind = src_kind;
	spec.target_kind = dst_kind;
	rc = lineage_scan_sink_edge(s->c->sink, &spec);
	free(ev);
	return skippable(rc) ? 0 : rc;
}

static int in_table_edges(const lineage_sql_result *r, const char *name, int as_source)
{
	for (size_t i = 0; i < lineage_sql_result_table_edge_count(r); i++) {
		const lineage_sql_edge *e = lineage_sql_result_table_edge(r, i);
		if (has_placeholder(e->source) || has_placeholder(e->target))
			continue; /* left out: the other table stands alone */
		if (!strcmp(as_source ? e->source : e->target, name))
			return 1;
	}
	return 0;
}

static int emit_result(sql_emit *s, const lineage_sql_result *r)
{
	int rc = 0;
	const af_task *t = &s->c->model->tasks[s->task];
	for (size_t i = 0; i < lineage_sql_result_table_count(r) && !rc; i++) {
		const lineage_sql_table *tb = lineage_sql_result_table(r, i);
		const char *kind = tb->location ? "file" : "table";
		if (tb->temporary)
			continue;
		if (has_placeholder(tb->name)) {
			char *shown = display_name(tb->name, s->exprs);
			lin_af_diag(s->c->sink, LINEAGE_DIAG_WARNING, s->sql_file ? s->sql_file : s->file,
				    s->sql_file ? (int)tb->line : s->line, s->sql_file ? (int)tb->column : s->col,
				    "task %s: the table name %s is templated (Jinja or f-string) and unknown statically: left out (give it in params= as a string, or a literal name)",
				    t->id, shown ? shown : tb->name);
			free(shown);
			continue;
		}
		if (!tb->roles)
			continue;
		rc = emit_asset(s->c, tb->name, kind, NULL);
		/* A table only read is linked to the task itself; so is every table written, so
		 * that what runs the task (its DAG, what schedules that) reaches what it writes. */
		if (!rc && (tb->roles & LINEAGE_SQL_SOURCE) && !in_table_edges(r, tb->name, 1)) {
			if (s->reads_only) { /* copied: the result is freed before transfers are read */
				char *copy = lin_arena_strndup(s->c->model->arena, tb->name, strlen(tb->name));
				if (!copy || lin_af_strlist_add(s->c->model->arena, s->reads_only, copy))
					return lin_error_oom();
			}
			rc = emit_edge(s, tb->name, s->task_key, NULL, NULL, TABLE_CONFIDENCE, "sql", tb->statement, kind, "task");
		}
		if (!rc && (tb->roles & (LINEAGE_SQL_TARGET | LINEAGE_SQL_INTERMEDIATE)))
			rc = emit_edge(s, s->task_key, tb->name, NULL, NULL, TABLE_CONFIDENCE, "sql", tb->statement, "task", kind);
	}
	for (size_t i = 0; i < lineage_sql_result_table_edge_count(r) && !rc; i++) {
		const lineage_sql_edge *e = lineage_sql_result_table_edge(r, i);
		if (has_placeholder(e->source) || has_placeholder(e->target) || !strcmp(e->source, e->target))
			continue;
		rc = emit_edge(s, e->source, e->target, NULL, s->task_key, TABLE_CONFIDENCE, "sql", e->statement, "table", "table");
	}
	for (size_t i = 0; i < lineage_sql_result_column_edge_count(r) && !rc; i++) {
		const lineage_sql_edge *e = lineage_sql_result_column_edge(r, i);
		int indirect = !strcmp(e->kind, "indirect");
		if (has_placeholder(e->source) || has_placeholder(e->target) || !strcmp(e->source, e->target))
			continue;
		rc = emit_asset(s->c, e->source, "column", e->source_table);
		if (!rc && !indirect)
			rc = emit_asset(s->c, e->target, "column", e->target_table);
		if (!rc)
			rc = emit_edge(s, e->source, e->target, indirect ? "indirect" : NULL, s->task_key,
				       COLUMN_CONFIDENCE, e->kind, e->statement, "column", indirect ? "table" : "column");
	}
	return rc;
}

/* Jinja that Airflow fills at run time (dates, the run, macros): expected, not reported. */
static int runtime_jinja(const char *expr)
{
	static const char *const names[] = {
		"ds", "ds_nodash", "ts", "ts_nodash", "ts_nodash_with_tz", "execution_date",
		"next_ds", "next_ds_nodash", "prev_ds", "prev_ds_nodash", "yesterday_ds",
		"yesterday_ds_nodash", "tomorrow_ds", "tomorrow_ds_nodash", "logical_date",
		"data_interval_start", "data_interval_end", "prev_data_interval_start_success",
		"prev_data_interval_end_success", "prev_start_date_success", "next_execution_date",
		"prev_execution_date", "run_id", "macros", "dag_run", "ti", "task_instance",
		"task_instance_key_str", "dag", "task", "conf", "test_mode", "triggering_dataset_events",
		"triggering_asset_events", "inlets", "outlets", "expanded_ti_count", "map_index_template",
		NULL};
	size_t n = 0;
	while (is_ident_char(expr[n]))
		n++;
	for (int i = 0; names[i]; i++)
		if (strlen(names[i]) == n && !strncmp(expr, names[i], n))
			return 1;
	return 0;
}

/* A note for each Jinja expression that is neither a run-time value nor already reported in
 * a table name: its placeholder may stand for a schema, a column or a filter value. */
static void note_unresolved(af_scan_ctx *c, const af_task *t, const af_sql *q,
			    const af_strlist *exprs, const char *rendered, const lineage_sql_result *r)
{
	for (size_t i = 0; i < exprs->n; i++) {
		char ph[48];
		int in_table = 0;
		if (runtime_jinja(exprs->v[i]))
			continue;
		snprintf(ph, sizeof ph, "__jinja_%zu__", i);
		for (size_t k = 0; k < lineage_sql_result_table_count(r) && !in_table; k++)
			in_table = strstr(lineage_sql_result_table(r, k)->name, ph) != NULL;
		if (in_table || !strstr(rendered, ph))
			continue;
		lin_af_diag(c->sink, LINEAGE_DIAG_NOTE, c->path, q->line, q->col,
			    "task %s: Jinja {{ %s }} is unknown statically: a placeholder stands for it in the SQL",
			    t->id, exprs->v[i]);
	}
}

static lineage_diag_severity severity(lineage_sql_severity s)
{
	return s == LINEAGE_SQL_ERROR ? LINEAGE_DIAG_ERROR : s == LINEAGE_SQL_WARNING ? LINEAGE_DIAG_WARNING : LINEAGE_DIAG_NOTE;
}

static char *truncated(const char *sql, size_t len)
{
	size_t n = len;
	lin_strbuf sb = LIN_STRBUF_INIT;
	while (n > 0 && (sql[n - 1] == ' ' || sql[n - 1] == '\n' || sql[n - 1] == '\t'))
		n--;
	while (len && (*sql == ' ' || *sql == '\n' || *sql == '\t')) {
		sql++;
		n--;
		len--;
	}
	if (n > MAX_TRANSFORMATION) {
		n = MAX_TRANSFORMATION;
		while (n > 0 && ((unsigned char)sql[n] & 0xC0) == 0x80) /* a whole UTF-8 character */
			n--;
		lin_strbuf_append(&sb, sql, n);
		lin_strbuf_puts(&sb, "\n-- (truncated)");
	} else {
		lin_strbuf_append(&sb, sql, n);
	}
	return sb.data ? lin_strbuf_detach(&sb) : NULL;
}

static int analyze_one(af_scan_ctx *c, size_t task, const char *task_key, const af_sql *q,
		       af_strlist *reads_only)
{
	af_model *m = c->model;
	af_task *t = &m->tasks[task];
	const af_dag *dag = &m->dags[t->dag];
	lin_strbuf found = LIN_STRBUF_INIT;
	char *file_text = NULL, *rendered, *tr = NULL;
	const char *sql = q->text;
	size_t len = q->len;
	af_strlist exprs = {0};
	const af_value *params = t->params ? t->params : dag->params;
	lineage_sql_options opts;
	lineage_sql_result *r = NULL;
	sql_emit s;
	int rc = 0;
	memset(&s, 0, sizeof s);
	if (q->from_file) {
		file_text = find_template(c->path, dag, q->text, &found, &len);
		if (!file_text) {
			lin_af_diag(c->sink, LINEAGE_DIAG_WARNING, c->path, q->line, q->col,
				    "task %s: template file %s not found next to the DAG file or on template_searchpath: its SQL is not read (set template_searchpath on the DAG)",
				    t->id, q->text);
			goto done;
		}
		sql = file_text;
		s.sql_file = found.data;
	}
	{
		render_ctx rc_;
		lin_strbuf sb = LIN_STRBUF_INIT;
		af_strlist missing = {0};
		memset(&rc_, 0, sizeof rc_);
		rc_.params = params;
		rc_.exprs = &exprs;
		rc_.arena = m->arena;
		rc_.dag_path = c->path;
		rc_.dag = dag;
		rc_.missing = &missing;
		render(&rc_, &sb, sql, len, 0);
		rendered = lin_arena_strndup(m->arena, sb.data ? sb.data : "", sb.len);
		lin_strbuf_free(&sb);
		if (!rendered) {
			rc = lin_error_oom();
			goto done;
		}
		for (size_t i = 0; i < missing.n; i++)
			lin_af_diag(c->sink, LINEAGE_DIAG_WARNING, c->path, q->line, q->col,
				    "task %s: {%% include '%s' %%} not found next to the DAG file or on template_searchpath: its SQL is not read",
				    t->id, missing.v[i]);
		if (rc_.too_big)
			lin_af_diag(c->sink, LINEAGE_DIAG_ERROR, c->path, q->line, q->col,
				    "task %s: the SQL with its includes is over %u bytes: the rest is not read",
				    t->id, MAX_RENDERED);
	}
	lineage_sql_options_init(&opts, LINEAGE_SQL_OPTIONS_VERSION);
	opts.dialect = t->dialect ? t->dialect : lineage_scan_sink_option(c->sink, "dialect");
	opts.default_database = lineage_scan_sink_option(c->sink, "default_database");
	opts.default_schema = lineage_scan_sink_option(c->sink, "default_schema");
	if (t->operator_name && !strncmp(t->operator_name, "Snowflake", 9)) {
		/* SnowflakeOperator(database=..., schema=...) is the session's USE: the analyzer resolves
		 * unqualified names with it (they are still reported as written). */
		const af_value *db = lin_af_dict_get(t->kwargs, "database");
		const af_value *sch = lin_af_dict_get(t->kwargs, "schema");
		if (db && db->kind == AF_V_STR && !db->dynamic)
			opts.default_database = db->text;
		if (sch && sch->kind == AF_V_STR && !sch->dynamic)
			opts.default_schema = sch->text;
	}
	opts.file = s.sql_file ? s.sql_file : c->path;
	rc = lineage_sql_analyze(&r, rendered, strlen(rendered), &opts);
	if (rc == LINEAGE_EINVALID) {
		lin_af_diag(c->sink, LINEAGE_DIAG_ERROR, c->path, q->line, q->col, "task %s: %s", t->id, lin_error_plain());
		rc = 0;
		goto done;
	}
	if (rc)
		goto done;
	lineage_scan_sink_count(c->sink, lineage_sql_result_statement_count(r));
	for (size_t i = 0; i < lineage_sql_result_diagnostic_count(r); i++) {
		const lineage_sql_diagnostic *d = lineage_sql_result_diagnostic(r, i);
		int line = s.sql_file ? (int)d->line : q->line + (int)d->line - 1;
		lin_af_diag(c->sink, severity(d->severity), s.sql_file ? s.sql_file : c->path, line,
			    s.sql_file ? (int)d->column : 0, "task %s: SQL statement %zu: %s", t->id,
			    d->statement + 1, d->reason);
	}
	tr = truncated(rendered, strlen(rendered));
	s.c = c;
	s.task = task;
	s.task_key = task_key;
	s.file = c->path;
	s.line = q->line;
	s.col = q->col;
	s.exprs = &exprs;
	s.transformation = tr;
	s.reads_only = reads_only;
	rc = emit_result(&s, r);
	if (!rc)
		note_unresolved(c, t, q, &exprs, rendered, r);
done:
	free(tr);
	lineage_sql_result_free(r);
	free(file_text);
	lin_strbuf_free(&found);
	return rc;
}

int lin_af_emit_sql(af_scan_ctx *c, size_t task, const char *task_key, af_strlist *reads_only)
{
	af_task *t = &c->model->tasks[task];
	int rc = 0;
	for (size_t i = 0; i < t->nsql && !rc; i++)
		rc = analyze_one(c, task, task_key, &t->sql[i], reads_only);
	return rc;
}
