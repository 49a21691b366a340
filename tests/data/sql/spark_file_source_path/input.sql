CREATE TABLE bronze.clicks AS
SELECT user_id, url, ts FROM parquet.`s3://lake/raw/clicks/2024/06/`;
INSERT INTO bronze.clicks SELECT user_id, url, ts FROM json.`/mnt/landing/clicks.json`;
