/* Edges in PostgreSQL. */
#include <stdlib.h>

#include "pg.h"

int lin_pg_read_edge(const PGresult *res, int row, lin_edge_rec **out)
{
	lin_edge_rec *rec = lin_edge_rec_new();
	lineage_edge *e;
	int rc;
	*out = NULL;
	if (!rec)
		return LINEAGE_ENOMEM;
	e = &rec->pub;
	e->id = lin_pg_i64(res, row, 0);
	rec->source_id = lin_pg_i64(res, row, 1);
	rec->target_id = lin_pg_i64(res, row, 3);
	rec->job_id = lin_pg_i64(res, row, 6);
	e->lineage_source = (lineage_source)lin_pg_i64(res, row, 8);
	e->confidence = lin_pg_f64(res, row, 9);
	e->status = (lineage_edge_status)lin_pg_i64(res, row, 10);
	e->reviewed_at_ms = lin_pg_i64(res, row, 20);
	e->created_at_ms = lin_pg_i64(res, row, 21);
	e->updated_at_ms = lin_pg_i64(res, row, 22);
	if ((rc = lin_pg_str(res, row, 2, &e->source_key)) ||
	    (rc = lin_pg_str(res, row, 4, &e->target_key)) ||
	    (rc = lin_pg_str(res, row, 5, &e->kind)) ||
	    (rc = lin_pg_str(res, row, 7, &e->job_key)) ||
	    (rc = lin_pg_str(res, row, 11, &e->transformation_type)) ||
	    (rc = lin_pg_str(res, row, 12, &e->transformation)) ||
	    (rc = lin_pg_str(res, row, 13, &e->description)) ||
	    (rc = lin_pg_str(res, row, 14, &e->properties_json)) ||
	    (rc = lin_pg_str(res, row, 15, &e->evidence_json)) ||
	    (rc = lin_pg_str(res, row, 16, &e->origin)) ||
	    (rc = lin_pg_str(res, row, 17, &e->content_hash)) ||
	    (rc = lin_pg_str(res, row, 18, &e->reviewed_by)) ||
	    (rc = lin_pg_str(res, row, 19, &e->review_comment))) {
		lin_edge_rec_free(rec);
		return rc;
	}
	*out = rec;
	return 0;
}

void lin_pg_edge_args(lin_pg_args *a, const lin_edge_write *w)
{
	lin_pg_int(a, w->source_id);
	lin_pg_int(a, w->target_id);
	lin_pg_id(a, w->job_id);
	lin_pg_text(a, w->kind);
	lin_pg_int(a, (int64_t)w->lineage_source);
	lin_pg_real(a, w->confidence);
	lin_pg_int(a, (int64_t)w->status);
	lin_pg_text(a, w->transformation_type);
	lin_pg_text(a, w->transformation);
	lin_pg_text(a, w->description);
	lin_pg_text(a, w->properties_json ? w->properties_json : "{}");
	lin_pg_text(a, w->evidence_json);
	lin_pg_text(a, w->origin);
	lin_pg_text(a, w->content_hash);
	lin_pg_text(a, w->reviewed_by);
	lin_pg_text(a, w->review_comment);
	lin_pg_id(a, w->reviewed_at);
	lin_pg_int(a, w->created_at);
	lin_pg_int(a, w->updated_at);
}

#define EDGE_INSERT \
	"INSERT INTO edges(" PG_EDGE_COLUMNS ", id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9," \
	" $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, coalesce($20::bigint, (SELECT coalesce(max(id), 0) + 1 FROM edges)))"

/* Only if new: the identity is looked up first (under the writer lock nobody else adds it);
 * ON CONFLICT is the safety net. */
#define EDGE_INSERT_NEW \
	"INSERT INTO edges(" PG_EDGE_COLUMNS ", id) SELECT $1::bigint, $2::bigint, $3::bigint," \
	" $4::text, $5::int, $6::float8, $7::int, $8::text, $9::text, $10::text, $11::text," \
	" $12::text, $13::text, $14::text, $15::text, $16::text, $17::bigint, $18::bigint," \
	" $19::bigint, coalesce($20::bigint, (SELECT coalesce(max(id), 0) + 1 FROM edges)) WHERE NOT EXISTS (" \
	"SELECT 1 FROM edges WHERE source_id = $1 AND target_id = $2 AND kind = $4" \
	" AND coalesce(job_id, 0) = coalesce($3, 0)) ON CONFLICT DO NOTHING RETURNING id"

