/*
 * liblineage for Node.js: reading arguments. A wrong type is a TypeError naming the
 * argument and what was given; a well-typed but wrong value is left to liblineage (or is an
 * EINVALID error) so that its message and code are the same as in C and in the CLI.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addon.h"

void arg_pool_free(arg_pool *pool)
{
	for (size_t i = 0; i < pool->count; i++)
		free(pool->items[i]);
	free(pool->items);
	for (size_t i = 0; i < pool->view_count; i++)
		free((void *)pool->views[i]);
	free(pool->views);
	memset(pool, 0, sizeof *pool);
}

static int pool_push(napi_env env, arg_pool *pool, char *s)
{
	if (pool->count == pool->cap) {
		size_t cap = pool->cap ? pool->cap * 2 : 8;
		char **items = realloc(pool->items, cap * sizeof *items);
		if (!items) {
			free(s);
			napi_throw_error(env, "ENOMEM", "out of memory");
			return -1;
		}
		pool->items = items;
		pool->cap = cap;
	}
	pool->items[pool->count++] = s;
	return 0;
}

/* Keep an array of borrowed pointers (freed with the pool, not its strings). */
static int pool_push_view(napi_env env, arg_pool *pool, const char **view)
{
	if (pool->view_count == pool->view_cap) {
		size_t cap = pool->view_cap ? pool->view_cap * 2 : 4;
		const char **views = realloc(pool->views, cap * sizeof *views);
		if (!views) {
			free(view);
			napi_throw_error(env, "ENOMEM", "out of memory");
			return -1;
		}
		pool->views = views;
		pool->view_cap = cap;
	}
	pool->views[pool->view_count++] = (const char *)view;
	return 0;
}

const char *arg_type_name(napi_env env, napi_value value)
{
	napi_valuetype type;
	bool is_array = false;
	if (napi_typeof(env, value, &type) != napi_ok)
		return "an unknown value";
	switch (type) {
	case napi_undefined: return "undefined";
	case napi_null: return "null";
	case napi_boolean: return "a boolean";
	case napi_number: return "a number";
	case napi_string: return "a string";
	case napi_symbol: return "a symbol";
	case napi_function: return "a function";
	case napi_external: return "an external";
	case napi_bigint: return "a bigint";
	case napi_object:
		napi_is_array(env, value, &is_array);
		return is_array ? "an array" : "an object";
	}
	return "an unknown value";
}

int arg_string(napi_env env, arg_pool *pool, napi_value value, const char *what, char **out)
{
	napi_valuetype type;
	size_t len = 0;
	char *buf = NULL;

	if (napi_typeof(env, value, &type) != napi_ok || type != napi_string) {
		addon_throw_type(env, "%s must be a string, got %s", what,
				 arg_type_name(env, value));
		return -1;
	}
	if (napi_get_value_string_utf8(env, value, NULL, 0, &len) != napi_ok) {
		addon_throw_napi(env, napi_string_expected, what);
		return -1;
	}
	buf = malloc(len + 1);
	if (!buf) {
		napi_throw_error(env, "ENOMEM", "out of memory");
		return -1;
	}
	if (napi_get_value_string_utf8(env, value, buf, len + 1, &len) != napi_ok) {
		free(buf);
		addon_throw_napi(env, napi_string_expected, what);
		return -1;
	}
	/* C strings end at the first NUL: refuse rather than silently cut the value. */
	if (strlen(buf) != len) {
		free(buf);
		addon_throw_type(env, "%s must not contain a NUL character (\\0)", what);
		return -1;
	}
	if (pool_push(env, pool, buf))
		return -1;
	*out = buf;
	return 0;
}

int arg_optional_string(napi_env env, arg_pool *pool, napi_value value, const char *what,
			char **out)
{
	napi_valuetype type;
	*out = NULL;
	if (napi_typeof(env, value, &type) != napi_ok) {
		addon_throw_napi(env, napi_generic_failure, what);
		return -1;
	}
	if (type == napi_undefined || type == napi_null)
		return 0;
	return arg_string(env, pool, value, what, out);
}

int arg_prop(napi_env env, napi_value obj, const char *name, napi_value *out, int *present)
{
	napi_valuetype type;
	*present = 0;
	if (napi_get_named_property(env, obj, name, out) != napi_ok) {
		addon_throw_napi(env, napi_generic_failure, name);
		return -1;
	}
	if (napi_typeof(env, *out, &type) != napi_ok) {
		addon_throw_napi(env, napi_generic_failure, name);
		return -1;
	}
	*present = type != napi_undefined && type != napi_null;
	return 0;
}

