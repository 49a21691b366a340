-- ClickHouse LIMIT n BY expr: the first rows per group.
INSERT INTO reports.latest_logins
SELECT user_id, login_at, ip
FROM auth.logins
ORDER BY login_at DESC
LIMIT 3 BY user_id;
