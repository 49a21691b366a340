from datetime import datetime
from airflow import DAG
from airflow.operators.bash import BashOperator
from airflow.operators.empty import EmptyOperator
from airflow.providers.postgres.operators.postgres import PostgresOperator

with DAG(
    dag_id="classic_etl",
    start_date=datetime(2024, 1, 1),
    schedule="@daily",
    description="Loads orders",
    default_args={"owner": "data-eng"},
    tags=["etl", "orders"],
) as dag:
    start = EmptyOperator(task_id="start")
    extract = BashOperator(task_id='extract', bash_command="echo hi")
    load = PostgresOperator(
        task_id="load",
        sql="""
        INSERT INTO warehouse.orders (id, amount)
        SELECT id, amount * 100 FROM staging.orders WHERE ds = '{{ ds }}'
        """,
    )
    end = EmptyOperator(task_id="end")
    start >> extract >> load >> end
