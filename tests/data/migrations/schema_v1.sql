-- A liblineage database as schema version 1 wrote it: the v1 DDL and a few rows.
-- tests/store/test_migration.c builds a file from this and opens it with the library,
-- which must upgrade it in place (v2 adds edges.evidence, edges.origin and the FTS index).
PRAGMA application_id = 1281977957; -- 0x4C696E65, "Line"
PRAGMA user_version = 1;
BEGIN;
CREATE TABLE assets(
 id INTEGER PRIMARY KEY,
 key TEXT NOT NULL UNIQUE,
 kind TEXT NOT NULL,
 name TEXT NOT NULL,
 parent_id INTEGER REFERENCES assets(id),
 owner TEXT, description TEXT, status TEXT,
 tags TEXT NOT NULL DEFAULT '[]',
 properties TEXT NOT NULL DEFAULT '{}',
 created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE INDEX assets_parent ON assets(parent_id) WHERE parent_id IS NOT NULL;
CREATE TABLE edges(
 id INTEGER PRIMARY KEY,
 source_id INTEGER NOT NULL REFERENCES assets(id),
 target_id INTEGER NOT NULL REFERENCES assets(id),
 job_id INTEGER REFERENCES assets(id),
 kind TEXT NOT NULL,
 lineage_source INTEGER NOT NULL,
 confidence REAL NOT NULL,
 status INTEGER NOT NULL DEFAULT 0,
 transformation_type TEXT, transformation TEXT, description TEXT,
 properties TEXT NOT NULL DEFAULT '{}',
 content_hash TEXT NOT NULL,
 reviewed_by TEXT, reviewed_at INTEGER, review_comment TEXT,
 created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE UNIQUE INDEX edges_identity ON edges(source_id, target_id, kind, ifnull(job_id, 0));
CREATE INDEX edges_target ON edges(target_id);
CREATE INDEX edges_job ON edges(job_id) WHERE job_id IS NOT NULL;
CREATE TABLE edge_kinds(name TEXT PRIMARY KEY, allows_self_loop INTEGER NOT NULL,
 allows_cycles INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO edge_kinds VALUES('flow', 0, 1), ('update', 1, 1), ('incremental', 1, 1);
CREATE TABLE batches(id INTEGER PRIMARY KEY, actor TEXT NOT NULL, label TEXT,
 started_at INTEGER NOT NULL);
CREATE TABLE changes(
 seq INTEGER PRIMARY KEY AUTOINCREMENT,
 at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
 entity TEXT NOT NULL, entity_id INTEGER NOT NULL,
 asset_key TEXT, target_key TEXT, before_json TEXT, after_json TEXT, comment TEXT,
 batch_id INTEGER NOT NULL);
CREATE INDEX changes_asset_key ON changes(asset_key, seq);
CREATE INDEX changes_target_key ON changes(target_key, seq) WHERE target_key IS NOT NULL;
CREATE INDEX changes_entity ON changes(entity, entity_id, seq);
CREATE INDEX changes_batch ON changes(batch_id, seq);

INSERT INTO assets VALUES
 (1, 'warehouse', 'database', 'warehouse', NULL, 'ana', 'The warehouse', NULL, '[]', '{}',
  1700000000000, 1700000000000),
 (2, 'warehouse.sales_orders', 'table', 'sales_orders', 1, 'ana', 'Customer orders',
  'active', '["finance","pii"]', '{"rows":120}', 1700000000000, 1700000001000),
 (3, 'dash.revenue', 'dashboard', 'revenue', NULL, NULL, NULL, NULL, '[]', '{}',
  1700000000000, 1700000000000);
INSERT INTO edges VALUES
 (1, 2, 3, NULL, 'flow', 2, 1.0, 0, 'aggregate', 'SELECT sum(total) FROM sales_orders',
  NULL, '{}', '0123456789abcdef', NULL, NULL, NULL, 1700000002000, 1700000002000);
INSERT INTO batches VALUES (1, 'system', 'v1 import', 1700000000000);
INSERT INTO changes(at, actor, action, entity, entity_id, asset_key, target_key, before_json,
 after_json, comment, batch_id) VALUES
 (1700000000000, 'system', 'create', 'asset', 1, 'warehouse', NULL, NULL, '{"key":"warehouse"}', NULL, 1),
 (1700000000000, 'system', 'create', 'asset', 2, 'warehouse.sales_orders', NULL, NULL, '{"key":"warehouse.sales_orders"}', NULL, 1),
 (1700000000000, 'system', 'create', 'asset', 3, 'dash.revenue', NULL, NULL, '{"key":"dash.revenue"}', NULL, 1),
 (1700000002000, 'system', 'create', 'edge', 1, 'warehouse.sales_orders', 'dash.revenue', NULL, '{"id":1}', NULL, 1);
COMMIT;
