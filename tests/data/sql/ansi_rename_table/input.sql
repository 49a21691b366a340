CREATE TABLE stage_t AS SELECT a FROM src;
ALTER TABLE stage_t RENAME TO final_t;
