/* Saved views in PostgreSQL (the table `views`, schema 7; lib/store/views.h). Statements are
 * run unprepared (PG_ONCE): views are read and written once per request at most. */
#include <stdio.h>

#include "pg.h"

#define VIEW_COLUMNS "name, root, created_by, created_at, updated_by, updated_at"

typedef struct row_ctx {
	lin_view_row_cb cb;
	void *payload;
} row_ctx;

/* Columns: VIEW_COLUMNS, then the body when the statement selects it. */
static int view_row(PGresult *res, int row, void *payload)
{
	row_ctx *c = payload;
	lin_view_row r = {0};
	r.name = lin_pg_cstr(res, row, 0);
	r.root = lin_pg_cstr(res, row, 1);
	r.created_by = lin_pg_cstr(res, row, 2);
	r.created_at = lin_pg_i64(res, row, 3);
	r.updated_by = lin_pg_cstr(res, row, 4);
	r.updated_at = lin_pg_i64(res, row, 5);
	if (PQnfields(res) > 6)
		r.body = lin_pg_cstr(res, row, 6);
	return c->cb(&r, c->payload);
}

int lin_pg_view_get(lin_store *st, const char *name, lin_view_row_cb cb, void *payload)
{
	lin_pg_args a = {0};
	row_ctx c = {cb, payload};
	lin_pg_text(&a, name);
	return lin_pg_each(LIN_PG(st), PG_ONCE, "SELECT " VIEW_COLUMNS ", body FROM views WHERE name = $1",
			   &a, view_row, &c, "reading a saved view");
}

int lin_pg_views_each(lin_store *st, size_t offset, size_t limit, lin_view_row_cb cb,
		      void *payload)
{
	lin_pg_args a = {0};
	row_ctx c = {cb, payload};
	if (limit)
		lin_pg_int(&a, (int64_t)limit);
	else
		lin_pg_text(&a, NULL); /* LIMIT NULL: all */
	lin_pg_int(&a, (int64_t)offset);
	/* COLLATE "C": the order SQLite gives (bytes), whatever the database's collation */
	return lin_pg_each(LIN_PG(st), PG_ONCE, "SELECT " VIEW_COLUMNS " FROM views ORDER BY name COLLATE \"C\""
			   " LIMIT $1::bigint OFFSET $2::bigint", &a, view_row, &c, "listing the saved views");
}

int lin_pg_view_count(lin_store *st, int64_t *out)
{
	int64_t *outs[1] = {out};
	return lin_pg_one_row(LIN_PG(st), PG_ONCE, "SELECT count(*) FROM views", NULL, outs, 1,
			      "counting the saved views");
}

static void row_args(lin_pg_args *a, const lin_view_row *r)
{
	lin_pg_text(a, r->name);
	lin_pg_text(a, r->root);
	lin_pg_text(a, r->body);
	lin_pg_text(a, r->updated_by);
	lin_pg_int(a, r->updated_at);
}

int lin_pg_view_insert(lin_store *st, const lin_view_row *row)
{
	lin_pg_args a = {0};
	row_args(&a, row);
	lin_pg_text(&a, row->created_by);
	lin_pg_int(&a, row->created_at);
	return lin_pg_exec(LIN_PG(st), PG_ONCE, "INSERT INTO views(name, root, body, updated_by,"
			   " updated_at, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
			   &a, "saving a view");
}

int lin_pg_view_update(lin_store *st, const char *name, const lin_view_row *row)
{
	lin_pg_args a = {0};
	row_args(&a, row);
	lin_pg_text(&a, name);
	return lin_pg_exec(LIN_PG(st), PG_ONCE, "UPDATE views SET name = $1, root = $2, body = $3,"
			   " updated_by = $4, updated_at = $5 WHERE name = $6", &a, "saving a view");
}

int lin_pg_view_delete(lin_store *st, const char *name)
{
	lin_pg_args a = {0};
	lin_pg_text(&a, name);
	return lin_pg_exec(LIN_PG(st), PG_ONCE, "DELETE FROM views WHERE name = $1", &a,
			   "deleting a view");
}
