/*
 * The store's tables in their PostgreSQL schema, and its versions. The table `meta` marks the
 * schema as liblineage's (application) and records its version; a schema that holds other
 * tables but no such mark belongs to another application and is never touched. The first
 * PostgreSQL schema is version 3, the SQLite store's version at the time; a new store is
 * created at 3 and brought up to date by the same upgrades an old one goes through (so every
 * upgrade runs on every test), like SQLite's: all in one transaction, under the store's write
 * lock, so that no host ever sees a half-made schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "common/strbuf.h"

#define PG_FIRST_VERSION 3

/* Version 3 (the same tables and meaning as SQLite's schema 3; docs/data-model.md). Key,
 * name, tags and description are searched through a tsvector kept by PostgreSQL itself (a
 * generated column), weighted A..D like the SQLite store's bm25 weights; words are the runs
 * of letters and digits, so "orders" finds "warehouse.sales.orders". Ids and seqs are the
 * highest + 1, taken under the writer lock (pg.h), as SQLite's rowids: dense, in the order of
 * the writes, and those of a rolled-back transaction handed out again. */
static const char schema_v3[] =
	"CREATE TABLE meta(name text PRIMARY KEY, value text NOT NULL);"
	"CREATE TABLE assets("
	" id bigint PRIMARY KEY,"
	" key text NOT NULL UNIQUE,"
	" kind text NOT NULL,"
	" name text NOT NULL,"
	" parent_id bigint REFERENCES assets(id),"
	" owner text, description text, status text,"
	" tags text NOT NULL DEFAULT '[]',"
	" properties text NOT NULL DEFAULT '{}',"
	" created_at bigint NOT NULL, updated_at bigint NOT NULL,"
	" search tsvector GENERATED ALWAYS AS ("
	"  setweight(to_tsvector('simple', regexp_replace(key, '[^[:alnum:]]+', ' ', 'g')), 'A') ||"
	"  setweight(to_tsvector('simple', regexp_replace(name, '[^[:alnum:]]+', ' ', 'g')), 'B') ||"
	"  setweight(to_tsvector('simple', regexp_replace(tags, '[^[:alnum:]]+', ' ', 'g')), 'C') ||"
	"  setweight(to_tsvector('simple', regexp_replace(coalesce(description, ''), '[^[:alnum:]]+', ' ', 'g')), 'D')"
	" ) STORED);"
	"CREATE INDEX assets_parent ON assets(parent_id) WHERE parent_id IS NOT NULL;"
	"CREATE INDEX assets_search ON assets USING gin(search);"
	"CREATE TABLE edges("
	" id bigint PRIMARY KEY,"
	" source_id bigint NOT NULL REFERENCES assets(id),"
	" target_id bigint NOT NULL REFERENCES assets(id),"
	" job_id bigint REFERENCES assets(id),"
	" kind text NOT NULL,"
	" lineage_source integer NOT NULL,"
	" confidence double precision NOT NULL,"
	" status integer NOT NULL DEFAULT 0,"
	" transformation_type text, transformation text, description text,"
	" properties text NOT NULL DEFAULT '{}',"
	" content_hash text NOT NULL,"
	" reviewed_by text, reviewed_at bigint, review_comment text,"
	" created_at bigint NOT NULL, updated_at bigint NOT NULL,"
	" evidence text, origin text);"
	"CREATE UNIQUE INDEX edges_identity ON edges(source_id, target_id, kind, coalesce(job_id, 0));"
	"CREATE INDEX edges_target ON edges(target_id);"
	"CREATE INDEX edges_job ON edges(job_id) WHERE job_id IS NOT NULL;"
	"CREATE INDEX edges_origin ON edges(origin) WHERE origin IS NOT NULL;"
	"CREATE TABLE edge_kinds(name text PRIMARY KEY, allows_self_loop integer NOT NULL,"
	" allows_cycles integer NOT NULL);"
	"INSERT INTO edge_kinds VALUES('flow', 0, 1), ('update', 1, 1), ('incremental', 1, 1);"
	"CREATE TABLE batches(id bigint PRIMARY KEY, actor text NOT NULL, label text,"
	" started_at bigint NOT NULL, after_seq bigint);"
	"CREATE TABLE changes("
	" seq bigint PRIMARY KEY,"
	" at bigint NOT NULL, actor text NOT NULL, action text NOT NULL,"
	" entity text NOT NULL, entity_id bigint NOT NULL,"
	" asset_key text, target_key text, before_json text, after_json text, comment text,"
	" batch_id bigint NOT NULL);"
	"CREATE INDEX changes_asset_key ON changes(asset_key, seq) WHERE action <> 'create';"
	"CREATE INDEX changes_target_key ON changes(target_key, seq)"
	" WHERE target_key IS NOT NULL AND action <> 'create';"
	"CREATE INDEX changes_entity ON changes(entity, entity_id, seq);";

