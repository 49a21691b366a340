INSERT ALL
  INTO sales_q1 (id, amt) VALUES (id, amount)
  INTO sales_big (id) VALUES (id)
SELECT id, amount FROM sales WHERE amount > 0;
