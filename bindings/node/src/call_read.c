/*
 * liblineage for Node.js: reading a method's arguments as its table row describes them.
 * Positional arguments come first, then an options object (V_OPTIONS) whose known
 * properties are the fields after it: an unknown property is a TypeError that lists them.
 * Every value is checked with the helpers of args.c, so messages name the argument or the
 * property ("options.limit") the way the caller wrote it.
 */
#include <stdio.h>
#include <string.h>

#include "method.h"

#define SLOT(a, off) ((void *)((char *)(a) + (off)))

static const char *const query_option_names[] = {QUERY_OPTION_NAMES, NULL};

/* The property names of the options object that starts at `f` (V_OPTIONS), deduplicated. */
static int known_names(napi_env env, const field *f, const char **out, size_t cap)
{
	size_t n = 0;
	for (f++; f->type != V_END; f++) {
		const char *const one[] = {f->name, NULL};
		const char *const *names = f->type == V_QUERY ? query_option_names : one;
		for (; *names; names++) {
			size_t k = 0;
			while (k < n && strcmp(out[k], *names))
				k++;
			if (k < n)
				continue;
			if (n + 1 >= cap) {
				addon_throw_napi(env, napi_generic_failure, "too many options");
				return -1;
			}
			out[n++] = *names;
		}
	}
	out[n] = NULL;
	return 0;
}

static int read_choice(napi_env env, const choices *c, const char *s, int *out)
{
	for (const choice *i = c->items; i->name; i++) {
		if (!strcmp(i->name, s)) {
			*out = i->value;
			return 0;
		}
	}
	addon_throw_invalid(env, "unknown %s \"%.100s\": use %s", c->noun, s, c->listed);
	return -1;
}

/* A name the library parses: its own message on failure. */
static int read_parsed(napi_env env, value_type type, const char *s, void *slot)
{
	int rc = 0;
	switch (type) {
	case V_SOURCE: rc = lineage_source_parse(slot, s); break;
	case V_CHANGE: rc = lineage_change_type_parse(slot, s); break;
	case V_FORMAT: rc = lineage_format_parse(slot, s); break;
	case V_RECORDS: rc = lineage_record_type_parse(slot, s); break;
	default: break;
	}
	if (rc)
		addon_throw_last(env);
	return rc ? -1 : 0;
}

/* An integer property in [min, max], stored with the slot's width. */
static int read_integer(napi_env env, napi_value obj, const field *f, const char *what,
			void *slot, int *has)
{
	int64_t n = 0;
	if (opt_int64(env, obj, f->name, what, f->min, f->max, &n, has))
		return -1;
	if (!*has)
		return 0;
	if (f->type == V_INT)
		*(int *)slot = (int)n;
	else if (f->type == V_INT64)
		*(int64_t *)slot = n;
	else
		*(size_t *)slot = (size_t)n;
	return 0;
}

/* One property of the options object `obj` (NULL when the object was not given). */
static int read_option(napi_env env, call_args *a, napi_value obj, const field *f,
		       const char *prefix)
{
	void *slot = SLOT(a, f->at);
	char what[96];
	const char *s = NULL;
	int has = 0, b = -1;

	if (f->type == V_QUERY)
		return arg_query_options(env, &a->pool, obj, slot, f->aux ? SLOT(a, f->aux) : NULL);
	if (!obj || f->type == V_JOB)
		return 0;
	snprintf(what, sizeof what, "%s.%s", prefix, f->name);
	switch (f->type) {
	case V_STRING: return opt_string(env, &a->pool, obj, f->name, what, slot);
	case V_JSON: return opt_json(env, &a->pool, obj, f->name, what, slot);
	case V_BOOL: return opt_bool(env, obj, f->name, what, slot);
	case V_FLAG:
		if (opt_bool(env, obj, f->name, what, &b))
			return -1;
		if (b >= 0 && b == !(f->flags & F_NEGATE))
			*(unsigned int *)slot |= (unsigned int)f->min;
		else if (b >= 0)
			*(unsigned int *)slot &= ~(unsigned int)f->min;
		return 0;
	case V_CONFIDENCE:
		if (opt_double(env, obj, f->name, what, slot, &has))
			return -1;
		if (has && (*(double *)slot < 0 || *(double *)slot > 1)) {
			addon_throw_invalid(env, "%s %g is outside 0..1: use a number from 0 to 1, "
						 "such as 0.8", f->name, *(double *)slot);
			return -1;
		}
		break;
	case V_INT:
	case V_INT64:
	case V_SIZE:
		if (read_integer(env, obj, f, what, slot, &has))
			return -1;
		break;
	case V_STRINGS:
		if (opt_string_array(env, &a->pool, obj, f->name, what, slot, SLOT(a, f->aux),
				     &has))
			return -1;
		break;
	default:
		/* A name: one of the table's choices, or one the library parses. */
		if (opt_string(env, &a->pool, obj, f->name, what, &s))
			return -1;
		if (s && f->type == V_CHOICE)
			return read_choice(env, f->choices, s, slot);
		return s ? read_parsed(env, f->type, s, slot) : 0;
	}
	if (f->present)
		*(int *)SLOT(a, f->present) = has;
	return 0;
}

