/*
 * The schema and its migrations. A new database is created at version 1 and brought up to
 * date by the same migrations an old file goes through, so every migration runs on every
 * test. Each upgrade runs in one transaction. See docs/data-model.md.
 */
#include <stdio.h>
#include <string.h>

#include "sq.h"
#include "common/util.h"

/* The edges' two secondary indexes, also rebuilt by a bulk import (sq_edges.c). */
#define EDGE_INDEX_TARGET "CREATE INDEX edges_target ON edges(target_id);"
#define EDGE_INDEX_JOB "CREATE INDEX edges_job ON edges(job_id) WHERE job_id IS NOT NULL;"
/* The review queue in its order (schema 7): a page of it, and its count, read only it. */
#define EDGE_INDEX_REVIEW "CREATE INDEX edges_review ON edges(confidence, id)" \
	" WHERE lineage_source = 1 AND status = 0;"
const char lin_sq_edge_secondary_indexes[] = EDGE_INDEX_TARGET EDGE_INDEX_JOB EDGE_INDEX_REVIEW;

/* Version 1: the first released schema. Keep it as it was (tests/data/migrations/). */
static const char schema_v1[] =
	"CREATE TABLE assets("
	" id INTEGER PRIMARY KEY,"
	" key TEXT NOT NULL UNIQUE,"
	" kind TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" parent_id INTEGER REFERENCES assets(id),"
	" owner TEXT, description TEXT, status TEXT,"
	" tags TEXT NOT NULL DEFAULT '[]',"
	" properties TEXT NOT NULL DEFAULT '{}',"
	" created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
	"CREATE INDEX assets_parent ON assets(parent_id) WHERE parent_id IS NOT NULL;"
	"CREATE TABLE edges("
	" id INTEGER PRIMARY KEY,"
	" source_id INTEGER NOT NULL REFERENCES assets(id),"
	" target_id INTEGER NOT NULL REFERENCES assets(id),"
	" job_id INTEGER REFERENCES assets(id),"
	" kind TEXT NOT NULL,"
	" lineage_source INTEGER NOT NULL,"
	" confidence REAL NOT NULL,"
	" status INTEGER NOT NULL DEFAULT 0,"
	" transformation_type TEXT, transformation TEXT, description TEXT,"
	" properties TEXT NOT NULL DEFAULT '{}',"
	" content_hash TEXT NOT NULL,"
	" reviewed_by TEXT, reviewed_at INTEGER, review_comment TEXT,"
	" created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
	/* The identity; its prefix also serves lookups by source (no separate index). */
	"CREATE UNIQUE INDEX edges_identity ON edges(source_id, target_id, kind, ifnull(job_id, 0));"
	EDGE_INDEX_TARGET
	EDGE_INDEX_JOB
	"CREATE TABLE edge_kinds(name TEXT PRIMARY KEY, allows_self_loop INTEGER NOT NULL,"
	" allows_cycles INTEGER NOT NULL) WITHOUT ROWID;"
	"INSERT INTO edge_kinds VALUES('flow', 0, 1), ('update', 1, 1), ('incremental', 1, 1);"
	"CREATE TABLE batches(id INTEGER PRIMARY KEY, actor TEXT NOT NULL, label TEXT,"
	" started_at INTEGER NOT NULL);"
	"CREATE TABLE changes("
	" seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	" at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
	" entity TEXT NOT NULL, entity_id INTEGER NOT NULL,"
	" asset_key TEXT, target_key TEXT, before_json TEXT, after_json TEXT, comment TEXT,"
	" batch_id INTEGER NOT NULL);"
	"CREATE INDEX changes_asset_key ON changes(asset_key, seq);"
	"CREATE INDEX changes_target_key ON changes(target_key, seq) WHERE target_key IS NOT NULL;"
	"CREATE INDEX changes_entity ON changes(entity, entity_id, seq);"
	"CREATE INDEX changes_batch ON changes(batch_id, seq);";

/* Version 2: where an edge was found (evidence) and who reports it (origin), and full-text
 * search over assets. Keys split on '.' and '_' so that "orders" finds
 * "warehouse.sales.orders". The index is kept up to date at each commit by sq_fts.c, not
 * by triggers in the file (see there why). */
static const char migrate_v2[] =
	"ALTER TABLE edges ADD COLUMN evidence TEXT;"
	"ALTER TABLE edges ADD COLUMN origin TEXT;"
	"CREATE INDEX edges_origin ON edges(origin) WHERE origin IS NOT NULL;"
	"CREATE VIRTUAL TABLE assets_fts USING fts5(key, name, description, tags,"
	" content='assets', content_rowid='id',"
	" tokenize=\"unicode61 remove_diacritics 2 separators '._'\");"
	"INSERT INTO assets_fts(assets_fts) VALUES ('rebuild');";

