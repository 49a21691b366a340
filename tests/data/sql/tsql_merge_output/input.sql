MERGE dbo.Dim AS tgt USING dbo.Stage AS src ON tgt.Id = src.Id
WHEN MATCHED THEN UPDATE SET tgt.Name = src.Name
WHEN NOT MATCHED BY TARGET THEN INSERT (Id, Name) VALUES (src.Id, src.Name)
OUTPUT $action, inserted.Id;
