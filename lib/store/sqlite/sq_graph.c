/* What the engine reads: whole-graph scans at SQLite's step speed (one statement, no
 * allocation per row), rows by id, the change feed and the data version. */
#include "sq.h"

int lin_sq_graph_size(lin_store *st, int64_t *asset_count, int64_t *max_asset_id,
		      int64_t *edge_count, int64_t *max_edge_id)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int64_t *outs[4] = {asset_count, max_asset_id, edge_count, max_edge_id};
	int rc = lin_sq_stmt(s, SQ_GRAPH_SIZE,
			     "SELECT (SELECT count(*) FROM assets), (SELECT ifnull(max(id), 0) FROM assets),"
			     " (SELECT count(*) FROM edges), (SELECT ifnull(max(id), 0) FROM edges)",
			     &stmt);
	return rc ? rc : lin_sq_one_row(s, stmt, outs, 4, "counting the graph");
}

static int vertex_row(sqlite3_stmt *stmt, lin_vertex_cb cb, void *payload)
{
	lin_vertex_row row;
	row.id = sqlite3_column_int64(stmt, 0);
	row.key = (const char *)sqlite3_column_text(stmt, 1);
	row.kind = (const char *)sqlite3_column_text(stmt, 2);
	row.parent_id = sqlite3_column_int64(stmt, 3);
	if (!row.key || !row.kind)
		return lin_error_oom();
	return cb(&row, payload);
}

static int edge_row(sqlite3_stmt *stmt, lin_edge_cb cb, void *payload)
{
	lin_edge_row row;
	row.id = sqlite3_column_int64(stmt, 0);
	row.source_id = sqlite3_column_int64(stmt, 1);
	row.target_id = sqlite3_column_int64(stmt, 2);
	row.job_id = sqlite3_column_int64(stmt, 3);
	row.kind = (const char *)sqlite3_column_text(stmt, 4);
	row.lineage_source = (lineage_source)sqlite3_column_int(stmt, 5);
	row.confidence = sqlite3_column_double(stmt, 6);
	row.status = (lineage_edge_status)sqlite3_column_int(stmt, 7);
	if (!row.kind)
		return lin_error_oom();
	return cb(&row, payload);
}

#define VERTEX_COLS "SELECT id, key, kind, ifnull(parent_id, 0) FROM assets"
#define EDGE_COLS "SELECT id, source_id, target_id, ifnull(job_id, 0), kind, lineage_source," \
	" confidence, status FROM edges"

int lin_sq_scan_vertices(lin_store *st, lin_vertex_cb cb, void *payload)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_SCAN_VERTICES, VERTEX_COLS " ORDER BY id", &stmt);
	int ret = 0;
	if (rc)
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		if ((ret = vertex_row(stmt, cb, payload)) != 0)
			break;
	if (!ret && rc != SQLITE_DONE)
		ret = lin_sq_error(s, rc, "reading the assets");
	sqlite3_reset(stmt);
	return ret;
}

int lin_sq_scan_edges(lin_store *st, lin_edge_cb cb, void *payload)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_SCAN_EDGES, EDGE_COLS " ORDER BY id", &stmt);
	int ret = 0;
	if (rc)
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		if ((ret = edge_row(stmt, cb, payload)) != 0)
			break;
	if (!ret && rc != SQLITE_DONE)
		ret = lin_sq_error(s, rc, "reading the edges");
	sqlite3_reset(stmt);
	return ret;
}

int lin_sq_vertices_by_id(lin_store *st, const int64_t *ids, size_t n, lin_vertex_cb cb,
			  void *payload)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		if ((rc = lin_sq_stmt(s, SQ_VERTEX_BY_ID, VERTEX_COLS " WHERE id = ?1", &stmt)))
			break;
		sqlite3_bind_int64(stmt, 1, ids[i]);
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW)
			rc = vertex_row(stmt, cb, payload);
		else if (rc == SQLITE_DONE)
			rc = 0;
		else
			rc = lin_sq_error(s, rc, "reading an asset");
		sqlite3_reset(stmt);
	}
	return rc;
}

int lin_sq_edges_by_id(lin_store *st, const int64_t *ids, size_t n, lin_edge_cb cb,
		       void *payload)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		if ((rc = lin_sq_stmt(s, SQ_EDGE_ROW_BY_ID, EDGE_COLS " WHERE id = ?1", &stmt)))
			break;
		sqlite3_bind_int64(stmt, 1, ids[i]);
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW)
			rc = edge_row(stmt, cb, payload);
		else if (rc == SQLITE_DONE)
			rc = 0;
		else
			rc = lin_sq_error(s, rc, "reading an edge");
		sqlite3_reset(stmt);
	}
	return rc;
}

int lin_sq_changed_since(lin_store *st, int64_t since_seq, lin_changed_cb cb, void *payload,
			 int64_t *last_seq)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int64_t last = since_seq;
	int ret = 0;
	int rc = lin_sq_stmt(s, SQ_CHANGED_SINCE,
			     "SELECT seq, entity, entity_id FROM changes WHERE seq > ?1 ORDER BY seq",
			     &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, since_seq);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const unsigned char *entity = sqlite3_column_text(stmt, 1);
		last = sqlite3_column_int64(stmt, 0);
		if ((ret = cb(last, entity && (entity[0] == 'e' || entity[0] == 't') ? (char)entity[0] : 'a',
			      sqlite3_column_int64(stmt, 2), payload)) != 0)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = lin_sq_error(s, rc, "reading the change feed");
	sqlite3_reset(stmt);
	if (last_seq)
		*last_seq = last;
	return ret;
}

int lin_sq_last_seq(lin_store *st, int64_t *out)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int64_t *outs[1] = {out};
	int rc = lin_sq_stmt(s, SQ_LAST_SEQ, "SELECT ifnull(max(seq), 0) FROM changes", &stmt);
	return rc ? rc : lin_sq_one_row(s, stmt, outs, 1, "reading the last change");
}

int lin_sq_data_version(lin_store *st, uint64_t *out)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	unsigned int version = 0;
	int rc;
	/* The pager notices other connections' commits when it next reads: a tiny read
	 * outside a transaction refreshes it; then the file control counts both theirs and
	 * ours. */
	if (sqlite3_get_autocommit(s->db)) {
		if ((rc = lin_sq_stmt(s, SQ_DATA_VERSION, "PRAGMA data_version", &stmt)) ||
		    (rc = lin_sq_step_done(s, stmt, "reading the data version")))
			return rc;
	}
	rc = sqlite3_file_control(s->db, "main", SQLITE_FCNTL_DATA_VERSION, &version);
	if (rc != SQLITE_OK)
		return lin_sq_error(s, rc, "reading the data version");
	*out = version;
	return 0;
}
