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

/** Prefix the current last error's message with a formatted context; returns its code. */
int lin_error_prefix(const char *fmt, ...) LIN_PRINTF(1, 2);

/** Set ENOMEM with a standard message; returns LINEAGE_ENOMEM. */
int lin_error_oom(void);

/** The code of the last error on this thread. */
int lin_error_code(void);

#endif
