/* Helpers shared by the scanner tests (header-only: each test is one program). */
#ifndef SCAN_TESTUTIL_H
#define SCAN_TESTUTIL_H

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

/* Run a scan of one path; fails the test on error. */
static inline lineage_scan_report *scan_one(lineage_db *db, const char *path, const char *type,
					    int dry_run)
{
	lineage_scan_options opts;
	lineage_scan_report *report = NULL;
	const char *paths[1] = {path};
	TU_OK(lineage_scan_options_init(&opts, LINEAGE_SCAN_OPTIONS_VERSION));
	opts.type = type;
	opts.dry_run = dry_run;
	TU_OK(lineage_scan_run(&report, db, paths, 1, &opts));
	return report;
}

/* The report's JSON (caller frees with lineage_free). */
static inline char *report_json(const lineage_scan_report *r)
{
	char *json = NULL;
	TU_OK(lineage_scan_report_to_json(&json, r));
	return json;
}

/* An active edge with this identity exists (kind NULL = default). */
static inline int has_edge(lineage_db *db, const char *src, const char *dst, const char *kind,
			   const char *job)
{
	lineage_edge *e = NULL;
	int ok = lineage_edge_find(&e, db, src, dst, kind, job) == 0 &&
		 e->status == LINEAGE_EDGE_ACTIVE;
	lineage_edge_free(e);
	return ok;
}

static inline const char *asset_kind(lineage_db *db, const char *key)
{
	static char kind[64];
	lineage_asset *a = NULL;
	if (lineage_asset_get(&a, db, key) != 0)
		return NULL;
	snprintf(kind, sizeof kind, "%s", a->kind);
	lineage_asset_free(a);
	return kind;
}

static inline int corpus_dir(char *buf, size_t size, const char *sub)
{
	const char *corpus = getenv("LINEAGE_CORPUS");
	struct stat st;
	if (!corpus || !*corpus)
		corpus = LINEAGE_SOURCE_DIR "/../shared/corpus";
	snprintf(buf, size, "%s/%s", corpus, sub);
	return stat(buf, &st) == 0;
}

#endif
