/* The ingester's JSON reader against jansson's json_loadb (JSON_REJECT_DUPLICATES): the same
 * tree for every text jansson reads, a refusal with a place for every text it refuses. */
#include <dirent.h>
#include <stdio.h>

#include "scan_testutil.h"
#include "api/db_internal.h"
#include "scan/openlineage/ol_internal.h"
#include "store/store.h"

/* Both readers agree on `text`; returns whether it was read. */
static int agree(const char *text, size_t len)
{
	json_error_t jerr;
	lin_ol_json_error err;
	json_t *want = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	json_t *got = lin_ol_json_read(text, len, &err);
	int ok = got != NULL;
	ck_assert_msg(!want == !got, "%.*s: jansson %s, ours %s", (int)(len > 200 ? 200 : len), text,
		      want ? "reads it" : jerr.text, got ? "reads it" : err.text);
	if (got)
		ck_assert_msg(json_equal(want, got), "%.*s: the trees differ", (int)(len > 200 ? 200 : len), text);
	else
		ck_assert(err.text && err.line >= 1 && err.column >= 1 && !err.oom);
	json_decref(want);
	json_decref(got);
	return ok;
}

#define AGREE(s) agree(s, sizeof(s) - 1)

START_TEST(test_valid_texts)
{
	ck_assert(AGREE("{}"));
	ck_assert(AGREE(" [ ] "));
	ck_assert(AGREE("{\"a\": [1, -2, 0, 9223372036854775807, -9223372036854775808], \"b\": {\"c\": null}}"));
	ck_assert(AGREE("[true, false, null, \"\", \"x\"]"));
	ck_assert(AGREE("[1.5, -0.25e3, 1E-7, 2e+2, 0.0, -0]"));
	ck_assert(AGREE("{\"esc\": \"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u20ac \\ud83d\\ude00\"}"));
	ck_assert(AGREE("{\"\\u006bey\": 1, \"key2\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}"));
	ck_assert(AGREE("{\"a\\nb\": {\"a\\nb\": 2}}"));
	ck_assert(AGREE("\r\n\t{\"a\"\n:\n1\n}\n"));
}
END_TEST

START_TEST(test_refused_texts)
{
	static const char *const bad[] = {
		"", "   ", "1", "\"s\"", "null", "{", "[", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]",
		"{\"a\":1 \"b\":2}", "{a:1}", "{'a':1}", "[01]", "[1.]", "[.5]", "[1e]", "[-]", "[+1]",
		"[9223372036854775808]", "[-9223372036854775809]", "[1e999]", "[tru]", "[nul]",
		"[\"\\x\"]", "[\"\\u12\"]", "[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\ud800\\u0041\"]",
		"[\"\\u0000\"]", "[\"a\tb\"]", "[\"unterminated]", "{\"a\":1}x", "{\"a\":1}{}",
		"{\"a\":1,\"a\":2}", "{\"\\u0061\":1,\"a\":2}", "[\"\xc3\"]", "[\"\xc0\xaf\"]",
		"[\"\xed\xa0\x80\"]", "[\"\xf4\x90\x80\x80\"]", "[\"\xff\"]", "\xef\xbb\xbf{}", "[NaN]",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(!agree(bad[i], strlen(bad[i])), "read: %s", bad[i]);
	ck_assert(!agree("{\"a\":\0}", 7));
}
END_TEST

/* Nesting: jansson's limit, 2,048 levels, and no deeper. */
START_TEST(test_depth)
{
	char text[2 * 2100 + 1];
	for (size_t levels = 2047; levels <= 2049; levels++) {
		memset(text, '[', levels);
		memset(text + levels, ']', levels);
		agree(text, 2 * levels);
	}
}
END_TEST

/* Where a refusal is: line and column of the offending byte. */
START_TEST(test_error_place)
{
	lin_ol_json_error err;
	const char *text = "{\n  \"a\": 1,\n  \"b\": tru\n}";
	ck_assert_ptr_null(lin_ol_json_read(text, strlen(text), &err));
	ck_assert_int_eq(err.line, 3);
	ck_assert_int_eq(err.column, 8);
}
END_TEST

/* Every OpenLineage event of the shared corpus and of the tests' data, and every prefix of
 * one event (truncated bodies). */
