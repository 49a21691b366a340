/* What the engine reads from PostgreSQL: whole-graph scans streamed row by row, rows by id
 * (one statement for a whole list, in its order), the change feed and the "has anything changed" probe. */
#include <stdlib.h>
#include <time.h>

#include "pg.h"

int lin_pg_graph_size(lin_store *st, int64_t *asset_count, int64_t *max_asset_id,
		      int64_t *edge_count, int64_t *max_edge_id)
{
	int64_t *outs[4] = {asset_count, max_asset_id, edge_count, max_edge_id};
	return lin_pg_one_row(LIN_PG(st), PG_GRAPH_SIZE,
			      "SELECT (SELECT count(*) FROM assets), (SELECT coalesce(max(id), 0) FROM assets),"
			      " (SELECT count(*) FROM edges), (SELECT coalesce(max(id), 0) FROM edges)",
			      NULL, outs, 4, "counting the graph");
}

struct vertex_walk {
	lin_vertex_cb cb;
	void *payload;
};

static int vertex_row(PGresult *res, int row, void *payload)
{
	struct vertex_walk *w = payload;
	lin_vertex_row v;
	v.id = lin_pg_i64(res, row, 0);
	v.key = PQgetvalue(res, row, 1);
	v.kind = PQgetvalue(res, row, 2);
	v.parent_id = lin_pg_i64(res, row, 3);
	return w->cb(&v, w->payload);
}

struct edge_walk {
	lin_edge_cb cb;
	void *payload;
};

static int edge_row(PGresult *res, int row, void *payload)
{
	struct edge_walk *w = payload;
	lin_edge_row e;
	e.id = lin_pg_i64(res, row, 0);
	e.source_id = lin_pg_i64(res, row, 1);
	e.target_id = lin_pg_i64(res, row, 2);
	e.job_id = lin_pg_i64(res, row, 3);
	e.kind = PQgetvalue(res, row, 4);
	e.lineage_source = (lineage_source)lin_pg_i64(res, row, 5);
	e.confidence = lin_pg_f64(res, row, 6);
	e.status = (lineage_edge_status)lin_pg_i64(res, row, 7);
	return w->cb(&e, w->payload);
}

#define VERTEX_COLS "SELECT id, key, kind, parent_id FROM assets"
#define EDGE_COLS "SELECT id, source_id, target_id, job_id, kind, lineage_source," \
	" confidence, status FROM edges"

int lin_pg_scan_vertices(lin_store *st, lin_vertex_cb cb, void *payload)
{
	struct vertex_walk w = {cb, payload};
	return lin_pg_stream(LIN_PG(st), PG_SCAN_VERTICES, VERTEX_COLS " ORDER BY id", NULL,
			     vertex_row, &w, "reading the assets");
}

int lin_pg_scan_edges(lin_store *st, lin_edge_cb cb, void *payload)
{
	struct edge_walk w = {cb, payload};
	return lin_pg_stream(LIN_PG(st), PG_SCAN_EDGES, EDGE_COLS " ORDER BY id", NULL, edge_row,
			     &w, "reading the edges");
}

int lin_pg_vertices_by_id(lin_store *st, const int64_t *ids, size_t n, lin_vertex_cb cb,
			  void *payload)
{
	struct vertex_walk w = {cb, payload};
	lin_pg_args a = {0};
	char *array;
	int rc;
	if (!n)
		return 0;
	if (!(array = lin_pg_id_array(ids, n)))
		return LINEAGE_ENOMEM;
	lin_pg_text(&a, array);
	rc = lin_pg_each(LIN_PG(st), PG_VERTICES_BY_ID,
			 "SELECT a.id, a.key, a.kind, a.parent_id FROM unnest($1::bigint[]) WITH ORDINALITY"
			 " AS x(id, n) JOIN assets a ON a.id = x.id ORDER BY x.n", &a, vertex_row, &w,
			 "reading assets");
	free(array);
	return rc;
}

