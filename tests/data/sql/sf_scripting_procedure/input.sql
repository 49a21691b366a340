CREATE OR REPLACE PROCEDURE ops.load_shipments(since TIMESTAMP_NTZ)
RETURNS VARCHAR
LANGUAGE SQL
EXECUTE AS CALLER
AS
$$
DECLARE
  n INTEGER DEFAULT 0;
  c1 CURSOR FOR SELECT carrier_id FROM ref.carriers WHERE active;
BEGIN
  LET cutoff TIMESTAMP_NTZ := (SELECT MAX(loaded_at) FROM ops.shipments);
  INSERT INTO ops.shipments (shipment_id, carrier_id, weight_kg, loaded_at)
    SELECT s.id, s.carrier, s.weight_kg, CURRENT_TIMESTAMP()
    FROM raw.shipments s
    WHERE s.created_at > :since;
  n := SQLROWCOUNT;
  FOR rec IN c1 DO
    UPDATE ops.carrier_stats SET last_load = CURRENT_TIMESTAMP() WHERE carrier_id = rec.carrier_id;
  END FOR;
  RETURN 'loaded ' || n;
EXCEPTION
  WHEN OTHER THEN
    RETURN 'failed: ' || SQLERRM;
END;
$$;

EXECUTE IMMEDIATE $$
BEGIN
  CREATE OR REPLACE TABLE ops.shipment_totals AS
    SELECT carrier_id, SUM(weight_kg) AS total_kg FROM ops.shipments GROUP BY carrier_id;
END;
$$;
