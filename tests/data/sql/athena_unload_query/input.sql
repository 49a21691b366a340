UNLOAD (SELECT id, name FROM db.users WHERE active) TO 's3://bucket/users/' WITH (format = 'PARQUET');
