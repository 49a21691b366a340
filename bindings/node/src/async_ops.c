/*
 * liblineage for Node.js: the operations that run on a worker thread and return promises.
 * Each one reads and checks its arguments on the main thread (so bad arguments still throw
 * synchronously), copies what the worker needs into its own struct, and lets jobs.c run it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addon.h"

/* ---- traversals ------------------------------------------------------------------- */


/* Queue an operation on a worker: a job owning `args` once this returns 0 (else the caller
 * keeps them and an exception is pending). `build` may be NULL. */
static int queue_job(napi_env env, napi_value self, napi_value opts, const char *name,
		     int (*execute)(job *), int (*build)(napi_env, job *, napi_value *),
		     void (*release)(job *), void *args, napi_value *promise)
{
	job *j = job_new(env, self, opts, name, promise);
	if (!j)
		return -1;
	j->execute = execute;
	j->build = build;
	j->release = release;
	j->args = args;
	job_submit(env, j);
	return 0;
}

typedef struct traverse_args {
	arg_pool pool;             /* owns the key and the option strings */
	char *key;
	lineage_direction direction;
	lineage_query_options q;
	int format;
	int via_json;
	lineage_result *result;    /* plain format: kept for the main thread to build */
} traverse_args;

static int traverse_execute(job *j)
{
	traverse_args *a = j->args;
	lineage_result *res = NULL;
	int rc = lineage_query_traverse(&res, j->g->db, a->key, a->direction, &a->q);
	if (!rc && a->format == LINEAGE_JSON_PLAIN && !a->via_json) {
		/* No longer tied to the handle: safe to read without the lock. Reading a node
		 * finishes what the engine left for the first read (edges, confidences) here, on
		 * the worker, rather than on the main thread. */
		if (lineage_result_node_count(res) && !lineage_result_node(res, 0)) {
			rc = job_fail(j, lineage_error_last()->code);
			lineage_result_free(res);
			return rc;
		}
		a->result = res;
		return 0;
	}
	if (!rc)
		rc = lineage_result_to_json(&j->json, res, (lineage_json_format)a->format);
	lineage_result_free(res);
	return rc ? job_fail(j, rc) : 0;
}

static int traverse_build(napi_env env, job *j, napi_value *out)
{
	traverse_args *a = j->args;
	if (!a->result)
		return addon_json_parse(env, j->json ? j->json : "null", out);
	return result_traversal_to_js(env, a->result, a->direction, out);
}

static void traverse_release(job *j)
{
	traverse_args *a = j->args;
	if (!a)
		return;
	lineage_result_free(a->result);
	arg_pool_free(&a->pool);
	free(a);
}

static const char *const traverse_async_option_names[] = {QUERY_OPTION_NAMES, "cancelToken",
							  NULL};

static napi_value traverse_async(napi_env env, napi_callback_info info,
				 lineage_direction direction)
{
	size_t argc = 2;
	napi_value argv[2], self, promise = NULL;
	traverse_args *a = calloc(1, sizeof *a);
	int present = 0;

	if (!a) {
		napi_throw_error(env, "ENOMEM", "out of memory");
		return NULL;
	}
	CHECK(napi_get_cb_info(env, info, &argc, argv, &self, NULL));
	if (!graph_unwrap(env, self, 0))
		goto done;
	if (arg_string(env, &a->pool, argv[0], "key", &a->key) ||
	    arg_options(env, argv[1], "options", traverse_async_option_names, &present) ||
	    arg_query_options(env, &a->pool, present ? argv[1] : NULL, &a->q, &a->format))
		goto done;
	a->direction = direction;
	a->via_json = addon_get(env)->via_json;
	if (queue_job(env, self, present ? argv[1] : NULL,
		      direction == LINEAGE_UPSTREAM ? "lineage.upstreamAsync"
						    : "lineage.downstreamAsync",
		      traverse_execute, traverse_build, traverse_release, a, &promise) == 0)
		a = NULL;
done:
	if (a) {
		arg_pool_free(&a->pool);
		free(a);
	}
	return promise;
}

napi_value graph_downstream_async(napi_env env, napi_callback_info info)
{
	return traverse_async(env, info, LINEAGE_DOWNSTREAM);
}

napi_value graph_upstream_async(napi_env env, napi_callback_info info)
{
	return traverse_async(env, info, LINEAGE_UPSTREAM);
}

