/*
 * liblineage for Node.js: methods described as data.
 *
 * Every method of the addon is one row of the table in methods.c: its JavaScript name, the
 * fields it reads (positional arguments, then the properties of its options object), the
 * library call that does the work (a `run` function over a call_args), what that call
 * answers, and whether it runs synchronously or on a worker thread. One piece of code
 * (method.c, with the reader in call_read.c) reads the arguments into a call_args, takes the
 * graph's lock or queues a job, calls `run`, and turns its answer into JavaScript.
 */
#ifndef LINEAGE_NODE_METHOD_H
#define LINEAGE_NODE_METHOD_H

#include <stddef.h>

#include "addon.h"

typedef struct method method;

/*
 * Everything a method reads from JavaScript and everything its library call answers. The
 * table says, field by field, where a value goes (offsetof). Owned by the call, or by the
 * job when the method runs on a worker.
 */
typedef struct call_args {
	const method *method;
	arg_pool pool;           /* owns the strings read from JavaScript */
	napi_value options;      /* the options object, or NULL (main thread only) */
	int variant;             /* the method's own constant (a direction, a structure...) */
	int via_json;            /* traversals through the library's JSON (LINEAGE_NODE_VIA_JSON) */
	lineage_progress_cb progress; /* on a worker: the job's progress callback and payload */
	void *payload;

	/* ---- values read from JavaScript */
	const char *key;         /* an asset key; `from` of path(), `source` of findEdge() */
	const char *to;          /* `to` of path(), `target` of findEdge() */
	const char *text;        /* search text, SQL, a transaction label, an actor */
	const char *kind, *job, *by, *comment, *root, *path;
	const char *const *paths;
	size_t path_count;
	int64_t id;              /* an edge id, a batch id, a change sequence number */
	size_t limit;
	unsigned int flags;      /* LINEAGE_REMOVE_* or LINEAGE_EDGES_* */
	int self_loop, cycles;
	int format;              /* lineage_json_format */
	int direction;           /* export: LINEAGE_UPSTREAM/DOWNSTREAM/BOTH, or 0 for impact */
	int view_mode;           /* saveView(): lineage_view_save_mode */
	lineage_change_type change;
	lineage_query_options query;
	union {                  /* the library's options struct of the method */
		lineage_open_options open;
		lineage_asset_spec asset;
		lineage_edge_spec edge;
		lineage_search_options search;
		lineage_path_options path;
		lineage_import_options import;
		lineage_scan_options scan;
		lineage_export_options exp;
		lineage_sql_options sql;
	} o;

	/* ---- what the library call answered */
	char *json;              /* JSON text (lineage_free); on failure, a report if set */
	char *text_out;          /* exported text (lineage_free) */
	size_t text_len;
	lineage_result *result;  /* a traversal built into objects without JSON */
	lineage_outcome outcome;
	int64_t number;
} call_args;

/* How a value is read (see call_read.c for the exact rules and messages). */
typedef enum value_type {
	V_END = 0,
	V_OPTIONS,    /* the options object: the fields after it are its properties */
	V_STRING,     /* const char * */
	V_STRINGS,    /* a string or an array of strings: const char *const * (count at `aux`) */
	V_BOOL,       /* int */
	V_FLAG,       /* a boolean setting the bit `min` of an unsigned int (F_NEGATE: if false) */
	V_CONFIDENCE, /* a number from 0 to 1 (double) */
	V_INT,        /* an integer in [min, max]: int */
	V_INT64,      /* the same: int64_t */
	V_SIZE,       /* the same: size_t */
	V_ID,         /* an edge or batch id: a positive integer or a bigint (int64_t) */
	V_SEQ,        /* a non-negative integer (int64_t) */
	V_JSON,       /* any JSON data, stringified (const char *) */
	V_CHOICE,     /* one of the names of `choices` (an int or enum) */
	V_SOURCE,     /* names the library parses into its enums */
	V_CHANGE,
	V_FORMAT,
	V_RECORDS,
	V_QUERY,      /* the traversal filters: lineage_query_options (format at `aux`, if any) */
	V_JOB         /* onProgress, cancelToken: read by the job (jobs.c) */
} value_type;

#define F_OPTIONAL 0x1u /* an argument that may be undefined (keeps its default) */
#define F_NULLABLE 0x2u /* ... or null */
#define F_NEGATE 0x4u   /* V_FLAG: the bit is set when the boolean is false */

typedef struct choice {
	const char *name;
	int value;
} choice;

/* Names for V_CHOICE: "unknown <noun> "x": use <listed>" when none matches. */
typedef struct choices {
	const char *noun;
	const char *listed;
	choice items[6];
} choices;

typedef struct field {
	const char *name;      /* argument or property name; V_OPTIONS: the object's label */
	value_type type;
	unsigned int flags;
	size_t at;             /* offsetof(call_args, ...) of the value */
	size_t aux;            /* V_STRINGS: of the count; V_QUERY: of the format (0: none) */
	size_t present;        /* of an int set to whether it was given (0: none; for
				  V_STRINGS, V_CONFIDENCE and the integers) */
	int64_t min, max;      /* integers: the range; V_FLAG: min is the bit */
	const choices *choices;
	const char *prefix;    /* V_OPTIONS: how its properties are named ("options.x") */
	/* A TypeError (printf format with the method's name) when the value is absent: a
	 * property not given, a string argument not passed, a V_STRINGS argument that is
	 * undefined, null or empty. V_OPTIONS: when the object is absent, with the type of what
	 * was given instead of the name. */
	const char *required;
} field;

/* What a method answers. */
typedef enum result_kind {
	R_NONE,      /* undefined */
	R_JSON,      /* call_args.json, parsed */
	R_OUTCOME,   /* the same with {outcome} added */
	R_BOOL,      /* call_args.number as a boolean */
	R_NUMBER,    /* call_args.number */
	R_TRAVERSAL, /* call_args.result built into objects, or the JSON */
	R_EXPORT,    /* the exported text, or {path, format} */
	R_PATH       /* {path} */
} result_kind;

#define M_ASYNC 0x1u  /* runs on a worker thread and returns a promise */
#define M_MODULE 0x2u /* a function of the module, with no graph */

struct method {
	const char *name;
	const field *fields;
	/* Defaults before reading (the library's options_init). 0 or a liblineage code. */
	int (*init)(call_args *a);
	/* The library call, under the graph's lock: 0, or the failing call's code with
	 * lineage_error_last() as that call left it. Must not touch JavaScript. */
	int (*run)(call_args *a, lineage_db *db);
	result_kind result;
	unsigned int flags;
	int variant;
};

/* The table (methods.c), and the fields of the Graph constructor. */
extern const method addon_methods[];
extern const size_t addon_method_count;
extern const field graph_open_fields[];

/* The Node-API callback of every method: the row comes as the callback's data. */
napi_value method_invoke(napi_env env, napi_callback_info info);

/* Read `fields` from argv (argc given) into `a`; `name` (the method's) is for the messages
 * of required values. 0, or -1 with an exception pending. */
int call_read(napi_env env, const field *fields, const char *name, size_t argc,
	      napi_value *argv, call_args *a);

/* Release what call_read and run left in `a`, and `a` itself. */
void call_args_free(call_args *a);

/* exports.asyncMethods: {name: position of the options argument} of the async rows, for
 * index.js (AbortSignal support). 0 or -1. */
int method_export_async(napi_env env, napi_value exports);

/* The property descriptors of the table's rows with (flags & M_MODULE) == module. */
size_t method_descriptors(unsigned int module, napi_property_descriptor *out, size_t cap);

#endif
