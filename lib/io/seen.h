/*
 * Internal: the identities (asset keys, edge identities) that a file's rows had so far, each
 * with the first row that had it and a digest of that row — what the rules across rows need
 * (a repeated or conflicting row). In memory (lin_idmap, 32 bytes an entry) up to a budget;
 * past it, the rest goes to a private temporary SQLite file, so memory stops growing with the
 * file: a file of ten million distinct edges costs the budget and a file on disk.
 */
#ifndef LIN_IO_SEEN_H
#define LIN_IO_SEEN_H

#include <stddef.h>
#include <stdint.h>

#include "idmap.h"

typedef struct lin_seen_disk lin_seen_disk;

typedef struct lin_seen {
	lin_idmap mem;
	size_t budget;       /* entries kept in memory */
	lin_seen_disk *disk; /* the rest, once there is a rest */
	uint64_t count;
} lin_seen;

/* Entries kept in memory by default: 1,572,864, a table of 2^21 slots (64 MiB). Past it,
 * each row costs a b-tree lookup and insert on disk, several times the map's cost: the
 * budget covers files of a million and a half edges. Tests lower it. */
extern size_t lin_seen_default_budget;

void lin_seen_init(lin_seen *s);
/* 1 with *row and *digest when `id` was seen; 0 when not; a negative error (EIO, ENOMEM). */
int lin_seen_get(lin_seen *s, lin_id id, uint64_t *row, uint64_t *digest);
/* Remember `id` (not seen yet). 0 or a negative error. */
int lin_seen_put(lin_seen *s, lin_id id, uint64_t row, uint64_t digest);
/* Make room in memory for n entries at once (at most the budget). */
int lin_seen_reserve(lin_seen *s, size_t n);
void lin_seen_free(lin_seen *s);

#endif
