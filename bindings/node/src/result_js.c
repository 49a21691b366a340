/*
 * liblineage for Node.js: traversal results built directly as JavaScript objects.
 *
 * The plain traversal shape ({root, direction, nodes, edges, truncated}) is the hot path of
 * a lineage service, so it is built from the result's accessors instead of going through
 * lineage_result_to_json() and JSON.parse: measured on a 1,500-node answer, this is several
 * times faster (docs/benchmarks.md). The fields, their order and the rounding of confidences
 * (15 significant digits) are those of the library's JSON, which the tests compare against.
 * Every key string is created once per result: edges reuse the nodes' strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addon.h"

/* Property names, created once per result. */
enum { P_KEY, P_KIND, P_DISTANCE, P_CONFIDENCE, P_ID, P_SOURCE, P_TARGET, P_LINEAGE_SOURCE,
       P_ROOT, P_DIRECTION, P_NODES, P_EDGES, P_TRUNCATED, P_COUNT };
static const char *const prop_names[P_COUNT] = {
	"key", "kind", "distance", "confidence", "id", "source", "target", "lineage_source",
	"root", "direction", "nodes", "edges", "truncated"};

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
	napi_value names[P_COUNT], obj, nodes, edges, v;
	napi_property_descriptor d[6];
	str_cache cache = {0};
	const char *root = lineage_result_root(res);
	int rc = -1;

	memset(d, 0, sizeof d);
	for (int k = 0; k < 6; k++)
		d[k].attributes = napi_default_jsproperty;
	if (cache_init(&cache, n_nodes + 2 * n_edges + 1)) {
		napi_throw_error(env, "ENOMEM", "out of memory");
		goto done;
	}
	for (int k = 0; k < P_COUNT; k++)
		CHECK(napi_create_string_utf8(env, prop_names[k], NAPI_AUTO_LENGTH, &names[k]));

	CHECK(napi_create_array_with_length(env, n_nodes, &nodes));
	for (size_t i = 0; i < n_nodes; i++) {
		const lineage_node *n = lineage_result_node(res, i);
		napi_value node;
		if (!n)
			goto lib_fail; /* finishing the result failed (out of memory) */
		CHECK(napi_create_object(env, &node));
		d[0].name = names[P_KEY];
		if (cache_get(env, &cache, n->key, &d[0].value))
			goto napi_fail;
		d[1].name = names[P_KIND];
		if (cache_get(env, &cache, n->kind, &d[1].value))
			goto napi_fail;
		d[2].name = names[P_DISTANCE];
		CHECK(napi_create_int32(env, n->distance, &d[2].value));
		d[3].name = names[P_CONFIDENCE];
		CHECK(napi_create_double(env, round15(n->confidence), &d[3].value));
		CHECK(napi_define_properties(env, node, 4, d));
		CHECK(napi_set_element(env, nodes, (uint32_t)i, node));
	}

	CHECK(napi_create_array_with_length(env, n_edges, &edges));
	for (size_t i = 0; i < n_edges; i++) {
		const lineage_result_edge *e = lineage_result_edge_at(res, i);
		napi_value edge;
		if (!e)
			goto lib_fail;
		CHECK(napi_create_object(env, &edge));
		d[0].name = names[P_ID];
		CHECK(napi_create_int64(env, e->edge_id, &d[0].value));
		d[1].name = names[P_SOURCE];
		if (cache_get(env, &cache, e->source_key, &d[1].value))
			goto napi_fail;
		d[2].name = names[P_TARGET];
		if (cache_get(env, &cache, e->target_key, &d[2].value))
			goto napi_fail;
		d[3].name = names[P_KIND];
		if (cache_get(env, &cache, e->kind, &d[3].value))
			goto napi_fail;
		d[4].name = names[P_LINEAGE_SOURCE];
		if (cache_get(env, &cache, lineage_source_name(e->lineage_source), &d[4].value))
			goto napi_fail;
		d[5].name = names[P_CONFIDENCE];
		CHECK(napi_create_double(env, round15(e->confidence), &d[5].value));
		CHECK(napi_define_properties(env, edge, 6, d));
		CHECK(napi_set_element(env, edges, (uint32_t)i, edge));
	}

	CHECK(napi_create_object(env, &obj));
	d[0].name = names[P_ROOT];
	if (root) {
		if (cache_get(env, &cache, root, &d[0].value))
			goto napi_fail;
	} else {
		CHECK(napi_get_null(env, &d[0].value));
	}
	d[1].name = names[P_DIRECTION];
	CHECK(napi_create_string_utf8(env, direction_name(dir), NAPI_AUTO_LENGTH, &d[1].value));
	d[2].name = names[P_NODES];
	d[2].value = nodes;
	d[3].name = names[P_EDGES];
	d[3].value = edges;
	d[4].name = names[P_TRUNCATED];
	CHECK(napi_get_boolean(env, lineage_result_truncated(res) != 0, &v));
	d[4].value = v;
	CHECK(napi_define_properties(env, obj, 5, d));
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
