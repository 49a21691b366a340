INSERT INTO TABLE out SELECT t.id, tag FROM src t LATERAL VIEW explode(t.tags) x AS tag;
