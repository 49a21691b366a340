/* Edge and asset kinds, stats and online backup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sq.h"
#include "common/strbuf.h"
#include "common/util.h"

int lin_sq_kind_define(lin_store *st, const char *kind, int allows_self_loop, int allows_cycles)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_KIND_DEFINE,
			     "INSERT INTO edge_kinds(name, allows_self_loop, allows_cycles)"
			     " VALUES (?1, ?2, ?3) ON CONFLICT(name) DO UPDATE SET"
			     " allows_self_loop = excluded.allows_self_loop,"
			     " allows_cycles = excluded.allows_cycles", &stmt);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, allows_self_loop != 0);
	sqlite3_bind_int(stmt, 3, allows_cycles != 0);
	return lin_sq_step_done(s, stmt, "defining an edge kind");
}

int lin_sq_kind_rules(lin_store *st, const char *kind, int *allows_self_loop,
		      int *allows_cycles, int *found)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_KIND_RULES,
			     "SELECT allows_self_loop, allows_cycles FROM edge_kinds WHERE name = ?1",
			     &stmt);
	*found = 0;
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*found = 1;
		*allows_self_loop = sqlite3_column_int(stmt, 0);
		*allows_cycles = sqlite3_column_int(stmt, 1);
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? 0 : lin_sq_error(s, rc, "reading an edge kind");
	}
	sqlite3_reset(stmt);
	return rc;
}

typedef struct kinds_each_ctx {
	lin_kind_cb cb;
	void *payload;
} kinds_each_ctx;

static int kind_row(sqlite3_stmt *stmt, void *payload)
{
	kinds_each_ctx *c = payload;
	return c->cb((const char *)sqlite3_column_text(stmt, 0), sqlite3_column_int(stmt, 1),
		     sqlite3_column_int(stmt, 2), c->payload);
}

int lin_sq_kinds_each(lin_store *st, lin_kind_cb cb, void *payload)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	kinds_each_ctx c = {cb, payload};
	int rc = lin_sq_stmt(s, SQ_KINDS_EACH,
			     "SELECT name, allows_self_loop, allows_cycles FROM edge_kinds", &stmt);
	return rc ? rc : lin_sq_each(s, stmt, kind_row, &c, "reading the edge kinds");
}

int lin_sq_asset_kind_define(lin_store *st, const char *kind)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_ASSET_KIND_DEFINE,
			     "INSERT INTO asset_kinds(name) VALUES (?1) ON CONFLICT(name) DO NOTHING", &stmt);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
	return lin_sq_step_done(s, stmt, "declaring an asset kind");
}

typedef struct asset_kinds_ctx {
	lin_asset_kind_cb cb;
	void *payload;
} asset_kinds_ctx;

static int asset_kind_row(sqlite3_stmt *stmt, void *payload)
{
	asset_kinds_ctx *c = payload;
	return c->cb((const char *)sqlite3_column_text(stmt, 0), c->payload);
}

int lin_sq_asset_kinds_each(lin_store *st, lin_asset_kind_cb cb, void *payload)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	asset_kinds_ctx c = {cb, payload};
	int rc = lin_sq_stmt(s, SQ_ASSET_KINDS_EACH, "SELECT name FROM asset_kinds", &stmt);
	return rc ? rc : lin_sq_each(s, stmt, asset_kind_row, &c, "reading the asset kinds");
}

/* ---- stats ---- */

