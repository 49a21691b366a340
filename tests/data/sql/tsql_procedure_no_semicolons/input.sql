-- A nightly load written the way SQL Server users write it: no semicolons.
CREATE OR ALTER PROCEDURE dbo.load_daily_sales
    @run_date DATE,
    @region NVARCHAR(20) = NULL
AS
BEGIN
    SET NOCOUNT ON
    DECLARE @rows INT = 0

    IF OBJECT_ID('tempdb..#orders') IS NOT NULL
        DROP TABLE #orders

    SELECT o.order_id, o.customer_id, o.amount, o.order_date
    INTO #orders
    FROM sales.orders o WITH (NOLOCK)
    WHERE o.order_date = @run_date
      AND (@region IS NULL OR o.region = @region)

    SELECT @rows = COUNT(*) FROM #orders
    IF @rows = 0
        RETURN

    DELETE FROM mart.daily_sales WHERE sale_date = @run_date

    INSERT INTO mart.daily_sales (sale_date, customer_id, total)
    SELECT order_date, customer_id, SUM(amount)
    FROM #orders
    GROUP BY order_date, customer_id

    UPDATE c
    SET c.last_order_date = @run_date
    FROM dim.customer c
    JOIN #orders o ON o.customer_id = c.customer_id
END
GO
