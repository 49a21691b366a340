-- The sample schema of the collector tests (MariaDB/MySQL), in two databases: @A@ (the
-- URI's) and @B@. Views over views, a join across databases, a renamed column, a table
-- dropped later (refunds).
CREATE TABLE @B@.customers (
  id int PRIMARY KEY,
  name varchar(100) NOT NULL COMMENT 'Full name',
  country char(2)
) COMMENT 'People who buy';
CREATE TABLE @A@.orders (
  id bigint PRIMARY KEY,
  customer_id int NOT NULL,
  amount decimal(12, 2),
  status varchar(10),
  FOREIGN KEY (customer_id) REFERENCES @B@.customers (id)
);
CREATE TABLE @A@.refunds (
  order_id bigint,
  amount decimal(12, 2),
  FOREIGN KEY (order_id) REFERENCES @A@.orders (id)
);
CREATE VIEW @A@.paid_orders AS
  SELECT id, customer_id, amount AS paid_amount FROM @A@.orders WHERE status = 'paid';
CREATE VIEW @A@.customer_revenue AS
  SELECT c.id AS customer_id, c.name, sum(p.paid_amount) AS revenue
  FROM @B@.customers c JOIN @A@.paid_orders p ON p.customer_id = c.id
  GROUP BY c.id, c.name;
CREATE VIEW @A@.net_orders AS
  SELECT o.id, o.amount - coalesce(f.amount, 0) AS net
  FROM @A@.orders o LEFT JOIN @A@.refunds f ON f.order_id = o.id;
