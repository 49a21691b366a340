/*
 * The PostgreSQL collector (libpq): pg_catalog read with parameterized queries, view
 * definitions from pg_get_viewdef() with an empty search_path (so every name in them is
 * schema-qualified), and optionally pg_stat_statements.
 */
#include <ctype.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect_internal.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"

/* System schemas and objects that belong to an extension are not the source's own. */
#define REL_FILTER                                                                          \
	" n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'"                        \
	" AND ($1::text[] IS NULL OR n.nspname = ANY($1::text[]))"                          \
	" AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"                                        \
	" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid ="           \
	" 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'e')"

static const char *const SCHEMAS_SQL =
	"SELECT n.nspname, pg_catalog.obj_description(n.oid, 'pg_namespace') FROM"
	" pg_catalog.pg_namespace n WHERE n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'"
	" AND ($1::text[] IS NULL OR n.nspname = ANY($1::text[])) AND NOT EXISTS (SELECT 1 FROM"
	" pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass"
	" AND d.objid = n.oid AND d.deptype = 'e') ORDER BY 1";

static const char *const RELATIONS_SQL =
	"SELECT n.nspname, c.relname, c.relkind, pg_catalog.obj_description(c.oid, 'pg_class'),"
	" CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END"
	" FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" WHERE" REL_FILTER " ORDER BY 1, 2";

static const char *const COLUMNS_SQL =
	"SELECT n.nspname, c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),"
	" a.attnotnull, pg_catalog.col_description(c.oid, a.attnum), a.attnum"
	" FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" WHERE a.attnum > 0 AND NOT a.attisdropped AND" REL_FILTER " ORDER BY 1, 2, a.attnum";

/* One row per key column, in key order; the referenced column beside it. */
static const char *const KEYS_SQL =
	"SELECT n.nspname, c.relname, con.conname, con.contype, a.attname, fn.nspname,"
	" fc.relname, fa.attname"
	" FROM pg_catalog.pg_constraint con"
	" JOIN pg_catalog.pg_class c ON c.oid = con.conrelid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(con.conkey),"
	"   pg_catalog.unnest(con.confkey)) WITH ORDINALITY"
	"   AS k(attnum, fattnum, ord)"
	" JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
	" LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid"
	" LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace"
	" LEFT JOIN pg_catalog.pg_attribute fa ON fa.attrelid = fc.oid AND fa.attnum = k.fattnum"
	" WHERE con.contype IN ('p', 'f') AND" REL_FILTER " ORDER BY 1, 2, 4 DESC, 3, k.ord";

typedef struct pg_ctx {
	PGconn *conn;
	lin_catalog cat;
	char *schemas_param; /* the schemas asked for as a text[] literal, or NULL */
} pg_ctx;

static int pg_detect(const char *path, const unsigned char *head, size_t len, void *payload)
{
	static const char *const prefixes[] = {"postgresql://", "postgres://", NULL};
	(void)head;
	(void)len;
	(void)payload;
	return lin_collect_detect(path, prefixes);
}

/* Run a catalog query with the schema list as its one parameter. */
static int query(PGresult **out, pg_ctx *pg, const char *sql, int nparams, const char *what)
{
	const char *params[1] = {pg->schemas_param};
	PGresult *res = PQexecParams(pg->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		int rc = lin_collect_fail(&pg->cat, what, PQresultErrorMessage(res));
		PQclear(res);
		return rc;
	}
	*out = res;
	return 0;
}

static const char *val(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

/* {"a","b"}: a text[] literal, each name quoted with \ and " escaped. */
static int schemas_literal(pg_ctx *pg, const lineage_collect_options *o)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	int rc = 0;
	if (!o || !o->schema_count)
		return 0;
	rc = lin_strbuf_putc(&sb, '{');
	for (size_t i = 0; !rc && i < o->schema_count; i++) {
		rc = lin_strbuf_puts(&sb, i ? ",\"" : "\"");
		for (const char *p = o->schemas[i] ? o->schemas[i] : ""; !rc && *p; p++)
			rc = (*p == '"' || *p == '\\') ? lin_strbuf_putc(&sb, '\\') || lin_strbuf_putc(&sb, *p)
						       : lin_strbuf_putc(&sb, *p);
		rc = rc ? rc : lin_strbuf_putc(&sb, '"');
	}
	rc = rc ? rc : lin_strbuf_putc(&sb, '}');
	if (rc) {
		lin_strbuf_free(&sb);
		return LINEAGE_ENOMEM;
	}
	pg->schemas_param = lin_strbuf_detach(&sb);
	return 0;
}

