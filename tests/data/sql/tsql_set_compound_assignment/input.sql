DECLARE @total MONEY = 0
SET @total += (SELECT SUM(amount) FROM billing.payments WHERE paid_on >= '2024-01-01')
SET @total -= (SELECT SUM(amount) FROM billing.refunds)
INSERT INTO billing.net_totals (computed_at, net) VALUES (GETDATE(), @total)
