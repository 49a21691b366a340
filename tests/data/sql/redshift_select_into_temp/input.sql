SELECT user_id, SUM(amount) AS total INTO TEMP TABLE tmp_totals FROM sales GROUP BY user_id;
INSERT INTO user_totals SELECT * FROM tmp_totals;
