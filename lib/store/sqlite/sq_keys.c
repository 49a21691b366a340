/*
 * Asset key -> id, remembered inside one write transaction. An import resolves every row's
 * source, target and job keys, mostly the same assets again and again; a lookup in SQLite
 * costs a statement round trip each time. Inside a write transaction nobody else can change
 * the assets, so what this connection read or wrote stays true until the transaction ends,
 * a savepoint is rolled back, or an asset is updated or deleted: each of those empties the
 * cache (the table: store/key_cache.h).
 */
#include <stdlib.h>

#include "sq.h"
#include "store/key_cache.h"

struct lin_sq_keys {
	lin_key_cache table;
	uint64_t tx; /* the transaction the entries belong to */
};

void lin_sq_keys_clear(lin_sq *s)
{
	if (s->keys)
		lin_key_cache_clear(&s->keys->table);
}

void lin_sq_keys_free(lin_sq *s)
{
	if (!s->keys)
		return;
	lin_key_cache_free(&s->keys->table);
	free(s->keys);
	s->keys = NULL;
}

/* The cache, when it may be used now (inside this connection's write transaction). */
static struct lin_sq_keys *usable(lin_sq *s)
{
	struct lin_sq_keys *k = s->keys;
	if (!k || !s->in_write || sqlite3_get_autocommit(s->db))
		return NULL;
	if (k->tx != s->tx_count) {
		lin_sq_keys_clear(s);
		k->tx = s->tx_count;
	}
	return k;
}

int lin_sq_keys_get(lin_sq *s, const char *key, int64_t *id, int *unknown)
{
	struct lin_sq_keys *k = usable(s);
	return k ? lin_key_cache_get(&k->table, key, id, unknown) : 0;
}

void lin_sq_keys_put(lin_sq *s, const char *key, int64_t id, int unknown)
{
	struct lin_sq_keys *k;
	if (!s->keys && s->in_write) {
		s->keys = calloc(1, sizeof *s->keys);
		if (!s->keys)
			return; /* only a cache */
		s->keys->tx = s->tx_count;
	}
	if ((k = usable(s)))
		lin_key_cache_put(&k->table, key, id, unknown);
}

static int preload_row(sqlite3_stmt *stmt, void *payload)
{
	lin_sq_keys_put(payload, (const char *)sqlite3_column_text(stmt, 0),
			sqlite3_column_int64(stmt, 1), sqlite3_column_int(stmt, 2));
	return 0;
}

int lin_sq_asset_keys_preload(lin_store *st, int64_t expected_keys)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int64_t assets = 0, *outs[1] = {&assets};
	int rc;
	if (!s->in_write)
		return 0;
	/* the assets' count, bounded above by the highest id: O(1) */
	if ((rc = lin_sq_stmt(s, SQ_KEYS_PRELOAD, "SELECT ifnull(max(id), 0) FROM assets", &stmt)) ||
	    (rc = lin_sq_one_row(s, stmt, outs, 1, "counting the assets")))
		return rc;
	if (assets == 0 || assets > LIN_KEY_CACHE_MAX || 4 * expected_keys < assets)
		return 0;
	if ((rc = lin_sq_prepare(s, "SELECT key, id, kind = 'unknown' FROM assets", &stmt,
				 "preparing a statement")))
		return rc;
	rc = lin_sq_each(s, stmt, preload_row, s, "reading the asset keys");
	sqlite3_finalize(stmt);
	return rc;
}