int lin_pg_edges_by_id(lin_store *st, const int64_t *ids, size_t n, lin_edge_cb cb,
		       void *payload)
{
	struct edge_walk w = {cb, payload};
	lin_pg_args a = {0};
	char *array;
	int rc;
	if (!n)
		return 0;
	if (!(array = lin_pg_id_array(ids, n)))
		return LINEAGE_ENOMEM;
	lin_pg_text(&a, array);
	rc = lin_pg_each(LIN_PG(st), PG_EDGES_BY_ID,
			 "SELECT e.id, e.source_id, e.target_id, e.job_id, e.kind, e.lineage_source,"
			 " e.confidence, e.status FROM unnest($1::bigint[]) WITH ORDINALITY AS x(id, n)"
			 " JOIN edges e ON e.id = x.id ORDER BY x.n", &a, edge_row, &w,
			 "reading edges");
	free(array);
	return rc;
}

struct changed_walk {
	lin_changed_cb cb;
	void *payload;
	int64_t last;
	size_t rows; /* in the last page */
};

static int changed_row(PGresult *res, int row, void *payload)
{
	struct changed_walk *w = payload;
	const char *entity = PQgetvalue(res, row, 1);
	w->last = lin_pg_i64(res, row, 0);
	w->rows++;
	return w->cb(w->last, entity[0] == 'e' || entity[0] == 't' ? entity[0] : 'a', lin_pg_i64(res, row, 2), w->payload);
}

#define CHANGED_PAGE 10000
#define CHANGED_PAGE_SQL "10000"

int lin_pg_changed_since(lin_store *st, int64_t since_seq, lin_changed_cb cb, void *payload,
			 int64_t *last_seq)
{
	struct changed_walk w = {cb, payload, since_seq, CHANGED_PAGE};
	int rc = 0;
	/* A page at a time: with its constant LIMIT the statement's generic plan (the one kept
	 * after five runs) walks the seq index from $1; without it the plan assumed a third of
	 * the feed and scanned and sorted the whole table (milliseconds per refresh, growing
	 * with the store). Seqs follow commit order, so the pages need no common snapshot. */
	while (!rc && w.rows == CHANGED_PAGE) {
		lin_pg_args a = {0};
		lin_pg_int(&a, w.last);
		w.rows = 0;
		rc = lin_pg_each(LIN_PG(st), PG_CHANGED_SINCE,
				 "SELECT seq, entity, entity_id FROM changes WHERE seq > $1 ORDER BY seq"
				 " LIMIT " CHANGED_PAGE_SQL, &a, changed_row, &w, "reading the change feed");
	}
	if (last_seq)
		*last_seq = w.last;
	return rc;
}

int lin_pg_last_seq(lin_store *st, int64_t *out)
{
	int64_t *outs[1] = {out};
	return lin_pg_one_row(LIN_PG(st), PG_LAST_SEQ, "SELECT coalesce(max(seq), 0) FROM changes",
			      NULL, outs, 1, "reading the last change");
}

static double monotonic_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int lin_pg_data_version(lin_store *st, uint64_t *out)
{
	/* Writers are serialized and every write of assets or edges adds a change row, so the
	 * highest committed seq moves with every commit the engine must see; it never moves back
	 * once committed (a rolled-back transaction's seqs are handed out again, as in SQLite,
	 * and lin_engine_note_rollback handles those of this handle). One index probe per query.
	 * With max_staleness_ms, the probe is skipped for that long after the last one: the
	 * other hosts' commits are then learnt from their notifications, which carry their last
	 * seq (the notifications are read at every call, so they never pile up). */
	lin_pg *p = LIN_PG(st);
	int64_t seq = 0;
	int rc, lost = lin_pg_drain_notifies(p) != 0;
	double now = monotonic_ms();
	if (p->max_staleness_ms > 0 && p->probed && !lost && !p->in_write &&
	    now - p->probed_at_ms < p->max_staleness_ms) {
		*out = (uint64_t)p->known_seq;
		return 0;
	}
	if ((rc = lin_pg_last_seq(st, &seq)))
		return rc;
	if (seq > p->known_seq)
		p->known_seq = seq;
	p->probed = 1;
	p->probed_at_ms = now; /* before the probe's snapshot: the bound holds exactly */
	*out = (uint64_t)p->known_seq;
	return 0;
}
