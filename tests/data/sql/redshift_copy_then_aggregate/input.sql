COPY public.events FROM 's3://bucket/events/' IAM_ROLE 'arn' FORMAT AS JSON 'auto';
INSERT INTO public.daily SELECT trunc(ts), count(*) FROM public.events GROUP BY 1;
