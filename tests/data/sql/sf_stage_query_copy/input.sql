COPY INTO raw.t (a, b) FROM (SELECT $1:a, $1:b FROM @my_stage/data/ (FILE_FORMAT => 'json')) ON_ERROR = CONTINUE;