/* ---- backup ----------------------------------------------------------------------- */

typedef struct backup_args {
	arg_pool pool;
	char *dest;
} backup_args;

static int backup_execute(job *j)
{
	backup_args *a = j->args;
	int rc = lineage_db_backup(j->g->db, a->dest, job_progress_cb, j);
	if (rc)
		return job_fail(j, rc);
	/* Resolve with {path}: something to show and to chain on. */
	{
		size_t n = strlen(a->dest);
		char *json = malloc(n * 6 + 16);
		size_t k = 0;
		if (!json) {
			j->rc = LINEAGE_ENOMEM;
			j->err_message = strdup("out of memory");
			return j->rc;
		}
		k += (size_t)sprintf(json, "{\"path\":\"");
		for (size_t i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)a->dest[i];
			if (ch == '"' || ch == '\\') {
				json[k++] = '\\';
				json[k++] = (char)ch;
			} else if (ch < 0x20) {
				k += (size_t)sprintf(json + k, "\\u%04x", ch);
			} else {
				json[k++] = (char)ch;
			}
		}
		strcpy(json + k, "\"}");
		j->json = json;
	}
	return 0;
}

static void backup_release(job *j)
{
	backup_args *a = j->args;
	if (!a)
		return;
	arg_pool_free(&a->pool);
	free(a);
}

static const char *const backup_option_names[] = {"onProgress", "cancelToken", NULL};

/* backup(destPath, {onProgress, signal}) -> Promise<{path}> */
napi_value graph_backup(napi_env env, napi_callback_info info)
{
	size_t argc = 2;
	napi_value argv[2], self, promise = NULL;
	backup_args *a = calloc(1, sizeof *a);
	int present = 0;

	if (!a) {
		napi_throw_error(env, "ENOMEM", "out of memory");
		return NULL;
	}
	CHECK(napi_get_cb_info(env, info, &argc, argv, &self, NULL));
	if (!graph_unwrap(env, self, 0))
		goto done;
	if (arg_string(env, &a->pool, argv[0], "destination path", &a->dest) ||
	    arg_options(env, argv[1], "options", backup_option_names, &present))
		goto done;
	if (queue_job(env, self, present ? argv[1] : NULL, "lineage.backup",
		      backup_execute, NULL, backup_release, a, &promise) == 0)
		a = NULL;
done:
	if (a) {
		arg_pool_free(&a->pool);
		free(a);
	}
	return promise;
}

/* ---- import ----------------------------------------------------------------------- */

typedef struct import_args {
	arg_pool pool;
	char *path;
	lineage_import_options opts;
} import_args;

static int import_execute(job *j)
{
	import_args *a = j->args;
	lineage_import_report *report = NULL;
	int rc, resolved;

	a->opts.progress = job_progress_cb;
	a->opts.payload = j;
	rc = lineage_import_path(&report, j->g->db, a->path, &a->opts);
	/* Invalid rows in a preview or a skip-errors import are an answer, not a failure. */
	resolved = rc == 0 || (rc == LINEAGE_EINVALID && report &&
			       (a->opts.dry_run || a->opts.mode == LINEAGE_IMPORT_SKIP_ERRORS));
	if (!resolved)
		job_fail(j, rc);
	if (report) {
		int jrc = lineage_import_report_to_json(&j->json, report);
		lineage_import_report_free(report);
		if (jrc && resolved)
			return job_fail(j, jrc);
		j->json_is_report = !resolved;
	}
	return resolved ? 0 : j->rc;
}

static void import_release(job *j)
{
	import_args *a = j->args;
	if (!a)
		return;
	arg_pool_free(&a->pool);
	free(a);
}

static const char *const import_option_names[] = {
	"format", "type", "mode", "dryRun", "createMissing", "rejects", "replaceScope", "label",
	"maxErrors", "maxItems", "onProgress", "cancelToken", NULL};

/* importFile(path, {format, type, mode, dryRun, createMissing, rejects, replaceScope, label,
 *                   maxErrors, maxItems, onProgress, signal}) -> Promise<report> */
