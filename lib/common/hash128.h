/*
 * Internal: 128-bit hashes of strings and numbers, for identities kept only in memory (the
 * import's row identities, the store's key cache). Two 64-bit chains with independent
 * multipliers, fed a word at a time through a bijective finaliser: a false match between
 * distinct inputs has a chance of about 2^-100 among a million. Nothing stores these
 * values, so they may change between versions.
 */
#ifndef LIN_COMMON_HASH128_H
#define LIN_COMMON_HASH128_H

#include <stdint.h>

typedef struct lin_id {
	uint64_t a, b;
} lin_id;

/* Feed fields (NULL allowed: it differs from "") into a hasher, then finish. */
typedef struct lin_idhash {
	uint64_t a, b;
} lin_idhash;

void lin_idhash_init(lin_idhash *h);
void lin_idhash_str(lin_idhash *h, const char *s);
void lin_idhash_u64(lin_idhash *h, uint64_t v);
/* Never {0, 0} (free for "empty" marks). */
lin_id lin_idhash_done(const lin_idhash *h);

#endif
