/*
 * liblineage: error codes and the thread-local last error.
 */
#ifndef LINEAGE_ERRORS_H
#define LINEAGE_ERRORS_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Return codes. Every failing call also sets lineage_error_last(). */
typedef enum lineage_error_code {
	LINEAGE_OK = 0,
	LINEAGE_ERROR = -1,      /**< a failure with no more specific code */
	LINEAGE_ENOTFOUND = -3,  /**< no asset, edge or change with that key or id */
	LINEAGE_EEXISTS = -4,    /**< the object already exists where it must not */
	LINEAGE_EINVALID = -5,   /**< an argument or input value is not valid */
	LINEAGE_ECONFLICT = -6,  /**< the request contradicts what is stored */
	LINEAGE_EVERSION = -7,   /**< the database was written by a newer liblineage */
	LINEAGE_ENOTDB = -8,     /**< the file is not a liblineage database */
	LINEAGE_EREADONLY = -9,  /**< the database or its folder cannot be written */
	LINEAGE_EFULL = -10,     /**< the disk or the database is full */
	LINEAGE_ENOMEM = -11,    /**< out of memory */
	LINEAGE_EBUSY = -12,     /**< another connection holds a lock too long */
	LINEAGE_ECANCELLED = -13,/**< a callback asked to stop; nothing was changed */
	LINEAGE_EPARSE = -14,    /**< input could not be parsed */
	LINEAGE_EIO = -15,       /**< a file could not be read or written */
	LINEAGE_ECYCLE = -16,    /**< the request needs an acyclic graph and found a cycle */
	LINEAGE_ELIMIT = -17,    /**< a size or count limit was exceeded */
	LINEAGE_EUSAGE = -18,    /**< the API was used out of order (e.g. closed, no transaction) */
	LINEAGE_EAUTH = -19,     /**< an API token is unknown, malformed, expired or revoked */
	LINEAGE_ITEROVER = -31   /**< an iterator has no more items (not an error) */
} lineage_error_code;

/**
 * The fix an error's message advises, for callers that word it their own way: a CLI names its
 * command or option, a binding its method or argument, where the message names the C function
 * or constant. The last error carries the hint, the value it applies to, and the message
 * without that advice (`problem`), so a surface can print `problem: <its own advice>`.
 * Errors that only a C caller can cause (a NULL pointer, a version or enum value out of range)
 * have no hint.
 */
typedef enum lineage_hint {
	LINEAGE_HINT_NONE = 0,
	LINEAGE_HINT_FIND_ASSET = 1,          /**< no such asset: search for it (arg: the key) */
	LINEAGE_HINT_DECLARE_ASSET_KIND = 2,  /**< declare the asset kind (arg: the kind) */
	LINEAGE_HINT_DECLARE_EDGE_KIND = 3,   /**< declare the edge kind with self-loops (arg: the kind) */
	LINEAGE_HINT_REMOVE_CASCADE = 4,      /**< remove the contained assets too (arg: the key) */
	LINEAGE_HINT_OPEN_WRITABLE = 5,       /**< open the database without read-only */
	LINEAGE_HINT_OPEN_READONLY = 6,       /**< open the database read-only (arg: the path) */
	LINEAGE_HINT_OPEN_CREATE = 7,         /**< open allowing the file to be created (arg: the path) */
	LINEAGE_HINT_BEGIN = 8,               /**< begin a transaction first */
	LINEAGE_HINT_BATCH_IDS = 9,           /**< take batch ids from the change feed */
	LINEAGE_HINT_CREATE_MISSING = 10      /**< add the asset, or create missing ones (arg: the key) */
} lineage_hint;

/** The last error of the calling thread. */
typedef struct lineage_error {
	int code;             /**< one of lineage_error_code */
	const char *message;  /**< what is wrong and how to fix it; never NULL */
	int hint;             /**< lineage_hint: the fix that ends `message`, or LINEAGE_HINT_NONE */
	const char *problem;  /**< `message` without that fix (all of it when no hint); never NULL */
	const char *hint_arg; /**< the value the fix applies to (a kind, a key, a path), or "" */
} lineage_error;

/**
 * The last error raised on this thread, valid until the next liblineage call on this thread.
 * Never NULL: when there was no error, code is 0 and message is "no error".
 */
LINEAGE_EXTERN const lineage_error *lineage_error_last(void);

/** Clear this thread's last error. */
LINEAGE_EXTERN void lineage_error_clear(void);

/** The constant name of a code, such as "ENOTFOUND". Static; "EUNKNOWN" for others. */
LINEAGE_EXTERN const char *lineage_error_code_name(int code);

#ifdef __cplusplus
}
#endif
#endif
