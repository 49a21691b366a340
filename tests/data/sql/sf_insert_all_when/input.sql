INSERT ALL
  WHEN amount > 100 THEN INTO big_orders
  ELSE INTO small_orders
SELECT id, amount FROM orders;
