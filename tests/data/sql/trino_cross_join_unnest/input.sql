INSERT INTO hive.db.out SELECT o.id, x.tag FROM hive.db.orders o CROSS JOIN UNNEST(o.tags) AS x(tag);
