CREATE OR REPLACE PACKAGE hr_sync AS
  PROCEDURE sync_departments;
  PROCEDURE sync_employees(p_since DATE);
END hr_sync;
/
CREATE OR REPLACE PACKAGE BODY hr_sync AS

  PROCEDURE sync_departments IS
  BEGIN
    MERGE INTO dw.departments d
    USING (SELECT dept_id, dept_name FROM hr.departments) s
    ON (d.dept_id = s.dept_id)
    WHEN MATCHED THEN UPDATE SET d.dept_name = s.dept_name
    WHEN NOT MATCHED THEN INSERT (dept_id, dept_name) VALUES (s.dept_id, s.dept_name);
  END sync_departments;

  PROCEDURE sync_employees(p_since DATE) IS
    CURSOR c_changed IS
      SELECT e.emp_id, e.full_name, e.dept_id FROM hr.employees e WHERE e.updated_at >= p_since;
  BEGIN
    FOR r IN c_changed LOOP
      UPDATE dw.employees SET full_name = r.full_name, dept_id = r.dept_id WHERE emp_id = r.emp_id;
    END LOOP;
    FOR h IN (SELECT emp_id, hired_on FROM hr.hires WHERE hired_on >= p_since) LOOP
      INSERT INTO dw.hire_events (emp_id, hired_on) VALUES (h.emp_id, h.hired_on);
    END LOOP;
  END sync_employees;

END hr_sync;
/
