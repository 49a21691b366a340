INSERT INTO summary (k, n)
WITH c AS (SELECT k FROM events WHERE ok = 1)
SELECT k, COUNT(*) FROM c GROUP BY k;
