/*
 * liblineage for Node.js: declarations shared by the addon's C files.
 *
 * Rules kept everywhere in this addon:
 *  - no global state: what the module needs lives in its per-instance addon_data
 *    (napi_set_instance_data), so the addon works in worker threads and several contexts;
 *  - every napi_* call is checked with CHECK(), which throws a JavaScript error carrying
 *    Node-API's message and jumps to the function's `done:` label;
 *  - a lineage_db is used by one thread at a time (the library's rule): each Graph owns a
 *    mutex that synchronous methods (main thread) and async work (a libuv worker) take
 *    around every library call, and async jobs of one Graph run one after the other.
 */
#ifndef LINEAGE_NODE_ADDON_H
#define LINEAGE_NODE_ADDON_H

#define NAPI_VERSION 8
#include <node_api.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <lineage/lineage.h>

/* ---- per-instance data ------------------------------------------------------------ */

typedef struct addon_data {
	napi_ref graph_ctor;     /* the Graph class */
	napi_ref make_error;     /* JS (code, message, errno, details) -> Error, from index.js */
	napi_ref make_node;      /* JS (key, kind, distance, confidence) -> node object */
	napi_ref make_edge;      /* JS (id, source, target, kind, lineage_source, confidence) */
	napi_ref make_traversal; /* JS (root, direction, nodes, edges, truncated) */
	napi_ref json_parse;     /* JSON.parse */
	napi_ref json_stringify; /* JSON.stringify */
	napi_ref json_object;    /* the JSON object, `this` for parse/stringify */
	int via_json;            /* LINEAGE_NODE_VIA_JSON=1: traversals through JSON.parse too
				    (for the benchmark that compares both ways) */
} addon_data;

addon_data *addon_get(napi_env env);

/* ---- errors ----------------------------------------------------------------------- */

/*
 * Check a napi_status; on failure throw (unless an exception is already pending) and jump
 * to `done`. Needs `env` in scope and a `done:` label.
 */
