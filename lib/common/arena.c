/* Bump allocation (arena.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct lin_arena_block {
	lin_arena_block *next;
	size_t size, used;
	/* data follows, 16-aligned */
	_Alignas(16) unsigned char data[];
};

#define ARENA_MIN_BLOCK (64u * 1024u)

void lin_arena_init(lin_arena *a, size_t limit)
{
	a->head = NULL;
	a->used_total = 0;
	a->limit = limit;
}

/* A new head block with room for size bytes (rare: kept out of take's fast path). */
static __attribute__((noinline)) lin_arena_block *grow(lin_arena *a, size_t size)
{
	lin_arena_block *b = a->head;
	size_t bs = size > ARENA_MIN_BLOCK ? size : ARENA_MIN_BLOCK;
	if (b && b->size * 2 > bs && b->size < 16u * 1024u * 1024u)
		bs = b->size * 2;
	b = malloc(sizeof *b + bs);
	if (!b)
		return NULL;
	b->size = bs;
	b->used = 0;
	b->next = a->head;
	a->head = b;
	return b;
}

/* Not zeroed. */
static inline void *take(lin_arena *a, size_t size)
{
	lin_arena_block *b = a->head;
	if (size > SIZE_MAX - 15u)
		return NULL;
	size = size ? (size + 15u) & ~(size_t)15u : 16; /* 16-aligned blocks: every allocation is */
	if (a->limit && (size > a->limit || a->used_total > a->limit - size))
		return NULL;
	if ((!b || b->size - b->used < size) && !(b = grow(a, size)))
		return NULL;
	void *p = b->data + b->used;
	b->used += size;
	a->used_total += size;
	return p;
}

void *lin_arena_alloc(lin_arena *a, size_t size)
{
	void *p = take(a, size);
	if (p)
		memset(p, 0, size);
	return p;
}

void *lin_arena_alloc_uninit(lin_arena *a, size_t size)
{
	return take(a, size);
}

char *lin_arena_strndup(lin_arena *a, const char *s, size_t n)
{
	char *p = take(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void lin_arena_reset(lin_arena *a)
{
	lin_arena_block *b = a->head, *keep = NULL;
	/* keep the oldest (last in the list) block: usually the only one needed */
	while (b) {
		lin_arena_block *next = b->next;
		if (!next)
			keep = b;
		else
			free(b);
		b = next;
	}
	if (keep) {
		keep->used = 0;
		keep->next = NULL;
	}
	a->head = keep;
	a->used_total = 0;
}

void lin_arena_free(lin_arena *a)
{
	lin_arena_block *b = a->head;
	while (b) {
		lin_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used_total = 0;
}
