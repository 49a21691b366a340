/* The identities a file's rows had so far: in memory up to a budget, then on disk. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "io/seen.h"

static lin_id id_of(uint64_t i)
{
	lin_idhash h;
	lin_idhash_init(&h);
	lin_idhash_u64(&h, i);
	return lin_idhash_done(&h);
}

START_TEST(memory_then_disk)
{
	lin_seen s;
	uint64_t row, digest;
	lin_seen_init(&s);
	s.budget = 10;
	for (uint64_t i = 0; i < 1000; i++) {
		ck_assert_int_eq(lin_seen_get(&s, id_of(i), &row, &digest), 0);
		ck_assert_int_eq(lin_seen_put(&s, id_of(i), i + 2, i * 7), 0);
	}
	ck_assert_uint_eq(s.count, 1000);
	ck_assert_uint_eq(s.mem.count, 10); /* the rest on disk */
	ck_assert_ptr_nonnull(s.disk);
	for (uint64_t i = 0; i < 1000; i++) {
		ck_assert_int_eq(lin_seen_get(&s, id_of(i), &row, &digest), 1);
		ck_assert_uint_eq(row, i + 2);
		ck_assert_uint_eq(digest, i * 7);
	}
	/* identities with every bit set round-trip through SQLite's signed integers */
	{
		lin_id big = {UINT64_MAX, UINT64_MAX - 1};
		ck_assert_int_eq(lin_seen_put(&s, big, UINT64_MAX >> 1, UINT64_MAX), 0);
		ck_assert_int_eq(lin_seen_get(&s, big, &row, &digest), 1);
		ck_assert_uint_eq(row, UINT64_MAX >> 1);
		ck_assert_uint_eq(digest, UINT64_MAX);
	}
	ck_assert_int_eq(lin_seen_get(&s, id_of(5000), &row, &digest), 0);
	lin_seen_free(&s);
}
END_TEST

START_TEST(reserve_stays_within_budget)
{
	lin_seen s;
	lin_seen_init(&s);
	s.budget = 2000;
	ck_assert_int_eq(lin_seen_reserve(&s, 1000000), 0);
	ck_assert_uint_eq(s.mem.cap, 4096); /* room for the budget, not for the million */
	lin_seen_free(&s);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("io_seen");
	TCase *tc = tcase_create("seen");
	tcase_add_test(tc, memory_then_disk);
	tcase_add_test(tc, reserve_stays_within_budget);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
