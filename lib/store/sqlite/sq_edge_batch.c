/*
 * The new edges of a bulk write, inserted a few hundred per statement (sq.h, "Edge batch").
 *
 * A single-row INSERT pays the statement's fixed cost for every row: cursors on the table and
 * its indexes opened and closed, the program halted. A bulk write that announced itself
 * (lin_sq_edges_bulk_begin) gets the identities of the edges already stored in a Bloom
 * filter (store/edge_bloom.h); an insert "only if new" of an identity that is surely not
 * among them cannot conflict, so it is kept, with the id SQLite would give it (the highest + 1), and
 * written with 255 others by one INSERT OR IGNORE — OR IGNORE because a multi-row INSERT whose constraints
 * may abort needs a statement journal (a copy of every page it touches), and nothing can be
 * ignored here: the statement must add every row, or the write fails. An identity that may be
 * among them takes the single-row path, which finds out. Kept identities join the filter.
 *
 * Kept rows are written before any statement that may see edges runs on the connection
 * (lin_sq_stmt, lin_sq_exec and the statements prepared on the spot call
 * lin_sq_edges_settle; only the statements listed below, which read and write assets, kinds,
 * batches and change rows, run without), so nothing ever reads the table without them; a
 * rollback drops them. They were promised to earlier
 * calls: when they cannot be written, the whole transaction is rolled back (the write layer
 * reports a transaction lost, as after a disk-full error).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sq.h"
#include "common/arena.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "store/edge_bloom.h"

#define BATCH_ROWS 256

struct lin_sq_edge_batch {
	lin_edge_bloom known; /* the identities of stored and kept edges */
	int64_t next_id;
	lin_edge_write rows[BATCH_ROWS]; /* kept, their strings in `strings` */
	size_t nrows;
	lin_arena strings;
	int64_t kept; /* rows kept so far: part of the connection's change count */
};

static int load_identity(sqlite3_stmt *stmt, void *payload)
{
	lin_edge_bloom_add(payload, lin_edge_identity(sqlite3_column_int64(stmt, 0), sqlite3_column_int64(stmt, 1),
						      (const char *)sqlite3_column_text(stmt, 2),
						      sqlite3_column_int64(stmt, 3)));
	return 0;
}

int lin_sq_stmt_sees_edges(enum lin_sq_stmt which)
{
	/* An import that creates its assets as it goes (source_kind, target_kind) runs these
	 * for most rows: were they to settle, its batches would hold one edge. */
	switch (which) {
	case SQ_ASSET_BY_ID: case SQ_ASSET_LOOKUP: case SQ_ASSET_INSERT: case SQ_ASSET_UPDATE:
	case SQ_ASSET_PARENT: case SQ_ASSET_CHILD_IDS: case SQ_ASSET_CHILDREN: case SQ_ASSET_OWNER:
	case SQ_KIND_RULES: case SQ_KINDS_EACH: case SQ_ASSET_KIND_DEFINE: case SQ_ASSET_KINDS_EACH:
	case SQ_CHANGE_INSERT: case SQ_KEYS_PRELOAD:
	case SQ_BATCH_INSERT: case SQ_BATCH_EXISTS: case SQ_BATCH_RELABEL:
	case SQ_FTS_PENDING: case SQ_FTS_DELETE: case SQ_FTS_INSERT: case SQ_FTS_CLEAR:
	case SQ_EDGE_BATCH:
		return 0;
	default:
		return 1;
	}
}

void lin_sq_edges_bulk_end(lin_sq *s)
{
	struct lin_sq_edge_batch *b = s->edge_batch;
	if (!b)
		return;
	lin_edge_bloom_free(&b->known);
	lin_arena_free(&b->strings);
	free(b);
	s->edge_batch = NULL;
}

int lin_sq_edges_bulk_begin(lin_sq *s, int64_t max_id, int64_t expected)
{
	struct lin_sq_edge_batch *b;
	sqlite3_stmt *stmt = NULL;
	int rc;
	if (!s->in_write || sqlite3_get_autocommit(s->db))
		return lin_error_set(LINEAGE_EUSAGE, "a bulk write of edges needs a write transaction");
	if ((rc = lin_sq_edges_settle(s)))
		return rc;
	lin_sq_edges_bulk_end(s);
	if (!(b = calloc(1, sizeof *b)))
		return lin_error_oom();
	if (lin_edge_bloom_init(&b->known, (uint64_t)(max_id + (expected > 0 ? expected : 0)))) {
		free(b);
		return LINEAGE_ENOMEM;
	}
	b->next_id = max_id + 1;
	lin_arena_init(&b->strings, 0);
	s->edge_batch = b;
	/* the identity index covers this: no table read */
	if ((rc = lin_sq_prepare(s, "SELECT source_id, target_id, kind, ifnull(job_id, 0) FROM edges",
				 &stmt, "preparing a statement"))) {
		lin_sq_edges_bulk_end(s);
		return rc;
	}
	rc = lin_sq_each(s, stmt, load_identity, &b->known, "reading the edges' identities");
	sqlite3_finalize(stmt);
	if (rc)
		lin_sq_edges_bulk_end(s);
	return rc;
}