/* Version 4: declared asset kinds (lib/store/sqlite/sq_schema.c says why); the kinds the
 * assets already use are declared by the upgrade. */
static const char migrate_v4[] =
	"CREATE TABLE asset_kinds(name text PRIMARY KEY);"
	"INSERT INTO asset_kinds(name) SELECT DISTINCT kind FROM assets;";

/* Version 5: API tokens (lib/store/sqlite/sq_schema.c says why). */
static const char migrate_v5[] =
	"CREATE TABLE tokens(id bigint PRIMARY KEY, user_name text NOT NULL, role text NOT NULL,"
	" digest text NOT NULL UNIQUE, created_by text, created_at bigint NOT NULL,"
	" expires_at bigint, revoked_at bigint, last_used_at bigint);";

/* Version 7: saved views (lib/store/sqlite/sq_schema.c says why). */
static const char migrate_v7[] =
	"CREATE TABLE views(name text PRIMARY KEY, root text, body text NOT NULL,"
	" created_by text, created_at bigint NOT NULL, updated_by text,"
	" updated_at bigint NOT NULL);";

/* Version 8: the review queue's index (lib/store/sqlite/sq_schema.c says why). */
static const char migrate_v8[] =
	"CREATE INDEX edges_review ON edges(confidence, id) WHERE lineage_source = 1 AND status = 0;";

static const struct migration {
	int to;
	const char *sql;
	int (*run)(lin_pg *p); /* instead of sql: an upgrade in several statements */
} migrations[] = {
	{4, migrate_v4, NULL},
	{5, migrate_v5, NULL},
	{6, lin_pg_migrate_v6, NULL}, /* pg_runs.c */
	{7, migrate_v7, NULL},
	{8, migrate_v8, NULL},
	{9, NULL, lin_pg_migrate_v9}, /* pg_refs.c */
};

typedef struct state {
	int64_t schema_exists, tables, has_meta, ours, version;
} state;

static int read_state(lin_pg *p, state *s)
{
	lin_pg_args a = {0};
	int64_t *outs[3] = {&s->schema_exists, &s->tables, &s->has_meta};
	PGresult *res = NULL;
	int rc;
	memset(s, 0, sizeof *s);
	lin_pg_text(&a, p->schema);
	if ((rc = lin_pg_one_row(p, PG_ONCE,
				 "SELECT (SELECT count(*) FROM pg_namespace WHERE nspname = $1),"
				 " (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
				 "  WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')),"
				 " (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
				 "  WHERE n.nspname = $1 AND c.relname = 'meta' AND c.relkind = 'r')",
				 &a, outs, 3, "reading the store's schema")))
		return rc;
	if (!s->has_meta)
		return 0;
	if ((rc = lin_pg_run(p, PG_ONCE, "SELECT (SELECT value FROM meta WHERE name = 'application'),"
			     " (SELECT value FROM meta WHERE name = 'schema_version')", NULL, &res,
			     "reading the store's version")))
		return rc;
	if (PQntuples(res) == 1) {
		const char *app = lin_pg_cstr(res, 0, 0);
		s->ours = app && !strcmp(app, "liblineage");
		s->version = lin_pg_i64(res, 0, 1);
	}
	PQclear(res);
	return 0;
}

/* 1: to create; 2: to upgrade; 0: current; else an error. */
static int classify(lin_pg *p, const state *s)
{
	const char *db = PQdb(p->conn);
	if (!s->schema_exists || (!s->tables))
		return 1;
	if (!s->ours)
		return lin_error_set(LINEAGE_ENOTDB, "schema \"%s\" of PostgreSQL database \"%s\" holds tables of another application, not a liblineage store: choose another schema for the store or another database", p->schema, db);
	if (s->version > LINEAGE_SCHEMA_VERSION)
		return lin_error_set(LINEAGE_EVERSION, "the store in schema \"%s\" of database \"%s\" was written by a newer liblineage (schema %lld; this library reads up to %d): upgrade liblineage", p->schema, db, (long long)s->version, LINEAGE_SCHEMA_VERSION);
	if (s->version < PG_FIRST_VERSION)
		return lin_error_set(LINEAGE_ENOTDB, "the store in schema \"%s\" of database \"%s\" has no valid schema version: it is damaged; restore it from a backup", p->schema, db);
	return s->version < LINEAGE_SCHEMA_VERSION ? 2 : 0;
}

