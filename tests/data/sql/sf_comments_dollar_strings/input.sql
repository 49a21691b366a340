// a slash comment
CREATE OR REPLACE PROCEDURE p() RETURNS STRING LANGUAGE SQL AS $$ INSERT INTO x SELECT 1; $$;
INSERT INTO t (note) SELECT 'it\'s' || n FROM s; // trailing
