/* Internal: the SQL lineage scanner (tokenizer, parser, resolver, script state). */
#ifndef LIN_SCAN_SQL_INTERNAL_H
#define LIN_SCAN_SQL_INTERNAL_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/arena.h"
#include "common/error.h"
#include "lineage/scan.h"


/* ---- dialects ---- */
enum {
	DF_HASH_COMMENT = 1u << 0,   /* # starts a comment (MySQL, BigQuery) */
	DF_NESTED_COMMENT = 1u << 1, /* slash-star comments nest */
	DF_BACKSLASH = 1u << 2,      /* backslash escapes in string literals */
	DF_DQ_STRING = 1u << 3,      /* "x" is a string, not an identifier */
	DF_BRACKET_ID = 1u << 4,     /* [x] is an identifier (T-SQL) */
	DF_DOLLAR = 1u << 5,         /* $$...$$ strings */
	DF_DOLLAR_TAG = 1u << 6,     /* $tag$...$tag$ strings */
	DF_BQ_STRINGS = 1u << 7,     /* r'..', b'..', '''..''' and """...""" */
	DF_GO = 1u << 8,             /* a line holding only GO ends a batch */
	DF_CI_QUOTED = 1u << 9,      /* identifiers are case-insensitive even when quoted */
	DF_UPPER_FOLD = 1u << 10,    /* unquoted names fold to upper case: "ABC" == abc */
	DF_LATERAL_ALIAS = 1u << 11, /* select items may use earlier aliases */
	DF_LAMBDA = 1u << 12,        /* x -> expr lambdas */
	DF_COLON_PATH = 1u << 13,    /* col:field semi-structured paths */
	DF_SLASH_COMMENT = 1u << 14, /* // line comments (Snowflake) */
	DF_USE_IS_DB = 1u << 15,     /* USE x names a database above the schema level */
	DF_Q_QUOTE = 1u << 16,       /* q'[...]' strings (Oracle) */
	DF_STRUCT = 1u << 17,        /* col.field reads a struct field */
	DF_DELIMITER = 1u << 18,     /* DELIMITER $$ changes the statement terminator (MySQL) */
	DF_SLASH_LINE = 1u << 19,    /* a line holding only / ends a PL/SQL unit (Oracle) */
	DF_ABBREV = 1u << 20         /* SEL, INS, UPD, DEL abbreviate the statements (Teradata) */
};

typedef struct sql_dialect {
	const char *name;
	unsigned flags;
} sql_dialect;

const sql_dialect *lin_sql_dialect_find(const char *name);

/* ---- keywords ---- */
enum {
	KF_CLAUSE = 1u << 0, /* ends an expression; never an implicit alias */
	KF_OP = 1u << 1,     /* an operator word (AND, IS, LIKE...) */
	KF_EXPR = 1u << 2,   /* an expression word that is not a column (NULL, CASE...) */
	KF_UNIT = 1u << 3    /* a time unit: a column only when a schema says so */
};

