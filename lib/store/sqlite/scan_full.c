/* Full scans for export and replace imports (owned by lib/io). Prepared per call: they run
 * once per export, so the statement cache is not worth a slot. */
#include "sq.h"

struct walk {
	int (*asset)(lin_asset_rec *rec, void *payload);
	int (*edge)(lin_edge_rec *rec, void *payload);
	void *payload;
};

static int asset_row(sqlite3_stmt *stmt, void *payload)
{
	struct walk *w = payload;
	lin_asset_rec *rec;
	int rc = lin_sq_read_asset(stmt, &rec);
	return rc ? rc : w->asset(rec, w->payload);
}

static int edge_row(sqlite3_stmt *stmt, void *payload)
{
	struct walk *w = payload;
	lin_edge_rec *rec;
	int rc = lin_sq_read_edge(stmt, &rec);
	return rc ? rc : w->edge(rec, w->payload);
}

static int run(lin_sq *s, const char *sql, const char *bind, int (*row)(sqlite3_stmt *, void *),
	       struct walk *w, const char *what)
{
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_prepare(s, sql, &stmt, what);
	if (rc)
		return rc;
	if (bind)
		sqlite3_bind_text(stmt, 1, bind, -1, SQLITE_STATIC);
	rc = lin_sq_each(s, stmt, row, w, what);
	sqlite3_finalize(stmt);
	return rc;
}

int lin_sq_scan_assets_full(lin_store *st, lin_asset_rec_cb cb, void *payload)
{
	struct walk w = {cb, NULL, payload};
	return run(LIN_SQ(st), ASSET_SELECT("ORDER BY a.key"), NULL, asset_row, &w,
		   "reading every asset");
}

int lin_sq_scan_edges_full(lin_store *st, int all_status, lin_edge_rec_cb cb, void *payload)
{
	struct walk w = {NULL, cb, payload};
	return run(LIN_SQ(st),
		   all_status ? EDGE_SELECT("ORDER BY e.id") : EDGE_SELECT("WHERE e.status = 0 ORDER BY e.id"),
		   NULL, edge_row, &w, "reading every edge");
}

int lin_sq_edge_origin_all(lin_store *st, const char *origin, lin_edge_rec_cb cb, void *payload)
{
	struct walk w = {NULL, cb, payload};
	return run(LIN_SQ(st), EDGE_SELECT("WHERE e.origin = ?1 AND e.status = 0 ORDER BY e.id"),
		   origin, edge_row, &w, "reading the edges of an import scope");
}
