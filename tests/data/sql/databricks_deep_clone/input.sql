CREATE TABLE backup.orders DEEP CLONE prod.orders VERSION AS OF 12;
