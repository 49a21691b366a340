/*
 * Internal: streaming readers of CSV, JSON, JSON Lines and GraphML behind one interface.
 * Each call to lin_reader_next() gives one raw record; memory is bounded by the limits.
 */
#ifndef LIN_IO_READER_H
#define LIN_IO_READER_H

#include "schema.h"
#include "src.h"
#include "common/strbuf.h"

typedef struct lin_limits {
	size_t max_field;  /* longest value */
	size_t max_record; /* longest record */
	int max_depth;     /* deepest JSON nesting inside a record */
} lin_limits;

#define LIN_MAX_DEPTH 64

typedef struct lin_reader lin_reader;

/* The operations of one format. */
typedef struct lin_reader_ops {
	int (*next)(lin_reader *r, const lin_raw **out);
	void (*free)(lin_reader *r);
} lin_reader_ops;

struct lin_reader {
	const lin_reader_ops *ops;
	lin_src *src;
	lin_limits limits;
	lineage_record_type type; /* given by the caller, or AUTO */
	lineage_format format;
	uint64_t fatal_row;       /* row of the last fatal error (0: the file) */
	/* CSV only: the header as written, for a rejects file. */
	size_t header_count;
	char **header;
	char delim;
	char *sheet;              /* xlsx: the sheet asked for (NULL: the first) */
	/* Warnings about the whole file (GraphML keys ignored...); reported once. */
	char *file_warning;
};

/* Detect the format from the name and the first bytes. */
lineage_format lin_detect_format(lin_src *src, const char *path);

/*
 * Open a reader. Fatal problems of the file as a whole (empty, unknown header, not the
 * format) return EPARSE with a message for a person; the src is left open.
 */
int lin_reader_open(lin_reader **out, lin_src *src, lineage_format format,
		    lineage_record_type type, const lin_limits *limits, const char *sheet);

/* Non-zero for the formats that can be imported (and AUTO). */
int lin_format_importable(lineage_format format);

/*
 * The next record: 0 with *out set; LINEAGE_ITEROVER at the end; EPARSE or ELIMIT when the
 * rest of the input cannot be read (message set, r->fatal_row tells where); EIO.
 */
int lin_reader_next(lin_reader *r, const lin_raw **out);

void lin_reader_free(lin_reader *r);

/* Format constructors (called by lin_reader_open). */
int lin_csv_reader_open(lin_reader **out, lin_src *src, lineage_record_type type,
			const lin_limits *limits);
int lin_json_reader_open(lin_reader **out, lin_src *src, int lines, lineage_record_type type,
			 const lin_limits *limits);
int lin_graphml_reader_open(lin_reader **out, lin_src *src, lineage_record_type type,
			    const lin_limits *limits);

int lin_xlsx_reader_open(lin_reader **out, lin_src *src, lineage_record_type type,
			 const lin_limits *limits, const char *sheet);
int lin_yaml_reader_open(lin_reader **out, lin_src *src, lineage_record_type type,
			 const lin_limits *limits);

/* Helpers shared by readers. */
/*
 * The header row of a table (CSV, a sheet): resolve each of the `n` names to a column,
 * tell the record type (r->type when AUTO) and fill r->header; *cols and *fields get an
 * array of n each (owned by the caller). EPARSE with a message naming the row and column.
 */
int lin_header_resolve(lin_reader *r, const char *const *names, size_t n, uint64_t row,
		       int **cols, lin_field **fields);
/* "column 3" (CSV) or "column C" (a spreadsheet) for the 0-based column i. */
void lin_column_label(const lin_reader *r, size_t i, char *buf, size_t size);
/* Turn one parsed object (a JSON object, a YAML mapping) into the record's fields. */
typedef struct lin_object_record {
	lin_raw raw;
	lin_field *fields;
	size_t cap_fields;
	lin_strbuf arena;
	char problem[700];
} lin_object_record;
struct json_t;
int lin_object_record_fill(lin_object_record *rec, struct json_t *obj, lineage_record_type type);
void lin_object_record_free(lin_object_record *rec);
/* A short printable excerpt of the first bytes, for "this looks like ..." messages. */
const char *lin_sniff_hint(const unsigned char *data, size_t len, lineage_format expected);

#endif
