insert into mart.t (a) select x from raw.s;
