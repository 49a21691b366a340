/*
 * A change to an asset (a dataset) reaches everything the DAGs it schedules write: the DAG
 * runs its tasks (edges DAG -> task, kind "triggers"), whatever the schedule's form, in the
 * Airflow 3 (Asset) and Airflow 2 (Dataset) names, and through TriggerDagRunOperator too.
 */
#include <stdio.h>

#include "../scan/scan_testutil.h"

static const char *DAGS =
	"import pendulum\n"
	"from airflow.sdk import Asset, AssetAll, AssetOrTimeSchedule, DAG\n"
	"from airflow.datasets import Dataset, DatasetOrTimeSchedule\n"
	"from airflow.timetables.trigger import CronTriggerTimetable\n"
	"from airflow.providers.standard.operators.bash import BashOperator\n"
	"from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator\n"
	"from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator\n"
	"\n"
	"a1 = Asset('s3://in/a1')\n"
	"a2 = Asset('s3://in/a2')\n"
	"a3 = Asset('s3://in/a3')\n"
	"\n"
	"with DAG('listed', schedule=[a1]):\n"
	"    first = BashOperator(task_id='first', bash_command='true')\n"
	"    load = SQLExecuteQueryOperator(task_id='load', sql='insert into mart.listed select * from raw.x')\n"
	"    first >> load\n"
	"\n"
	"with DAG('logical', schedule=(a1 | (a2 & a3))):\n"
	"    BashOperator(task_id='write', bash_command='true', outlets=[Asset('s3://out/logical')])\n"
	"\n"
	"with DAG('or_time', schedule=AssetOrTimeSchedule(timetable=CronTriggerTimetable('0 1 * * *', timezone='UTC'),\n"
	"                                                 assets=AssetAll(a2, a3))):\n"
	"    BashOperator(task_id='write', bash_command='true', outlets=[Asset('s3://out/or_time')])\n"
	"    TriggerDagRunOperator(task_id='kick', trigger_dag_id='downstream_dag')\n"
	"\n"
	"with DAG('old_names', schedule=DatasetOrTimeSchedule(timetable=CronTriggerTimetable('0 1 * * *', timezone='UTC'),\n"
	"                                                     datasets=[Dataset('s3://in/old')])):\n"
	"    BashOperator(task_id='write', bash_command='true', outlets=[Dataset('s3://out/old')])\n";

/* Another file: the DAG that or_time triggers by its id. */
static const char *TRIGGERED =
	"from airflow.sdk import Asset, DAG\n"
	"from airflow.providers.standard.operators.bash import BashOperator\n"
	"with DAG('downstream_dag', schedule=None):\n"
	"    BashOperator(task_id='write', bash_command='true', outlets=[Asset('s3://out/triggered')])\n";

static int reaches(lineage_result *r, const char *key)
{
	for (size_t i = 0; i < lineage_result_node_count(r); i++)
		if (!strcmp(lineage_result_node(r, i)->key, key))
			return 1;
	return 0;
}

/* `key` is downstream of `from`, and in the impact of a change to it. */
static void check_reached(lineage_db *db, const char *from, const char *key)
{
	lineage_result *r = NULL;
	TU_OK(lineage_query_downstream(&r, db, from, NULL));
	ck_assert_msg(reaches(r, key), "%s is not downstream of %s", key, from);
	lineage_result_free(r);
	TU_OK(lineage_query_impact(&r, db, from, LINEAGE_CHANGE_MODIFY, NULL));
	ck_assert_msg(reaches(r, key), "%s is not in the impact of %s", key, from);
	lineage_result_free(r);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(asset_change_reaches_what_the_scheduled_dags_write)
{
	lineage_db *db = tu_open_temp();
	const char *paths[2];
	char a[1024], b[1024];
	lineage_scan_options opts;
	lineage_scan_report *rep = NULL;
	snprintf(a, sizeof a, "%s", tu_path("dags.py"));
	snprintf(b, sizeof b, "%s", tu_path("triggered.py"));
	write_text(a, DAGS);
	write_text(b, TRIGGERED);
	paths[0] = a;
	paths[1] = b;
	TU_OK(lineage_scan_options_init(&opts, LINEAGE_SCAN_OPTIONS_VERSION));
	opts.type = "airflow";
	TU_OK(lineage_scan_run(&rep, db, paths, 2, &opts));
	ck_assert_uint_eq(lineage_scan_report_diagnostic_count(rep, LINEAGE_DIAG_ERROR), 0);
	lineage_scan_report_free(rep);
	/* The DAG runs its tasks. */
	ck_assert(has_edge(db, "airflow:listed", "airflow:listed.first", "triggers", NULL));
	ck_assert(has_edge(db, "airflow:listed", "airflow:listed.load", "triggers", NULL));
	/* schedule=[a1]: a task's SQL target. */
	check_reached(db, "s3://in/a1", "airflow:listed.load");
	check_reached(db, "s3://in/a1", "mart.listed");
	/* a1 | (a2 & a3): each of them. */
	check_reached(db, "s3://in/a1", "s3://out/logical");
	check_reached(db, "s3://in/a3", "s3://out/logical");
	/* AssetOrTimeSchedule, and the DAG its task triggers, in another file. */
	check_reached(db, "s3://in/a2", "s3://out/or_time");
	check_reached(db, "s3://in/a2", "s3://out/triggered");
	/* The Airflow 2 names. */
	check_reached(db, "s3://in/old", "s3://out/old");
	lineage_db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scan_airflow_triggered_dags");
	TCase *tc = tcase_create("triggered");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, asset_change_reaches_what_the_scheduled_dags_write);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
