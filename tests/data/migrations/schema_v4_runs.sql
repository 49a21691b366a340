-- A liblineage database as schema version 4 wrote it after `lineage ingest` of four
-- OpenLineage events (job airflow/etl.load: run r1 START and COMPLETE, run r2 START and
-- FAIL): each run a `run` asset inside the job with its record in the property "run", plus
-- a `run` asset without a record. tests/store/test_migration.c builds a file from this and
-- opens it: the upgrade to version 5 copies the records into the runs table, so the job's
-- history reads the same, and the next event of a run continues its record.
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
-- version 4
CREATE TABLE asset_kinds(name TEXT PRIMARY KEY) WITHOUT ROWID;

INSERT INTO assets VALUES
 (1, 'airflow/etl.load', 'job', 'etl.load', NULL, NULL, NULL, 'failed', '[]',
  '{"run":{"duration_ms":30500,"ended_at":1796468430500,"events":{"FAIL":1796468430500,"START":1796468400000},"first_event_at":1796468400000,"run_id":"r2","started_at":1796468400000,"state":"failed","updated_at":1796468430500}}',
  1796464800000, 1796468430500),
 (2, 'app.public.orders', 'table', 'app.public.orders', NULL, NULL, NULL, NULL, '[]',
  '{"openlineage":{"name":"app.public.orders","namespace":"postgres://db:5432"}}', 1796464800000, 1796464800000),
 (3, 'wh.raw.orders', 'table', 'wh.raw.orders', NULL, NULL, NULL, NULL, '[]',
  '{"openlineage":{"name":"wh.raw.orders","namespace":"postgres://db:5432"}}', 1796464800000, 1796464800000),
 (4, 'airflow/etl.load/runs/r1', 'run', 'r1', 1, NULL, NULL, 'completed', '[]',
  '{"run":{"duration_ms":123000,"edges":[1],"ended_at":1796464923000,"events":{"COMPLETE":1796464923000,"START":1796464800000},"first_event_at":1796464800000,"run_id":"r1","started_at":1796464800000,"state":"completed","updated_at":1796464923000}}',
  1796464800000, 1796464923000),
 (5, 'airflow/etl.load/runs/r2', 'run', 'r2', 1, NULL, NULL, 'failed', '[]',
  '{"run":{"duration_ms":30500,"edges":[1],"ended_at":1796468430500,"events":{"FAIL":1796468430500,"START":1796468400000},"first_event_at":1796468400000,"run_id":"r2","started_at":1796468400000,"state":"failed","updated_at":1796468430500}}',
  1796468400000, 1796468430500),
 (6, 'airflow/etl.load/runs/hand-made', 'run', 'hand-made', 1, NULL, NULL, NULL, '[]',
  '{"note":"no record"}', 1796468400000, 1796468400000);
INSERT INTO edges VALUES
 (1, 2, 3, 1, 'flow', 1, 0.9, 0, 'openlineage', NULL, NULL, '{}', '91ce1a68306a7240', NULL, NULL,
  NULL, 1796464800000, 1796464800000, '{"source":"openlineage"}', 'openlineage:airflow/etl.load');
INSERT INTO assets_fts(assets_fts) VALUES ('rebuild');
INSERT INTO batches VALUES (1, 'system', 'ingest', 1796464800000, 0);
INSERT INTO changes(seq, at, actor, action, entity, entity_id, asset_key, target_key,
 before_json, after_json, comment, batch_id) VALUES
 (1, 1796464800000, 'system', 'create', 'asset', 1, 'airflow/etl.load', NULL, NULL, NULL, NULL, 1),
 (2, 1796464800000, 'system', 'create', 'asset', 2, 'app.public.orders', NULL, NULL, NULL, NULL, 1),
 (3, 1796464800000, 'system', 'create', 'asset', 3, 'wh.raw.orders', NULL, NULL, NULL, NULL, 1),
 (4, 1796464800000, 'system', 'create', 'edge', 1, 'app.public.orders', 'wh.raw.orders', NULL, NULL, NULL, 1);
INSERT INTO asset_kinds(name) SELECT DISTINCT kind FROM assets;
COMMIT;
