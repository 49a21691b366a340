-- Marketing attribution mart, rebuilt nightly (Snowflake).
USE DATABASE wh;

CREATE OR REPLACE TEMPORARY TABLE tmp_first_orders AS
SELECT o.customer_id,
       MIN(o.order_date) AS first_order_date,
       COUNT(*)          AS orders
FROM wh.marts.fct_orders o
WHERE o.status <> 'cancelled'
GROUP BY o.customer_id;

CREATE OR REPLACE TABLE wh.marts.marketing_attribution AS
SELECT c.customer_id,
       c.country,
       f.first_order_date,
       f.orders,
       CASE WHEN f.orders > 1 THEN 'repeat' ELSE 'one-off' END AS buyer_type
FROM wh.staging.stg_customers c
JOIN tmp_first_orders f ON f.customer_id = c.customer_id
QUALIFY ROW_NUMBER() OVER (PARTITION BY c.customer_id ORDER BY f.first_order_date) = 1;
