/*
 * Internal: an append-only, reference-counted string pool. Strings never move once added,
 * so results can point into the pool and outlive the engine that filled it: a result keeps
 * a reference, and the pool is freed when the engine and the last result let go of it.
 */
#ifndef LIN_ENGINE_POOL_H
#define LIN_ENGINE_POOL_H

#include <stddef.h>

typedef struct lin_pool lin_pool;

/* A new pool with one reference; NULL (ENOMEM set) on failure. */
lin_pool *lin_pool_new(void);
/* Copy `len` bytes of `s` (plus a NUL) into the pool; NULL (ENOMEM set) on failure. */
const char *lin_pool_add(lin_pool *pool, const char *s, size_t len);
lin_pool *lin_pool_ref(lin_pool *pool);
/* Drop a reference; frees the pool at zero. NULL is a no-op. Any thread. */
void lin_pool_unref(lin_pool *pool);
/* Bytes held (for statistics). */
size_t lin_pool_bytes(const lin_pool *pool);

#endif
