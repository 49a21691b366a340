/* Output sinks and CSV writing. */
#include "out.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "common/error.h"

void lin_out_file(lin_out *o, FILE *f, const char *name)
{
	memset(o, 0, sizeof *o);
	o->file = f;
	o->name = name ? name : "the output";
}

void lin_out_mem(lin_out *o)
{
	memset(o, 0, sizeof *o);
	o->name = "memory";
}

int lin_out_write(lin_out *o, const char *data, size_t len)
{
	if (o->failed)
		return LINEAGE_EIO;
	o->bytes += len;
	if (!o->file)
		return lin_strbuf_append(&o->mem, data, len);
	if (len && fwrite(data, 1, len, o->file) != len) {
		o->failed = 1;
		return lin_error_set(LINEAGE_EIO, "cannot write to %s: %s; check the disk space and "
				     "permissions", o->name, strerror(errno));
	}
	return 0;
}

int lin_out_puts(lin_out *o, const char *s)
{
	return lin_out_write(o, s, strlen(s));
}

int lin_out_printf(lin_out *o, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return lin_error_set(LINEAGE_ERROR, "formatting failed");
	if ((size_t)n < sizeof buf)
		return lin_out_write(o, buf, (size_t)n);
	{
		lin_strbuf sb = LIN_STRBUF_INIT;
		int rc;
		va_start(ap, fmt);
		rc = lin_strbuf_vprintf(&sb, fmt, ap);
		va_end(ap);
		if (rc == 0)
			rc = lin_out_write(o, sb.data, sb.len);
		lin_strbuf_free(&sb);
		return rc;
	}
}

int lin_out_finish(lin_out *o)
{
	if (o->failed)
		return LINEAGE_EIO;
	if (o->file && fflush(o->file) != 0) {
		o->failed = 1;
		return lin_error_set(LINEAGE_EIO, "cannot write to %s: %s; check the disk space and "
				     "permissions", o->name, strerror(errno));
	}
	return 0;
}

int lin_csv_field(lin_out *o, const char *value, int first)
{
	int rc;
	size_t len;
	if (!first && (rc = lin_out_write(o, ",", 1)) != 0)
		return rc;
	if (!value)
		return 0;
	len = strlen(value);
	if (len && strpbrk(value, ",\"\r\n") == NULL && value[0] != ' ' && value[len - 1] != ' ' &&
	    value[0] != '\t' && value[len - 1] != '\t')
		return lin_out_write(o, value, len);
	if (!len)
		return 0;
	if ((rc = lin_out_write(o, "\"", 1)) != 0)
		return rc;
	for (const char *p = value;;) {
		const char *q = strchr(p, '"');
		if (!q)
			break;
		if ((rc = lin_out_write(o, p, (size_t)(q - p + 1))) != 0 ||
		    (rc = lin_out_write(o, "\"", 1)) != 0)
			return rc;
		p = q + 1;
		value = p;
	}
	if ((rc = lin_out_puts(o, value)) != 0)
		return rc;
	return lin_out_write(o, "\"", 1);
}

int lin_csv_end(lin_out *o)
{
	return lin_out_write(o, "\r\n", 2);
}
