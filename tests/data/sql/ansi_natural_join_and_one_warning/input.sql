CREATE TABLE n AS SELECT id, v, w FROM a NATURAL JOIN b;
CREATE TABLE m AS SELECT x, x + 1 AS x1, upper(x) AS x2 FROM c JOIN d ON c.k = d.k;
