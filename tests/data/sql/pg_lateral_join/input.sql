CREATE TABLE top3 AS
SELECT c.id, l.total FROM customers c
CROSS JOIN LATERAL (SELECT sum(o.amount) AS total FROM orders o WHERE o.cid = c.id) l;
