CREATE TABLE mart.order_margins AS
SELECT order_id, margin_pct
FROM (
  SELECT order_id,
         revenue - cost AS margin,
         margin / NULLIF(revenue, 0) AS margin_pct
  FROM sales.order_economics
);