#define LIN_SQL_KEYWORDS(X) \
	X(all, KF_EXPR) X(alter, 0) X(and, KF_OP) X(anti, KF_CLAUSE) X(any, KF_EXPR) \
	X(apply, KF_CLAUSE) X(array, KF_EXPR) X(as, KF_CLAUSE) X(asc, KF_CLAUSE) X(at, KF_OP) \
	X(begin, 0) X(between, KF_OP) X(both, KF_EXPR) X(by, KF_CLAUSE) X(case, KF_EXPR) \
	X(clone, 0) X(cluster, KF_CLAUSE) X(collate, KF_OP) X(connect, KF_CLAUSE) X(copy, 0) \
	X(create, 0) X(cross, KF_CLAUSE) X(current, KF_EXPR) X(current_date, KF_EXPR) \
	X(current_time, KF_EXPR) X(current_timestamp, KF_EXPR) X(current_user, KF_EXPR) \
	X(database, 0) X(date, 0) X(day, KF_UNIT) X(days, KF_UNIT) X(default, KF_EXPR) \
	X(delete, KF_CLAUSE) X(desc, KF_CLAUSE) X(directory, 0) X(distinct, KF_EXPR) \
	X(distribute, KF_CLAUSE) X(div, KF_OP) X(drop, 0) X(else, KF_CLAUSE | KF_EXPR) \
	X(end, KF_CLAUSE | KF_EXPR) X(escape, KF_OP) X(except, KF_CLAUSE) X(exclude, 0) \
	X(exists, KF_EXPR) X(external, 0) X(false, KF_EXPR) X(fetch, KF_CLAUSE) \
	X(filter, KF_OP) X(first, 0) X(following, KF_EXPR) X(for, KF_CLAUSE) \
	X(from, KF_CLAUSE) X(full, KF_CLAUSE) X(glob, KF_OP) X(global, 0) X(group, KF_CLAUSE) \
	X(having, KF_CLAUSE) X(hour, KF_UNIT) X(hours, KF_UNIT) X(if, 0) X(ignore, KF_OP) \
	X(ilike, KF_OP) X(in, KF_OP) X(inner, KF_CLAUSE) X(inpath, 0) X(insert, KF_CLAUSE) \
	X(intersect, KF_CLAUSE) X(interval, KF_EXPR) X(into, KF_CLAUSE) X(is, KF_OP) \
	X(join, KF_CLAUSE) X(lateral, KF_CLAUSE) X(leading, KF_EXPR) X(left, KF_CLAUSE) \
	X(like, KF_OP) X(limit, KF_CLAUSE) X(load, 0) X(local, 0) X(materialized, 0) \
	X(merge, KF_CLAUSE) X(minus, KF_CLAUSE) X(minute, KF_UNIT) X(minutes, KF_UNIT) \
	X(month, KF_UNIT) X(months, KF_UNIT) X(multiset, 0) X(natural, KF_CLAUSE) \
	X(not, KF_OP) X(null, KF_EXPR) X(nulls, KF_CLAUSE) X(offset, KF_CLAUSE) \
	X(on, KF_CLAUSE) X(only, 0) X(or, KF_OP) X(order, KF_CLAUSE) X(outer, KF_CLAUSE) \
	X(over, KF_OP) X(overwrite, 0) X(partition, KF_CLAUSE) X(pivot, KF_CLAUSE) X(placing, KF_OP) \
	X(preceding, KF_EXPR) X(prior, KF_OP) X(qualify, KF_CLAUSE) X(quarter, KF_UNIT) X(range, KF_EXPR) \
	X(recursive, 0) X(regexp, KF_OP) X(rename, 0) X(replace, 0) X(respect, KF_OP) \
	X(returning, KF_CLAUSE) X(right, KF_CLAUSE) X(rlike, KF_OP) X(row, KF_EXPR) \
	X(rows, KF_EXPR) X(sample, KF_CLAUSE) X(schema, 0) X(second, KF_UNIT) \
	X(seconds, KF_UNIT) X(secure, 0) X(select, KF_CLAUSE) X(semi, KF_CLAUSE) \
	X(set, KF_CLAUSE) X(similar, KF_OP) X(some, KF_EXPR) X(sort, KF_CLAUSE) \
	X(straight_join, KF_CLAUSE) X(swap, 0) X(table, 0) X(tablesample, KF_CLAUSE) \
	X(temp, 0) X(temporary, 0) X(then, KF_CLAUSE | KF_EXPR) X(timestamp, 0) X(to, 0) \
	X(top, 0) X(trailing, KF_EXPR) X(transient, 0) X(true, KF_EXPR) X(truncate, 0) \
	X(unbounded, KF_EXPR) X(union, KF_CLAUSE) X(unload, 0) X(unnest, 0) \
	X(unpivot, KF_CLAUSE) X(update, KF_CLAUSE) X(use, 0) X(using, KF_CLAUSE) \
	X(values, KF_CLAUSE) X(view, 0) X(volatile, 0) X(week, KF_UNIT) X(weeks, KF_UNIT) \
	X(when, KF_CLAUSE | KF_EXPR) X(where, KF_CLAUSE) X(window, KF_CLAUSE) \
	X(with, KF_CLAUSE) X(within, KF_OP) X(xor, KF_OP) X(year, KF_UNIT) X(years, KF_UNIT)

