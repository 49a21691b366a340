CREATE TABLE t (x int, y int);
INSERT INTO t SELECT a, b FROM src;
