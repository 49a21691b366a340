/* The audit trail in PostgreSQL: changes and batches (the same rows and rules as
 * lib/store/sqlite/sq_changes.c, which explains what a creation does not store). */
#include <stdlib.h>

#include "pg.h"

#define NEXT_BEFORE(c) \
	"(SELECT n.before_json FROM changes AS n WHERE n.entity = " c ".entity" \
	" AND n.entity_id = " c ".entity_id AND n.seq > " c ".seq ORDER BY n.seq LIMIT 1)"
#define EDGE_END_KEY(c, end) \
	"coalesce(" NEXT_BEFORE(c) "::jsonb ->> '" end "', (SELECT a.key FROM edges AS e" \
	" JOIN assets AS a ON a.id = e." end "_id WHERE e.id = " c ".entity_id))"
#define CHANGE_SELECT "SELECT seq, at, actor, action, entity, entity_id," \
	" CASE WHEN asset_key IS NULL AND entity = 'edge' THEN " EDGE_END_KEY("c", "source") \
	" ELSE asset_key END," \
	" CASE WHEN target_key IS NULL AND entity = 'edge' THEN " EDGE_END_KEY("c", "target") \
	" ELSE target_key END," \
	" before_json, CASE WHEN after_json IS NULL AND action = 'create' THEN " NEXT_BEFORE("c") \
	" ELSE after_json END, comment, batch_id FROM changes AS c "

int lin_pg_read_change(const PGresult *res, int row, lin_change_rec **out)
{
	lin_change_rec *rec = lin_change_rec_new();
	lineage_change *c;
	int rc;
	*out = NULL;
	if (!rec)
		return LINEAGE_ENOMEM;
	c = &rec->pub;
	c->seq = lin_pg_i64(res, row, 0);
	c->at_ms = lin_pg_i64(res, row, 1);
	c->entity_id = lin_pg_i64(res, row, 5);
	c->batch_id = lin_pg_i64(res, row, 11);
	if ((rc = lin_pg_str(res, row, 2, &c->actor)) ||
	    (rc = lin_pg_str(res, row, 3, &c->action)) ||
	    (rc = lin_pg_str(res, row, 4, &c->entity)) ||
	    (rc = lin_pg_str(res, row, 6, &c->asset_key)) ||
	    (rc = lin_pg_str(res, row, 7, &c->target_key)) ||
	    (rc = lin_pg_str(res, row, 8, &c->before_json)) ||
	    (rc = lin_pg_str(res, row, 9, &c->after_json)) ||
	    (rc = lin_pg_str(res, row, 10, &c->comment))) {
		lin_change_rec_free(rec);
		return rc;
	}
	*out = rec;
	return 0;
}

int lin_pg_change_insert(lin_store *st, const lin_change_write *w, int64_t *out_seq)
{
	lin_pg_args a = {0};
	int64_t seq = 0, *outs[1] = {&seq};
	int rc, kept = 0;
	/* a bulk write's change row: sent later, with thousands of others (pg_bulk.c) */
	if ((rc = lin_pg_changes_keep(LIN_PG(st), w, &seq, &kept)) || kept) {
		if (!rc && out_seq)
			*out_seq = seq;
		return rc;
	}
	lin_pg_int(&a, w->at);
	lin_pg_text(&a, w->actor);
	lin_pg_text(&a, w->action);
	lin_pg_text(&a, w->entity);
	lin_pg_int(&a, w->entity_id);
	lin_pg_text(&a, w->asset_key);
	lin_pg_text(&a, w->target_key);
	lin_pg_text(&a, w->before_json);
	lin_pg_text(&a, w->after_json);
	lin_pg_text(&a, w->comment);
	lin_pg_int(&a, w->batch_id);
	rc = lin_pg_one_row(LIN_PG(st), PG_CHANGE_INSERT,
			    "INSERT INTO changes(seq, at, actor, action, entity, entity_id, asset_key,"
			    " target_key, before_json, after_json, comment, batch_id)"
			    " VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM changes), $1, $2, $3, $4, $5,"
			    " $6, $7, $8, $9, $10, $11) RETURNING seq",
			    &a, outs, 1, "recording a change");
	if (!rc && out_seq)
		*out_seq = seq;
	return rc;
}

