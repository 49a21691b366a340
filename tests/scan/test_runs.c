/* Scan runs: re-scans replace a scanner's inferences for an input, never touch manual or
 * approved edges, do not revive rejected ones; dry runs write nothing; custom scanners. */
#include <stdio.h>

#include "scan_testutil.h"
#include "scan/scan_internal.h"

static const char *write_events(const char *name, const char *outputs_json)
{
	const char *path = tu_path(name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "{\"eventType\":\"COMPLETE\",\"run\":{\"runId\":\"r1\"},\"job\":{\"namespace\":\"n\",\"name\":\"j\"},"
		   "\"inputs\":[{\"namespace\":\"postgres://h\",\"name\":\"a\"},{\"namespace\":\"postgres://h\",\"name\":\"b\"}],"
		   "\"outputs\":%s}\n", outputs_json);
	fclose(f);
	return path;
}

static int64_t edge_id(lineage_db *db, const char *src, const char *dst)
{
	lineage_edge *e = NULL;
	int64_t id;
	TU_OK(lineage_edge_find(&e, db, src, dst, NULL, "n/j"));
	id = e->id;
	lineage_edge_free(e);
	return id;
}

static lineage_edge_status edge_status(lineage_db *db, int64_t id)
{
	lineage_edge *e = NULL;
	lineage_edge_status s;
	TU_OK(lineage_edge_get(&e, db, id));
	s = e->status;
	lineage_edge_free(e);
	return s;
}

START_TEST(rescan_retires_what_is_gone_and_keeps_what_is_found_again)
{
	lineage_db *db = tu_open_temp();
	const char *path = write_events("run.json", "[{\"namespace\":\"postgres://h\",\"name\":\"c\"}]");
	lineage_scan_report *r = scan_one(db, path, NULL, 0);
	int64_t ac = edge_id(db, "a", "c"), bc = edge_id(db, "b", "c");
	ck_assert_uint_eq(r->s.edges_created, 2);
	lineage_scan_report_free(r);
	/* The same input again: found again unchanged, nothing retired. */
	r = scan_one(db, path, NULL, 0);
	ck_assert_uint_eq(r->s.edges_unchanged, 2);
	ck_assert_uint_eq(r->s.edges_retired, 0);
	lineage_scan_report_free(r);
	ck_assert_int_eq(edge_status(db, ac), LINEAGE_EDGE_ACTIVE);
	/* The job now writes d instead of c: a->c and b->c are retired, and say so in history. */
	write_events("run.json", "[{\"namespace\":\"postgres://h\",\"name\":\"d\"}]");
	r = scan_one(db, path, NULL, 0);
	ck_assert_uint_eq(r->s.edges_created, 2);
	ck_assert_uint_eq(r->s.edges_retired, 2);
	lineage_scan_report_free(r);
	ck_assert_int_eq(edge_status(db, ac), LINEAGE_EDGE_RETIRED);
	ck_assert_int_eq(edge_status(db, bc), LINEAGE_EDGE_RETIRED);
	{
		lineage_change_list *h = NULL;
		TU_OK(lineage_history_edge(&h, db, ac, 10));
		ck_assert_str_eq(lineage_change_list_get(h, 0)->action, "retire");
		lineage_change_list_free(h);
	}
	/* Back to c: the retired edges come back. */
	write_events("run.json", "[{\"namespace\":\"postgres://h\",\"name\":\"c\"}]");
	r = scan_one(db, path, NULL, 0);
	lineage_scan_report_free(r);
	ck_assert_int_eq(edge_status(db, ac), LINEAGE_EDGE_ACTIVE);
	lineage_db_close(db);
}
END_TEST

START_TEST(rescan_never_touches_manual_approved_or_rejected_edges)
{
	lineage_db *db = tu_open_temp();
	const char *path = write_events("run.json", "[{\"namespace\":\"postgres://h\",\"name\":\"c\"}]");
	lineage_scan_report *r = scan_one(db, path, NULL, 0);
	int64_t ac = edge_id(db, "a", "c"), bc = edge_id(db, "b", "c");
	lineage_edge *e = NULL;
	lineage_scan_report_free(r);
	TU_OK(lineage_edge_approve(db, ac, "alice", "checked the job"));
	TU_OK(lineage_edge_reject(db, bc, "bob", "b is only a lookup"));
	/* Inferred again: the approval stays, the rejection stays. */
	r = scan_one(db, path, NULL, 0);
	lineage_scan_report_free(r);
	TU_OK(lineage_edge_get(&e, db, ac));
	ck_assert_int_eq(e->lineage_source, LINEAGE_SOURCE_APPROVED);
	ck_assert_int_eq(e->status, LINEAGE_EDGE_ACTIVE);
	lineage_edge_free(e);
	ck_assert_int_eq(edge_status(db, bc), LINEAGE_EDGE_REJECTED);
	/* Gone from the input: the approved edge is not retired. */
	write_events("run.json", "[{\"namespace\":\"postgres://h\",\"name\":\"d\"}]");
	r = scan_one(db, path, NULL, 0);
	lineage_scan_report_free(r);
	ck_assert_int_eq(edge_status(db, ac), LINEAGE_EDGE_ACTIVE);
	ck_assert_int_eq(edge_status(db, bc), LINEAGE_EDGE_REJECTED);
	lineage_db_close(db);
}
END_TEST

