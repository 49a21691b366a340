CREATE TABLE out AS SELECT name FROM a JOIN b ON a.id = b.id;
