CREATE TABLE g AS SELECT upper(cat) AS c, count(*) AS n FROM items GROUP BY c HAVING count(*) > 1 ORDER BY n;
