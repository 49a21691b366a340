INSERT INTO db.agg SELECT user_id, sum(amount) AS total FROM db.events FINAL GROUP BY user_id;