napi_value graph_import_file(napi_env env, napi_callback_info info)
{
	size_t argc = 2;
	napi_value argv[2], self, promise = NULL, opts;
	import_args *a = calloc(1, sizeof *a);
	int present = 0, flag = 0;
	const char *s = NULL;

	if (!a) {
		napi_throw_error(env, "ENOMEM", "out of memory");
		return NULL;
	}
	CHECK(napi_get_cb_info(env, info, &argc, argv, &self, NULL));
	if (!graph_unwrap(env, self, 0))
		goto done;
	opts = argv[1];
	if (arg_string(env, &a->pool, argv[0], "path", &a->path) ||
	    arg_options(env, opts, "options", import_option_names, &present))
		goto done;
	lineage_import_options_init(&a->opts, LINEAGE_IMPORT_OPTIONS_VERSION);
	if (present) {
		s = NULL;
		if (opt_string(env, &a->pool, opts, "format", "options.format", &s))
			goto done;
		if (s && lineage_format_parse(&a->opts.format, s)) {
			addon_throw_last(env);
			goto done;
		}
		s = NULL;
		if (opt_string(env, &a->pool, opts, "type", "options.type", &s))
			goto done;
		if (s && lineage_record_type_parse(&a->opts.type, s)) {
			addon_throw_last(env);
			goto done;
		}
		s = NULL;
		if (opt_string(env, &a->pool, opts, "mode", "options.mode", &s))
			goto done;
		if (s) {
			if (!strcmp(s, "atomic"))
				a->opts.mode = LINEAGE_IMPORT_ATOMIC;
			else if (!strcmp(s, "skip-errors") || !strcmp(s, "skipErrors"))
				a->opts.mode = LINEAGE_IMPORT_SKIP_ERRORS;
			else {
				addon_throw_invalid(env,
						    "unknown import mode \"%.100s\": use atomic or "
						    "skip-errors",
						    s);
				goto done;
			}
		}
		flag = 0;
		if (opt_bool(env, opts, "dryRun", "options.dryRun", &flag))
			goto done;
		a->opts.dry_run = flag;
		flag = 0;
		if (opt_bool(env, opts, "createMissing", "options.createMissing", &flag))
			goto done;
		a->opts.create_missing = flag;
		if (opt_string(env, &a->pool, opts, "rejects", "options.rejects",
			       &a->opts.rejects_path) ||
		    opt_string(env, &a->pool, opts, "replaceScope", "options.replaceScope",
			       &a->opts.replace_scope) ||
		    opt_string(env, &a->pool, opts, "label", "options.label", &a->opts.label))
			goto done;
		if (opt_size(env, opts, "maxErrors", "options.maxErrors", 1, 10000000,
			     &a->opts.max_errors))
			goto done;
		if (opt_size(env, opts, "maxItems", "options.maxItems", 0, 10000000,
			     &a->opts.max_items))
			goto done;
	}
	if (queue_job(env, self, present ? opts : NULL, "lineage.importFile",
		      import_execute, NULL, import_release, a, &promise) == 0)
		a = NULL;
done:
	if (a) {
		arg_pool_free(&a->pool);
		free(a);
	}
	return promise;
}

/* ---- scan ------------------------------------------------------------------------- */

typedef struct scan_args {
	arg_pool pool;
	const char *const *paths;
	size_t path_count;
	lineage_scan_options opts;
} scan_args;

static int scan_execute(job *j)
{
	scan_args *a = j->args;
	lineage_scan_report *report = NULL;
	int rc;

	a->opts.progress = job_progress_cb;
	a->opts.progress_payload = j;
	rc = lineage_scan_run(&report, j->g->db, a->paths, a->path_count, &a->opts);
	if (!rc)
		rc = lineage_scan_report_to_json(&j->json, report);
	lineage_scan_report_free(report);
	return rc ? job_fail(j, rc) : 0;
}

static void scan_release(job *j)
{
	scan_args *a = j->args;
	if (!a)
		return;
	arg_pool_free(&a->pool);
	free(a);
}

static const char *const scan_option_names[] = {
	"type", "dialect", "defaultDatabase", "defaultSchema", "dryRun", "maxFileBytes",
	"onProgress", "cancelToken", NULL};

/* scan(paths, {type, dialect, defaultDatabase, defaultSchema, dryRun, maxFileBytes,
 *              onProgress, signal}) -> Promise<report> */
