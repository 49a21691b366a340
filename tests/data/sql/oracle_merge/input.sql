MERGE INTO emp e USING (SELECT empno, sal FROM emp_updates) u ON (e.empno = u.empno)
WHEN MATCHED THEN UPDATE SET e.sal = u.sal
WHEN NOT MATCHED THEN INSERT (empno, sal) VALUES (u.empno, u.sal);
