CREATE TABLE gold.page_stats AS
SELECT page_id, lower(url), views * 2, datediff(last_seen, first_seen)
FROM silver.pages;
