/*
 * Internal to lib/store/: the identities of the edges a bulk write may meet, in a Bloom filter
 * (16 bits an edge, 4 probes: about 1 in 400 new edges looks stored; at most 32 MiB, however
 * many edges). An insert "only if new" of an identity surely not in it cannot conflict, so a
 * backend may keep it and write it later with hundreds of others (sqlite/sq_edge_batch.c,
 * postgres/pg_bulk.c); one that may be in it takes the single-row path, which finds out.
 */
#ifndef LIN_STORE_EDGE_BLOOM_H
#define LIN_STORE_EDGE_BLOOM_H

#include <stdint.h>

typedef struct lin_edge_bloom {
	uint64_t *words;
	uint64_t bits; /* a power of two */
} lin_edge_bloom;

/* Sized for about `edges` identities. 0 or ENOMEM. */
int lin_edge_bloom_init(lin_edge_bloom *b, uint64_t edges);
void lin_edge_bloom_free(lin_edge_bloom *b);

/* An edge's identity (source, target, kind, job; job 0 for none), hashed. */
uint64_t lin_edge_identity(int64_t source, int64_t target, const char *kind, int64_t job);

/* Add an identity; 1 when it may have been there already. */
int lin_edge_bloom_add(lin_edge_bloom *b, uint64_t h);
/* 1 when an identity may be there (nothing added). */
int lin_edge_bloom_has(const lin_edge_bloom *b, uint64_t h);

#endif