static const char *keep_str(struct lin_sq_edge_batch *b, const char *s, int *oom)
{
	char *p;
	if (!s)
		return NULL;
	if (!(p = lin_arena_strndup(&b->strings, s, strlen(s))))
		*oom = 1;
	return p;
}

int lin_sq_edges_keep(lin_sq *s, const lin_edge_write *w, int64_t *out_id, int *kept)
{
	struct lin_sq_edge_batch *b = s->edge_batch;
	lin_edge_write *row;
	int oom = 0, rc;
	*kept = 0;
	if (!b || !w->only_if_new || w->id)
		return 0;
	if (lin_edge_bloom_add(&b->known, lin_edge_identity(w->source_id, w->target_id, w->kind, w->job_id)))
		return 0; /* maybe stored: the single-row path finds out */
	if (b->nrows == BATCH_ROWS && (rc = lin_sq_edges_settle(s)))
		return rc;
	row = &b->rows[b->nrows];
	*row = *w;
	row->id = b->next_id;
	row->kind = keep_str(b, w->kind, &oom);
	row->transformation_type = keep_str(b, w->transformation_type, &oom);
	row->transformation = keep_str(b, w->transformation, &oom);
	row->description = keep_str(b, w->description, &oom);
	row->properties_json = keep_str(b, w->properties_json, &oom);
	row->evidence_json = keep_str(b, w->evidence_json, &oom);
	row->origin = keep_str(b, w->origin, &oom);
	row->content_hash = keep_str(b, w->content_hash, &oom);
	row->reviewed_by = keep_str(b, w->reviewed_by, &oom);
	row->review_comment = keep_str(b, w->review_comment, &oom);
	if (oom)
		return lin_error_oom();
	b->nrows++;
	b->next_id++;
	b->kept++;
	*out_id = row->id;
	*kept = 1;
	return 0;
}

void lin_sq_edges_inserted(lin_sq *s, const lin_edge_write *w, int64_t id)
{
	struct lin_sq_edge_batch *b = s->edge_batch;
	if (!b)
		return;
	lin_edge_bloom_add(&b->known, lin_edge_identity(w->source_id, w->target_id, w->kind, w->job_id));
	if (id >= b->next_id)
		b->next_id = id + 1;
}

int64_t lin_sq_edges_kept(const lin_sq *s)
{
	return s->edge_batch ? s->edge_batch->kept : 0;
}

/* One INSERT OR IGNORE of n rows, 20 values each. */
static char *batch_sql(size_t n)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	int rc = lin_strbuf_puts(&sb, "INSERT OR IGNORE INTO edges(" SQ_EDGE_COLUMNS ") VALUES ");
	for (size_t i = 0; i < n && !rc; i++) {
		rc = lin_strbuf_puts(&sb, i ? ", (?" : "(?");
		for (int c = 1; c < 20 && !rc; c++)
			rc = lin_strbuf_puts(&sb, ", ?");
		if (!rc)
			rc = lin_strbuf_puts(&sb, ")");
	}
	if (rc) {
		lin_strbuf_free(&sb);
		return NULL;
	}
	return lin_strbuf_detach(&sb);
}

int lin_sq_edges_settle(lin_sq *s)
{
	struct lin_sq_edge_batch *b = s->edge_batch;
	sqlite3_stmt *stmt = NULL;
	size_t n;
	int rc, own;
	if (!b || !b->nrows)
		return 0;
	n = b->nrows;
	b->nrows = 0; /* the statements below must not flush again */
	rc = lin_sq_rows_stmt(s, SQ_EDGE_BATCH, n, BATCH_ROWS, batch_sql, &stmt, &own);
	for (size_t i = 0; !rc && i < n; i++)
		if (lin_sq_bind_edge(stmt, (int)(20 * i), &b->rows[i]))
			rc = lin_sq_error(s, sqlite3_errcode(s->db), "binding an edge");
	if (!rc)
		rc = lin_sq_step_done(s, stmt, "adding edges");
	if (!rc && sqlite3_changes64(s->db) != (sqlite3_int64)n)
		rc = lin_error_set(LINEAGE_ECONFLICT, "adding edges: %lld of %zu new edges were not "
				   "written (one with the same identity or id was there already)",
				   (long long)(n - (size_t)sqlite3_changes64(s->db)), n);
	if (stmt && own)
		sqlite3_finalize(stmt);
	lin_arena_reset(&b->strings);
	if (rc) {
		lin_error_saved saved;
		lin_error_save(&saved);
		if (!sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		s->in_write = 0;
		lin_sq_keys_clear(s);
		lin_sq_edges_bulk_end(s);
		lin_error_restore(&saved);
	}
	return rc;
}
