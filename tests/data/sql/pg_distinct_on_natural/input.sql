INSERT INTO latest (id, v) SELECT DISTINCT ON (a.id) a.id, b.v FROM a NATURAL JOIN b ORDER BY a.id, a.ts DESC;
