DELIMITER $$
CREATE DEFINER=`etl`@`%` PROCEDURE `shop`.`close_day`(IN p_day DATE, OUT p_count INT)
BEGIN
  DECLARE done INT DEFAULT 0;
  DECLARE v_store INT;
  DECLARE cur CURSOR FOR SELECT store_id FROM shop.stores WHERE open = 1;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = 1;

  INSERT INTO shop.daily_totals (day, store_id, revenue)
  SELECT p_day, store_id, SUM(price * qty)
  FROM shop.sales
  WHERE sold_at >= p_day AND sold_at < p_day + INTERVAL 1 DAY
  GROUP BY store_id;

  SELECT COUNT(*) INTO p_count FROM shop.daily_totals WHERE day = p_day;

  OPEN cur;
  read_loop: LOOP
    FETCH cur INTO v_store;
    IF done THEN
      LEAVE read_loop;
    END IF;
    UPDATE shop.stores SET last_closed = p_day WHERE store_id = v_store;
  END LOOP;
  CLOSE cur;
END$$
DELIMITER ;

INSERT INTO shop.report (day, stores) SELECT day, COUNT(store_id) FROM shop.daily_totals GROUP BY day;
