/*
 * liblineage for Node.js: module-level functions that need no database — SQL analysis
 * (lineage_sql_analyze: SQL text in, lineage out), its dialects, and the registered scanners.
 */
#include <stdlib.h>
#include <string.h>

#include "addon.h"

static const char *const analyze_option_names[] = {"dialect", "defaultDatabase",
						   "defaultSchema", "schema", "file", NULL};

/* analyzeSql(sql, {dialect, defaultDatabase, defaultSchema, schema, file}) -> result */
napi_value addon_analyze_sql(napi_env env, napi_callback_info info)
{
	size_t argc = 2;
	napi_value argv[2], result = NULL;
	arg_pool pool = {0};
	char *sql = NULL, *json = NULL;
	lineage_sql_options opts;
	lineage_sql_result *res = NULL;
	int present = 0, rc;

	CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	if (argc < 1) {
		addon_throw_type(env, "analyzeSql() needs the SQL text (a string)");
		goto done;
	}
	if (arg_string(env, &pool, argv[0], "sql", &sql) ||
	    arg_options(env, argc > 1 ? argv[1] : NULL, "options", analyze_option_names,
			&present))
		goto done;
	lineage_sql_options_init(&opts, LINEAGE_SQL_OPTIONS_VERSION);
	if (present &&
	    (opt_string(env, &pool, argv[1], "dialect", "options.dialect", &opts.dialect) ||
	     opt_string(env, &pool, argv[1], "defaultDatabase", "options.defaultDatabase",
			&opts.default_database) ||
	     opt_string(env, &pool, argv[1], "defaultSchema", "options.defaultSchema",
			&opts.default_schema) ||
	     opt_json(env, &pool, argv[1], "schema", "options.schema", &opts.schema_json) ||
	     opt_string(env, &pool, argv[1], "file", "options.file", &opts.file)))
		goto done;
	rc = lineage_sql_analyze(&res, sql, strlen(sql), &opts);
	if (!rc)
		rc = lineage_sql_result_to_json(&json, res, 0);
	lineage_sql_result_free(res);
	if (rc) {
		addon_throw_last(env);
		goto done;
	}
	if (addon_json_parse(env, json, &result))
		result = NULL;
done:
	lineage_free(json);
	arg_pool_free(&pool);
	return result;
}

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
