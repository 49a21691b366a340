from airflow import DAG
from airflow.providers.snowflake.operators.snowflake import SnowflakeOperator

SCHEMA = get_schema_from_somewhere()
query = build_query()

with DAG("dynamic_bits", schedule=None) as dag:
    ok = SnowflakeOperator(
        task_id="known",
        sql=f"INSERT INTO mart.daily SELECT * FROM {SCHEMA}.events",
    )
    from_var = SnowflakeOperator(task_id="from_variable", sql=query)
    unknown_id = SnowflakeOperator(task_id=f"load_{SCHEMA}", sql="SELECT 1")
    ok >> from_var