enum {
	K_NONE = 0,
#define LIN_KW_ENUM(name, flags) K_##name,
	LIN_SQL_KEYWORDS(LIN_KW_ENUM)
#undef LIN_KW_ENUM
	K_COUNT_
};

/* Builds the keyword table once per process: before the first lin_sql_keyword() (the
 * lexer's init calls it). */
void lin_sql_keywords_init(void);
/* The keyword id of word[0..len) (any case), K_NONE if it is not one. */
int lin_sql_keyword(const char *word, size_t len);
unsigned lin_sql_keyword_flags(int kw);
const char *lin_sql_keyword_name(int kw);
/* Non-zero when `name` (lower case) is an aggregate function. */
int lin_sql_is_aggregate(const char *name);

/* ---- tokens ---- */
enum { T_EOF = 0, T_WORD, T_QIDENT, T_STRING, T_NUMBER, T_PARAM, T_OP };

typedef struct sql_token {
	size_t off;      /* start in the script (for QIDENT: after the opening quote) */
	uint32_t len;    /* length (for QIDENT: the inside, quotes excluded) */
	uint32_t line;   /* 1-based */
	uint32_t col;    /* 1-based, bytes */
	uint16_t kw;     /* keyword id for T_WORD, else K_NONE */
	uint8_t type;
	uint8_t quote;   /* for QIDENT: the closing quote char (doubled inside = one) */
	uint16_t op;     /* for T_OP: first char | second char << 8 */
	uint8_t nl;      /* a line break comes before this token */
} sql_token;

#define OP2(a, b) ((uint16_t)((unsigned char)(a) | ((unsigned)(unsigned char)(b) << 8)))

typedef struct sql_lexer {
	const char *src;
	size_t len, pos;
	uint32_t line;
	size_t line_start;
	unsigned flags; /* dialect flags */
	char delim[8];        /* DELIMITER: the terminator when not ";" ("" = ";") */
	/* set by the last lin_sql_lex_statement() call */
	int batch_end;        /* it ended at a GO or / line: a procedure body ends there too */
	const char *error;    /* "unterminated string literal", ... or NULL */
	uint32_t err_line, err_col;
} sql_lexer;

typedef struct sql_tokvec {
	sql_token *v;
	size_t n, cap;
	size_t max; /* most tokens kept; more are counted in `dropped` */
	size_t dropped;
} sql_tokvec;

void lin_sql_lexer_init(sql_lexer *lx, const char *src, size_t len, unsigned flags);
/*
 * Tokens of the next statement into `out` (emptied first), up to and excluding the `;` or
 * GO line that ends it. Returns 1 when a statement was read (possibly empty), 0 at the end
 * of input; -1 on ENOMEM. `*start_line`/`*start_col` get where it starts.
 */
int lin_sql_lex_statement(sql_lexer *lx, sql_tokvec *out);
void lin_sql_tokvec_free(sql_tokvec *tv);

/* ---- script state: interned names, tables, edges, diagnostics ---- */
typedef uint64_t sql_ref; /* table id << 32 | column name id */
#define REF(t, c) (((uint64_t)(t) << 32) | (uint32_t)(c))
#define REF_TABLE(r) ((uint32_t)((r) >> 32))
#define REF_COL(r) ((uint32_t)(r))

typedef struct sql_refset {
	sql_ref *v;
	uint32_t n, cap;
	uint32_t nsorted; /* v[0..nsorted) is sorted; the rest is a short unsorted tail */
} sql_refset;

typedef struct sql_table {
	const char *name;   /* display name, as first written */
	const char *key;    /* identity: qualified with USE defaults */
	uint32_t id;
	int temporary, location;
	int64_t first_read, last_read, first_write, last_write; /* statement indexes, -1 none */
	int64_t last_drop;  /* the last DROP of it, -1 none */
	size_t read_mark, write_mark; /* statement index + 1 when noted in it (O(1) dedupe) */
	size_t stmt;
	uint32_t line, col;
	int kept;           /* named by a statement that was understood (else not in the result) */
	/* known columns */
	int cols_state;     /* 0 not asked, 1 known, 2 unknown */
	uint32_t *cols;     /* interned name ids */
	uint32_t ncols;
} sql_table;

