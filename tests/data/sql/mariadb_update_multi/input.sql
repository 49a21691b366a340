UPDATE t1, t2 SET t1.v = t2.v WHERE t1.id = t2.id; # sync
