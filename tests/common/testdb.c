/* Database helpers for tests (a separate object: pulled in only by tests that use them). */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

lineage_db *tu_open_temp(void)
{
	static int counter;
	char name[64];
	lineage_db *db = NULL;
	snprintf(name, sizeof name, "test-%d-%d.db", (int)getpid(), counter++);
	TU_OK(lineage_db_open(&db, tu_path(name), NULL));
	return db;
}

lineage_db *tu_open_memory(void)
{
	lineage_db *db = NULL;
	TU_OK(lineage_db_open(&db, ":memory:", NULL));
	return db;
}

int64_t tu_asset(lineage_db *db, const char *key, const char *kind, const char *parent)
{
	lineage_asset_spec spec;
	int64_t id = 0;
	TU_OK(lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION));
	spec.key = key;
	spec.kind = kind;
	spec.parent_key = parent;
	TU_OK(lineage_asset_upsert(NULL, &id, db, &spec));
	return id;
}

int64_t tu_edge(lineage_db *db, const char *source, const char *target)
{
	lineage_edge_spec spec;
	int64_t id = 0;
	TU_OK(lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION));
	spec.source_key = source;
	spec.target_key = target;
	TU_OK(lineage_edge_upsert(NULL, &id, db, &spec));
	return id;
}


void tu_sql(lineage_db *db, const char *sql)
{
	sqlite3 *raw = NULL;
	char *err = NULL;
	ck_assert_int_eq(sqlite3_open(lineage_db_path(db), &raw), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(raw, sql, NULL, NULL, &err) == SQLITE_OK, "%s: %s", sql, err);
	sqlite3_close(raw);
}
