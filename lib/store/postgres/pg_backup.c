/*
 * lineage_db_backup() of a PostgreSQL store: the same portable SQLite file the SQLite store
 * writes. The SQLite backend creates the file's schema; every table is then read in one
 * REPEATABLE READ transaction (one snapshot: a consistent copy while other hosts write) and
 * streamed into it with the ids, seqs and batches as they are. Written under a private name
 * and renamed at the end: a failed or cancelled backup leaves nothing.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pg.h"
#include "common/strbuf.h"

static const struct table {
	const char *name;
	const char *columns;
	int ncols;
	const char *order;
} tables[] = {
	{"edge_kinds", "name, allows_self_loop, allows_cycles", 3, "name"},
	{"asset_kinds", "name", 1, "name"},
	{"assets", "id, key, kind, name, parent_id, owner, description, status, tags, properties,"
		   " created_at, updated_at", 12, "id"},
	{"edges", "id, " PG_EDGE_COLUMNS, 20, "id"},
	{"batches", "id, actor, label, started_at, after_seq", 5, "id"},
	{"changes", "seq, at, actor, action, entity, entity_id, asset_key, target_key, before_json,"
		    " after_json, comment, batch_id", 12, "seq"},
	/* API tokens (pg_tokens.c): digests only, never a token's text */
	{"tokens", "id, user_name, role, digest, created_by, created_at, expires_at, revoked_at,"
		   " last_used_at", 9, "id"},
	{"runs", "job_id, run_id, state, sort_at, record", 5, "job_id, run_id"}, /* pg_runs.c */
	{"views", "name, root, body, created_by, created_at, updated_by, updated_at", 7, "name"}, /* pg_views.c */
};

typedef struct copy_ctx {
	sqlite3 *db;
	sqlite3_stmt *insert;
	const char *dest;
	lineage_progress_cb progress;
	void *payload;
	uint64_t done, total;
	int rc;
} copy_ctx;

static int sqlite_failed(copy_ctx *c, int rc)
{
	if ((rc & 0xff) == SQLITE_FULL)
		return lin_error_set(LINEAGE_EFULL, "the disk is full while writing the backup \"%.300s\": free space and retry", c->dest);
	return lin_error_set(LINEAGE_EIO, "cannot write the backup \"%.300s\" (%s): check the path and the free disk space", c->dest, sqlite3_errmsg(c->db));
}

static int copy_row(PGresult *res, int row, void *payload)
{
	copy_ctx *c = payload;
	int rc;
	for (int i = 0; i < PQnfields(res); i++) {
		/* text values: the columns' affinities make integers and reals of them */
		if (PQgetisnull(res, row, i))
			sqlite3_bind_null(c->insert, i + 1);
		else
			sqlite3_bind_text(c->insert, i + 1, PQgetvalue(res, row, i),
					  PQgetlength(res, row, i), SQLITE_STATIC);
	}
	rc = sqlite3_step(c->insert);
	sqlite3_reset(c->insert);
	if (rc != SQLITE_DONE)
		return sqlite_failed(c, rc);
	if (c->progress && (++c->done % 1024 == 0 || c->done == c->total) &&
	    c->progress("backup", c->done, c->total, c->payload))
		return lin_error_set(LINEAGE_ECANCELLED, "backup cancelled: no file was written");
	return 0;
}

static int copy_table(lin_pg *p, copy_ctx *c, const struct table *t)
{
	lin_strbuf select = LIN_STRBUF_INIT, insert = LIN_STRBUF_INIT;
	int rc = lin_strbuf_printf(&select, "SELECT %s FROM %s ORDER BY %s", t->columns, t->name, t->order);
	if (!rc)
		rc = lin_strbuf_printf(&insert, "INSERT INTO %s(%s) VALUES (?", t->name, t->columns);
	for (int i = 1; i < t->ncols && !rc; i++)
		rc = lin_strbuf_puts(&insert, ", ?");
	if (!rc)
		rc = lin_strbuf_puts(&insert, ")");
	if (rc) {
		rc = lin_error_oom();
		goto done;
	}
	if ((rc = sqlite3_prepare_v2(c->db, insert.data, -1, &c->insert, NULL)) != SQLITE_OK) {
		rc = sqlite_failed(c, rc);
		goto done;
	}
	rc = lin_pg_stream(p, PG_ONCE, select.data, NULL, copy_row, c, "reading the store for a backup");
done:
	sqlite3_finalize(c->insert);
	c->insert = NULL;
	lin_strbuf_free(&select);
	lin_strbuf_free(&insert);
	return rc;
}

