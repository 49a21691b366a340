INSERT INTO hive.s.ranked
SELECT r.*, rank() OVER (PARTITION BY r.region ORDER BY r.sales DESC) AS rnk FROM hive.s.regions r;
