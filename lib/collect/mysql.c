/*
 * The MySQL and MariaDB collector (MariaDB Connector/C): information_schema read through
 * prepared statements. MySQL's databases are the schemas: the one the URI names, or those
 * asked for, or all but the system ones.
 */
#include <mysql.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect_internal.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"

#define MAX_COLS 8
#define FIRST_BUFFER 256
#define SYSTEM_SCHEMAS "('mysql', 'information_schema', 'performance_schema', 'sys')"

typedef struct my_ctx {
	MYSQL *conn;
	lin_catalog cat;
	const char *const *schemas; /* the filter's values */
	size_t nschemas;
} my_ctx;

static int my_detect(const char *path, const unsigned char *head, size_t len, void *payload)
{
	static const char *const prefixes[] = {"mysql://", "mariadb://", NULL};
	(void)head;
	(void)len;
	(void)payload;
	return lin_collect_detect(path, prefixes);
}

/* " AND column IN (?, ?)" for the schemas asked for, or the system schemas left out. */
static int schema_filter(lin_strbuf *sql, const my_ctx *my, const char *column)
{
	int rc;
	if (!my->nschemas)
		return lin_strbuf_printf(sql, " AND %s NOT IN " SYSTEM_SCHEMAS, column);
	rc = lin_strbuf_printf(sql, " AND %s IN (", column);
	for (size_t i = 0; !rc && i < my->nschemas; i++)
		rc = lin_strbuf_puts(sql, i ? ", ?" : "?");
	return rc ? rc : lin_strbuf_putc(sql, ')');
}

typedef int (*row_fn)(my_ctx *my, char *const *values);

/* Run a prepared statement with the schemas as parameters; each row's values (NULL for SQL
 * NULL) go to `fn`. Columns longer than their buffer are fetched again whole. */
static int rows(my_ctx *my, const char *sql, int ncols, row_fn fn, const char *what)
{
	MYSQL_STMT *st = mysql_stmt_init(my->conn);
	MYSQL_BIND params[64], out[MAX_COLS];
	unsigned long lens[MAX_COLS], plens[64];
	my_bool nulls[MAX_COLS], errs[MAX_COLS];
	char *bufs[MAX_COLS] = {0}, *values[MAX_COLS];
	int rc = 0, r;
	if (!st)
		return lin_error_oom();
	if (my->nschemas > 64) {
		rc = lin_error_set(LINEAGE_ELIMIT, "at most 64 schemas can be collected at once");
		goto done;
	}
	if (mysql_stmt_prepare(st, sql, strlen(sql))) {
		rc = lin_collect_fail(&my->cat, what, mysql_stmt_error(st));
		goto done;
	}
	memset(params, 0, sizeof params);
	for (size_t i = 0; i < my->nschemas; i++) {
		params[i].buffer_type = MYSQL_TYPE_STRING;
		params[i].buffer = (void *)my->schemas[i];
		plens[i] = strlen(my->schemas[i]);
		params[i].buffer_length = plens[i];
		params[i].length = &plens[i];
	}
	memset(out, 0, sizeof out);
	for (int i = 0; i < ncols; i++) {
		if (!(bufs[i] = malloc(FIRST_BUFFER))) {
			rc = lin_error_oom();
			goto done;
		}
		out[i].buffer_type = MYSQL_TYPE_STRING;
		out[i].buffer = bufs[i];
		out[i].buffer_length = FIRST_BUFFER;
		out[i].length = &lens[i];
		out[i].is_null = &nulls[i];
		out[i].error = &errs[i];
	}
	if ((my->nschemas && mysql_stmt_bind_param(st, params)) || mysql_stmt_execute(st) ||
	    mysql_stmt_bind_result(st, out)) {
		rc = lin_collect_fail(&my->cat, what, mysql_stmt_error(st));
		goto done;
	}
	while (!rc && (r = mysql_stmt_fetch(st)) != MYSQL_NO_DATA) {
		if (r == 1) {
			rc = lin_collect_fail(&my->cat, what, mysql_stmt_error(st));
			break;
		}
		for (int i = 0; !rc && i < ncols; i++) {
			if (lens[i] >= out[i].buffer_length && !nulls[i]) {
				char *p = realloc(bufs[i], lens[i] + 1);
				if (!p) {
					rc = lin_error_oom();
					break;
				}
				bufs[i] = p;
				out[i].buffer = p;
				out[i].buffer_length = lens[i] + 1;
				if (mysql_stmt_fetch_column(st, &out[i], (unsigned)i, 0) ||
				    mysql_stmt_bind_result(st, out)) {
					rc = lin_collect_fail(&my->cat, what, mysql_stmt_error(st));
					break;
				}
			}
			bufs[i][nulls[i] ? 0 : lens[i]] = '\0';
			values[i] = nulls[i] ? NULL : bufs[i];
		}
		if (!rc)
			rc = fn(my, values);
	}
done:
	mysql_stmt_close(st);
	for (int i = 0; i < MAX_COLS; i++)
		free(bufs[i]);
	return rc;
}

