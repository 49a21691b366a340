-- ClickHouse CREATE TABLE ... ENGINE ... AS SELECT
CREATE TABLE analytics.daily_visits
ENGINE = MergeTree
ORDER BY (visit_date, site_id)
AS SELECT toDate(ts) AS visit_date, site_id, uniqExact(user_id) AS visitors
FROM raw.page_views
GROUP BY visit_date, site_id;
