WITH recent (SELECT user_id, event_type FROM logs.events WHERE dt >= '2024-06-01'),
     counted AS (SELECT user_id, count(event_type) AS n FROM recent GROUP BY user_id)
INSERT OVERWRITE TABLE marts.user_event_counts
SELECT user_id, n FROM counted;
