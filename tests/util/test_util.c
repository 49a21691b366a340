/* Tests of lib/common: errors, UTF-8 and key checks, names. */
#include <string.h>

#include "testutil.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"

START_TEST(error_last_is_thread_state)
{
	lineage_error_clear();
	ck_assert_int_eq(lineage_error_last()->code, 0);
	ck_assert_str_eq(lineage_error_last()->message, "no error");
	ck_assert_int_eq(lin_error_set(LINEAGE_EINVALID, "bad %s", "thing"), LINEAGE_EINVALID);
	ck_assert_int_eq(lineage_error_last()->code, LINEAGE_EINVALID);
	ck_assert_str_eq(lineage_error_last()->message, "bad thing");
	lin_error_prefix("row %d", 3);
	ck_assert_str_eq(lineage_error_last()->message, "row 3: bad thing");
	ck_assert_str_eq(lineage_error_code_name(LINEAGE_ENOTFOUND), "ENOTFOUND");
	ck_assert_str_eq(lineage_error_code_name(12345), "EUNKNOWN");
}
END_TEST

START_TEST(utf8_validation)
{
	ck_assert(lin_utf8_valid("plain", 5));
	ck_assert(lin_utf8_valid("caf\xc3\xa9", 5));
	ck_assert(lin_utf8_valid("\xf0\x9f\x98\x80", 4));
	ck_assert(!lin_utf8_valid("\xc3", 1));            /* truncated */
	ck_assert(!lin_utf8_valid("\xc0\xaf", 2));        /* overlong */
	ck_assert(!lin_utf8_valid("\xed\xa0\x80", 3));    /* surrogate */
	ck_assert(!lin_utf8_valid("\xf4\x90\x80\x80", 4));/* above U+10FFFF */
	ck_assert(!lin_utf8_valid("\xff", 1));
}
END_TEST

START_TEST(key_checks)
{
	char big[LINEAGE_KEY_MAX + 2];
	ck_assert_int_eq(lin_check_key("warehouse.sales.orders", "key"), 0);
	ck_assert_int_eq(lin_check_key(NULL, "key"), LINEAGE_EINVALID);
	ck_assert_int_eq(lin_check_key("", "key"), LINEAGE_EINVALID);
	ck_assert_int_eq(lin_check_key(" a", "key"), LINEAGE_EINVALID);
	ck_assert_int_eq(lin_check_key("a\nb", "key"), LINEAGE_EINVALID);
	ck_assert_int_eq(lin_check_key("a\xff", "key"), LINEAGE_EINVALID);
	/* Every byte position of a long key is checked (the check reads 8 bytes at a time). */
	for (size_t at = 0; at < 20; at++) {
		char k[32];
		static const char bad[] = {'\x7f', '\x1f', '\t', '\x01', '\xc3'};
		for (size_t b = 0; b < sizeof bad; b++) {
			memset(k, 'k', 24);
			k[24] = '\0';
			k[at + 1] = bad[b]; /* never first: a leading space rule is checked apart */
			ck_assert_msg(lin_check_key(k, "key") == LINEAGE_EINVALID, "byte %#x at %zu",
				      (unsigned char)bad[b], at + 1);
		}
		memset(k, 'k', 24);
		memcpy(k + at + 1, "\xc3\xa9", 2); /* é: valid */
		k[24] = '\0';
		ck_assert_int_eq(lin_check_key(k, "key"), 0);
		ck_assert_int_eq(lin_check_name(k, "kind"), 0);
		k[at + 1] = '\x7f';
		ck_assert_int_eq(lin_check_name(k, "kind"), LINEAGE_EINVALID);
	}
	ck_assert_int_eq(lin_check_key("warehouse.sales.orders.amount~{}|", "key"), 0);
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "UTF-8"));
	memset(big, 'k', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ck_assert_int_eq(lin_check_key(big, "key"), LINEAGE_EINVALID);
	big[LINEAGE_KEY_MAX] = '\0';
	ck_assert_int_eq(lin_check_key(big, "key"), 0);
}
END_TEST

START_TEST(strbuf_and_names)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	char *s;
	lineage_source src;
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(lin_strbuf_printf(&sb, "%d,", i), 0);
	ck_assert_uint_eq(sb.len, strlen(sb.data));
	s = lin_strbuf_detach(&sb);
	ck_assert(strncmp(s, "0,1,2,", 6) == 0);
	lineage_free(s);
	ck_assert_int_eq(lineage_source_parse(&src, "Approved"), 0);
	ck_assert_int_eq(src, LINEAGE_SOURCE_APPROVED);
	ck_assert_int_eq(lineage_source_parse(&src, "guessed"), LINEAGE_EINVALID);
	ck_assert_str_eq(lineage_source_name(LINEAGE_SOURCE_INFERRED), "inferred");
	ck_assert_int_eq(lin_edit_distance("confidnce", "confidence"), 1);
	ck_assert_str_eq(lineage_version(), LINEAGE_VERSION);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("util");
	tcase_add_test(tc, error_last_is_thread_state);
	tcase_add_test(tc, utf8_validation);
	tcase_add_test(tc, key_checks);
	tcase_add_test(tc, strbuf_and_names);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