/*
 * Version 3: the audit trail costs an import less. A creation's change row no longer stores
 * its after state (rebuilt when read, see sq_changes.c), and creations stay out of the two
 * key indexes: inserted in file order, their random keys made those the most expensive part
 * of an import (history by key finds creations through the objects' ids instead). The table
 * is rebuilt without AUTOINCREMENT (one more b-tree write per change): change rows are never
 * deleted, so the rowid never goes back. And no index on batch_id: a batch lives in one
 * write transaction, so its changes are contiguous, the seqs after batches.after_seq (the
 * last seq when the batch began) up to the next batch's.
 */
static const char migrate_v3[] =
	"CREATE TABLE changes_v3("
	" seq INTEGER PRIMARY KEY,"
	" at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
	" entity TEXT NOT NULL, entity_id INTEGER NOT NULL,"
	" asset_key TEXT, target_key TEXT, before_json TEXT, after_json TEXT, comment TEXT,"
	" batch_id INTEGER NOT NULL);"
	"INSERT INTO changes_v3 SELECT seq, at, actor, action, entity, entity_id, asset_key,"
	" target_key, before_json, after_json, comment, batch_id FROM changes;"
	"DROP TABLE changes;"
	"ALTER TABLE changes_v3 RENAME TO changes;"
	"DELETE FROM sqlite_sequence WHERE name = 'changes';"
	"CREATE INDEX changes_asset_key ON changes(asset_key, seq) WHERE action <> 'create';"
	"CREATE INDEX changes_target_key ON changes(target_key, seq)"
	" WHERE target_key IS NOT NULL AND action <> 'create';"
	"CREATE INDEX changes_entity ON changes(entity, entity_id, seq);"
	"ALTER TABLE batches ADD COLUMN after_seq INTEGER;"
	"UPDATE batches SET after_seq = r.lo - 1 FROM (SELECT batch_id, min(seq) AS lo FROM changes"
	" GROUP BY batch_id) AS r WHERE r.batch_id = batches.id;";

/*
 * Version 4: asset kinds beyond the built-in ones are declared (lineage_asset_kind_define),
 * so that a mistyped kind is refused. The kinds a database already uses are declared by the
 * upgrade: its assets keep working. The built-in kinds live in lib/api/asset_kinds.c.
 */
static const char migrate_v4[] =
	"CREATE TABLE asset_kinds(name TEXT PRIMARY KEY) WITHOUT ROWID;"
	"INSERT INTO asset_kinds(name) SELECT DISTINCT kind FROM assets;";

/*
 * Version 5: API tokens (issue 15; include/lineage/token.h). Only a token's SHA-256 digest is
 * stored; the unique index on it is how a token is found when it is presented.
 */
static const char migrate_v5[] =
	"CREATE TABLE tokens(id INTEGER PRIMARY KEY, user_name TEXT NOT NULL, role TEXT NOT NULL,"
	" digest TEXT NOT NULL UNIQUE, created_by TEXT, created_at INTEGER NOT NULL,"
	" expires_at INTEGER, revoked_at INTEGER, last_used_at INTEGER);";

/*
 * Version 6: OpenLineage runs in a table of their own (sq_runs.c, docs/openlineage.md),
 * written with one upsert per event instead of an audited `run` asset. The runs that
 * earlier versions kept as `run` assets (property "run") are copied in; those assets stay.
 */
static const char migrate_v6[] =
	"CREATE TABLE runs("
	" job_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,"
	" run_id TEXT NOT NULL,"
	" state TEXT,"
	" sort_at INTEGER NOT NULL,"
	" record TEXT NOT NULL,"
	" PRIMARY KEY(job_id, run_id)) WITHOUT ROWID;"
	"CREATE INDEX runs_order ON runs(job_id, sort_at);"
	"INSERT OR IGNORE INTO runs(job_id, run_id, state, sort_at, record)"
	" SELECT parent_id, name, json_extract(properties, '$.run.state'),"
	"  coalesce(json_extract(properties, '$.run.started_at'),"
	"   json_extract(properties, '$.run.first_event_at'), 0),"
	"  json_extract(properties, '$.run')"
	" FROM assets WHERE kind = 'run' AND parent_id IS NOT NULL AND json_valid(properties)"
	"  AND json_type(properties, '$.run') = 'object';";

/*
 * Version 7: saved views (issue 15; include/lineage/view.h), by name. The root's key is kept
 * beside the body so that a list of views reads no body.
 */
static const char migrate_v7[] =
	"CREATE TABLE views(name TEXT PRIMARY KEY, root TEXT, body TEXT NOT NULL,"
	" created_by TEXT, created_at INTEGER NOT NULL, updated_by TEXT,"
	" updated_at INTEGER NOT NULL) WITHOUT ROWID;";

/*
 * Version 8: the review queue's index (edges_review, above), so that a page of the queue and
 * its total read the inferred edges only, already in order, instead of sorting every edge.
 */
