CREATE TABLE out AS SELECT a + 1 AS x, x * 2 AS y FROM t;
