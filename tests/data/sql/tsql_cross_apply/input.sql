INSERT INTO dbo.o (id, v)
SELECT a.id, x.v FROM dbo.a a
CROSS APPLY (SELECT TOP 1 b.v FROM dbo.b b WHERE b.aid = a.id ORDER BY b.ts DESC) x;
