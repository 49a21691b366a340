CREATE TABLE db.t2 WITH (format = 'PARQUET') AS SELECT a, b FROM db.t1;
