/* Saved views in SQLite (the table `views`, schema 7; lib/store/views.h). Statements are
 * prepared per call: views are read and written once per request at most. */
#include "sq.h"

#define VIEW_COLUMNS "name, root, created_by, created_at, updated_by, updated_at"

typedef struct row_ctx {
	lin_view_row_cb cb;
	void *payload;
} row_ctx;

/* Columns: VIEW_COLUMNS, then the body when the statement selects it. */
static int view_row(sqlite3_stmt *stmt, void *payload)
{
	row_ctx *c = payload;
	lin_view_row r = {0};
	r.name = (const char *)sqlite3_column_text(stmt, 0);
	r.root = (const char *)sqlite3_column_text(stmt, 1);
	r.created_by = (const char *)sqlite3_column_text(stmt, 2);
	r.created_at = sqlite3_column_int64(stmt, 3);
	r.updated_by = (const char *)sqlite3_column_text(stmt, 4);
	r.updated_at = sqlite3_column_int64(stmt, 5);
	if (sqlite3_column_count(stmt) > 6)
		r.body = (const char *)sqlite3_column_text(stmt, 6);
	return c->cb(&r, c->payload);
}

static int run_each(lin_sq *s, sqlite3_stmt *stmt, lin_view_row_cb cb, void *payload)
{
	row_ctx c = {cb, payload};
	int rc = lin_sq_each(s, stmt, view_row, &c, "reading the saved views");
	sqlite3_finalize(stmt);
	return rc;
}

int lin_sq_view_get(lin_store *st, const char *name, lin_view_row_cb cb, void *payload)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_prepare(s, "SELECT " VIEW_COLUMNS ", body FROM views WHERE name = ?1", &stmt,
				"reading a saved view");
	if (rc)
		return rc;
	lin_sq_bind_text(stmt, 1, name);
	return run_each(s, stmt, cb, payload);
}

int lin_sq_views_each(lin_store *st, size_t offset, size_t limit, lin_view_row_cb cb,
		      void *payload)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_prepare(s, "SELECT " VIEW_COLUMNS " FROM views ORDER BY name LIMIT ?1 OFFSET ?2",
				&stmt, "listing the saved views");
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, limit ? (sqlite3_int64)limit : -1);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)offset);
	return run_each(s, stmt, cb, payload);
}

int lin_sq_view_count(lin_store *st, int64_t *out)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int64_t *outs[1] = {out};
	int rc = lin_sq_prepare(s, "SELECT count(*) FROM views", &stmt, "counting the saved views");
	if (!rc)
		rc = lin_sq_one_row(s, stmt, outs, 1, "counting the saved views");
	sqlite3_finalize(stmt);
	return rc;
}

static int write_view(lin_sq *s, const char *sql, const char *name, const lin_view_row *r)
{
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_prepare(s, sql, &stmt, "saving a view");
	if (rc)
		return rc;
	lin_sq_bind_text(stmt, 1, r->name);
	lin_sq_bind_text(stmt, 2, r->root);
	lin_sq_bind_text(stmt, 3, r->body);
	lin_sq_bind_text(stmt, 4, r->updated_by);
	sqlite3_bind_int64(stmt, 5, r->updated_at);
	if (name)
		lin_sq_bind_text(stmt, 6, name);
	else {
		lin_sq_bind_text(stmt, 6, r->created_by);
		sqlite3_bind_int64(stmt, 7, r->created_at);
	}
	rc = lin_sq_step_done(s, stmt, "saving a view");
	sqlite3_finalize(stmt);
	return rc;
}

int lin_sq_view_insert(lin_store *st, const lin_view_row *row)
{
	return write_view(LIN_SQ(st), "INSERT INTO views(name, root, body, updated_by, updated_at,"
			  " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", NULL, row);
}

int lin_sq_view_update(lin_store *st, const char *name, const lin_view_row *row)
{
	return write_view(LIN_SQ(st), "UPDATE views SET name = ?1, root = ?2, body = ?3,"
			  " updated_by = ?4, updated_at = ?5 WHERE name = ?6", name, row);
}

int lin_sq_view_delete(lin_store *st, const char *name)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_prepare(s, "DELETE FROM views WHERE name = ?1", &stmt, "deleting a view");
	if (rc)
		return rc;
	lin_sq_bind_text(stmt, 1, name);
	rc = lin_sq_step_done(s, stmt, "deleting a view");
	sqlite3_finalize(stmt);
	return rc;
}
