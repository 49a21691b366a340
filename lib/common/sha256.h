/*
 * Internal: SHA-256 (FIPS 180-4), for storing API tokens hashed. A token carries 256 random
 * bits, so one unsalted SHA-256 is the standard: no slow password hash is needed, and the
 * stored digest reveals nothing usable. Tested against the FIPS 180-4 vectors
 * (tests/common/test_sha256.c).
 */
#ifndef LIN_COMMON_SHA256_H
#define LIN_COMMON_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define LIN_SHA256_SIZE 32

typedef struct lin_sha256 {
	uint32_t h[8];
	uint64_t bytes;    /* message length so far */
	uint8_t block[64]; /* pending input */
	size_t used;
} lin_sha256;

void lin_sha256_init(lin_sha256 *c);
void lin_sha256_update(lin_sha256 *c, const void *data, size_t len);
void lin_sha256_final(lin_sha256 *c, uint8_t out[LIN_SHA256_SIZE]);
/* The digest of `data` as 64 lowercase hex digits and a NUL. */
void lin_sha256_hex(const void *data, size_t len, char out[2 * LIN_SHA256_SIZE + 1]);

/* Whether a and b (n bytes each) are equal, in time that depends only on n. */
int lin_equal_consttime(const void *a, const void *b, size_t n);

#endif
