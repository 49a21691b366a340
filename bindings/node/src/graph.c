/*
 * liblineage for Node.js: the Graph class — its handle, constructor, close() and
 * properties. Its methods are the rows of the table in methods.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "method.h"

/* ---- the wrapped handle ----------------------------------------------------------- */

static void graph_free(graph *g)
{
	if (!g)
		return;
	/* At process teardown a job may still be on a worker: wait for it to let go. */
	pthread_mutex_lock(&g->lock);
	lineage_db_close(g->db);
	g->db = NULL;
	pthread_mutex_unlock(&g->lock);
	pthread_mutex_destroy(&g->lock);
	free(g->path);
	free(g);
}

/* Finalizer: the Graph object was collected. Jobs hold a reference to it, so none runs. */
static void graph_finalize(napi_env env, void *data, void *hint)
{
	(void)env;
	(void)hint;
	graph_free(data);
}

void graph_close_when_idle(graph *g)
{
	if (g->job_running || g->queue_head)
		return;
	pthread_mutex_lock(&g->lock);
	lineage_db_close(g->db);
	g->db = NULL;
	pthread_mutex_unlock(&g->lock);
}

graph *graph_unwrap(napi_env env, napi_value this_arg, int allow_closed)
{
	addon_data *ad = addon_get(env);
	napi_value ctor;
	bool is_graph = false;
	void *data = NULL;

	if (!this_arg || napi_get_reference_value(env, ad->graph_ctor, &ctor) != napi_ok ||
	    napi_instanceof(env, this_arg, ctor, &is_graph) != napi_ok || !is_graph ||
	    napi_unwrap(env, this_arg, &data) != napi_ok || !data) {
		bool pending = false;
		napi_is_exception_pending(env, &pending);
		if (!pending)
			addon_throw_type(env, "this method must be called on a Graph (from "
					      "lineage.open())");
		return NULL;
	}
	if (!allow_closed && ((graph *)data)->closed) {
		addon_throw_lineage(env, LINEAGE_EUSAGE,
				    "the graph is closed: open it again with lineage.open(path)");
		return NULL;
	}
	return data;
}

/* ---- constructor, close, properties ---------------------------------------------- */

static int init_open(call_args *a)
{
	a->path = ":memory:";
	return lineage_open_options_init(&a->o.open, LINEAGE_OPEN_OPTIONS_VERSION);
}

/* new Graph(path = ":memory:", {readonly, create, actor, busyTimeoutMs, cacheSizeKiB, pgSchema}) */
static napi_value graph_construct(napi_env env, napi_callback_info info)
{
	size_t argc = 2;
	napi_value argv[2], self, target, result = NULL;
	call_args a = {0};
	graph *g = NULL;

	CHECK(napi_get_cb_info(env, info, &argc, argv, &self, NULL));
	CHECK(napi_get_new_target(env, info, &target));
	if (!target) {
		addon_throw_type(env, "Graph must be created with lineage.open(path) or new Graph(path)");
		goto done;
	}
	if (init_open(&a)) {
		addon_throw_last(env);
		goto done;
	}
	if (call_read(env, graph_open_fields, "open", argc, argv, &a))
		goto done;
	g = calloc(1, sizeof *g);
	if (!g || !(g->path = strdup(a.path))) {
		napi_throw_error(env, "ENOMEM", "out of memory");
		goto done;
	}
	if (pthread_mutex_init(&g->lock, NULL)) {
		free(g->path);
		free(g);
		g = NULL;
		napi_throw_error(env, "ENOMEM", "could not create a mutex");
		goto done;
	}
	if (lineage_db_open(&g->db, a.path, &a.o.open)) {
		addon_throw_last(env);
		goto done;
	}
	if (napi_wrap(env, self, g, graph_finalize, NULL, NULL) != napi_ok) {
		addon_throw_napi(env, napi_generic_failure, "napi_wrap");
		goto done;
	}
	g = NULL; /* owned by the JS object now */
	result = self;
done:
	graph_free(g);
	arg_pool_free(&a.pool);
	return result;
}

/* The Graph a property or close() is called on; NULL with an exception pending. */
static graph *this_graph(napi_env env, napi_callback_info info, int allow_closed)
{
	napi_value self;
	if (napi_get_cb_info(env, info, NULL, NULL, &self, NULL) != napi_ok) {
		addon_throw_napi(env, napi_generic_failure, "napi_get_cb_info");
		return NULL;
	}
	return graph_unwrap(env, self, allow_closed);
}

/* close(): frees the handle now, or after the async work still running on it. */
static napi_value graph_close(napi_env env, napi_callback_info info)
{
	napi_value result = NULL;
	graph *g = this_graph(env, info, 1);
	if (g) {
		g->closed = 1;
		graph_close_when_idle(g);
	}
	napi_get_undefined(env, &result);
	return result;
}

static napi_value graph_get_closed(napi_env env, napi_callback_info info)
{
	napi_value result = NULL;
	graph *g = this_graph(env, info, 1);
	if (g)
		CHECK(napi_get_boolean(env, g->closed, &result));
done:
	return result;
}

static napi_value graph_get_path(napi_env env, napi_callback_info info)
{
	napi_value result = NULL;
	graph *g = this_graph(env, info, 1);
	if (g)
		CHECK(napi_create_string_utf8(env, g->path, NAPI_AUTO_LENGTH, &result));
done:
	return result;
}

static napi_value graph_get_in_transaction(napi_env env, napi_callback_info info)
{
	napi_value result = NULL;
	graph *g = this_graph(env, info, 1);
	int in_tx = 0;
	if (!g)
		return NULL;
	if (g->db) {
		pthread_mutex_lock(&g->lock);
		in_tx = lineage_db_in_transaction(g->db);
		pthread_mutex_unlock(&g->lock);
	}
	CHECK(napi_get_boolean(env, in_tx, &result));
done:
	return result;
}

/* batchId: the current or last batch's id (for revertBatch). */
static napi_value graph_get_batch_id(napi_env env, napi_callback_info info)
{
	napi_value result = NULL;
	graph *g = this_graph(env, info, 0);
	int64_t id;
	if (!g)
		return NULL;
	pthread_mutex_lock(&g->lock);
	id = lineage_db_batch_id(g->db);
	pthread_mutex_unlock(&g->lock);
	CHECK(napi_create_int64(env, id, &result));
done:
	return result;
}

/* ---- registration ----------------------------------------------------------------- */

#define GETTER(name, fn) {name, NULL, NULL, fn, NULL, NULL, napi_default_jsproperty, NULL}

int graph_register(napi_env env, napi_value exports, addon_data *ad)
{
	napi_property_descriptor props[96] = {
		{"close", NULL, graph_close, NULL, NULL, NULL, napi_default_method, NULL},
		GETTER("closed", graph_get_closed),
		GETTER("filename", graph_get_path),
		GETTER("inTransaction", graph_get_in_transaction),
		GETTER("batchId", graph_get_batch_id),
	};
	size_t n = 5;
	napi_value ctor;
	int rc = -1;

	n += method_descriptors(0, props + n, sizeof props / sizeof props[0] - n);
	CHECK(napi_define_class(env, "Graph", NAPI_AUTO_LENGTH, graph_construct, NULL, n, props,
				&ctor));
	CHECK(napi_create_reference(env, ctor, 1, &ad->graph_ctor));
	CHECK(napi_set_named_property(env, exports, "Graph", ctor));
	rc = 0;
done:
	return rc;
}
