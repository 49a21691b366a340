CREATE OR REPLACE TABLE `proj.ds.out` AS
SELECT o.id, o.total FROM `proj.ds.orders` AS o WHERE o.total > 0;
