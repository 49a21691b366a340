/* The internal JSON helpers of lib/api: times, escaping, merge patch, tags. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "api/json.h"
#include "common/util.h"

static char *time_json(int64_t ms)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	ck_assert_int_eq(lin_json_time(&sb, ms, 1), 0);
	return lin_strbuf_detach(&sb);
}

START_TEST(times)
{
	char *s;
	int64_t back = 0;
	s = time_json(1700000000123);
	ck_assert_str_eq(s, "\"2023-11-14T22:13:20.123Z\"");
	free(s);
	s = time_json(951782400000); /* a leap day */
	ck_assert_str_eq(s, "\"2000-02-29T00:00:00.000Z\"");
	free(s);
	s = time_json(0);
	ck_assert_str_eq(s, "null");
	free(s);
	for (int64_t ms = 1; ms < 4102444800000; ms += 98765432101) {
		char buf[40];
		s = time_json(ms);
		lin_format_time(buf, sizeof buf, ms);
		ck_assert_int_eq(strncmp(s + 1, buf, strlen(buf)), 0);
		s[strlen(s) - 1] = '\0';
		ck_assert_int_eq(lin_parse_time(s + 1, &back), 0);
		ck_assert_int_eq(back, ms);
		free(s);
	}
	ck_assert_int_eq(lin_parse_time("yesterday", &back), LINEAGE_EINVALID);
	ck_assert_int_eq(lin_parse_time("2023-13-01T00:00:00.000Z", &back), LINEAGE_EINVALID);
}
END_TEST

START_TEST(strings_and_numbers)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	ck_assert_int_eq(lin_json_str(&sb, "a\"b\\c\n\x01\xc3\xa9"), 0);
	ck_assert_str_eq(sb.data, "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\"");
	lin_strbuf_reset(&sb);
	ck_assert_int_eq(lin_json_str(&sb, NULL), 0);
	ck_assert_str_eq(sb.data, "null");
	lin_strbuf_reset(&sb);
	ck_assert_int_eq(lin_json_double(&sb, 0.1), 0);
	ck_assert_str_eq(sb.data, "0.1");
	lin_strbuf_reset(&sb);
	for (int k = 0; k <= 1000; k++) {
		double v = k / 1000.0;
		lin_strbuf_reset(&sb);
		ck_assert_int_eq(lin_json_double(&sb, v), 0);
		ck_assert_msg(strtod(sb.data, NULL) == v, "%d gave %s", k, sb.data);
	}
	lin_strbuf_reset(&sb);
	ck_assert_int_eq(lin_json_double(&sb, 0.05), 0);
	ck_assert_str_eq(sb.data, "0.05");
	lin_strbuf_reset(&sb);
	ck_assert_int_eq(lin_json_double(&sb, 1), 0);
	ck_assert_str_eq(sb.data, "1");
	lin_strbuf_reset(&sb);
	ck_assert_int_eq(lin_json_double(&sb, 0.1 + 1e-17), 0);
	ck_assert(strtod(sb.data, NULL) == 0.1 + 1e-17);
	lin_strbuf_reset(&sb);
	ck_assert_int_eq(lin_json_double(&sb, 1.0 / 3), 0);
	ck_assert(strtod(sb.data, NULL) == 1.0 / 3);
	lin_strbuf_free(&sb);
}
END_TEST

START_TEST(merge_patch)
{
	char *out = NULL, *deep;
	size_t depth = 1500, n = 0;
	ck_assert_int_eq(lin_json_merge_patch("{\"a\":1,\"b\":{\"c\":2}}", "{\"b\":{\"c\":null,\"d\":[1]},\"e\":\"x\"}", &out), 0);
	ck_assert_str_eq(out, "{\"a\":1,\"b\":{\"d\":[1]},\"e\":\"x\"}");
	free(out);
	ck_assert_int_eq(lin_json_merge_patch(NULL, "{\"a\":{\"b\":null}}", &out), 0);
	ck_assert_str_eq(out, "{\"a\":{}}");
	free(out);
	ck_assert_int_eq(lin_json_merge_patch(NULL, "[1]", &out), LINEAGE_EINVALID);
	ck_assert_int_eq(lin_json_merge_patch(NULL, "{\"a\":1,\"a\":2}", &out), LINEAGE_EINVALID);
	/* A deep patch is merged without recursion. */
	deep = malloc(depth * 6 + 16);
	for (size_t i = 0; i < depth; i++)
		n += (size_t)sprintf(deep + n, "{\"k\":");
	n += (size_t)sprintf(deep + n, "1");
	for (size_t i = 0; i < depth; i++)
		deep[n++] = '}';
	deep[n] = '\0';
	ck_assert_int_eq(lin_json_merge_patch("{}", deep, &out), 0);
	ck_assert_uint_eq(strlen(out), n);
	free(out);
	free(deep);
	ck_assert_int_eq(lin_json_normalize("{\"b\": 1, \"a\": [true, null]}", 1, "x", &out), 0);
	ck_assert_str_eq(out, "{\"a\":[true,null],\"b\":1}");
	free(out);
	ck_assert_int_eq(lin_json_normalize("3", 0, "x", &out), 0);
	ck_assert_str_eq(out, "3");
	free(out);
	ck_assert_int_eq(lin_json_normalize("3", 1, "x", &out), LINEAGE_EINVALID);
}
END_TEST

START_TEST(tags)
{
	const char *t[] = {"b", "a", "b"};
	const char *bad[] = {"ok", ""};
	char *out = NULL;
	ck_assert_int_eq(lin_json_tags(t, 3, &out), 0);
	ck_assert_str_eq(out, "[\"b\",\"a\"]");
	free(out);
	ck_assert_int_eq(lin_json_tags(NULL, 0, &out), 0);
	ck_assert_str_eq(out, "[]");
	free(out);
	ck_assert_int_eq(lin_json_tags(bad, 2, &out), LINEAGE_EINVALID);
	ck_assert_int_eq(lin_json_tags(NULL, 2, &out), LINEAGE_EINVALID);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, times);
	tcase_add_test(tc, strings_and_numbers);
	tcase_add_test(tc, merge_patch);
	tcase_add_test(tc, tags);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
