/*
 * Keeping the full-text index of assets up to date.
 *
 * FTS5 writes its pending terms out as a new index segment at every SAVEPOINT and RELEASE.
 * Every API call inside a transaction runs in a savepoint, so triggers that fed the index row
 * by row made each asset write build and merge a tiny segment (half the cost of a bulk load).
 * Instead, temporary triggers (private to this connection, rolled back with the transaction)
 * note which assets changed, with the values the index holds for them, and the index is
 * brought up to date in two set-based statements just before the commit. Every connection
 * liblineage opens for writing installs them; a writer that bypasses liblineage would have to
 * rebuild the index ('rebuild' command of FTS5).
 */
#include "sq.h"

static const char setup_sql[] =
	"CREATE TEMP TABLE lin_fts_dirty(id INTEGER PRIMARY KEY, indexed INTEGER NOT NULL,"
	" key TEXT, name TEXT, description TEXT, tags TEXT);"
	/* OR IGNORE keeps the first values seen in the transaction: those the index holds. */
	"CREATE TEMP TRIGGER lin_fts_insert AFTER INSERT ON main.assets BEGIN"
	" INSERT OR IGNORE INTO lin_fts_dirty(id, indexed) VALUES (new.id, 0); END;"
	"CREATE TEMP TRIGGER lin_fts_delete AFTER DELETE ON main.assets BEGIN"
	" INSERT OR IGNORE INTO lin_fts_dirty VALUES"
	" (old.id, 1, old.key, old.name, old.description, old.tags); END;"
	/* Only when an indexed value changes: a job's status and run properties change on
	 * every OpenLineage event, its words do not. */
	"CREATE TEMP TRIGGER lin_fts_update AFTER UPDATE OF key, name, description, tags"
	" ON main.assets WHEN old.key IS NOT new.key OR old.name IS NOT new.name"
	" OR old.description IS NOT new.description OR old.tags IS NOT new.tags BEGIN"
	" INSERT OR IGNORE INTO lin_fts_dirty VALUES"
	" (old.id, 1, old.key, old.name, old.description, old.tags); END;";

int lin_sq_fts_setup(lin_sq *s)
{
	return lin_sq_exec(s, setup_sql, "preparing the search index tracking");
}

static int run(lin_sq *s, enum lin_sq_stmt which, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, which, sql, &stmt);
	return rc ? rc : lin_sq_step_done(s, stmt, "updating the search index");
}

int lin_sq_fts_sync(lin_sq *s)
{
	sqlite3_stmt *stmt = NULL;
	int rc, pending;
	if (s->flags & LINEAGE_OPEN_READONLY)
		return 0;
	if ((rc = lin_sq_stmt(s, SQ_FTS_PENDING, "SELECT EXISTS (SELECT 1 FROM temp.lin_fts_dirty)",
			      &stmt)))
		return rc;
	rc = sqlite3_step(stmt);
	pending = rc == SQLITE_ROW && sqlite3_column_int(stmt, 0);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW)
		return lin_sq_error(s, rc, "reading the search index changes");
	if (!pending)
		return 0;
	if ((rc = run(s, SQ_FTS_DELETE,
		      "INSERT INTO main.assets_fts(assets_fts, rowid, key, name, description, tags)"
		      " SELECT 'delete', id, key, name, description, tags FROM temp.lin_fts_dirty"
		      " WHERE indexed")) ||
	    (rc = run(s, SQ_FTS_INSERT,
		      "INSERT INTO main.assets_fts(rowid, key, name, description, tags)"
		      " SELECT a.id, a.key, a.name, a.description, a.tags FROM temp.lin_fts_dirty d"
		      " JOIN main.assets a ON a.id = d.id")))
		return rc;
	return run(s, SQ_FTS_CLEAR, "DELETE FROM temp.lin_fts_dirty");
}
