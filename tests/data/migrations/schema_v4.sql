-- A liblineage database as schema version 4 wrote it: the DDL of versions 1 to 4 and a few
-- rows, with its edge kinds and declared asset kinds. tests/store/test_migration.c builds a
-- file from this and opens it: the upgrade to version 5 adds the table of API tokens and
-- leaves the graph and the audit trail as they were.
PRAGMA application_id = 1281977957; -- 0x4C696E65, "Line"
PRAGMA user_version = 4;
BEGIN;
-- version 1
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
-- version 2
ALTER TABLE edges ADD COLUMN evidence TEXT;
ALTER TABLE edges ADD COLUMN origin TEXT;
CREATE INDEX edges_origin ON edges(origin) WHERE origin IS NOT NULL;
CREATE VIRTUAL TABLE assets_fts USING fts5(key, name, description, tags,
 content='assets', content_rowid='id',
 tokenize="unicode61 remove_diacritics 2 separators '._'");
-- version 3
DROP INDEX changes_batch;
CREATE TABLE changes_v3(
 seq INTEGER PRIMARY KEY,
 at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
 entity TEXT NOT NULL, entity_id INTEGER NOT NULL,
 asset_key TEXT, target_key TEXT, before_json TEXT, after_json TEXT, comment TEXT,
 batch_id INTEGER NOT NULL);
DROP TABLE changes;
ALTER TABLE changes_v3 RENAME TO changes;
CREATE INDEX changes_asset_key ON changes(asset_key, seq) WHERE action <> 'create';
CREATE INDEX changes_target_key ON changes(target_key, seq)
 WHERE target_key IS NOT NULL AND action <> 'create';
CREATE INDEX changes_entity ON changes(entity, entity_id, seq);
ALTER TABLE batches ADD COLUMN after_seq INTEGER;

INSERT INTO assets VALUES
 (1, 'kafka', 'system', 'kafka', NULL, 'platform', NULL, NULL, '[]', '{}',
  1700000000000, 1700000000000),
 (2, 'kafka.orders', 'stream', 'orders', 1, 'sales', 'Order events', NULL, '[]', '{}',
  1700000000000, 1700000000000),
 (3, 'kpi.revenue', 'metric', 'revenue', NULL, 'finance', NULL, NULL, '["kpi"]', '{}',
  1700000000000, 1700000000000);
INSERT INTO edges VALUES
 (1, 2, 3, NULL, 'flow', 2, 1.0, 0, NULL, NULL, NULL, '{}', '0123456789abcdef', NULL, NULL,
  NULL, 1700000002000, 1700000002000, NULL, NULL);
INSERT INTO assets_fts(assets_fts) VALUES ('rebuild');
INSERT INTO batches VALUES (1, 'system', 'v3 import', 1700000000000, 0);
INSERT INTO changes(seq, at, actor, action, entity, entity_id, asset_key, target_key,
 before_json, after_json, comment, batch_id) VALUES
 (1, 1700000000000, 'system', 'create', 'asset', 1, 'kafka', NULL, NULL, NULL, NULL, 1),
 (2, 1700000000000, 'system', 'create', 'asset', 2, 'kafka.orders', NULL, NULL, NULL, NULL, 1),
 (3, 1700000000000, 'system', 'create', 'asset', 3, 'kpi.revenue', NULL, NULL, NULL, NULL, 1),
 (4, 1700000002000, 'system', 'create', 'edge', 1, 'kafka.orders', 'kpi.revenue', NULL, NULL, NULL, 1);
-- version 4
CREATE TABLE asset_kinds(name TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO asset_kinds(name) VALUES ('metric'), ('stream');
COMMIT;
