CREATE OR REPLACE TASK etl.load_orders
  WAREHOUSE = transform_wh
  SCHEDULE = 'USING CRON 0 * * * * UTC'
AS
  INSERT INTO mart.orders (order_id, amount) SELECT id, amount FROM raw.orders WHERE loaded = FALSE;
CREATE OR REPLACE TASK etl.rollup
  WAREHOUSE = transform_wh
  AFTER etl.load_orders
AS
BEGIN
  DELETE FROM mart.daily_totals WHERE day = CURRENT_DATE;
  INSERT INTO mart.daily_totals (day, total) SELECT CURRENT_DATE, SUM(amount) FROM mart.orders;
END;
ALTER TASK etl.rollup RESUME;