typedef struct sql_edge {
	uint32_t src_table, src_col; /* src_col UINT32_MAX: a table edge */
	uint32_t dst_table, dst_col;
	uint8_t kind;                /* EK_* */
	size_t stmt;
	uint32_t line, col;
} sql_edge;

enum { EK_IDENTITY = 0, EK_TRANSFORM, EK_AGGREGATE, EK_WINDOW, EK_INDIRECT, EK_TABLE };

typedef struct sql_diag {
	uint32_t line, col;
	size_t stmt;
	int severity;
	char *reason;
} sql_diag;

typedef struct sql_stmtinfo {
	uint32_t line, col;
	const char *type; /* static */
	const char *routine; /* interned: the procedure or function whose body holds it */
	uint32_t *reads, nreads;
	uint32_t *writes, nwrites;
	uint32_t *renames, nrenames; /* (from, to) pairs of table ids */
} sql_stmtinfo;

typedef struct sql_intern {
	char **names;
	uint32_t n, cap;
	uint32_t *slots; /* open addressing: id + 1, 0 empty */
	uint32_t nslots;
} sql_intern;

typedef struct sql_script {
	const sql_dialect *dialect;
	const lineage_sql_options *opts;
	void *schema_json; /* json_t * object or NULL */
	sql_intern names;
	uint32_t star_id;  /* interned "*" */
	sql_table *tables;
	uint32_t ntables, ctables;
	uint32_t *tslots; /* table key hash: id + 1 */
	uint32_t ntslots;
	uint32_t *pending; /* tables the statement being read names that none kept yet */
	uint32_t npending, cpending;
	sql_edge *edges;
	size_t nedges, cedges;
	sql_diag *diags;
	size_t ndiags, cdiags;
	sql_stmtinfo *stmts;
	size_t nstmts, cstmts;
	const char *use_db, *use_schema; /* interned, or NULL */
	const char **vars;               /* interned names of procedural variables and
					    parameters in scope: never columns */
	uint32_t nvars, cvars;
	/* cursor and loop records: name.col is computed from refs (FOR r IN (query) LOOP) */
	struct sql_record *records;
	uint32_t nrecords, crecords;
	int cb_error;                    /* a negative code returned by the columns callback */
} sql_script;

int lin_sql_script_init(sql_script *sc, const lineage_sql_options *opts,
			const sql_dialect *dialect);
void lin_sql_script_free(sql_script *sc);
/* Intern a string: its id, or UINT32_MAX on ENOMEM. */
uint32_t lin_sql_intern(sql_script *sc, const char *s, size_t n);
static inline const char *lin_sql_name(const sql_script *sc, uint32_t id)
{
	return sc->names.names[id];
}
/* Find or add the table with these normalized parts; UINT32_MAX on ENOMEM. */
uint32_t lin_sql_table(sql_script *sc, const char *const *parts, int nparts, int location,
		       size_t stmt, uint32_t line, uint32_t col);
/* After each statement: the tables it named are kept when it was understood (`ok`); a
 * skipped statement names none in the result. */
void lin_sql_tables_settle(sql_script *sc, int ok);
/* Known columns of a table: 1 (cols set), 0 unknown, negative: callback error. */
int lin_sql_table_columns(sql_script *sc, uint32_t tid, const uint32_t **cols, uint32_t *n);
int lin_sql_table_set_columns(sql_script *sc, uint32_t tid, const uint32_t *cols, uint32_t n);
int lin_sql_diag(sql_script *sc, size_t stmt, uint32_t line, uint32_t col, int severity,
		 const char *fmt, ...) LIN_PRINTF(6, 7);
int lin_sql_add_edge(sql_script *sc, const sql_edge *e);

typedef struct sql_record {
	const char *name;  /* interned */
	uint32_t *cols;    /* interned column names, one per ref */
	sql_ref *refs;
	uint32_t n;
} sql_record;

