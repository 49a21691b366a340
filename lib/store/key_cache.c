/* The asset key cache's table (key_cache.h): open addressing on the keys' hashes. */
#include <stdlib.h>
#include <string.h>

#include "key_cache.h"

static lin_id hash_key(const char *key)
{
	lin_idhash h;
	lin_idhash_init(&h);
	lin_idhash_str(&h, key);
	return lin_idhash_done(&h);
}

static int empty(const lin_key_cell *c)
{
	return !c->h.a && !c->h.b;
}

static lin_key_cell *find(const lin_key_cache *k, lin_id h)
{
	for (uint32_t i = (uint32_t)h.a & (k->cap - 1);; i = (i + 1) & (k->cap - 1)) {
		lin_key_cell *c = &k->cells[i];
		if (empty(c) || (c->h.a == h.a && c->h.b == h.b))
			return c;
	}
}

void lin_key_cache_free(lin_key_cache *k)
{
	free(k->cells);
	k->cells = NULL;
	k->cap = k->n = 0;
}

void lin_key_cache_clear(lin_key_cache *k)
{
	if (!k->n)
		return;
	if (k->cap > 65536) { /* a large table is not kept for a later transaction */
		lin_key_cache_free(k);
		return;
	}
	memset(k->cells, 0, (size_t)k->cap * sizeof *k->cells);
	k->n = 0;
}

int lin_key_cache_get(const lin_key_cache *k, const char *key, int64_t *id, int *unknown)
{
	const lin_key_cell *c;
	if (!k->n)
		return 0;
	c = find(k, hash_key(key));
	if (empty(c))
		return 0;
	*id = c->id;
	if (unknown)
		*unknown = (int)c->unknown;
	return 1;
}

static int grow(lin_key_cache *k)
{
	uint32_t cap = k->cap ? k->cap * 2 : 1024;
	lin_key_cell *old = k->cells;
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

int lin_key_cache_put(lin_key_cache *k, const char *key, int64_t id, int unknown)
{
	lin_key_cell *c;
	lin_id h;
	int forgot = 0;
	if (k->n >= LIN_KEY_CACHE_MAX) {
		lin_key_cache_clear(k);
		forgot = -1;
	}
	if ((k->n + 1) * 2 > k->cap && grow(k))
		return -1;
	h = hash_key(key);
	c = find(k, h);
	if (empty(c))
		k->n++;
	c->h = h;
	c->id = id;
	c->unknown = unknown != 0;
	return forgot;
}
