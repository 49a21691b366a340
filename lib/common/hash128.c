/* 128-bit identities of strings (see hash128.h). */
#include "hash128.h"

#include <string.h>

#include "util.h"

static uint64_t fmix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

static void mix_word(lin_idhash *h, uint64_t w)
{
	uint64_t f = fmix(w);
	h->a = (h->a ^ f) * 0x9E3779B97F4A7C15ULL;
	h->a ^= h->a >> 29;
	h->b = (h->b ^ (f + 0x632BE59BD9B4E019ULL)) * 0xD6E8FEB86659FD93ULL;
	h->b ^= h->b >> 31;
}

void lin_idhash_init(lin_idhash *h)
{
	h->a = LIN_HASH_INIT;
	h->b = 0x243F6A8885A308D3ULL;
}

void lin_idhash_str(lin_idhash *h, const char *s)
{
	size_t len = s ? strlen(s) : 0, n = len;
	const unsigned char *p = (const unsigned char *)s;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		mix_word(h, w);
		p += 8;
		n -= 8;
	}
	if (n) {
		uint64_t w = 0;
		memcpy(&w, p, n);
		mix_word(h, w ^ ((uint64_t)n << 56));
	}
	/* the end of the field, and NULL apart from "": ("ab","c") and ("a","bc") differ */
	mix_word(h, s ? 0x8000000000000000ULL | (uint64_t)len : 0x7FFFFFFFFFFFFFFFULL);
}

void lin_idhash_u64(lin_idhash *h, uint64_t v)
{
	mix_word(h, v);
}

lin_id lin_idhash_done(const lin_idhash *h)
{
	lin_id id = {fmix(h->a), fmix(h->b)};
	if (!id.a && !id.b)
		id.b = 1; /* {0,0} marks free slots */
	return id;
}
