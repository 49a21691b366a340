/*
 * Internal: the Airflow scanner. A DAG file is tokenized (tokenizer.c), parsed into a
 * statement tree (parser.c), evaluated symbolically — never executed — into a model of DAGs,
 * task groups, tasks and dependencies (eval.c, dag_model.c), and the model is turned into
 * assets and edges (sql_tasks.c for the SQL of SQL operators, transfer.c for transfer
 * operators, emit.c for the rest).
 *
 * Bounds: expressions nest at most AF_MAX_DEPTH deep and blocks AF_MAX_BLOCKS deep (deeper
 * input is a "nested too deep" diagnostic, never a deep recursion); function and task group
 * bodies are re-evaluated at each call at most AF_MAX_CALL_DEPTH calls deep, and the whole
 * evaluation has a step budget, so no input makes the work or the memory grow without bound.
 */
#ifndef LIN_SCAN_AIRFLOW_INTERNAL_H
#define LIN_SCAN_AIRFLOW_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "lineage/scanner.h"

#define AF_MAX_DEPTH 200
#define AF_MAX_BLOCKS 100
#define AF_MAX_CALL_DEPTH 8
#define AF_MAX_LOOP 1000


/* ---- tokens ---- */
typedef enum af_tok_kind {
	AF_T_NAME,
	AF_T_NUMBER,
	AF_T_STRING,  /* one literal; adjacent ones are joined by the parser */
	AF_T_OP,      /* operators and delimiters; text in `text` */
	AF_T_NEWLINE, /* end of a logical line */
	AF_T_EOF
} af_tok_kind;

#define AF_STR_F 0x1u     /* f-string */
#define AF_STR_BYTES 0x2u /* b'' */

typedef struct af_token {
	af_tok_kind kind;
	const char *text; /* NAME, NUMBER, OP: the source text; STRING: the decoded value */
	size_t len;
	unsigned flags;   /* AF_STR_* */
	int line, col;    /* 1-based */
	int indent;       /* NEWLINE-following token: the indentation of its logical line */
	int first;        /* first token of a logical line */
} af_token;

typedef struct af_diag_fn {
	void (*fn)(void *ctx, lineage_diag_severity sev, int line, int col, const char *msg);
	void *ctx;
} af_diag_fn;

/* Tokenize `src`; tokens live in `arena`. Problems (unterminated strings, stray characters)
 * are reported through `diag` and tokenizing goes on. Returns 0 or ENOMEM. */
int lin_af_tokenize(af_token **out, size_t *count, const char *src, size_t len, lin_arena *arena,
		    const af_diag_fn *diag);

/* ---- expressions ---- */
typedef enum af_node_kind {
	AF_N_NAME,
	AF_N_STR,
	AF_N_NUM,
	AF_N_CONST,  /* None, True, False, ... */
	AF_N_ATTR,   /* a.name: kids[0] = a */
	AF_N_CALL,   /* kids[0] = callee, then arguments; names[i] = keyword or NULL */
	AF_N_SUBSCRIPT,
	AF_N_LIST,
	AF_N_TUPLE,
	AF_N_SET,
	AF_N_DICT,   /* kids: key, value, key, value... (key NULL for **x) */
	AF_N_BINOP,  /* op in text: ">>", "<<", "|", "&", "+" */
	AF_N_STAR,   /* *x or **x in a call or a list */
	AF_N_OTHER   /* anything else: kids evaluated for their effects only */
} af_node_kind;

typedef struct af_node {
	af_node_kind kind;
	int line, col;
	const char *text; /* NAME, ATTR: identifier; STR: value; BINOP: operator */
	size_t len;
	unsigned flags;   /* AF_STR_F for f-strings */
	struct af_node **kids;
	const char **names; /* CALL: keyword of each kid (kids[0] has none) */
	size_t nkids;
} af_node;

/* ---- statements ---- */
typedef enum af_stmt_kind {
	AF_S_EXPR,    /* expr: value */
	AF_S_ASSIGN,  /* targets = value */
	AF_S_WITH,    /* items (exprs) with `as` targets; body */
	AF_S_DEF,     /* name, params, decorators, body */
	AF_S_CLASS,   /* body skipped */
	AF_S_FOR,     /* target in value: body */
	AF_S_BLOCK,   /* if/elif/else/while/try/except/finally: body evaluated once */
	AF_S_RETURN,
	AF_S_IMPORT,  /* module; names and aliases */
	AF_S_OTHER
} af_stmt_kind;

