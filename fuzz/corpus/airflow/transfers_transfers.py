from airflow import DAG
from airflow.providers.amazon.aws.transfers.s3_to_redshift import S3ToRedshiftOperator
from airflow.providers.amazon.aws.transfers.redshift_to_s3 import RedshiftToS3Operator
from airflow.providers.google.cloud.transfers.gcs_to_bigquery import GCSToBigQueryOperator
from airflow.providers.google.cloud.transfers.postgres_to_gcs import PostgresToGCSOperator

with DAG("transfers", schedule=None) as dag:
    s3_to_rs = S3ToRedshiftOperator(
        task_id="s3_to_redshift",
        s3_bucket="landing",
        s3_key="orders/2024/",
        schema="public",
        table="orders",
        copy_options=["csv"],
    )
    rs_to_s3 = RedshiftToS3Operator(
        task_id="redshift_to_s3",
        s3_bucket="exports",
        s3_key="orders_export/",
        schema="public",
        table="orders",
    )
    gcs_to_bq = GCSToBigQueryOperator(
        task_id="gcs_to_bq",
        bucket="raw-bucket",
        source_objects=["events/part-1.json", "events/part-2.json"],
        destination_project_dataset_table="proj:analytics.events",
        write_disposition="WRITE_TRUNCATE",
    )
    pg_to_gcs = PostgresToGCSOperator(
        task_id="pg_to_gcs",
        sql="SELECT id, email FROM app.users",
        bucket="dumps",
        filename="users/{}.json",
    )
    unknown_bucket = S3ToRedshiftOperator(
        task_id="unknown_bucket",
        s3_bucket=BUCKET,
        s3_key="x/",
        schema="public",
        table="other",
    )
    s3_to_rs >> rs_to_s3
