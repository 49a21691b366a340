from airflow import DAG
from airflow.decorators import task, task_group
from airflow.operators.empty import EmptyOperator
from airflow.utils.task_group import TaskGroup

with DAG("grouped", schedule=None) as dag:
    start = EmptyOperator(task_id="start")
    end = EmptyOperator(task_id="end")

    with TaskGroup("ingest", tooltip="Ingest sources") as ingest:
        a = EmptyOperator(task_id="a")
        b = EmptyOperator(task_id="b")
        with TaskGroup(group_id="inner") as inner:
            c = EmptyOperator(task_id="c")
        a >> b >> inner

    with TaskGroup("flat", prefix_group_id=False) as flat:
        d = EmptyOperator(task_id="d")

    @task_group(group_id="process")
    def process(x):
        @task
        def clean(v):
            return v

        @task
        def enrich(v):
            return v

        return enrich(clean(x))

    @task
    def source():
        return 1

    start >> ingest >> process(source()) >> end
    ingest >> flat
    process(source())
