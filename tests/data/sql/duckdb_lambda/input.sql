CREATE TABLE t3 AS SELECT id, list_transform(vals, x -> x + bonus) AS adj FROM src;