napi_value graph_scan(napi_env env, napi_callback_info info)
{
	size_t argc = 2;
	napi_value argv[2], self, promise = NULL, opts, holder;
	scan_args *a = calloc(1, sizeof *a);
	int present = 0, has = 0, flag = 0;

	if (!a) {
		napi_throw_error(env, "ENOMEM", "out of memory");
		return NULL;
	}
	CHECK(napi_get_cb_info(env, info, &argc, argv, &self, NULL));
	if (!graph_unwrap(env, self, 0))
		goto done;
	/* paths: a string or an array of strings (read through a holder object). */
	CHECK(napi_create_object(env, &holder));
	CHECK(napi_set_named_property(env, holder, "paths", argv[0]));
	if (opt_string_array(env, &a->pool, holder, "paths", "paths", &a->paths, &a->path_count,
			     &has))
		goto done;
	if (!has || !a->path_count) {
		addon_throw_type(env, "scan() needs a path or an array of paths to scan");
		goto done;
	}
	opts = argv[1];
	if (arg_options(env, opts, "options", scan_option_names, &present))
		goto done;
	lineage_scan_options_init(&a->opts, LINEAGE_SCAN_OPTIONS_VERSION);
	if (present) {
		if (opt_string(env, &a->pool, opts, "type", "options.type", &a->opts.type) ||
		    opt_string(env, &a->pool, opts, "dialect", "options.dialect",
			       &a->opts.dialect) ||
		    opt_string(env, &a->pool, opts, "defaultDatabase", "options.defaultDatabase",
			       &a->opts.default_database) ||
		    opt_string(env, &a->pool, opts, "defaultSchema", "options.defaultSchema",
			       &a->opts.default_schema) ||
		    opt_bool(env, opts, "dryRun", "options.dryRun", &flag))
			goto done;
		a->opts.dry_run = flag;
		if (opt_size(env, opts, "maxFileBytes", "options.maxFileBytes", 1, INT64_MAX / 2,
			     &a->opts.max_file_bytes))
			goto done;
	}
	if (queue_job(env, self, present ? opts : NULL, "lineage.scan",
		      scan_execute, NULL, scan_release, a, &promise) == 0)
		a = NULL;
done:
	if (a) {
		arg_pool_free(&a->pool);
		free(a);
	}
	return promise;
}

/* ---- export ----------------------------------------------------------------------- */

typedef struct export_args {
	arg_pool pool;
	const char *path;            /* NULL: resolve with the text */
	const char *root;            /* NULL: the whole graph */
	int direction;               /* LINEAGE_UPSTREAM/DOWNSTREAM/BOTH, or 0 for impact */
	lineage_change_type change;
	lineage_query_options q;
	lineage_export_options opts;
	char *text;                  /* the exported text (lineage_free) */
	size_t text_len;
} export_args;

static int export_execute(job *j)
{
	export_args *a = j->args;
	lineage_result *res = NULL;
	int rc = 0;

	a->opts.progress = job_progress_cb;
	a->opts.payload = j;
	if (a->root)
		rc = a->direction ? lineage_query_traverse(&res, j->g->db, a->root,
							   (lineage_direction)a->direction, &a->q)
				  : lineage_query_impact(&res, j->g->db, a->root, a->change, &a->q);
	if (!rc)
		rc = a->path ? lineage_export_path(j->g->db, res, a->path, &a->opts)
			     : lineage_export_buffer(&a->text, &a->text_len, j->g->db, res, &a->opts);
	lineage_result_free(res);
	return rc ? job_fail(j, rc) : 0;
}

/* Resolve with the text, or with {path, format}. */
static int export_build(napi_env env, job *j, napi_value *out)
{
	export_args *a = j->args;
	napi_value v;
	int rc = -1;
	if (!a->path) {
		CHECK(napi_create_string_utf8(env, a->text ? a->text : "", a->text_len, out));
		return 0;
	}
	CHECK(napi_create_object(env, out));
	CHECK(napi_create_string_utf8(env, a->path, NAPI_AUTO_LENGTH, &v));
	CHECK(napi_set_named_property(env, *out, "path", v));
	CHECK(napi_create_string_utf8(env, lineage_format_name(a->opts.format), NAPI_AUTO_LENGTH,
				      &v));
	CHECK(napi_set_named_property(env, *out, "format", v));
	rc = 0;
done:
	return rc;
}

static void export_release(job *j)
{
	export_args *a = j->args;
	if (!a)
		return;
	lineage_free(a->text);
	arg_pool_free(&a->pool);
	free(a);
}

