/* The audit trail in SQLite: changes and batches. */
#include <stdlib.h>

#include "sq.h"
#include "common/strbuf.h"

/*
 * A creation's after state is not stored (it is most of an import's audit volume): it is
 * the state before the entity's next change, or, without one, the entity as it is now
 * (filled by lib/api/audit.c). The index on (entity, entity_id, seq) finds the next change.
 * The edges a bulk import creates do not store their keys either (they were two thirds of
 * such a row): they are the created edge's source and target, read the same way — from the
 * next change's before state, or from the edge as it is now.
 */
#define NEXT_BEFORE(c) \
	"(SELECT n.before_json FROM changes AS n WHERE n.entity = " c ".entity" \
	" AND n.entity_id = " c ".entity_id AND n.seq > " c ".seq ORDER BY n.seq LIMIT 1)"
#define EDGE_END_KEY(c, end) \
	"coalesce(json_extract(" NEXT_BEFORE(c) ", '$." end "'), (SELECT a.key FROM edges AS e" \
	" JOIN assets AS a ON a.id = e." end "_id WHERE e.id = " c ".entity_id))"
#define CHANGE_SELECT "SELECT seq, at, actor, action, entity, entity_id," \
	" CASE WHEN asset_key IS NULL AND entity = 'edge' THEN " EDGE_END_KEY("c", "source") \
	" ELSE asset_key END," \
	" CASE WHEN target_key IS NULL AND entity = 'edge' THEN " EDGE_END_KEY("c", "target") \
	" ELSE target_key END," \
	" before_json, CASE WHEN after_json IS NULL AND action = 'create' THEN " NEXT_BEFORE("c") \
	" ELSE after_json END, comment, batch_id FROM changes AS c "

int lin_sq_read_change(sqlite3_stmt *stmt, lin_change_rec **out)
{
	lin_change_rec *rec = lin_change_rec_new();
	lineage_change *c;
	int rc;
	*out = NULL;
	if (!rec)
		return LINEAGE_ENOMEM;
	c = &rec->pub;
	c->seq = sqlite3_column_int64(stmt, 0);
	c->at_ms = sqlite3_column_int64(stmt, 1);
	c->entity_id = sqlite3_column_int64(stmt, 5);
	c->batch_id = sqlite3_column_int64(stmt, 11);
	if ((rc = lin_sq_col_str(stmt, 2, &c->actor)) ||
	    (rc = lin_sq_col_str(stmt, 3, &c->action)) ||
	    (rc = lin_sq_col_str(stmt, 4, &c->entity)) ||
	    (rc = lin_sq_col_str(stmt, 6, &c->asset_key)) ||
	    (rc = lin_sq_col_str(stmt, 7, &c->target_key)) ||
	    (rc = lin_sq_col_str(stmt, 8, &c->before_json)) ||
	    (rc = lin_sq_col_str(stmt, 9, &c->after_json)) ||
	    (rc = lin_sq_col_str(stmt, 10, &c->comment))) {
		lin_change_rec_free(rec);
		return rc;
	}
	*out = rec;
	return 0;
}

int lin_sq_change_insert(lin_store *st, const lin_change_write *w, int64_t *out_seq)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_CHANGE_INSERT,
			     "INSERT INTO changes(at, actor, action, entity, entity_id, asset_key,"
			     " target_key, before_json, after_json, comment, batch_id)"
			     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, w->at);
	lin_sq_bind_text(stmt, 2, w->actor);
	lin_sq_bind_text(stmt, 3, w->action);
	lin_sq_bind_text(stmt, 4, w->entity);
	sqlite3_bind_int64(stmt, 5, w->entity_id);
	lin_sq_bind_text(stmt, 6, w->asset_key);
	lin_sq_bind_text(stmt, 7, w->target_key);
	lin_sq_bind_text(stmt, 8, w->before_json);
	lin_sq_bind_text(stmt, 9, w->after_json);
	lin_sq_bind_text(stmt, 10, w->comment);
	sqlite3_bind_int64(stmt, 11, w->batch_id);
	if ((rc = lin_sq_step_done(s, stmt, "recording a change")))
		return rc;
	if (out_seq)
		*out_seq = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* One INSERT of `rows` creations: ?1 time, ?2 actor, ?3 batch, then an id per row. */
