from airflow import DAG
from airflow.operators.bash import BashOperator
from airflow.providers.postgres.operators.postgres import PostgresOperator

with DAG("forms", schedule=None) as dag:
	t1 = BashOperator(task_id=r"raw\id", bash_command=b"echo")
	t2 = BashOperator(task_id="con" \
		"tinued", bash_command="x")  # comment with "quotes" and (brackets
	t3 = PostgresOperator(task_id='''triple''', sql=(
		"INSERT INTO out.t "
		Rb"SELECT * FROM in.t"
	))
	t1 >> t2 >> \
		t3
	x = {"k": [1, 2, (3, 4)], **{"a": lambda y: y + 1}}
	t4 = BashOperator(task_id="unicode_été", bash_command="\u00e9 \x41 \n")
	t3 >> t4 if True else None
