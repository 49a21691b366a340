/* Opening a SQLite database: file checks, pragmas, the statement cache, transactions and
 * the translation of SQLite's result codes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sq.h"
#include "common/util.h"

int lin_sq_error(lin_sq *s, int rc, const char *what)
{
	const char *detail = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
	switch (rc & 0xff) {
	case SQLITE_FULL:
		return lin_error_set(LINEAGE_EFULL, "%s: the disk or the database is full (%s): free disk space and retry; nothing was written", what, detail);
	case SQLITE_READONLY:
		return lin_error_hint(LINEAGE_EREADONLY, LINEAGE_HINT_OPEN_WRITABLE, NULL, "%s: the database cannot be written (%s; check that the file and its folder are writable)", what, detail);
	case SQLITE_CANTOPEN:
		return lin_error_set(LINEAGE_EREADONLY, "%s: cannot open a file next to the database (%s): check that the database's folder exists and is writable", what, detail);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return lin_error_set(LINEAGE_EBUSY, "%s: another connection holds the database lock (%s): retry later, or raise busy_timeout_ms", what, detail);
	case SQLITE_NOTADB:
		return lin_error_set(LINEAGE_ENOTDB, "%s: file is not a database: give the path of a liblineage database", what);
	case SQLITE_CORRUPT:
		return lin_error_set(LINEAGE_EIO, "%s: the database file is damaged (%s): restore it from a backup", what, detail);
	case SQLITE_NOMEM:
		return lin_error_oom();
	case SQLITE_IOERR:
		return lin_error_set(LINEAGE_EIO, "%s: disk I/O error (%s): check the disk and the file's permissions", what, detail);
	case SQLITE_CONSTRAINT:
		return lin_error_set(LINEAGE_ECONFLICT, "%s: the change contradicts stored data (%s)", what, detail);
	case SQLITE_INTERRUPT:
		return lin_error_set(LINEAGE_ECANCELLED, "%s: interrupted; nothing was changed", what);
	case SQLITE_TOOBIG:
		return lin_error_set(LINEAGE_ELIMIT, "%s: a value is too large for the database (%s): shorten it", what, detail);
	default:
		return lin_error_set(LINEAGE_ERROR, "%s: SQLite error %d (%s)", what, rc, detail);
	}
}

int lin_sq_stmt(lin_sq *s, enum lin_sq_stmt which, const char *sql, sqlite3_stmt **out)
{
	sqlite3_stmt *stmt = s->stmts[which];
	/* edges kept for a batch are written before anything that may see them runs
	 * (sq_edge_batch.c) */
	if (s->edge_batch && lin_sq_stmt_sees_edges(which)) {
		int rc = lin_sq_edges_settle(s);
		if (rc)
			return rc;
	}
	if (!stmt) {
		int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
		if (rc != SQLITE_OK)
			return lin_sq_error(s, rc, "preparing a statement");
		s->stmts[which] = stmt;
	} else {
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
	}
	*out = stmt;
	return 0;
}

int lin_sq_prepare(lin_sq *s, const char *sql, sqlite3_stmt **out, const char *what)
{
	int rc = lin_sq_edges_settle(s);
	*out = NULL;
	if (rc)
		return rc;
	if ((rc = sqlite3_prepare_v2(s->db, sql, -1, out, NULL)) != SQLITE_OK) {
		sqlite3_finalize(*out);
		*out = NULL;
		return lin_sq_error(s, rc, what);
	}
	return 0;
}

int lin_sq_rows_stmt(lin_sq *s, enum lin_sq_stmt which, size_t n, size_t full,
		     char *(*sql_of)(size_t), sqlite3_stmt **out, int *own)
{
	char *sql = NULL;
	int rc;
	*own = n != full;
	if ((*own || !s->stmts[which]) && !(sql = sql_of(n)))
		return lin_error_oom();
	rc = *own ? lin_sq_prepare(s, sql, out, "preparing a statement") : lin_sq_stmt(s, which, sql, out);
	free(sql);
	return rc;
}

int lin_sq_one_row(lin_sq *s, sqlite3_stmt *stmt, int64_t **outs, int n, const char *what)
{
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		for (int i = 0; i < n; i++)
			if (outs[i])
				*outs[i] = sqlite3_column_int64(stmt, i);
		rc = 0;
	} else {
		rc = lin_sq_error(s, rc, what);
	}
	sqlite3_reset(stmt);
	return rc;
}

int lin_sq_exec(lin_sq *s, const char *sql, const char *what)
{
	int rc = lin_sq_edges_settle(s);
	if (rc)
		return rc;
	rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : lin_sq_error(s, rc, what);
}

