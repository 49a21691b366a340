USE DATABASE analytics;
USE SCHEMA mart;
CREATE TABLE daily AS SELECT d, count(*) AS n FROM raw_events GROUP BY d;
INSERT INTO report SELECT d, n FROM analytics.mart.daily;
