/*
 * Data-driven tests of the SQL lineage scanner: every tests/data/sql/<case>/ holds
 * input.sql, dialect (one word), expected.json and optionally schema.json. expected.json
 * lists the contract's keys to compare ("sources", "targets", "intermediates",
 * "column_lineage", and optionally "indirect", "table_lineage") and "diagnostics": a count,
 * a substring one reason must contain, or an array of such substrings.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "testutil.h"

#define CASES_DIR LINEAGE_SOURCE_DIR "/tests/data/sql"

static char **cases;
static int ncases;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_cases(void)
{
	DIR *d = opendir(CASES_DIR);
	struct dirent *e;
	int cap = 0;
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (ncases == cap) {
			cap = cap ? cap * 2 : 64;
			cases = realloc(cases, (size_t)cap * sizeof *cases);
		}
		cases[ncases++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(cases, (size_t)ncases, sizeof *cases, cmp_str);
}

static char *case_file(const char *name, const char *file, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s/%s", CASES_DIR, name, file);
	return tu_read_file(path, len);
}

/* The array's elements as sorted, distinct JSON texts. */
static char **canon(json_t *arr, size_t *n)
{
	size_t k = json_array_size(arr), i;
	char **v = calloc(k ? k : 1, sizeof *v);
	json_t *x;
	json_array_foreach(arr, i, x) v[i] = json_dumps(x, JSON_COMPACT | JSON_ENCODE_ANY);
	qsort(v, k, sizeof *v, cmp_str);
	size_t m = 0;
	for (i = 0; i < k; i++) {
		if (m && !strcmp(v[m - 1], v[i])) {
			free(v[i]);
			continue;
		}
		v[m++] = v[i];
	}
	*n = m;
	return v;
}

static int contains(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return 1;
	return 0;
}

static void compare_list(lin_strbuf *diff, const char *key, json_t *want, json_t *got)
{
	size_t nw, ng;
	if (!json_is_array(want)) {
		lin_strbuf_printf(diff, "  expected.json: \"%s\" is not an array\n", key);
		return;
	}
	char **w = canon(want, &nw), **g = canon(got ? got : json_array(), &ng);
	for (size_t i = 0; i < nw; i++)
		if (!contains(g, ng, w[i]))
			lin_strbuf_printf(diff, "  %s: missing    %s\n", key, w[i]);
	for (size_t i = 0; i < ng; i++)
		if (!contains(w, nw, g[i]))
			lin_strbuf_printf(diff, "  %s: unexpected %s\n", key, g[i]);
	for (size_t i = 0; i < nw; i++)
		free(w[i]);
	for (size_t i = 0; i < ng; i++)
		free(g[i]);
	free(w);
	free(g);
}

static int has_reason(json_t *diags, const char *sub)
{
	size_t i;
	json_t *d;
	json_array_foreach(diags, i, d) {
		const char *r = json_string_value(json_object_get(d, "reason"));
		if (r && strstr(r, sub))
			return 1;
	}
	return 0;
}

static void compare_diags(lin_strbuf *diff, json_t *want, json_t *got)
{
	if (json_is_integer(want)) {
		if ((json_int_t)json_array_size(got) != json_integer_value(want))
			lin_strbuf_printf(diff, "  diagnostics: %zu, expected %lld\n",
					  json_array_size(got), (long long)json_integer_value(want));
	} else if (json_is_string(want)) {
		if (!has_reason(got, json_string_value(want)))
			lin_strbuf_printf(diff, "  diagnostics: none says \"%s\"\n",
					  json_string_value(want));
	} else if (json_is_array(want)) {
		size_t i;
		json_t *s;
		json_array_foreach(want, i, s) {
			if (!has_reason(got, json_string_value(s)))
				lin_strbuf_printf(diff, "  diagnostics: none says \"%s\"\n",
						  json_string_value(s));
		}
	}
}

static void trim(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

START_TEST(sql_case)
{
	const char *name = cases[_i];
	size_t len = 0;
	char *sql = case_file(name, "input.sql", &len);
	char *dialect = case_file(name, "dialect", NULL);
	char *exp = case_file(name, "expected.json", NULL);
	char *schema = case_file(name, "schema.json", NULL);
	ck_assert_msg(sql && dialect && exp, "case %s: input.sql, dialect and expected.json are "
					     "required", name);
	trim(dialect);
	json_error_t jerr;
	json_t *want = json_loads(exp, 0, &jerr);
	ck_assert_msg(want, "case %s: expected.json: %s (line %d)", name, jerr.text, jerr.line);

	lineage_sql_options opts;
	TU_OK(lineage_sql_options_init(&opts, LINEAGE_SQL_OPTIONS_VERSION));
	opts.dialect = dialect;
	opts.schema_json = schema;
	opts.file = "input.sql";
	lineage_sql_result *res = NULL;
	TU_OK(lineage_sql_analyze(&res, sql, len, &opts));
	char *out = NULL;
	TU_OK(lineage_sql_result_to_json(&out, res, 0));
	json_t *got = json_loads(out, 0, &jerr);
	ck_assert_msg(got, "case %s: output is not JSON: %s", name, jerr.text);

	lin_strbuf diff = LIN_STRBUF_INIT;
	static const char *const keys[] = {"sources", "targets", "intermediates",
					   "column_lineage", "indirect", "table_lineage"};
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		json_t *w = json_object_get(want, keys[k]);
		if (w)
			compare_list(&diff, keys[k], w, json_object_get(got, keys[k]));
	}
	json_t *wd = json_object_get(want, "diagnostics");
	if (wd)
		compare_diags(&diff, wd, json_object_get(got, "diagnostics"));
	if (diff.len) {
		char *pretty = json_dumps(json_object_get(got, "diagnostics"), JSON_COMPACT);
		fprintf(stderr, "case %s (%s) differs:\n%s  diagnostics were: %s\n", name, dialect,
			diff.data, pretty);
		free(pretty);
	}
	ck_assert_msg(diff.len == 0, "case %s: output differs from expected.json (see above)",
		      name);
	lin_strbuf_free(&diff);
	json_decref(got);
	json_decref(want);
	lineage_free(out);
	lineage_sql_result_free(res);
	free(sql);
	free(dialect);
	free(exp);
	free(schema);
}
END_TEST

START_TEST(cases_exist)
{
	ck_assert_msg(ncases >= 20, "only %d cases under %s", ncases, CASES_DIR);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scan_sql_cases");
	TCase *tc = tcase_create("cases");
	list_cases();
	tcase_add_test(tc, cases_exist);
	tcase_add_loop_test(tc, sql_case, 0, ncases);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	int rc = tu_run(s);
	for (int i = 0; i < ncases; i++)
		free(cases[i]);
	free(cases);
	return rc;
}
