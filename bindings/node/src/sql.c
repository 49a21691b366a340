/*
 * liblineage for Node.js: module-level functions that need no database and read no
 * arguments — the SQL dialects and the registered scanners (analyzeSql is in methods.c).
 */
#include <stdlib.h>
#include <string.h>

#include "addon.h"

/* sqlDialects() -> ['ansi', 'postgres', ...] */
napi_value addon_sql_dialects(napi_env env, napi_callback_info info)
{
	const char *const *names = lineage_sql_dialects();
	napi_value arr = NULL, v;
	uint32_t i = 0;
	(void)info;
	CHECK(napi_create_array(env, &arr));
	for (; names && names[i]; i++) {
		CHECK(napi_create_string_utf8(env, names[i], NAPI_AUTO_LENGTH, &v));
		CHECK(napi_set_element(env, arr, i, v));
	}
	return arr;
done:
	return NULL;
}

/* scanners() -> [{name, description, builtin}] */
napi_value addon_scanners(napi_env env, napi_callback_info info)
{
	char *json = NULL;
	napi_value result = NULL;
	(void)info;
	if (lineage_scanner_list_json(&json)) {
		addon_throw_last(env);
		return NULL;
	}
	if (addon_json_parse(env, json, &result))
		result = NULL;
	lineage_free(json);
	return result;
}
