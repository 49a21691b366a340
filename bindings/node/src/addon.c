/*
 * liblineage for Node.js: module initialisation, per-instance data, errors and JSON.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "method.h"

addon_data *addon_get(napi_env env)
{
	void *data = NULL;
	if (napi_get_instance_data(env, &data) != napi_ok)
		return NULL;
	return data;
}

/* ---- errors ----------------------------------------------------------------------- */

void addon_throw_napi(napi_env env, napi_status status, const char *what)
{
	bool pending = false;
	const napi_extended_error_info *info = NULL;
	char buf[512];

	if (napi_is_exception_pending(env, &pending) == napi_ok && pending)
		return;
	napi_get_last_error_info(env, &info);
	snprintf(buf, sizeof buf, "Node-API call failed (status %d: %s): %s", (int)status,
		 info && info->error_message ? info->error_message : "unknown error", what);
	napi_throw_error(env, "ERR_LINEAGE_NAPI", buf);
}

void addon_throw_type(napi_env env, const char *fmt, ...)
{
	char buf[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", buf);
}

napi_value addon_make_error(napi_env env, int code, const char *message)
{
	return addon_make_error_details(env, code, message, NULL);
}

napi_value addon_make_error_details(napi_env env, int code, const char *message,
				    napi_value details)
{
	addon_data *ad = addon_get(env);
	napi_value fn, argv[4], global, result = NULL;
	const char *name = lineage_error_code_name(code);

	if (!message)
		message = "unknown error";
	if (!ad || !ad->make_error) {
		/* index.js has not registered its error classes: fall back to a plain Error. */
		napi_value msg, code_value;
		if (napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg) != napi_ok ||
		    napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &code_value) != napi_ok ||
		    napi_create_error(env, code_value, msg, &result) != napi_ok)
			return NULL;
		return result;
	}
	CHECK(napi_get_reference_value(env, ad->make_error, &fn));
	CHECK(napi_get_global(env, &global));
	CHECK(napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &argv[0]));
	CHECK(napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &argv[1]));
	CHECK(napi_create_int32(env, code, &argv[2]));
	if (details)
		argv[3] = details;
	else
		CHECK(napi_get_undefined(env, &argv[3]));
	CHECK(napi_call_function(env, global, fn, 4, argv, &result));
done:
	return result;
}

void addon_throw_lineage(napi_env env, int code, const char *message)
{
	napi_value err = addon_make_error(env, code, message);
	bool pending = false;
	if (napi_is_exception_pending(env, &pending) == napi_ok && pending)
		return;
	if (err)
		napi_throw(env, err);
	else
		napi_throw_error(env, lineage_error_code_name(code), message);
}

void addon_throw_last(napi_env env)
{
	const lineage_error *e = lineage_error_last();
	/* Copy first: building the JS error could, in theory, call back into liblineage. */
	char *msg = addon_error_words(e);
	int code = e->code ? e->code : LINEAGE_ERROR;
	addon_throw_lineage(env, code, msg ? msg : "out of memory");
	free(msg);
}