typedef struct af_stmt af_stmt;
typedef struct af_body {
	af_stmt **stmts;
	size_t n;
} af_body;

typedef struct af_param {
	const char *name;
	af_node *def; /* default value or NULL */
	int star;     /* 1 for *args, 2 for **kwargs */
} af_param;

struct af_stmt {
	af_stmt_kind kind;
	int line, col;
	af_node *value;        /* EXPR, ASSIGN, FOR (iterable), RETURN */
	af_node **targets;     /* ASSIGN: each target; FOR: one */
	size_t ntargets;
	af_node **items;       /* WITH: context expressions; DEF: decorators */
	af_node **as;          /* WITH: `as` target or NULL */
	size_t nitems;
	const char *name;      /* DEF, CLASS; IMPORT: module */
	af_param *params;
	size_t nparams;
	const char **imports;  /* IMPORT: names imported ... */
	const char **aliases;  /* ... and the names they are bound to */
	size_t nimports;
	af_body body;
};

/* Parse tokens into a module body. Syntax errors are diagnostics: the statement is skipped
 * and parsing goes on. Returns 0 or ENOMEM. */
int lin_af_parse(af_body *out, const af_token *toks, size_t count, lin_arena *arena,
		 const af_diag_fn *diag);

/* ---- the model ---- */
typedef struct af_dataset_ref {
	const char *uri;
	int line, col;
} af_dataset_ref;

typedef struct af_strlist {
	const char **v;
	size_t n, cap;
} af_strlist;

typedef struct af_dag {
	const char *id;
	int line, col;
	const char *description, *owner, *schedule;
	af_strlist tags;
	af_strlist searchpath; /* template_searchpath, as written */
	af_strlist schedule_datasets;
	struct af_value *params; /* dict or NULL */
	int dynamic;             /* id not known statically */
} af_dag;

typedef struct af_group {
	const char *id;          /* full id, with parent groups' prefixes */
	size_t dag;
	int prefix;              /* prefix_group_id */
	long parent;             /* enclosing group or -1 */
} af_group;

/* A node of the dependency graph: a task or a task group (whose roots or leaves stand for it). */
typedef struct af_ref {
	int is_group;
	size_t index;
} af_ref;

typedef struct af_sql {
	const char *text;      /* the SQL, or the template file's path */
	size_t len;
	int from_file;         /* text is a path to resolve on the template search path */
	int dynamic;           /* built from an f-string: placeholders stand for the unknown parts */
	int line, col;
} af_sql;

typedef struct af_task {
	const char *id;        /* full task id (with group prefix) */
	const char *operator_name; /* "PostgresOperator", "@task", "@task.bash" */
	size_t dag;
	long group;
	int line, col;
	int mapped;            /* .expand() */
	const char *dialect;   /* NULL: the scan's dialect */
	af_sql *sql;           /* statements of SQL operators */
	size_t nsql;
	struct af_value *params;   /* params= dict for Jinja */
	struct af_value *kwargs;   /* every keyword argument (dict), for transfer operators */
	af_strlist inlets, outlets;
} af_task;

typedef struct af_dep {
	af_ref up, down;
	int line;
} af_dep;

typedef struct af_model {
	lin_arena *arena;
	const char *file;
	af_dag *dags;
	size_t ndags, cap_dags;
	af_group *groups;
	size_t ngroups, cap_groups;
	af_task *tasks;
	size_t ntasks, cap_tasks;
	af_dep *deps;
	size_t ndeps, cap_deps;
	int imports_airflow;
} af_model;

/* ---- values of the symbolic evaluation ---- */
typedef enum af_vkind {
	AF_V_UNKNOWN,
	AF_V_NONE,
	AF_V_STR,
	AF_V_NUM,
	AF_V_LIST,     /* list, tuple, set */
	AF_V_DICT,
	AF_V_TASK,     /* an operator or the result (XComArg) of a TaskFlow call */
	AF_V_GROUP,
	AF_V_DAG,
	AF_V_DATASET,
	AF_V_FUNC,     /* a def: plain, @task, @dag or @task_group */
	AF_V_TASKFN,   /* @task function, possibly .override()n or .partial()ed */
	AF_V_ALIAS,    /* an imported name: `text` is what it stands for */
	AF_V_OPCLASS   /* `XxxOperator.partial(...)`: an operator class with kwargs */
} af_vkind;

