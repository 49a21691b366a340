/* Internal: a set of int64 values (edge ids, path hashes) for deduplication. */
#ifndef LIN_ENGINE_IDSET_H
#define LIN_ENGINE_IDSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct lin_idset {
	uint64_t *a; /* value + 1; 0 marks an empty cell */
	size_t cap, n;
} lin_idset;

#define LIN_IDSET_INIT {NULL, 0, 0}

/* Add x: 0 when added, 1 when it was there, ENOMEM. */
int lin_idset_add(lin_idset *s, int64_t x);
void lin_idset_free(lin_idset *s);

#endif
