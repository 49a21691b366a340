/*
 * liblineage: definitions shared by every public header.
 *
 * Conventions (see docs/conventions.md):
 *  - functions return an int: 0 (LINEAGE_OK) on success, a negative LINEAGE_E* code on
 *    failure, with a message in lineage_error_last();
 *  - output parameters come first and are named `out`;
 *  - every object returned through `out` is owned by the caller and released with the
 *    matching `_free` function, which accepts NULL;
 *  - strings are UTF-8, NUL-terminated; strings returned as `char *` are released with
 *    lineage_free();
 *  - options structs start with a `version` member: fill them with their `_init()` function,
 *    then change what you need; passing NULL means "all defaults".
 *
 * Threads: a lineage_db handle may be used by one thread at a time; any number of handles
 * (on the same file or not) may be used from different threads at once. Errors are
 * thread-local.
 */
#ifndef LINEAGE_COMMON_H
#define LINEAGE_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) && defined(LINEAGE_BUILDING_SHARED)
#define LINEAGE_EXTERN __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#define LINEAGE_EXTERN __attribute__((visibility("default")))
#else
#define LINEAGE_EXTERN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** An open lineage database (a SQLite file or ":memory:"). Opaque. */
typedef struct lineage_db lineage_db;

/**
 * Where an edge's lineage comes from. The order is meaningful: a filter on a minimum source
 * keeps every edge whose source is at least that value.
 */
typedef enum lineage_source {
	LINEAGE_SOURCE_ANY = 0,      /**< only as a filter: every source */
	LINEAGE_SOURCE_INFERRED = 1, /**< proposed by a scanner or a tool, with a confidence */
	LINEAGE_SOURCE_MANUAL = 2,   /**< declared by a person or an import */
	LINEAGE_SOURCE_APPROVED = 3  /**< reviewed and approved by a person */
} lineage_source;

/** Review status of an edge. Only active edges take part in queries. */
typedef enum lineage_edge_status {
	LINEAGE_EDGE_ACTIVE = 0,   /**< part of the lineage graph */
	LINEAGE_EDGE_REJECTED = 1, /**< a person rejected it; inference never revives it */
	LINEAGE_EDGE_RETIRED = 2   /**< its origin no longer reports it (re-scan, replace import) */
} lineage_edge_status;

/** What an upsert did. */
typedef enum lineage_outcome {
	LINEAGE_CREATED = 1,  /**< a new asset or edge */
	LINEAGE_UPDATED = 2,  /**< an existing one changed */
	LINEAGE_UNCHANGED = 3 /**< the input matched what was stored (or could not override it) */
} lineage_outcome;

/**
 * Progress of a long operation. `done` and `total` count the operation's own units (rows,
 * bytes, files); `total` is 0 when unknown. Return 0 to go on, non-zero to cancel: the
 * operation then stops, leaves the database unchanged and returns LINEAGE_ECANCELLED.
 */
typedef int (*lineage_progress_cb)(const char *stage, uint64_t done, uint64_t total,
				   void *payload);

/** Release a string or buffer returned by liblineage. NULL is a no-op. */
LINEAGE_EXTERN void lineage_free(void *ptr);

/** Name of a lineage source ("inferred", "manual", "approved"; "any" for 0). Static. */
LINEAGE_EXTERN const char *lineage_source_name(lineage_source source);

/**
 * Parse a lineage source name (case-insensitive).
 * @return 0, or LINEAGE_EINVALID for an unknown name (the message lists the known ones).
 */
LINEAGE_EXTERN int lineage_source_parse(lineage_source *out, const char *name);

/** Name of an edge status ("active", "rejected", "retired"). Static. */
LINEAGE_EXTERN const char *lineage_edge_status_name(lineage_edge_status status);

/** Name of an outcome ("created", "updated", "unchanged"). Static. */
LINEAGE_EXTERN const char *lineage_outcome_name(lineage_outcome outcome);

#ifdef __cplusplus
}
#endif
#endif
