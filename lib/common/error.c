/* The thread-local last error. Messages live in a fixed buffer so that reporting an error
 * never needs memory (ENOMEM must be reportable). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MESSAGE_MAX 1024

static _Thread_local int last_code;
static _Thread_local char last_message[MESSAGE_MAX];
static _Thread_local char last_problem[MESSAGE_MAX]; /* the message without its advice */
static _Thread_local char last_arg[MESSAGE_MAX / 2];
static _Thread_local int last_hint;
static _Thread_local lineage_error last_error;

/* The C wording of each hint: the other surfaces word their own (see errors.h). */
static void c_advice(char *buf, size_t cap, int hint, const char *arg)
{
	switch (hint) {
	case LINEAGE_HINT_FIND_ASSET: snprintf(buf, cap, "check the spelling (keys are case-sensitive) or find it with lineage_asset_search()"); break;
	case LINEAGE_HINT_DECLARE_ASSET_KIND: snprintf(buf, cap, "declare it first with lineage_asset_kind_define(db, \"%.100s\")", arg); break;
	case LINEAGE_HINT_DECLARE_EDGE_KIND: snprintf(buf, cap, "use kind \"update\", or declare the kind with lineage_edge_kind_define(db, \"%.100s\", 1, ...)", arg); break;
	case LINEAGE_HINT_REMOVE_CASCADE: snprintf(buf, cap, "remove them first, or pass LINEAGE_REMOVE_CASCADE"); break;
	case LINEAGE_HINT_OPEN_WRITABLE: snprintf(buf, cap, "open it without LINEAGE_OPEN_READONLY"); break;
	case LINEAGE_HINT_OPEN_READONLY: snprintf(buf, cap, "make the file writable, or open it with LINEAGE_OPEN_READONLY"); break;
	case LINEAGE_HINT_OPEN_CREATE: snprintf(buf, cap, "check the path, or open without LINEAGE_OPEN_NOCREATE to create it"); break;
	case LINEAGE_HINT_BEGIN: snprintf(buf, cap, "call lineage_db_begin() first"); break;
	case LINEAGE_HINT_BATCH_IDS: snprintf(buf, cap, "take batch ids from the audit trail (lineage_changes_since())"); break;
	case LINEAGE_HINT_CREATE_MISSING: snprintf(buf, cap, "add it first, or set create_missing in the spec"); break;
	default: buf[0] = '\0';
	}
}

/* The advice in words that name no surface's command, for reports every surface shows. */
static const char *plain_advice(int hint)
{
	switch (hint) {
	case LINEAGE_HINT_FIND_ASSET: return "check the spelling (keys are case-sensitive)";
	case LINEAGE_HINT_DECLARE_ASSET_KIND: return "correct it, or declare the kind first";
	case LINEAGE_HINT_DECLARE_EDGE_KIND: return "use kind \"update\", or declare the kind as allowing self-loops";
	case LINEAGE_HINT_REMOVE_CASCADE: return "remove them first, or remove it with all it contains";
	case LINEAGE_HINT_OPEN_WRITABLE: return "open it for writing";
	case LINEAGE_HINT_OPEN_READONLY: return "make the file writable, or open it read-only";
	case LINEAGE_HINT_OPEN_CREATE: return "check the path";
	case LINEAGE_HINT_BEGIN: return "begin one first";
	case LINEAGE_HINT_BATCH_IDS: return "take batch ids from the audit trail";
	case LINEAGE_HINT_CREATE_MISSING: return "add it first, or create missing assets";
	default: return "";
	}
}

const char *lin_error_plain(void)
{
	static _Thread_local char plain[MESSAGE_MAX];
	const char *advice = plain_advice(last_hint);
	if (!*advice)
		return last_message;
	if (snprintf(plain, sizeof plain, "%s: %s", last_problem, advice) < 0)
		plain[0] = '\0';
	return plain;
}

/* last_message from last_problem and the hint's C advice. */
static void compose(void)
{
	char advice[MESSAGE_MAX / 2];
	c_advice(advice, sizeof advice, last_hint, last_arg);
	/* A message too long for the buffer is cut; that is acceptable for a diagnostic. */
	if (snprintf(last_message, sizeof last_message, "%s%s%s", last_problem, *advice ? ": " : "", advice) < 0)
		last_message[0] = '\0';
}

static int set(int code, int hint, const char *arg, const char *fmt, va_list ap) LIN_PRINTF(4, 0);
static int set(int code, int hint, const char *arg, const char *fmt, va_list ap)
{
	vsnprintf(last_problem, sizeof last_problem, fmt, ap);
	snprintf(last_arg, sizeof last_arg, "%s", arg ? arg : "");
	last_hint = hint;
	last_code = code;
	compose();
	return code;
}

int lin_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set(code, LINEAGE_HINT_NONE, NULL, fmt, ap);
	va_end(ap);
	return code;
}

int lin_error_hint(int code, int hint, const char *arg, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set(code, hint, arg, fmt, ap);
	va_end(ap);
	return code;
}

void lin_error_save(lin_error_saved *s)
{
	s->code = last_code;
	s->hint = last_hint;
	memcpy(s->problem, last_problem, sizeof s->problem);
	memcpy(s->arg, last_arg, sizeof s->arg);
}

int lin_error_restore(const lin_error_saved *s)
{
	return lin_error_hint(s->code, s->hint, s->arg, "%s", s->problem);
}

int lin_error_prefix(const char *fmt, ...)
{
	char prefix[MESSAGE_MAX];
	char old[MESSAGE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, last_problem, sizeof old);
	if (snprintf(last_problem, sizeof last_problem, "%s: %s", prefix, old) < 0)
		last_problem[0] = '\0';
	compose();
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
	last_error.problem = last_code ? last_problem : "no error";
	last_error.hint = last_code ? last_hint : LINEAGE_HINT_NONE;
	last_error.hint_arg = last_code ? last_arg : "";
	return &last_error;
}

void lineage_error_clear(void)
{
	last_code = 0;
	last_hint = 0;
	last_message[0] = last_problem[0] = last_arg[0] = '\0';
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
	case LINEAGE_EAUTH: return "EAUTH";
	case LINEAGE_ITEROVER: return "ITEROVER";
	default: return "EUNKNOWN";
	}
}
