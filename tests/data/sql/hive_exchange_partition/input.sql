CREATE TABLE staging.page_views_load (user_id BIGINT, url STRING, view_ts TIMESTAMP) PARTITIONED BY (dt STRING);
INSERT OVERWRITE TABLE staging.page_views_load PARTITION (dt = '2024-05-01')
SELECT user_id, url, view_ts FROM raw.page_views WHERE to_date(view_ts) = '2024-05-01';
ALTER TABLE warehouse.page_views EXCHANGE PARTITION (dt = '2024-05-01') WITH TABLE staging.page_views_load;
