/*
 * Internal: a compact hash map from 128-bit identities (of asset keys or edge identities) to
 * the first row that had them and a digest of that row's content. 32 bytes an entry, no
 * strings: memory grows with the distinct identities of a file, not with its size.
 */
#ifndef LIN_IO_IDMAP_H
#define LIN_IO_IDMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct lin_id {
	uint64_t a, b;
} lin_id;

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
void lin_idmap_free(lin_idmap *m);

/* Building identities: feed fields (NULL allowed) into a hasher, then finish. */
typedef struct lin_idhash {
	uint64_t a, b;
} lin_idhash;

void lin_idhash_init(lin_idhash *h);
void lin_idhash_str(lin_idhash *h, const char *s);
void lin_idhash_u64(lin_idhash *h, uint64_t v);
lin_id lin_idhash_done(const lin_idhash *h);

#endif
