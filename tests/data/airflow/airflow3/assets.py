from airflow.sdk import Asset, dag, task

raw = Asset("s3://bucket/raw.json")
clean = Asset(name="clean_orders", uri="s3://bucket/clean.parquet")


@dag(schedule=[raw], tags=["af3"])
def asset_pipeline():
    @task(inlets=[raw], outlets=[clean])
    def refine():
        pass

    @task
    def publish():
        pass

    refine() >> publish()


asset_pipeline()


from airflow.sdk import asset


@asset(uri="s3://bucket/daily_report.csv", schedule=[clean])
def daily_report():
    pass


@asset(schedule=[daily_report])
def summary():
    pass
