import os
from pathlib import Path

from airflow import DAG
from airflow.providers.postgres.operators.postgres import PostgresOperator

HERE = os.path.dirname(os.path.abspath(__file__))

with DAG(
    "ospath",
    template_searchpath=[os.path.join(HERE, "include", "sql"), str(Path(__file__).parent / "more")],
) as dag:
    a = PostgresOperator(task_id="a", sql="a.sql")
    b = PostgresOperator(task_id="b", sql="b.sql")
    a >> b
