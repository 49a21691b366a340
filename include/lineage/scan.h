/*
 * liblineage: static lineage analysis of SQL scripts — SQL text in, lineage out.
 *
 * lineage_sql_analyze() reads a whole script (many statements, many dialects) without any
 * database and reports:
 *  - tables: sources (read before being written in the script), targets (written and not
 *    read later), intermediates (written, then read later); a table may hold several roles,
 *    e.g. `INSERT INTO t SELECT ... FROM t` makes t both a source and a target. Temporary
 *    tables are never targets: one that is only written is reported as an intermediate.
 *  - column lineage: for each written column, the columns its value is computed from
 *    ("TABLE.COLUMN"; "TABLE.*" when a `SELECT *` could not be expanded);
 *  - indirect dependencies: columns that only filter, join, group or order the rows written;
 *  - table lineage per statement, with evidence (statement index, line, column);
 *  - diagnostics: statements that could not be parsed (the scan goes on with the next one),
 *    ambiguous columns, limits hit.
 *
 * Names are reported as written ("tab", "schema.tab", "db.schema.tab"); unquoted identifiers
 * are lower-cased, quoted ones keep their case except in the dialects documented in
 * docs/scanners-sql.md (where identifiers are case-insensitive even when quoted).
 *
 * Threads: the analysis keeps no global state; any number of analyses may run at once on
 * different threads. A result may be read from any thread once it is returned.
 */
#ifndef LINEAGE_SCAN_H
#define LINEAGE_SCAN_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A schema provider: the columns of `table` (its name as written in the SQL, normalized:
 * "sales.orders"). Set `*out` to an array of `*n` column names and return 0; return
 * LINEAGE_ENOTFOUND (or any positive value) when the table is unknown. The array and its
 * strings must stay valid until the callback returns again or the analysis ends: liblineage
 * copies them. Any other negative return stops the analysis, which returns that code.
 * Called at most once per table and analysis.
 */
typedef int (*lineage_sql_columns_cb)(const char *table, const char ***out, size_t *n,
				      void *payload);

#define LINEAGE_SQL_OPTIONS_VERSION 1

/** Options of lineage_sql_analyze(). Fill with lineage_sql_options_init(). */
typedef struct lineage_sql_options {
	unsigned int version;          /**< LINEAGE_SQL_OPTIONS_VERSION */
	const char *dialect;           /**< a name from lineage_sql_dialects(); NULL: "ansi" */
	const char *default_database;  /**< as if the script began with USE (NULL: none) */
	const char *default_schema;    /**< idem, for the schema level */
	const char *schema_json;       /**< known columns: {"table": ["col", ...], ...} or NULL */
	lineage_sql_columns_cb columns;/**< another schema provider (asked after schema_json) */
	void *columns_payload;         /**< passed to `columns` */
	const char *file;              /**< file name reported in diagnostics, or NULL */
	size_t max_statement_size;     /**< bytes; 0: 16 MiB. Longer statements are skipped with
					    a diagnostic. */
	unsigned int max_depth;        /**< nesting limit (parentheses, subqueries, CASE); 0:
					    1000. Deeper input gives a "nested too deep"
					    diagnostic for that statement. */
} lineage_sql_options;

/** Fill `opts` with defaults. @return 0, or EINVALID for an unknown version. */
LINEAGE_EXTERN int lineage_sql_options_init(lineage_sql_options *opts, unsigned int version);

/**
 * The known dialect names, a NULL-terminated static array: "ansi", "postgres", "snowflake",
 * "bigquery", "sparksql", "databricks", "hive", "mysql", "mariadb", "tsql", "redshift",
 * "oracle", "duckdb", "trino", "athena", "teradata", "sqlite", "clickhouse".
 */
LINEAGE_EXTERN const char *const *lineage_sql_dialects(void);

/** The result of an analysis. Opaque; release with lineage_sql_result_free(). */
typedef struct lineage_sql_result lineage_sql_result;

/**
 * Analyze a SQL script.
 * @param out  receives the result (owned by the caller); untouched on error
 * @param sql  the script, `len` bytes (need not be NUL-terminated, may hold any bytes)
 * @param opts NULL for defaults
 * @return 0 — even when statements could not be parsed: they are in the diagnostics;
 *         EINVALID (NULL out or sql, unknown dialect — the message lists the known ones,
 *         schema_json not a JSON object of string arrays, bad options version);
 *         ENOMEM; or the negative code a `columns` callback returned.
 */
LINEAGE_EXTERN int lineage_sql_analyze(lineage_sql_result **out, const char *sql, size_t len,
				       const lineage_sql_options *opts);

/** Release a result. NULL is a no-op. */
LINEAGE_EXTERN void lineage_sql_result_free(lineage_sql_result *result);

/** Roles of a table in the script (a bit set). */
#define LINEAGE_SQL_SOURCE 0x1u
#define LINEAGE_SQL_TARGET 0x2u
#define LINEAGE_SQL_INTERMEDIATE 0x4u

