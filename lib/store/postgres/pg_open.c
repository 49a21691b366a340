/* Opening a store in PostgreSQL: the connection (with a bounded connect timeout), what its
 * failures mean for the user, the session, the schema. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "common/util.h"

#define DEFAULT_SCHEMA "lineage"
#define CONNECT_TIMEOUT_S "10"

/* A schema name that needs no quoting anywhere: [a-z_][a-z0-9_]*, at most 48 bytes (so that
 * the channel "lineage_" + schema fits PostgreSQL's 63-byte identifiers). */
static int check_schema(const char *schema)
{
	size_t n = strlen(schema);
	int ok = n > 0 && n <= 48 && !(schema[0] >= '0' && schema[0] <= '9');
	for (size_t i = 0; ok && i < n; i++) {
		char c = schema[i];
		ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
	}
	if (!ok)
		return lin_error_set(LINEAGE_EINVALID, "PostgreSQL schema name \"%.100s\" is not valid: use 1 to 48 lower-case letters, digits and underscores, not starting with a digit", schema);
	return 0;
}

static int connect_error(PGconn *conn)
{
	char msg[512];
	const char *raw = PQerrorMessage(conn);
	size_t n;
	snprintf(msg, sizeof msg, "%s", raw && *raw ? raw : "no message");
	for (n = strlen(msg); n && (msg[n - 1] == '\n' || msg[n - 1] == ' '); n--)
		msg[n - 1] = '\0';
	for (char *c = msg; *c; c++)
		if (*c == '\n')
			*c = ' ';
	/* libpq's messages never contain the password; the URI is not echoed for that reason */
	if (!conn)
		return lin_error_oom();
	if (strstr(msg, "invalid URI") || strstr(msg, "invalid connection option") ||
	    strstr(msg, "invalid integer value") || strstr(msg, "invalid sslmode") ||
	    strstr(msg, "missing \"=\"") || strstr(msg, "invalid percent-encoded"))
		return lin_error_set(LINEAGE_EINVALID, "the PostgreSQL URI is not valid (%s): fix it; see the connection URIs of the PostgreSQL documentation (libpq)", msg);
	if (strstr(msg, "password authentication failed") || strstr(msg, "no password supplied") ||
	    strstr(msg, "authentication failed"))
		return lin_error_set(LINEAGE_EIO, "PostgreSQL refused the login (%s): check the user and password of the URI (or its ~/.pgpass entry)", msg);
	if (strstr(msg, "does not exist") && strstr(msg, "database"))
		return lin_error_set(LINEAGE_ENOTFOUND, "the PostgreSQL database does not exist (%s): create it (createdb) or fix the URI's database name", msg);
	if (strstr(msg, "role") && strstr(msg, "does not exist"))
		return lin_error_set(LINEAGE_EIO, "PostgreSQL refused the login (%s): check the URI's user", msg);
	return lin_error_set(LINEAGE_EIO, "cannot connect to the PostgreSQL server (%s): check that it is running and that the URI's host and port are right", msg);
}

void lin_pg_close(lin_store *st)
{
	lin_pg *p = LIN_PG(st);
	if (!p)
		return;
	if (p->conn)
		PQfinish(p->conn);
	lin_pg_bulk_end(p);
	lin_key_cache_free(&p->keys);
	free(p->schema);
	free(p->channel);
	free(p->lock_key);
	free(p);
}

static char *prefixed(const char *prefix, const char *s)
{
	size_t a = strlen(prefix), b = strlen(s);
	char *out = malloc(a + b + 1);
	if (!out)
		return NULL;
	memcpy(out, prefix, a);
	memcpy(out + a, s, b + 1);
	return out;
}

int lin_postgres_open(lin_store **out, const char *uri, const lin_store_options *o)
{
	/* Ours first: the URI's own connect_timeout or application_name win. */
	const char *keys[] = {"connect_timeout", "application_name", "dbname", NULL};
	const char *values[] = {CONNECT_TIMEOUT_S, "liblineage", uri, NULL};
	const char *schema = o->pg_schema && *o->pg_schema ? o->pg_schema : DEFAULT_SCHEMA;
	lin_pg *p;
	int rc;

	*out = NULL;
	if ((rc = check_schema(schema)))
		return rc;
	if (!(p = calloc(1, sizeof *p)))
		return lin_error_oom();
	p->base.ops = &lin_pg_ops;
	p->flags = o->flags;
	p->busy_timeout_ms = o->busy_timeout_ms;
	p->max_staleness_ms = o->max_staleness_ms;
	if (!(p->schema = lin_strdup(schema)) || !(p->channel = prefixed("lineage_", schema)) ||
	    !(p->lock_key = prefixed("liblineage:", schema))) {
		rc = lin_error_oom();
		goto fail;
	}
	p->conn = PQconnectdbParams(keys, values, 1);
	if (!p->conn || PQstatus(p->conn) != CONNECTION_OK) {
		rc = connect_error(p->conn);
		goto fail;
	}
	if ((rc = lin_pg_session_setup(p)) || (rc = lin_pg_schema_setup(p, o->flags)))
		goto fail;
	*out = &p->base;
	return 0;
fail:
	lin_pg_close(&p->base);
	return rc;
}
