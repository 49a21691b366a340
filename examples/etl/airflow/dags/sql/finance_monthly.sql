INSERT INTO wh.marts.finance_monthly (month, net_revenue, refunds)
SELECT DATE_TRUNC('month', r.revenue_date) AS month,
       SUM(r.net_revenue)                 AS net_revenue,
       SUM(r.refunded)                    AS refunds
FROM wh.marts.fct_revenue r
WHERE r.revenue_date >= '{{ ds }}'::date - INTERVAL '1 month'
GROUP BY 1;
