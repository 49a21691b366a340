CREATE TEMP TABLE t1 AS SELECT user_id, ARRAY_AGG(STRUCT(ts, page) ORDER BY ts) AS visits FROM `p.d.hits` GROUP BY user_id;
INSERT INTO `p.d.sessions` SELECT user_id, ARRAY_LENGTH(visits) AS n FROM t1;
