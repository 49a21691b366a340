USE CATALOG main;
USE SCHEMA sales;
CREATE TABLE daily AS SELECT d, sum(x) AS total FROM main.sales.raw GROUP BY d;
INSERT INTO report SELECT * FROM main.sales.daily;
