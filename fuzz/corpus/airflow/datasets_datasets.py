from airflow import DAG
from airflow.datasets import Dataset
from airflow.operators.bash import BashOperator
from airflow.decorators import task

orders = Dataset("s3://lake/orders.parquet")
customers = Dataset(uri="s3://lake/customers.parquet")

with DAG("producer", schedule="@daily") as producer:
    write_orders = BashOperator(
        task_id="write_orders", bash_command="make orders", outlets=[orders]
    )
    read_raw = BashOperator(
        task_id="read_raw", bash_command="cat", inlets=[Dataset("s3://raw/events/")]
    )

    @task(outlets=[customers])
    def write_customers():
        pass

    read_raw >> write_orders
    write_customers()

with DAG("consumer", schedule=[orders, customers]) as consumer:
    BashOperator(task_id="use", bash_command="echo")

with DAG("either", schedule=(orders | Dataset("s3://lake/other.csv"))) as either:
    pass
