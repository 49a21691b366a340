/*
 * Schema 9: the references between assets and edges (edges.source_id, target_id, job_id ->
 * assets; assets.parent_id -> assets) checked by triggers instead of foreign keys.
 *
 * A foreign key checks each row on its own: an index probe and a row lock (FOR KEY SHARE,
 * a write to the referenced asset's heap page) per reference and row, about half of a large
 * import's time on edges (docs/benchmarks.md). Here a `COPY` or an INSERT of any number of
 * rows is checked once, by one set-based query over the statement's transition table
 * (FOR EACH STATEMENT ... REFERENCING NEW TABLE); a removal of assets likewise over the
 * removed rows. An UPDATE is checked row by row, and only when it changes a reference or an
 * asset's id (a WHEN clause: no call at all for an update that leaves them as they are, as
 * the library's updates of edges always do and of assets unless one moves to a new parent).
 *
 * No row locks are needed because writers are serialized: the library writes only under the
 * store's advisory write lock (lin_pg_begin), so between a check and the commit no other
 * writer can remove an asset just referenced or reference one just removed. Each check takes
 * that lock too (the library holds it already), so that another application writing into the
 * schema with plain SQL at READ COMMITTED is serialized the same way; one that writes at
 * REPEATABLE READ or SERIALIZABLE must take the lock first (docs/postgres.md).
 *
 * A violation is reported as a foreign key's was: SQLSTATE 23503 (foreign_key_violation),
 * the same message, detail and constraint name, so the library's error mapping (ECONFLICT,
 * pg_conn.c) and what users read are unchanged. The functions run with the schema as their
 * search_path (SET search_path FROM CURRENT: the store's session has it), whatever the
 * search_path of the session that writes.
 */
#include "pg.h"

/* `col` names an asset. */
#define ASSET(col) "EXISTS (SELECT 1 FROM assets a WHERE a.id = " col ")"

#define LOCK "PERFORM pg_advisory_xact_lock(hashtextextended('liblineage:' || TG_TABLE_SCHEMA, 0));"

/* Raise for a missing referenced asset: constraint name, column, id. */
#define RAISE_MISSING(tab)                                                                   \
	" RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation', SCHEMA = TG_TABLE_SCHEMA," \
	"  TABLE = '" tab "', CONSTRAINT = bad.con, MESSAGE = format("                        \
	"  'insert or update on table \"" tab "\" violates foreign key constraint \"%s\"', bad.con)," \
	"  DETAIL = format('Key (%s)=(%s) is not present in table \"assets\".', bad.col, bad.ref);"

/* Raise for a removed asset that is still referenced. */
#define RAISE_REFERENCED                                                                     \
	" RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation', SCHEMA = TG_TABLE_SCHEMA," \
	"  TABLE = bad.tab, CONSTRAINT = bad.con, MESSAGE = format('update or delete on table" \
	" \"assets\" violates foreign key constraint \"%s\" on table \"%s\"', bad.con, bad.tab)," \
	"  DETAIL = format('Key (id)=(%s) is still referenced from table \"%s\".', bad.ref, bad.tab);"

/* The first of `ids` (a query's rows: ref) that is no longer an asset but still referenced. */
#define STILL_REFERENCED(ids)                                                                \
	" SELECT r.ref, x.tab, x.con INTO bad FROM (" ids ") r CROSS JOIN LATERAL ("          \
	"  SELECT 'edges' AS tab, 'edges_source_id_fkey' AS con"                              \
	"   WHERE EXISTS (SELECT 1 FROM edges e WHERE e.source_id = r.ref)"                   \
	"  UNION ALL SELECT 'edges', 'edges_target_id_fkey'"                                  \
	"   WHERE EXISTS (SELECT 1 FROM edges e WHERE e.target_id = r.ref)"                   \
	"  UNION ALL SELECT 'edges', 'edges_job_id_fkey'"                                     \
	"   WHERE EXISTS (SELECT 1 FROM edges e WHERE e.job_id = r.ref)"                      \
	"  UNION ALL SELECT 'assets', 'assets_parent_id_fkey'"                                \
	"   WHERE EXISTS (SELECT 1 FROM assets c WHERE c.parent_id = r.ref)) x"               \
	" WHERE NOT " ASSET("r.ref") " LIMIT 1;"                                              \
	" IF FOUND THEN" RAISE_REFERENCED " END IF;"

#define FUNCTION(name, body)                                                                 \
	"CREATE FUNCTION " name "() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT" \
	" AS $fn$ DECLARE bad record; missing bigint; BEGIN " LOCK body " RETURN NULL; END $fn$;"

/* The first of the ids that `refs` (rows of column ref) names that is not an asset, into
 * `missing`. Each distinct id is looked up once in the primary key: with a hashed lookup
 * instead, each statement of an import read the whole of assets three times (a third of an
 * import's time on edges, in 18 `COPY`s of 16,000 edges). */
#define REFS_MISSING(refs)                                                                   \
	" SELECT r.ref INTO missing FROM (SELECT DISTINCT ref FROM " refs ") r"               \
	" WHERE r.ref IS NOT NULL AND NOT " ASSET("r.ref") " LIMIT 1;"

