-- move finished jobs to the archive in one statement
WITH moved AS (
    DELETE FROM jobs.queue WHERE finished_at < now() - interval '7 days'
    RETURNING id, payload, finished_at
)
INSERT INTO jobs.archive (id, payload, finished_at)
SELECT id, payload, finished_at FROM moved;
