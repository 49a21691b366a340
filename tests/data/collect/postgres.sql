-- The sample schema of the collector tests (PostgreSQL): views over views, a materialized
-- view, joins across schemas, a column renamed in a view, a table dropped later (refunds).
CREATE SCHEMA crm;
CREATE SCHEMA sales;
CREATE SCHEMA mart;
COMMENT ON SCHEMA mart IS 'Reporting';
CREATE TABLE crm.customers (
  id integer PRIMARY KEY,
  name text NOT NULL,
  country char(2)
);
COMMENT ON TABLE crm.customers IS 'People who buy';
COMMENT ON COLUMN crm.customers.name IS 'Full name';
CREATE TABLE sales.orders (
  id bigint PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES crm.customers (id),
  amount numeric(12, 2),
  status text
);
CREATE TABLE sales.refunds (
  order_id bigint REFERENCES sales.orders (id),
  amount numeric(12, 2)
);
CREATE TABLE mart.order_log (order_id bigint, customer text, amount numeric(12, 2));
-- amount renamed paid_amount
CREATE VIEW sales.paid_orders AS
  SELECT id, customer_id, amount AS paid_amount FROM sales.orders WHERE status = 'paid';
-- over a view, across schemas
CREATE VIEW mart.customer_revenue AS
  SELECT c.id AS customer_id, c.name, sum(p.paid_amount) AS revenue
  FROM crm.customers c JOIN sales.paid_orders p ON p.customer_id = c.id
  GROUP BY c.id, c.name;
CREATE MATERIALIZED VIEW mart.country_revenue AS
  SELECT c.country, sum(r.revenue) AS revenue
  FROM mart.customer_revenue r JOIN crm.customers c ON c.id = r.customer_id
  GROUP BY c.country;
CREATE VIEW sales.net_orders AS
  SELECT o.id, o.amount - coalesce(f.amount, 0) AS net
  FROM sales.orders o LEFT JOIN sales.refunds f ON f.order_id = o.id;
