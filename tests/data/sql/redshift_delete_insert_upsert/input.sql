BEGIN;
DELETE FROM target USING staging WHERE target.id = staging.id;
INSERT INTO target SELECT * FROM staging;
END;