/* The references of edges (`rows` n: source_id, target_id, job_id); for the message, the
 * first reference that names the missing asset. */
#define EDGE_REFS_MISSING(rows)                                                              \
	REFS_MISSING(rows " CROSS JOIN LATERAL (VALUES (n.source_id), (n.target_id),"         \
		     " (n.job_id)) AS v(ref)")                                                \
	" IF missing IS NOT NULL THEN"                                                        \
	"  SELECT c.con, c.col, c.ref INTO bad FROM " rows " CROSS JOIN LATERAL (VALUES"      \
	"   ('edges_source_id_fkey', 'source_id', n.source_id),"                              \
	"   ('edges_target_id_fkey', 'target_id', n.target_id),"                              \
	"   ('edges_job_id_fkey', 'job_id', n.job_id)) AS c(con, col, ref)"                   \
	"  WHERE c.ref = missing LIMIT 1;"                                                    \
	RAISE_MISSING("edges") " END IF;"

/* The parents of assets (`rows` n: parent_id). */
#define PARENT_MISSING(rows)                                                                 \
	REFS_MISSING("(SELECT n.parent_id AS ref FROM " rows ") AS p")                        \
	" IF missing IS NOT NULL THEN"                                                        \
	"  SELECT 'assets_parent_id_fkey' AS con, 'parent_id' AS col, missing AS ref INTO bad;" \
	RAISE_MISSING("assets") " END IF;"

static const char *const steps[] = {
	FUNCTION("lineage_edges_inserted", EDGE_REFS_MISSING("new_rows n")),
	FUNCTION("lineage_edge_updated", EDGE_REFS_MISSING("(SELECT NEW.source_id, NEW.target_id,"
							   " NEW.job_id) AS n(source_id, target_id, job_id)")),
	FUNCTION("lineage_assets_inserted", PARENT_MISSING("new_rows n")),
	FUNCTION("lineage_asset_updated", PARENT_MISSING("(SELECT NEW.parent_id) AS n(parent_id)")
		 " IF NEW.id <> OLD.id THEN" STILL_REFERENCED("SELECT OLD.id AS ref") " END IF;"),
	FUNCTION("lineage_assets_deleted", STILL_REFERENCED("SELECT id AS ref FROM old_rows")),
	/* A TRUNCATE of assets with edges left (TRUNCATE edges, runs, assets goes through). */
	FUNCTION("lineage_assets_truncated",
		 " IF EXISTS (SELECT 1 FROM edges) THEN RAISE EXCEPTION USING"
		 "  ERRCODE = 'foreign_key_violation', SCHEMA = TG_TABLE_SCHEMA, TABLE = 'edges',"
		 "  MESSAGE = 'cannot truncate table \"assets\": table \"edges\" references it',"
		 "  HINT = 'Truncate table \"edges\" at the same time.'; END IF;"),
	"CREATE TRIGGER edges_inserted AFTER INSERT ON edges REFERENCING NEW TABLE AS new_rows"
	" FOR EACH STATEMENT EXECUTE FUNCTION lineage_edges_inserted();"
	"CREATE TRIGGER edges_updated AFTER UPDATE OF source_id, target_id, job_id ON edges"
	" FOR EACH ROW WHEN (NEW.source_id <> OLD.source_id OR NEW.target_id <> OLD.target_id"
	"  OR NEW.job_id IS DISTINCT FROM OLD.job_id) EXECUTE FUNCTION lineage_edge_updated();"
	"CREATE TRIGGER assets_inserted AFTER INSERT ON assets REFERENCING NEW TABLE AS new_rows"
	" FOR EACH STATEMENT EXECUTE FUNCTION lineage_assets_inserted();"
	"CREATE TRIGGER assets_updated AFTER UPDATE OF id, parent_id ON assets"
	" FOR EACH ROW WHEN (NEW.id <> OLD.id OR NEW.parent_id IS DISTINCT FROM OLD.parent_id)"
	" EXECUTE FUNCTION lineage_asset_updated();"
	"CREATE TRIGGER assets_deleted AFTER DELETE ON assets REFERENCING OLD TABLE AS old_rows"
	" FOR EACH STATEMENT EXECUTE FUNCTION lineage_assets_deleted();"
	"CREATE TRIGGER assets_truncated AFTER TRUNCATE ON assets"
	" FOR EACH STATEMENT EXECUTE FUNCTION lineage_assets_truncated();"
	"ALTER TABLE edges DROP CONSTRAINT IF EXISTS edges_source_id_fkey,"
	" DROP CONSTRAINT IF EXISTS edges_target_id_fkey, DROP CONSTRAINT IF EXISTS edges_job_id_fkey;"
	"ALTER TABLE assets DROP CONSTRAINT IF EXISTS assets_parent_id_fkey;",
};

int lin_pg_migrate_v9(lin_pg *p)
{
	int rc = 0;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0] && !rc; i++)
		rc = lin_pg_simple(p, steps[i], "checking references by triggers");
	return rc;
}
