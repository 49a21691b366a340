CREATE OR REPLACE FUNCTION f(int) RETURNS int STABLE AS $body$ SELECT $1 * 2; $body$ LANGUAGE sql;
INSERT INTO public.t SELECT f(x) AS fx FROM public.s;
