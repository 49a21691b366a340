CREATE TABLE hier AS SELECT employee_id, manager_id, LEVEL AS lvl FROM employees START WITH manager_id IS NULL CONNECT BY PRIOR employee_id = manager_id;
