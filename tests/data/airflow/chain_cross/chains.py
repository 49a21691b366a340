from airflow.models import DAG
from airflow.models.baseoperator import chain, cross_downstream
from airflow.operators.empty import EmptyOperator as Empty

dag = DAG(dag_id="chains", schedule=None)

t = {}
a = Empty(task_id="a", dag=dag)
b = Empty(task_id="b", dag=dag)
c = Empty(task_id="c", dag=dag)
d = Empty(task_id="d", dag=dag)
e = Empty(task_id="e", dag=dag)
f = Empty(task_id="f", dag=dag)
g = Empty(task_id="g", dag=dag)
x1 = Empty(task_id="x1", dag=dag)
x2 = Empty(task_id="x2", dag=dag)
y1 = Empty(task_id="y1", dag=dag)
y2 = Empty(task_id="y2", dag=dag)

chain(a, b, [c, d], e)
cross_downstream([e, f], [x1, x2])
chain([x1, x2], [y1, y2])
g.set_upstream(y1)
y2.set_downstream([g])
[a, b] >> f << g
e >> [f, g]
f << Empty(task_id="inline", dag=dag)
starred = [Empty(task_id="s1", dag=dag), Empty(task_id="s2", dag=dag)]
chain(*starred)
