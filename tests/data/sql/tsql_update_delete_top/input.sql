UPDATE TOP (500) q
SET q.status = 'claimed', q.claimed_by = w.worker_name
FROM ops.work_queue q
JOIN ops.workers w ON w.worker_id = q.worker_id
WHERE q.status = 'new'
DELETE TOP (1000) FROM ops.work_queue WHERE status = 'done'
