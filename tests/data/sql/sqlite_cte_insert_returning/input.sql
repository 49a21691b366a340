-- SQLite: a CTE feeding an INSERT, with RETURNING (3.35+).
WITH recent AS (
  SELECT customer_id, max(order_date) AS last_order
  FROM orders
  GROUP BY customer_id
)
INSERT INTO customer_activity (customer_id, last_order)
SELECT customer_id, last_order FROM recent
RETURNING customer_id;