static const char migrate_v8[] = EDGE_INDEX_REVIEW;

/*
 * Version 9 changed the PostgreSQL store only (references checked by triggers instead of
 * foreign keys: lib/store/postgres/pg_refs.c); a SQLite file gets the number, so that one
 * version means one schema on both backends.
 */
static const char migrate_v9[] = "";

static const struct migration {
	int to;
	const char *sql;
} migrations[] = {
	{2, migrate_v2},
	{3, migrate_v3},
	{4, migrate_v4},
	{5, migrate_v5},
	{6, migrate_v6},
	{7, migrate_v7},
	{8, migrate_v8},
	{9, migrate_v9},
};

static int pragma_int(lin_sq *s, const char *sql, int64_t *out)
{
	sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int64(stmt, 0);
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			*out = 0;
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_OK ? 0 : lin_sq_error(s, rc, "reading the database header");
}

typedef struct header {
	int64_t app_id, version, objects;
} header;

static int read_header(lin_sq *s, header *h)
{
	int rc;
	if ((rc = pragma_int(s, "PRAGMA application_id", &h->app_id)) ||
	    (rc = pragma_int(s, "PRAGMA user_version", &h->version)) ||
	    (rc = pragma_int(s, "SELECT count(*) FROM sqlite_master", &h->objects)))
		return rc;
	return 0;
}

/* 1: empty file to create; 0: current; 2: to upgrade; else an error code. */
static int classify(lin_sq *s, const header *h)
{
	const char *path = sqlite3_db_filename(s->db, "main");
	if (!path || !*path)
		path = ":memory:";
	if (h->app_id == 0 && h->version == 0 && h->objects == 0)
		return 1;
	if (h->app_id != LIN_SQ_APPLICATION_ID)
		return lin_error_set(LINEAGE_ENOTDB, "\"%.300s\" is a SQLite database of another application, not a liblineage database: give the path of a liblineage database, or a new file", path);
	if (h->version > LINEAGE_SCHEMA_VERSION)
		return lin_error_set(LINEAGE_EVERSION, "\"%.300s\" was written by a newer liblineage (schema %lld; this library reads up to %d): upgrade liblineage", path, (long long)h->version, LINEAGE_SCHEMA_VERSION);
	if (h->version < 1)
		return lin_error_set(LINEAGE_ENOTDB, "\"%.300s\" is marked as a liblineage database but has no schema version: the file is damaged; restore it from a backup", path);
	return h->version < LINEAGE_SCHEMA_VERSION ? 2 : 0;
}

static int set_version(lin_sq *s, int version)
{
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version=%d", version);
	return lin_sq_exec(s, sql, "recording the schema version");
}

/* Inside the write transaction: create or upgrade. */
static int create_or_upgrade(lin_sq *s, int64_t version)
{
	char sql[64];
	int rc;
	if (version == 0) {
		if ((rc = lin_sq_exec(s, schema_v1, "creating the schema")))
			return rc;
		snprintf(sql, sizeof sql, "PRAGMA application_id=%d", LIN_SQ_APPLICATION_ID);
		if ((rc = lin_sq_exec(s, sql, "marking the database")) || (rc = set_version(s, 1)))
			return rc;
		version = 1;
	}
	for (size_t i = 0; i < sizeof migrations / sizeof migrations[0]; i++) {
		if (migrations[i].to <= version)
			continue;
		if ((rc = lin_sq_exec(s, migrations[i].sql, "upgrading the schema")) ||
		    (rc = set_version(s, migrations[i].to)))
			return lin_error_prefix("upgrading to schema %d", migrations[i].to);
		version = migrations[i].to;
	}
	return 0;
}

int lin_sq_schema_setup(lin_sq *s)
{
	header h;
	int rc, kind;
	if ((rc = read_header(s, &h)))
		return rc;
	kind = classify(s, &h);
	if (kind < 0)
		return kind;
	if (kind == 0) {
		s->schema_version = (int)h.version;
		return 0;
	}
	if (s->flags & LINEAGE_OPEN_READONLY)
		return lin_error_hint(LINEAGE_EREADONLY, LINEAGE_HINT_OPEN_WRITABLE, NULL, "the database needs its schema upgraded from version %lld to %d, which cannot be done read-only (open it once for writing)", (long long)h.version, LINEAGE_SCHEMA_VERSION);
	if ((rc = lin_sq_exec(s, "BEGIN IMMEDIATE", "locking the database to set up its schema")))
		return rc;
	/* Another process may have done it while we waited for the lock. */
	if ((rc = read_header(s, &h)) || (rc = classify(s, &h)) < 0)
		goto fail;
	if (rc > 0 && (rc = create_or_upgrade(s, h.version)))
		goto fail;
	if ((rc = lin_sq_exec(s, "COMMIT", "committing the schema")))
		goto fail;
	s->schema_version = LINEAGE_SCHEMA_VERSION;
	return 0;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}
