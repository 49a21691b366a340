/* Handles on several threads at once: each has its own engine; igraph-backed questions
 * (cycles, topological order, layouts) are serialised inside the library. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

#define THREADS 4
#define ROUNDS 30

static const char *db_path;
static lineage_open_options db_options;

typedef struct job {
	int failures;
	char message[256];
} job;

static void *worker(void *arg)
{
	job *j = arg;
	lineage_db *db = NULL;
	if (lineage_db_open(&db, db_path, &db_options)) {
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

/* t0 -> t1 -> ... -> t39, and t39 -> t30: 40 assets, 40 edges, one cycle */
static void chain(lineage_db *db)
{
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
}

START_TEST(handles_on_threads)
{
	lineage_db *db = tu_open_temp();
	pthread_t th[THREADS];
	job jobs[THREADS];
	chain(db);
	db_path = lineage_db_path(db);
	lineage_open_options_init(&db_options, LINEAGE_OPEN_OPTIONS_VERSION);
	tu_same_options(db, &db_options);
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

/* Results read on other threads while their handle goes on writing: each read gives the
 * answer as of its query (the chain of 40 with its cycle, plus the leaves added before). */
typedef struct reading {
	lineage_result *r;
	size_t expect;
	int failures;
	char message[256];
} reading;

static void *reader(void *arg)
{
	reading *x = arg;
	char *json = NULL;
	size_t edges = lineage_result_edge_count(x->r);
	if (lineage_result_node_count(x->r) != x->expect || edges != x->expect) {
		x->failures++;
		snprintf(x->message, sizeof x->message, "%zu nodes, %zu edges, expected %zu of each",
			 lineage_result_node_count(x->r), edges, x->expect);
	}
	for (size_t i = 0; i < edges; i++) {
		const lineage_result_edge *e = lineage_result_edge_at(x->r, i);
		if (!e || e->confidence != 1.0) {
			x->failures++;
			snprintf(x->message, sizeof x->message, "edge %zu missing or wrong", i);
		}
	}
	if (lineage_result_to_json(&json, x->r, LINEAGE_JSON_CYTOSCAPE)) {
		x->failures++;
		snprintf(x->message, sizeof x->message, "json: %s", lineage_error_last()->message);
	}
	lineage_free(json);
	return NULL;
}

START_TEST(results_read_while_writing)
{
	lineage_db *db = tu_open_temp();
	pthread_t th[ROUNDS];
	reading rd[ROUNDS];
	char a[16], b[16];
	chain(db);
	memset(rd, 0, sizeof rd);
	for (int i = 0; i < ROUNDS; i++) {
		TU_OK(lineage_query_downstream(&rd[i].r, db, "t0", NULL));
		rd[i].expect = 40 + (size_t)i;
		ck_assert_int_eq(pthread_create(&th[i], NULL, reader, &rd[i]), 0);
		snprintf(a, sizeof a, "x%d", i);
		tu_asset(db, a, "table", NULL);
		snprintf(b, sizeof b, "t%d", 39);
		tu_edge(db, b, a);
	}
	for (int i = 0; i < ROUNDS; i++) {
		pthread_join(th[i], NULL);
		ck_assert_msg(rd[i].failures == 0, "reader %d: %s", i, rd[i].message);
		lineage_result_free(rd[i].r);
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
	tcase_add_test(tc, results_read_while_writing);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
