/*
 * Internal: the reading side of a one-pass import, on a second thread. The thread reads and
 * validates rows, with a validation context of its own, into batches of copies; the caller
 * takes them in order and writes them. Parsing and validating are about a quarter of an
 * import's work: on a second core they overlap the writes. Memory is bounded: a few batches
 * of at most 256 rows or 1 MiB (plus one record) are in flight.
 */
#ifndef LIN_IO_PREFETCH_H
#define LIN_IO_PREFETCH_H

#include "reader.h"
#include "validate.h"

/* A row as the thread read and validated it. Valid until the next call to
 * lin_prefetch_next(). */
typedef struct lin_fetched {
	lin_raw raw;        /* a copy of the record as read */
	lin_row row;        /* the validated row (strings copied too) */
	int invalid;        /* the validation found errors, listed in `errors` */
	int duplicate;      /* repeats an identical earlier row: written once */
	const char *errors; /* the row's error messages, for a rejects file, or NULL */
} lin_fetched;

typedef struct lin_prefetch lin_prefetch;

/*
 * Start reading `r` and validating with `v` on a new thread. Until lin_prefetch_free() the
 * thread owns both: `v` must have no database (lin_vctx_read_kinds() first), and its report
 * is read only after that.
 */
int lin_prefetch_start(lin_prefetch **out, lin_reader *r, lin_vctx *v);

/* The next row: 0 with *out set; LINEAGE_ITEROVER at the end; or the error that stopped the
 * reading (EPARSE, ELIMIT, EIO, ENOMEM), with its message set on the calling thread. */
int lin_prefetch_next(lin_prefetch *p, const lin_fetched **out);

/* The rows after the one just taken, in the same batch: *rows points to them (valid until
 * lin_prefetch_next() moves to another batch). For reading their stored state ahead. */
size_t lin_prefetch_rest(const lin_prefetch *p, const lin_fetched **rows);

/* Bytes of input read up to the rows taken so far (for progress). */
uint64_t lin_prefetch_consumed(const lin_prefetch *p);

/* Stop the thread if it still runs, wait for it, and free. NULL is fine. */
void lin_prefetch_free(lin_prefetch *p);

#endif
