INSERT INTO vip SELECT c.id, c.name FROM customers c
WHERE EXISTS (SELECT 1 FROM orders o WHERE o.cid = c.id AND o.total > 1000)
  AND c.region IN (SELECT region FROM active_regions);