static const struct stat_query {
	const char *group;
	int grouped; /* rows of (name, value) rather than one value */
	const char *sql;
} stat_queries[] = {
	{"assets", 0, "SELECT count(*) FROM assets"},
	{"edges", 0, "SELECT count(*) FROM edges"},
	{"assets_by_kind", 1, "SELECT kind, count(*) FROM assets GROUP BY kind ORDER BY kind"},
	{"edges_by_kind", 1, "SELECT kind, count(*) FROM edges GROUP BY kind ORDER BY kind"},
	{"edges_by_source", 1, "SELECT lineage_source, count(*) FROM edges GROUP BY 1 ORDER BY 1"},
	{"edges_by_status", 1, "SELECT status, count(*) FROM edges GROUP BY 1 ORDER BY 1"},
	{"changes", 0, "SELECT count(*) FROM changes"},
	{"last_seq", 0, "SELECT ifnull(max(seq), 0) FROM changes"},
	{"database_bytes", 0, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"},
};

int lin_sq_stats(lin_store *st, lin_stat_cb cb, void *payload)
{
	lin_sq *s = LIN_SQ(st);
	int rc = 0;
	for (size_t i = 0; i < sizeof stat_queries / sizeof stat_queries[0] && !rc; i++) {
		const struct stat_query *q = &stat_queries[i];
		sqlite3_stmt *stmt = NULL;
		int step;
		if ((rc = lin_sq_prepare(s, q->sql, &stmt, "counting for the stats")))
			break;
		while (!rc && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
			if (q->grouped)
				rc = cb(q->group, (const char *)sqlite3_column_text(stmt, 0),
					sqlite3_column_int64(stmt, 1), payload);
			else
				rc = cb(q->group, NULL, sqlite3_column_int64(stmt, 0), payload);
		}
		if (!rc && step != SQLITE_DONE)
			rc = lin_sq_error(s, step, "counting for the stats");
		sqlite3_finalize(stmt);
	}
	return rc;
}

/* ---- backup ---- */

static int dest_error(const char *dest, int rc)
{
	char *dir = lin_strdup(dest), *slash;
	int writable;
	if (!dir)
		return LINEAGE_ENOMEM;
	slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	writable = access(slash ? dir : ".", W_OK) == 0;
	free(dir);
	if (!writable)
		return lin_error_set(LINEAGE_EREADONLY, "cannot write the backup \"%.300s\": its folder is not writable; choose another destination", dest);
	return lin_error_set(LINEAGE_EIO, "cannot write the backup \"%.300s\" (%s): check the path and the free disk space", dest, sqlite3_errstr(rc));
}

int lin_sq_backup(lin_store *st, const char *dest_path, lineage_progress_cb progress,
		  void *payload)
{
	lin_sq *s = LIN_SQ(st);
	lin_strbuf tmp = LIN_STRBUF_INIT;
	sqlite3 *dest = NULL;
	sqlite3_backup *bk = NULL;
	int rc, step = SQLITE_OK, created = 0;

	/* Copy into a private name, then rename: a failed or cancelled backup leaves nothing
	 * and never clobbers an existing file half-way. */
	if ((rc = lin_strbuf_printf(&tmp, "%s.partial-%ld", dest_path, (long)getpid())))
		goto done;
	step = sqlite3_open_v2(tmp.data, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			       SQLITE_OPEN_NOMUTEX, NULL);
	created = 1;
	if (step != SQLITE_OK) {
		rc = dest_error(dest_path, step);
		goto done;
	}
	if (!(bk = sqlite3_backup_init(dest, "main", s->db, "main"))) {
		rc = dest_error(dest_path, sqlite3_errcode(dest));
		goto done;
	}
	for (;;) {
		step = sqlite3_backup_step(bk, 256);
		if (step == SQLITE_BUSY || step == SQLITE_LOCKED) {
			sqlite3_sleep(5);
			continue;
		}
		if (step != SQLITE_OK && step != SQLITE_DONE)
			break;
		if (progress) {
			int total = sqlite3_backup_pagecount(bk);
			int left = sqlite3_backup_remaining(bk);
			if (progress("backup", (uint64_t)(total - left), (uint64_t)total, payload)) {
				rc = lin_error_set(LINEAGE_ECANCELLED, "backup cancelled: no file was written");
				goto done;
			}
		}
		if (step == SQLITE_DONE)
			break;
	}
	step = sqlite3_backup_finish(bk);
	bk = NULL;
	if (step != SQLITE_OK) {
		rc = (step & 0xff) == SQLITE_NOMEM ? lin_error_oom()
			: (step & 0xff) == SQLITE_FULL ? lin_error_set(LINEAGE_EFULL, "the disk is full while writing the backup \"%.300s\": free space and retry", dest_path)
			: dest_error(dest_path, step);
		goto done;
	}
	if (sqlite3_close(dest) != SQLITE_OK) {
		rc = dest_error(dest_path, SQLITE_IOERR);
		goto done;
	}
	dest = NULL;
	if (rename(tmp.data, dest_path) != 0) {
		rc = dest_error(dest_path, SQLITE_IOERR);
		goto done;
	}
	created = 0;
done:
	if (bk)
		sqlite3_backup_finish(bk);
	if (dest)
		sqlite3_close_v2(dest);
	if (created && tmp.data) {
		unlink(tmp.data);
	}
	lin_strbuf_free(&tmp);
	return rc;
}