#define CHECK(call)                                                                        \
	do {                                                                               \
		napi_status check_status_ = (call);                                        \
		if (check_status_ != napi_ok) {                                            \
			addon_throw_napi(env, check_status_, #call);                       \
			goto done;                                                         \
		}                                                                          \
	} while (0)

/* Throw an Error describing a failed napi_* call (no-op when an exception is pending). */
void addon_throw_napi(napi_env env, napi_status status, const char *what);

/* Throw a TypeError with code ERR_INVALID_ARG_TYPE; printf-style message. */
void addon_throw_type(napi_env env, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Build the liblineage error for (code, message) through index.js's makeError. */
napi_value addon_make_error(napi_env env, int code, const char *message);

/* The same with details ({errors, report}) handed to the error's constructor. */
napi_value addon_make_error_details(napi_env env, int code, const char *message,
				    napi_value details);

/* Throw the liblineage error for (code, message). */
void addon_throw_lineage(napi_env env, int code, const char *message);

/* Throw this thread's lineage_error_last() (call right after the failing library call). */
void addon_throw_last(napi_env env);

/* The message of a liblineage error with its advice in JavaScript's words (src/words.c):
 * new (free()), or NULL when out of memory. */
char *addon_error_words(const lineage_error *e);

/* Throw an EINVALID error with a printf-style message (bad values, not bad types). */
void addon_throw_invalid(napi_env env, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- JSON ------------------------------------------------------------------------- */

/* JSON.parse(json) into *out. Returns 0, or -1 with an exception pending. */
int addon_json_parse(napi_env env, const char *json, napi_value *out);

/* JSON.stringify(value) as a malloc'd string. Returns 0, or -1 with an exception pending. */
int addon_json_stringify(napi_env env, napi_value value, char **out);

/* ---- arguments -------------------------------------------------------------------- */

/* Strings copied out of JavaScript for one call, released together. */
typedef struct arg_pool {
	char **items;
	size_t count, cap;
	const char **views; /* arrays of borrowed pointers (tags, kinds) */
	size_t view_count, view_cap;
} arg_pool;

void arg_pool_free(arg_pool *pool);

/* Copy a JS string (NUL-free) into the pool. `what` names it in TypeErrors. 0 or -1. */
int arg_string(napi_env env, arg_pool *pool, napi_value value, const char *what, char **out);
/* Like arg_string, but undefined and null give *out = NULL. */
int arg_optional_string(napi_env env, arg_pool *pool, napi_value value, const char *what,
			char **out);

/* The JS type name of a value, for messages ("number", "null", "an array", ...). */
const char *arg_type_name(napi_env env, napi_value value);

/*
 * An options object: undefined and null mean "none" (*present = 0). Anything but a plain
 * object is a TypeError. With `known` (NULL-terminated), an unknown property is a TypeError
 * that lists the known ones. 0 or -1.
 */
int arg_options(napi_env env, napi_value value, const char *what, const char *const *known,
		int *present);

/* Read a property; undefined and null give *present = 0. 0 or -1. */
int arg_prop(napi_env env, napi_value obj, const char *name, napi_value *out, int *present);

/* Optional properties of an options object. Absent leaves *out unchanged. 0 or -1. */
int opt_string(napi_env env, arg_pool *pool, napi_value obj, const char *name,
	       const char *what, const char **out);
int opt_bool(napi_env env, napi_value obj, const char *name, const char *what, int *out);
int opt_double(napi_env env, napi_value obj, const char *name, const char *what, double *out,
	       int *present);
/* An integer in [min, max]; Infinity is accepted when allow_infinity (gives *infinite). */
int opt_int64(napi_env env, napi_value obj, const char *name, const char *what, int64_t min,
	      int64_t max, int64_t *out, int *present);
/* The same for a size: *out keeps its value when the option is absent. */
int opt_size(napi_env env, napi_value obj, const char *name, const char *what, int64_t min,
	     int64_t max, size_t *out);
/* An array of strings (a single string is taken as a one-element array); undefined and
 * null give *present = 0. */
int arg_string_array(napi_env env, arg_pool *pool, napi_value value, const char *what,
		     const char *const **out, size_t *count, int *present);
/* The same for a property. */
int opt_string_array(napi_env env, arg_pool *pool, napi_value obj, const char *name,
		     const char *what, const char *const **out, size_t *count, int *present);
/* A value passed through JSON.stringify (objects for properties, evidence). */
int opt_json(napi_env env, arg_pool *pool, napi_value obj, const char *name, const char *what,
	     const char **out);
/* A function, or absent. */
int opt_function(napi_env env, napi_value obj, const char *name, const char *what,
		 napi_value *out);

/* An edge id: a positive integer number or a bigint. 0 or -1. */
int arg_edge_id(napi_env env, napi_value value, const char *what, int64_t *out);

/* Traversal filters shared by upstream/downstream/impact/path/structure; with `format`,
 * also reads options.format ('plain' or 'cytoscape'). 0 or -1. */
int arg_query_options(napi_env env, arg_pool *pool, napi_value obj, lineage_query_options *q,
		      int *format);

/* Known property names of arg_query_options() (NULL-terminated), for option checks. */
#define QUERY_OPTION_NAMES                                                                 \
	"depth", "minSource", "minConfidence", "edgeKinds", "assetKinds", "columns",       \
		"maxNodes", "format"

/* ---- graphs and jobs -------------------------------------------------------------- */

typedef struct job job;

typedef struct graph {
	lineage_db *db;         /* NULL once closed */
	pthread_mutex_t lock;   /* held around every library call on db */
	int closed;             /* close() was called: no new work is accepted */
	int job_running;        /* an async job is on a worker thread */
	job *queue_head;        /* async jobs waiting for their turn */
	job *queue_tail;
	char *path;
} graph;

/* Unwrap `this` of a Graph method; throws "graph is closed" when closed. NULL on error. */
graph *graph_unwrap(napi_env env, napi_value this_arg, int allow_closed);

/* Close db unless a job still uses it (then the last job closes it). */
void graph_close_when_idle(graph *g);

/*
 * An asynchronous operation on a graph. `execute` runs on a worker thread with the graph's
 * lock held and must not touch JavaScript; it fills `json` (the result) or leaves rc < 0 with
 * err_message. `complete` (optional) builds a custom result on the main thread; by default
 * the JSON is parsed and the promise resolved with it.
 */
struct job {
	graph *g;
	napi_ref graph_ref;          /* keeps the Graph (and its db) alive while queued */
	napi_deferred deferred;
	napi_async_work work;
	int (*execute)(job *j);      /* returns 0 or a liblineage error code */
	void (*release)(job *j);     /* frees the operation's own arguments */
	void *args;                  /* the operation's arguments */
	int rc;                      /* execute's result */
	char *err_message;           /* copy of lineage_error_last()->message on failure */
	char *json;                  /* result of execute (lineage_free) */
	/* optional: build the result on the main thread instead of parsing `json` */
	int (*build)(napi_env env, job *j, napi_value *out);
	/* on failure, `json` (when set) is a report: the error gets {errors, report} */
	int json_is_report;
	napi_ref extra;              /* a JS value the result needs (or NULL) */
	/* progress and cancel */
	napi_threadsafe_function tsfn;
	struct progress_state *progress;
	atomic_int *cancel;          /* set to non-zero to ask the operation to stop */
	napi_ref cancel_ref;         /* keeps the cancel token alive */
	job *next;
};

/*
 * Create a job for the Graph `this_arg` with the opts object (for onProgress and the cancel
 * token) and `name` for async hooks; returns the promise in *promise. The caller fills execute/release/args and then
 * calls job_submit. NULL on error (exception pending).
 */
job *job_new(napi_env env, napi_value this_arg, napi_value opts, const char *name,
	     napi_value *promise);

/* Queue the job (runs when the graph's earlier jobs have finished). 0 or -1. */
int job_submit(napi_env env, job *j);

/* Free a job that was never submitted (rejects nothing: the caller throws). */
void job_abandon(napi_env env, job *j);

/* The liblineage progress callback for a job: pass the job as payload. */
int job_progress_cb(const char *stage, uint64_t done, uint64_t total, void *payload);

/* Record this thread's last error in the job (worker side). Returns the code. */
int job_fail(job *j, int code);

/* Cancel tokens (an external holding an atomic flag): createCancelToken / cancel. */
napi_value addon_create_cancel_token(napi_env env, napi_callback_info info);
napi_value addon_cancel_token(napi_env env, napi_callback_info info);

/* A plain traversal result as JavaScript objects (result_js.c). 0 or -1. */
int result_traversal_to_js(napi_env env, const lineage_result *res, lineage_direction dir,
			   napi_value *out);

/* Register the Graph class and its methods on `exports`. 0 or -1. */
int graph_register(napi_env env, napi_value exports, addon_data *ad);

/* Module-level sqlDialects() and scanners() (sql.c); analyzeSql() is in the table. */
napi_value addon_sql_dialects(napi_env env, napi_callback_info info);
napi_value addon_scanners(napi_env env, napi_callback_info info);

#endif
