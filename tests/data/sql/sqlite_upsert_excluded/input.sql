-- SQLite UPSERT (3.24+): ON CONFLICT ... DO UPDATE SET with excluded.
INSERT INTO daily_totals (day, store_id, amount)
SELECT date(sold_at), store_id, sum(price * qty)
FROM sales
WHERE sold_at >= date('now', '-1 day')
GROUP BY date(sold_at), store_id
ON CONFLICT (day, store_id) DO UPDATE SET amount = excluded.amount;
