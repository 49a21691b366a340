CREATE TABLE kpi.bounds AS
SELECT LEAST((SELECT MIN(price) FROM shop.products), (SELECT MIN(price) FROM shop.archived_products)) AS lowest_price,
       COALESCE((SELECT MAX(ordered_at) FROM shop.orders), CURRENT_DATE) AS last_order,
       ((SELECT COUNT(*) FROM shop.customers) + 1) AS customers_plus_one;