void addon_throw_invalid(napi_env env, const char *fmt, ...)
{
	char buf[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	addon_throw_lineage(env, LINEAGE_EINVALID, buf);
}

/* ---- JSON ------------------------------------------------------------------------- */

int addon_json_parse(napi_env env, const char *json, napi_value *out)
{
	addon_data *ad = addon_get(env);
	napi_value fn, self, str;
	int rc = -1;

	CHECK(napi_get_reference_value(env, ad->json_parse, &fn));
	CHECK(napi_get_reference_value(env, ad->json_object, &self));
	CHECK(napi_create_string_utf8(env, json, NAPI_AUTO_LENGTH, &str));
	CHECK(napi_call_function(env, self, fn, 1, &str, out));
	rc = 0;
done:
	return rc;
}

int addon_json_stringify(napi_env env, napi_value value, char **out)
{
	addon_data *ad = addon_get(env);
	napi_value fn, self, str;
	napi_valuetype type;
	size_t len = 0;
	int rc = -1;

	*out = NULL;
	CHECK(napi_get_reference_value(env, ad->json_stringify, &fn));
	CHECK(napi_get_reference_value(env, ad->json_object, &self));
	CHECK(napi_call_function(env, self, fn, 1, &value, &str));
	CHECK(napi_typeof(env, str, &type));
	if (type != napi_string) {
		addon_throw_type(env, "value cannot be represented as JSON");
		goto done;
	}
	CHECK(napi_get_value_string_utf8(env, str, NULL, 0, &len));
	*out = malloc(len + 1);
	if (!*out) {
		napi_throw_error(env, "ENOMEM", "out of memory");
		goto done;
	}
	CHECK(napi_get_value_string_utf8(env, str, *out, len + 1, &len));
	rc = 0;
done:
	if (rc) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- module functions ------------------------------------------------------------- */

/* setup({makeError}): index.js hands over the function that builds its error classes. */
static napi_value addon_setup(napi_env env, napi_callback_info info)
{
	addon_data *ad = addon_get(env);
	size_t argc = 1;
	napi_value argv[1], fn, result = NULL;
	napi_valuetype type;
	int present = 0;

	CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	if (argc < 1 || arg_options(env, argv[0], "setup options", NULL, &present) || !present) {
		if (!present)
			addon_throw_type(env, "setup() needs {makeError}");
		goto done;
	}
	CHECK(napi_get_named_property(env, argv[0], "makeError", &fn));
	CHECK(napi_typeof(env, fn, &type));
	if (type != napi_function) {
		addon_throw_type(env, "setup(): makeError must be a function");
		goto done;
	}
	if (ad->make_error)
		napi_delete_reference(env, ad->make_error);
	ad->make_error = NULL;
	CHECK(napi_create_reference(env, fn, 1, &ad->make_error));
	/* Object factories for traversal results: a JS object literal is built on V8's fast
	 * path, several times cheaper than defining properties through Node-API. */
	{
		static const char *const names[] = {"makeNode", "makeEdge", "makeTraversal"};
		napi_ref *refs[] = {&ad->make_node, &ad->make_edge, &ad->make_traversal};
		for (int k = 0; k < 3; k++) {
			CHECK(napi_get_named_property(env, argv[0], names[k], &fn));
			CHECK(napi_typeof(env, fn, &type));
			if (type != napi_function) {
				addon_throw_type(env, "setup(): %s must be a function", names[k]);
				goto done;
			}
			if (*refs[k])
				napi_delete_reference(env, *refs[k]);
			*refs[k] = NULL;
			CHECK(napi_create_reference(env, fn, 1, refs[k]));
		}
	}
	CHECK(napi_get_undefined(env, &result));
done:
	return result;
}

static napi_value addon_version(napi_env env, napi_callback_info info)
{
	napi_value result = NULL;
	(void)info;
	CHECK(napi_create_string_utf8(env, lineage_version(), NAPI_AUTO_LENGTH, &result));
done:
	return result;
}

static void addon_data_free(napi_env env, void *data, void *hint)
{
	addon_data *ad = data;
	(void)hint;
	if (!ad)
		return;
	if (ad->graph_ctor)
		napi_delete_reference(env, ad->graph_ctor);
	if (ad->make_error)
		napi_delete_reference(env, ad->make_error);
	if (ad->make_node)
		napi_delete_reference(env, ad->make_node);
	if (ad->make_edge)
		napi_delete_reference(env, ad->make_edge);
	if (ad->make_traversal)
		napi_delete_reference(env, ad->make_traversal);
	if (ad->json_parse)
		napi_delete_reference(env, ad->json_parse);
	if (ad->json_stringify)
		napi_delete_reference(env, ad->json_stringify);
	if (ad->json_object)
		napi_delete_reference(env, ad->json_object);
	free(ad);
}

static napi_value addon_init(napi_env env, napi_value exports)
{
	addon_data *ad = calloc(1, sizeof *ad);
	napi_value global, json, fn, result = NULL;
	napi_property_descriptor props[16] = {
		{"setup", NULL, addon_setup, NULL, NULL, NULL, napi_default, NULL},
		{"version", NULL, addon_version, NULL, NULL, NULL, napi_default, NULL},
		{"createCancelToken", NULL, addon_create_cancel_token, NULL, NULL, NULL,
		 napi_default, NULL},
		{"cancel", NULL, addon_cancel_token, NULL, NULL, NULL, napi_default, NULL},
		{"sqlDialects", NULL, addon_sql_dialects, NULL, NULL, NULL, napi_default, NULL},
		{"scanners", NULL, addon_scanners, NULL, NULL, NULL, napi_default, NULL},
	};
	size_t n = 6;

	if (!ad) {
		napi_throw_error(env, "ENOMEM", "out of memory");
		return NULL;
	}
	if (napi_set_instance_data(env, ad, addon_data_free, NULL) != napi_ok) {
		free(ad);
		addon_throw_napi(env, napi_generic_failure, "napi_set_instance_data");
		return NULL;
	}
	{
		const char *via = getenv("LINEAGE_NODE_VIA_JSON");
		ad->via_json = via && *via && strcmp(via, "0");
	}
	CHECK(napi_get_global(env, &global));
	CHECK(napi_get_named_property(env, global, "JSON", &json));
	CHECK(napi_create_reference(env, json, 1, &ad->json_object));
	CHECK(napi_get_named_property(env, json, "parse", &fn));
	CHECK(napi_create_reference(env, fn, 1, &ad->json_parse));
	CHECK(napi_get_named_property(env, json, "stringify", &fn));
	CHECK(napi_create_reference(env, fn, 1, &ad->json_stringify));
	n += method_descriptors(M_MODULE, props + n, sizeof props / sizeof props[0] - n);
	CHECK(napi_define_properties(env, exports, n, props));
	if (graph_register(env, exports, ad) || method_export_async(env, exports))
		goto done;
	result = exports;
done:
	return result;
}

/* The registration macro defines exported functions without prototypes. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
NAPI_MODULE(NODE_GYP_MODULE_NAME, addon_init)
#pragma GCC diagnostic pop
