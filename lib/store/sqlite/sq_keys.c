/*
 * Asset key -> id, remembered inside one write transaction. An import resolves every row's
 * source and target keys, mostly the same few thousand assets again and again; a lookup
 * in SQLite costs a statement round trip each time. Inside a write transaction nobody else
 * can change the assets, so what this connection read or wrote stays true until the
 * transaction ends, a savepoint is rolled back, or an asset is updated or deleted: each of
 * those empties the cache. Bounded: full, it starts again empty.
 */
#include <stdlib.h>
#include <string.h>

#include "sq.h"

#define MAX_KEYS (1u << 18)
#define MAX_TEXT (16u << 20)

typedef struct key_cell {
	uint64_t hash;  /* 0: empty */
	int64_t id;
	uint32_t off;   /* key text in the arena */
	uint32_t unknown;
} key_cell;

struct lin_sq_keys {
	key_cell *cells;
	uint32_t cap, n;
	char *text;
	size_t text_len, text_cap;
	uint64_t tx; /* the transaction the entries belong to */
};

static uint64_t hash_key(const char *key, size_t len)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ len;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 0x100000001B3ULL;
	h ^= h >> 31;
	return h ? h : 1;
}

void lin_sq_keys_clear(lin_sq *s)
{
	struct lin_sq_keys *k = s->keys;
	if (!k || !k->n)
		return;
	memset(k->cells, 0, (size_t)k->cap * sizeof *k->cells);
	k->n = 0;
	k->text_len = 0;
}

void lin_sq_keys_free(lin_sq *s)
{
	if (!s->keys)
		return;
	free(s->keys->cells);
	free(s->keys->text);
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
	size_t len;
	uint64_t h;
	if (!k || !k->n)
		return 0;
	len = strlen(key);
	h = hash_key(key, len);
	for (uint32_t i = (uint32_t)h & (k->cap - 1);; i = (i + 1) & (k->cap - 1)) {
		const key_cell *c = &k->cells[i];
		if (!c->hash)
			return 0;
		if (c->hash == h && !strcmp(k->text + c->off, key)) {
			*id = c->id;
			if (unknown)
				*unknown = (int)c->unknown;
			return 1;
		}
	}
}

static int grow(struct lin_sq_keys *k)
{
	uint32_t cap = k->cap ? k->cap * 2 : 1024;
	key_cell *cells = calloc(cap, sizeof *cells);
	if (!cells)
		return -1;
	for (uint32_t i = 0; i < k->cap; i++) {
		uint32_t j;
		if (!k->cells[i].hash)
			continue;
		for (j = (uint32_t)k->cells[i].hash & (cap - 1); cells[j].hash; j = (j + 1) & (cap - 1))
			;
		cells[j] = k->cells[i];
	}
	free(k->cells);
	k->cells = cells;
	k->cap = cap;
	return 0;
}

void lin_sq_keys_put(lin_sq *s, const char *key, int64_t id, int unknown)
{
	struct lin_sq_keys *k;
	size_t len = strlen(key);
	uint64_t h = hash_key(key, len);
	uint32_t i;
	if (!s->keys && s->in_write) {
		s->keys = calloc(1, sizeof *s->keys);
		if (!s->keys)
			return; /* only a cache */
		s->keys->tx = s->tx_count;
	}
	if (!(k = usable(s)))
		return;
	if (k->n >= MAX_KEYS || k->text_len + len + 1 > MAX_TEXT)
		lin_sq_keys_clear(s);
	if ((k->n + 1) * 2 > k->cap && grow(k))
		return;
	if (k->text_len + len + 1 > k->text_cap) {
		size_t cap = k->text_cap ? k->text_cap * 2 : 65536;
		char *t;
		while (cap < k->text_len + len + 1)
			cap *= 2;
		if (!(t = realloc(k->text, cap)))
			return;
		k->text = t;
		k->text_cap = cap;
	}
	for (i = (uint32_t)h & (k->cap - 1); k->cells[i].hash; i = (i + 1) & (k->cap - 1))
		if (k->cells[i].hash == h && !strcmp(k->text + k->cells[i].off, key))
			break;
	if (!k->cells[i].hash) {
		k->n++;
		k->cells[i].hash = h;
		k->cells[i].off = (uint32_t)k->text_len;
		memcpy(k->text + k->text_len, key, len + 1);
		k->text_len += len + 1;
	}
	k->cells[i].id = id;
	k->cells[i].unknown = (uint32_t)(unknown != 0);
}
