from airflow import DAG
from airflow.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.sensors.external_task import ExternalTaskSensor

with DAG("downstream_dag", schedule="@daily") as dag:
    wait_task = ExternalTaskSensor(
        task_id="wait_for_load",
        external_dag_id="classic_etl",
        external_task_id="load",
    )
    wait_dag = ExternalTaskSensor(task_id="wait_for_dag", external_dag_id="taskflow_etl", external_task_id=None)
    kick = TriggerDagRunOperator(task_id="kick", trigger_dag_id="reporting")
    [wait_task, wait_dag] >> kick
