INSERT OVERWRITE INTO mart.current_prices (sku, price)
SELECT sku, price FROM raw.price_feed QUALIFY ROW_NUMBER() OVER (PARTITION BY sku ORDER BY fetched_at DESC) = 1;