int lin_pg_edge_insert(lin_store *st, const lin_edge_write *w, int64_t *out_id)
{
	lin_pg_args a = {0};
	int64_t id = 0, *outs[1] = {&id};
	int rc, kept = 0, ahead = w->only_if_new && !w->id ? lin_pg_ahead_state(LIN_PG(st), w)
							  : AHEAD_UNKNOWN;
	if (out_id)
		*out_id = 0;
	if (ahead == AHEAD_STORED)
		return 0; /* read ahead: not new */
	lin_pg_ahead_forget(LIN_PG(st), w, 0);
	/* a bulk write's new edge: sent later, with thousands of others (pg_bulk.c) */
	if ((rc = lin_pg_edges_keep(LIN_PG(st), w, ahead == AHEAD_ABSENT, &id, &kept)) || kept) {
		if (out_id)
			*out_id = id;
		return rc;
	}
	lin_pg_edge_args(&a, w);
	lin_pg_id(&a, w->id);
	rc = w->only_if_new
		? lin_pg_one_row(LIN_PG(st), PG_EDGE_INSERT_NEW, EDGE_INSERT_NEW, &a, outs, 1,
				 "adding an edge")
		: lin_pg_one_row(LIN_PG(st), PG_EDGE_INSERT, EDGE_INSERT " RETURNING id", &a, outs, 1,
				 "adding an edge");
	if (!rc && id)
		lin_pg_edges_inserted(LIN_PG(st), w, id);
	if (!rc && out_id)
		*out_id = id;
	return rc;
}

int lin_pg_edge_update(lin_store *st, int64_t id, const lin_edge_write *w)
{
	lin_pg_args a = {0};
	lin_pg_ahead_forget(LIN_PG(st), w, id);
	lin_pg_edge_args(&a, w);
	lin_pg_int(&a, id);
	return lin_pg_exec(LIN_PG(st), PG_EDGE_UPDATE,
			   "UPDATE edges SET source_id = $1, target_id = $2, job_id = $3, kind = $4,"
			   " lineage_source = $5, confidence = $6, status = $7,"
			   " transformation_type = $8, transformation = $9, description = $10,"
			   " properties = $11, evidence = $12, origin = $13, content_hash = $14,"
			   " reviewed_by = $15, review_comment = $16, reviewed_at = $17,"
			   " created_at = $18, updated_at = $19 WHERE id = $20", &a, "updating an edge");
}

int lin_pg_edge_delete(lin_store *st, int64_t id)
{
	lin_pg_args a = {0};
	lin_pg_int(&a, id);
	lin_pg_ahead_clear(LIN_PG(st));
	return lin_pg_exec(LIN_PG(st), PG_EDGE_DELETE, "DELETE FROM edges WHERE id = $1", &a,
			   "removing an edge");
}

static int read_one(lin_pg *p, int which, const char *sql, const lin_pg_args *a,
		    lin_edge_rec **out)
{
	PGresult *res = NULL;
	int rc = lin_pg_run(p, which, sql, a, &res, "reading an edge");
	*out = NULL;
	if (rc)
		return rc;
	if (PQntuples(res) > 0)
		rc = lin_pg_read_edge(res, 0, out);
	PQclear(res);
	return rc;
}

int lin_pg_edge_by_id(lin_store *st, int64_t id, lin_edge_rec **out)
{
	lin_pg_args a = {0};
	lin_pg_int(&a, id);
	return read_one(LIN_PG(st), PG_EDGE_BY_ID, PG_EDGE_SELECT("WHERE e.id = $1"), &a, out);
}

int lin_pg_edge_by_identity(lin_store *st, int64_t source_id, int64_t target_id,
			    const char *kind, int64_t job_id, lin_edge_rec **out)
{
	lin_pg_args a = {0};
	if (lin_pg_ahead_take(LIN_PG(st), source_id, target_id, kind, job_id, out))
		return 0;
	lin_pg_int(&a, source_id);
	lin_pg_int(&a, target_id);
	lin_pg_text(&a, kind);
	lin_pg_int(&a, job_id);
	return read_one(LIN_PG(st), PG_EDGE_BY_IDENTITY,
			PG_EDGE_SELECT("WHERE e.source_id = $1 AND e.target_id = $2 AND e.kind = $3"
				       " AND coalesce(e.job_id, 0) = $4"), &a, out);
}

