/*
 * The `lineage` command-line tool: shared context, option parsing, output helpers.
 *
 * The tool uses the public API only (include/lineage/), through the shared library, so it has
 * no JSON library of its own: machine output is the library's JSON, spliced into small
 * objects written with cli_json_* where a command adds fields.
 */
#ifndef LINEAGE_CLI_H
#define LINEAGE_CLI_H

#include <stdint.h>
#include <stdio.h>

#include <lineage/lineage.h>

/* Exit statuses (documented in docs/cli.md). */
#define CLI_EXIT_OK 0
#define CLI_EXIT_ERROR 1    /* the library refused or failed */
#define CLI_EXIT_USAGE 2    /* bad command line */
#define CLI_EXIT_NOTFOUND 3 /* the asset, edge or batch does not exist */

#if defined(__GNUC__) || defined(__clang__)
#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CLI_PRINTF(a, b)
#endif

/* ---- Context ---- */

typedef struct cli_ctx {
	const char *db_path;  /* --db, $LINEAGE_DB or ./lineage.db */
	const char *actor;    /* --actor, $LINEAGE_ACTOR, $USER; NULL: the library's default */
	int color;            /* colour on stdout */
	int err_color;        /* colour on stderr */
	int json;             /* --json given to the command */
	const char *command;  /* "upstream", "asset add": for messages and usage hints */
	const char *synopsis; /* "KEY [options]": for usage hints */
	lineage_db *db;       /* opened by cli_db() */
} cli_ctx;

/*
 * Open the database (once). Every command but `init` refuses to create a missing file, so
 * that a mistyped --db does not silently start an empty database. Returns NULL after
 * printing the error; the caller then returns CLI_EXIT_ERROR.
 */
lineage_db *cli_db(cli_ctx *ctx, int create);

/* Exit status of the last library error (CLI_EXIT_NOTFOUND or CLI_EXIT_ERROR). */
int cli_status(void);

/* The last library error's message, its fix in this tool's words (commands, options). */
const char *cli_error_words(const cli_ctx *ctx, char *buf, size_t cap);

/* The database as this tool shows it: a PostgreSQL URI's password replaced by "***" (never
 * echoed back). Valid until the next call. */
const char *cli_db_shown(const char *path);

/* Print "lineage: error: <last library error>" (one line) and return its exit status. */
int cli_fail(cli_ctx *ctx);

/* Print a one-line error of the CLI's own and return CLI_EXIT_ERROR. */
int cli_error(cli_ctx *ctx, const char *fmt, ...) CLI_PRINTF(2, 3);

/* Print a one-line usage error with the command's usage hint; returns CLI_EXIT_USAGE. */
int cli_usage(cli_ctx *ctx, const char *fmt, ...) CLI_PRINTF(2, 3);

/* ---- Option parsing ---- */

typedef enum cli_opt_type {
	CLI_FLAG,  /* dest: int *, set to 1 */
	CLI_VALUE, /* dest: const char **, the last value given wins */
	CLI_LIST   /* dest: cli_strlist *, every value given, in order */
} cli_opt_type;

typedef struct cli_strlist {
	const char **items;
	size_t count;
} cli_strlist;

typedef struct cli_option {
	const char *name;    /* long name without "--" */
	cli_opt_type type;
	const char *metavar; /* "N", "KEY"; NULL for flags */
	const char *help;
	void *dest;
} cli_option;

typedef struct cli_spec {
	const char *name;        /* "upstream", "asset add" */
	const char *synopsis;    /* "KEY [options]" */
	const char *summary;     /* one line */
	const char *details;     /* more text for --help (may be NULL) */
	const cli_option *options; /* ends with a {NULL} entry; may be NULL */
	size_t min_args, max_args; /* positional arguments */
} cli_spec;

typedef struct cli_args {
	const char **pos; /* positional arguments */
	size_t count;
	const cli_spec *spec; /* for cli_args_free */
} cli_args;

/* cli_parse() results, besides CLI_EXIT_USAGE. */
#define CLI_PARSED 0
#define CLI_HELP_SHOWN (-1)
/* The exit status for a command's result code (help shown is a success). */
#define CLI_RC(rc) ((rc) == CLI_HELP_SHOWN ? CLI_EXIT_OK : (rc))

/*
 * Parse argv[1..argc) (argv[0] is the command's name) against `spec`. Every command also
 * takes --help/-h, --json and --db PATH. Returns CLI_PARSED, CLI_HELP_SHOWN (help printed:
 * exit 0) or CLI_EXIT_USAGE (message printed). Free with cli_args_free() in every case.
 */
int cli_parse(cli_ctx *ctx, const cli_spec *spec, int argc, char **argv, cli_args *out);
void cli_args_free(cli_args *args);

/* Print a command's help on stdout. */
void cli_print_help(const cli_spec *spec);

/* Strict number parsing for option values; print a usage error and return CLI_EXIT_USAGE. */
int cli_parse_int(cli_ctx *ctx, const char *opt, const char *s, int64_t min, int64_t max,
		  int64_t *out);
int cli_parse_double(cli_ctx *ctx, const char *opt, const char *s, double min, double max,
		     double *out);

/* Levenshtein distance of two short strings (99 beyond 64 bytes), for "did you mean". */
size_t cli_edit_distance(const char *a, const char *b);

/* The environment's user name ($LINEAGE_ACTOR, then $USER), or NULL. */
const char *cli_env_user(void);

/* ---- Query filters shared by the traversal, impact, path and structure commands ---- */

typedef struct cli_filter_args {
	const char *depth;
	const char *min_source;
	const char *min_confidence;
	const char *columns;
	const char *limit;
	cli_strlist edge_kinds;
	cli_strlist kinds;
} cli_filter_args;