int lin_sq_step_done(lin_sq *s, sqlite3_stmt *stmt, const char *what)
{
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	return lin_sq_error(s, rc, what);
}

int lin_sq_bind_text(sqlite3_stmt *stmt, int i, const char *text)
{
	return text ? sqlite3_bind_text(stmt, i, text, -1, SQLITE_STATIC) : sqlite3_bind_null(stmt, i);
}

int lin_sq_bind_id(sqlite3_stmt *stmt, int i, int64_t id)
{
	return id ? sqlite3_bind_int64(stmt, i, id) : sqlite3_bind_null(stmt, i);
}

int lin_sq_col_str(sqlite3_stmt *stmt, int i, const char **dst)
{
	const unsigned char *t;
	if (sqlite3_column_type(stmt, i) == SQLITE_NULL) {
		*dst = NULL;
		return 0;
	}
	t = sqlite3_column_text(stmt, i);
	if (!t)
		return lin_error_oom();
	*dst = lin_strndup((const char *)t, (size_t)sqlite3_column_bytes(stmt, i));
	return *dst ? 0 : LINEAGE_ENOMEM;
}

int lin_sq_each(lin_sq *s, sqlite3_stmt *stmt, int (*row)(sqlite3_stmt *, void *),
		void *payload, const char *what)
{
	int rc, ret = 0;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if ((ret = row(stmt, payload)) != 0)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = lin_sq_error(s, rc, what);
	sqlite3_reset(stmt);
	return ret;
}

/* ---- transactions ---- */

static int run_cached(lin_sq *s, enum lin_sq_stmt which, const char *sql, const char *what)
{
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, which, sql, &stmt);
	return rc ? rc : lin_sq_step_done(s, stmt, what);
}

int lin_sq_begin(lin_store *st)
{
	lin_sq *s = LIN_SQ(st);
	int rc = run_cached(s, SQ_BEGIN, "BEGIN IMMEDIATE", "starting a transaction");
	if (!rc) {
		s->in_write = 1;
		s->tx_count++;
	}
	return rc;
}

int lin_sq_commit(lin_store *st)
{
	lin_sq *s = LIN_SQ(st);
	int rc = lin_sq_fts_sync(s);
	if (!rc && !(rc = run_cached(s, SQ_COMMIT, "COMMIT", "committing"))) {
		s->in_write = 0;
		lin_sq_edges_bulk_end(s);
	}
	return rc;
}

int lin_sq_rollback(lin_store *st)
{
	lin_sq *s = LIN_SQ(st);
	s->in_write = 0;
	lin_sq_keys_clear(s);
	lin_sq_edges_bulk_end(s); /* what it kept goes with the transaction */
	if (sqlite3_get_autocommit(s->db))
		return 0; /* SQLite already rolled it back (after a disk-full or I/O error) */
	return run_cached(s, SQ_ROLLBACK, "ROLLBACK", "rolling back");
}

int lin_sq_savepoint(lin_store *st)
{
	return run_cached(LIN_SQ(st), SQ_SAVEPOINT, "SAVEPOINT lin_call", "starting a savepoint");
}

int lin_sq_release(lin_store *st)
{
	return run_cached(LIN_SQ(st), SQ_RELEASE, "RELEASE lin_call", "releasing a savepoint");
}

int lin_sq_rollback_savepoint(lin_store *st)
{
	lin_sq *s = LIN_SQ(st);
	int rc;
	if (sqlite3_get_autocommit(s->db))
		return 0;
	lin_sq_keys_clear(s); /* the savepoint may have added assets */
	rc = run_cached(s, SQ_ROLLBACK_TO, "ROLLBACK TO lin_call", "rolling back a savepoint");
	return rc ? rc : lin_sq_release(st);
}

int lin_sq_reference_checks(lin_store *st, int on)
{
	return lin_sq_exec(LIN_SQ(st), on ? "PRAGMA foreign_keys=ON" : "PRAGMA foreign_keys=OFF",
			   "switching foreign key checks");
}

int lin_sq_in_transaction(lin_store *st)
{
	return !sqlite3_get_autocommit(LIN_SQ(st)->db);
}

int64_t lin_sq_total_changes(lin_store *st)
{
	/* edges kept for a batch count as written (sq_edge_batch.c) */
	return (int64_t)sqlite3_total_changes64(LIN_SQ(st)->db) + lin_sq_edges_kept(LIN_SQ(st));
}

int lin_sq_schema_version(lin_store *st)
{
	return LIN_SQ(st)->schema_version;
}

