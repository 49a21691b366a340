CREATE OR REPLACE PROCEDURE load_monthly_revenue (p_month IN DATE, p_rows OUT NUMBER) IS
  v_start DATE := TRUNC(p_month, 'MM');
  v_end   DATE := ADD_MONTHS(v_start, 1);
  v_total NUMBER;
BEGIN
  DELETE FROM fin.monthly_revenue WHERE month_start = v_start;

  INSERT INTO fin.monthly_revenue (month_start, account_id, revenue)
  SELECT v_start, i.account_id, SUM(i.amount)
  FROM billing.invoices i
  WHERE i.invoice_date >= v_start AND i.invoice_date < v_end
  GROUP BY i.account_id;

  p_rows := SQL%ROWCOUNT;

  SELECT SUM(revenue) INTO v_total FROM fin.monthly_revenue WHERE month_start = v_start;

  IF v_total IS NULL THEN
    RAISE_APPLICATION_ERROR(-20001, 'no revenue for ' || TO_CHAR(v_start));
  ELSIF v_total > 1000000 THEN
    INSERT INTO fin.alerts (month_start, kind) VALUES (v_start, 'LARGE');
  END IF;

  COMMIT;
EXCEPTION
  WHEN NO_DATA_FOUND THEN
    NULL;
  WHEN OTHERS THEN
    ROLLBACK;
    INSERT INTO fin.etl_errors (proc_name, err_text) VALUES ('load_monthly_revenue', SQLERRM);
    RAISE;
END load_monthly_revenue;
/
