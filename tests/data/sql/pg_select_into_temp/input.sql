SELECT id, name INTO TEMP tmp_users FROM users WHERE active;
INSERT INTO report SELECT id FROM tmp_users;
