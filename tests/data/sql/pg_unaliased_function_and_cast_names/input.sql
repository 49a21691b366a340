CREATE TABLE reporting.order_facts AS
SELECT o.id::bigint, CAST(o.placed_at AS date), upper(o.status), o.amount * o.fx_rate, count(*) OVER ()
FROM shop.orders o;
