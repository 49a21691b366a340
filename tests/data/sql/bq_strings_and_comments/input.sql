# a hash comment
INSERT INTO ds.t (a) SELECT r'raw\string' || '''triple ; quoted''' || "dq;str" || b FROM ds.s; -- trailing
