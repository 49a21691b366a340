/*
 * liblineage for Node.js: the Graph class and its synchronous methods.
 *
 * Each method reads and checks its arguments first (TypeErrors), then takes the graph's
 * lock, calls liblineage, serialises the answer to JSON while still holding the lock,
 * releases it and turns the JSON into plain JavaScript objects with JSON.parse — the same
 * shapes as the CLI's --json output, with no hand-written field mapping to drift from it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addon.h"

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

static void graph_lock(graph *g)
{
	pthread_mutex_lock(&g->lock);
}

static void graph_unlock(graph *g)
{
	pthread_mutex_unlock(&g->lock);
}

/* ---- helpers ---------------------------------------------------------------------- */

typedef struct call {
	napi_value self;
	napi_value argv[4];
	size_t argc;
	graph *g;
	arg_pool pool;
} call;

/* Read this and up to 4 arguments (missing ones are undefined) and unwrap the graph. */
static int call_begin(napi_env env, napi_callback_info info, call *c)
{
	memset(c, 0, sizeof *c);
	c->argc = 4;
	if (napi_get_cb_info(env, info, &c->argc, c->argv, &c->self, NULL) != napi_ok) {
		addon_throw_napi(env, napi_generic_failure, "napi_get_cb_info");
		return -1;
	}
	c->g = graph_unwrap(env, c->self, 0);
	return c->g ? 0 : -1;
}

/* Turn a JSON answer into a value (and free it), or throw the last error when rc < 0. */
static napi_value json_answer(napi_env env, int rc, char *json)
{
	napi_value result = NULL;
	if (rc < 0) {
		addon_throw_last(env);
	} else if (addon_json_parse(env, json ? json : "null", &result)) {
		result = NULL;
	}
	lineage_free(json);
	return result;
}

static napi_value undefined(napi_env env)
{
	napi_value v = NULL;
	napi_get_undefined(env, &v);
	return v;
}

/* undefined for a call that succeeded, else the library's error thrown (NULL). */
static napi_value void_answer(napi_env env, int rc)
{
	if (rc) {
		addon_throw_last(env);
		return NULL;
	}
	return undefined(env);
}

/* Add {outcome: "created"|...} to a parsed object. */
static int set_outcome(napi_env env, napi_value obj, lineage_outcome outcome)
{
	napi_value v;
	int rc = -1;
	CHECK(napi_create_string_utf8(env, lineage_outcome_name(outcome), NAPI_AUTO_LENGTH, &v));
	CHECK(napi_set_named_property(env, obj, "outcome", v));
	rc = 0;
done:
	return rc;
}

/* An edge as JSON (under the lock). */
static int edge_json(lineage_db *db, int64_t id, char **out)
{
	lineage_edge *edge = NULL;
	int rc = lineage_edge_get(&edge, db, id);
	if (!rc)
		rc = lineage_edge_to_json(out, edge);
	lineage_edge_free(edge);
	return rc;
}

/* ---- constructor, close ----------------------------------------------------------- */

static const char *const open_option_names[] = {"readonly", "create", "actor",
						 "busyTimeoutMs", "cacheSizeKiB", NULL};

