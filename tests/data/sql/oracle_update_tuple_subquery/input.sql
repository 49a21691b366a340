UPDATE emp e SET (sal, comm) = (SELECT new_sal, new_comm FROM raises r WHERE r.empno = e.empno);
