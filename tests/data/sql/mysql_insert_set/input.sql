INSERT INTO audit SET who = CURRENT_USER(), what = (SELECT name FROM items WHERE id = 1), at = NOW();