struct id_walk {
	lin_id_cb cb;
	void *payload;
};

static int id_row(PGresult *res, int row, void *payload)
{
	struct id_walk *w = payload;
	return w->cb(lin_pg_i64(res, row, 0), w->payload);
}

int lin_pg_edge_ids_touching(lin_store *st, int64_t asset_id, lin_id_cb cb, void *payload)
{
	lin_pg_args a = {0};
	struct id_walk w = {cb, payload};
	lin_pg_int(&a, asset_id);
	return lin_pg_each(LIN_PG(st), PG_EDGE_TOUCHING,
			   "SELECT id FROM edges WHERE source_id = $1 UNION"
			   " SELECT id FROM edges WHERE target_id = $1 UNION"
			   " SELECT id FROM edges WHERE job_id = $1 ORDER BY 1", &a, id_row, &w,
			   "listing an asset's edges");
}

struct edge_walk {
	lin_edge_rec_cb cb;
	void *payload;
};

static int edge_row(PGresult *res, int row, void *payload)
{
	struct edge_walk *w = payload;
	lin_edge_rec *rec;
	int rc = lin_pg_read_edge(res, row, &rec);
	return rc ? rc : w->cb(rec, w->payload);
}

int lin_pg_edge_list_for_asset(lin_store *st, int64_t asset_id, unsigned int flags,
			       lin_edge_rec_cb cb, void *payload)
{
	lin_pg_args a = {0};
	struct edge_walk w = {cb, payload};
	int in = (flags & LINEAGE_EDGES_IN) != 0, out = (flags & LINEAGE_EDGES_OUT) != 0;
	lin_pg_int(&a, asset_id);
	lin_pg_int(&a, in || !out);
	lin_pg_int(&a, out || !in);
	lin_pg_int(&a, (flags & LINEAGE_EDGES_ALL_STATUS) != 0);
	return lin_pg_each(LIN_PG(st), PG_ONCE,
			   PG_EDGE_SELECT("WHERE ((e.target_id = $1 AND $2::int = 1)"
					  " OR (e.source_id = $1 AND $3::int = 1))"
					  " AND ($4::int = 1 OR e.status = 0) ORDER BY e.id"),
			   &a, edge_row, &w, "listing an asset's edges");
}

int lin_pg_edge_list_pending(lin_store *st, size_t offset, size_t limit, int64_t *total,
			     lin_edge_rec_cb cb, void *payload)
{
	lin_pg_args a = {0};
	struct edge_walk w = {cb, payload};
	int rc;
	if (total) {
		int64_t *outs[1] = {total};
		if ((rc = lin_pg_one_row(LIN_PG(st), PG_EDGE_PENDING_COUNT, "SELECT count(*) FROM edges"
					 " WHERE lineage_source = 1 AND status = 0", NULL, outs, 1,
					 "counting edges to review")))
			return rc;
	}
	lin_pg_int(&a, (int64_t)limit);
	lin_pg_int(&a, (int64_t)offset);
	return lin_pg_each(LIN_PG(st), PG_EDGE_PENDING,
			   PG_EDGE_SELECT("WHERE e.lineage_source = 1 AND e.status = 0"
					  " ORDER BY e.confidence, e.id LIMIT $1 OFFSET $2"),
			   &a, edge_row, &w, "listing edges to review");
}

int lin_pg_edge_origin_ids(lin_store *st, const char *origin, lin_id_cb cb, void *payload)
{
	lin_pg_args a = {0};
	struct id_walk w = {cb, payload};
	lin_pg_text(&a, origin);
	return lin_pg_each(LIN_PG(st), PG_EDGE_ORIGIN,
			   "SELECT id FROM edges WHERE origin = $1 AND status = 0"
			   " AND lineage_source = 1 ORDER BY id", &a, id_row, &w,
			   "listing an origin's edges");
}
