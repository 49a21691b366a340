CREATE TABLE t3 AS
SELECT x.k, x.total * 2 AS dbl
FROM (SELECT k, count(*) AS total FROM t1 GROUP BY k) x;