/* new Graph(path = ":memory:", {readonly, create, actor, busyTimeoutMs, cacheSizeKiB}) */
static napi_value graph_construct(napi_env env, napi_callback_info info)
{
	size_t argc = 2;
	napi_value argv[2], self, target, result = NULL;
	napi_valuetype type;
	arg_pool pool = {0};
	char *path = NULL;
	lineage_open_options opts;
	graph *g = NULL;
	int present = 0, readonly = 0, create = 1, rc;
	int64_t n = 0;

	CHECK(napi_get_cb_info(env, info, &argc, argv, &self, NULL));
	CHECK(napi_get_new_target(env, info, &target));
	if (!target) {
		addon_throw_type(env, "Graph must be created with lineage.open(path) or new Graph(path)");
		goto done;
	}
	if (argc < 1) {
		path = ":memory:";
	} else {
		CHECK(napi_typeof(env, argv[0], &type));
		if (type == napi_undefined)
			path = ":memory:";
		else if (arg_string(env, &pool, argv[0], "path", &path))
			goto done;
	}
	if (lineage_open_options_init(&opts, LINEAGE_OPEN_OPTIONS_VERSION)) {
		addon_throw_last(env);
		goto done;
	}
	if (argc >= 2) {
		if (arg_options(env, argv[1], "open options", open_option_names, &present))
			goto done;
	}
	if (present) {
		if (opt_bool(env, argv[1], "readonly", "options.readonly", &readonly) ||
		    opt_bool(env, argv[1], "create", "options.create", &create) ||
		    opt_string(env, &pool, argv[1], "actor", "options.actor", &opts.actor))
			goto done;
		if (opt_int64(env, argv[1], "busyTimeoutMs", "options.busyTimeoutMs", 0, INT32_MAX,
			      &n, &present))
			goto done;
		if (present)
			opts.busy_timeout_ms = (int)n;
		if (opt_int64(env, argv[1], "cacheSizeKiB", "options.cacheSizeKiB", 1,
			      INT64_MAX / 2, &n, &present))
			goto done;
		if (present)
			opts.cache_size_kib = n;
	}
	if (readonly)
		opts.flags |= LINEAGE_OPEN_READONLY;
	if (!create)
		opts.flags |= LINEAGE_OPEN_NOCREATE;

	g = calloc(1, sizeof *g);
	if (!g || !(g->path = strdup(path))) {
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
	rc = lineage_db_open(&g->db, path, &opts);
	if (rc) {
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
	arg_pool_free(&pool);
	return result;
}

/* close(): frees the handle now, or after the async work still running on it. */
static napi_value graph_close(napi_env env, napi_callback_info info)
{
	napi_value self;
	graph *g;
	CHECK(napi_get_cb_info(env, info, NULL, NULL, &self, NULL));
	g = graph_unwrap(env, self, 1);
	if (!g)
		goto done;
	g->closed = 1;
	graph_close_when_idle(g);
done:
	return undefined(env);
}

static napi_value graph_get_closed(napi_env env, napi_callback_info info)
{
	napi_value self, result = NULL;
	graph *g;
	CHECK(napi_get_cb_info(env, info, NULL, NULL, &self, NULL));
	g = graph_unwrap(env, self, 1);
	if (g)
		CHECK(napi_get_boolean(env, g->closed, &result));
done:
	return result;
}

static napi_value graph_get_path(napi_env env, napi_callback_info info)
{
	napi_value self, result = NULL;
	graph *g;
	CHECK(napi_get_cb_info(env, info, NULL, NULL, &self, NULL));
	g = graph_unwrap(env, self, 1);
	if (g)
		CHECK(napi_create_string_utf8(env, g->path, NAPI_AUTO_LENGTH, &result));
done:
	return result;
}

/* ---- assets ----------------------------------------------------------------------- */

static const char *const asset_field_names[] = {
	"key", "kind", "name", "parent", "owner", "description", "status", "tags",
	"properties", "createMissing", NULL};

/* addAsset({key, kind, name, parent, owner, description, status, tags, properties,
 *           createMissing}) -> {outcome, ...asset} */
static napi_value graph_add_asset(napi_env env, napi_callback_info info)
{
	call c;
	lineage_asset_spec spec;
	lineage_outcome outcome = LINEAGE_UNCHANGED;
	lineage_asset *asset = NULL;
	napi_value obj, result = NULL;
	int present = 0, rc, tags_present = 0, create_missing = 0;
	int64_t id = 0;
	char *json = NULL;

	if (call_begin(env, info, &c))
		goto done;
	obj = c.argv[0];
	if (arg_options(env, obj, "addAsset() argument", asset_field_names, &present))
		goto done;
	if (!present) {
		addon_throw_type(env, "addAsset() needs an object such as {key: 'db.schema.table', "
				      "kind: 'table'}, got %s",
				 arg_type_name(env, obj));
		goto done;
	}
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	if (opt_string(env, &c.pool, obj, "key", "asset.key", &spec.key) ||
	    opt_string(env, &c.pool, obj, "kind", "asset.kind", &spec.kind) ||
	    opt_string(env, &c.pool, obj, "name", "asset.name", &spec.name) ||
	    opt_string(env, &c.pool, obj, "parent", "asset.parent", &spec.parent_key) ||
	    opt_string(env, &c.pool, obj, "owner", "asset.owner", &spec.owner) ||
	    opt_string(env, &c.pool, obj, "description", "asset.description",
		       &spec.description) ||
	    opt_string(env, &c.pool, obj, "status", "asset.status", &spec.status) ||
	    opt_string_array(env, &c.pool, obj, "tags", "asset.tags", &spec.tags,
			     &spec.tag_count, &tags_present) ||
	    opt_json(env, &c.pool, obj, "properties", "asset.properties",
		     &spec.properties_json) ||
	    opt_bool(env, obj, "createMissing", "asset.createMissing", &create_missing))
		goto done;
	if (!spec.key) {
		addon_throw_type(env, "asset.key is required (a string such as 'db.schema.table')");
		goto done;
	}
	spec.tags_set = tags_present;
	spec.create_missing = create_missing;

	graph_lock(c.g);
	rc = lineage_asset_upsert(&outcome, &id, c.g->db, &spec);
	if (!rc)
		rc = lineage_asset_get_by_id(&asset, c.g->db, id);
	if (!rc)
		rc = lineage_asset_to_json(&json, asset);
	graph_unlock(c.g);
	lineage_asset_free(asset);
	result = json_answer(env, rc, json);
	if (result && set_outcome(env, result, outcome))
		result = NULL;
done:
	arg_pool_free(&c.pool);
	return result;
}

/* getAsset(key) -> asset; NotFoundError when there is none. */
static napi_value graph_get_asset(napi_env env, napi_callback_info info)
{
	call c;
	char *key, *json = NULL;
	lineage_asset *asset = NULL;
	napi_value result = NULL;
	int rc;

	if (call_begin(env, info, &c) || arg_string(env, &c.pool, c.argv[0], "key", &key))
		goto done;
	graph_lock(c.g);
	rc = lineage_asset_get(&asset, c.g->db, key);
	if (!rc)
		rc = lineage_asset_to_json(&json, asset);
	graph_unlock(c.g);
	lineage_asset_free(asset);
	result = json_answer(env, rc, json);
done:
	arg_pool_free(&c.pool);
	return result;
}

/* hasAsset(key) -> boolean */
static napi_value graph_has_asset(napi_env env, napi_callback_info info)
{
	call c;
	char *key;
	lineage_asset *asset = NULL;
	napi_value result = NULL;
	int rc;

	if (call_begin(env, info, &c) || arg_string(env, &c.pool, c.argv[0], "key", &key))
		goto done;
	graph_lock(c.g);
	rc = lineage_asset_get(&asset, c.g->db, key);
	graph_unlock(c.g);
	lineage_asset_free(asset);
	if (rc && rc != LINEAGE_ENOTFOUND)
		addon_throw_last(env);
	else
		CHECK(napi_get_boolean(env, rc == 0, &result));
done:
	arg_pool_free(&c.pool);
	return result;
}

static const char *const remove_option_names[] = {"cascade", NULL};

/* removeAsset(key, {cascade}) */
static napi_value graph_remove_asset(napi_env env, napi_callback_info info)
{
	call c;
	char *key;
	int present = 0, cascade = 0, rc;
	napi_value result = NULL;

	if (call_begin(env, info, &c) || arg_string(env, &c.pool, c.argv[0], "key", &key) ||
	    arg_options(env, c.argv[1], "options", remove_option_names, &present))
		goto done;
	if (present && opt_bool(env, c.argv[1], "cascade", "options.cascade", &cascade))
		goto done;
	graph_lock(c.g);
	rc = lineage_asset_remove(c.g->db, key, cascade ? LINEAGE_REMOVE_CASCADE : 0);
	graph_unlock(c.g);
	result = void_answer(env, rc);
done:
	arg_pool_free(&c.pool);
	return result;
}

/* children(key) -> {total, results: [asset...]} */
static napi_value graph_children(napi_env env, napi_callback_info info)
{
	call c;
	char *key, *json = NULL;
	lineage_asset_list *list = NULL;
	napi_value result = NULL;
	int rc;

	if (call_begin(env, info, &c) || arg_string(env, &c.pool, c.argv[0], "key", &key))
		goto done;
	graph_lock(c.g);
	rc = lineage_asset_children(&list, c.g->db, key);
	if (!rc)
		rc = lineage_asset_list_to_json(&json, list);
	graph_unlock(c.g);
	lineage_asset_list_free(list);
	result = json_answer(env, rc, json);
done:
	arg_pool_free(&c.pool);
	return result;
}

static const char *const search_option_names[] = {"kind", "owner", "tag", "limit", "offset",
						   NULL};

/* search(text, {kind, owner, tag, limit, offset}) -> {total, results} */
static napi_value graph_search(napi_env env, napi_callback_info info)
{
	call c;
	char *text = "", *json = NULL;
	lineage_search_options so;
	lineage_asset_list *list = NULL;
	napi_value result = NULL;
	napi_valuetype type;
	int present = 0, rc;

	if (call_begin(env, info, &c))
		goto done;
	CHECK(napi_typeof(env, c.argv[0], &type));
	if (type != napi_undefined && arg_string(env, &c.pool, c.argv[0], "text", &text))
		goto done;
	lineage_search_options_init(&so, LINEAGE_SEARCH_OPTIONS_VERSION);
	if (arg_options(env, c.argv[1], "options", search_option_names, &present))
		goto done;
	if (present) {
		if (opt_string(env, &c.pool, c.argv[1], "kind", "options.kind", &so.kind) ||
		    opt_string(env, &c.pool, c.argv[1], "owner", "options.owner", &so.owner) ||
		    opt_string(env, &c.pool, c.argv[1], "tag", "options.tag", &so.tag))
			goto done;
		if (opt_size(env, c.argv[1], "limit", "options.limit", 1, 10000, &so.limit))
			goto done;
		if (opt_size(env, c.argv[1], "offset", "options.offset", 0, INT32_MAX, &so.offset))
			goto done;
	}
	graph_lock(c.g);
	rc = lineage_asset_search(&list, c.g->db, text, &so);
	if (!rc)
		rc = lineage_asset_list_to_json(&json, list);
	graph_unlock(c.g);
	lineage_asset_list_free(list);
	result = json_answer(env, rc, json);
done:
	arg_pool_free(&c.pool);
	return result;
}

/* ---- edges ------------------------------------------------------------------------ */

static const char *const edge_field_names[] = {
	"source", "target", "kind", "job", "lineageSource", "confidence", "transformationType",
	"transformation", "description", "properties", "evidence", "origin", "createMissing",
	"sourceKind", "targetKind", NULL};

/* addEdge({source, target, kind, lineageSource, confidence, transformation, ...,
 *          createMissing}) -> {outcome, ...edge} (edge.id) */
static napi_value graph_add_edge(napi_env env, napi_callback_info info)
{
	call c;
	lineage_edge_spec spec;
	lineage_outcome outcome = LINEAGE_UNCHANGED;
	napi_value obj, result = NULL;
	const char *source_name = NULL;
	int present = 0, has = 0, rc, create_missing = 0;
	int64_t id = 0;
	char *json = NULL;

	if (call_begin(env, info, &c))
		goto done;
	obj = c.argv[0];
	if (arg_options(env, obj, "addEdge() argument", edge_field_names, &present))
		goto done;
	if (!present) {
		addon_throw_type(env, "addEdge() needs an object such as {source: 'a', target: "
				      "'b'}, got %s",
				 arg_type_name(env, obj));
		goto done;
	}
	lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
	if (opt_string(env, &c.pool, obj, "source", "edge.source", &spec.source_key) ||
	    opt_string(env, &c.pool, obj, "target", "edge.target", &spec.target_key) ||
	    opt_string(env, &c.pool, obj, "kind", "edge.kind", &spec.kind) ||
	    opt_string(env, &c.pool, obj, "job", "edge.job", &spec.job_key) ||
	    opt_string(env, &c.pool, obj, "lineageSource", "edge.lineageSource", &source_name) ||
	    opt_double(env, obj, "confidence", "edge.confidence", &spec.confidence, &has) ||
	    opt_string(env, &c.pool, obj, "transformationType", "edge.transformationType",
		       &spec.transformation_type) ||
	    opt_string(env, &c.pool, obj, "transformation", "edge.transformation",
		       &spec.transformation) ||
	    opt_string(env, &c.pool, obj, "description", "edge.description",
		       &spec.description) ||
	    opt_json(env, &c.pool, obj, "properties", "edge.properties",
		     &spec.properties_json) ||
	    opt_json(env, &c.pool, obj, "evidence", "edge.evidence", &spec.evidence_json) ||
	    opt_string(env, &c.pool, obj, "origin", "edge.origin", &spec.origin) ||
	    opt_bool(env, obj, "createMissing", "edge.createMissing", &create_missing) ||
	    opt_string(env, &c.pool, obj, "sourceKind", "edge.sourceKind", &spec.source_kind) ||
	    opt_string(env, &c.pool, obj, "targetKind", "edge.targetKind", &spec.target_kind))
		goto done;
	if (!spec.source_key || !spec.target_key) {
		addon_throw_type(env, "edge.%s is required (an asset key string)",
				 spec.source_key ? "target" : "source");
		goto done;
	}
	if (has && (spec.confidence < 0 || spec.confidence > 1)) {
		addon_throw_invalid(env,
				    "confidence %g is outside 0..1: use a number from 0 to 1, such "
				    "as 0.8",
				    spec.confidence);
		goto done;
	}
	if (source_name && lineage_source_parse(&spec.lineage_source, source_name)) {
		addon_throw_last(env);
		goto done;
	}
	spec.create_missing = create_missing;

	graph_lock(c.g);
	rc = lineage_edge_upsert(&outcome, &id, c.g->db, &spec);
	if (!rc)
		rc = edge_json(c.g->db, id, &json);
	graph_unlock(c.g);
	result = json_answer(env, rc, json);
	if (result && set_outcome(env, result, outcome))
		result = NULL;
done:
	arg_pool_free(&c.pool);
	return result;
}

/* getEdge(id) -> edge */
static napi_value graph_get_edge(napi_env env, napi_callback_info info)
{
	call c;
	int64_t id;
	char *json = NULL;
	int rc;
	napi_value result = NULL;

	if (call_begin(env, info, &c) || arg_edge_id(env, c.argv[0], "id", &id))
		goto done;
	graph_lock(c.g);
	rc = edge_json(c.g->db, id, &json);
	graph_unlock(c.g);
	result = json_answer(env, rc, json);
done:
	arg_pool_free(&c.pool);
	return result;
}

static const char *const find_edge_option_names[] = {"kind", "job", NULL};

/* findEdge(source, target, {kind, job}) -> edge */
static napi_value graph_find_edge(napi_env env, napi_callback_info info)
{
	call c;
	char *source, *target, *json = NULL;
	const char *kind = NULL, *job_key = NULL;
	lineage_edge *edge = NULL;
	int rc, present = 0;
	napi_value result = NULL;

	if (call_begin(env, info, &c) || arg_string(env, &c.pool, c.argv[0], "source", &source) ||
	    arg_string(env, &c.pool, c.argv[1], "target", &target) ||
	    arg_options(env, c.argv[2], "options", find_edge_option_names, &present))
		goto done;
	if (present && (opt_string(env, &c.pool, c.argv[2], "kind", "options.kind", &kind) ||
			opt_string(env, &c.pool, c.argv[2], "job", "options.job", &job_key)))
		goto done;
	graph_lock(c.g);
	rc = lineage_edge_find(&edge, c.g->db, source, target, kind, job_key);
	if (!rc)
		rc = lineage_edge_to_json(&json, edge);
	graph_unlock(c.g);
	lineage_edge_free(edge);
	result = json_answer(env, rc, json);
done:
	arg_pool_free(&c.pool);
	return result;
}

/* removeEdge(id) */
static napi_value graph_remove_edge(napi_env env, napi_callback_info info)
{
	call c;
	int64_t id;
	int rc;
	napi_value result = NULL;

	if (call_begin(env, info, &c) || arg_edge_id(env, c.argv[0], "id", &id))
		goto done;
	graph_lock(c.g);
	rc = lineage_edge_remove(c.g->db, id);
	graph_unlock(c.g);
	result = void_answer(env, rc);
done:
	arg_pool_free(&c.pool);
	return result;
}

static const char *const edges_option_names[] = {"direction", "all", NULL};

/* edges(key, {direction: 'in'|'out'|'both', all}) -> {edges: [...]} */
static napi_value graph_edges(napi_env env, napi_callback_info info)
{
	call c;
	char *key, *json = NULL;
	const char *direction = NULL;
	unsigned int flags = LINEAGE_EDGES_IN | LINEAGE_EDGES_OUT;
	lineage_edge_list *list = NULL;
	int rc, present = 0, all = 0;
	napi_value result = NULL;

	if (call_begin(env, info, &c) || arg_string(env, &c.pool, c.argv[0], "key", &key) ||
	    arg_options(env, c.argv[1], "options", edges_option_names, &present))
		goto done;
	if (present &&
	    (opt_string(env, &c.pool, c.argv[1], "direction", "options.direction", &direction) ||
	     opt_bool(env, c.argv[1], "all", "options.all", &all)))
		goto done;
	if (direction) {
		if (!strcmp(direction, "in"))
			flags = LINEAGE_EDGES_IN;
		else if (!strcmp(direction, "out"))
			flags = LINEAGE_EDGES_OUT;
		else if (strcmp(direction, "both")) {
			addon_throw_invalid(env, "unknown direction \"%.100s\": use in, out or both",
					    direction);
			goto done;
		}
	}
	if (all)
		flags |= LINEAGE_EDGES_ALL_STATUS;
	graph_lock(c.g);
	rc = lineage_edge_list_for_asset(&list, c.g->db, key, flags);
	if (!rc)
		rc = lineage_edge_list_to_json(&json, list);
	graph_unlock(c.g);
	lineage_edge_list_free(list);
	result = json_answer(env, rc, json);
done:
	arg_pool_free(&c.pool);
	return result;
}

static const char *const limit_option_names[] = {"limit", NULL};

/* Read {limit} (0 = the library's default). */
static int read_limit(napi_env env, napi_value opts, size_t *limit)
{
	int present = 0;
	*limit = 0;
	if (arg_options(env, opts, "options", limit_option_names, &present))
		return -1;
	if (present && opt_size(env, opts, "limit", "options.limit", 1, 1000000, limit))
		return -1;
	return 0;
}

/* pendingEdges({limit}) -> {edges: [...]} (inferred edges waiting for review) */
static napi_value graph_pending_edges(napi_env env, napi_callback_info info)
{
	call c;
	size_t limit;
	char *json = NULL;
	lineage_edge_list *list = NULL;
	int rc;
	napi_value result = NULL;

	if (call_begin(env, info, &c) || read_limit(env, c.argv[0], &limit))
		goto done;
	graph_lock(c.g);
	rc = lineage_edge_list_pending(&list, c.g->db, limit);
	if (!rc)
		rc = lineage_edge_list_to_json(&json, list);
	graph_unlock(c.g);
	lineage_edge_list_free(list);
	result = json_answer(env, rc, json);
done:
	arg_pool_free(&c.pool);
	return result;
}

static const char *const review_option_names[] = {"by", "comment", NULL};

/* approve(id, {by, comment}) / reject(...) -> the edge after review */
static napi_value review(napi_env env, napi_callback_info info, int approve)
{
	call c;
	int64_t id;
	const char *by = NULL, *comment = NULL;
	char *json = NULL;
	int rc, present = 0;
	napi_value result = NULL;

	if (call_begin(env, info, &c) || arg_edge_id(env, c.argv[0], "id", &id) ||
	    arg_options(env, c.argv[1], "options", review_option_names, &present))
		goto done;
	if (present && (opt_string(env, &c.pool, c.argv[1], "by", "options.by", &by) ||
			opt_string(env, &c.pool, c.argv[1], "comment", "options.comment",
				   &comment)))
		goto done;
	if (!by) {
		addon_throw_type(env, "%s() needs {by: 'name'}: who reviews the edge",
				 approve ? "approve" : "reject");
		goto done;
	}
	graph_lock(c.g);
	rc = approve ? lineage_edge_approve(c.g->db, id, by, comment)
		     : lineage_edge_reject(c.g->db, id, by, comment);
	if (!rc)
		rc = edge_json(c.g->db, id, &json);
	graph_unlock(c.g);
	result = json_answer(env, rc, json);
done:
	arg_pool_free(&c.pool);
	return result;
}

static napi_value graph_approve(napi_env env, napi_callback_info info)
{
	return review(env, info, 1);
}

static napi_value graph_reject(napi_env env, napi_callback_info info)
{
	return review(env, info, 0);
}

/* ---- queries ---------------------------------------------------------------------- */

static const char *const traverse_option_names[] = {QUERY_OPTION_NAMES, NULL};

/* A query result as JSON (under the lock), then freed. */
static int result_json(int rc, lineage_result *res, int format, char **json)
{
	if (!rc)
		rc = lineage_result_to_json(json, res, (lineage_json_format)format);
	lineage_result_free(res);
	return rc;
}

static napi_value traverse(napi_env env, napi_callback_info info, lineage_direction dir)
{
	call c;
	char *key, *json = NULL;
	lineage_query_options q;
	lineage_result *res = NULL;
	int rc, present = 0, format = 0;
	napi_value result = NULL;

	if (call_begin(env, info, &c) || arg_string(env, &c.pool, c.argv[0], "key", &key) ||
	    arg_options(env, c.argv[1], "options", traverse_option_names, &present) ||
	    arg_query_options(env, &c.pool, present ? c.argv[1] : NULL, &q, &format))
		goto done;
	graph_lock(c.g);
	rc = lineage_query_traverse(&res, c.g->db, key, dir, &q);
	if (!rc && format == LINEAGE_JSON_PLAIN && !addon_get(env)->via_json) {
		/* The result no longer needs the handle: build the objects without the lock. */
		graph_unlock(c.g);
		if (result_traversal_to_js(env, res, dir, &result))
			result = NULL;
		lineage_result_free(res);
		goto done;
	}
	rc = result_json(rc, res, format, &json);
	graph_unlock(c.g);
	result = json_answer(env, rc, json);
done:
	arg_pool_free(&c.pool);
	return result;
}

static napi_value graph_upstream(napi_env env, napi_callback_info info)
{
	return traverse(env, info, LINEAGE_UPSTREAM);
}

static napi_value graph_downstream(napi_env env, napi_callback_info info)
{
	return traverse(env, info, LINEAGE_DOWNSTREAM);
}

static napi_value graph_both(napi_env env, napi_callback_info info)
{
	return traverse(env, info, LINEAGE_BOTH);
}

static const char *const impact_option_names[] = {QUERY_OPTION_NAMES, "change", NULL};

/* impact(key, {change = 'drop', depth, minSource, ...}) */
static napi_value graph_impact(napi_env env, napi_callback_info info)
{
	call c;
	char *key, *json = NULL;
	const char *change_name = NULL;
	lineage_change_type change = LINEAGE_CHANGE_DROP;
	lineage_query_options q;
	lineage_result *res = NULL;
	int rc, present = 0, format = 0;
	napi_value result = NULL;

	if (call_begin(env, info, &c) || arg_string(env, &c.pool, c.argv[0], "key", &key) ||
	    arg_options(env, c.argv[1], "options", impact_option_names, &present) ||
	    arg_query_options(env, &c.pool, present ? c.argv[1] : NULL, &q, &format))
		goto done;
	if (present &&
	    opt_string(env, &c.pool, c.argv[1], "change", "options.change", &change_name))
		goto done;
	if (change_name && lineage_change_type_parse(&change, change_name)) {
		addon_throw_last(env);
		goto done;
	}
	graph_lock(c.g);
	rc = lineage_query_impact(&res, c.g->db, key, change, &q);
	rc = result_json(rc, res, format, &json);
	graph_unlock(c.g);
	result = json_answer(env, rc, json);
done:
	arg_pool_free(&c.pool);
	return result;
}

static const char *const path_option_names[] = {QUERY_OPTION_NAMES, "all", "maxPaths",
						"maxLength", NULL};

/* path(from, to, {all, maxPaths, maxLength, minSource, ...}) -> {from, to, paths} */
static napi_value graph_path(napi_env env, napi_callback_info info)
{
	call c;
	char *from, *to, *json = NULL;
	lineage_path_options po;
	lineage_result *res = NULL;
	int rc, present = 0, format = 0, all = 0, has = 0;
	int64_t n;
	napi_value result = NULL;

	if (call_begin(env, info, &c) || arg_string(env, &c.pool, c.argv[0], "from", &from) ||
	    arg_string(env, &c.pool, c.argv[1], "to", &to) ||
	    arg_options(env, c.argv[2], "options", path_option_names, &present))
		goto done;
	lineage_path_options_init(&po, LINEAGE_PATH_OPTIONS_VERSION);
	if (present) {
		size_t max_paths = po.max_paths;
		int max_length = po.max_length;
		if (arg_query_options(env, &c.pool, c.argv[2], &po.filter, &format) ||
		    opt_bool(env, c.argv[2], "all", "options.all", &all))
			goto done;
		if (opt_size(env, c.argv[2], "maxPaths", "options.maxPaths", 1, 1000000,
			     &max_paths))
			goto done;
		if (opt_int64(env, c.argv[2], "maxLength", "options.maxLength", 1, 100000, &n,
			      &has))
			goto done;
		if (has)
			max_length = (int)n;
		po.all = all;
		po.max_paths = max_paths;
		po.max_length = max_length;
	}
	graph_lock(c.g);
	rc = lineage_query_paths(&res, c.g->db, from, to, &po);
	rc = result_json(rc, res, format, &json);
	graph_unlock(c.g);
	result = json_answer(env, rc, json);
done:
	arg_pool_free(&c.pool);
	return result;
}

static const char *const structure_option_names[] = {QUERY_OPTION_NAMES, NULL};

/* Structure questions: roots(opts), leaves(opts), ..., subtree(key, opts). */
static napi_value structure(napi_env env, napi_callback_info info, lineage_structure what,
			    int needs_key)
{
	call c;
	char *key = NULL, *json = NULL;
	lineage_query_options q;
	lineage_result *res = NULL;
	napi_value opts;
	int rc, present = 0, format = 0;
	napi_value result = NULL;

	if (call_begin(env, info, &c))
		goto done;
	if (needs_key && arg_string(env, &c.pool, c.argv[0], "key", &key))
		goto done;
	opts = c.argv[needs_key ? 1 : 0];
	if (arg_options(env, opts, "options", structure_option_names, &present) ||
	    arg_query_options(env, &c.pool, present ? opts : NULL, &q, &format))
		goto done;
	graph_lock(c.g);
	rc = lineage_query_structure(&res, c.g->db, what, key, &q);
	rc = result_json(rc, res, format, &json);
	graph_unlock(c.g);
	result = json_answer(env, rc, json);
done:
	arg_pool_free(&c.pool);
	return result;
}

#define STRUCTURE_METHOD(fn, what, needs_key)                                              \
	static napi_value fn(napi_env env, napi_callback_info info)                        \
	{                                                                                  \
		return structure(env, info, what, needs_key);                              \
	}
STRUCTURE_METHOD(graph_subtree, LINEAGE_STRUCT_SUBTREE, 1)
STRUCTURE_METHOD(graph_roots, LINEAGE_STRUCT_ROOTS, 0)
STRUCTURE_METHOD(graph_leaves, LINEAGE_STRUCT_LEAVES, 0)
STRUCTURE_METHOD(graph_orphans, LINEAGE_STRUCT_ORPHANS, 0)
STRUCTURE_METHOD(graph_cycles, LINEAGE_STRUCT_CYCLES, 0)
STRUCTURE_METHOD(graph_topo, LINEAGE_STRUCT_TOPO, 0)
STRUCTURE_METHOD(graph_critical_path, LINEAGE_STRUCT_CRITICAL_PATH, 0)

/* ---- audit, stats, transactions --------------------------------------------------- */

/* history(key, {limit}) -> {changes: [...]} */
static napi_value graph_history(napi_env env, napi_callback_info info)
{
	call c;
	char *key, *json = NULL;
	size_t limit;
	lineage_change_list *list = NULL;
	int rc;
	napi_value result = NULL;

	if (call_begin(env, info, &c) || arg_string(env, &c.pool, c.argv[0], "key", &key) ||
	    read_limit(env, c.argv[1], &limit))
		goto done;
	graph_lock(c.g);
	rc = lineage_history_asset(&list, c.g->db, key, limit);
	if (!rc)
		rc = lineage_change_list_to_json(&json, list);
	graph_unlock(c.g);
	lineage_change_list_free(list);
	result = json_answer(env, rc, json);
done:
	arg_pool_free(&c.pool);
	return result;
}

/* edgeHistory(id, {limit}) -> {changes: [...]} */
static napi_value graph_edge_history(napi_env env, napi_callback_info info)
{
	call c;
	int64_t id;
	char *json = NULL;
	size_t limit;
	lineage_change_list *list = NULL;
	int rc;
	napi_value result = NULL;

	if (call_begin(env, info, &c) || arg_edge_id(env, c.argv[0], "id", &id) ||
	    read_limit(env, c.argv[1], &limit))
		goto done;
	graph_lock(c.g);
	rc = lineage_history_edge(&list, c.g->db, id, limit);
	if (!rc)
		rc = lineage_change_list_to_json(&json, list);
	graph_unlock(c.g);
	lineage_change_list_free(list);
	result = json_answer(env, rc, json);
done:
	arg_pool_free(&c.pool);
	return result;
}

/* changesSince(seq = 0, {limit}) -> {changes: [...]} */
static napi_value graph_changes_since(napi_env env, napi_callback_info info)
{
	call c;
	char *json = NULL;
	size_t limit;
	int64_t seq = 0;
	lineage_change_list *list = NULL;
	napi_valuetype type;
	int rc;
	double d;
	napi_value result = NULL;

	if (call_begin(env, info, &c))
		goto done;
	CHECK(napi_typeof(env, c.argv[0], &type));
	if (type != napi_undefined) {
		if (type != napi_number || napi_get_value_double(env, c.argv[0], &d) != napi_ok ||
		    d != (double)(int64_t)d || d < 0) {
			addon_throw_type(env, "seq must be a non-negative integer, got %s",
					 arg_type_name(env, c.argv[0]));
			goto done;
		}
		seq = (int64_t)d;
	}
	if (read_limit(env, c.argv[1], &limit))
		goto done;
	graph_lock(c.g);
	rc = lineage_changes_since(&list, c.g->db, seq, limit);
	if (!rc)
		rc = lineage_change_list_to_json(&json, list);
	graph_unlock(c.g);
	lineage_change_list_free(list);
	result = json_answer(env, rc, json);
done:
	arg_pool_free(&c.pool);
	return result;
}

/* lastSeq() -> number */
static napi_value graph_last_seq(napi_env env, napi_callback_info info)
{
	call c;
	int64_t seq = 0;
	int rc;
	napi_value result = NULL;

	if (call_begin(env, info, &c))
		goto done;
	graph_lock(c.g);
	rc = lineage_changes_last_seq(&seq, c.g->db);
	graph_unlock(c.g);
	if (rc)
		addon_throw_last(env);
	else
		CHECK(napi_create_int64(env, seq, &result));
done:
	arg_pool_free(&c.pool);
	return result;
}

/* stats() -> {assets, edges, ...} */
static napi_value graph_stats(napi_env env, napi_callback_info info)
{
	call c;
	char *json = NULL;
	int rc;
	napi_value result = NULL;

	if (call_begin(env, info, &c))
		goto done;
	graph_lock(c.g);
	rc = lineage_db_stats_json(&json, c.g->db);
	graph_unlock(c.g);
	result = json_answer(env, rc, json);
done:
	arg_pool_free(&c.pool);
	return result;
}

/* begin(label?) / commit() / rollback() */
static napi_value graph_begin(napi_env env, napi_callback_info info)
{
	call c;
	char *label = NULL;
	int rc;
	napi_value result = NULL;

	if (call_begin(env, info, &c))
		goto done;
	if (arg_optional_string(env, &c.pool, c.argv[0], "label", &label))
		goto done;
	graph_lock(c.g);
	rc = lineage_db_begin(c.g->db, label);
	graph_unlock(c.g);
	result = void_answer(env, rc);
done:
	arg_pool_free(&c.pool);
	return result;
}

static napi_value end_transaction(napi_env env, napi_callback_info info, int commit)
{
	call c;
	int rc;
	napi_value result = NULL;

	if (call_begin(env, info, &c))
		goto done;
	graph_lock(c.g);
	rc = commit ? lineage_db_commit(c.g->db) : lineage_db_rollback(c.g->db);
	graph_unlock(c.g);
	result = void_answer(env, rc);
done:
	arg_pool_free(&c.pool);
	return result;
}

static napi_value graph_commit(napi_env env, napi_callback_info info)
{
	return end_transaction(env, info, 1);
}

static napi_value graph_rollback(napi_env env, napi_callback_info info)
{
	return end_transaction(env, info, 0);
}

static napi_value graph_get_in_transaction(napi_env env, napi_callback_info info)
{
	napi_value self, result = NULL;
	graph *g;
	int in_tx = 0;
	CHECK(napi_get_cb_info(env, info, NULL, NULL, &self, NULL));
	g = graph_unwrap(env, self, 1);
	if (!g)
		goto done;
	if (g->db) {
		graph_lock(g);
		in_tx = lineage_db_in_transaction(g->db);
		graph_unlock(g);
	}
	CHECK(napi_get_boolean(env, in_tx, &result));
done:
	return result;
}

/* batchId: the current or last batch's id (for revertBatch). */
static napi_value graph_get_batch_id(napi_env env, napi_callback_info info)
{
	call c;
	int64_t id;
	napi_value result = NULL;
	if (call_begin(env, info, &c))
		goto done;
	graph_lock(c.g);
	id = lineage_db_batch_id(c.g->db);
	graph_unlock(c.g);
	CHECK(napi_create_int64(env, id, &result));
done:
	return result;
}

/* revertBatch(batchId) */
static napi_value graph_revert_batch(napi_env env, napi_callback_info info)
{
	call c;
	int64_t id;
	int rc;
	napi_value result = NULL;

	if (call_begin(env, info, &c) || arg_edge_id(env, c.argv[0], "batchId", &id))
		goto done;
	graph_lock(c.g);
	rc = lineage_batch_revert(c.g->db, id);
	graph_unlock(c.g);
	result = void_answer(env, rc);
done:
	return result;
}

/* setActor(name | null) */
static napi_value graph_set_actor(napi_env env, napi_callback_info info)
{
	call c;
	char *actor = NULL;
	int rc;
	napi_value result = NULL;

	if (call_begin(env, info, &c))
		goto done;
	if (arg_optional_string(env, &c.pool, c.argv[0], "actor", &actor))
		goto done;
	graph_lock(c.g);
	rc = lineage_db_set_actor(c.g->db, actor);
	graph_unlock(c.g);
	result = void_answer(env, rc);
done:
	arg_pool_free(&c.pool);
	return result;
}

static const char *const kind_option_names[] = {"allowsSelfLoop", "allowsCycles", NULL};

/* defineEdgeKind(kind, {allowsSelfLoop, allowsCycles}) */
static napi_value graph_define_edge_kind(napi_env env, napi_callback_info info)
{
	call c;
	char *kind;
	int rc, present = 0, self_loop = 0, cycles = 1;
	napi_value result = NULL;

	if (call_begin(env, info, &c) || arg_string(env, &c.pool, c.argv[0], "kind", &kind) ||
	    arg_options(env, c.argv[1], "options", kind_option_names, &present))
		goto done;
	if (present &&
	    (opt_bool(env, c.argv[1], "allowsSelfLoop", "options.allowsSelfLoop", &self_loop) ||
	     opt_bool(env, c.argv[1], "allowsCycles", "options.allowsCycles", &cycles)))
		goto done;
	graph_lock(c.g);
	rc = lineage_edge_kind_define(c.g->db, kind, self_loop, cycles);
	graph_unlock(c.g);
	result = void_answer(env, rc);
done:
	arg_pool_free(&c.pool);
	return result;
}

/* defineAssetKind(kind) */
static napi_value graph_define_asset_kind(napi_env env, napi_callback_info info)
{
	call c;
	char *kind;
	int rc;
	napi_value result = NULL;

	if (call_begin(env, info, &c) || arg_string(env, &c.pool, c.argv[0], "kind", &kind))
		goto done;
	graph_lock(c.g);
	rc = lineage_asset_kind_define(c.g->db, kind);
	graph_unlock(c.g);
	result = void_answer(env, rc);
done:
	arg_pool_free(&c.pool);
	return result;
}

/* assetKinds(): [{name, builtin}] */
static napi_value graph_asset_kinds(napi_env env, napi_callback_info info)
{
	call c;
	char *json = NULL;
	int rc;
	napi_value result = NULL;

	if (call_begin(env, info, &c))
		goto done;
	graph_lock(c.g);
	rc = lineage_asset_kinds_json(&json, c.g->db);
	graph_unlock(c.g);
	result = json_answer(env, rc, json);
done:
	arg_pool_free(&c.pool);
	return result;
}

/* ---- registration ----------------------------------------------------------------- */

#define METHOD(name, fn) {name, NULL, fn, NULL, NULL, NULL, napi_default_method, NULL}
#define GETTER(name, fn) {name, NULL, NULL, fn, NULL, NULL, napi_default_jsproperty, NULL}

int graph_register(napi_env env, napi_value exports, addon_data *ad)
{
	napi_property_descriptor props[] = {
		METHOD("close", graph_close),
		GETTER("closed", graph_get_closed),
		GETTER("filename", graph_get_path),
		GETTER("inTransaction", graph_get_in_transaction),
		GETTER("batchId", graph_get_batch_id),
		METHOD("addAsset", graph_add_asset),
		METHOD("getAsset", graph_get_asset),
		METHOD("hasAsset", graph_has_asset),
		METHOD("removeAsset", graph_remove_asset),
		METHOD("children", graph_children),
		METHOD("search", graph_search),
		METHOD("addEdge", graph_add_edge),
		METHOD("getEdge", graph_get_edge),
		METHOD("findEdge", graph_find_edge),
		METHOD("removeEdge", graph_remove_edge),
		METHOD("edges", graph_edges),
		METHOD("pendingEdges", graph_pending_edges),
		METHOD("approve", graph_approve),
		METHOD("reject", graph_reject),
		METHOD("upstream", graph_upstream),
		METHOD("downstream", graph_downstream),
		METHOD("lineage", graph_both),
		METHOD("impact", graph_impact),
		METHOD("path", graph_path),
		METHOD("subtree", graph_subtree),
		METHOD("roots", graph_roots),
		METHOD("leaves", graph_leaves),
		METHOD("orphans", graph_orphans),
		METHOD("cycles", graph_cycles),
		METHOD("topo", graph_topo),
		METHOD("criticalPath", graph_critical_path),
		METHOD("history", graph_history),
		METHOD("edgeHistory", graph_edge_history),
		METHOD("changesSince", graph_changes_since),
		METHOD("lastSeq", graph_last_seq),
		METHOD("stats", graph_stats),
		METHOD("begin", graph_begin),
		METHOD("commit", graph_commit),
		METHOD("rollback", graph_rollback),
		METHOD("revertBatch", graph_revert_batch),
		METHOD("setActor", graph_set_actor),
		METHOD("defineEdgeKind", graph_define_edge_kind),
		METHOD("defineAssetKind", graph_define_asset_kind),
		METHOD("assetKinds", graph_asset_kinds),
		METHOD("downstreamAsync", graph_downstream_async),
		METHOD("upstreamAsync", graph_upstream_async),
		METHOD("backup", graph_backup),
		METHOD("importFile", graph_import_file),
		METHOD("scan", graph_scan),
		METHOD("export", graph_export),
	};
	napi_value ctor;
	int rc = -1;

	CHECK(napi_define_class(env, "Graph", NAPI_AUTO_LENGTH, graph_construct, NULL,
				sizeof props / sizeof props[0], props, &ctor));
	CHECK(napi_create_reference(env, ctor, 1, &ad->graph_ctor));
	CHECK(napi_set_named_property(env, exports, "Graph", ctor));
	rc = 0;
done:
	return rc;
}
