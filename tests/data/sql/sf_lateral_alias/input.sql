CREATE TABLE t AS SELECT price * qty AS gross, gross - 5 AS net FROM s;