/* Record `to` is record `from` (FOR r IN c LOOP); 0, or LINEAGE_ENOMEM. */
int lin_sql_record_alias(sql_script *sc, const char *to, const char *from);
const sql_record *lin_sql_record_find(const sql_script *sc, const char *name);
void lin_sql_records_clear(sql_script *sc);

/* A procedural variable or parameter (lower-case name) is in scope. */
int lin_sql_is_var(const sql_script *sc, const char *name);
int lin_sql_var_add(sql_script *sc, const char *name); /* 0, or LINEAGE_ENOMEM */

/* ---- procedural blocks (block.c) ---- */
enum {
	BK_STMT = 1, /* a statement */
	BK_EXPR,     /* an expression (IF/WHILE condition, assignment): its subqueries are read */
	BK_DECL,     /* a declaration: a variable, a cursor's query, a table variable */
	BK_DYNAMIC,  /* EXEC/EXECUTE of a string: reported, not analyzed */
	BK_BODY,     /* one string token holding a routine or block body to read as SQL */
	BK_VAR,      /* one token naming a parameter or variable */
	BK_LOOPVAR,  /* one token naming a loop's record: the next piece is its query or cursor */
	BK_FOREIGN   /* one token naming a non-SQL language of a routine body */
};
enum { RT_END_BLOCK = 1, RT_END_BATCH, RT_END_CHUNK, RT_END_STRING };
#define SQL_BLOCK_MAX_ROUTINES 8
#define SQL_BLOCK_NAME 256

typedef void (*sql_piece_fn)(void *ctx, const sql_token *t, size_t n, int kind);

typedef struct sql_block_routine {
	char name[SQL_BLOCK_NAME];
	int depth;    /* block depth when it opened */
	int end_mode; /* RT_END_* */
	int package;  /* a package body: its procedures are package.proc */
} sql_block_routine;

typedef struct sql_block {
	const char *src;
	unsigned flags;
	sql_piece_fn fn;
	void *ctx;
	int depth;       /* open BEGIN / IF / LOOP / CASE blocks */
	int declaring;   /* in a declaration section (before BEGIN) */
	int skip_spec;   /* in a package specification: nothing runs until its END */
	int in_body;     /* nesting of routine bodies read from $$ strings (set by the caller) */
	int semicolons;  /* the chunk being split may hold ; tokens */
	const sql_token *pe_tokens; /* the last piece end found: in this chunk, */
	size_t pe_from, pe_end;     /* from pe_from, at pe_end */
	sql_block_routine routines[SQL_BLOCK_MAX_ROUTINES];
	int nroutines, overflow;
} sql_block;

void lin_sql_block_init(sql_block *b, const char *src, unsigned flags, sql_piece_fn fn,
			void *ctx);
/* Cut one lexer chunk into pieces, calling b->fn for each; batch_end: a GO or / ended it;
 * semicolons: the chunk may hold ; tokens (a DELIMITER other than ; is in force). */
void lin_sql_block_split(sql_block *b, const sql_token *t, size_t n, int batch_end,
			 int semicolons);
/* The end of the input (or of a batch): every routine and block ends. */
void lin_sql_block_end(sql_block *b);
/* The routine whose body is being read, or NULL. */
const char *lin_sql_block_routine(const sql_block *b);

/* ---- parser ---- */
typedef struct sql_query sql_query;
typedef struct sql_cte {
	const char *name;
	sql_query *q; /* NULL while its body is parsed (a recursive reference) */
	const char **cols;
	int ncols;
	struct sql_cte *next;
} sql_cte;

enum { S_TABLE = 1, S_DERIVED, S_FUNC };

typedef struct sql_src {
	uint8_t kind;
	const char *alias;
	const char **parts; /* S_TABLE: the name's parts */
	int nparts;
	uint32_t tid;       /* S_TABLE */
	sql_query *q;       /* S_DERIVED (NULL: a recursive CTE's self-reference) */
	sql_cte *cte;       /* S_DERIVED from a CTE */
	const char **colaliases;
	int ncolaliases;
	sql_refset set;     /* S_FUNC: what its columns are computed from */
	const char **using_cols; /* JOIN ... USING (cols) */
	int nusing;
	int natural;        /* in a NATURAL JOIN: common columns are not ambiguous */
} sql_src;