static int is_known(const char *const *known, const char *name)
{
	for (size_t i = 0; known[i]; i++)
		if (!strcmp(known[i], name))
			return 1;
	return 0;
}

int arg_options(napi_env env, napi_value value, const char *what, const char *const *known,
		int *present)
{
	napi_valuetype type;
	bool is_array = false;
	napi_value names = NULL, name;
	uint32_t n = 0;
	arg_pool pool = {0};
	int rc = -1;

	*present = 0;
	if (!value)
		return 0;
	CHECK(napi_typeof(env, value, &type));
	if (type == napi_undefined || type == napi_null)
		return 0;
	CHECK(napi_is_array(env, value, &is_array));
	if (type != napi_object || is_array) {
		addon_throw_type(env, "%s must be an object, got %s", what,
				 arg_type_name(env, value));
		return -1;
	}
	*present = 1;
	if (!known)
		return 0;
	CHECK(napi_get_property_names(env, value, &names));
	CHECK(napi_get_array_length(env, names, &n));
	for (uint32_t i = 0; i < n; i++) {
		char *s = NULL;
		CHECK(napi_get_element(env, names, i, &name));
		if (arg_string(env, &pool, name, "option name", &s))
			goto done;
		if (!is_known(known, s)) {
			char list[512] = "";
			size_t used = 0;
			for (size_t k = 0; known[k] && used < sizeof list; k++)
				used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
							 k ? ", " : "", known[k]);
			addon_throw_type(env, "%s: unknown option \"%.100s\" (known: %s)", what, s,
					 list);
			goto done;
		}
	}
	rc = 0;
done:
	arg_pool_free(&pool);
	return rc;
}

int opt_string(napi_env env, arg_pool *pool, napi_value obj, const char *name,
	       const char *what, const char **out)
{
	napi_value v;
	int present;
	char *s;
	if (arg_prop(env, obj, name, &v, &present))
		return -1;
	if (!present)
		return 0;
	if (arg_string(env, pool, v, what, &s))
		return -1;
	*out = s;
	return 0;
}

int opt_bool(napi_env env, napi_value obj, const char *name, const char *what, int *out)
{
	napi_value v;
	int present;
	bool b;
	napi_valuetype type;
	if (arg_prop(env, obj, name, &v, &present))
		return -1;
	if (!present)
		return 0;
	if (napi_typeof(env, v, &type) != napi_ok || type != napi_boolean ||
	    napi_get_value_bool(env, v, &b) != napi_ok) {
		addon_throw_type(env, "%s must be a boolean, got %s", what, arg_type_name(env, v));
		return -1;
	}
	*out = b;
	return 0;
}

int opt_double(napi_env env, napi_value obj, const char *name, const char *what, double *out,
	       int *present)
{
	napi_value v;
	napi_valuetype type;
	int has;
	if (present)
		*present = 0;
	if (arg_prop(env, obj, name, &v, &has))
		return -1;
	if (!has)
		return 0;
	if (napi_typeof(env, v, &type) != napi_ok || type != napi_number ||
	    napi_get_value_double(env, v, out) != napi_ok) {
		addon_throw_type(env, "%s must be a number, got %s", what, arg_type_name(env, v));
		return -1;
	}
	if (isnan(*out)) {
		addon_throw_type(env, "%s must be a number, got NaN", what);
		return -1;
	}
	if (present)
		*present = 1;
	return 0;
}

int opt_int64(napi_env env, napi_value obj, const char *name, const char *what, int64_t min,
	      int64_t max, int64_t *out, int *present)
{
	double d;
	int has = 0;
	if (present)
		*present = 0;
	if (opt_double(env, obj, name, what, &d, &has))
		return -1;
	if (!has)
		return 0;
	if (isinf(d) && d > 0) {
		/* Infinity means "no limit": the caller's max stands for it. */
		*out = max;
	} else if (d != floor(d)) {
		addon_throw_type(env, "%s must be an integer, got %g", what, d);
		return -1;
	} else if (d < (double)min || d > (double)max) {
		addon_throw_invalid(env, "%s must be from %lld to %lld, got %g", what,
				    (long long)min, (long long)max, d);
		return -1;
	} else {
		*out = (int64_t)d;
	}
	if (present)
		*present = 1;
	return 0;
}

int opt_size(napi_env env, napi_value obj, const char *name, const char *what, int64_t min,
	     int64_t max, size_t *out)
{
	int64_t n;
	int has;
	if (opt_int64(env, obj, name, what, min, max, &n, &has))
		return -1;
	if (has)
		*out = (size_t)n;
	return 0;
}