static int sqlite_exec(copy_ctx *c, const char *sql)
{
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : sqlite_failed(c, rc);
}

/* The destination could not be created: say whether its folder is the cause. */
static int folder_error(const char *dest)
{
	char dir[4096], *slash;
	snprintf(dir, sizeof dir, "%s", dest);
	slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	if (access(slash ? dir : ".", W_OK) != 0)
		return lin_error_set(LINEAGE_EREADONLY, "cannot write the backup \"%.300s\": its folder is not writable; choose another destination", dest);
	return lin_error_set(LINEAGE_EIO, "cannot write the backup \"%.300s\": check the path and the free disk space", dest);
}

/* Create the file with the SQLite store's own schema. */
static int create_file(const char *path)
{
	lin_store_options so = {0};
	lin_store *st = NULL;
	int rc;
	so.busy_timeout_ms = 5000;
	so.cache_size_kib = 8192;
	if ((rc = lin_sqlite_open(&st, path, &so)))
		return rc;
	lin_store_close(st);
	return 0;
}

int lin_pg_backup(lin_store *st, const char *dest_path, lineage_progress_cb progress,
		  void *payload)
{
	lin_pg *p = LIN_PG(st);
	lin_strbuf tmp = LIN_STRBUF_INIT;
	copy_ctx c = {0};
	int64_t counts[8] = {0};
	int64_t *outs[8] = {&counts[0], &counts[1], &counts[2], &counts[3], &counts[4], &counts[5], &counts[6],
			    &counts[7]};
	int rc, created = 0, in_snapshot = 0;

	c.dest = dest_path;
	c.progress = progress;
	c.payload = payload;
	if ((rc = lin_strbuf_printf(&tmp, "%s.partial-%ld", dest_path, (long)getpid()))) {
		rc = lin_error_oom();
		goto done;
	}
	unlink(tmp.data);
	created = 1;
	if ((rc = create_file(tmp.data))) {
		if (access(tmp.data, F_OK) != 0)
			rc = folder_error(dest_path);
		goto done;
	}
	if (sqlite3_open_v2(tmp.data, &c.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = sqlite_failed(&c, SQLITE_CANTOPEN);
		goto done;
	}
	if ((rc = sqlite_exec(&c, "PRAGMA foreign_keys=OFF; BEGIN; DELETE FROM edge_kinds; DELETE FROM asset_kinds;")))
		goto done;
	if ((rc = lin_pg_simple(p, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
				"starting a consistent read for the backup")))
		goto done;
	in_snapshot = 1;
	if ((rc = lin_pg_one_row(p, PG_ONCE, "SELECT (SELECT count(*) FROM edge_kinds), (SELECT count(*) FROM asset_kinds), (SELECT count(*) FROM assets),"
				 " (SELECT count(*) FROM edges), (SELECT count(*) FROM batches),"
				 " (SELECT count(*) FROM changes), (SELECT count(*) FROM tokens),"
				 " (SELECT count(*) FROM views)", NULL, outs, 8, "counting the store for a backup")))
		goto done;
	for (int i = 0; i < 8; i++)
		c.total += (uint64_t)counts[i];
	for (size_t i = 0; i < sizeof tables / sizeof tables[0] && !rc; i++)
		rc = copy_table(p, &c, &tables[i]);
	if (rc)
		goto done;
	lin_pg_simple(p, "COMMIT", "ending the backup's read");
	in_snapshot = 0;
	if ((rc = sqlite_exec(&c, "INSERT INTO assets_fts(assets_fts) VALUES ('rebuild'); COMMIT;")))
		goto done;
	if (progress && c.total == 0 && progress("backup", 0, 0, payload)) {
		rc = lin_error_set(LINEAGE_ECANCELLED, "backup cancelled: no file was written");
		goto done;
	}
	if (sqlite3_close(c.db) != SQLITE_OK) {
		rc = sqlite_failed(&c, SQLITE_IOERR);
		goto done;
	}
	c.db = NULL;
	if (rename(tmp.data, dest_path) != 0) {
		rc = lin_error_set(LINEAGE_EIO, "cannot write the backup \"%.300s\": check that its folder exists and is writable", dest_path);
		goto done;
	}
	created = 0;
done:
	if (in_snapshot)
		lin_pg_simple(p, "ROLLBACK", "ending the backup's read");
	if (c.db)
		sqlite3_close_v2(c.db);
	if (created && tmp.data) {
		char side[4096];
		unlink(tmp.data);
		snprintf(side, sizeof side, "%s-wal", tmp.data);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", tmp.data);
		unlink(side);
	}
	lin_strbuf_free(&tmp);
	return rc;
}
