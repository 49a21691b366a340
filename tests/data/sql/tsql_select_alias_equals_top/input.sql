INSERT INTO dbo.Report (Customer, Total)
SELECT TOP 100 Customer = c.Name, Total = SUM(o.Amount)
FROM dbo.Customers c WITH (NOLOCK) JOIN dbo.Orders o ON o.CustId = c.Id
GROUP BY c.Name ORDER BY Total DESC;