static char *creations_sql(size_t rows)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	int rc = lin_strbuf_puts(&sb, "INSERT INTO changes(at, actor, action, entity, entity_id,"
				      " batch_id) VALUES ");
	for (size_t i = 0; i < rows && !rc; i++)
		rc = lin_strbuf_printf(&sb, "%s(?1, ?2, 'create', 'edge', ?%zu, ?3)", i ? ", " : "",
				       4 + i);
	if (rc) {
		lin_strbuf_free(&sb);
		return NULL;
	}
	return lin_strbuf_detach(&sb);
}

/* Rows per statement: a few hundred rows share one step. */
#define CREATIONS_PER_INSERT 256

int lin_sq_edge_creations_record(lin_store *st, const lin_change_write *w, const int64_t *ids,
				 size_t n, int64_t *first_seq, int64_t *last_seq)
{
	lin_sq *s = LIN_SQ(st);
	int64_t before = 0;
	int rc = lin_sq_last_seq(st, &before);
	*first_seq = *last_seq = 0;
	for (size_t done = 0; !rc && done < n;) {
		size_t rows = n - done < CREATIONS_PER_INSERT ? n - done : CREATIONS_PER_INSERT;
		sqlite3_stmt *stmt = NULL;
		int own; /* the rest: a statement of its own, once per flush */
		if ((rc = lin_sq_rows_stmt(s, SQ_EDGE_CREATIONS, rows, CREATIONS_PER_INSERT,
					   creations_sql, &stmt, &own)))
			break;
		sqlite3_bind_int64(stmt, 1, w->at);
		lin_sq_bind_text(stmt, 2, w->actor);
		sqlite3_bind_int64(stmt, 3, w->batch_id);
		for (size_t i = 0; i < rows; i++)
			sqlite3_bind_int64(stmt, (int)(4 + i), ids[done + i]);
		rc = lin_sq_step_done(s, stmt, "recording the edges created");
		if (own)
			sqlite3_finalize(stmt);
		done += rows;
	}
	if (!rc && n) {
		*first_seq = before + 1; /* the rows took the seqs that followed, in order */
		*last_seq = sqlite3_last_insert_rowid(s->db);
	}
	return rc;
}

int lin_sq_batch_insert(lin_store *st, const char *actor, const char *label, int64_t at,
			int64_t *out_id)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_BATCH_INSERT,
			     "INSERT INTO batches(actor, label, started_at, after_seq)"
			     " VALUES (?1, ?2, ?3, (SELECT ifnull(max(seq), 0) FROM changes))",
			     &stmt);
	if (rc)
		return rc;
	lin_sq_bind_text(stmt, 1, actor);
	lin_sq_bind_text(stmt, 2, label);
	sqlite3_bind_int64(stmt, 3, at);
	if ((rc = lin_sq_step_done(s, stmt, "starting a batch")))
		return rc;
	*out_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int lin_sq_batch_relabel(lin_store *st, int64_t id, const char *label)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_BATCH_RELABEL, "UPDATE batches SET label = ?2 WHERE id = ?1", &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	lin_sq_bind_text(stmt, 2, label);
	return lin_sq_step_done(s, stmt, "labelling a batch");
}

int lin_sq_batch_exists(lin_store *st, int64_t id, int *out_found)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_BATCH_EXISTS, "SELECT 1 FROM batches WHERE id = ?1", &stmt);
	*out_found = 0;
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	*out_found = rc == SQLITE_ROW;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : lin_sq_error(s, rc, "reading a batch");
	sqlite3_reset(stmt);
	return rc;
}

struct change_walk {
	lin_change_rec_cb cb;
	void *payload;
};

static int change_row(sqlite3_stmt *stmt, void *payload)
{
	struct change_walk *w = payload;
	lin_change_rec *rec;
	int rc = lin_sq_read_change(stmt, &rec);
	return rc ? rc : w->cb(rec, w->payload);
}

int lin_sq_changes_since(lin_store *st, int64_t since_seq, size_t limit, lin_change_rec_cb cb,
			 void *payload)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	struct change_walk w = {cb, payload};
	int rc = lin_sq_stmt(s, SQ_CHANGES_SINCE,
			     CHANGE_SELECT "WHERE seq > ?1 ORDER BY seq LIMIT ?2", &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, since_seq);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)limit);
	return lin_sq_each(s, stmt, change_row, &w, "reading the change feed");
}

/* The changes of an asset (?1) and of the edges it is an end of. Creations are not in the key
 * indexes (schema 3): they are found through the ids of the asset and of the edges it had
 * (still there, or named by a later change). */
