/*
 * Internal: output sinks (a FILE *, or memory) and CSV writing, shared by the rejects file
 * and every exporter.
 */
#ifndef LIN_IO_OUT_H
#define LIN_IO_OUT_H

#include <stdio.h>

#include "common/strbuf.h"

typedef struct lin_out {
	FILE *file;        /* NULL: write to mem */
	lin_strbuf mem;
	const char *name;  /* for messages */
	int failed;        /* a write failed (EIO already set) */
	uint64_t bytes;
} lin_out;

void lin_out_file(lin_out *o, FILE *f, const char *name);
void lin_out_mem(lin_out *o);
int lin_out_write(lin_out *o, const char *data, size_t len);
int lin_out_puts(lin_out *o, const char *s);
int lin_out_printf(lin_out *o, const char *fmt, ...) LIN_PRINTF(2, 3);
/* Flush a file sink; EIO when any write failed. */
int lin_out_finish(lin_out *o);

/* One CSV field (quoted when it holds the delimiter, a quote, CR, LF or surrounding space),
 * preceded by the delimiter unless it is the first of its line. NULL writes nothing. */
int lin_csv_field(lin_out *o, const char *value, int first);
int lin_csv_end(lin_out *o); /* CRLF, as RFC 4180 says */

#endif
