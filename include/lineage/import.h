/*
 * liblineage: bulk import of assets and lineage from CSV, JSON, JSON Lines and GraphML.
 *
 * An import streams its input, in bounded memory whatever the file's size (a file of more
 * than 1.5 million distinct keys or edges keeps the rest of its rows' identities in a
 * temporary file), through two steps:
 *  1. validation: syntax, schema (required fields, allowed values, lengths, key syntax,
 *     UTF-8) and rules across rows (duplicate or conflicting rows), every problem collected
 *     with its row, column and value;
 *  2. writing, inside one transaction (one batch in the audit trail, labelled with the file
 *     and its counts): rules that need the database (unknown assets, kinds that contradict
 *     it, downgrading an approved edge, a cycle where the edge kind forbids one) are checked
 *     as each row is applied; the transaction is committed only when the mode allows it.
 * A file of lineage rows is read once, each row validated and then written; a file with
 * asset rows is read twice (all rows validated, then written), since a row may name a parent
 * described further down. Either way an invalid row is never written, and a dry run does
 * everything but the commit, so its counts are exactly what a real import would do. The record format is described in docs/import-format.md.
 *
 * Rows are numbered as a person finds them: the line number in CSV, JSON Lines and GraphML,
 * the position (1, 2, ...) of the object in a JSON array.
 */
#ifndef LINEAGE_IMPORT_H
#define LINEAGE_IMPORT_H

#include <stdio.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** File formats of import and export. */
typedef enum lineage_format {
	LINEAGE_FORMAT_AUTO = 0,      /**< import: from the file name, else from the content */
	LINEAGE_FORMAT_CSV = 1,       /**< RFC 4180; delimiter , ; tab or | (detected) */
	LINEAGE_FORMAT_JSON = 2,      /**< an array of objects */
	LINEAGE_FORMAT_JSONL = 3,     /**< JSON Lines: one object per line */
	LINEAGE_FORMAT_GRAPHML = 4,   /**< nodes are assets, edges are lineage */
	LINEAGE_FORMAT_CYTOSCAPE = 5, /**< export only: Cytoscape.js elements */
	LINEAGE_FORMAT_DOT = 6,       /**< export only: Graphviz */
	LINEAGE_FORMAT_OPENLINEAGE = 7, /**< export only: OpenLineage JobEvents, one per line (one
					    event per job; columnLineage facets), for Marquez,
					    DataHub or any OpenLineage consumer */
	LINEAGE_FORMAT_XLSX = 8,      /**< import only: an Excel workbook (Office Open XML); the
					   first sheet (or options.sheet) read like a CSV file:
					   a header row, then one record a row */
	LINEAGE_FORMAT_YAML = 9,      /**< import only: a YAML sequence of mappings whose keys
					   are the CSV's column names (anchors and aliases are
					   refused) */
	LINEAGE_FORMAT_DATAHUB = 10   /**< export only: a DataHub metadata file (a JSON array of
					   MetadataChangeProposals with upstreamLineage and
					   fineGrainedLineages); read back with the datahub scanner */
} lineage_format;

/** Name of a format ("auto", "csv", "json", "jsonl", "graphml", "cytoscape", "dot",
 *  "openlineage", "xlsx", "yaml", "datahub"). Static. */
LINEAGE_EXTERN const char *lineage_format_name(lineage_format format);

/** Parse a format name (case-insensitive). @return 0; EINVALID listing the known names. */
LINEAGE_EXTERN int lineage_format_parse(lineage_format *out, const char *name);

/** Record types. */
typedef enum lineage_record_type {
	LINEAGE_RECORDS_AUTO = 0,    /**< import: detected from the header or from each object;
				          export: the format's default */
	LINEAGE_RECORDS_ASSETS = 1,  /**< key, kind, name, parent, owner, description, tags, ... */
	LINEAGE_RECORDS_LINEAGE = 2, /**< source, target, kind, lineage_source, confidence, ... */
	LINEAGE_RECORDS_BOTH = 3     /**< export to JSON and GraphML: assets, then lineage */
} lineage_record_type;