int arg_string_array(napi_env env, arg_pool *pool, napi_value v, const char *what,
		     const char *const **out, size_t *count, int *present)
{
	napi_value item;
	napi_valuetype type;
	bool is_array = false;
	uint32_t n = 0;
	const char **list = NULL;
	char label[160];

	if (present)
		*present = 0;
	if (napi_typeof(env, v, &type) != napi_ok || napi_is_array(env, v, &is_array) != napi_ok) {
		addon_throw_napi(env, napi_generic_failure, what);
		return -1;
	}
	if (type == napi_undefined || type == napi_null)
		return 0;
	if (type == napi_string) {
		char *s;
		if (arg_string(env, pool, v, what, &s))
			return -1;
		list = malloc(sizeof *list);
		if (!list) {
			napi_throw_error(env, "ENOMEM", "out of memory");
			return -1;
		}
		if (pool_push_view(env, pool, list))
			return -1;
		list[0] = s;
		*out = list;
		*count = 1;
		if (present)
			*present = 1;
		return 0;
	}
	if (!is_array) {
		addon_throw_type(env, "%s must be an array of strings, got %s", what,
				 arg_type_name(env, v));
		return -1;
	}
	if (napi_get_array_length(env, v, &n) != napi_ok) {
		addon_throw_napi(env, napi_array_expected, what);
		return -1;
	}
	list = calloc(n ? n : 1, sizeof *list);
	if (!list) {
		napi_throw_error(env, "ENOMEM", "out of memory");
		return -1;
	}
	if (pool_push_view(env, pool, list))
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		char *s;
		if (napi_get_element(env, v, i, &item) != napi_ok) {
			addon_throw_napi(env, napi_generic_failure, what);
			return -1;
		}
		snprintf(label, sizeof label, "%s[%u]", what, i);
		if (arg_string(env, pool, item, label, &s))
			return -1;
		list[i] = s;
	}
	*out = list;
	*count = n;
	if (present)
		*present = 1;
	return 0;
}

int opt_string_array(napi_env env, arg_pool *pool, napi_value obj, const char *name,
		     const char *what, const char *const **out, size_t *count, int *present)
{
	napi_value v;
	int has;

	if (present)
		*present = 0;
	if (arg_prop(env, obj, name, &v, &has))
		return -1;
	if (!has)
		return 0;
	return arg_string_array(env, pool, v, what, out, count, present);
}

int opt_json(napi_env env, arg_pool *pool, napi_value obj, const char *name, const char *what,
	     const char **out)
{
	napi_value v;
	int present;
	char *s = NULL;
	napi_valuetype type;
	if (arg_prop(env, obj, name, &v, &present))
		return -1;
	if (!present)
		return 0;
	if (napi_typeof(env, v, &type) != napi_ok) {
		addon_throw_napi(env, napi_generic_failure, name);
		return -1;
	}
	if (type == napi_function || type == napi_symbol || type == napi_bigint) {
		addon_throw_type(env, "%s must be JSON data (an object), got %s", what,
				 arg_type_name(env, v));
		return -1;
	}
	if (addon_json_stringify(env, v, &s))
		return -1;
	if (pool_push(env, pool, s))
		return -1;
	*out = s;
	return 0;
}

int opt_function(napi_env env, napi_value obj, const char *name, const char *what,
		 napi_value *out)
{
	napi_value v;
	int present;
	napi_valuetype type;
	*out = NULL;
	if (arg_prop(env, obj, name, &v, &present))
		return -1;
	if (!present)
		return 0;
	if (napi_typeof(env, v, &type) != napi_ok || type != napi_function) {
		addon_throw_type(env, "%s must be a function, got %s", what,
				 arg_type_name(env, v));
		return -1;
	}
	*out = v;
	return 0;
}

int arg_edge_id(napi_env env, napi_value value, const char *what, int64_t *out)
{
	napi_valuetype type;
	if (!value || napi_typeof(env, value, &type) != napi_ok) {
		addon_throw_type(env, "%s must be an edge id (a positive integer), got undefined",
				 what);
		return -1;
	}
	if (type == napi_number) {
		double d;
		napi_get_value_double(env, value, &d);
		if (isnan(d) || d != floor(d) || d < 1 || d > 9007199254740991.0) {
			addon_throw_type(env, "%s must be an edge id (a positive integer), got %g",
					 what, d);
			return -1;
		}
		*out = (int64_t)d;
		return 0;
	}
	if (type == napi_bigint) {
		bool lossless = false;
		if (napi_get_value_bigint_int64(env, value, out, &lossless) != napi_ok ||
		    !lossless || *out < 1) {
			addon_throw_type(env, "%s must be an edge id (a positive integer)", what);
			return -1;
		}
		return 0;
	}
	addon_throw_type(env, "%s must be an edge id (a positive integer), got %s", what,
			 arg_type_name(env, value));
	return -1;
}

