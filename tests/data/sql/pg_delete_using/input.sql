DELETE FROM orders o USING customers c WHERE o.cust = c.id AND c.deleted;
