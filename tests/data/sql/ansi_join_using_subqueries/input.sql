CREATE TABLE report.customer_activity AS
SELECT customer_id, o.orders, t.tickets
FROM (SELECT customer_id, COUNT(*) AS orders FROM sales.orders GROUP BY customer_id) o
FULL JOIN (SELECT customer_id, COUNT(*) AS tickets FROM support.tickets GROUP BY customer_id) t
USING (customer_id);
