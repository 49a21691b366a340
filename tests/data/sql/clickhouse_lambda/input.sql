INSERT INTO t2 SELECT id, arrayMap(x -> x * 2, vals) AS doubled FROM t1;
