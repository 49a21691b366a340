CREATE PROCEDURE dbo.rebuild_customer_scores AS
DECLARE @id INT, @score DECIMAL(9,2)
DECLARE cur CURSOR LOCAL FAST_FORWARD FOR
    SELECT customer_id FROM crm.customers WHERE active = 1
OPEN cur
FETCH NEXT FROM cur INTO @id
WHILE @@FETCH_STATUS = 0
BEGIN
    SELECT @score = SUM(amount) FROM sales.orders WHERE customer_id = @id
    IF @score > 1000
        INSERT INTO crm.vip (customer_id, score) VALUES (@id, @score)
    ELSE
        DELETE FROM crm.vip WHERE customer_id = @id
    FETCH NEXT FROM cur INTO @id
END
CLOSE cur
DEALLOCATE cur
GO
INSERT INTO report.vip_summary (n) SELECT COUNT(*) FROM crm.vip
