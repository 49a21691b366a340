-- Daily order totals.
INSERT INTO reporting.daily_orders (ds, total)
SELECT o.ds, SUM(o.amount) AS total
FROM raw.orders o
WHERE o.ds = '{{ ds }}'
{% if params.get("full") %}
  AND o.status = 'complete'
{% endif %}
GROUP BY o.ds;
