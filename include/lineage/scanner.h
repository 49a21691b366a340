/*
 * liblineage: scanners — lineage inferred from what already describes the data flows (SQL
 * scripts, dbt artifacts, Airflow DAG files, OpenLineage events) — and scan runs that store
 * it as inferred edges for review.
 *
 * A scanner reads one input and emits assets, edges (with confidence and evidence) and
 * diagnostics into a sink. A scan run feeds every input to the scanner that fits it, inside
 * one transaction: edges are stored as LINEAGE_SOURCE_INFERRED with origin
 * "scan:<scanner>:<input>", so that a later run over the same input replaces that run's
 * inferences (edges no longer found are retired, and visible in the history), never changes a
 * manual or approved edge, and does not bring back a rejected one.
 */
#ifndef LINEAGE_SCANNER_H
#define LINEAGE_SCANNER_H

#include "common.h"
#include "asset.h"
#include "edge.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Where a scanner emits what it finds. Owned by the scan run; valid during scan() only. */
typedef struct lineage_scan_sink lineage_scan_sink;

/**
 * Emit an asset (a table, a column, a job...). Fields left NULL keep what the database has,
 * so a scanner never erases a person's owner or description.
 * @return 0; EINVALID (the spec is bad: the run records a diagnostic and goes on when the
 *         scanner ignores the code); ECANCELLED when the run was cancelled (return it).
 */
LINEAGE_EXTERN int lineage_scan_sink_asset(lineage_scan_sink *sink,
					   const lineage_asset_spec *spec);

/**
 * Emit an edge. Its lineage source is always LINEAGE_SOURCE_INFERRED and its origin is set by
 * the run; give a confidence (else 0.5) and, in evidence_json, where it was found (for
 * example {"file": "etl/load.sql", "line": 12, "statement": 3}). Missing assets are created
 * with source_kind/target_kind ("unknown" when NULL).
 * @return as lineage_scan_sink_asset().
 */
LINEAGE_EXTERN int lineage_scan_sink_edge(lineage_scan_sink *sink, const lineage_edge_spec *spec);

/** Diagnostic severities. */
typedef enum lineage_diag_severity {
	LINEAGE_DIAG_NOTE = 0,
	LINEAGE_DIAG_WARNING = 1,
	LINEAGE_DIAG_ERROR = 2 /**< this part of the input could not be used */
} lineage_diag_severity;

/**
 * Report a problem with the input: what could not be read or resolved, where (line and column
 * from 1; 0 when unknown) and why. `file` NULL means the current input.
 */
LINEAGE_EXTERN int lineage_scan_sink_diagnostic(lineage_scan_sink *sink, lineage_diag_severity severity,
						const char *file, int line, int column,
						const char *message);

/** Count `n` statements (or events, nodes) read, for the run's summary. */
LINEAGE_EXTERN void lineage_scan_sink_count(lineage_scan_sink *sink, size_t n);

/** The run's option `name` ("dialect", "default_database", "default_schema"; in a collect
 * (collect.h) "source", the key prefix, and "queries", "1" when asked), or NULL. */
LINEAGE_EXTERN const char *lineage_scan_sink_option(const lineage_scan_sink *sink,
						    const char *name);

/**
 * Report progress from inside a scan (a collector's tables, say): calls the run's progress
 * callback with `stage`. @return 0; ECANCELLED when the callback asks to stop (return it:
 * the run then writes nothing).
 */
LINEAGE_EXTERN int lineage_scan_sink_progress(lineage_scan_sink *sink, const char *stage,
					      uint64_t done, uint64_t total);

#define LINEAGE_SCANNER_VERSION 1

/** A scanner. The strings and the payload must outlive its registration. */
typedef struct lineage_scanner {
	unsigned int version; /**< LINEAGE_SCANNER_VERSION */
	const char *name;     /**< short, unique: "sql", "dbt", "airflow", "openlineage" */
	const char *description;
	/**
	 * How well the scanner fits an input, from 0 (not at all) to 100 (certain). `path` is a
	 * file or a directory; `head` holds the file's first bytes (NULL and 0 for a directory).
	 */
	int (*detect)(const char *path, const unsigned char *head, size_t head_len, void *payload);
	/**
	 * Scan one input. For a file, `data`/`len` hold its whole content, followed by a NUL
	 * byte that `len` does not count; for a directory the
	 * scanner claimed, they are NULL and 0. Return 0, or a negative code to fail the whole
	 * run (use diagnostics for problems the run can live with).
	 */
	int (*scan)(lineage_scan_sink *sink, const char *path, const unsigned char *data, size_t len,
		    void *payload);
	void *payload;
} lineage_scanner;

/**
 * Register a scanner for the whole process (the built-in ones are always there: "sql",
 * "dbt", "openlineage", "airflow", and the collectors of collect.h, "postgres", "mysql",
 * "sqlite"). A name already registered is replaced; the struct is copied. Thread-safe.
 * @return 0; EINVALID (no name, no scan function, bad version); ELIMIT (too many scanners).
 */
LINEAGE_EXTERN int lineage_scanner_register(const lineage_scanner *scanner);

/** Remove a scanner registered with lineage_scanner_register(). @return 0; ENOTFOUND. */
LINEAGE_EXTERN int lineage_scanner_unregister(const char *name);

/**
 * The scanners available, as a JSON array of {"name", "description", "builtin"}.
 * Free with lineage_free().
 */
