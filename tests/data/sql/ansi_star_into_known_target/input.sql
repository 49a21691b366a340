CREATE TABLE tgt (p int, q int);
INSERT INTO tgt SELECT * FROM src;
