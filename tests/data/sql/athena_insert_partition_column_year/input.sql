INSERT INTO analytics.daily_clicks
SELECT date_trunc('day', from_unixtime(ts)) AS day_start, page, count(*) AS clicks
FROM raw.clicks
WHERE year = '2024'
GROUP BY 1, 2;
