/* header /* nested */ still comment */
INSERT INTO dbo.a (x) SELECT CONVERT(varchar(10), s.v) FROM dbo.s s
GO 2
-- second batch
INSERT INTO dbo.b SELECT x FROM dbo.a
GO
