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
	LINEAGE_ITEROVER = -31   /**< an iterator has no more items (not an error) */
} lineage_error_code;

/** The last error of the calling thread. */
typedef struct lineage_error {
	int code;            /**< one of lineage_error_code */
	const char *message; /**< what is wrong and how to fix it; never NULL */
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
