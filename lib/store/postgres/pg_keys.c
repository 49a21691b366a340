/*
 * Asset key -> id inside one write transaction (as sqlite/sq_keys.c: an import resolves the
 * same keys again and again, and each lookup here is a round trip to the server). Under the
 * writer lock nobody else changes the assets, so what this handle read or wrote stays true
 * until its transaction ends, a savepoint is rolled back, or an asset is updated or deleted:
 * each of those empties the cache. When it was filled with every asset of the store
 * (lin_pg_asset_keys_preload) and has forgotten none since, it is complete: a key it does not
 * know is not in the store, and the lookup needs no round trip either.
 */
#include "pg.h"

int lin_pg_keys_get(lin_pg *p, const char *key, int64_t *id, int *unknown)
{
	if (!p->in_write)
		return 0;
	if (lin_key_cache_get(&p->keys, key, id, unknown))
		return 1;
	return p->keys_complete; /* *id stays 0: not in the store */
}

void lin_pg_keys_put(lin_pg *p, const char *key, int64_t id, int unknown)
{
	if (p->in_write && lin_key_cache_put(&p->keys, key, id, unknown))
		p->keys_complete = 0;
}

void lin_pg_keys_reset(lin_pg *p)
{
	lin_key_cache_clear(&p->keys);
	p->keys_complete = 0;
}


static int preload_row(const lin_pg_field *f, int n, void *payload)
{
	if (n != 3 || !f[0].data)
		return lin_error_set(LINEAGE_EIO, "reading the asset keys: the server sent an unexpected row");
	lin_pg_keys_put(payload, f[0].data, lin_pg_field_i64(&f[1]), (int)lin_pg_field_i64(&f[2]));
	return 0;
}

int lin_pg_asset_keys_preload(lin_store *st, int64_t expected_keys)
{
	lin_pg *p = LIN_PG(st);
	int64_t assets = 0, *outs[1] = {&assets};
	int rc;
	if (!p->in_write)
		return 0;
	/* the assets' count, bounded above by the highest id: one index probe */
	if ((rc = lin_pg_one_row(p, PG_ONCE, "SELECT coalesce(max(id), 0) FROM assets", NULL, outs, 1,
				 "counting the assets")))
		return rc;
	if (assets > LIN_KEY_CACHE_MAX || 4 * expected_keys < assets)
		return 0;
	lin_pg_keys_reset(p);
	p->keys_complete = 1; /* until an entry is lost */
	if ((rc = lin_pg_copy_out(p, PG_ONCE, "SELECT key, id, (kind = 'unknown')::int FROM assets",
				  preload_row, p, "reading the asset keys")))
		lin_pg_keys_reset(p);
	return rc;
}