int lin_pg_edge_creations_record(lin_store *st, const lin_change_write *w, const int64_t *ids,
				 size_t n, int64_t *first_seq, int64_t *last_seq)
{
	/* One statement for all of them: the ids travel as one array parameter. */
	lin_pg_args a = {0};
	int64_t *outs[2] = {first_seq, last_seq};
	char *array;
	int rc;
	*first_seq = *last_seq = 0;
	if (!n)
		return 0;
	if (!(array = lin_pg_id_array(ids, n)))
		return LINEAGE_ENOMEM;
	lin_pg_int(&a, w->at);
	lin_pg_text(&a, w->actor);
	lin_pg_int(&a, w->batch_id);
	lin_pg_text(&a, array);
	rc = lin_pg_one_row(LIN_PG(st), PG_EDGE_CREATIONS,
			    "WITH ins AS (INSERT INTO changes(seq, at, actor, action, entity, entity_id, batch_id)"
			    " SELECT m.seq + x.n, $1, $2, 'create', 'edge', x.id, $3"
			    " FROM unnest($4::bigint[]) WITH ORDINALITY AS x(id, n),"
			    " (SELECT coalesce(max(seq), 0) AS seq FROM changes) AS m"
			    " RETURNING seq) SELECT min(seq), max(seq) FROM ins",
			    &a, outs, 2, "recording the edges created");
	free(array);
	return rc;
}

int lin_pg_batch_insert(lin_store *st, const char *actor, const char *label, int64_t at,
			int64_t *out_id)
{
	lin_pg_args a = {0};
	int64_t *outs[1] = {out_id};
	lin_pg_text(&a, actor);
	lin_pg_text(&a, label);
	lin_pg_int(&a, at);
	return lin_pg_one_row(LIN_PG(st), PG_BATCH_INSERT,
			      "INSERT INTO batches(id, actor, label, started_at, after_seq)"
			      " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM batches), $1, $2, $3,"
			      " (SELECT coalesce(max(seq), 0) FROM changes))"
			      " RETURNING id", &a, outs, 1, "starting a batch");
}

int lin_pg_batch_relabel(lin_store *st, int64_t id, const char *label)
{
	lin_pg_args a = {0};
	lin_pg_int(&a, id);
	lin_pg_text(&a, label);
	return lin_pg_exec(LIN_PG(st), PG_BATCH_RELABEL, "UPDATE batches SET label = $2 WHERE id = $1",
			   &a, "labelling a batch");
}

int lin_pg_batch_exists(lin_store *st, int64_t id, int *out_found)
{
	lin_pg_args a = {0};
	int64_t found = 0, *outs[1] = {&found};
	int rc;
	lin_pg_int(&a, id);
	rc = lin_pg_one_row(LIN_PG(st), PG_BATCH_EXISTS,
			    "SELECT count(*) FROM batches WHERE id = $1", &a, outs, 1, "reading a batch");
	*out_found = found > 0;
	return rc;
}

struct change_walk {
	lin_change_rec_cb cb;
	void *payload;
};

static int change_row(PGresult *res, int row, void *payload)
{
	struct change_walk *w = payload;
	lin_change_rec *rec;
	int rc = lin_pg_read_change(res, row, &rec);
	return rc ? rc : w->cb(rec, w->payload);
}

int lin_pg_changes_since(lin_store *st, int64_t since_seq, size_t limit, lin_change_rec_cb cb,
			 void *payload)
{
	lin_pg_args a = {0};
	struct change_walk w = {cb, payload};
	lin_pg_int(&a, since_seq);
	lin_pg_int(&a, (int64_t)limit);
	return lin_pg_each(LIN_PG(st), PG_CHANGES_SINCE,
			   CHANGE_SELECT "WHERE seq > $1 ORDER BY seq LIMIT $2", &a, change_row, &w,
			   "reading the change feed");
}

