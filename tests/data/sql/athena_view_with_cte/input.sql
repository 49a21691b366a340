CREATE OR REPLACE VIEW db.v_orders AS
WITH o AS (SELECT order_id, customer_id, total FROM db.orders)
SELECT o.order_id, c.name AS customer, o.total
FROM o LEFT JOIN db.customers c ON c.id = o.customer_id;
