#include "pool.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"

#define CHUNK_MIN ((size_t)1 << 20)

typedef struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
} chunk;

struct lin_pool {
	atomic_int refs;
	chunk *head; /* the chunk being filled; older ones follow */
	size_t bytes;
};

lin_pool *lin_pool_new(void)
{
	lin_pool *p = calloc(1, sizeof *p);
	if (!p) {
		lin_error_oom();
		return NULL;
	}
	atomic_init(&p->refs, 1);
	return p;
}

const char *lin_pool_add(lin_pool *pool, const char *s, size_t len)
{
	chunk *c = pool->head;
	char *dst;
	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > CHUNK_MIN ? len + 1 : CHUNK_MIN;
		chunk *n = malloc(sizeof *n + size);
		if (!n) {
			lin_error_oom();
			return NULL;
		}
		n->next = c;
		n->used = 0;
		n->size = size;
		pool->head = c = n;
		pool->bytes += size;
	}
	dst = c->data + c->used;
	memcpy(dst, s, len);
	dst[len] = '\0';
	c->used += len + 1;
	return dst;
}

lin_pool *lin_pool_ref(lin_pool *pool)
{
	if (pool)
		atomic_fetch_add(&pool->refs, 1);
	return pool;
}

void lin_pool_unref(lin_pool *pool)
{
	chunk *c, *next;
	if (!pool || atomic_fetch_sub(&pool->refs, 1) != 1)
		return;
	for (c = pool->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(pool);
}

size_t lin_pool_bytes(const lin_pool *pool)
{
	return pool->bytes;
}
