/* Open-addressing hash map of 128-bit identities. Two 64-bit hashes with independent
 * multipliers, read a word at a time (each word goes through a bijective finaliser first),
 * make a false match between distinct rows negligible (about 2^-100 for a million rows).
 * Only in memory: nothing stores these values, so they may change between versions. */
#include "idmap.h"

#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"

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

static size_t slot_of(const lin_idmap *m, lin_id id)
{
	return (size_t)(id.a ^ (id.b >> 7)) & (m->cap - 1);
}

lin_idmap_entry *lin_idmap_find(const lin_idmap *m, lin_id id)
{
	size_t i;
	if (!m->cap)
		return NULL;
	for (i = slot_of(m, id);; i = (i + 1) & (m->cap - 1)) {
		lin_idmap_entry *e = &m->slots[i];
		if (!e->id.a && !e->id.b)
			return NULL;
		if (e->id.a == id.a && e->id.b == id.b)
			return e;
	}
}

static int grow(lin_idmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	lin_idmap_entry *old = m->slots;
	size_t old_cap = m->cap;
	m->slots = calloc(cap, sizeof *m->slots);
	if (!m->slots) {
		m->slots = old;
		return lin_error_oom();
	}
	m->cap = cap;
	for (size_t i = 0; i < old_cap; i++) {
		if (old[i].id.a || old[i].id.b) {
			size_t j = slot_of(m, old[i].id);
			while (m->slots[j].id.a || m->slots[j].id.b)
				j = (j + 1) & (cap - 1);
			m->slots[j] = old[i];
		}
	}
	free(old);
	return 0;
}

int lin_idmap_put(lin_idmap *m, lin_id id, uint64_t row, uint64_t digest)
{
	size_t i;
	int rc;
	if ((m->count + 1) * 4 > m->cap * 3 && (rc = grow(m)) != 0)
		return rc;
	for (i = slot_of(m, id); m->slots[i].id.a || m->slots[i].id.b; i = (i + 1) & (m->cap - 1))
		;
	m->slots[i].id = id;
	m->slots[i].row = row;
	m->slots[i].digest = digest;
	m->count++;
	return 0;
}

void lin_idmap_free(lin_idmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof *m);
}