static int add_schema(my_ctx *my, char *const *v)
{
	return lin_cat_add_schema(&my->cat, v[0], NULL);
}

static int add_rel(my_ctx *my, char *const *v)
{
	int view = v[2] && strstr(v[2], "VIEW");
	/* A view's definition is "" when the user may not read it: kept, and reported then. */
	return lin_cat_add_rel(&my->cat, v[0], v[1], view ? "view" : "table", view ? NULL : v[3],
			       view ? (v[4] ? v[4] : "") : NULL);
}

static int add_column(my_ctx *my, char *const *v)
{
	lin_cat_rel *rel = lin_cat_find(&my->cat, v[0], v[1]);
	return rel ? lin_cat_add_column(&my->cat, rel, v[2], v[3], v[5], v[4] && !strcmp(v[4], "NO"),
					v[6] ? atoi(v[6]) : 0)
		   : 0;
}

static int add_key(my_ctx *my, char *const *v)
{
	lin_cat_rel *rel = lin_cat_find(&my->cat, v[0], v[1]);
	return rel ? lin_cat_add_keycol(&my->cat, rel, v[2], v[3] && !strcmp(v[3], "PRIMARY KEY"), v[4],
					v[5], v[6], v[7])
		   : 0;
}

static int read_catalog(my_ctx *my)
{
	static const char *const parts[][2] = {
		{"SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE 1 = 1", "SCHEMA_NAME"},
		{"SELECT t.TABLE_SCHEMA, t.TABLE_NAME, t.TABLE_TYPE, t.TABLE_COMMENT, v.VIEW_DEFINITION"
		 " FROM information_schema.TABLES t LEFT JOIN information_schema.VIEWS v"
		 " ON v.TABLE_SCHEMA = t.TABLE_SCHEMA AND v.TABLE_NAME = t.TABLE_NAME"
		 " WHERE t.TABLE_TYPE IN ('BASE TABLE', 'VIEW', 'SYSTEM VERSIONED')",
		 "t.TABLE_SCHEMA"},
		{"SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_COMMENT,"
		 " ORDINAL_POSITION FROM information_schema.COLUMNS WHERE 1 = 1",
		 "TABLE_SCHEMA"},
		{"SELECT k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, c.CONSTRAINT_TYPE, k.COLUMN_NAME,"
		 " k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME"
		 " FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.TABLE_CONSTRAINTS c"
		 " ON c.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND c.TABLE_SCHEMA = k.TABLE_SCHEMA"
		 " AND c.TABLE_NAME = k.TABLE_NAME AND c.CONSTRAINT_NAME = k.CONSTRAINT_NAME"
		 " WHERE c.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'FOREIGN KEY')",
		 "k.TABLE_SCHEMA"}};
	static const char *const orders[] = {
		" ORDER BY 1", " ORDER BY 1, 2", " ORDER BY 1, 2, ORDINAL_POSITION",
		" ORDER BY 1, 2, c.CONSTRAINT_TYPE DESC, 3, k.ORDINAL_POSITION"};
	static const int ncols[] = {1, 5, 7, 8};
	static const row_fn fns[] = {add_schema, add_rel, add_column, add_key};
	static const char *const whats[] = {"reading the schemas", "reading the tables and views",
					    "reading the columns", "reading the primary and foreign keys"};
	lin_strbuf sql = LIN_STRBUF_INIT;
	int rc = 0;
	for (int q = 0; !rc && q < 4; q++) {
		lin_strbuf_reset(&sql);
		rc = lin_strbuf_puts(&sql, parts[q][0]);
		rc = rc ? rc : schema_filter(&sql, my, parts[q][1]);
		rc = rc ? rc : lin_strbuf_puts(&sql, orders[q]);
		rc = rc ? rc : rows(my, sql.data, ncols[q], fns[q], whats[q]);
		if (!rc && q == 1)
			rc = lin_cat_index(&my->cat);
	}
	lin_strbuf_free(&sql);
	return rc;
}

