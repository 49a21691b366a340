CREATE TABLE rpt.staff AS (
  SELECT emp_no (TITLE 'Employee//Number'),
         last_name (TITLE 'Surname') AS surname,
         salary (FORMAT '$$$,$$9.99')
  FROM hr.employees
) WITH DATA;
CREATE TABLE rpt.staff_named AS (SELECT emp_no (NAMED employee_id), dept_no FROM hr.employees) WITH DATA;
