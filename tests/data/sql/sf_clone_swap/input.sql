CREATE OR REPLACE TABLE orders_new CLONE orders;
INSERT INTO orders_new SELECT * FROM orders_delta;
ALTER TABLE orders_new SWAP WITH orders;
DROP TABLE orders_new;