typedef struct sql_rawref {
	const char **parts;
	uint8_t nparts;
	uint8_t soft;    /* a time unit: drop unless a schema knows it */
	uint8_t star;    /* the last part is * */
	uint8_t early;   /* resolve before the select items (FROM functions) */
	uint8_t alias_ok;/* may name a select item's alias (ORDER BY, lateral aliases) */
	sql_refset *dest;
	sql_query *origin;
	int item;        /* select item index it belongs to, or -1 */
	uint32_t line, col;
	struct sql_rawref *next;
} sql_rawref;

typedef struct sql_item {
	const char *alias;     /* explicit alias or NULL */
	const char *colname;   /* the column's name when the item is a bare column */
	const char *funcname;  /* the function when the item is a bare call */
	uint32_t tok_from, tok_to; /* its expression's tokens (names unaliased expressions) */
	uint8_t kind;          /* EK_* */
	uint8_t star;          /* * or t.* */
	const char **star_parts;
	int nstar;
	const char **except;   /* * EXCEPT / EXCLUDE names */
	int nexcept;
	sql_refset set;
	uint32_t line, col;
} sql_item;

typedef struct sql_outcol {
	const char *name;      /* "*" for an unexpanded wildcard */
	sql_refset set;
	uint8_t kind;
	uint32_t line, col;
} sql_outcol;

struct sql_query {
	sql_query *parent;
	sql_refset *parent_dest; /* where this query's values flow in the parent */
	sql_cte *ctes;
	sql_src **srcs;
	int nsrcs, csrcs;
	int from_done;           /* its FROM clause has been parsed */
	sql_item **items;
	int nitems, citems;
	sql_rawref *refs, *refs_tail;
	sql_outcol *cols;
	int ncols;
	int resolved;
	int parent_item;         /* the parent's select item this query sits in, or -1 */
	int32_t *colidx;         /* lazy name -> column index (open addressing, index + 1) */
	uint32_t ncolidx;
	int has_wild;            /* -1 not computed, else whether an output is "*" */
	int no_alias;            /* items name target columns (UPDATE, MERGE), not aliases */
};

typedef struct sql_parser {
	const char *src;
	const sql_token *t;
	size_t n, pos;
	sql_token eof;
	lin_arena *arena;
	sql_script *sc;
	const sql_dialect *d;
	unsigned flags;
	size_t stmt;
	unsigned depth, max_depth;
	jmp_buf jb;
	int fail;               /* 1 parse error (diag added), 2 ENOMEM, 3 callback error */
	sql_cte *ctes;          /* CTEs in scope */
	sql_refset indirect;    /* this statement's indirect column refs */
	uint32_t *reads, nreads, creads;
	uint32_t *writes, nwrites, cwrites;
	const char *type;       /* statement type name */
	uint8_t *ctx;           /* expression context stack, max_depth entries */
	int unload_depth;       /* UNLOAD('...') nesting */
	int alias_ok;           /* refs scanned now may name select aliases */
	int sub_item;           /* parent item of the next subquery (-1: none) */
	int no_read;            /* table sources added now are not reads (DML targets) */
	const char **into;      /* SELECT ... INTO target */
	int ninto;
	int into_temp;
	const sql_token *into_at;
	const sql_token *into_file;  /* MySQL SELECT ... INTO OUTFILE 'path' */
	struct sql_warned *warned; /* names already reported ambiguous in this statement */
	uint32_t *renames, nrenames; /* (from, to) table id pairs renamed by this statement */
	int piece;              /* BK_* kind of the token range being parsed */
	const char *record;     /* the loop record this statement's query fills, or NULL */
	int in_proc;            /* inside a routine body or procedural block */
	sql_edge *edges;        /* this statement's column edges, committed when it parses */
	size_t nedges, cedges;
} sql_parser;

