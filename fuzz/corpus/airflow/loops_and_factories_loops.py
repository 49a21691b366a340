from airflow import DAG
from airflow.operators.empty import EmptyOperator
from airflow.providers.postgres.operators.postgres import PostgresOperator

TABLES = ["orders", "customers"]


def make_loader(table, dag):
    return PostgresOperator(
        task_id=f"copy_{table}",
        sql=f"INSERT INTO dw.{table} SELECT * FROM app.{table}",
        dag=dag,
    )


with DAG("looped", schedule=None) as dag:
    start = EmptyOperator(task_id="start")
    for table in TABLES:
        load = PostgresOperator(
            task_id=f"load_{table}",
            sql=f"INSERT INTO stage.{table} SELECT * FROM src.{table}",
        )
        start >> load >> make_loader(table, dag)
    for i in range(3):
        EmptyOperator(task_id=f"step_{i}")
    mapped = PostgresOperator.partial(task_id="mapped", postgres_conn_id="pg").expand(
        sql=["SELECT 1", "SELECT 2"]
    )
    start >> mapped
