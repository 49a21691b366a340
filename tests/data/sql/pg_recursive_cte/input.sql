CREATE VIEW tree AS
WITH RECURSIVE r(id, parent, depth) AS (
  SELECT id, parent_id, 0 FROM nodes WHERE parent_id IS NULL
  UNION ALL
  SELECT n.id, n.parent_id, r.depth + 1 FROM nodes n JOIN r ON n.parent_id = r.id
)
SELECT id, depth FROM r;
