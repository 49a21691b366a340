"""Monthly finance figures: aggregate in Snowflake, then export for the accountants."""
from datetime import datetime

from airflow import DAG
from airflow.datasets import Dataset
from airflow.operators.python import PythonOperator
from airflow.providers.snowflake.operators.snowflake import SnowflakeOperator

EXPORT = Dataset("s3://finance-exports/monthly/")

with DAG(
    dag_id="finance_export",
    schedule="@monthly",
    start_date=datetime(2026, 1, 1),
    template_searchpath=["sql"],
    catchup=False,
) as dag:
    aggregate = SnowflakeOperator(
        task_id="aggregate_month",
        snowflake_conn_id="snowflake_finance",
        sql="finance_monthly.sql",
    )

    export = PythonOperator(
        task_id="export_to_s3",
        python_callable=lambda: None,
        outlets=[EXPORT],
    )

    aggregate >> export
