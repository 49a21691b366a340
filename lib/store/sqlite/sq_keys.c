/*
 * Asset key -> id, remembered inside one write transaction. An import resolves every row's
 * source, target and job keys, mostly the same assets again and again; a lookup in SQLite
 * costs a statement round trip each time. Inside a write transaction nobody else can change
 * the assets, so what this connection read or wrote stays true until the transaction ends,
 * a savepoint is rolled back, or an asset is updated or deleted: each of those empties the
 * cache. A key is remembered by its 128-bit hash (common/hash128.h), so a hit reads one cell
 * and no text.
 * Bounded: full, it starts again empty.
 */
#include <stdlib.h>
#include <string.h>

#include "sq.h"
#include "common/hash128.h"

#define MAX_KEYS (1u << 19) /* 16 MiB of cells at most */

typedef struct key_cell {
	lin_id h;      /* the key's hash; {0, 0}: an empty cell */
	int64_t id;
	int64_t unknown;
} key_cell;

struct lin_sq_keys {
	key_cell *cells;
	uint32_t cap, n;
	uint64_t tx; /* the transaction the entries belong to */
};

static lin_id hash_key(const char *key)
{
	lin_idhash h;
	lin_idhash_init(&h);
	lin_idhash_str(&h, key);
	return lin_idhash_done(&h);
}

void lin_sq_keys_clear(lin_sq *s)
{
	struct lin_sq_keys *k = s->keys;
	if (!k || !k->n)
		return;
	memset(k->cells, 0, (size_t)k->cap * sizeof *k->cells);
	k->n = 0;
}

void lin_sq_keys_free(lin_sq *s)
{
	if (!s->keys)
		return;
	free(s->keys->cells);
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

static int empty(const key_cell *c)
{
	return !c->h.a && !c->h.b;
}

static key_cell *find(const struct lin_sq_keys *k, lin_id h)
{
	for (uint32_t i = (uint32_t)h.a & (k->cap - 1);; i = (i + 1) & (k->cap - 1)) {
		key_cell *c = &k->cells[i];
		if (empty(c) || (c->h.a == h.a && c->h.b == h.b))
			return c;
	}
}

int lin_sq_keys_get(lin_sq *s, const char *key, int64_t *id, int *unknown)
{
	struct lin_sq_keys *k = usable(s);
	const key_cell *c;
	if (!k || !k->n)
		return 0;
	c = find(k, hash_key(key));
	if (empty(c))
		return 0;
	*id = c->id;
	if (unknown)
		*unknown = (int)c->unknown;
	return 1;
}

static int grow(struct lin_sq_keys *k)
{
	uint32_t cap = k->cap ? k->cap * 2 : 1024;
	key_cell *old = k->cells;
	uint32_t old_cap = k->cap;
	if (!(k->cells = calloc(cap, sizeof *k->cells))) {
		k->cells = old;
		return -1;
	}
	k->cap = cap;
	for (uint32_t i = 0; i < old_cap; i++)
		if (!empty(&old[i]))
			*find(k, old[i].h) = old[i];
	free(old);
	return 0;
}

void lin_sq_keys_put(lin_sq *s, const char *key, int64_t id, int unknown)
{
	struct lin_sq_keys *k;
	key_cell *c;
	lin_id h;
	if (!s->keys && s->in_write) {
		s->keys = calloc(1, sizeof *s->keys);
		if (!s->keys)
			return; /* only a cache */
		s->keys->tx = s->tx_count;
	}
	if (!(k = usable(s)))
		return;
	if (k->n >= MAX_KEYS)
		lin_sq_keys_clear(s);
	if ((k->n + 1) * 2 > k->cap && grow(k))
		return;
	h = hash_key(key);
	c = find(k, h);
	if (empty(c))
		k->n++;
	c->h = h;
	c->id = id;
	c->unknown = unknown != 0;
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
	if (assets == 0 || assets > MAX_KEYS || 4 * expected_keys < assets)
		return 0;
	if ((rc = lin_sq_prepare(s, "SELECT key, id, kind = 'unknown' FROM assets", &stmt,
				 "preparing a statement")))
		return rc;
	rc = lin_sq_each(s, stmt, preload_row, s, "reading the asset keys");
	sqlite3_finalize(stmt);
	return rc;
}
