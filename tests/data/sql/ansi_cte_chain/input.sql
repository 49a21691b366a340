INSERT INTO report
WITH base AS (SELECT id, amount FROM sales),
agg AS (SELECT id, SUM(amount) AS total FROM base GROUP BY id)
SELECT id, total FROM agg;