/* A positional argument (`missing`: not passed at all). */
static int read_argument(napi_env env, call_args *a, napi_value v, int missing,
			 const field *f, const char *name)
{
	void *slot = SLOT(a, f->at);
	napi_valuetype type;
	char *s;
	double d;
	int has = 0;

	if (napi_typeof(env, v, &type) != napi_ok) {
		addon_throw_napi(env, napi_generic_failure, f->name);
		return -1;
	}
	if ((type == napi_undefined && (f->flags & (F_OPTIONAL | F_NULLABLE))) ||
	    (type == napi_null && (f->flags & F_NULLABLE)))
		return 0;
	switch (f->type) {
	case V_STRING:
		if (missing && f->required) {
			addon_throw_type(env, f->required, name);
			return -1;
		}
		if (arg_string(env, &a->pool, v, f->name, &s))
			return -1;
		*(const char **)slot = s;
		return 0;
	case V_ID:
		return arg_edge_id(env, v, f->name, slot);
	case V_SEQ:
		if (type != napi_number || napi_get_value_double(env, v, &d) != napi_ok ||
		    d != (double)(int64_t)d || d < 0) {
			addon_throw_type(env, "%s must be a non-negative integer, got %s", f->name,
					 arg_type_name(env, v));
			return -1;
		}
		*(int64_t *)slot = (int64_t)d;
		return 0;
	case V_STRINGS:
		if (arg_string_array(env, &a->pool, v, f->name, slot, SLOT(a, f->aux), &has))
			return -1;
		if (f->required && (!has || !*(size_t *)SLOT(a, f->aux))) {
			addon_throw_type(env, f->required, name);
			return -1;
		}
		return 0;
	default:
		addon_throw_napi(env, napi_generic_failure, "unreadable argument");
		return -1;
	}
}

/* The options object at `f`, then its properties. */
static int read_options(napi_env env, call_args *a, napi_value v, const field *f,
			const char *name)
{
	const char *known[64];
	napi_valuetype type = napi_undefined;
	int present = 0;

	if (napi_typeof(env, v, &type) != napi_ok) {
		addon_throw_napi(env, napi_generic_failure, f->name);
		return -1;
	}
	/* The known names matter only for an object (anything else is refused or absent). */
	if ((type == napi_object && known_names(env, f, known, sizeof known / sizeof known[0])) ||
	    arg_options(env, v, f->name, type == napi_object ? known : NULL, &present))
		return -1;
	if (!present && f->required) {
		addon_throw_type(env, f->required, arg_type_name(env, v));
		return -1;
	}
	a->options = present ? v : NULL;
	for (const field *p = f + 1; p->type != V_END; p++)
		if (read_option(env, a, a->options, p, f->prefix ? f->prefix : "options"))
			return -1;
	/* Required properties, once every given one was read. */
	for (const field *p = f + 1; p->type != V_END; p++) {
		if (p->required && !*(const char **)SLOT(a, p->at)) {
			addon_throw_type(env, p->required, name);
			return -1;
		}
	}
	return 0;
}

int call_read(napi_env env, const field *fields, const char *name, size_t argc,
	      napi_value *argv, call_args *a)
{
	napi_value undefined;
	size_t i = 0;

	if (napi_get_undefined(env, &undefined) != napi_ok) {
		addon_throw_napi(env, napi_generic_failure, "napi_get_undefined");
		return -1;
	}
	for (const field *f = fields; f && f->type != V_END; f++, i++) {
		napi_value v = i < argc ? argv[i] : undefined;
		if (f->type == V_OPTIONS)
			return read_options(env, a, v, f, name);
		if (read_argument(env, a, v, i >= argc, f, name))
			return -1;
	}
	return 0;
}
