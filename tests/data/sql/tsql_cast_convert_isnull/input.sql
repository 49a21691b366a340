SELECT CAST(a AS int) AS ai, ISNULL(b, 0) AS bi, CONVERT(datetime, c, 120) AS cd INTO #x FROM dbo.t;
