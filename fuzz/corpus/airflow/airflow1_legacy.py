# Airflow 1.10 style: operators imported from airflow.operators.*, dag=dag everywhere.
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.dummy_operator import DummyOperator
from airflow.operators.postgres_operator import PostgresOperator
from airflow.operators.python_operator import PythonOperator

default_args = {
    'owner': 'airflow',
    'depends_on_past': False,
    'start_date': datetime(2019, 1, 1),
    'retries': 1,
    'retry_delay': timedelta(minutes=5),
}

dag = DAG('legacy_orders', default_args=default_args, schedule_interval='0 3 * * *')

def _notify(**context):
    print("done")

start = DummyOperator(task_id='start', dag=dag)

load = PostgresOperator(
    task_id='load_orders',
    postgres_conn_id='warehouse',
    sql="INSERT INTO dw.fact_orders SELECT o.id, o.total FROM app.orders o JOIN app.customers c ON c.id = o.customer_id;",
    dag=dag)

notify = PythonOperator(task_id='notify', python_callable=_notify, provide_context=True, dag=dag)

load.set_upstream(start)
notify.set_upstream(load)
