DELETE o FROM orders o JOIN customers c ON c.id = o.cid WHERE c.banned = 1;
