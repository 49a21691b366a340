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
		a->result = res; /* no longer tied to the handle: safe to read without the lock */
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
	job *j = NULL;
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
	j = job_new(env, self, present ? argv[1] : NULL,
		    direction == LINEAGE_UPSTREAM ? "lineage.upstreamAsync"
						  : "lineage.downstreamAsync",
		    &promise);
	if (!j)
		goto done;
	j->execute = traverse_execute;
	j->build = traverse_build;
	j->release = traverse_release;
	j->args = a;
	a = NULL;
	job_submit(env, j);
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
	job *j = NULL;
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
	j = job_new(env, self, present ? argv[1] : NULL, "lineage.backup", &promise);
	if (!j)
		goto done;
	j->execute = backup_execute;
	j->release = backup_release;
	j->args = a;
	a = NULL;
	job_submit(env, j);
done:
	if (a) {
		arg_pool_free(&a->pool);
		free(a);
	}
	return promise;
}
