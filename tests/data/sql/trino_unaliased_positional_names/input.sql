CREATE TABLE lake.daily AS
SELECT day, sum(amount), approx_distinct(user_id)
FROM lake.payments
GROUP BY day;
