SET search_path TO staging;
CREATE TABLE stg AS TABLE raw_events;
INSERT INTO report SELECT id FROM staging.stg;
