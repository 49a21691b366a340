/*
 * Asset key -> id, remembered inside one write transaction. An import resolves every row's
 * source, target and job keys, mostly the same assets again and again; a lookup in SQLite
 * costs a statement round trip each time. Inside a write transaction nobody else can change
 * the assets, so what this connection read or wrote stays true until the transaction ends,
 * a savepoint is rolled back, or an asset is updated or deleted: each of those empties the
 * cache. A key is remembered by a 128-bit hash (two independent 64-bit chains: a false match
 * among a million keys has a chance of about 2^-88), so a hit reads one cell and no text.
 * Bounded: full, it starts again empty.
 */
#include <stdlib.h>
#include <string.h>

#include "sq.h"

#define MAX_KEYS (1u << 19) /* 16 MiB of cells at most */

typedef struct key_cell {
	uint64_t a, b; /* the key's hash; b == 0: an empty cell */
	int64_t id;
	int64_t unknown;
} key_cell;

struct lin_sq_keys {
	key_cell *cells;
	uint32_t cap, n;
	uint64_t tx; /* the transaction the entries belong to */
};

static uint64_t fmix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

static void hash_key(const char *key, uint64_t *a, uint64_t *b)
{
	size_t n = strlen(key);
	uint64_t x = 0x243F6A8885A308D3ULL ^ n, y = 0x13198A2E03707344ULL ^ n;
	for (;;) {
		uint64_t w = 0, f;
		size_t k = n < 8 ? n : 8;
		memcpy(&w, key, k);
		f = fmix(w);
		x = (x ^ f) * 0x9E3779B97F4A7C15ULL;
		x ^= x >> 29;
		y = (y ^ (f + 0x632BE59BD9B4E019ULL)) * 0xD6E8FEB86659FD93ULL;
		y ^= y >> 31;
		if (n <= 8)
			break;
		key += 8;
		n -= 8;
	}
	*a = fmix(x);
	*b = fmix(y) | 1; /* never 0, which marks empty cells */
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

static key_cell *find(const struct lin_sq_keys *k, uint64_t a, uint64_t b)
{
	for (uint32_t i = (uint32_t)a & (k->cap - 1);; i = (i + 1) & (k->cap - 1)) {
		key_cell *c = &k->cells[i];
		if (!c->b || (c->a == a && c->b == b))
			return c;
	}
}

int lin_sq_keys_get(lin_sq *s, const char *key, int64_t *id, int *unknown)
{
	struct lin_sq_keys *k = usable(s);
	const key_cell *c;
	uint64_t a, b;
	if (!k || !k->n)
		return 0;
	hash_key(key, &a, &b);
	c = find(k, a, b);
	if (!c->b)
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
		if (old[i].b)
			*find(k, old[i].a, old[i].b) = old[i];
	free(old);
	return 0;
}

void lin_sq_keys_put(lin_sq *s, const char *key, int64_t id, int unknown)
{
	struct lin_sq_keys *k;
	key_cell *c;
	uint64_t a, b;
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
	hash_key(key, &a, &b);
	c = find(k, a, b);
	if (!c->b)
		k->n++;
	c->a = a;
	c->b = b;
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
	int64_t assets = 0;
	int rc;
	if (!s->in_write)
		return 0;
	/* the assets' count, bounded above by the highest id: O(1) */
	if ((rc = lin_sq_stmt(s, SQ_KEYS_PRELOAD, "SELECT ifnull(max(id), 0) FROM assets", &stmt)))
		return rc;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		assets = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	if (assets == 0 || assets > MAX_KEYS || 4 * expected_keys < assets)
		return 0;
	if ((rc = sqlite3_prepare_v2(s->db, "SELECT key, id, kind = 'unknown' FROM assets", -1,
				     &stmt, NULL)) != SQLITE_OK)
		return lin_sq_error(s, rc, "preparing a statement");
	rc = lin_sq_each(s, stmt, preload_row, s, "reading the asset keys");
	sqlite3_finalize(stmt);
	return rc;
}
