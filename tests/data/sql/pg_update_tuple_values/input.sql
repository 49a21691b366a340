UPDATE t SET (a, b) = (s.x + 1, s.y) FROM s WHERE s.id = t.id;
