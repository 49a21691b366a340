/* Full scans for export and replace imports (owned by lib/io). */
#include "pg.h"

struct walk {
	lin_asset_rec_cb asset;
	lin_edge_rec_cb edge;
	void *payload;
};

static int asset_row(PGresult *res, int row, void *payload)
{
	struct walk *w = payload;
	lin_asset_rec *rec;
	int rc = lin_pg_read_asset(res, row, &rec);
	return rc ? rc : w->asset(rec, w->payload);
}

static int edge_row(PGresult *res, int row, void *payload)
{
	struct walk *w = payload;
	lin_edge_rec *rec;
	int rc = lin_pg_read_edge(res, row, &rec);
	return rc ? rc : w->edge(rec, w->payload);
}

int lin_pg_scan_assets_full(lin_store *st, lin_asset_rec_cb cb, void *payload)
{
	struct walk w = {cb, NULL, payload};
	return lin_pg_each(LIN_PG(st), PG_ONCE, PG_ASSET_SELECT("ORDER BY a.key COLLATE \"C\""), NULL,
			   asset_row, &w, "reading every asset");
}

int lin_pg_scan_edges_full(lin_store *st, int all_status, lin_edge_rec_cb cb, void *payload)
{
	struct walk w = {NULL, cb, payload};
	return lin_pg_each(LIN_PG(st), PG_ONCE,
			   all_status ? PG_EDGE_SELECT("ORDER BY e.id")
				      : PG_EDGE_SELECT("WHERE e.status = 0 ORDER BY e.id"),
			   NULL, edge_row, &w, "reading every edge");
}

int lin_pg_edge_origin_all(lin_store *st, const char *origin, lin_edge_rec_cb cb, void *payload)
{
	struct walk w = {NULL, cb, payload};
	lin_pg_args a = {0};
	lin_pg_text(&a, origin);
	return lin_pg_each(LIN_PG(st), PG_ONCE,
			   PG_EDGE_SELECT("WHERE e.origin = $1 AND e.status = 0 ORDER BY e.id"), &a,
			   edge_row, &w, "reading the edges of an import scope");
}
