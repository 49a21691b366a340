/*
 * The Airflow scanner. Data-driven cases in tests/data/airflow/<case>/: the case's .py files
 * are scanned (type airflow) and expected.json lists what must be stored:
 *   "assets": [[key, kind], ...], "edges": [[source, target, kind, job|null], ...],
 *   "absent_assets": [key, ...], "absent_edges": [[source, target, kind, job|null], ...],
 *   "diagnostics": [substring, ...] (each in some diagnostic's message),
 *   "absent_diagnostics": [substring, ...] (in none),
 *   "errors": N (exact number of error diagnostics; omitted: not checked).
 * Then the bounds (10,000-deep nesting), detection, folder runs and re-scans.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>

#include "../scan/scan_testutil.h"
#include "scan/scan_internal.h"
#include "scan/airflow/af_internal.h"

#define CASES LINEAGE_SOURCE_DIR "/tests/data/airflow"

static lineage_scan_report *scan_paths(lineage_db *db, const char *const *paths, size_t n,
				       const char *type)
{
	lineage_scan_options opts;
	lineage_scan_report *report = NULL;
	TU_OK(lineage_scan_options_init(&opts, LINEAGE_SCAN_OPTIONS_VERSION));
	opts.type = type;
	TU_OK(lineage_scan_run(&report, db, paths, n, &opts));
	return report;
}

static int has_diag(const lineage_scan_report *r, const char *needle)
{
	for (size_t i = 0; i < lineage_scan_report_diagnostic_kept(r); i++) {
		const lineage_scan_diagnostic *d = lineage_scan_report_diagnostic(r, i);
		if (d->message && strstr(d->message, needle))
			return 1;
	}
	return 0;
}

static const char *opt_str(json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void check_case(const char *name)
{
	char dir[1024], path[1200];
	const char *paths[64];
	char *owned[64];
	size_t n = 0, i;
	DIR *d;
	struct dirent *ent;
	json_error_t err;
	json_t *exp, *item;
	lineage_db *db = tu_open_memory();
	lineage_scan_report *r;
	char *report;
	snprintf(dir, sizeof dir, "%s/%s", CASES, name);
	snprintf(path, sizeof path, "%s/expected.json", dir);
	exp = json_load_file(path, 0, &err);
	ck_assert_msg(exp != NULL, "%s: %s", path, err.text);
	d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	while ((ent = readdir(d)) != NULL && n < 64) {
		size_t len = strlen(ent->d_name);
		if (len > 3 && !strcmp(ent->d_name + len - 3, ".py")) {
			ck_assert_int_lt(snprintf(path, sizeof path, "%s/%s", dir, ent->d_name), (int)sizeof path);
			owned[n] = strdup(path);
			paths[n] = owned[n];
			n++;
		}
	}
	closedir(d);
	ck_assert_msg(n > 0, "case %s has no .py file", name);
	r = scan_paths(db, paths, n, "airflow");
	report = report_json(r);
	json_array_foreach(json_object_get(exp, "assets"), i, item) {
		const char *key = opt_str(json_array_get(item, 0)), *kind = opt_str(json_array_get(item, 1));
		const char *got = asset_kind(db, key);
		ck_assert_msg(got != NULL, "case %s: asset %s missing; report: %s", name, key, report);
		ck_assert_msg(!strcmp(got, kind), "case %s: asset %s is a %s, expected %s", name, key, got, kind);
	}
	json_array_foreach(json_object_get(exp, "absent_assets"), i, item)
		ck_assert_msg(asset_kind(db, opt_str(item)) == NULL, "case %s: asset %s should not exist", name, opt_str(item));
	json_array_foreach(json_object_get(exp, "edges"), i, item) {
		const char *s = opt_str(json_array_get(item, 0)), *t = opt_str(json_array_get(item, 1));
		const char *k = opt_str(json_array_get(item, 2)), *j = opt_str(json_array_get(item, 3));
		ck_assert_msg(has_edge(db, s, t, k, j), "case %s: edge %s -> %s (%s, job %s) missing; report: %s",
			      name, s, t, k ? k : "flow", j ? j : "none", report);
	}
	json_array_foreach(json_object_get(exp, "absent_edges"), i, item) {
		const char *s = opt_str(json_array_get(item, 0)), *t = opt_str(json_array_get(item, 1));
		const char *k = opt_str(json_array_get(item, 2)), *j = opt_str(json_array_get(item, 3));
		ck_assert_msg(!has_edge(db, s, t, k, j), "case %s: edge %s -> %s should not exist", name, s, t);
	}
	json_array_foreach(json_object_get(exp, "diagnostics"), i, item)
		ck_assert_msg(has_diag(r, opt_str(item)), "case %s: no diagnostic says \"%s\"; report: %s", name,
			      opt_str(item), report);
	json_array_foreach(json_object_get(exp, "absent_diagnostics"), i, item)
		ck_assert_msg(!has_diag(r, opt_str(item)), "case %s: a diagnostic says \"%s\"; report: %s", name,
			      opt_str(item), report);
	if (json_is_integer(json_object_get(exp, "errors")))
		ck_assert_msg(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR) ==
				      (size_t)json_integer_value(json_object_get(exp, "errors")),
			      "case %s: %zu errors, expected %lld; report: %s", name,
			      lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_ERROR),
			      (long long)json_integer_value(json_object_get(exp, "errors")), report);
	lineage_free(report);
	lineage_scan_report_free(r);
	for (i = 0; i < n; i++)
		free(owned[i]);
	json_decref(exp);
	lineage_db_close(db);
}

START_TEST(data_cases)
{
	DIR *d = opendir(CASES);
	struct dirent *ent;
	char *names[128];
	size_t n = 0;
	ck_assert_ptr_nonnull(d);
	while ((ent = readdir(d)) != NULL && n < 128)
		if (ent->d_name[0] != '.')
			names[n++] = strdup(ent->d_name);
	closedir(d);
	ck_assert_uint_ge(n, 12);
	for (size_t i = 0; i < n; i++) {
		check_case(names[i]);
		free(names[i]);
	}
}
END_TEST

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	fclose(f);
}

/* 10,000 brackets deep, and 10,000 blocks deep: diagnostics, never a stack overflow. */
START_TEST(deep_nesting_is_a_diagnostic)
{
	lineage_db *db = tu_open_memory();
	size_t depth = 10000, o = 0;
	char *src = malloc(depth * 4 + 1024);
	const char *p1 = tu_path("deep_brackets.py"), *p2 = tu_path("deep_blocks.py"), *p3 = tu_path("deep_ops.py");
	const char *paths[3];
	lineage_scan_report *r;
	ck_assert_ptr_nonnull(src);
	o += (size_t)sprintf(src + o, "from airflow import DAG\nwith DAG('deep') as dag:\n    x = ");
	for (size_t i = 0; i < depth; i++)
		src[o++] = i % 3 == 0 ? '(' : i % 3 == 1 ? '[' : '{';
	src[o++] = '\n';
	write_file(p1, src, o);
	/* Blocks: each `if x:` one level deeper. */
	o = (size_t)sprintf(src, "from airflow import DAG\n");
	for (size_t i = 0; i < 2000; i++) {
		memset(src + o, ' ', i);
		o += i;
		o += (size_t)sprintf(src + o, "if x:\n");
		if (o > depth * 4 - 4096)
			break;
	}
	write_file(p2, src, o);
	/* A chain of 10,000 operators and calls: a.b().c() ... and a >> a >> ... */
	o = (size_t)sprintf(src, "from airflow import DAG\nx = a");
	for (size_t i = 0; i < 3000; i++)
		o += (size_t)sprintf(src + o, ">>a");
	src[o++] = '\n';
	write_file(p3, src, o);
	paths[0] = p1;
	paths[1] = p2;
	paths[2] = p3;
	r = scan_paths(db, paths, 3, "airflow");
	ck_assert(has_diag(r, "nested too deep"));
	ck_assert_uint_eq(lineage_scan_report_summary(r)->files, 3);
	lineage_scan_report_free(r);
	free(src);
	lineage_db_close(db);
}
END_TEST

