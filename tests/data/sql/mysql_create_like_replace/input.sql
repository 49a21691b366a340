CREATE TABLE t_copy LIKE t_orig;
REPLACE INTO t_copy SELECT * FROM t_orig;
