-- work_orders is created, filled, read and dropped: a work table, not a target
CREATE TABLE work_orders (order_id INT, customer_id INT, amount DECIMAL(12,2));
INSERT INTO work_orders SELECT order_id, customer_id, amount FROM shop.orders WHERE status = 'paid';
INSERT INTO mart.customer_revenue (customer_id, revenue)
SELECT customer_id, SUM(amount) FROM work_orders GROUP BY customer_id;
DROP TABLE work_orders;
-- created here and kept: a target even though no data is loaded yet
CREATE TABLE mart.customer_flags (customer_id INT, flag VARCHAR(10));
