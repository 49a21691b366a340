/* The thread-local last error. Messages live in a fixed buffer so that reporting an error
 * never needs memory (ENOMEM must be reportable). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MESSAGE_MAX 1024

static _Thread_local int last_code;
static _Thread_local char last_message[MESSAGE_MAX];
static _Thread_local lineage_error last_error;

int lin_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_message, sizeof last_message, fmt, ap);
	va_end(ap);
	last_code = code;
	return code;
}

int lin_error_prefix(const char *fmt, ...)
{
	char prefix[MESSAGE_MAX];
	char old[MESSAGE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, last_message, sizeof old);
	/* A message too long for the buffer is cut; that is acceptable for a diagnostic. */
	if (snprintf(last_message, sizeof last_message, "%s: %s", prefix, old) < 0)
		last_message[0] = '\0';
	return last_code;
}

int lin_error_oom(void)
{
	return lin_error_set(LINEAGE_ENOMEM, "out of memory: free some memory or work on a smaller input");
}

int lin_error_code(void)
{
	return last_code;
}

const lineage_error *lineage_error_last(void)
{
	last_error.code = last_code;
	last_error.message = last_code ? last_message : "no error";
	return &last_error;
}

void lineage_error_clear(void)
{
	last_code = 0;
	last_message[0] = '\0';
}

const char *lineage_error_code_name(int code)
{
	switch (code) {
	case LINEAGE_OK: return "OK";
	case LINEAGE_ERROR: return "ERROR";
	case LINEAGE_ENOTFOUND: return "ENOTFOUND";
	case LINEAGE_EEXISTS: return "EEXISTS";
	case LINEAGE_EINVALID: return "EINVALID";
	case LINEAGE_ECONFLICT: return "ECONFLICT";
	case LINEAGE_EVERSION: return "EVERSION";
	case LINEAGE_ENOTDB: return "ENOTDB";
	case LINEAGE_EREADONLY: return "EREADONLY";
	case LINEAGE_EFULL: return "EFULL";
	case LINEAGE_ENOMEM: return "ENOMEM";
	case LINEAGE_EBUSY: return "EBUSY";
	case LINEAGE_ECANCELLED: return "ECANCELLED";
	case LINEAGE_EPARSE: return "EPARSE";
	case LINEAGE_EIO: return "EIO";
	case LINEAGE_ECYCLE: return "ECYCLE";
	case LINEAGE_ELIMIT: return "ELIMIT";
	case LINEAGE_EUSAGE: return "EUSAGE";
	case LINEAGE_ITEROVER: return "ITEROVER";
	default: return "EUNKNOWN";
	}
}
