/* Edges in SQLite. */
#include <stdlib.h>

#include "sq.h"
#include "common/util.h"

int lin_sq_read_edge(sqlite3_stmt *stmt, lin_edge_rec **out)
{
	lin_edge_rec *rec = lin_edge_rec_new();
	lineage_edge *e;
	int rc;
	*out = NULL;
	if (!rec)
		return LINEAGE_ENOMEM;
	e = &rec->pub;
	e->id = sqlite3_column_int64(stmt, 0);
	rec->source_id = sqlite3_column_int64(stmt, 1);
	rec->target_id = sqlite3_column_int64(stmt, 3);
	rec->job_id = sqlite3_column_int64(stmt, 6);
	e->lineage_source = (lineage_source)sqlite3_column_int(stmt, 8);
	e->confidence = sqlite3_column_double(stmt, 9);
	e->status = (lineage_edge_status)sqlite3_column_int(stmt, 10);
	e->reviewed_at_ms = sqlite3_column_int64(stmt, 20);
	e->created_at_ms = sqlite3_column_int64(stmt, 21);
	e->updated_at_ms = sqlite3_column_int64(stmt, 22);
	if ((rc = lin_sq_col_str(stmt, 2, &e->source_key)) ||
	    (rc = lin_sq_col_str(stmt, 4, &e->target_key)) ||
	    (rc = lin_sq_col_str(stmt, 5, &e->kind)) ||
	    (rc = lin_sq_col_str(stmt, 7, &e->job_key)) ||
	    (rc = lin_sq_col_str(stmt, 11, &e->transformation_type)) ||
	    (rc = lin_sq_col_str(stmt, 12, &e->transformation)) ||
	    (rc = lin_sq_col_str(stmt, 13, &e->description)) ||
	    (rc = lin_sq_col_str(stmt, 14, &e->properties_json)) ||
	    (rc = lin_sq_col_str(stmt, 15, &e->evidence_json)) ||
	    (rc = lin_sq_col_str(stmt, 16, &e->origin)) ||
	    (rc = lin_sq_col_str(stmt, 17, &e->content_hash)) ||
	    (rc = lin_sq_col_str(stmt, 18, &e->reviewed_by)) ||
	    (rc = lin_sq_col_str(stmt, 19, &e->review_comment))) {
		lin_edge_rec_free(rec);
		return rc;
	}
	*out = rec;
	return 0;
}

int lin_sq_bind_edge(sqlite3_stmt *stmt, int at, const lin_edge_write *w)
{
	int rc = 0;
	rc |= sqlite3_bind_int64(stmt, at + 1, w->source_id);
	rc |= sqlite3_bind_int64(stmt, at + 2, w->target_id);
	rc |= lin_sq_bind_id(stmt, at + 3, w->job_id);
	rc |= lin_sq_bind_text(stmt, at + 4, w->kind);
	rc |= sqlite3_bind_int(stmt, at + 5, (int)w->lineage_source);
	rc |= sqlite3_bind_double(stmt, at + 6, w->confidence);
	rc |= sqlite3_bind_int(stmt, at + 7, (int)w->status);
	rc |= lin_sq_bind_text(stmt, at + 8, w->transformation_type);
	rc |= lin_sq_bind_text(stmt, at + 9, w->transformation);
	rc |= lin_sq_bind_text(stmt, at + 10, w->description);
	rc |= lin_sq_bind_text(stmt, at + 11, w->properties_json ? w->properties_json : "{}");
	rc |= lin_sq_bind_text(stmt, at + 12, w->evidence_json);
	rc |= lin_sq_bind_text(stmt, at + 13, w->origin);
	rc |= lin_sq_bind_text(stmt, at + 14, w->content_hash);
	rc |= lin_sq_bind_text(stmt, at + 15, w->reviewed_by);
	rc |= lin_sq_bind_text(stmt, at + 16, w->review_comment);
	rc |= w->reviewed_at ? sqlite3_bind_int64(stmt, at + 17, w->reviewed_at)
			     : sqlite3_bind_null(stmt, at + 17);
	rc |= sqlite3_bind_int64(stmt, at + 18, w->created_at);
	rc |= sqlite3_bind_int64(stmt, at + 19, w->updated_at);
	rc |= lin_sq_bind_id(stmt, at + 20, w->id);
	return rc;
}