/* The changes of an asset ($1) and of the edges it is an end of (see sq_changes.c). */
#define HISTORY_ASSET_WHERE "WHERE c.seq IN (" \
	"SELECT seq FROM changes WHERE action <> 'create' AND asset_key = $1" \
	" UNION ALL SELECT seq FROM changes" \
	" WHERE action <> 'create' AND target_key = $1" \
	" UNION ALL SELECT x.seq FROM changes AS x JOIN (" \
	"SELECT 'asset' AS entity, id FROM assets WHERE key = $1" \
	" UNION SELECT 'edge', e.id FROM assets AS a JOIN edges AS e" \
	" ON e.source_id = a.id WHERE a.key = $1" \
	" UNION SELECT 'edge', e.id FROM assets AS a JOIN edges AS e" \
	" ON e.target_id = a.id WHERE a.key = $1" \
	" UNION SELECT entity, entity_id FROM changes" \
	" WHERE action <> 'create' AND asset_key = $1" \
	" UNION SELECT entity, entity_id FROM changes" \
	" WHERE action <> 'create' AND target_key = $1" \
	") AS t ON x.entity = t.entity AND x.entity_id = t.id" \
	" WHERE x.action = 'create' AND CASE WHEN x.asset_key IS NULL" \
	" AND x.entity = 'edge' THEN $1 IN (" EDGE_END_KEY("x", "source") ", " \
	EDGE_END_KEY("x", "target") ") ELSE x.asset_key = $1 OR x.target_key = $1" \
	" END)"

int lin_pg_history_asset(lin_store *st, const char *key, size_t offset, size_t limit,
			 int64_t *total, lin_change_rec_cb cb, void *payload)
{
	lin_pg_args a = {0};
	struct change_walk w = {cb, payload};
	int rc;
	lin_pg_text(&a, key);
	if (total) {
		int64_t *outs[1] = {total};
		if ((rc = lin_pg_one_row(LIN_PG(st), PG_HISTORY_ASSET_COUNT,
					 "SELECT count(*) FROM changes AS c " HISTORY_ASSET_WHERE, &a,
					 outs, 1, "counting an asset's history")))
			return rc;
	}
	lin_pg_int(&a, (int64_t)limit);
	lin_pg_int(&a, (int64_t)offset);
	return lin_pg_each(LIN_PG(st), PG_HISTORY_ASSET,
			   CHANGE_SELECT HISTORY_ASSET_WHERE " ORDER BY c.seq DESC LIMIT $2 OFFSET $3",
			   &a, change_row, &w, "reading an asset's history");
}

int lin_pg_history_edge(lin_store *st, int64_t id, size_t limit, lin_change_rec_cb cb,
			void *payload)
{
	lin_pg_args a = {0};
	struct change_walk w = {cb, payload};
	lin_pg_int(&a, id);
	lin_pg_int(&a, (int64_t)limit);
	return lin_pg_each(LIN_PG(st), PG_HISTORY_EDGE,
			   CHANGE_SELECT "WHERE entity = 'edge' AND entity_id = $1"
			   " ORDER BY seq DESC LIMIT $2", &a, change_row, &w,
			   "reading an edge's history");
}

int lin_pg_changes_of_batch(lin_store *st, int64_t batch_id, lin_change_rec_cb cb,
			    void *payload)
{
	lin_pg_args a = {0};
	struct change_walk w = {cb, payload};
	lin_pg_int(&a, batch_id);
	return lin_pg_each(LIN_PG(st), PG_CHANGES_OF_BATCH,
			   CHANGE_SELECT "WHERE c.seq > (SELECT after_seq FROM batches WHERE id = $1)"
			   " AND c.seq <= coalesce((SELECT after_seq FROM batches WHERE id > $1"
			   " AND after_seq IS NOT NULL ORDER BY id LIMIT 1), 9223372036854775807)"
			   " AND c.batch_id = $1 ORDER BY c.seq DESC", &a, change_row, &w,
			   "reading a batch");
}

int lin_pg_changed_later(lin_store *st, int64_t after_seq, int64_t batch_id,
			 const char *entity, int64_t id, int *out_found)
{
	lin_pg_args a = {0};
	int64_t found = 0, *outs[1] = {&found};
	int rc;
	lin_pg_text(&a, entity);
	lin_pg_int(&a, id);
	lin_pg_int(&a, after_seq);
	lin_pg_int(&a, batch_id);
	rc = lin_pg_one_row(LIN_PG(st), PG_CHANGED_LATER,
			    "SELECT count(*) FROM (SELECT 1 FROM changes WHERE entity = $1 AND entity_id = $2"
			    " AND seq > $3 AND batch_id <> $4 LIMIT 1) AS x", &a, outs, 1,
			    "reading the history");
	*out_found = found > 0;
	return rc;
}
