/*
 * liblineage: version of the headers, and of the library at run time.
 */
#ifndef LINEAGE_VERSION_H
#define LINEAGE_VERSION_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LINEAGE_VERSION_MAJOR 0
#define LINEAGE_VERSION_MINOR 1
#define LINEAGE_VERSION_PATCH 0
#define LINEAGE_VERSION "0.1.0"

/** The newest database schema this library reads and writes. */
#define LINEAGE_SCHEMA_VERSION 9

/** Version of the library actually linked, such as "0.1.0". Static. */
LINEAGE_EXTERN const char *lineage_version(void);

/** The same as numbers; any pointer may be NULL. */
LINEAGE_EXTERN void lineage_version_numbers(int *major, int *minor, int *patch);

#ifdef __cplusplus
}
#endif
#endif