/* parse.c */
void lin_sql_parse_statement(sql_parser *p);
/* util for parser modules */
static inline const sql_token *lin_sql_peek(sql_parser *p, size_t ahead)
{
	size_t i = p->pos + ahead;
	return i < p->n ? &p->t[i] : &p->eof;
}
static inline int lin_sql_is_kw(const sql_token *t, int kw)
{
	return t->type == T_WORD && t->kw == kw;
}
static inline int lin_sql_is_ident(const sql_token *t)
{
	return t->type == T_WORD || t->type == T_QIDENT;
}
static inline const sql_token *lin_sql_cur(sql_parser *p)
{
	return lin_sql_peek(p, 0);
}
static inline int lin_sql_is_op(const sql_token *t, uint16_t op)
{
	return t->type == T_OP && t->op == op;
}
/* Step over the current token when it is keyword `kw`: 1 when it was. */
static inline int lin_sql_accept_kw(sql_parser *p, int kw)
{
	if (lin_sql_is_kw(lin_sql_cur(p), kw)) {
		p->pos++;
		return 1;
	}
	return 0;
}
/* Is `t` the (unquoted) word `w`, given in lower case? Case-insensitive. Inline: on hot
 * paths with literal words, whose length the compiler then knows. */
static inline int lin_sql_word_is(const sql_parser *p, const sql_token *t, const char *w)
{
	size_t n = strlen(w);
	if (t->type != T_WORD || t->len != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = p->src[t->off + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c != w[i])
			return 0;
	}
	return 1;
}
void lin_sql_fail(sql_parser *p, const sql_token *at, const char *fmt, ...) LIN_PRINTF(3, 4);
void lin_sql_oom(sql_parser *p);
void *lin_sql_alloc(sql_parser *p, size_t size);
/* The same, not zeroed: for buffers the caller fills entirely. */
void *lin_sql_alloc_uninit(sql_parser *p, size_t size);
/* The normalized text of an identifier token. */
const char *lin_sql_ident(sql_parser *p, const sql_token *t);
void lin_sql_refset_add(sql_parser *p, sql_refset *s, sql_ref r);
void lin_sql_refset_merge(sql_parser *p, sql_refset *dst, const sql_refset *src);
void lin_sql_enter(sql_parser *p, const sql_token *at);
void lin_sql_leave(sql_parser *p);
void lin_sql_skip_balanced(sql_parser *p); /* at '(' or '[': skip to after its match */
void lin_sql_note_read(sql_parser *p, uint32_t tid);
void lin_sql_note_write(sql_parser *p, uint32_t tid);
void lin_sql_note_rename(sql_parser *p, uint32_t from, uint32_t to);

/* query.c */
sql_query *lin_sql_query_new(sql_parser *p, sql_query *parent, sql_refset *parent_dest);
/* Parse a query expression (WITH, SELECT, VALUES, set operations, parenthesized). */
sql_query *lin_sql_parse_query(sql_parser *p, sql_query *parent, sql_refset *parent_dest);
/* Is the token at pos + ahead the start of a query? */
int lin_sql_query_starts(sql_parser *p, size_t ahead);
/* FROM list into q (after the FROM keyword). */
void lin_sql_parse_from(sql_parser *p, sql_query *q);
void lin_sql_parse_join_tail(sql_parser *p, sql_query *q);
/* A table name at the current token; returns parts. */
const char **lin_sql_parse_name(sql_parser *p, int *nparts, const sql_token **first);
uint32_t lin_sql_table_of(sql_parser *p, const char **parts, int nparts, const sql_token *at);
sql_src *lin_sql_add_table_src(sql_parser *p, sql_query *q, const char **parts, int nparts,
			       const sql_token *at, int read);
/* Optional [AS] alias [(cols)] after a FROM item. */
void lin_sql_parse_alias(sql_parser *p, sql_src *s);
void lin_sql_parse_with(sql_parser *p);

/* expr.c */
enum { EX_ITEM = 1, EX_LIST = 2 };
typedef struct sql_exprinfo {
	const char *alias;
	const char *colname;
	const char *funcname;
	const char **star_parts;
	int nstar, star, is_star_only;
	uint8_t kind;
	int nrefs, noperands;
	uint32_t tok_from, tok_to; /* the expression's tokens, its alias excluded */
} sql_exprinfo;
/* Scan an expression, adding column references to q with destination `dest`. */
void lin_sql_scan_expr(sql_parser *p, sql_query *q, sql_refset *dest, int item, int mode,
		       sql_exprinfo *info);

