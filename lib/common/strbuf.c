#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int lin_strbuf_grow(lin_strbuf *sb, size_t extra)
{
	size_t need, cap;
	char *p;
	if (extra > (size_t)-1 / 2 - sb->len)
		return lin_error_oom();
	need = sb->len + extra + 1;
	if (need <= sb->cap)
		return 0;
	cap = sb->cap ? sb->cap : 64;
	while (cap < need)
		cap *= 2;
	p = realloc(sb->data, cap);
	if (!p)
		return lin_error_oom();
	sb->data = p;
	sb->cap = cap;
	return 0;
}

int lin_strbuf_append(lin_strbuf *sb, const char *data, size_t len)
{
	int rc = lin_strbuf_grow(sb, len);
	if (rc)
		return rc;
	if (len)
		memcpy(sb->data + sb->len, data, len);
	sb->len += len;
	sb->data[sb->len] = '\0';
	return 0;
}

int lin_strbuf_puts(lin_strbuf *sb, const char *s)
{
	return lin_strbuf_append(sb, s, strlen(s));
}

int lin_strbuf_putc(lin_strbuf *sb, char c)
{
	return lin_strbuf_append(sb, &c, 1);
}

int lin_strbuf_vprintf(lin_strbuf *sb, const char *fmt, va_list ap)
{
	va_list copy;
	int n, rc;
	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return lin_error_set(LINEAGE_ERROR, "could not format text");
	rc = lin_strbuf_grow(sb, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
	return 0;
}

int lin_strbuf_printf(lin_strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int rc;
	va_start(ap, fmt);
	rc = lin_strbuf_vprintf(sb, fmt, ap);
	va_end(ap);
	return rc;
}

void lin_strbuf_reset(lin_strbuf *sb)
{
	sb->len = 0;
	if (sb->data)
		sb->data[0] = '\0';
}

void lin_strbuf_free(lin_strbuf *sb)
{
	free(sb->data);
	sb->data = NULL;
	sb->len = sb->cap = 0;
}

char *lin_strbuf_detach(lin_strbuf *sb)
{
	char *out = sb->data;
	if (!out)
		out = calloc(1, 1);
	sb->data = NULL;
	sb->len = sb->cap = 0;
	return out;
}