static const char *kind_of(char relkind)
{
	return relkind == 'v' ? "view" : relkind == 'm' ? "materialized_view"
	       : relkind == 'f' ? "foreign_table" : "table";
}

static int read_catalog(pg_ctx *pg)
{
	PGresult *r = NULL;
	lin_catalog *cat = &pg->cat;
	int rc = query(&r, pg, SCHEMAS_SQL, 1, "reading the schemas");
	for (int i = 0; !rc && i < PQntuples(r); i++)
		rc = lin_cat_add_schema(cat, val(r, i, 0), val(r, i, 1));
	PQclear(r);
	r = NULL;
	if (!rc)
		rc = query(&r, pg, RELATIONS_SQL, 1, "reading the tables and views");
	for (int i = 0; !rc && i < PQntuples(r); i++)
		rc = lin_cat_add_rel(cat, val(r, i, 0), val(r, i, 1), kind_of(*val(r, i, 2)), val(r, i, 3),
				     val(r, i, 4));
	PQclear(r);
	r = NULL;
	if (!rc)
		rc = lin_cat_index(cat);
	if (!rc)
		rc = query(&r, pg, COLUMNS_SQL, 1, "reading the columns");
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		lin_cat_rel *rel = lin_cat_find(cat, val(r, i, 0), val(r, i, 1));
		if (rel)
			rc = lin_cat_add_column(cat, rel, val(r, i, 2), val(r, i, 3), val(r, i, 5),
						*val(r, i, 4) == 't', atoi(val(r, i, 6)));
	}
	PQclear(r);
	r = NULL;
	if (!rc)
		rc = query(&r, pg, KEYS_SQL, 1, "reading the primary and foreign keys");
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		lin_cat_rel *rel = lin_cat_find(cat, val(r, i, 0), val(r, i, 1));
		if (rel)
			rc = lin_cat_add_keycol(cat, rel, val(r, i, 2), *val(r, i, 3) == 'p',
						val(r, i, 4), val(r, i, 5), val(r, i, 6), val(r, i, 7));
	}
	PQclear(r);
	return rc;
}

/* pg_stat_statements: the statements of this database that may move data, one per query id
 * (summed over users). */