/* names.c: the name a dialect gives an unaliased expression item */
const char *lin_sql_output_name(sql_parser *p, const sql_item *it, int index, int anon_index);

/* resolve.c */
void lin_sql_resolve(sql_parser *p, sql_query *q);
/* Known-ness of a column in a source: 1 yes, 0 no, -1 unknown. */
int lin_sql_src_has(sql_parser *p, sql_src *s, uint32_t col);
/* Expand a query's output columns of a table into an array (for writes). */

/* query.c: (a, b, c) at '(' — the identifiers that start each item */
const char **lin_sql_ident_list(sql_parser *p, int *n);

/* stmt_proc.c: procedural statements */
int lin_sql_into_is_vars(sql_parser *p); /* SELECT ... INTO names variables, not a table */
void lin_sql_stmt_declare(sql_parser *p);
void lin_sql_stmt_reads(sql_parser *p);   /* only the subqueries of an expression are read */
void lin_sql_stmt_dynamic(sql_parser *p);
/* Remember the output columns of q as record `name` (a cursor, a loop's record). */
void lin_sql_record_save(sql_parser *p, const char *name, const sql_query *q);
/* stmt.c: helpers the statement files share, and the dispatch */
int lin_sql_accept_word(sql_parser *p, const char *w); /* step over word w: 1 when it was */
uint32_t lin_sql_intern_name(sql_parser *p, const char *s);
void lin_sql_skip_rest(sql_parser *p);
/* edges from each column an output column is computed from to tid.col */
void lin_sql_edges_to(sql_parser *p, const sql_outcol *c, uint32_t tid, uint32_t col);
const char *lin_sql_string_text(sql_parser *p, const sql_token *t); /* quotes removed */
uint32_t lin_sql_location(sql_parser *p, const sql_token *t);       /* a file or URL table */
int lin_sql_is_location(const sql_token *t, const char *src);
/* the statement kinds, each at its first word */
void lin_sql_stmt_insert(sql_parser *p);      /* stmt_insert.c */
int lin_sql_stmt_multi_insert(sql_parser *p); /* FROM src INSERT ...: 1 when it was one */
const char **lin_sql_column_list(sql_parser *p, int *n);
const char **lin_sql_partition_spec(sql_parser *p, int *ndyn);
void lin_sql_stmt_create(sql_parser *p);      /* stmt_ddl.c */
void lin_sql_stmt_alter(sql_parser *p);
void lin_sql_stmt_rename(sql_parser *p);
void lin_sql_stmt_drop(sql_parser *p);
const char **lin_sql_create_columns(sql_parser *p, int *n, const char ***like, int *nlike,
				    const sql_token **like_at);
void lin_sql_copy_columns_edges(sql_parser *p, uint32_t src, uint32_t dst, const sql_token *at);
void lin_sql_stmt_update(sql_parser *p);      /* stmt_modify.c */
void lin_sql_stmt_delete(sql_parser *p);
void lin_sql_stmt_merge(sql_parser *p);
sql_item *lin_sql_new_item(sql_parser *p, sql_query *q, const char *name, const sql_token *at);
/* T-SQL: parse the statement without its OUTPUT ... INTO clause, then the clause; 0 when
 * it has none */
int lin_sql_stmt_with_output(sql_parser *p, void (*parse)(sql_parser *));
void lin_sql_stmt_copy(sql_parser *p);        /* stmt_load.c */
void lin_sql_stmt_unload(sql_parser *p);
void lin_sql_stmt_load(sql_parser *p);
void lin_sql_stmt_use(sql_parser *p);         /* stmt_session.c */
void lin_sql_stmt_set(sql_parser *p);
enum { EMIT_INSERT = 0, EMIT_DEFINE = 1, EMIT_BY_NAME = 2 };
void lin_sql_emit_query(sql_parser *p, sql_query *q, uint32_t tid, const char **cols, int ncols,
			int mode);
void lin_sql_col_edge(sql_parser *p, sql_ref src, uint32_t tid, uint32_t col, int kind,
		      uint32_t line, uint32_t column);

#endif