#define HISTORY_ASSET_WHERE "WHERE c.seq IN (" \
	"SELECT seq FROM changes WHERE action <> 'create' AND asset_key = ?1" \
	" UNION ALL SELECT seq FROM changes" \
	" WHERE action <> 'create' AND target_key = ?1" \
	" UNION ALL SELECT x.seq FROM changes AS x JOIN (" \
	"SELECT 'asset' AS entity, id FROM assets WHERE key = ?1" \
	" UNION SELECT 'edge', e.id FROM assets AS a JOIN edges AS e" \
	" ON e.source_id = a.id WHERE a.key = ?1" \
	" UNION SELECT 'edge', e.id FROM assets AS a JOIN edges AS e" \
	" ON e.target_id = a.id WHERE a.key = ?1" \
	" UNION SELECT entity, entity_id FROM changes" \
	" WHERE action <> 'create' AND asset_key = ?1" \
	" UNION SELECT entity, entity_id FROM changes" \
	" WHERE action <> 'create' AND target_key = ?1" \
	") AS t ON x.entity = t.entity AND x.entity_id = t.id" \
	" WHERE x.action = 'create' AND CASE WHEN x.asset_key IS NULL" \
	" AND x.entity = 'edge' THEN ?1 IN (" EDGE_END_KEY("x", "source") ", " \
	EDGE_END_KEY("x", "target") ") ELSE x.asset_key = ?1 OR x.target_key = ?1" \
	" END)"

int lin_sq_history_asset(lin_store *st, const char *key, size_t offset, size_t limit,
			 int64_t *total, lin_change_rec_cb cb, void *payload)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	struct change_walk w = {cb, payload};
	int rc;
	if (total) {
		int64_t *outs[1] = {total};
		if ((rc = lin_sq_stmt(s, SQ_HISTORY_ASSET_COUNT,
				      "SELECT count(*) FROM changes AS c " HISTORY_ASSET_WHERE, &stmt)))
			return rc;
		sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
		if ((rc = lin_sq_one_row(s, stmt, outs, 1, "counting an asset's history")))
			return rc;
	}
	if ((rc = lin_sq_stmt(s, SQ_HISTORY_ASSET, CHANGE_SELECT HISTORY_ASSET_WHERE
			      " ORDER BY c.seq DESC LIMIT ?2 OFFSET ?3", &stmt)))
		return rc;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)limit);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64)offset);
	return lin_sq_each(s, stmt, change_row, &w, "reading an asset's history");
}

int lin_sq_history_edge(lin_store *st, int64_t id, size_t limit, lin_change_rec_cb cb,
			void *payload)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	struct change_walk w = {cb, payload};
	int rc = lin_sq_stmt(s, SQ_HISTORY_EDGE,
			     CHANGE_SELECT "WHERE entity = 'edge' AND entity_id = ?1"
			     " ORDER BY seq DESC LIMIT ?2", &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)limit);
	return lin_sq_each(s, stmt, change_row, &w, "reading an edge's history");
}

int lin_sq_changes_of_batch(lin_store *st, int64_t batch_id, lin_change_rec_cb cb,
			    void *payload)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	struct change_walk w = {cb, payload};
	int rc = lin_sq_stmt(s, SQ_CHANGES_OF_BATCH,
			     CHANGE_SELECT "WHERE c.seq > (SELECT after_seq FROM batches WHERE id = ?1)"
			     " AND c.seq <= ifnull((SELECT after_seq FROM batches WHERE id > ?1"
			     " AND after_seq IS NOT NULL ORDER BY id LIMIT 1), 9223372036854775807)"
			     " AND c.batch_id = ?1 ORDER BY c.seq DESC", &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, batch_id);
	return lin_sq_each(s, stmt, change_row, &w, "reading a batch");
}

int lin_sq_changed_later(lin_store *st, int64_t after_seq, int64_t batch_id,
			 const char *entity, int64_t id, int *out_found)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_CHANGED_LATER,
			     "SELECT 1 FROM changes WHERE entity = ?1 AND entity_id = ?2"
			     " AND seq > ?3 AND batch_id <> ?4 LIMIT 1", &stmt);
	*out_found = 0;
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, entity, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, id);
	sqlite3_bind_int64(stmt, 3, after_seq);
	sqlite3_bind_int64(stmt, 4, batch_id);
	rc = sqlite3_step(stmt);
	*out_found = rc == SQLITE_ROW;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : lin_sq_error(s, rc, "reading the history");
	sqlite3_reset(stmt);
	return rc;
}