/* ---- open and close ---- */

void lin_sq_close(lin_store *st)
{
	lin_sq *s = LIN_SQ(st);
	for (int i = 0; i < SQ_STMT_COUNT; i++)
		sqlite3_finalize(s->stmts[i]);
	lin_sq_keys_free(s);
	lin_sq_edges_bulk_end(s);
	/* close_v2 defers the close until a forgotten statement is finalized, never fails. */
	sqlite3_close_v2(s->db);
	free(s);
}

static int set_pragmas(lin_sq *s, const lin_store_options *o)
{
	char sql[128];
	int rc;
	if (!(s->flags & LINEAGE_OPEN_READONLY)) {
		/* WAL lets readers work during a write; NORMAL syncs at checkpoints only: a
		 * commit survives a process crash, a power loss may lose the last commits but
		 * never the file's integrity (docs/data-model.md). */
		if ((rc = lin_sq_exec(s, "PRAGMA journal_mode=WAL", "switching to WAL journaling")))
			return rc;
		if ((rc = lin_sq_exec(s, "PRAGMA synchronous=NORMAL", "setting synchronous")))
			return rc;
		/* A single-edge commit adds ~28 pages to the WAL: at SQLite's default (1,000
		 * pages) every ~35th write paid a 10-40 ms checkpoint. At 8,000 pages (32 MiB
		 * of WAL) it is one write in ~280, and the checkpoint copies fewer pages per
		 * frame since the same index pages are rewritten (docs/benchmarks.md, Core). */
		if ((rc = lin_sq_exec(s, "PRAGMA wal_autocheckpoint=8000", "setting the WAL checkpoint size")))
			return rc;
	}
	if ((rc = lin_sq_exec(s, "PRAGMA foreign_keys=ON", "enabling foreign keys")))
		return rc;
	/* Each API call inside a transaction runs in a savepoint, whose statement journal
	 * spills to a temporary file past 64 KiB: kept in memory instead, a bulk import makes
	 * dozens of writes a row fewer (added by lib/io for import speed). */
	if ((rc = lin_sq_exec(s, "PRAGMA temp_store=MEMORY", "keeping temporary data in memory")))
		return rc;
	if (!(s->flags & LINEAGE_OPEN_READONLY) && (rc = lin_sq_fts_setup(s)))
		return rc;

	snprintf(sql, sizeof sql, "PRAGMA cache_size=%lld", -(long long)o->cache_size_kib);
	return lin_sq_exec(s, sql, "setting the cache size");
}

static int open_error(const char *path, int rc, unsigned int flags)
{
	if (rc == SQLITE_NOMEM)
		return lin_error_oom();
	if (!(flags & LINEAGE_OPEN_READONLY) && access(path, F_OK) == 0 && access(path, W_OK) != 0)
		return lin_error_hint(LINEAGE_EREADONLY, LINEAGE_HINT_OPEN_READONLY, path, "cannot open database \"%.300s\" for writing", path);
	return lin_error_set(LINEAGE_EIO, "cannot open database \"%.300s\" (%s): check that the path is right and its folder exists and is writable", path, sqlite3_errstr(rc));
}

int lin_sqlite_open(lin_store **out, const char *path, const lin_store_options *o)
{
	lin_sq *s;
	int memory = !strcmp(path, ":memory:");
	int oflags = SQLITE_OPEN_NOMUTEX;
	int rc;

	if (!memory && access(path, F_OK) != 0) {
		if (o->flags & LINEAGE_OPEN_NOCREATE)
			return lin_error_hint(LINEAGE_ENOTFOUND, LINEAGE_HINT_OPEN_CREATE, path, "database \"%.300s\" does not exist", path);
		if (o->flags & LINEAGE_OPEN_READONLY)
			return lin_error_hint(LINEAGE_EREADONLY, LINEAGE_HINT_OPEN_WRITABLE, path, "database \"%.300s\" does not exist and cannot be created read-only (check the path)", path);
	}
	if (o->flags & LINEAGE_OPEN_READONLY)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

	if (!(s = calloc(1, sizeof *s)))
		return lin_error_oom();
	s->base.ops = &lin_sq_ops;
	s->flags = o->flags;
	rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
	if (rc != SQLITE_OK) {
		rc = open_error(path, rc, o->flags);
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, o->busy_timeout_ms);
	if ((rc = lin_sq_schema_setup(s)))
		goto fail;
	if ((rc = set_pragmas(s, o)))
		goto fail;
	*out = &s->base;
	return 0;
fail:
	lin_sq_close(&s->base);
	return rc;
}