static const char *const export_option_names[] = {
	QUERY_OPTION_NAMES, "path", "type", "layout", "root", "direction", "change",
	"onProgress", "cancelToken", NULL};

static int parse_layout(napi_env env, const char *s, lineage_layout *out)
{
	static const char *const names[] = {"layered", "force", "grid", "circle"};
	static const lineage_layout values[] = {LINEAGE_LAYOUT_LAYERED, LINEAGE_LAYOUT_FORCE,
						LINEAGE_LAYOUT_GRID, LINEAGE_LAYOUT_CIRCLE};
	for (size_t i = 0; i < 4; i++) {
		if (!strcmp(s, names[i])) {
			*out = values[i];
			return 0;
		}
	}
	addon_throw_invalid(env, "unknown layout \"%.100s\": use layered, force, grid or circle", s);
	return -1;
}

/*
 * export({format = 'csv', type, layout, path, root, direction = 'downstream', change,
 *         depth, minSource, ..., onProgress, signal}) -> Promise<string | {path, format}>
 * Without `root`, the whole graph; with it, the assets and edges of that query.
 */
napi_value graph_export(napi_env env, napi_callback_info info)
{
	size_t argc = 1;
	napi_value argv[1], self, promise = NULL, opts;
	export_args *a = calloc(1, sizeof *a);
	int present = 0;
	const char *s = NULL;

	if (!a) {
		napi_throw_error(env, "ENOMEM", "out of memory");
		return NULL;
	}
	CHECK(napi_get_cb_info(env, info, &argc, argv, &self, NULL));
	if (!graph_unwrap(env, self, 0))
		goto done;
	opts = argv[0];
	if (arg_options(env, opts, "options", export_option_names, &present))
		goto done;
	lineage_export_options_init(&a->opts, LINEAGE_EXPORT_OPTIONS_VERSION);
	a->direction = LINEAGE_DOWNSTREAM;
	a->change = LINEAGE_CHANGE_DROP;
	if (arg_query_options(env, &a->pool, NULL, &a->q, NULL))
		goto done;
	if (present) {
		napi_value fmt;
		int has_fmt = 0;
		if (arg_prop(env, opts, "format", &fmt, &has_fmt))
			goto done;
		if (has_fmt) {
			if (opt_string(env, &a->pool, opts, "format", "options.format", &s))
				goto done;
			if (lineage_format_parse(&a->opts.format, s)) {
				addon_throw_last(env);
				goto done;
			}
		}
		s = NULL;
		if (opt_string(env, &a->pool, opts, "type", "options.type", &s))
			goto done;
		if (s && lineage_record_type_parse(&a->opts.type, s)) {
			addon_throw_last(env);
			goto done;
		}
		s = NULL;
		if (opt_string(env, &a->pool, opts, "layout", "options.layout", &s))
			goto done;
		if (s && parse_layout(env, s, &a->opts.layout))
			goto done;
		if (opt_string(env, &a->pool, opts, "path", "options.path", &a->path) ||
		    opt_string(env, &a->pool, opts, "root", "options.root", &a->root))
			goto done;
		s = NULL;
		if (opt_string(env, &a->pool, opts, "direction", "options.direction", &s))
			goto done;
		if (s) {
			if (!strcmp(s, "downstream"))
				a->direction = LINEAGE_DOWNSTREAM;
			else if (!strcmp(s, "upstream"))
				a->direction = LINEAGE_UPSTREAM;
			else if (!strcmp(s, "both"))
				a->direction = LINEAGE_BOTH;
			else if (!strcmp(s, "impact"))
				a->direction = 0;
			else {
				addon_throw_invalid(env,
						    "unknown direction \"%.100s\": use downstream, "
						    "upstream, both or impact",
						    s);
				goto done;
			}
		}
		s = NULL;
		if (opt_string(env, &a->pool, opts, "change", "options.change", &s))
			goto done;
		if (s && lineage_change_type_parse(&a->change, s)) {
			addon_throw_last(env);
			goto done;
		}
		/* The query's filters; `format` is the export's own, read above. */
		if (arg_query_options(env, &a->pool, opts, &a->q, NULL))
			goto done;
	}
	if (queue_job(env, self, present ? opts : NULL, "lineage.export",
		      export_execute, export_build, export_release, a, &promise) == 0)
		a = NULL;
done:
	if (a) {
		arg_pool_free(&a->pool);
		free(a);
	}
	return promise;
}
