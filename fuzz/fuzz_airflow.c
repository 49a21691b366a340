/*
 * libFuzzer target for the Airflow scanner. Every input goes through the tokenizer, the
 * parser and the evaluator directly (fast); one input in eight (by its first byte) is also
 * scanned whole as a DAG file in a dry run (nothing stays in the database), so the emission of
 * DAGs, tasks, datasets and SQL lineage runs too. The file sits in a private temporary folder
 * beside a template file, so .sql references resolve.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lineage/lineage.h>

#include "scan/airflow/af_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lineage_db *db;
static char dir[80], path[128];

static char sql[160];

static void cleanup(void)
{
	remove(path);
	remove(sql);
	rmdir(dir);
	lineage_db_close(db);
}

static int setup(void)
{
	const char *tmp = getenv("TMPDIR");
	FILE *f;
	snprintf(dir, sizeof dir, "%.40s/fuzz_airflow_%ld", tmp && *tmp ? tmp : "/tmp", (long)getpid());
	snprintf(path, sizeof path, "%s/dag.py", dir);
	snprintf(sql, sizeof sql, "%s/q.sql", dir);
	atexit(cleanup);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return -1;
	f = fopen(sql, "wb");
	if (!f)
		return -1;
	fputs("INSERT INTO {{ params.t }} SELECT a, b FROM src.x WHERE ds = '{{ ds }}'", f);
	fclose(f);
	return lineage_db_open(&db, ":memory:", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lineage_scan_options opts;
	lineage_scan_report *r = NULL;
	const char *paths[1] = {path};
	char *json = NULL;
	FILE *f;
	if (!db && setup() != 0)
		return 0;
	{
		lin_arena arena = {NULL, 0, 64u << 20};
		af_token *toks = NULL;
		size_t n = 0;
		af_body body;
		af_model m;
		memset(&m, 0, sizeof m);
		m.arena = &arena;
		m.file = path;
		if (lin_af_tokenize(&toks, &n, (const char *)data, size, &arena, NULL) == 0 &&
		    lin_af_parse(&body, toks, n, &arena, NULL) == 0)
			lin_af_eval(&m, &body, NULL);
		lin_af_model_free(&m);
		free(toks);
		lin_arena_free(&arena);
	}
	if (size == 0 || data[0] % 8 != 0)
		return 0;
	f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	lineage_scan_options_init(&opts, LINEAGE_SCAN_OPTIONS_VERSION);
	opts.type = "airflow";
	opts.dry_run = 1;
	if (lineage_scan_run(&r, db, paths, 1, &opts) == 0) {
		if (lineage_scan_report_to_json(&json, r) == 0)
			lineage_free(json);
		lineage_scan_report_free(r);
	}
	return 0;
}
