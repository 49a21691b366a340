CREATE TABLE hive.s.common AS SELECT user_id FROM hive.s.a INTERSECT SELECT user_id FROM hive.s.b;
