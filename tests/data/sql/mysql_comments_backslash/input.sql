# comment
INSERT INTO t (a, b) SELECT x, 'it\'s; fine' FROM s; -- done
INSERT INTO u SELECT a FROM t;
