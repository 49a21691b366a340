INSERT INTO top_emps SELECT ename, NVL(comm, 0) + sal AS pay FROM emp WHERE ROWNUM <= 10;
