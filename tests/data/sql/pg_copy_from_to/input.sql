COPY staging (a, b) FROM '/data/in.csv' WITH (FORMAT csv);
COPY (SELECT a FROM staging) TO '/data/out.csv';
