CREATE OR REPLACE PROCEDURE `acme-prod.marts.build_daily_kpis`(run_date DATE)
BEGIN
  DECLARE last_loaded DATE DEFAULT (SELECT MAX(kpi_date) FROM `acme-prod.marts.daily_kpis`);
  DECLARE attempts INT64 DEFAULT 0;

  IF last_loaded IS NOT NULL AND last_loaded >= run_date THEN
    RETURN;
  ELSEIF last_loaded IS NULL THEN
    SET last_loaded = DATE_SUB(run_date, INTERVAL 30 DAY);
  END IF;

  WHILE attempts < 3 DO
    SET attempts = attempts + 1;
  END WHILE;

  BEGIN
    CREATE TEMP TABLE day_orders AS
    SELECT order_id, customer_id, total_usd, DATE(created_at) AS order_date
    FROM `acme-prod.raw.orders`
    WHERE DATE(created_at) > last_loaded AND DATE(created_at) <= run_date;

    INSERT INTO `acme-prod.marts.daily_kpis` (kpi_date, orders, revenue_usd)
    SELECT order_date, COUNT(order_id), SUM(total_usd)
    FROM day_orders
    GROUP BY order_date;
  EXCEPTION WHEN ERROR THEN
    INSERT INTO `acme-prod.ops.failures` (proc, message, at)
    VALUES ('build_daily_kpis', @@error.message, CURRENT_TIMESTAMP());
  END;

  LOOP
    SET attempts = attempts - 1;
    IF attempts <= 0 THEN LEAVE; END IF;
  END LOOP;
END;
