INSERT INTO t (a, b, c) SELECT ?, :name, s.x FROM s WHERE s.d > $1 AND s.e = @var;