START_TEST(test_real_events)
{
	char dir[1024], path[2048];
	struct dirent *e;
	DIR *d;
	size_t n = 0, len;
	char *text;
	static const char *const ours[] = {"/tests/data/openlineage/run_events.jsonl",
					   "/tests/data/scan/ol_column_lineage/input/event.json",
					   "/tests/data/scan/ol_symlinks_to_tables/input/event.json"};
	for (size_t i = 0; i < sizeof ours / sizeof *ours; i++) {
		snprintf(path, sizeof path, "%s%s", LINEAGE_SOURCE_DIR, ours[i]);
		text = tu_read_file(path, &len);
		ck_assert_ptr_nonnull(text);
		for (char *line = text, *nl; *line; line = nl + 1) {
			nl = strchr(line, '\n');
			if (!strstr(path, ".jsonl") || !nl)
				nl = line + strlen(line) - 1;
			if (nl > line)
				n += agree(line, (size_t)(nl - line + 1));
		}
		if (i == 1)
			for (size_t cut = 0; cut < len; cut++)
				agree(text, cut);
		free(text);
	}
	if (corpus_dir(dir, sizeof dir, "openlineage") && (d = opendir(dir))) {
		while ((e = readdir(d))) {
			if (!strstr(e->d_name, ".json"))
				continue;
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			if ((text = tu_read_file(path, &len))) {
				n += agree(text, len);
				free(text);
			}
		}
		closedir(d);
	}
	ck_assert_uint_ge(n, 3);
}
END_TEST

/* A run's row and the job's property "run" are written as text in the form jansson's sorted
 * compact dump gives (what rows written by earlier versions hold), so that the same event
 * again compares equal and writes nothing. */
START_TEST(run_records_are_stored_in_canonical_form)
{
	static const char *const types[] = {"START", "RUNNING", "FAIL", "COMPLETE"};
	lineage_db *db = tu_open_memory();
	lineage_ol_ingest *ing = NULL;
	lineage_asset *job = NULL;
	char ev[1024], *stored = NULL, *again;
	json_t *doc;
	int64_t id;
	TU_OK(lineage_ol_ingest_new(&ing, db, NULL));
	for (size_t i = 0; i < 4; i++) {
		snprintf(ev, sizeof ev,
			 "{\"eventType\":\"%s\",\"eventTime\":\"2026-12-05T10:0%zu:00.5%s\",\"run\":{\"runId\":\"r\\\"1\"},"
			 "\"job\":{\"namespace\":\"etl\",\"name\":\"j\"},\"inputs\":[{\"namespace\":\"s3://b\",\"name\":\"in%zu\"}],"
			 "\"outputs\":[{\"namespace\":\"s3://b\",\"name\":\"out\"}]}",
			 types[i], i, i == 2 ? "-01:00" : "Z", i);
		TU_OK(lineage_ol_ingest_event(NULL, ing, ev, strlen(ev)));
		TU_OK(lineage_asset_get(&job, db, "etl/j"));
		id = job->id;
		TU_OK(lin_store_run_get(db->store, id, "r\"1", &stored));
		ck_assert_ptr_nonnull(stored);
		doc = json_loads(stored, 0, NULL);
		again = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
		ck_assert_str_eq(stored, again);
		ck_assert_ptr_nonnull(strstr(stored, "\"edges\":["));
		free(again);
		json_decref(doc);
		doc = json_loads(job->properties_json, 0, NULL);
		again = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
		ck_assert_str_eq(job->properties_json, again);
		ck_assert_ptr_null(strstr(job->properties_json, "edges"));
		ck_assert_ptr_nonnull(strstr(job->properties_json, "\"run_id\":\"r\\\"1\""));
		free(again);
		json_decref(doc);
		free(stored);
		lineage_asset_free(job);
	}
	lineage_ol_ingest_free(ing);
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ol_json");
	TCase *tc = tcase_create("reader");
	tcase_add_test(tc, test_valid_texts);
	tcase_add_test(tc, test_refused_texts);
	tcase_add_test(tc, test_depth);
	tcase_add_test(tc, test_error_place);
	tcase_add_test(tc, test_real_events);
	tcase_add_test(tc, run_records_are_stored_in_canonical_form);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