/* Loops and calls that multiply, and recursion: bounded, with diagnostics, and the DAG
 * found before the blow-up is kept. */
START_TEST(evaluation_is_bounded)
{
	lineage_db *db = tu_open_memory();
	const char *p = tu_path("budget_dag.py");
	const char *paths[1] = {p};
	const char *src = "from airflow import DAG\n"
			  "from airflow.operators.empty import EmptyOperator\n"
			  "with DAG('bounded') as dag:\n"
			  "    first = EmptyOperator(task_id='first')\n"
			  "L = list_of_things = [0] * 3\n"
			  "R = range(1000)\n"
			  "for a in R:\n"
			  "    for b in R:\n"
			  "        for c in R:\n"
			  "            x = [a, b, c]\n"
			  "def f(n):\n"
			  "    return f(n)\n"
			  "f(1)\n";
	lineage_scan_report *r;
	write_file(p, src, strlen(src));
	r = scan_paths(db, paths, 1, "airflow");
	ck_assert(has_diag(r, "evaluation stopped after"));
	ck_assert_str_eq(asset_kind(db, "airflow:bounded.first"), "task");
	lineage_scan_report_free(r);
	src = "def f(n):\n    return f(n)\nf(1)\nfrom airflow import DAG\nDAG('after')\n";
	write_file(p, src, strlen(src));
	r = scan_paths(db, paths, 1, "airflow");
	ck_assert(has_diag(r, "calls nested more than 8 deep"));
	ck_assert_str_eq(asset_kind(db, "airflow:after"), "dag");
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

START_TEST(detect_claims_dag_files_only)
{
	const char *dag = "from airflow import DAG\nwith DAG('x') as d:\n    pass\n";
	const char *plain = "import os\nprint(os.getcwd())\n";
	const char *decorated = "@dag(schedule=None)\ndef etl():\n    pass\n";
	ck_assert_int_ge(lin_scanner_airflow.detect("dags/etl.py", (const unsigned char *)dag, strlen(dag), NULL), 80);
	ck_assert_int_gt(lin_scanner_airflow.detect("etl.py", (const unsigned char *)decorated, strlen(decorated), NULL), 0);
	ck_assert_int_eq(lin_scanner_airflow.detect("tool.py", (const unsigned char *)plain, strlen(plain), NULL), 0);
	ck_assert_int_eq(lin_scanner_airflow.detect("etl.sql", (const unsigned char *)dag, strlen(dag), NULL), 0);
	ck_assert_int_eq(lin_scanner_airflow.detect("dags", NULL, 0, NULL), 0);
	ck_assert_int_eq(lin_scanner_airflow.detect("empty.py", (const unsigned char *)"", 0, NULL), 0);
}
END_TEST

/* A folder of several DAG files, auto-detected; files that are not DAGs are left alone. */
START_TEST(folder_run_with_several_dags)
{
	lineage_db *db = tu_open_memory();
	const char *paths[1] = {CASES};
	lineage_scan_report *r = scan_paths(db, paths, 1, NULL);
	ck_assert_str_eq(asset_kind(db, "airflow:classic_etl"), "dag");
	ck_assert_str_eq(asset_kind(db, "airflow:taskflow_etl"), "dag");
	ck_assert_str_eq(asset_kind(db, "airflow:legacy_orders"), "dag");
	ck_assert_uint_ge(lineage_scan_report_summary(r)->files, 10);
	ck_assert_ptr_null(asset_kind(db, "airflow:not_a_dag"));
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

/* A re-scan after a task and a dependency were removed retires their edges. */
START_TEST(rescan_retires_removed_lineage)
{
	lineage_db *db = tu_open_memory();
	const char *p = tu_path("rescan_dag.py");
	const char *paths[1] = {p};
	const char *v1 = "from airflow import DAG\n"
			 "from airflow.providers.postgres.operators.postgres import PostgresOperator\n"
			 "with DAG('rescan') as dag:\n"
			 "    a = PostgresOperator(task_id='a', sql='INSERT INTO t2 SELECT * FROM t1')\n"
			 "    b = PostgresOperator(task_id='b', sql='INSERT INTO t3 SELECT * FROM t2')\n"
			 "    a >> b\n";
	const char *v2 = "from airflow import DAG\n"
			 "from airflow.providers.postgres.operators.postgres import PostgresOperator\n"
			 "with DAG('rescan') as dag:\n"
			 "    a = PostgresOperator(task_id='a', sql='INSERT INTO t2 SELECT * FROM t1')\n";
	lineage_scan_report *r;
	lineage_edge *e = NULL;
	write_file(p, v1, strlen(v1));
	r = scan_paths(db, paths, 1, NULL);
	ck_assert(has_edge(db, "t1", "t2", NULL, "airflow:rescan.a"));
	ck_assert(has_edge(db, "t2", "t3", NULL, "airflow:rescan.b"));
	ck_assert(has_edge(db, "airflow:rescan.a", "airflow:rescan.b", "task_dependency", NULL));
	lineage_scan_report_free(r);
	write_file(p, v2, strlen(v2));
	r = scan_paths(db, paths, 1, NULL);
	/* b's table edge, its t2.* -> t3.* column edge, the dependency a -> b, the DAG's run of
	 * b and b's write of t3. */
	ck_assert_uint_eq(lineage_scan_report_summary(r)->edges_retired, 5);
	ck_assert(!has_edge(db, "airflow:rescan", "airflow:rescan.b", "triggers", NULL));
	ck_assert(!has_edge(db, "airflow:rescan.b", "t3", NULL, NULL));
	ck_assert(!has_edge(db, "airflow:rescan.a", "airflow:rescan.b", "task_dependency", NULL));
	ck_assert(has_edge(db, "t1", "t2", NULL, "airflow:rescan.a"));
	ck_assert(!has_edge(db, "t2", "t3", NULL, "airflow:rescan.b"));
	TU_OK(lineage_edge_find(&e, db, "t2", "t3", NULL, "airflow:rescan.b"));
	ck_assert_int_eq(e->status, LINEAGE_EDGE_RETIRED);
	ck_assert_int_eq(e->lineage_source, LINEAGE_SOURCE_INFERRED);
	lineage_edge_free(e);
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

/* Evidence and transformation of a SQL edge, and the scan's dialect for generic operators. */
START_TEST(sql_edge_evidence_and_dialect_option)
{
	lineage_db *db = tu_open_memory();
	const char *p = tu_path("evidence_dag.py");
	const char *paths[1] = {p};
	const char *src = "from airflow import DAG\n"
			  "from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator\n"
			  "with DAG('ev') as dag:\n"
			  "    q = SQLExecuteQueryOperator(\n"
			  "        task_id='q',\n"
			  "        sql='INSERT INTO `proj.ds.out` SELECT a FROM `proj.ds.src`',\n"
			  "    )\n";
	lineage_scan_options opts;
	lineage_scan_report *r = NULL;
	lineage_edge *e = NULL;
	write_file(p, src, strlen(src));
	TU_OK(lineage_scan_options_init(&opts, LINEAGE_SCAN_OPTIONS_VERSION));
	opts.dialect = "bigquery";
	TU_OK(lineage_scan_run(&r, db, paths, 1, &opts));
	TU_OK(lineage_edge_find(&e, db, "proj.ds.src", "proj.ds.out", NULL, "airflow:ev.q"));
	ck_assert_double_eq_tol(e->confidence, 0.8, 1e-9);
	ck_assert_ptr_nonnull(strstr(e->evidence_json, "\"line\":6"));
	ck_assert_ptr_nonnull(strstr(e->evidence_json, "\"dag\":\"ev\""));
	ck_assert_ptr_nonnull(strstr(e->evidence_json, "\"task\":\"q\""));
	ck_assert_ptr_nonnull(strstr(e->transformation, "INSERT INTO"));
	lineage_edge_free(e);
	lineage_scan_report_free(r);
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scan_airflow");
	TCase *tc = tcase_create("airflow");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, data_cases);
	tcase_add_test(tc, deep_nesting_is_a_diagnostic);
	tcase_add_test(tc, evaluation_is_bounded);
	tcase_add_test(tc, detect_claims_dag_files_only);
	tcase_add_test(tc, folder_run_with_several_dags);
	tcase_add_test(tc, rescan_retires_removed_lineage);
	tcase_add_test(tc, sql_edge_evidence_and_dialect_option);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
