/*
 * Internal: the collectors' shared parts. Each collector reads its database's catalog into a
 * lin_catalog (schemas, relations, columns, keys, view definitions); the catalog then emits
 * the assets and the views' lineage through the scan sink, the same way for every database.
 */
#ifndef LIN_COLLECT_INTERNAL_H
#define LIN_COLLECT_INTERNAL_H

#include <stddef.h>

#include "common/arena.h"
#include "scan/scan_internal.h"

/* ---- URIs ---- */

typedef struct lin_uri_param {
	char *name, *value; /* percent-decoded */
} lin_uri_param;

typedef struct lin_uri {
	char *scheme;            /* lower-cased, without "://" */
	char *user, *password;   /* decoded; NULL when absent */
	char *host;              /* as written (may list several hosts); NULL when absent */
	int port;                /* 0 when absent */
	char *path;              /* decoded, without the leading '/'; NULL when empty */
	lin_uri_param *params;
	size_t nparams;
} lin_uri;

/* Parse "scheme://[user[:password]@][host[:port]][/path][?a=b&...]". EINVALID with a
 * message that never shows the password. */
int lin_uri_parse(lin_uri *out, const char *uri);
void lin_uri_free(lin_uri *uri);
/* The value of a parameter, or NULL. */
const char *lin_uri_param_get(const lin_uri *uri, const char *name);
/* The password: the user part's, else a "password" parameter's (libpq takes both); NULL. */
const char *lin_uri_password(const lin_uri *uri);
/* A message with every occurrence of `secret` replaced by "****" (in place, may shorten). */
void lin_mask_secret(char *message, const char *secret);

/* ---- The catalog ---- */

/* Bounds on what one collect holds in memory (about 200 bytes a column). */
#define LIN_CAT_MAX_RELATIONS 1000000
#define LIN_CAT_MAX_COLUMNS 10000000

typedef struct lin_cat_column {
	const char *name, *type, *comment;
	int not_null;
	int position;
} lin_cat_column;

/* One column of a primary or foreign key, in key order. */
typedef struct lin_cat_keycol {
	const char *constraint;
	int primary;
	const char *column;
	const char *ref_schema, *ref_table, *ref_column; /* foreign keys */
} lin_cat_keycol;

typedef struct lin_cat_rel {
	const char *schema, *name;
	const char *kind;       /* "table", "view", "materialized_view" */
	const char *comment;
	const char *definition; /* a view's query (or whole CREATE VIEW, see the catalog) */
	const char *key;        /* SOURCE.schema.name, set by lin_cat_index() */
	lin_cat_column *cols;
	size_t ncols, capcols;
	const char **colnames;  /* for the SQL analyzer */
	lin_cat_keycol *keys;
	size_t nkeys, capkeys;
} lin_cat_rel;

typedef struct lin_cat_schema {
	const char *name, *comment;
} lin_cat_schema;

typedef struct lin_catalog {
	lin_arena arena;
	const char *source;       /* the key prefix */
	const char *collector;    /* "postgres", "mysql", "sqlite" */
	const char *dialect;      /* for the SQL analyzer */
	const char *uri;          /* masked */
	const char *server;       /* the server's version, or NULL */
	const char *password;     /* the URI's, masked in every message; NULL when none */
	char quote;               /* identifier quote of the dialect */
	int definition_is_create; /* definitions are whole CREATE VIEW statements (SQLite) */
	int unqualified_is_local; /* a name without schema is in the view's own schema */
	lin_cat_schema *schemas;
	size_t nschemas, capschemas;
	lin_cat_rel *rels;
	size_t nrels, caprels;
	size_t ncolumns;          /* in all relations */
	int indexed;              /* rels sorted by schema and name (case-insensitive) */
	const char *const *only;  /* the schemas asked for (NULL: all) */
	size_t nonly;
} lin_catalog;

void lin_cat_init(lin_catalog *cat, lineage_scan_sink *sink, const char *collector,
		  const char *dialect, char quote);
void lin_cat_free(lin_catalog *cat);
/* A copy in the catalog's arena (NULL stays NULL); NULL when out of memory. */
const char *lin_cat_str(lin_catalog *cat, const char *s);
/* Whether a schema was asked for (always true without a list). */
int lin_cat_wants(const lin_catalog *cat, const char *schema);
int lin_cat_add_schema(lin_catalog *cat, const char *name, const char *comment);
/* A relation; strings are copied. Returns 0 or ENOMEM. */
int lin_cat_add_rel(lin_catalog *cat, const char *schema, const char *name, const char *kind,
		    const char *comment, const char *definition);
/* Sort the relations and give them keys: call once all are added, before columns. */
int lin_cat_index(lin_catalog *cat);
/* The relation `schema`.`name` exactly, or NULL. */
lin_cat_rel *lin_cat_find(lin_catalog *cat, const char *schema, const char *name);
/* The same, or else one whose name differs only in case (as SQL may write it). */
lin_cat_rel *lin_cat_lookup(lin_catalog *cat, const char *schema, const char *name);
int lin_cat_add_column(lin_catalog *cat, lin_cat_rel *rel, const char *name, const char *type,
		       const char *comment, int not_null, int position);
int lin_cat_add_keycol(lin_catalog *cat, lin_cat_rel *rel, const char *constraint, int primary,
		       const char *column, const char *ref_schema, const char *ref_table,
		       const char *ref_column);

/* Analyse a view's definition and emit its lineage (views.c). */
int lin_cat_view_lineage(lineage_scan_sink *sink, lin_catalog *cat, const lin_cat_rel *view);
/* Emit the system, schema, relation and column assets, then every view's lineage; progress
 * counts relations and views. */
int lin_cat_emit(lineage_scan_sink *sink, lin_catalog *cat);

/* Analyse one statement that ran (pg_stat_statements) and emit its lineage with a job asset
 * `job_key` (created only when the statement moved data between known tables). Unqualified
 * names are taken in `default_schema`. */
int lin_cat_query_lineage(lineage_scan_sink *sink, lin_catalog *cat, const char *sql,
			  const char *job_key, const char *job_properties,
			  const char *default_schema);

/* A catalog failure: EIO "SOURCE (URI): what failed: the server's message", with the
 * catalog's password masked in the server's message. */
int lin_collect_fail(const lin_catalog *cat, const char *what, const char *server_message);
/* A collector's detect score: 100 when `path` starts with one of the NULL-terminated
 * `prefixes` ("postgresql://"), else 0. */
int lin_collect_detect(const char *path, const char *const *prefixes);

#endif