int lin_sq_edge_insert(lin_store *st, const lin_edge_write *w, int64_t *out_id)
{
#define EDGE_INSERT \
	"INSERT INTO edges(" SQ_EDGE_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9," \
	" ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int64_t id = 0;
	int rc, kept = 0;
	if (out_id)
		*out_id = 0;
	/* a bulk write's new edge: written later, with a few hundred others */
	if ((rc = lin_sq_edges_keep(s, w, &id, &kept)) || kept) {
		if (out_id)
			*out_id = id;
		return rc;
	}
	rc = w->only_if_new ? lin_sq_stmt(s, SQ_EDGE_INSERT_NEW, EDGE_INSERT " ON CONFLICT DO NOTHING",
					  &stmt)
			    : lin_sq_stmt(s, SQ_EDGE_INSERT, EDGE_INSERT, &stmt);
#undef EDGE_INSERT
	if (rc)
		return rc;
	if (lin_sq_bind_edge(stmt, 0, w))
		return lin_sq_error(s, sqlite3_errcode(s->db), "binding an edge");
	if ((rc = lin_sq_step_done(s, stmt, "adding an edge")))
		return rc;
	if (!w->only_if_new || sqlite3_changes(s->db) > 0) {
		id = sqlite3_last_insert_rowid(s->db);
		lin_sq_edges_inserted(s, w, id);
		if (out_id)
			*out_id = id;
	}
	return 0;
}

int lin_sq_edge_update(lin_store *st, int64_t id, const lin_edge_write *w)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_EDGE_UPDATE,
			     "UPDATE edges SET source_id = ?1, target_id = ?2, job_id = ?3, kind = ?4,"
			     " lineage_source = ?5, confidence = ?6, status = ?7,"
			     " transformation_type = ?8, transformation = ?9, description = ?10,"
			     " properties = ?11, evidence = ?12, origin = ?13, content_hash = ?14,"
			     " reviewed_by = ?15, review_comment = ?16, reviewed_at = ?17,"
			     " created_at = ?18, updated_at = ?19 WHERE id = ?20", &stmt);
	if (rc)
		return rc;
	if (lin_sq_bind_edge(stmt, 0, w) || sqlite3_bind_int64(stmt, 20, id)) /* WHERE id = ?20 */
		return lin_sq_error(s, sqlite3_errcode(s->db), "binding an edge");
	return lin_sq_step_done(s, stmt, "updating an edge");
}

int lin_sq_edge_delete(lin_store *st, int64_t id)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_EDGE_DELETE, "DELETE FROM edges WHERE id = ?1", &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	return lin_sq_step_done(s, stmt, "removing an edge");
}

static int read_one(lin_sq *s, sqlite3_stmt *stmt, lin_edge_rec **out)
{
	int rc = sqlite3_step(stmt);
	*out = NULL;
	if (rc == SQLITE_ROW)
		rc = lin_sq_read_edge(stmt, out);
	else if (rc == SQLITE_DONE)
		rc = 0;
	else
		rc = lin_sq_error(s, rc, "reading an edge");
	sqlite3_reset(stmt);
	return rc;
}

int lin_sq_edge_by_id(lin_store *st, int64_t id, lin_edge_rec **out)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_EDGE_BY_ID, EDGE_SELECT("WHERE e.id = ?1"), &stmt);
	*out = NULL;
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	return read_one(s, stmt, out);
}

int lin_sq_edge_by_identity(lin_store *st, int64_t source_id, int64_t target_id,
			    const char *kind, int64_t job_id, lin_edge_rec **out)
{
	/* A probe of the identity index alone, then the joined row only when there is one:
	 * a bulk load misses every time, and the join's setup cost more than the probe. */
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int64_t id = 0;
	int rc = lin_sq_stmt(s, SQ_EDGE_BY_IDENTITY,
			     "SELECT id FROM edges WHERE source_id = ?1 AND target_id = ?2"
			     " AND kind = ?3 AND ifnull(job_id, 0) = ?4", &stmt);
	*out = NULL;
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, source_id);
	sqlite3_bind_int64(stmt, 2, target_id);
	sqlite3_bind_text(stmt, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, job_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(stmt, 0);
	else if (rc != SQLITE_DONE)
		id = -1;
	sqlite3_reset(stmt);
	if (id < 0)
		return lin_sq_error(s, rc, "looking up an edge");
	return id ? lin_sq_edge_by_id(st, id, out) : 0;
}

struct id_walk {
	lin_id_cb cb;
	void *payload;
};

static int id_row(sqlite3_stmt *stmt, void *payload)
{
	struct id_walk *w = payload;
	return w->cb(sqlite3_column_int64(stmt, 0), w->payload);
}

int lin_sq_edge_ids_touching(lin_store *st, int64_t asset_id, lin_id_cb cb, void *payload)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	struct id_walk w = {cb, payload};
	int rc = lin_sq_stmt(s, SQ_EDGE_TOUCHING,
			     "SELECT id FROM edges WHERE source_id = ?1 UNION"
			     " SELECT id FROM edges WHERE target_id = ?1 UNION"
			     " SELECT id FROM edges WHERE job_id = ?1 ORDER BY 1", &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, asset_id);
	return lin_sq_each(s, stmt, id_row, &w, "listing an asset's edges");
}

struct edge_walk {
	lin_edge_rec_cb cb;
	void *payload;
};

