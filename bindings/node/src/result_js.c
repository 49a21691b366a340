/*
 * liblineage for Node.js: traversal results built directly as JavaScript objects.
 *
 * The plain traversal shape ({root, direction, nodes, edges, truncated}) is the hot path of
 * a lineage service, so it is built from the result's accessors instead of going through
 * lineage_result_to_json() and JSON.parse. The objects themselves are made by three small
 * JavaScript factories from index.js (object literals): V8 builds those on its fast path,
 * while defining the same properties through napi_define_properties cost about twice the
 * instructions per call (measured with callgrind; docs/benchmarks.md). Fields, their order and
 * the rounding of confidences (15 significant digits) are those of the library's JSON, which
 * a test compares against. Every key string is created once per result: edges reuse the
 * nodes' strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addon.h"

/* A string cache keyed by content: open addressing, sized for the result. */
typedef struct str_cache {
	const char **keys;
	napi_value *values;
	size_t cap; /* a power of two */
} str_cache;

static uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static int cache_init(str_cache *c, size_t expected)
{
	size_t cap = 16;
	while (cap < expected * 2)
		cap *= 2;
	c->keys = calloc(cap, sizeof *c->keys);
	c->values = calloc(cap, sizeof *c->values);
	c->cap = cap;
	return c->keys && c->values ? 0 : -1;
}

static void cache_free(str_cache *c)
{
	free(c->keys);
	free(c->values);
}

/* The JS string for s (created on first use). 0 or -1. */
static int cache_get(napi_env env, str_cache *c, const char *s, napi_value *out)
{
	size_t mask = c->cap - 1, i = (size_t)hash_str(s) & mask;
	while (c->keys[i]) {
		if (c->keys[i] == s || !strcmp(c->keys[i], s)) {
			*out = c->values[i];
			return 0;
		}
		i = (i + 1) & mask;
	}
	if (napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, out) != napi_ok)
		return -1;
	/* The cache is sized for twice the strings it can see, so it never fills up. */
	c->keys[i] = s;
	c->values[i] = *out;
	return 0;
}

/* A confidence as the library's JSON writes it: 15 significant digits. */
static double round15(double x)
{
	char buf[40];
	if (x == 1.0 || x == 0.0)
		return x; /* the common case, and exact */
	snprintf(buf, sizeof buf, "%.15g", x);
	return strtod(buf, NULL);
}

static const char *direction_name(lineage_direction d)
{
	switch (d) {
	case LINEAGE_UPSTREAM: return "upstream";
	case LINEAGE_DOWNSTREAM: return "downstream";
	default: return "both";
	}
}

int result_traversal_to_js(napi_env env, const lineage_result *res, lineage_direction dir,
			   napi_value *out)
{
	size_t n_nodes = lineage_result_node_count(res), n_edges = lineage_result_edge_count(res);
	addon_data *ad = addon_get(env);
	napi_value obj, nodes, edges, make_node, make_edge, undef;
	str_cache cache = {0};
	const char *root = lineage_result_root(res);
	int rc = -1;

	if (cache_init(&cache, n_nodes + 2 * n_edges + 1)) {
		napi_throw_error(env, "ENOMEM", "out of memory");
		goto done;
	}

	CHECK(napi_get_reference_value(env, ad->make_node, &make_node));
	CHECK(napi_get_reference_value(env, ad->make_edge, &make_edge));
	CHECK(napi_get_undefined(env, &undef));
	CHECK(napi_create_array_with_length(env, n_nodes, &nodes));
	for (size_t i = 0; i < n_nodes; i++) {
		const lineage_node *n = lineage_result_node(res, i);
		napi_value node, args[4];
		if (!n)
			goto lib_fail; /* finishing the result failed (out of memory) */
		if (cache_get(env, &cache, n->key, &args[0]) ||
		    cache_get(env, &cache, n->kind, &args[1]))
			goto napi_fail;
		CHECK(napi_create_int32(env, n->distance, &args[2]));
		CHECK(napi_create_double(env, round15(n->confidence), &args[3]));
		CHECK(napi_call_function(env, undef, make_node, 4, args, &node));
		CHECK(napi_set_element(env, nodes, (uint32_t)i, node));
	}

	CHECK(napi_create_array_with_length(env, n_edges, &edges));
	for (size_t i = 0; i < n_edges; i++) {
		const lineage_result_edge *e = lineage_result_edge_at(res, i);
		napi_value edge, args[6];
		if (!e)
			goto lib_fail;
		CHECK(napi_create_int64(env, e->edge_id, &args[0]));
		if (cache_get(env, &cache, e->source_key, &args[1]) ||
		    cache_get(env, &cache, e->target_key, &args[2]) ||
		    cache_get(env, &cache, e->kind, &args[3]) ||
		    cache_get(env, &cache, lineage_source_name(e->lineage_source), &args[4]))
			goto napi_fail;
		CHECK(napi_create_double(env, round15(e->confidence), &args[5]));
		CHECK(napi_call_function(env, undef, make_edge, 6, args, &edge));
		CHECK(napi_set_element(env, edges, (uint32_t)i, edge));
	}

	{
		napi_value args[5], make_traversal;
		CHECK(napi_get_reference_value(env, ad->make_traversal, &make_traversal));
		if (root) {
			if (cache_get(env, &cache, root, &args[0]))
				goto napi_fail;
		} else {
			CHECK(napi_get_null(env, &args[0]));
		}
		CHECK(napi_create_string_utf8(env, direction_name(dir), NAPI_AUTO_LENGTH, &args[1]));
		args[2] = nodes;
		args[3] = edges;
		CHECK(napi_get_boolean(env, lineage_result_truncated(res) != 0, &args[4]));
		CHECK(napi_call_function(env, undef, make_traversal, 5, args, &obj));
	}
	*out = obj;
	rc = 0;
	goto done;
napi_fail:
	addon_throw_napi(env, napi_generic_failure, "napi_create_string_utf8");
	goto done;
lib_fail:
	addon_throw_last(env);
done:
	cache_free(&cache);
	return rc;
}
