CREATE OR REPLACE PROCEDURE ops.tag_late_orders()
RETURNS STRING
LANGUAGE SQL
AS
'
BEGIN
  UPDATE ops.orders SET is_late = TRUE WHERE promised_at < shipped_at AND status = ''SHIPPED'';
  INSERT INTO ops.late_orders (order_id, days_late)
    SELECT order_id, DATEDIFF(day, promised_at, shipped_at) FROM ops.orders WHERE is_late;
  RETURN ''tagged'';
END
';
CREATE OR REPLACE PROCEDURE ops.js_cleanup()
RETURNS STRING
LANGUAGE JAVASCRIPT
AS $$
  snowflake.execute({sqlText: "DELETE FROM ops.tmp"});
  return "ok";
$$;
