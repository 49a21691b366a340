/*
 * Internal: the columns of the two record types, the raw records every reader produces, and
 * how a raw record becomes a typed row (lin_row) that the writer applies.
 */
#ifndef LIN_IO_SCHEMA_H
#define LIN_IO_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "lineage/lineage.h"
#include "lineage/import.h"

enum lin_col {
	LIN_COL_KEY,
	LIN_COL_KIND,
	LIN_COL_NAME,
	LIN_COL_PARENT,
	LIN_COL_OWNER,
	LIN_COL_DESCRIPTION,
	LIN_COL_TAGS,
	LIN_COL_STATUS,
	LIN_COL_PROPERTIES,
	LIN_COL_SOURCE,
	LIN_COL_TARGET,
	LIN_COL_SOURCE_KIND,
	LIN_COL_TARGET_KIND,
	LIN_COL_LINEAGE_SOURCE,
	LIN_COL_CONFIDENCE,
	LIN_COL_TRANSFORMATION_TYPE,
	LIN_COL_TRANSFORMATION,
	LIN_COL_JOB,
	LIN_COL_PROP,  /* prop.<name>: one property */
	LIN_COL_ERROR, /* "error": the message column of a rejects file, ignored on import */
	LIN_COL_COUNT
};

/* Canonical name of a column ("prop." for LIN_COL_PROP). */
const char *lin_col_name(int col);

/* Resolve a header or member name (case-insensitive) for `type` (AUTO: either type).
 * Returns a LIN_COL_* or -1 when unknown. */
int lin_col_lookup(const char *name, lineage_record_type type);

/* Non-zero when `col` belongs to `type`. */
int lin_col_allowed(int col, lineage_record_type type);

/* The canonical columns of a type in export order, ending with -1. */
const int *lin_col_order(lineage_record_type type);

/* "Did you mean ...?" and the list of known columns, for an unknown name, into buf. */
void lin_col_help(char *buf, size_t size, const char *name, lineage_record_type type);

/* A field of a raw record. */
typedef struct lin_field {
	const char *name;  /* as written in the file */
	int col;           /* LIN_COL_*, or -1 when unknown */
	const char *value; /* NUL-terminated; NULL for a JSON null */
	size_t len;
	int json;          /* value is the JSON text of a number, boolean, array or object */
} lin_field;

/* A record as a reader found it. Borrowed from the reader until its next record. */
typedef struct lin_raw {
	uint64_t row;             /* number used in messages */
	uint64_t ordinal;         /* 0-based position among the records */
	lineage_record_type type; /* ASSETS or LINEAGE; AUTO when it could not be told */
	size_t nfields;
	lin_field *fields;
	const char *problem;      /* a broken record (the next can still be read), or NULL */
	const char *problem_column;
	const char *warning;      /* something ignored in this record, or NULL */
} lin_raw;

/* A validated row, ready to write. Strings point into the raw record or the row's arena. */
typedef struct lin_row {
	lineage_record_type type;
	uint64_t row;
	const char *v[LIN_COL_COUNT]; /* NULL when absent or empty */
	const char **tags;
	size_t tag_count;
	int tags_set;
	char *properties;             /* a JSON object, or NULL */
	lineage_source lineage_source; /* ANY when not given */
	double confidence;             /* negative when not given */
} lin_row;

/* Canonical edge kind of a row ("flow" when empty). */
const char *lin_row_edge_kind(const lin_row *row);

#endif
