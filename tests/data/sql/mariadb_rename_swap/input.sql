CREATE TABLE new_t AS SELECT * FROM old_t;
RENAME TABLE live_t TO bak_t, new_t TO live_t;
