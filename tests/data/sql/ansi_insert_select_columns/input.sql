INSERT INTO tgt (x, y)
SELECT s.a, upper(s.b)
FROM src s
WHERE s.flag = 1;
