/* Dispatch of the full scans used by export and replace imports (owned by lib/io). */
#include "backend.h"

int lin_store_scan_assets_full(lin_store *st, lin_asset_rec_cb cb, void *payload)
{
	return st->ops->scan_assets_full(st, cb, payload);
}

int lin_store_scan_edges_full(lin_store *st, int all_status, lin_edge_rec_cb cb, void *payload)
{
	return st->ops->scan_edges_full(st, all_status, cb, payload);
}

int lin_store_edge_origin_all(lin_store *st, const char *origin, lin_edge_rec_cb cb,
			      void *payload)
{
	return st->ops->edge_origin_all(st, origin, cb, payload);
}