/* mysql_init() initialises the client library on first use, which is not thread-safe. */
static pthread_once_t library_once = PTHREAD_ONCE_INIT;
static int library_failed;

static void library_init(void)
{
	library_failed = mysql_library_init(0, NULL, NULL) != 0;
}

static int my_connect(my_ctx *my, lin_uri *u, const lineage_collect_options *o)
{
	size_t n;
	unsigned int timeout = o && o->connect_timeout_s ? o->connect_timeout_s : 10;
	const char *socket = lin_uri_param_get(u, "socket");
	for (size_t i = 0; i < u->nparams; i++)
		if (strcmp(u->params[i].name, "socket"))
			return lin_error_set(LINEAGE_EINVALID, "%s: unknown URI parameter \"%.100s\": a MySQL URI takes ?socket=PATH",
					     my->cat.uri, u->params[i].name);
	pthread_once(&library_once, library_init);
	if (library_failed || !(my->conn = mysql_init(NULL)))
		return lin_error_oom();
	mysql_options(my->conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(my->conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* An IPv6 address is written [::1] in a URI, ::1 to the client library. */
	if (u->host && u->host[0] == '[' && (n = strlen(u->host)) > 2 && u->host[n - 1] == ']') {
		memmove(u->host, u->host + 1, n - 2);
		u->host[n - 2] = '\0';
	}
	if (!mysql_real_connect(my->conn, u->host && *u->host ? u->host : "localhost", u->user,
				u->password, u->path, (unsigned)u->port, socket, 0))
		return lin_collect_fail(&my->cat, "cannot connect", mysql_error(my->conn));
	/* A consistent read of information_schema, and no writes. */
	if (mysql_query(my->conn, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"))
		return lin_collect_fail(&my->cat, "preparing the session", mysql_error(my->conn));
	return 0;
}

static int my_scan(lineage_scan_sink *sink, const char *path, const unsigned char *data, size_t len,
		   void *payload)
{
	my_ctx my;
	lin_uri u;
	int rc;
	(void)len;
	(void)payload;
	if (data || !sink->source)
		return lin_error_set(LINEAGE_EINVALID, "the mysql collector reads a database: use lineage collect URI");
	memset(&my, 0, sizeof my);
	memset(&u, 0, sizeof u);
	lin_cat_init(&my.cat, sink, "mysql", "mysql", '`');
	my.cat.unqualified_is_local = 1;
	rc = lin_uri_parse(&u, path);
	my.cat.password = u.password;
	if (my.cat.only) {
		my.schemas = my.cat.only;
		my.nschemas = my.cat.nonly;
	} else if (u.path && *u.path) {
		my.schemas = (const char *const *)&u.path;
		my.nschemas = 1;
	}
	if (!rc) /* a first sign of life, and a chance to cancel, before the network */
		rc = lineage_scan_sink_progress(sink, "collect", 0, 0);
	if (!rc)
		rc = my_connect(&my, &u, sink->collect);
	if (!rc) {
		my.cat.server = mysql_get_server_info(my.conn);
		if (my.cat.server && strstr(my.cat.server, "MariaDB"))
			my.cat.dialect = "mariadb";
		rc = read_catalog(&my);
	}
	if (!rc)
		rc = lin_cat_emit(sink, &my.cat);
	mysql_close(my.conn);
	lin_cat_free(&my.cat);
	lin_uri_free(&u);
	return rc;
}

const lineage_scanner lin_collector_mysql = {
	LINEAGE_SCANNER_VERSION, "mysql",
	"MySQL and MariaDB databases (mysql://, mariadb:// URIs): catalog and view lineage",
	my_detect, my_scan, NULL};
