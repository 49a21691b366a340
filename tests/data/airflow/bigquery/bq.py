from airflow import DAG
from airflow.providers.google.cloud.operators.bigquery import (
    BigQueryExecuteQueryOperator,
    BigQueryInsertJobOperator,
)

QUERY = """
    INSERT INTO `my-project.mart.sessions` (user_id, n)
    SELECT user_id, COUNT(*) AS n
    FROM `my-project.raw.events`
    GROUP BY user_id
"""

with DAG("bq", schedule=None) as dag:
    insert_job = BigQueryInsertJobOperator(
        task_id="insert_job",
        configuration={
            "query": {
                "query": QUERY,
                "useLegacySql": False,
            }
        },
        location="EU",
    )
    legacy = BigQueryExecuteQueryOperator(
        task_id="legacy",
        sql="SELECT * FROM `my-project.mart.sessions`",
        destination_dataset_table="my-project.mart.copy",
        use_legacy_sql=False,
    )
    top = BigQueryInsertJobOperator(
        task_id="top_users",
        configuration={"query": {"query": "{% include 'sql/top_users.sql' %}", "useLegacySql": False}},
    )
    loop = BigQueryInsertJobOperator(
        task_id="loop",
        configuration={"query": {"query": "{% include 'sql/loop.sql' %}{% include 'sql/none.sql' %}"}},
    )
    insert_job >> legacy >> top
