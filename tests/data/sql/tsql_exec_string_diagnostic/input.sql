CREATE PROCEDURE dbo.archive_table @table_name SYSNAME
AS
    DECLARE @sql NVARCHAR(MAX)
    SET @sql = N'INSERT INTO archive.' + QUOTENAME(@table_name) + N' SELECT * FROM dbo.' + QUOTENAME(@table_name)
    EXEC sp_executesql @sql
    EXEC (N'TRUNCATE TABLE dbo.' + @table_name)
    EXEC dbo.log_step @step = 'archived'
    INSERT INTO audit.archive_runs (table_name, run_at) SELECT name, GETDATE() FROM sys.tables WHERE name = @table_name
GO
