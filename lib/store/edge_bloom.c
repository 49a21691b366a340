/* The Bloom filter of edge identities shared by the backends' bulk paths (edge_bloom.h). */
#include <stdlib.h>

#include "edge_bloom.h"
#include "common/error.h"
#include "common/hash128.h"

#define BLOOM_MIN_BITS ((uint64_t)1 << 16)
#define BLOOM_MAX_BITS ((uint64_t)1 << 28) /* 32 MiB */
#define BLOOM_PROBES 4

int lin_edge_bloom_init(lin_edge_bloom *b, uint64_t edges)
{
	uint64_t bits = BLOOM_MIN_BITS;
	while (bits < BLOOM_MAX_BITS && bits < 16 * edges)
		bits *= 2;
	b->bits = bits;
	if (!(b->words = calloc(bits / 64, sizeof *b->words)))
		return lin_error_oom();
	return 0;
}

void lin_edge_bloom_free(lin_edge_bloom *b)
{
	free(b->words);
	b->words = NULL;
	b->bits = 0;
}

uint64_t lin_edge_identity(int64_t source, int64_t target, const char *kind, int64_t job)
{
	lin_idhash h;
	uint64_t v;
	lin_idhash_init(&h);
	lin_idhash_u64(&h, (uint64_t)source);
	lin_idhash_u64(&h, (uint64_t)target);
	lin_idhash_str(&h, kind);
	lin_idhash_u64(&h, (uint64_t)job);
	v = lin_idhash_done(&h).a;
	return v ? v : 1;
}

int lin_edge_bloom_add(lin_edge_bloom *b, uint64_t h)
{
	uint64_t step = (h >> 32 | h << 32) | 1; /* double hashing: probes h + i * step */
	int present = 1;
	for (int i = 0; i < BLOOM_PROBES; i++, h += step) {
		uint64_t bit = h & (b->bits - 1), *word = &b->words[bit / 64], mask = 1ULL << bit % 64;
		if (!(*word & mask)) {
			present = 0;
			*word |= mask;
		}
	}
	return present;
}

int lin_edge_bloom_has(const lin_edge_bloom *b, uint64_t h)
{
	uint64_t step = (h >> 32 | h << 32) | 1;
	for (int i = 0; i < BLOOM_PROBES; i++, h += step) {
		uint64_t bit = h & (b->bits - 1);
		if (!(b->words[bit / 64] & 1ULL << bit % 64))
			return 0;
	}
	return 1;
}
