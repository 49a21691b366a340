/* SHA-256 against the FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA2_Additional.pdf"),
 * and the constant-time comparison. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "common/sha256.h"

static void check(const void *data, size_t len, const char *want)
{
	char hex[2 * LIN_SHA256_SIZE + 1];
	lin_sha256_hex(data, len, hex);
	ck_assert_str_eq(hex, want);
}

START_TEST(fips_vectors)
{
	check("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	check("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	      112, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}
END_TEST

/* One million 'a' (FIPS 180-2 appendix B.3), fed in uneven pieces across block edges. */
START_TEST(million_a_in_pieces)
{
	static const char want[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	char *a = malloc(1000000);
	uint8_t d[LIN_SHA256_SIZE];
	char hex[2 * LIN_SHA256_SIZE + 1];
	lin_sha256 c;
	size_t done = 0, step = 1;
	ck_assert_ptr_nonnull(a);
	memset(a, 'a', 1000000);
	check(a, 1000000, want);
	lin_sha256_init(&c);
	while (done < 1000000) {
		size_t n = 1000000 - done < step ? 1000000 - done : step;
		lin_sha256_update(&c, a + done, n);
		done += n;
		step = step * 7 % 131 + 1;
	}
	lin_sha256_final(&c, d);
	for (int i = 0; i < LIN_SHA256_SIZE; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
	ck_assert_str_eq(hex, want);
	free(a);
}
END_TEST

/* 55, 56 and 64 bytes: the padding needs one more block from 56 on. */
START_TEST(padding_edges)
{
	char m[64];
	memset(m, 'a', sizeof m);
	check(m, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	check(m, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
	check(m, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}
END_TEST

START_TEST(constant_time_equal)
{
	ck_assert(lin_equal_consttime("same", "same", 4));
	ck_assert(!lin_equal_consttime("same", "samf", 4));
	ck_assert(!lin_equal_consttime("xame", "same", 4));
	ck_assert(lin_equal_consttime("a", "b", 0));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sha256");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, fips_vectors);
	tcase_add_test(tc, million_a_in_pieces);
	tcase_add_test(tc, padding_edges);
	tcase_add_test(tc, constant_time_equal);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
