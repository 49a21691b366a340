/*
 * liblineage for Node.js: the one piece of code behind every method of the table.
 *
 * A synchronous method reads its arguments (TypeErrors first), takes the graph's lock, runs
 * its library call, releases the lock and turns the answer into JavaScript: JSON through
 * JSON.parse (the shapes of the CLI's --json output, with no field mapping to drift from
 * it), or the traversal objects built directly. An asynchronous one reads its arguments the
 * same way on the main thread, so that bad arguments still throw synchronously, then hands
 * the call_args to a job (jobs.c) that runs the call on a worker and settles the promise.
 */
#include <stdio.h>
#include <stdlib.h>

#include "method.h"

#define MAX_ARGS 4 /* the most fields before and with an options object (path, findEdge) */

void call_args_free(call_args *a)
{
	if (!a)
		return;
	arg_pool_free(&a->pool);
	lineage_free(a->json);
	lineage_free(a->text_out);
	lineage_result_free(a->result);
	free(a);
}

static int set_string(napi_env env, napi_value obj, const char *name, const char *value)
{
	napi_value v;
	int rc = -1;
	CHECK(napi_create_string_utf8(env, value, NAPI_AUTO_LENGTH, &v));
	CHECK(napi_set_named_property(env, obj, name, v));
	rc = 0;
done:
	return rc;
}

/* {path} of a backup, {path, format} of an export to a file. */
static int file_answer(napi_env env, const call_args *a, napi_value *out)
{
	int rc = -1;
	CHECK(napi_create_object(env, out));
	if (set_string(env, *out, "path", a->path) ||
	    (a->method->result == R_EXPORT &&
	     set_string(env, *out, "format", lineage_format_name(a->o.exp.format))))
		goto done;
	rc = 0;
done:
	return rc;
}

/* The answer of a call that succeeded, as the row's result kind says. 0 or -1. */
static int convert(napi_env env, const call_args *a, napi_value *out)
{
	result_kind kind = a->method->result;
	int rc = -1;

	if (kind == R_TRAVERSAL && a->result)
		return result_traversal_to_js(env, a->result, (lineage_direction)a->variant, out);
	if (kind == R_PATH || (kind == R_EXPORT && a->path))
		return file_answer(env, a, out);
	switch (kind) {
	case R_NONE:
		CHECK(napi_get_undefined(env, out));
		break;
	case R_BOOL:
		CHECK(napi_get_boolean(env, a->number != 0, out));
		break;
	case R_NUMBER:
		CHECK(napi_create_int64(env, a->number, out));
		break;
	case R_EXPORT:
		CHECK(napi_create_string_utf8(env, a->text_out ? a->text_out : "", a->text_len,
					      out));
		break;
	default: /* JSON: R_JSON, R_OUTCOME, a traversal in another format */
		if (addon_json_parse(env, a->json ? a->json : "null", out))
			goto done;
		if (kind == R_OUTCOME &&
		    set_string(env, *out, "outcome", lineage_outcome_name(a->outcome)))
			goto done;
	}
	rc = 0;
done:
	return rc;
}

/* ---- on a worker ------------------------------------------------------------------ */

static int job_run(job *j)
{
	call_args *a = j->args;
	int rc;

	a->progress = job_progress_cb;
	a->payload = j;
	rc = a->method->run(a, j->g->db);
	if (!rc)
		return 0;
	job_fail(j, rc);
	/* A JSON answer of a failed call is a report for the error's details. */
	j->json = a->json;
	j->json_is_report = a->json != NULL;
	a->json = NULL;
	return j->rc;
}

static int job_build(napi_env env, job *j, napi_value *out)
{
	return convert(env, j->args, out);
}

static void job_release(job *j)
{
	call_args_free(j->args);
}

/* Queue `a` on a worker; the job owns it once this returns the promise. */
static napi_value queue(napi_env env, napi_value self, call_args *a)
{
	char name[64];
	napi_value promise = NULL;
	job *j;

	snprintf(name, sizeof name, "lineage.%s", a->method->name);
	j = job_new(env, self, a->options, name, &promise);
	if (!j)
		return NULL;
	j->execute = job_run;
	j->build = job_build;
	j->release = job_release;
	j->args = a;
	job_submit(env, j);
	return promise;
}

/* ---- the callback ----------------------------------------------------------------- */

napi_value method_invoke(napi_env env, napi_callback_info info)
{
	size_t argc = MAX_ARGS;
	napi_value argv[MAX_ARGS], self, result = NULL;
	void *data = NULL;
	const method *m;
	graph *g = NULL;
	call_args *a = NULL;
	int rc;

	CHECK(napi_get_cb_info(env, info, &argc, argv, &self, &data));
	m = data;
	if (!(m->flags & M_MODULE) && !(g = graph_unwrap(env, self, 0)))
		goto done;
	a = calloc(1, sizeof *a);
	if (!a) {
		napi_throw_error(env, "ENOMEM", "out of memory");
		goto done;
	}
	a->method = m;
	a->variant = m->variant;
	a->via_json = addon_get(env)->via_json;
	if (m->init && m->init(a)) {
		addon_throw_last(env);
		goto done;
	}
	if (call_read(env, m->fields, m->name, argc, argv, a))
		goto done;
	if (m->flags & M_ASYNC) {
		result = queue(env, self, a);
		if (result)
			a = NULL; /* the job's now */
		goto done;
	}
	if (g)
		pthread_mutex_lock(&g->lock);
	rc = m->run(a, g ? g->db : NULL);
	if (g)
		pthread_mutex_unlock(&g->lock);
	if (rc)
		addon_throw_last(env);
	else if (convert(env, a, &result))
		result = NULL;
done:
	call_args_free(a);
	return result;
}

size_t method_descriptors(unsigned int module, napi_property_descriptor *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < addon_method_count && n < cap; i++) {
		const method *m = &addon_methods[i];
		if ((m->flags & M_MODULE) != module)
			continue;
		out[n++] = (napi_property_descriptor){
			.utf8name = m->name,
			.method = method_invoke,
			.attributes = module ? napi_default : napi_default_method,
			.data = (void *)m,
		};
	}
	return n;
}

int method_export_async(napi_env env, napi_value exports)
{
	napi_value obj, v;
	int rc = -1;

	CHECK(napi_create_object(env, &obj));
	for (size_t i = 0; i < addon_method_count; i++) {
		const method *m = &addon_methods[i];
		int32_t at = 0;
		if (!(m->flags & M_ASYNC))
			continue;
		while (m->fields[at].type != V_OPTIONS && m->fields[at].type != V_END)
			at++;
		CHECK(napi_create_int32(env, at, &v));
		CHECK(napi_set_named_property(env, obj, m->name, v));
	}
	CHECK(napi_set_named_property(env, exports, "asyncMethods", obj));
	rc = 0;
done:
	return rc;
}
