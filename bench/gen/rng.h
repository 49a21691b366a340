/* A small, fast, seedable random generator (xoshiro256**) for the benchmark generator. */
#ifndef LBENCH_RNG_H
#define LBENCH_RNG_H

#include <stdint.h>

typedef struct lbench_rng {
	uint64_t s[4];
} lbench_rng;

static inline uint64_t lbench_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline void lbench_rng_seed(lbench_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = lbench_splitmix64(&seed);
}

static inline uint64_t lbench_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t lbench_rng_next(lbench_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = lbench_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = lbench_rotl(s[3], 45);
	return result;
}

/* Uniform in [0, 1). */
static inline double lbench_rng_unit(lbench_rng *r)
{
	return (double)(lbench_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform in [0, n); n > 0. The modulo bias is negligible for the sizes used here. */
static inline uint64_t lbench_rng_below(lbench_rng *r, uint64_t n)
{
	return lbench_rng_next(r) % n;
}

#endif
