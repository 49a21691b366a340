/*
 * Internal: a compact hash map from 128-bit identities (of asset keys or edge identities) to
 * the first row that had them and a digest of that row's content. 32 bytes an entry, no
 * strings: memory grows with the identities put in it (a file's rows use lin_seen, which
 * bounds it).
 */
#ifndef LIN_IO_IDMAP_H
#define LIN_IO_IDMAP_H

#include <stddef.h>
#include <stdint.h>

#include "common/hash128.h"

typedef struct lin_idmap_entry {
	lin_id id;      /* {0,0} marks a free slot */
	uint64_t row;
	uint64_t digest;
} lin_idmap_entry;

typedef struct lin_idmap {
	lin_idmap_entry *slots;
	size_t cap; /* a power of two */
	size_t count;
} lin_idmap;

/* Find `id`; NULL when absent. */
lin_idmap_entry *lin_idmap_find(const lin_idmap *m, lin_id id);
/* Insert `id` (absent) with row and digest. 0 or ENOMEM. */
int lin_idmap_put(lin_idmap *m, lin_id id, uint64_t row, uint64_t digest);
/* Make room for n entries at once (growing by doubling holds the old and the new table
 * together for a moment). 0 or ENOMEM. */
int lin_idmap_reserve(lin_idmap *m, size_t n);
void lin_idmap_free(lin_idmap *m);

#endif
