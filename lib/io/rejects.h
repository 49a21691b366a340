/*
 * Internal: the rejects file of an import: each invalid row as CSV, as it was read, with an
 * extra "error" column, so that a person can fix the rows and import that file. A CSV input
 * keeps its own header; other inputs get the canonical columns of their record type. Rows of
 * a second record type (JSON, GraphML) go to a second file named with "-assets" or
 * "-lineage" before the extension.
 */
#ifndef LIN_IO_REJECTS_H
#define LIN_IO_REJECTS_H

#include "out.h"
#include "reader.h"

typedef struct lin_rejects_file {
	lineage_record_type type;
	FILE *file;
	char *path;
	lin_out out;
} lin_rejects_file;

typedef struct lin_rejects {
	const char *path;
	lin_rejects_file files[2];
	int nfiles;
	uint64_t rows;
} lin_rejects;

void lin_rejects_init(lin_rejects *rj, const char *path);
int lin_rejects_write(lin_rejects *rj, const lin_reader *r, const lin_raw *raw, const char *error);
/* Close the files; EIO when a write failed. Not kept: removed (the import stopped, so its
 * rows were not imported and the rejects are not the file's). */
int lin_rejects_close(lin_rejects *rj, int keep);

#endif
