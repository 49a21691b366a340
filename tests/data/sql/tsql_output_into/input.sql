ALTER PROCEDURE dbo.drain_queue AS
BEGIN
    DELETE FROM dbo.job_queue
    OUTPUT deleted.* INTO dbo.job_queue_archive
    WHERE finished_at < DATEADD(day, -7, GETDATE())

    MERGE dbo.dim_product AS d
    USING staging.products AS s ON d.sku = s.sku
    WHEN MATCHED THEN UPDATE SET d.price = s.price
    WHEN NOT MATCHED THEN INSERT (sku, price) VALUES (s.sku, s.price)
    OUTPUT $action, inserted.sku, deleted.price INTO dbo.product_changes (change, sku, old_price);
END
