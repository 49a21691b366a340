/*
 * Internal: the cycle rule of bulk import. An edge kind declared with allows_cycles = 0
 * (lineage_edge_kind_define) must not close a cycle among active edges of that kind. On the
 * first row of such a kind, that kind's active edges are read once into an adjacency list
 * (asset ids); each new row is checked by an iterative search from its target back to its
 * source, then added. Memory grows with the edges of the kinds that forbid cycles only.
 */
#ifndef LIN_IO_CYCLES_H
#define LIN_IO_CYCLES_H

#include "idmap.h"
#include "lineage/lineage.h"

typedef struct lin_adj_entry {
	int64_t to;
	size_t next; /* index + 1 of the next entry of the same node, 0 at the end */
} lin_adj_entry;

typedef struct lin_cycles {
	lineage_db *db;
	lin_idmap heads;     /* (node id, kind) -> head entry index + 1 (row), visit mark (digest) */
	lin_adj_entry *pool;
	size_t npool, cap_pool;
	char *loaded[64];    /* kinds read from the store */
	size_t nloaded;
	uint64_t generation; /* visit marks of the current search */
	int64_t *stack;
	size_t cap_stack;
} lin_cycles;

void lin_cycles_init(lin_cycles *c, lineage_db *db);
void lin_cycles_free(lin_cycles *c);

/* Whether an edge of `kind` from asset `source_id` to `target_id` would close a cycle of
 * that kind (*closes: 0 or 1). Returns 0 or an error. */
int lin_cycles_check(lin_cycles *c, const char *kind, int64_t source_id, int64_t target_id,
		     int *closes);
/* Add an edge written by the import. */
int lin_cycles_add(lin_cycles *c, const char *kind, int64_t source_id, int64_t target_id);

#endif
