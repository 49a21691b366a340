UPDATE orders o JOIN customers c ON c.id = o.cust_id SET o.region = c.region WHERE c.active = 1;
