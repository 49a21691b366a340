DECLARE
  v_cutoff DATE := SYSDATE - 30;
  v_count  PLS_INTEGER;
BEGIN
  SELECT COUNT(*) INTO v_count FROM ops.sessions WHERE started_at < v_cutoff;
  IF v_count > 0 THEN
    INSERT INTO ops.sessions_archive SELECT * FROM ops.sessions WHERE started_at < v_cutoff;
    DELETE FROM ops.sessions WHERE started_at < v_cutoff;
  END IF;
  DBMS_OUTPUT.PUT_LINE('archived ' || v_count);
END;
/
CREATE TABLE ops.session_stats AS SELECT COUNT(*) AS n FROM ops.sessions_archive;
