/*
 * Internal: bump allocation, freed all at once — the scanners' parse trees and strings (one
 * arena per SQL statement or script, one per Airflow file). A limit bounds what an input can
 * make the parser allocate.
 */
#ifndef LIN_COMMON_ARENA_H
#define LIN_COMMON_ARENA_H

#include <stddef.h>

typedef struct lin_arena_block lin_arena_block;
typedef struct lin_arena {
	lin_arena_block *head;
	size_t used_total; /* bytes handed out since the last reset */
	size_t limit;      /* 0: none; above it lin_arena_alloc returns NULL */
} lin_arena;

void lin_arena_init(lin_arena *a, size_t limit);
/* Zeroed, aligned for any type; NULL when out of memory or over the limit. */
void *lin_arena_alloc(lin_arena *a, size_t size);
/* The same, not zeroed: for buffers the caller fills entirely (strings on hot paths). */
void *lin_arena_alloc_uninit(lin_arena *a, size_t size);
char *lin_arena_strndup(lin_arena *a, const char *s, size_t n);
void lin_arena_reset(lin_arena *a); /* keep the first block, drop the rest */
void lin_arena_free(lin_arena *a);

#endif
