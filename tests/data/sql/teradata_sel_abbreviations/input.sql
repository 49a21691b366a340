INS INTO dw.sales_daily (sale_date, store_id, amount)
SEL sale_date, store_id, SUM(amount) FROM stg.sales GROUP BY 1, 2;
DEL FROM stg.sales WHERE sale_date IN (SEL sale_date FROM dw.sales_daily);
