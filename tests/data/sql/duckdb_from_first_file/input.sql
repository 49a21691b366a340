CREATE TABLE t AS FROM 'data/file.parquet';
INSERT INTO u SELECT a FROM t;
