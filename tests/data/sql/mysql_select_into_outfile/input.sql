SELECT id, email INTO OUTFILE '/var/exports/active_users.csv'
  FIELDS TERMINATED BY ',' ENCLOSED BY '"' LINES TERMINATED BY '\n'
FROM app.users WHERE active = 1;
SELECT order_id, total FROM app.orders WHERE created_at >= CURDATE()
INTO OUTFILE '/var/exports/orders_today.csv';
SELECT COUNT(*) INTO @n FROM app.users;
