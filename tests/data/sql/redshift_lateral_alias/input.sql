CREATE TABLE public.t AS SELECT price * qty AS revenue, revenue * 0.1 AS tax FROM public.s;