typedef struct af_value {
	af_vkind kind;
	const char *text;        /* STR value; ALIAS target; DATASET uri; TASKFN task id */
	int dynamic;             /* STR built from unresolved f-string parts */
	size_t index;            /* TASK, GROUP, DAG */
	struct af_value **items; /* LIST items; DICT: key, value pairs */
	const char **keys;       /* DICT keys (NULL for unknown keys) */
	size_t n, cap;
	const char *why;         /* STR dynamic: the first part that could not be resolved */
	const af_stmt *def;      /* FUNC, TASKFN: the definition */
	struct af_scope *closure;/* FUNC, TASKFN: the scope it was defined in */
	int fn_kind;             /* FUNC: 0 plain, 1 @dag, 2 @task_group; TASKFN: 0 */
	struct af_value *deco;   /* FUNC/TASKFN: the decorator's keyword arguments (dict) */
	const char *deco_name;   /* TASKFN: "@task", "@task.bash"... */
	int called;              /* FUNC @dag: already called */
} af_value;

/* The value of `key` in a dict value (the last one given), or NULL. */
af_value *lin_af_dict_get(const af_value *dict, const char *key);

/* Evaluate a parsed module into the model. Returns 0 or ENOMEM. */
int lin_af_eval(af_model *m, const af_body *module, const af_diag_fn *diag);

/* Model building (dag_model.c). Each returns the new index, or -1 when out of memory. */
long lin_af_add_dag(af_model *m, const char *id, int line, int col);
long lin_af_add_group(af_model *m, const char *id, size_t dag, long parent, int prefix);
/* A task: the id is prefixed with its group's; an id already in the DAG gets "__1", "__2"
 * (as Airflow does for a TaskFlow function called twice) when `dedupe`, else the existing
 * task is returned. */
long lin_af_add_task(af_model *m, const char *id, size_t dag, long group, int line, int col,
		     int dedupe);
int lin_af_add_dep(af_model *m, af_ref up, af_ref down, int line);
int lin_af_strlist_add(lin_arena *a, af_strlist *l, const char *s);
/* Task ids standing for a node: a task itself, or a group's roots (as a downstream) or
 * leaves (as an upstream). Fills `out` (caller frees) with task indexes. */
int lin_af_expand_ref(const af_model *m, af_ref r, int as_upstream, size_t **out, size_t *n);
void lin_af_model_free(af_model *m);

/* ---- SQL operators and transfers (sql_tasks.c) ---- */
/* The dialect an operator's SQL is written in, or NULL when it does not say (generic SQL
 * operators: the scan's dialect). `*is_sql` is set for operators whose SQL is analysed. */
const char *lin_af_operator_dialect(const char *op, int *is_sql);
/* The keyword argument holding the SQL for this operator ("sql", "hql", "query"), or NULL. */
const char *lin_af_operator_sql_arg(const char *op);
typedef struct af_scan_ctx {
	lineage_scan_sink *sink;
	const char *path;     /* the DAG file */
	af_model *model;
} af_scan_ctx;

/* Emit the lineage of one task's SQL; tables it only reads are added to `reads_only` (the
 * sources of a transfer such as PostgresToGCSOperator). Returns 0 or a code that must end
 * the run. */
int lin_af_emit_sql(af_scan_ctx *c, size_t task, const char *task_key, af_strlist *reads_only);
/* Emit the lineage of a transfer operator (S3ToRedshiftOperator, ...), when it is one;
 * `sql_sources` are the tables its SQL reads. */
int lin_af_emit_transfer(af_scan_ctx *c, size_t task, const char *task_key,
			 const af_strlist *sql_sources);
/* The argument holding a transfer operator's SQL when it is not "sql", or NULL. */
const char *lin_af_transfer_sql_arg(const char *op);

/* Emit everything of the model. */
int lin_af_emit(af_scan_ctx *c);

/* Keys: "airflow:<dag>" and "airflow:<dag>.<task>" (new strings in the model's arena). */
const char *lin_af_dag_key(af_model *m, size_t dag);
const char *lin_af_task_key(af_model *m, size_t task);

/* A diagnostic on the scan sink, formatted. */
void lin_af_diag(lineage_scan_sink *sink, lineage_diag_severity sev, const char *file, int line,
		 int col, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 6, 7)))
#endif
	;

#endif
