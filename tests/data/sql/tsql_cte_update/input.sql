WITH x AS (SELECT id, max(v) mv FROM dbo.s GROUP BY id)
UPDATE t SET t.v = x.mv FROM dbo.t t JOIN x ON x.id = t.id;
