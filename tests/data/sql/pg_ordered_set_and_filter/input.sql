CREATE TABLE o10 AS SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v) AS med, string_agg(n, ',' ORDER BY n) AS names, count(*) FILTER (WHERE ok) AS cnt FROM t;