static int parse_columns(napi_env env, const char *s, lineage_columns *out)
{
	if (!strcmp(s, "include"))
		*out = LINEAGE_COLUMNS_INCLUDE;
	else if (!strcmp(s, "rollup"))
		*out = LINEAGE_COLUMNS_ROLLUP;
	else if (!strcmp(s, "exclude"))
		*out = LINEAGE_COLUMNS_EXCLUDE;
	else {
		addon_throw_invalid(env,
				    "unknown columns mode \"%.100s\": use include, rollup or exclude",
				    s);
		return -1;
	}
	return 0;
}

/*
 * One query option, by name (the object has it). Returns 0, 1 for a name that is not a
 * query option, or -1.
 */
static int query_option(napi_env env, arg_pool *pool, napi_value obj, const char *name,
			lineage_query_options *q, int *format)
{
	const char *str = NULL;
	int64_t n = 0;
	int present = 0;

	if (!strcmp(name, "depth")) {
		if (opt_int64(env, obj, "depth", "options.depth", 1, INT32_MAX, &n, &present))
			return -1;
		if (present)
			q->max_depth = n == INT32_MAX ? 0 : (int)n;
	} else if (!strcmp(name, "minSource")) {
		if (opt_string(env, pool, obj, "minSource", "options.minSource", &str))
			return -1;
		if (str) {
			lineage_source src;
			if (lineage_source_parse(&src, str)) {
				addon_throw_last(env);
				return -1;
			}
			q->min_source = src;
		}
	} else if (!strcmp(name, "minConfidence")) {
		return opt_double(env, obj, "minConfidence", "options.minConfidence",
				  &q->min_confidence, NULL);
	} else if (!strcmp(name, "edgeKinds")) {
		return opt_string_array(env, pool, obj, "edgeKinds", "options.edgeKinds",
					&q->edge_kinds, &q->edge_kind_count, NULL);
	} else if (!strcmp(name, "assetKinds")) {
		return opt_string_array(env, pool, obj, "assetKinds", "options.assetKinds",
					&q->asset_kinds, &q->asset_kind_count, NULL);
	} else if (!strcmp(name, "columns")) {
		if (opt_string(env, pool, obj, "columns", "options.columns", &str))
			return -1;
		if (str && parse_columns(env, str, &q->columns))
			return -1;
	} else if (!strcmp(name, "maxNodes")) {
		if (opt_int64(env, obj, "maxNodes", "options.maxNodes", 1, INT64_MAX / 2, &n,
			      &present))
			return -1;
		if (present)
			q->max_nodes = n == INT64_MAX / 2 ? 0 : (size_t)n;
	} else if (!strcmp(name, "format") && format) {
		if (opt_string(env, pool, obj, "format", "options.format", &str))
			return -1;
		if (str) {
			if (strcmp(str, "plain") && strcmp(str, "cytoscape")) {
				addon_throw_invalid(env,
						    "unknown format \"%.100s\": use plain or cytoscape",
						    str);
				return -1;
			}
			*format = strcmp(str, "plain") ? LINEAGE_JSON_CYTOSCAPE : LINEAGE_JSON_PLAIN;
		}
	} else {
		return 1;
	}
	return 0;
}

int arg_query_options(napi_env env, arg_pool *pool, napi_value obj, lineage_query_options *q,
		      int *format)
{
	napi_value names, name;
	uint32_t n = 0;
	int rc = -1;

	if (lineage_query_options_init(q, LINEAGE_QUERY_OPTIONS_VERSION)) {
		addon_throw_last(env);
		return -1;
	}
	if (format)
		*format = LINEAGE_JSON_PLAIN;
	if (!obj)
		return 0;
	/* Only the options the object has are read: one pass over its names rather than a
	 * lookup per known option (most calls pass one or two). */
	CHECK(napi_get_property_names(env, obj, &names));
	CHECK(napi_get_array_length(env, names, &n));
	for (uint32_t i = 0; i < n; i++) {
		char buf[32];
		size_t len = 0;
		CHECK(napi_get_element(env, names, i, &name));
		/* Longer names are no query option; other names belong to the caller. */
		if (napi_get_value_string_utf8(env, name, buf, sizeof buf, &len) != napi_ok ||
		    len >= sizeof buf - 1)
			continue;
		if (query_option(env, pool, obj, buf, q, format) < 0)
			goto done;
	}
	rc = 0;
done:
	return rc;
}
