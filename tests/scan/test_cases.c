/*
 * Data-driven scanner cases: every folder tests/data/scan/<case>/ holds an `input/` folder
 * (or file) and `expected.json`:
 *   {"type": "openlineage" | "dbt" | "sql" | ... (optional, else detected),
 *    "dialect": "snowflake" (optional),
 *    "assets": [[KEY, KIND], ...],                 present with that kind
 *    "edges": [[SOURCE, TARGET, KIND, JOB], ...],  active; KIND/JOB null for default/none
 *    "absent": [KEY, ...],                         assets that must not exist
 *    "edge_count": N,                              exact number of edges stored (optional)
 *    "diagnostics": ["substring", ...]}            each found in some diagnostic message
 */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>

#include "scan_testutil.h"

#define CASES LINEAGE_SOURCE_DIR "/tests/data/scan"

static int count_edges(lineage_db *db)
{
	char *json = NULL;
	json_t *stats;
	int n;
	TU_OK(lineage_db_stats_json(&json, db));
	stats = json_loads(json, 0, NULL);
	n = (int)json_integer_value(json_object_get(stats, "edges"));
	json_decref(stats);
	lineage_free(json);
	return n;
}

static void run_case(const char *name)
{
	char dir[600], path[700], input[700];
	json_t *exp, *item;
	json_error_t err;
	lineage_db *db = tu_open_memory();
	lineage_scan_options opts;
	lineage_scan_report *r = NULL;
	const char *paths[1] = {input};
	size_t i;
	char *report = NULL;
	snprintf(dir, sizeof dir, "%s/%s", CASES, name);
	snprintf(path, sizeof path, "%s/expected.json", dir);
	snprintf(input, sizeof input, "%s/input", dir);
	exp = json_load_file(path, 0, &err);
	ck_assert_msg(exp != NULL, "%s: %s", path, err.text);
	TU_OK(lineage_scan_options_init(&opts, LINEAGE_SCAN_OPTIONS_VERSION));
	opts.type = json_string_value(json_object_get(exp, "type"));
	opts.dialect = json_string_value(json_object_get(exp, "dialect"));
	TU_OK(lineage_scan_run(&r, db, paths, 1, &opts));
	TU_OK(lineage_scan_report_to_json(&report, r));
	json_array_foreach(json_object_get(exp, "assets"), i, item) {
		const char *key = json_string_value(json_array_get(item, 0));
		const char *kind = json_string_value(json_array_get(item, 1));
		const char *got = asset_kind(db, key);
		ck_assert_msg(got != NULL, "%s: asset %s is missing (report %s)", name, key, report);
		ck_assert_msg(!strcmp(got, kind), "%s: asset %s is a %s, expected %s", name, key, got, kind);
	}
	json_array_foreach(json_object_get(exp, "edges"), i, item) {
		const char *src = json_string_value(json_array_get(item, 0));
		const char *dst = json_string_value(json_array_get(item, 1));
		const char *kind = json_string_value(json_array_get(item, 2));
		const char *job = json_string_value(json_array_get(item, 3));
		ck_assert_msg(has_edge(db, src, dst, kind, job), "%s: no edge %s -> %s (%s, job %s); report %s",
			      name, src, dst, kind ? kind : "flow", job ? job : "none", report);
	}
	json_array_foreach(json_object_get(exp, "absent"), i, item) {
		const char *key = json_string_value(item);
		ck_assert_msg(asset_kind(db, key) == NULL, "%s: asset %s should not exist", name, key);
	}
	if (json_object_get(exp, "edge_count"))
		ck_assert_msg(count_edges(db) == (int)json_integer_value(json_object_get(exp, "edge_count")),
			      "%s: %d edges stored, expected %d", name, count_edges(db),
			      (int)json_integer_value(json_object_get(exp, "edge_count")));
	json_array_foreach(json_object_get(exp, "diagnostics"), i, item) {
		ck_assert_msg(strstr(report, json_string_value(item)) != NULL,
			      "%s: no diagnostic with \"%s\" in %s", name, json_string_value(item), report);
	}
	lineage_free(report);
	lineage_scan_report_free(r);
	json_decref(exp);
	lineage_db_close(db);
}

START_TEST(every_case)
{
	DIR *d = opendir(CASES);
	struct dirent *ent;
	int n = 0;
	ck_assert_ptr_nonnull(d);
	while ((ent = readdir(d)) != NULL) {
		if (ent->d_name[0] == '.')
			continue;
		run_case(ent->d_name);
		n++;
	}
	closedir(d);
	ck_assert_int_ge(n, 10);
	printf("%d scanner cases\n", n);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scan_cases");
	TCase *tc = tcase_create("cases");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_case);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