/* Options for those filters, to splice into an option table (see CLI_FILTER_OPTIONS). */
#define CLI_FILTER_OPTIONS(f)                                                                  \
	{"min-source", CLI_VALUE, "S", "only edges at least this trusted: inferred, manual, "  \
	 "approved", &(f).min_source},                                                          \
	{"min-confidence", CLI_VALUE, "X", "only edges with confidence >= X (0..1)",           \
	 &(f).min_confidence},                                                                  \
	{"edge-kind", CLI_LIST, "K", "only edges of kind K (repeatable)", &(f).edge_kinds},    \
	{"kind", CLI_LIST, "K", "report only assets of kind K (repeatable)", &(f).kinds},      \
	{"columns", CLI_VALUE, "MODE", "column assets: include (default), rollup or exclude",  \
	 &(f).columns},                                                                         \
	{"limit", CLI_VALUE, "N", "stop after N assets", &(f).limit}

/* Fill `opts` from parsed filter options. Returns 0 or CLI_EXIT_USAGE (printed). */
int cli_filter_to_options(cli_ctx *ctx, const cli_filter_args *f, lineage_query_options *opts);

/* ---- Output ---- */

/* ANSI styles, empty strings when colour is off for that stream. */
typedef enum cli_style {
	CLI_BOLD,
	CLI_DIM,
	CLI_RED,
	CLI_GREEN,
	CLI_YELLOW,
	CLI_BLUE,
	CLI_CYAN,
	CLI_RESET
} cli_style;
const char *cli_sty(const cli_ctx *ctx, cli_style style);

/* Print a JSON document from the library on stdout, with a newline, and free it. */
void cli_print_json(char *json);
/* A query result's JSON on standard output; cli_fail() when it cannot be made. */
int cli_print_result_json(cli_ctx *ctx, const lineage_result *result, lineage_json_format format);

/* The value of "name" in the flat JSON object starting at `obj` (up to `end`), unescaped
 * into buf; NULL when null or absent. For tables of the library's list JSON. */
const char *cli_json_field(const char *obj, const char *end, const char *name, char *buf,
			   size_t cap);
/* Write `s` as a JSON string (quoted and escaped); NULL writes null. */
void cli_json_string(FILE *f, const char *s);

/* Style of a lineage source ("inferred" yellow, "approved" green). */
const char *cli_source_style(const cli_ctx *ctx, lineage_source source);

/* Format Unix milliseconds as "2026-11-22 05:49:21" (UTC) into buf (>= 32 bytes). */
void cli_format_time(char *buf, size_t size, int64_t ms);

/*
 * Render a JSON document as indented "name: value" lines for people (stats, changes).
 * Iterative: nesting depth costs heap, not stack.
 */
void cli_print_json_human(const cli_ctx *ctx, FILE *f, const char *json, int indent);

/* A simple text table: columns padded to their widest cell (UTF-8 aware). */
typedef struct cli_table cli_table;
cli_table *cli_table_new(size_t columns, const char *const *headers);
/* Add a row of `columns` cells (copied; NULL shows as "-"). Returns 0 or -1 (no memory). */
int cli_table_add(cli_table *t, const char *const *cells);
/* The same with a style per cell (CLI_RESET: none); `styles` may be NULL. */
int cli_table_add_styled(cli_table *t, const char *const *cells, const cli_style *styles);
void cli_table_print(const cli_ctx *ctx, cli_table *t, FILE *f);
void cli_table_free(cli_table *t);

/* ---- Rendering results (render.c) ---- */

/* Parse an edge id (a positive whole number); usage error otherwise. */
int cli_parse_edge_id(cli_ctx *ctx, const char *s, int64_t *out);

/* Print edges as JSON ({"edges": [...]}) or a table; `empty` when there are none. */
int cli_print_edges(cli_ctx *ctx, const lineage_edge_list *list, const char *empty);

/* A traversal as an indented tree by distance, with lineage source markers. */
int cli_print_tree(cli_ctx *ctx, const lineage_result *r, lineage_direction dir);

/* A result as a Graphviz digraph (inferred edges dashed, approved bold). */
int cli_print_dot(cli_ctx *ctx, const lineage_result *r);

/* "manual", "approved" or "inferred 0.80" into buf. */
void cli_source_label(char *buf, size_t size, lineage_source source, double confidence);

/* ---- A key -> index map for rendering results ---- */

typedef struct cli_keymap cli_keymap;
cli_keymap *cli_keymap_new(size_t expected);
/* Map `key` (borrowed: must outlive the map) to `value`; an existing key keeps its value. */
int cli_keymap_put(cli_keymap *m, const char *key, size_t value);
/* The value of `key`, or (size_t)-1. */
size_t cli_keymap_get(const cli_keymap *m, const char *key);
void cli_keymap_free(cli_keymap *m);

/* ---- Progress on stderr, for long operations ---- */

typedef struct cli_progress {
	int enabled;        /* stderr is a terminal */
	int64_t last_ms;    /* last draw, for throttling */
	int drawn;          /* something is on the line */
	char stage[64];
} cli_progress;

/* Start: drawing only when stderr is a TTY; Ctrl-C cancels the operation cleanly. */
void cli_progress_init(cli_progress *p);

/* A lineage_progress_cb: pass a cli_progress as payload. Returns non-zero after Ctrl-C. */
int cli_progress_cb(const char *stage, uint64_t done, uint64_t total, void *payload);

/* Clear the line and restore the default Ctrl-C behaviour. */
void cli_progress_finish(cli_progress *p);

#endif
