INSERT INTO o (id, mx)
SELECT a.id, (SELECT max(b.v) FROM b WHERE b.id = a.id)
FROM a;
