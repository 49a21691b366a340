/* Full scans for export and replace imports (owned by lib/io). */
#include <stdio.h>

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

#define CHUNK 1000

/*
 * A full scan through a cursor, CHUNK rows per round trip: memory holds one chunk, not the
 * table, and the connection is free between chunks (a callback may query the store). Outside
 * a transaction the scan runs in a read-only REPEATABLE READ one of its own, so it reads one
 * consistent snapshot, as one statement did; a write from inside its callback is refused
 * there (EREADONLY).
 */
static int scan(lin_pg *p, const char *query, lin_pg_row_cb row, void *payload, const char *what)
{
	char declare[1200], fetch[64], close[48];
	int own = PQstatus(p->conn) == CONNECTION_OK && PQtransactionStatus(p->conn) == PQTRANS_IDLE;
	int rc, n = CHUNK, cursor = ++p->scans; /* nested scans (from a callback) get their own */
	snprintf(declare, sizeof declare, "DECLARE lin_scan%d NO SCROLL CURSOR FOR %s", cursor, query);
	snprintf(fetch, sizeof fetch, "FETCH %d FROM lin_scan%d", CHUNK, cursor);
	snprintf(close, sizeof close, "CLOSE lin_scan%d", cursor);
	if (own && (rc = lin_pg_simple(p, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", what)))
		goto done;
	if ((rc = lin_pg_simple(p, declare, what)))
		goto end;
	while (!rc && n == CHUNK) {
		PGresult *res = NULL;
		if ((rc = lin_pg_run(p, PG_ONCE, fetch, NULL, &res, what)))
			break;
		n = PQntuples(res);
		for (int i = 0; i < n && !rc; i++)
			rc = row(res, i, payload);
		PQclear(res);
	}
	if (!rc)
		rc = lin_pg_simple(p, close, what);
end:
	if (own && PQtransactionStatus(p->conn) != PQTRANS_IDLE) {
		lin_error_saved saved;
		lin_error_save(&saved);
		if (lin_pg_simple(p, rc ? "ROLLBACK" : "COMMIT", what) && !rc)
			rc = LINEAGE_EIO;
		else
			lin_error_restore(&saved);
	}
done:
	p->scans--;
	return rc;
}

int lin_pg_scan_assets_full(lin_store *st, lin_asset_rec_cb cb, void *payload)
{
	struct walk w = {cb, NULL, payload};
	return scan(LIN_PG(st), PG_ASSET_SELECT("ORDER BY a.key COLLATE \"C\""), asset_row, &w,
		    "reading every asset");
}

int lin_pg_scan_edges_full(lin_store *st, int all_status, lin_edge_rec_cb cb, void *payload)
{
	struct walk w = {NULL, cb, payload};
	return scan(LIN_PG(st), all_status ? PG_EDGE_SELECT("ORDER BY e.id")
					   : PG_EDGE_SELECT("WHERE e.status = 0 ORDER BY e.id"),
		    edge_row, &w, "reading every edge");
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
