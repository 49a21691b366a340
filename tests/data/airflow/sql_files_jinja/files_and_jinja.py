import os

from airflow import DAG
from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator
from airflow.providers.postgres.operators.postgres import PostgresOperator
from airflow.providers.snowflake.operators.snowflake import SnowflakeOperator

with DAG(
    "templated",
    schedule="@daily",
    template_searchpath=["sql"],
    params={"schema": "analytics"},
) as dag:
    # Found next to the DAG file.
    from_file = PostgresOperator(task_id="from_file", sql="queries/build_daily.sql")
    # Found on template_searchpath (relative to the DAG file's folder).
    on_path = SnowflakeOperator(
        task_id="on_path",
        sql="refresh_customers.sql",
        params={"target": "mart.customers"},
    )
    several = SQLExecuteQueryOperator(
        task_id="several",
        conn_id="whatever",
        sql=[
            "DELETE FROM {{ params.schema }}.summary WHERE ds = '{{ ds }}' AND src = '{{ var.value.source }}'",
            "INSERT INTO {{ params.schema }}.summary SELECT ds, count(*) AS n FROM raw.clicks GROUP BY ds",
        ],
    )
    unresolved = SQLExecuteQueryOperator(
        task_id="unresolved",
        sql="INSERT INTO {{ params.nowhere }}.t SELECT a FROM raw.src",
    )
    missing = PostgresOperator(task_id="missing", sql="not_there.sql")
    from_file >> on_path >> several
