/* Edge and asset kinds, and stats, in PostgreSQL. */
#include <stdlib.h>

#include "pg.h"

int lin_pg_kind_define(lin_store *st, const char *kind, int allows_self_loop, int allows_cycles)
{
	lin_pg_args a = {0};
	lin_pg_text(&a, kind);
	lin_pg_int(&a, allows_self_loop != 0);
	lin_pg_int(&a, allows_cycles != 0);
	return lin_pg_exec(LIN_PG(st), PG_KIND_DEFINE,
			   "INSERT INTO edge_kinds(name, allows_self_loop, allows_cycles)"
			   " VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET"
			   " allows_self_loop = excluded.allows_self_loop,"
			   " allows_cycles = excluded.allows_cycles", &a, "defining an edge kind");
}

int lin_pg_kind_rules(lin_store *st, const char *kind, int *allows_self_loop,
		      int *allows_cycles, int *found)
{
	lin_pg_args a = {0};
	PGresult *res = NULL;
	int rc;
	*found = 0;
	lin_pg_text(&a, kind);
	if ((rc = lin_pg_run(LIN_PG(st), PG_KIND_RULES,
			     "SELECT allows_self_loop, allows_cycles FROM edge_kinds WHERE name = $1",
			     &a, &res, "reading an edge kind")))
		return rc;
	if (PQntuples(res) > 0) {
		*found = 1;
		*allows_self_loop = (int)lin_pg_i64(res, 0, 0);
		*allows_cycles = (int)lin_pg_i64(res, 0, 1);
	}
	PQclear(res);
	return 0;
}

struct kind_walk {
	lin_kind_cb cb;
	void *payload;
};

static int kind_row(PGresult *res, int row, void *payload)
{
	struct kind_walk *w = payload;
	return w->cb(PQgetvalue(res, row, 0), (int)lin_pg_i64(res, row, 1),
		     (int)lin_pg_i64(res, row, 2), w->payload);
}

int lin_pg_kinds_each(lin_store *st, lin_kind_cb cb, void *payload)
{
	struct kind_walk w = {cb, payload};
	return lin_pg_each(LIN_PG(st), PG_KINDS_EACH,
			   "SELECT name, allows_self_loop, allows_cycles FROM edge_kinds"
			   " ORDER BY name COLLATE \"C\"", NULL, kind_row, &w, "reading the edge kinds");
}

int lin_pg_asset_kind_define(lin_store *st, const char *kind)
{
	lin_pg_args a = {0};
	lin_pg_text(&a, kind);
	return lin_pg_exec(LIN_PG(st), PG_ASSET_KIND_DEFINE,
			   "INSERT INTO asset_kinds(name) VALUES ($1) ON CONFLICT (name) DO NOTHING", &a,
			   "declaring an asset kind");
}

struct asset_kind_walk {
	lin_asset_kind_cb cb;
	void *payload;
};

static int asset_kind_row(PGresult *res, int row, void *payload)
{
	struct asset_kind_walk *w = payload;
	return w->cb(PQgetvalue(res, row, 0), w->payload);
}

int lin_pg_asset_kinds_each(lin_store *st, lin_asset_kind_cb cb, void *payload)
{
	struct asset_kind_walk w = {cb, payload};
	return lin_pg_each(LIN_PG(st), PG_ASSET_KINDS_EACH, "SELECT name FROM asset_kinds", NULL,
			   asset_kind_row, &w, "reading the asset kinds");
}

static const struct stat_query {
	const char *group;
	int grouped; /* rows of (name, value) rather than one value */
	const char *sql;
} stat_queries[] = {
	{"assets", 0, "SELECT count(*) FROM assets"},
	{"edges", 0, "SELECT count(*) FROM edges"},
	{"assets_by_kind", 1, "SELECT kind, count(*) FROM assets GROUP BY kind ORDER BY kind COLLATE \"C\""},
	{"edges_by_kind", 1, "SELECT kind, count(*) FROM edges GROUP BY kind ORDER BY kind COLLATE \"C\""},
	{"edges_by_source", 1, "SELECT lineage_source, count(*) FROM edges GROUP BY 1 ORDER BY 1"},
	{"edges_by_status", 1, "SELECT status, count(*) FROM edges GROUP BY 1 ORDER BY 1"},
	{"changes", 0, "SELECT count(*) FROM changes"},
	{"last_seq", 0, "SELECT coalesce(max(seq), 0) FROM changes"},
	/* the store's tables with their indexes and TOAST, in its schema */
	{"database_bytes", 0, "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint"
			      " FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace"
			      " AND c.relkind = 'r'"},
};

struct stat_walk {
	const struct stat_query *q;
	lin_stat_cb cb;
	void *payload;
};

static int stat_row(PGresult *res, int row, void *payload)
{
	struct stat_walk *w = payload;
	if (w->q->grouped)
		return w->cb(w->q->group, PQgetvalue(res, row, 0), lin_pg_i64(res, row, 1), w->payload);
	return w->cb(w->q->group, NULL, lin_pg_i64(res, row, 0), w->payload);
}

int lin_pg_stats(lin_store *st, lin_stat_cb cb, void *payload)
{
	int rc = 0;
	for (size_t i = 0; i < sizeof stat_queries / sizeof stat_queries[0] && !rc; i++) {
		struct stat_walk w = {&stat_queries[i], cb, payload};
		rc = lin_pg_each(LIN_PG(st), PG_ONCE, stat_queries[i].sql, NULL, stat_row, &w,
				 "counting for the stats");
	}
	return rc;
}
