INSERT OR REPLACE INTO cache (k, v) SELECT key, value FROM [source table];
