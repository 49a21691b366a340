SELECT id, amt INTO #stage FROM dbo.orders WHERE amt > 0
GO
INSERT INTO dbo.summary (id, total) SELECT id, SUM(amt) FROM #stage GROUP BY id
GO
