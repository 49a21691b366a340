-- BEGIN here starts a transaction, not a PL/pgSQL block: SELECT INTO still creates a table
BEGIN ISOLATION LEVEL SERIALIZABLE;
SELECT customer_id, sum(amount) AS total INTO TEMP day_totals FROM sales.payments GROUP BY customer_id;
INSERT INTO sales.customer_totals (customer_id, total) SELECT customer_id, total FROM day_totals;
COMMIT;
BEGIN;
SELECT * INTO sales.payments_backup FROM sales.payments;
END;
