/* Internal: a growable byte buffer that is always NUL-terminated. */
#ifndef LIN_COMMON_STRBUF_H
#define LIN_COMMON_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "error.h"

typedef struct lin_strbuf {
	char *data; /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
} lin_strbuf;

#define LIN_STRBUF_INIT {NULL, 0, 0}

/* Each returns 0 or LINEAGE_ENOMEM (with the last error set). */
int lin_strbuf_grow(lin_strbuf *sb, size_t extra);
int lin_strbuf_append(lin_strbuf *sb, const char *data, size_t len);
int lin_strbuf_puts(lin_strbuf *sb, const char *s);
int lin_strbuf_putc(lin_strbuf *sb, char c);
int lin_strbuf_printf(lin_strbuf *sb, const char *fmt, ...) LIN_PRINTF(2, 3);
int lin_strbuf_vprintf(lin_strbuf *sb, const char *fmt, va_list ap);
void lin_strbuf_reset(lin_strbuf *sb); /* keep the memory, empty the text */
void lin_strbuf_free(lin_strbuf *sb);
/* Hand the text over to the caller (never NULL: "" when empty); the buffer is emptied. */
char *lin_strbuf_detach(lin_strbuf *sb);

#endif
