/*
 * Internal to lib/store/: the tables a whole-store copy (lineage_db_copy, lib/api/copy.c)
 * moves, in an order that satisfies every reference (kinds, assets by id so that a parent
 * comes before its children, edges, the OpenLineage runs of jobs, batches, changes, then
 * the API tokens: their digests only, and the saved views). Both backends have these tables
 * with these columns; the copy_read / copy_write ops of backend.h pass each row as text
 * values in this column order, ids and seqs included, so that history, revert and the
 * change feed keep working on the copy.
 */
#ifndef LIN_STORE_COPY_TABLES_H
#define LIN_STORE_COPY_TABLES_H

#include <stddef.h>
#include <stdint.h>

#define LIN_COPY_MAX_COLS 20

typedef struct lin_copy_table {
	const char *name;
	const char *columns; /* comma-separated */
	int ncols;
	const char *order;   /* the ORDER BY of the read */
} lin_copy_table;

extern const lin_copy_table lin_copy_tables[];
extern const size_t lin_copy_table_count;

/* One row read from the source: values[i] is NULL for SQL NULL. */
typedef struct lin_copy_sink {
	/* Called once, before the first row, with the number of rows in all tables. */
	int (*start)(void *payload, int64_t total_rows);
	int (*row)(void *payload, int table, const char *const *values, const int *lengths);
	void *payload;
} lin_copy_sink;

#endif