/** Name of a record type ("auto", "assets", "lineage", "both"). Static. */
LINEAGE_EXTERN const char *lineage_record_type_name(lineage_record_type type);

/** Parse a record type name. @return 0; EINVALID listing the known names. */
LINEAGE_EXTERN int lineage_record_type_parse(lineage_record_type *out, const char *name);

/** What happens to rows that are not valid. */
typedef enum lineage_import_mode {
	LINEAGE_IMPORT_ATOMIC = 0,     /**< any invalid row: nothing is written */
	LINEAGE_IMPORT_SKIP_ERRORS = 1 /**< valid rows are written, invalid rows are reported
					    (and written to rejects_path when set) */
} lineage_import_mode;

/* Version 2 added `sheet`; a version 1 struct (without it) is still accepted. */
#define LINEAGE_IMPORT_OPTIONS_VERSION 2

/** How an import behaves. Fill with lineage_import_options_init(). */
typedef struct lineage_import_options {
	unsigned int version;         /**< LINEAGE_IMPORT_OPTIONS_VERSION */
	lineage_format format;        /**< default AUTO */
	lineage_record_type type;     /**< default AUTO */
	lineage_import_mode mode;     /**< default ATOMIC */
	int dry_run;                  /**< non-zero: validate and count, write nothing */
	int create_missing;           /**< create assets that rows refer to but that do not
					   exist (kind "unknown", or source_kind/target_kind) */
	const char *rejects_path;     /**< skip-errors: write invalid rows here as CSV with an
					   extra "error" column (NULL: none). When a file has
					   invalid rows of both types, asset rows go to a second
					   file named like it with "-assets" before the extension */
	const char *replace_scope;    /**< non-NULL: the file is the whole truth for this scope:
					   its edges get origin "import:<scope>", and active edges
					   of that origin missing from the file are retired */
	const char *label;            /**< names the input in messages and the audit trail
					   (default: the file name, or "memory") */
	size_t max_errors;            /**< errors and warnings kept in the report (default 1000;
					   the totals still count every one) */
	size_t max_items;             /**< created/updated/unchanged/retired items kept in the
					   report for a preview (default 1000) */
	size_t max_field_bytes;       /**< longest field (default 16 MiB) */
	size_t max_record_bytes;      /**< longest record: a CSV row, a JSON object (default
					   64 MiB) */
	lineage_progress_cb progress; /**< stage "import" (bytes) for a file read once, or
					   "validate" (bytes) then "write" (rows) for one read
					   twice; may be NULL; non-zero cancels: nothing is
					   written */
	void *payload;                /**< passed to progress */
	const char *sheet;            /**< xlsx: the name of the sheet to read (NULL: the first
					   sheet); an unknown name is EPARSE listing the sheets.
					   Since version 2 */
} lineage_import_options;

/** Fill `opts` with the defaults. @return 0, or EINVALID for an unknown version. */
LINEAGE_EXTERN int lineage_import_options_init(lineage_import_options *opts,
					       unsigned int version);

/** The outcome of an import. Opaque; read with the accessors below. */
typedef struct lineage_import_report lineage_import_report;

/** A problem found in the input. Borrowed from the report. */
typedef struct lineage_import_issue {
	uint64_t row;        /**< line number (CSV, JSON Lines, GraphML) or position (JSON);
				  0 for the file as a whole */
	const char *column;  /**< the column or field, or NULL */
	const char *value;   /**< the offending value (cut to 200 bytes), or NULL */
	const char *message; /**< a full sentence: the row, what is wrong and how to fix it */
} lineage_import_issue;

/** Counts of an import. Borrowed from the report; fields may be appended. */
typedef struct lineage_import_summary {
	uint64_t rows;              /**< records read (the header aside) */
	uint64_t valid;
	uint64_t invalid;
	uint64_t errors;            /**< every error found (the report keeps max_errors) */
	uint64_t warnings;
	uint64_t created_assets, created_edges;
	uint64_t updated_assets, updated_edges;
	uint64_t unchanged_assets, unchanged_edges;
	uint64_t retired_edges;     /**< by the replace scope */
	int committed;              /**< non-zero when the changes were written */
	int dry_run;
	int64_t batch_id;           /**< the batch to revert (lineage_batch_revert), or 0 */
	lineage_format format;      /**< the format that was read */
} lineage_import_summary;