/** A table (or an external location such as 's3://...' or '@stage') named by a statement of
 * the script that was understood; a statement skipped with an error names none. */
typedef struct lineage_sql_table {
	const char *name;        /**< as first written, normalized ("sales.orders") */
	unsigned int roles;      /**< LINEAGE_SQL_SOURCE | _TARGET | _INTERMEDIATE; 0 when only
				      created, dropped or renamed without data */
	int temporary;           /**< created as TEMP/TEMPORARY/VOLATILE in the script */
	int location;            /**< a file or stage location rather than a table */
	size_t statement;        /**< index (0-based) of the first understood statement naming it */
	unsigned int line;       /**< where it is first named (1-based) */
	unsigned int column;
} lineage_sql_table;

/** An edge between two columns ("TABLE.COLUMN") or two tables, with its evidence. */
typedef struct lineage_sql_edge {
	const char *source;       /**< "orders.amount", "orders.*", or a table name */
	const char *target;       /**< "daily.total", "daily.*", or a table name */
	const char *source_table; /**< the table part of source */
	const char *target_table;
	const char *kind;         /**< column edges: "identity", "transform", "aggregate",
				       "window", "indirect"; table edges: "table" */
	size_t statement;         /**< index of the statement (0-based) */
	unsigned int line;        /**< where the target's expression starts (1-based) */
	unsigned int column;
	const char *routine;      /**< the procedure or function whose body holds the
				       statement ("dbo.load_sales"), or NULL */
} lineage_sql_edge;

/** Severity of a diagnostic. */
typedef enum lineage_sql_severity {
	LINEAGE_SQL_INFO = 0,    /**< a construct handled approximately */
	LINEAGE_SQL_WARNING = 1, /**< lineage may be incomplete (ambiguous or unknown column) */
	LINEAGE_SQL_ERROR = 2    /**< a statement was skipped */
} lineage_sql_severity;

/** A problem found in the script. */
typedef struct lineage_sql_diagnostic {
	const char *file;        /**< options->file, or NULL */
	unsigned int line;       /**< 1-based */
	unsigned int column;     /**< 1-based, in bytes */
	size_t statement;        /**< index (0-based) */
	lineage_sql_severity severity;
	const char *reason;      /**< what is wrong, never NULL */
} lineage_sql_diagnostic;

/* Accessors. Every pointer returned is borrowed from the result and stays valid until it is
 * freed; `i` past the end gives NULL. */
LINEAGE_EXTERN size_t lineage_sql_result_table_count(const lineage_sql_result *result);
LINEAGE_EXTERN const lineage_sql_table *lineage_sql_result_table(const lineage_sql_result *result,
								 size_t i);
/** Column edges, value and indirect ("kind" "indirect": target is then a table name). */
LINEAGE_EXTERN size_t lineage_sql_result_column_edge_count(const lineage_sql_result *result);
LINEAGE_EXTERN const lineage_sql_edge *
lineage_sql_result_column_edge(const lineage_sql_result *result, size_t i);
/** Table-level edges: every table a writing statement reads, to every table it writes. */
LINEAGE_EXTERN size_t lineage_sql_result_table_edge_count(const lineage_sql_result *result);
LINEAGE_EXTERN const lineage_sql_edge *
lineage_sql_result_table_edge(const lineage_sql_result *result, size_t i);
LINEAGE_EXTERN size_t lineage_sql_result_diagnostic_count(const lineage_sql_result *result);
LINEAGE_EXTERN const lineage_sql_diagnostic *
lineage_sql_result_diagnostic(const lineage_sql_result *result, size_t i);
/** Number of statements found in the script (parsed or not). */
LINEAGE_EXTERN size_t lineage_sql_result_statement_count(const lineage_sql_result *result);

/**
 * The result as JSON (what `lineage scan --type sql --dry-run --json` prints):
 * {"dialect", "sources": [name...], "targets": [...], "intermediates": [...],
 *  "column_lineage": [[SOURCE_COLUMN, TARGET_COLUMN], ...],
 *  "indirect": [[SOURCE_COLUMN, TARGET_TABLE], ...], "table_lineage": [[SOURCE, TARGET], ...],
 *  "column_lineage_detail": [{"source", "target", "kind", "statement", "line", "column"}],
 *  "statements": [{"index", "line", "column", "type", "reads": [...], "writes": [...]}],
 *  "diagnostics": [{"file"?, "line", "column", "statement", "severity", "reason"}]}.
 * Lists of names and pairs are sorted and without duplicates.
 * @param out receives the text; release with lineage_free()
 * @param pretty non-zero for indented output
 * @return 0; EINVALID (NULL argument); ENOMEM.
 */
LINEAGE_EXTERN int lineage_sql_result_to_json(char **out, const lineage_sql_result *result,
					      int pretty);

#ifdef __cplusplus
}
#endif
#endif