static int read_queries(lineage_scan_sink *sink, pg_ctx *pg)
{
	PGresult *r = NULL;
	char *schema = NULL;
	lin_strbuf sql = LIN_STRBUF_INIT, key = LIN_STRBUF_INIT;
	int rc = query(&r, pg, "SELECT n.nspname FROM pg_catalog.pg_extension e JOIN"
			       " pg_catalog.pg_namespace n ON n.oid = e.extnamespace"
			       " WHERE e.extname = 'pg_stat_statements'", 0, "looking for pg_stat_statements");
	if (rc)
		return rc;
	if (PQntuples(r) == 0) {
		char msg[600];
		snprintf(msg, sizeof msg, "%.200s: pg_stat_statements is not installed in this database, so no statement was read: "
			 "CREATE EXTENSION pg_stat_statements (with the library in shared_preload_libraries)",
			 pg->cat.source);
		lineage_scan_sink_diagnostic(sink, LINEAGE_DIAG_WARNING, NULL, 0, 0, msg);
		PQclear(r);
		return 0;
	}
	schema = PQescapeIdentifier(pg->conn, PQgetvalue(r, 0, 0), strlen(PQgetvalue(r, 0, 0)));
	PQclear(r);
	r = NULL;
	if (!schema)
		return lin_collect_fail(&pg->cat, "quoting the schema of pg_stat_statements", PQerrorMessage(pg->conn));
	rc = lin_strbuf_printf(&sql, "SELECT s.queryid::text, min(s.query), sum(s.calls)::bigint::text"
				     " FROM %s.pg_stat_statements s WHERE s.dbid = (SELECT oid FROM"
				     " pg_catalog.pg_database WHERE datname = pg_catalog.current_database())"
				     " AND s.queryid IS NOT NULL AND s.query ~* $1"
				     " GROUP BY s.queryid ORDER BY s.queryid", schema);
	PQfreemem(schema);
	if (!rc) {
		/* INSERT, MERGE, CREATE TABLE AS (the analyzer drops plain CREATE TABLE); CREATE
		 * VIEW is left to the views' own lineage. */
		const char *params[1] = {
			"^\\s*(with|insert|merge|create\\s+((global|local)\\s+)?"
			"((temp|temporary|unlogged)\\s+)?table)\\M"};
		r = PQexecParams(pg->conn, sql.data, 1, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			/* Installed but not preloaded, or not readable: say so, collect the rest. */
			char msg[1200];
			snprintf(msg, sizeof msg, "%.200s: pg_stat_statements cannot be read: %.900s", pg->cat.source,
				 PQresultErrorMessage(r));
			lin_mask_secret(msg, pg->cat.password);
			lineage_scan_sink_diagnostic(sink, LINEAGE_DIAG_WARNING, NULL, 0, 0, msg);
			goto done;
		}
	}
	for (int i = 0; !rc && r && i < PQntuples(r); i++) {
		json_t *props = json_pack("{s:s, s:I}", "queryid", PQgetvalue(r, i, 0), "calls",
					  (json_int_t)strtoll(PQgetvalue(r, i, 2), NULL, 10));
		char *text = props ? json_dumps(props, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(props);
		lin_strbuf_reset(&key);
		if (!text || lin_strbuf_printf(&key, "%s:query:%s", pg->cat.source, PQgetvalue(r, i, 0)))
			rc = lin_error_oom();
		else
			rc = lin_cat_query_lineage(sink, &pg->cat, PQgetvalue(r, i, 1), key.data, text,
						   "public");
		free(text);
	}
done:
	PQclear(r);
	lin_strbuf_free(&sql);
	lin_strbuf_free(&key);
	return rc;
}

static int pg_connect(pg_ctx *pg, const char *uri, const lineage_collect_options *o)
{
	char timeout[16];
	/* connect_timeout first: the URI's own setting, later in the list, wins. */
	const char *keys[] = {"connect_timeout", "fallback_application_name", "dbname", NULL};
	const char *vals[] = {timeout, "lineage collect", uri, NULL};
	PGresult *r;
	snprintf(timeout, sizeof timeout, "%u", o && o->connect_timeout_s ? o->connect_timeout_s : 10);
	pg->conn = PQconnectdbParams(keys, vals, 1);
	if (!pg->conn)
		return lin_error_oom();
	if (PQstatus(pg->conn) != CONNECTION_OK)
		return lin_collect_fail(&pg->cat, "cannot connect", PQerrorMessage(pg->conn));
	/* Qualified names in view definitions; a read-only transaction for a consistent view of
	 * the catalog. */
	r = PQexec(pg->conn, "SELECT pg_catalog.set_config('search_path', '', false)");
	if (PQresultStatus(r) == PGRES_TUPLES_OK) {
		PQclear(r);
		r = PQexec(pg->conn, "START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
	}
	if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK) {
		int rc = lin_collect_fail(&pg->cat, "preparing the session", PQresultErrorMessage(r));
		PQclear(r);
		return rc;
	}
	PQclear(r);
	return 0;
}

static int pg_scan(lineage_scan_sink *sink, const char *path, const unsigned char *data, size_t len,
		   void *payload)
{
	pg_ctx pg;
	lin_uri u;
	int rc;
	char version[32];
	(void)len;
	(void)payload;
	if (data || !sink->source)
		return lin_error_set(LINEAGE_EINVALID, "the postgres collector reads a database: use lineage collect URI");
	memset(&pg, 0, sizeof pg);
	memset(&u, 0, sizeof u);
	lin_cat_init(&pg.cat, sink, "postgres", "postgres", '"');
	rc = lin_uri_parse(&u, path);
	pg.cat.password = lin_uri_password(&u);
	if (!rc) /* a first sign of life, and a chance to cancel, before the network */
		rc = lineage_scan_sink_progress(sink, "collect", 0, 0);
	if (!rc)
		rc = schemas_literal(&pg, sink->collect);
	if (!rc)
		rc = pg_connect(&pg, path, sink->collect);
	if (!rc) {
		int v = PQserverVersion(pg.conn);
		snprintf(version, sizeof version, "%d.%d", v / 10000, v % 10000);
		pg.cat.server = version;
		rc = read_catalog(&pg);
	}
	if (!rc)
		rc = lin_cat_emit(sink, &pg.cat);
	if (!rc && sink->collect && sink->collect->queries)
		rc = read_queries(sink, &pg);
	PQfinish(pg.conn);
	free(pg.schemas_param);
	lin_cat_free(&pg.cat);
	lin_uri_free(&u);
	return rc;
}

const lineage_scanner lin_collector_postgres = {
	LINEAGE_SCANNER_VERSION, "postgres",
	"PostgreSQL databases (postgresql:// URIs): catalog, view and query lineage",
	pg_detect, pg_scan, NULL};