static int set_meta(lin_pg *p, const char *name, const char *value)
{
	lin_pg_args a = {0};
	lin_pg_text(&a, name);
	lin_pg_text(&a, value);
	return lin_pg_exec(p, PG_ONCE, "INSERT INTO meta(name, value) VALUES ($1, $2)"
			   " ON CONFLICT (name) DO UPDATE SET value = excluded.value", &a,
			   "recording the schema version");
}

static int create_or_upgrade(lin_pg *p, int64_t version)
{
	char text[32];
	int rc;
	if (version == 0) {
		lin_strbuf sb = LIN_STRBUF_INIT;
		char *quoted = PQescapeIdentifier(p->conn, p->schema, strlen(p->schema));
		if (!quoted || lin_strbuf_printf(&sb, "CREATE SCHEMA IF NOT EXISTS %s", quoted)) {
			PQfreemem(quoted);
			lin_strbuf_free(&sb);
			return lin_error_oom();
		}
		PQfreemem(quoted);
		rc = lin_pg_simple(p, sb.data, "creating the store's schema");
		lin_strbuf_free(&sb);
		if (rc || (rc = lin_pg_simple(p, schema_v3, "creating the store's tables")) ||
		    (rc = set_meta(p, "application", "liblineage")))
			return rc;
		version = PG_FIRST_VERSION;
	}
	for (size_t i = 0; i < sizeof migrations / sizeof migrations[0]; i++) {
		if (migrations[i].to <= version)
			continue;
		if (migrations[i].run)
			rc = migrations[i].run(p);
		else
			rc = lin_pg_simple(p, migrations[i].sql, "upgrading the store's schema");
		if (rc)
			return lin_error_prefix("upgrading to schema %d", migrations[i].to);
		version = migrations[i].to;
	}
	snprintf(text, sizeof text, "%lld", (long long)version);
	return set_meta(p, "schema_version", text);
}

static int privilege_hint(lin_pg *p, int rc)
{
	if (rc != LINEAGE_EREADONLY)
		return rc;
	return lin_error_set(LINEAGE_EREADONLY, "cannot create the store in schema \"%s\" of database \"%s\" (%s): connect once with a role that may create it (GRANT CREATE ON DATABASE ... TO the role), or open a store that exists",
			     p->schema, PQdb(p->conn), lineage_error_last()->message);
}

int lin_pg_schema_setup(lin_pg *p, unsigned int flags)
{
	state s;
	int rc, kind;
	if ((rc = read_state(p, &s)))
		return rc;
	if ((kind = classify(p, &s)) <= 0)
		return kind;
	if (kind == 1 && (flags & LINEAGE_OPEN_NOCREATE))
		return lin_error_hint(LINEAGE_ENOTFOUND, LINEAGE_HINT_OPEN_CREATE, NULL, "there is no liblineage store in schema \"%s\" of PostgreSQL database \"%s\" (check the URI and the schema)", p->schema, PQdb(p->conn));
	if (flags & LINEAGE_OPEN_READONLY)
		return lin_error_hint(LINEAGE_EREADONLY, LINEAGE_HINT_OPEN_WRITABLE, NULL, kind == 1 ? "there is no liblineage store in schema \"%s\" of PostgreSQL database \"%s\" and it cannot be created read-only" : "the store in schema \"%s\" of PostgreSQL database \"%s\" needs its schema upgraded, which cannot be done read-only", p->schema, PQdb(p->conn));
	if ((rc = lin_pg_begin(&p->base)))
		return rc;
	/* Another host may have done it while we waited for the lock. */
	if ((rc = read_state(p, &s)) || (rc = classify(p, &s)) < 0)
		goto fail;
	if (rc > 0 && (rc = create_or_upgrade(p, s.version))) {
		rc = privilege_hint(p, rc);
		goto fail;
	}
	if ((rc = lin_pg_simple(p, "COMMIT", "committing the schema")))
		goto fail;
	p->in_write = 0;
	return 0;
fail:
	lin_pg_rollback(&p->base);
	return rc;
}
