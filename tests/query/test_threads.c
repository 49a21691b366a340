/* Handles on several threads at once: each has its own engine; igraph-backed questions
 * (cycles, topological order, layouts) are serialised inside the library. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

#define THREADS 4
#define ROUNDS 30

static const char *db_path;

typedef struct job {
	int failures;
	char message[256];
} job;

static void *worker(void *arg)
{
	job *j = arg;
	lineage_db *db = NULL;
	if (lineage_db_open(&db, db_path, NULL)) {
		j->failures++;
		snprintf(j->message, sizeof j->message, "open: %s", lineage_error_last()->message);
		return NULL;
	}
	for (int i = 0; i < ROUNDS; i++) {
		lineage_result *r = NULL;
		if (lineage_query_downstream(&r, db, "t0", NULL) || lineage_result_node_count(r) != 40 ||
		    !lineage_result_node(r, 39)) {
			j->failures++;
			snprintf(j->message, sizeof j->message, "downstream: %s", lineage_error_last()->message);
		}
		if (r && lineage_result_layout(r, (lineage_layout)(1 + i % 4))) {
			j->failures++;
			snprintf(j->message, sizeof j->message, "layout: %s", lineage_error_last()->message);
		}
		lineage_result_free(r);
		r = NULL;
		if (lineage_query_structure(&r, db, LINEAGE_STRUCT_CYCLES, NULL, NULL) ||
		    lineage_result_group_count(r) != 1) {
			j->failures++;
			snprintf(j->message, sizeof j->message, "cycles: %s", lineage_error_last()->message);
		}
		lineage_result_free(r);
		r = NULL;
		if (lineage_query_structure(&r, db, LINEAGE_STRUCT_TOPO, NULL, NULL) != LINEAGE_ECYCLE) {
			j->failures++;
			snprintf(j->message, sizeof j->message, "topo did not report the cycle");
		}
		lineage_result_free(r);
	}
	lineage_db_close(db);
	return NULL;
}

START_TEST(handles_on_threads)
{
	lineage_db *db = tu_open_temp();
	pthread_t th[THREADS];
	job jobs[THREADS];
	char a[16], b[16];
	TU_OK(lineage_db_begin(db, NULL));
	for (int i = 0; i < 40; i++) {
		snprintf(a, sizeof a, "t%d", i);
		tu_asset(db, a, "table", NULL);
	}
	for (int i = 1; i < 40; i++) {
		snprintf(a, sizeof a, "t%d", i - 1);
		snprintf(b, sizeof b, "t%d", i);
		tu_edge(db, a, b);
	}
	tu_edge(db, "t39", "t30"); /* one cycle */
	TU_OK(lineage_db_commit(db));
	db_path = lineage_db_path(db);
	memset(jobs, 0, sizeof jobs);
	for (int i = 0; i < THREADS; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		ck_assert_msg(jobs[i].failures == 0, "thread %d: %d failures, last: %s", i,
			      jobs[i].failures, jobs[i].message);
	}
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("query_threads");
	TCase *tc = tcase_create("threads");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, handles_on_threads);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
