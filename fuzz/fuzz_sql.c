/*
 * libFuzzer target for the SQL lineage scanner. The first byte picks the dialect and a few
 * options; the rest is the script. Every result is read through the accessors and turned
 * into JSON, so the whole public surface runs on each input.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <lineage/lineage.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *const *names = lineage_sql_dialects();
	size_t ndialects = 0;
	lineage_sql_options opts;
	lineage_sql_result *res = NULL;
	char *json = NULL;
	if (size < 1)
		return 0;
	while (names[ndialects])
		ndialects++;
	lineage_sql_options_init(&opts, LINEAGE_SQL_OPTIONS_VERSION);
	opts.dialect = names[data[0] % ndialects];
	if (data[0] & 0x80)
		opts.max_depth = 40; /* exercise the depth limit on small inputs */
	if (data[0] & 0x40)
		opts.schema_json = "{\"t\": [\"a\", \"b\"], \"s\": [\"a\", \"c\"], \"db.x\": [\"id\"]}";
	opts.default_schema = (data[0] & 0x20) ? "db" : NULL;
	if (lineage_sql_analyze(&res, (const char *)data + 1, size - 1, &opts) != 0)
		return 0;
	for (size_t i = 0; i < lineage_sql_result_table_count(res); i++)
		(void)strlen(lineage_sql_result_table(res, i)->name);
	for (size_t i = 0; i < lineage_sql_result_column_edge_count(res); i++)
		(void)strlen(lineage_sql_result_column_edge(res, i)->source);
	for (size_t i = 0; i < lineage_sql_result_table_edge_count(res); i++)
		(void)strlen(lineage_sql_result_table_edge(res, i)->target);
	for (size_t i = 0; i < lineage_sql_result_diagnostic_count(res); i++)
		(void)strlen(lineage_sql_result_diagnostic(res, i)->reason);
	if (lineage_sql_result_to_json(&json, res, data[0] & 1) == 0)
		lineage_free(json);
	lineage_sql_result_free(res);
	return 0;
}