/** What a row did or would do (an item of the preview). Borrowed from the report. */
typedef struct lineage_import_item {
	const char *action;     /**< "create", "update", "unchanged" or "retire" */
	const char *entity;     /**< "asset" or "edge" */
	const char *key;        /**< the asset's key, or the edge's source */
	const char *target_key; /**< the edge's target; NULL for assets */
	const char *kind;       /**< the edge's kind; NULL for assets */
	uint64_t row;           /**< the input row, 0 for retired edges */
} lineage_import_item;

LINEAGE_EXTERN const lineage_import_summary *
lineage_import_report_summary(const lineage_import_report *report);
/** Errors kept in the report (at most max_errors), in row order. */
LINEAGE_EXTERN size_t lineage_import_report_error_count(const lineage_import_report *report);
LINEAGE_EXTERN const lineage_import_issue *
lineage_import_report_error(const lineage_import_report *report, size_t i);
LINEAGE_EXTERN size_t lineage_import_report_warning_count(const lineage_import_report *report);
LINEAGE_EXTERN const lineage_import_issue *
lineage_import_report_warning(const lineage_import_report *report, size_t i);
/** Items kept for a preview (at most max_items), in the order they were applied. */
LINEAGE_EXTERN size_t lineage_import_report_item_count(const lineage_import_report *report);
LINEAGE_EXTERN const lineage_import_item *
lineage_import_report_item(const lineage_import_report *report, size_t i);

/**
 * The report as JSON: {"file", "format", "rows", "valid", "invalid", "errors": [{"row",
 * "column", "value", "message"}, ...], "errors_total", "warnings": [...], "warnings_total",
 * "created": {"assets", "edges"}, "updated": {...}, "unchanged": {...}, "retired":
 * {"edges"}, "items": [{"action", "entity", "key", "target", "kind", "row"}, ...],
 * "dry_run", "committed", "batch_id"}. Release with lineage_free().
 */
LINEAGE_EXTERN int lineage_import_report_to_json(char **out,
						 const lineage_import_report *report);

/** Release a report. NULL is a no-op. */
LINEAGE_EXTERN void lineage_import_report_free(lineage_import_report *report);

/**
 * Import a file.
 * @param out receives the report (may be NULL when not wanted) for the return codes 0,
 *        EINVALID, EPARSE and ELIMIT; else it is set to NULL
 * @param opts NULL for defaults
 * @return 0: every row valid, and written (or, dry run, would be);
 *         EINVALID: some rows are invalid (atomic or dry run: nothing written; skip-errors:
 *         the valid rows were written) — or an option is invalid (then no report);
 *         EPARSE: the input cannot be read as its format (nothing written);
 *         ELIMIT: a field or record is longer than the limits (nothing written);
 *         EIO (cannot read the file or write rejects); ECANCELLED; EBUSY; EREADONLY; EFULL.
 * A transaction already open on `db` is refused with EUSAGE: an import is its own batch.
 */
LINEAGE_EXTERN int lineage_import_path(lineage_import_report **out, lineage_db *db,
				       const char *path, const lineage_import_options *opts);

/**
 * Import from an open stream, from its current position. A stream that cannot seek (a
 * pipe) is copied to a temporary file while it is read when the import reads it twice (a
 * file with asset rows). The stream is not closed. Same returns.
 */
LINEAGE_EXTERN int lineage_import_file(lineage_import_report **out, lineage_db *db, FILE *file,
				       const lineage_import_options *opts);

/** Import from memory (`data` is not copied and must stay valid during the call). */
LINEAGE_EXTERN int lineage_import_buffer(lineage_import_report **out, lineage_db *db,
					 const void *data, size_t len,
					 const lineage_import_options *opts);

#ifdef __cplusplus
}
#endif
#endif
