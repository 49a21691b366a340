"""TaskFlow API: dependencies follow the data passed between tasks."""
import pendulum

from airflow.decorators import dag, task


@dag(
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    tags=["example"],
)
def taskflow_etl():
    @task()
    def extract():
        data_string = '{"1001": 301.27, "1002": 433.21, "1003": 502.22}'
        return json.loads(data_string)

    @task(multiple_outputs=True)
    def transform(order_data_dict: dict):
        total_order_value = 0
        for value in order_data_dict.values():
            total_order_value += value
        return {"total_order_value": total_order_value}

    @task(task_id="load_total")
    def load(total_order_value: float):
        print(f"Total order value is: {total_order_value:.2f}")

    @task.bash
    def report() -> str:
        return "echo done"

    @task
    def add_one(x: int):
        return x + 1

    order_data = extract()
    order_summary = transform(order_data)
    load(order_summary["total_order_value"]) >> report()
    # The same function called twice: the second task is extract__1.
    extract() >> report.override(task_id="final_report")()
    mapped = add_one.expand(x=[1, 2, 3])
    order_data >> mapped


taskflow_etl()


@dag(dag_id="named_flow", schedule="@hourly")
def not_the_id():
    @task
    def a():
        pass

    @task
    def b(v):
        pass

    b(a())


not_the_id()


@dag()
def forgotten():
    pass
