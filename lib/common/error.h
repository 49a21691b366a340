/* Internal: setting the thread-local last error. */
#ifndef LIN_COMMON_ERROR_H
#define LIN_COMMON_ERROR_H

#include "lineage/errors.h"

#if defined(__GNUC__) || defined(__clang__)
#define LIN_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define LIN_PRINTF(a, b)
#endif

/** Set the last error to `code` with a formatted message; returns `code`. */
int lin_error_set(int code, const char *fmt, ...) LIN_PRINTF(2, 3);

/** Set the last error to `code`: the formatted text says what is wrong, and the message adds
 * the C wording of `hint` (a lineage_hint) applied to `arg`, which other surfaces word their
 * own way. Returns `code`. */
int lin_error_hint(int code, int hint, const char *arg, const char *fmt, ...) LIN_PRINTF(4, 5);

/** The last error's message with its advice in words that name no surface's command or
 * function: for reports (import rows, scan diagnostics) that every surface shows as they are.
 * Valid until the next error on this thread. */
const char *lin_error_plain(void);

/** A copy of the last error, to report it after cleanup calls that may set another. */
typedef struct lin_error_saved {
	int code, hint;
	char problem[1024];
	char arg[512];
} lin_error_saved;
void lin_error_save(lin_error_saved *s);
/** Make `s` the last error again; returns its code. */
int lin_error_restore(const lin_error_saved *s);

/** Prefix the current last error's message with a formatted context; returns its code. */
int lin_error_prefix(const char *fmt, ...) LIN_PRINTF(1, 2);

/** Set ENOMEM with a standard message; returns LINEAGE_ENOMEM. */
int lin_error_oom(void);

/** The code of the last error on this thread. */
int lin_error_code(void);

#endif
