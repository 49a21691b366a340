/* lineage_asset_foreach and lineage_edge_foreach: full scans for export (owned by lib/io;
 * declared in include/lineage/export.h). Rows are streamed: memory does not grow with the
 * database. */
#include "lineage/export.h"

#include "api/db_internal.h"
#include "api/write.h"
#include "common/error.h"

typedef struct walk {
	int (*asset_cb)(const lineage_asset *asset, void *payload);
	int (*edge_cb)(const lineage_edge *edge, void *payload);
	void *payload;
	int stopped; /* the user's callback returned non-zero */
} walk;

static int on_asset(lin_asset_rec *rec, void *payload)
{
	walk *w = payload;
	int rc = w->asset_cb(&rec->pub, w->payload);
	lin_asset_rec_free(rec);
	w->stopped = rc != 0;
	return rc;
}

static int on_edge(lin_edge_rec *rec, void *payload)
{
	walk *w = payload;
	int rc = w->edge_cb(&rec->pub, w->payload);
	lin_edge_rec_free(rec);
	w->stopped = rc != 0;
	return rc;
}

int lineage_asset_foreach(lineage_db *db, int (*cb)(const lineage_asset *asset, void *payload),
			  void *payload)
{
	walk w = {cb, NULL, payload, 0};
	int rc;
	if ((rc = lin_check_db(db)) != 0)
		return rc;
	if (!cb)
		return lin_error_set(LINEAGE_EINVALID, "lineage_asset_foreach needs a callback");
	return lin_store_scan_assets_full(db->store, on_asset, &w);
}

int lineage_edge_foreach(lineage_db *db, unsigned int flags,
			 int (*cb)(const lineage_edge *edge, void *payload), void *payload)
{
	walk w = {NULL, cb, payload, 0};
	int rc;
	if ((rc = lin_check_db(db)) != 0)
		return rc;
	if (!cb)
		return lin_error_set(LINEAGE_EINVALID, "lineage_edge_foreach needs a callback");
	return lin_store_scan_edges_full(db->store, (flags & LINEAGE_EDGES_ALL_STATUS) != 0, on_edge, &w);
}
