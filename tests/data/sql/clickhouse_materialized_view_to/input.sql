CREATE MATERIALIZED VIEW db.mv TO db.target AS SELECT id, count() AS c FROM db.src GROUP BY id;
