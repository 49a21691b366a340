CREATE TABLE c AS
SELECT CASE WHEN s.status = 'A' THEN s.amount ELSE 0 END AS amt,
       COALESCE(s.x, s.y) AS xy
FROM s;
