UPDATE t SET t.[Total] = s.[Amount] FROM [dbo].[Sales] t INNER JOIN [dbo].[Src] s ON s.[Id] = t.[Id];
