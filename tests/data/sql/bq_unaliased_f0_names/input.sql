CREATE TABLE analytics.session_summary AS
SELECT session_id, TIMESTAMP_DIFF(ended_at, started_at, SECOND), UPPER(device), page_count
FROM analytics.sessions;