LINEAGE_EXTERN int lineage_scanner_list_json(char **out);

#define LINEAGE_SCAN_OPTIONS_VERSION 1

/** How a scan run behaves. Fill with lineage_scan_options_init(). */
typedef struct lineage_scan_options {
	unsigned int version;        /**< LINEAGE_SCAN_OPTIONS_VERSION */
	const char *type;            /**< a scanner name; NULL or "auto": detected per input */
	const char *dialect;         /**< SQL dialect (see lineage_sql_dialects()); NULL: ansi */
	const char *default_database;/**< for unqualified names, where a scanner needs one */
	const char *default_schema;
	int dry_run;                 /**< report what would change; write nothing */
	size_t max_file_bytes;       /**< larger files are skipped with a diagnostic; default 256 MiB */
	lineage_progress_cb progress;/**< stage "scan", counting inputs; may be NULL */
	void *progress_payload;
	const char *schema_json;     /**< SQL: known columns, {"table": ["col", ...]} or the
					  text of a dbt catalog.json, used beside the columns the
					  store knows; NULL: none */
} lineage_scan_options;

LINEAGE_EXTERN int lineage_scan_options_init(lineage_scan_options *opts, unsigned int version);

/** What a scan run found and did. */
typedef struct lineage_scan_report lineage_scan_report;

/**
 * Scan files and directories (a directory no scanner claims is walked, and each file in it
 * scanned) and store the inferred lineage, all in one transaction. With dry_run the counts
 * say what would change and nothing is written. Problems with an input are diagnostics in
 * the report, not failures.
 * @return 0; EINVALID (unknown scanner type, no paths); EIO (a path cannot be read);
 *         ECANCELLED (progress said stop: nothing written); EREADONLY; EFULL.
 */
LINEAGE_EXTERN int lineage_scan_run(lineage_scan_report **out, lineage_db *db,
				    const char *const *paths, size_t path_count,
				    const lineage_scan_options *opts);

/**
 * Scan one input held in memory (an upload, standard input) as lineage_scan_run() scans a
 * file: `name` stands for the file (in the edges' origin, in diagnostics, and for detection
 * by extension, e.g. "orders.sql" or "events.jsonl"), `data`/`len` for its content.
 * @return as lineage_scan_run().
 */
LINEAGE_EXTERN int lineage_scan_run_buffer(lineage_scan_report **out, lineage_db *db,
					   const char *name, const void *data, size_t len,
					   const lineage_scan_options *opts);

/**
 * The report as JSON: {"dry_run", "batch_id", "files", "statements", "assets": {"found",
 * "created", "updated", "removed"}, "edges": {"found", "created", "updated", "unchanged", "retired"},
 * "inputs": [{"path", "scanner", "edges"}], "diagnostics": [{"file", "line", "column",
 * "severity", "message"}]}. Free with lineage_free().
 */
LINEAGE_EXTERN int lineage_scan_report_to_json(char **out, const lineage_scan_report *report);

/** The counts of a scan run. Borrowed from the report. */
typedef struct lineage_scan_summary {
	int dry_run;
	int64_t batch_id;      /**< the run's batch (lineage_batch_revert undoes it); 0 for dry runs and runs that changed nothing */
	size_t files;          /**< inputs scanned (files, and folders a scanner read whole) */
	size_t statements;     /**< statements, events or nodes read */
	size_t assets_found, assets_created, assets_updated;
	size_t edges_found, edges_created, edges_updated, edges_unchanged, edges_retired;
	size_t assets_removed; /**< a collect: assets under the source it no longer has */
} lineage_scan_summary;

LINEAGE_EXTERN const lineage_scan_summary *lineage_scan_report_summary(const lineage_scan_report *report);

/** A problem with an input. Borrowed from the report. */
typedef struct lineage_scan_diagnostic {
	const char *file;   /**< NULL when not about a file */
	int line, column;   /**< from 1; 0 when unknown */
	lineage_diag_severity severity;
	const char *message;
} lineage_scan_diagnostic;

/** Diagnostics kept in the report (at most 10000; the counts below count them all). */
LINEAGE_EXTERN size_t lineage_scan_report_diagnostic_kept(const lineage_scan_report *report);
/** The i-th diagnostic kept, in the order found; NULL past the end. */
LINEAGE_EXTERN const lineage_scan_diagnostic *
lineage_scan_report_diagnostic(const lineage_scan_report *report, size_t i);

/** Number of diagnostics of at least `severity`. */
LINEAGE_EXTERN size_t lineage_scan_report_diagnostic_count(const lineage_scan_report *report,
							   lineage_diag_severity severity);

LINEAGE_EXTERN void lineage_scan_report_free(lineage_scan_report *report);

/**
 * Analyse a SQL script without storing anything and give the analysis as JSON (the shape of
 * lineage_sql_result_to_json(): "sources", "targets", "intermediates", "column_lineage",
 * "diagnostics", ...). With a database, SELECT * is expanded with the columns it already
 * knows for a table; `db` may be NULL. Uses opts->dialect, default_database and
 * default_schema; `file` names the script in diagnostics (may be NULL).
 * @return 0; EINVALID (unknown dialect: the message lists the known ones); ENOMEM.
 */
LINEAGE_EXTERN int lineage_scan_sql_json(char **out, lineage_db *db, const char *sql, size_t len,
					 const char *file, const lineage_scan_options *opts);

#ifdef __cplusplus
}
#endif
#endif
