CREATE VIEW v AS
WITH a AS (SELECT x, y FROM t),
     b AS (WITH inner_cte AS (SELECT x AS z FROM a) SELECT z FROM inner_cte)
SELECT b.z, a.y FROM b JOIN a ON a.x = b.z;
