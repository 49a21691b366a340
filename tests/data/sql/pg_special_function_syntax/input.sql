CREATE TABLE o9 AS SELECT substring(s FROM 2 FOR 3) AS ss, trim(BOTH ' ' FROM s) AS tr, position('a' IN s) AS pos, overlay(s PLACING 'x' FROM 1) AS ov FROM t;
