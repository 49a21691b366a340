/*
 * Internal to lib/store/: asset key -> (id, kind is "unknown"), remembered by a backend inside
 * one write transaction (sqlite/sq_keys.c, postgres/pg_keys.c say when it is true). A key is
 * remembered by its 128-bit hash (common/hash128.h), so a hit reads one cell and no text.
 * Bounded: full, it starts again empty.
 */
#ifndef LIN_STORE_KEY_CACHE_H
#define LIN_STORE_KEY_CACHE_H

#include <stdint.h>

#include "common/hash128.h"

/* 2M keys (128 MiB of cells at most, freed when emptied): a whole 1M-asset store fits, so
 * an import into it asks the server nothing about keys (each read of keys is a round trip
 * in PostgreSQL) */
#define LIN_KEY_CACHE_MAX (1u << 21)

typedef struct lin_key_cell {
	lin_id h; /* the key's hash; {0, 0}: an empty cell */
	int64_t id;
	int64_t unknown;
} lin_key_cell;

typedef struct lin_key_cache {
	lin_key_cell *cells;
	uint32_t cap, n;
} lin_key_cache;

/* 1 when `key` is known (then *id and, unless NULL, *unknown are set). */
int lin_key_cache_get(const lin_key_cache *k, const char *key, int64_t *id, int *unknown);
/* Remember `key`: 0; -1 when the cache forgot entries to make room, or could not keep this
 * one (memory is short): only a cache, but it no longer holds everything it was given. */
int lin_key_cache_put(lin_key_cache *k, const char *key, int64_t id, int unknown);
void lin_key_cache_clear(lin_key_cache *k);
void lin_key_cache_free(lin_key_cache *k);

#endif
