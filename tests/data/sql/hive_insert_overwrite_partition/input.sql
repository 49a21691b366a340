INSERT OVERWRITE TABLE dw.sales PARTITION (dt='2024-01-01', region)
SELECT id, amount, region FROM staging.sales_raw WHERE dt = '2024-01-01';
