from airflow import DAG
from airflow.operators.bash import BashOperator

with DAG("broken", schedule=None) as dag:
    first = BashOperator(task_id="first", bash_command="echo 1")
    bad = BashOperator(task_id="bad" bash_command="echo 2")
    second = BashOperator(task_id="second", bash_command='unterminated)
    third = BashOperator(task_id="third", bash_command="echo 3")
    first >> third
    $$$
    third >> BashOperator(task_id="fourth", bash_command="echo 4")
