INSERT INTO t (a, b) SELECT E'x\'y;' || s.a::text, CAST(s.b AS numeric(10, 2)) FROM s;