START_TEST(dry_run_reports_and_writes_nothing)
{
	lineage_db *db = tu_open_temp();
	const char *path = write_events("run.json", "[{\"namespace\":\"postgres://h\",\"name\":\"c\"}]");
	lineage_scan_report *r = scan_one(db, path, NULL, 1);
	int64_t seq = -1;
	char *json = report_json(r);
	ck_assert_uint_eq(r->s.edges_created, 2);
	ck_assert_ptr_nonnull(strstr(json, "\"dry_run\":true"));
	lineage_free(json);
	lineage_scan_report_free(r);
	TU_OK(lineage_changes_last_seq(&seq, db));
	ck_assert_int_eq(seq, 0);
	ck_assert_ptr_null(asset_kind(db, "a"));
	lineage_db_close(db);
}
END_TEST

/* A host's own scanner: lines "SOURCE -> TARGET". */
static int arrow_detect(const char *path, const unsigned char *head, size_t len, void *payload)
{
	(void)head;
	(void)len;
	(void)payload;
	return path && strstr(path, ".arrows") ? 100 : 0;
}

static int arrow_scan(lineage_scan_sink *sink, const char *path, const unsigned char *data,
		      size_t len, void *payload)
{
	char buf[256], src[100], dst[100];
	size_t start = 0;
	int line = 0;
	(void)path;
	(*(int *)payload)++;
	while (start < len) {
		const char *nl = memchr(data + start, '\n', len - start);
		size_t end = nl ? (size_t)((const unsigned char *)nl - data) : len;
		snprintf(buf, sizeof buf, "%.*s", (int)(end - start), (const char *)data + start);
		line++;
		if (sscanf(buf, "%99s -> %99s", src, dst) == 2) {
			lineage_edge_spec spec;
			lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
			spec.source_key = src;
			spec.target_key = dst;
			spec.confidence = 0.6;
			spec.source_kind = spec.target_kind = "table";
			lineage_scan_sink_edge(sink, &spec);
		} else if (*buf) {
			lineage_scan_sink_diagnostic(sink, LINEAGE_DIAG_WARNING, NULL, line, 1, "expected SOURCE -> TARGET");
		}
		start = end + 1;
	}
	lineage_scan_sink_count(sink, (size_t)line);
	return 0;
}

START_TEST(custom_scanner_is_registered_detected_and_removed)
{
	int calls = 0;
	lineage_scanner sc = {LINEAGE_SCANNER_VERSION, "arrows", "SOURCE -> TARGET lines",
			      arrow_detect, arrow_scan, &calls};
	lineage_db *db = tu_open_temp();
	const char *path = tu_path("flows.arrows");
	FILE *f = fopen(path, "w");
	lineage_scan_report *r;
	char *list = NULL;
	fputs("raw.a -> stg.a\nnonsense\nstg.a -> mart.a\n", f);
	fclose(f);
	TU_OK(lineage_scanner_register(&sc));
	TU_OK(lineage_scanner_list_json(&list));
	ck_assert_ptr_nonnull(strstr(list, "\"arrows\""));
	lineage_free(list);
	r = scan_one(db, tu_tmpdir(), NULL, 0); /* a folder: walked, the .arrows file detected */
	ck_assert_int_eq(calls, 1);
	ck_assert_uint_eq(r->s.edges_created, 2);
	ck_assert_uint_eq(lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_WARNING), 1);
	ck_assert_str_eq(asset_kind(db, "stg.a"), "table");
	lineage_scan_report_free(r);
	TU_OK(lineage_scanner_unregister("arrows"));
	TU_FAILS(LINEAGE_ENOTFOUND, lineage_scanner_unregister("arrows"));
	lineage_db_close(db);
}
END_TEST

static int cancel_at_once(const char *stage, uint64_t done, uint64_t total, void *payload)
{
	(void)stage;
	(void)done;
	(void)total;
	(void)payload;
	return 1;
}

START_TEST(bad_arguments_and_cancel)
{
	lineage_db *db = tu_open_temp();
	lineage_scan_options opts;
	lineage_scan_report *r = NULL;
	const char *missing[1] = {"/nonexistent/path/x.sql"};
	const char *path = write_events("run.json", "[{\"namespace\":\"postgres://h\",\"name\":\"c\"}]");
	const char *good[1] = {path};
	int64_t seq = -1;
	TU_OK(lineage_scan_options_init(&opts, LINEAGE_SCAN_OPTIONS_VERSION));
	opts.type = "cobol";
	TU_FAILS(LINEAGE_EINVALID, lineage_scan_run(&r, db, good, 1, &opts));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "openlineage"));
	opts.type = NULL;
	TU_FAILS(LINEAGE_EIO, lineage_scan_run(&r, db, missing, 1, &opts));
	TU_FAILS(LINEAGE_EINVALID, lineage_scan_run(&r, db, good, 0, &opts));
	opts.progress = cancel_at_once;
	TU_FAILS(LINEAGE_ECANCELLED, lineage_scan_run(&r, db, good, 1, &opts));
	ck_assert_ptr_null(r);
	TU_OK(lineage_changes_last_seq(&seq, db));
	ck_assert_int_eq(seq, 0);
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scan_runs");
	TCase *tc = tcase_create("runs");
	tcase_add_test(tc, rescan_retires_what_is_gone_and_keeps_what_is_found_again);
	tcase_add_test(tc, rescan_never_touches_manual_approved_or_rejected_edges);
	tcase_add_test(tc, dry_run_reports_and_writes_nothing);
	tcase_add_test(tc, custom_scanner_is_registered_detected_and_removed);
	tcase_add_test(tc, bad_arguments_and_cancel);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
