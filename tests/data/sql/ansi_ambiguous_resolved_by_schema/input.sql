-- Neither column is qualified; the schema says which table has which.
CREATE TABLE report.order_lines AS
SELECT order_id, sku, quantity, unit_price, list_price
FROM sales.order_lines
JOIN catalog.products ON sales.order_lines.product_id = catalog.products.product_id;
