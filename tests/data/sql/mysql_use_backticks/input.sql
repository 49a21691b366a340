USE shop;
INSERT INTO `orders_archive` SELECT * FROM `orders` WHERE `created_at` < '2020-01-01';
DELETE FROM shop.orders WHERE created_at < '2020-01-01';
