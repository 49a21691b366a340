/*
 * Internal: an input that can be read twice (validation, then writing), from a path, a
 * FILE * or memory. A stream that cannot seek (a pipe) is copied to a temporary file while
 * the first pass reads it, and the second pass reads that copy: memory stays bounded, and a
 * first pass that stops early (a gigabyte-long line) stops copying too. An import that
 * reads its input once says so first (lin_src_read_once), and nothing is copied.
 */
#ifndef LIN_IO_SRC_H
#define LIN_IO_SRC_H

#include <stdint.h>
#include <stdio.h>

typedef struct lin_src {
	FILE *file;               /* NULL for memory */
	int own_file;             /* fclose at the end */
	long start;               /* where reading starts in `file` */
	const unsigned char *mem; /* memory input */
	size_t mem_len;
	size_t mem_pos;
	uint64_t size;            /* bytes to read, 0 when unknown */
	uint64_t consumed;        /* bytes read so far in this pass */
	char name[256];           /* for messages: the file's name, or "memory" */
	int stream;               /* a stream that cannot seek: read through `head` and `tee` */
	FILE *tee;                /* the copy of such a stream, during pass 1 (none when read
				   once) */
	unsigned char head[512];  /* bytes peeked from such a stream, served first */
	size_t head_len, head_pos;
	FILE *owned_stream;       /* a pipe opened by path: closed at the end */
} lin_src;

/* Open a path. EIO with the path and the reason when it cannot be read. */
int lin_src_open_path(lin_src *src, const char *path);
/* Use an open stream from its current position (not closed by lin_src_close). */
int lin_src_open_file(lin_src *src, FILE *file);
/* Use memory (not copied). */
void lin_src_open_mem(lin_src *src, const void *data, size_t len);
/* Read up to `n` bytes; returns how many (0 at the end); *err gets EIO on a read error. */
size_t lin_src_read(lin_src *src, void *buf, size_t n, int *err);
/* The input will be read once: a stream that cannot seek is no longer copied. */
void lin_src_read_once(lin_src *src);
/* Records in the whole input, estimated from `done` records read in `consumed` bytes (`done`
 * when the size is unknown). */
uint64_t lin_src_estimate_records(const lin_src *src, uint64_t done, uint64_t consumed);
/* Go back to the start for another pass (EUSAGE for a stream read once). */
int lin_src_rewind(lin_src *src);
/* Peek at the first bytes without consuming them (for format detection). */
size_t lin_src_peek(lin_src *src, void *buf, size_t n);
void lin_src_close(lin_src *src);

#endif
