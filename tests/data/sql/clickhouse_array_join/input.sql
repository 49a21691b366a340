INSERT INTO analytics.event_tags (event_id, tag, weight)
SELECT event_id, tag, w
FROM raw.events
ARRAY JOIN tags AS tag, weights AS w;