static int edge_row(sqlite3_stmt *stmt, void *payload)
{
	struct edge_walk *w = payload;
	lin_edge_rec *rec;
	int rc = lin_sq_read_edge(stmt, &rec);
	return rc ? rc : w->cb(rec, w->payload);
}

int lin_sq_edge_list_for_asset(lin_store *st, int64_t asset_id, unsigned int flags,
			       lin_edge_rec_cb cb, void *payload)
{
	/* Rare enough to prepare each time: the shape depends on the flags. */
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	struct edge_walk w = {cb, payload};
	const char *sql;
	int in = (flags & LINEAGE_EDGES_IN) != 0, out = (flags & LINEAGE_EDGES_OUT) != 0;
	int rc;
	if (!in && !out)
		in = out = 1;
	if (flags & LINEAGE_EDGES_ALL_STATUS)
		sql = in && out ? EDGE_SELECT("WHERE e.id IN (SELECT id FROM edges WHERE source_id = ?1"
					      " UNION SELECT id FROM edges WHERE target_id = ?1) ORDER BY e.id")
		    : in ? EDGE_SELECT("WHERE e.target_id = ?1 ORDER BY e.id")
			 : EDGE_SELECT("WHERE e.source_id = ?1 ORDER BY e.id");
	else
		sql = in && out ? EDGE_SELECT("WHERE e.id IN (SELECT id FROM edges WHERE source_id = ?1"
					      " UNION SELECT id FROM edges WHERE target_id = ?1)"
					      " AND e.status = 0 ORDER BY e.id")
		    : in ? EDGE_SELECT("WHERE e.target_id = ?1 AND e.status = 0 ORDER BY e.id")
			 : EDGE_SELECT("WHERE e.source_id = ?1 AND e.status = 0 ORDER BY e.id");
	if ((rc = lin_sq_prepare(s, sql, &stmt, "listing an asset's edges")))
		return rc;
	sqlite3_bind_int64(stmt, 1, asset_id);
	rc = lin_sq_each(s, stmt, edge_row, &w, "listing an asset's edges");
	sqlite3_finalize(stmt);
	return rc;
}

int lin_sq_edge_list_pending(lin_store *st, size_t offset, size_t limit, int64_t *total,
			     lin_edge_rec_cb cb, void *payload)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	struct edge_walk w = {cb, payload};
	int rc;
	if (total) {
		int64_t *outs[1] = {total};
		if ((rc = lin_sq_stmt(s, SQ_EDGE_PENDING_COUNT, "SELECT count(*) FROM edges"
				      " WHERE lineage_source = 1 AND status = 0", &stmt)) ||
		    (rc = lin_sq_one_row(s, stmt, outs, 1, "counting edges to review")))
			return rc;
	}
	if ((rc = lin_sq_stmt(s, SQ_EDGE_PENDING,
			      EDGE_SELECT("WHERE e.lineage_source = 1 AND e.status = 0"
					  " ORDER BY e.confidence, e.id LIMIT ?1 OFFSET ?2"), &stmt)))
		return rc;
	sqlite3_bind_int64(stmt, 1, (sqlite3_int64)limit);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)offset);
	return lin_sq_each(s, stmt, edge_row, &w, "listing edges to review");
}

int lin_sq_edge_origin_ids(lin_store *st, const char *origin, lin_id_cb cb, void *payload)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	struct id_walk w = {cb, payload};
	int rc = lin_sq_stmt(s, SQ_EDGE_ORIGIN,
			     "SELECT id FROM edges WHERE origin = ?1 AND status = 0"
			     " AND lineage_source = 1 ORDER BY id", &stmt);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, origin, -1, SQLITE_STATIC);
	return lin_sq_each(s, stmt, id_row, &w, "listing an origin's edges");
}

int lin_sq_edges_bulk(lin_store *st, int64_t expected, int *on)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int64_t max_id = 0, *outs[1] = {&max_id};
	int rc;
	*on = 0;
	if (!s->in_write || sqlite3_get_autocommit(s->db))
		return 0;
	/* the edges' count, bounded above by the highest id: O(1) */
	if ((rc = lin_sq_stmt(s, SQ_EDGES_MAX_ID, "SELECT ifnull(max(id), 0) FROM edges", &stmt)) ||
	    (rc = lin_sq_one_row(s, stmt, outs, 1, "counting the edges")))
		return rc;
	if (expected < max_id)
		return 0;
	if ((rc = lin_sq_exec(s, "DROP INDEX edges_target; DROP INDEX edges_job;",
			      "setting the edge indexes aside")) ||
	    (rc = lin_sq_edges_bulk_begin(s, max_id, expected)))
		return rc;
	*on = 1;
	return 0;
}

int lin_sq_edges_bulk_finish(lin_store *st)
{
	/* lin_sq_exec writes the kept edges first */
	return lin_sq_exec(LIN_SQ(st), lin_sq_edge_secondary_indexes, "building the edge indexes");
}
