INSERT INTO TABLE keep SELECT a.id, a.v FROM a LEFT SEMI JOIN b ON a.id = b.id LEFT ANTI JOIN c ON a.id = c.id;
