/* An export to a file writes FILE.tmp.XXXXXX beside it and renames it at the end; the temporary
 * files that killed exports left behind are removed by the next export to the same file,
 * never one that another export (of this process or another) is still writing. */
#define _DEFAULT_SOURCE /* flock */
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static int exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static void touch(const char *path)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("partial export", f);
	fclose(f);
}

START_TEST(leftovers_of_killed_exports_are_removed)
{
	lineage_db *db = tu_open_temp();
	char out[1024], left[1100], left2[1100], busy[1100], other[1100], longer[1100], target2[1100];
	int fd;
	snprintf(out, sizeof out, "%s", tu_path("graph.json"));
	snprintf(left, sizeof left, "%s.tmp.a1B2c3", out);
	snprintf(left2, sizeof left2, "%s.tmp.ZZZZZZ", out);
	snprintf(busy, sizeof busy, "%s.tmp.Busy42", out);
	snprintf(other, sizeof other, "%s", tu_path("graph.json.tmp.notmine"));
	snprintf(longer, sizeof longer, "%s.tmp.a1B2c3d", out);
	snprintf(target2, sizeof target2, "%s", tu_path("other.json.tmp.a1B2c3"));
	tu_asset(db, "a", "table", NULL);
	touch(left);
	touch(left2);
	touch(busy);
	touch(other);
	touch(longer);
	touch(target2);
	/* An export still writing holds its temporary file locked. */
	fd = open(busy, O_RDWR);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(flock(fd, LOCK_EX | LOCK_NB), 0);
	TU_OK(lineage_export_path(db, NULL, out, NULL));
	ck_assert(exists(out));
	ck_assert(!exists(left));
	ck_assert(!exists(left2));
	ck_assert(exists(busy));
	/* Not that exact pattern, or another target's: kept. */
	ck_assert(exists(other));
	ck_assert(exists(longer));
	ck_assert(exists(target2));
	close(fd);
	/* Unlocked now: the next export removes it. */
	TU_OK(lineage_export_path(db, NULL, out, NULL));
	ck_assert(!exists(busy));
	lineage_db_close(db);
}
END_TEST

START_TEST(a_symlink_with_the_pattern_is_not_followed)
{
	lineage_db *db = tu_open_temp();
	char out[1024], link[1100], victim[1100];
	snprintf(out, sizeof out, "%s", tu_path("g.json"));
	snprintf(link, sizeof link, "%s.tmp.Abcdef", out);
	snprintf(victim, sizeof victim, "%s", tu_path("victim.txt"));
	touch(victim);
	ck_assert_int_eq(symlink(victim, link), 0);
	TU_OK(lineage_export_path(db, NULL, out, NULL));
	ck_assert(exists(victim));
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("io_export_leftovers");
	TCase *tc = tcase_create("leftovers");
	tcase_add_test(tc, leftovers_of_killed_exports_are_removed);
	tcase_add_test(tc, a_symlink_with_the_pattern_is_not_followed);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
