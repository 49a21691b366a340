CREATE PROCEDURE etl.refresh_inventory
AS
BEGIN
    DECLARE @moves TABLE (sku VARCHAR(20), qty INT, warehouse_id INT);

    BEGIN TRY
        BEGIN TRANSACTION;

        INSERT INTO @moves (sku, qty, warehouse_id)
        SELECT m.sku, m.quantity, m.warehouse_id
        FROM staging.stock_movements m
        WHERE m.processed = 0;

        MERGE inventory.stock AS tgt
        USING (SELECT sku, warehouse_id, SUM(qty) AS qty FROM @moves GROUP BY sku, warehouse_id) AS src
        ON tgt.sku = src.sku AND tgt.warehouse_id = src.warehouse_id
        WHEN MATCHED THEN UPDATE SET tgt.on_hand = tgt.on_hand + src.qty
        WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, on_hand) VALUES (src.sku, src.warehouse_id, src.qty);

        UPDATE staging.stock_movements SET processed = 1 WHERE processed = 0;

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        INSERT INTO etl.error_log (proc_name, message, logged_at)
        VALUES ('refresh_inventory', ERROR_MESSAGE(), SYSDATETIME());
        THROW;
    END CATCH
END
