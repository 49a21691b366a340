UNLOAD ('SELECT id, amount FROM sales WHERE region = ''EU''') TO 's3://bucket/eu/' IAM_ROLE 'arn:aws:iam::1:role/x';
