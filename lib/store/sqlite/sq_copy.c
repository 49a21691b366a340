/*
 * Whole-store copy (lineage_db_copy) on the SQLite side: reading every table of
 * copy_tables.h in one read transaction (one snapshot), and writing them, ids and seqs as
 * they are, into an empty store in one write transaction. Reference checks are off while
 * writing: the rows come from a store that already satisfied them, and an asset may name a
 * parent with a higher id. The full-text index follows through sq_fts.c's triggers at the
 * commit.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sq.h"
#include "store/copy_tables.h"
#include "common/strbuf.h"

static int prepare_select(lin_sq *s, const lin_copy_table *t, sqlite3_stmt **out)
{
	lin_strbuf sql = LIN_STRBUF_INIT;
	int rc = lin_strbuf_printf(&sql, "SELECT %s FROM main.%s ORDER BY %s", t->columns, t->name, t->order);
	rc = rc ? lin_error_oom() : lin_sq_prepare(s, sql.data, out, "reading the store to copy it");
	lin_strbuf_free(&sql);
	return rc;
}

static int stream_table(lin_sq *s, int table, const lin_copy_sink *sink)
{
	const lin_copy_table *t = &lin_copy_tables[table];
	const char *values[LIN_COPY_MAX_COLS];
	int lengths[LIN_COPY_MAX_COLS];
	char reals[LIN_COPY_MAX_COLS][32];
	sqlite3_stmt *stmt = NULL;
	int rc = prepare_select(s, t, &stmt);
	while (!rc && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		rc = 0;
		for (int i = 0; i < t->ncols; i++) {
			int type = sqlite3_column_type(stmt, i);
			if (type == SQLITE_NULL) {
				values[i] = NULL;
				lengths[i] = 0;
			} else if (type == SQLITE_FLOAT) {
				/* every digit, so that the copy holds the same double */
				lengths[i] = snprintf(reals[i], sizeof reals[i], "%.17g", sqlite3_column_double(stmt, i));
				values[i] = reals[i];
			} else {
				values[i] = (const char *)sqlite3_column_text(stmt, i);
				lengths[i] = sqlite3_column_bytes(stmt, i);
				if (!values[i])
					rc = lin_error_oom();
			}
		}
		if (!rc)
			rc = sink->row(sink->payload, table, values, lengths);
	}
	if (rc == SQLITE_DONE)
		rc = 0;
	else if (rc > 0)
		rc = lin_sq_error(s, rc, "reading the store to copy it");
	sqlite3_finalize(stmt);
	return rc;
}

int lin_sq_copy_read(lin_store *st, const lin_copy_sink *sink)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *count = NULL;
	int64_t total = 0;
	int rc;
	if ((rc = lin_sq_exec(s, "BEGIN", "starting a consistent read of the store")))
		return rc;
	for (size_t i = 0; i < lin_copy_table_count && !rc; i++) {
		lin_strbuf sql = LIN_STRBUF_INIT;
		int64_t n = 0, *outs[1] = {&n};
		if (lin_strbuf_printf(&sql, "SELECT count(*) FROM main.%s", lin_copy_tables[i].name))
			rc = lin_error_oom();
		else if (!(rc = lin_sq_prepare(s, sql.data, &count, "counting the store's rows")))
			rc = lin_sq_one_row(s, count, outs, 1, "counting the store's rows");
		sqlite3_finalize(count);
		count = NULL;
		lin_strbuf_free(&sql);
		total += n;
	}
	if (!rc)
		rc = sink->start(sink->payload, total);
	for (size_t i = 0; i < lin_copy_table_count && !rc; i++)
		rc = stream_table(s, (int)i, sink);
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL); /* read only: nothing to keep */
	return rc;
}

typedef struct sq_copy_writer {
	lin_sq *s;
	int table;            /* of `insert`; -1 before the first row */
	sqlite3_stmt *insert;
} sq_copy_writer;

int lin_sq_copy_write_begin(lin_store *st, void **out)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int64_t used = 0, *outs[1] = {&used};
	sq_copy_writer *w;
	int rc;
	*out = NULL;
	if ((rc = lin_sq_reference_checks(st, 0)))
		return rc;
	if ((rc = lin_sq_begin(st)))
		goto fail;
	if ((rc = lin_sq_prepare(s, "SELECT (SELECT count(*) FROM assets) + (SELECT count(*) FROM edges)"
				 " + (SELECT count(*) FROM batches) + (SELECT count(*) FROM changes) + (SELECT count(*) FROM tokens)"
				 " + (SELECT count(*) FROM views)",
				 &stmt, "checking that the destination is empty")) ||
	    (rc = lin_sq_one_row(s, stmt, outs, 1, "checking that the destination is empty")))
		goto fail;
	if (used) {
		rc = lin_error_set(LINEAGE_EEXISTS, "the destination store is not empty (%lld rows): copy into a new file or an empty store", (long long)used);
		goto fail;
	}
	/* the built-in kinds come with the source's rows */
	if ((rc = lin_sq_exec(s, "DELETE FROM edge_kinds; DELETE FROM asset_kinds;", "preparing the destination")))
		goto fail;
	if (!(w = calloc(1, sizeof *w))) {
		rc = lin_error_oom();
		goto fail;
	}
	sqlite3_finalize(stmt);
	w->s = s;
	w->table = -1;
	*out = w;
	return 0;
fail:
	sqlite3_finalize(stmt);
	if (s->in_write)
		lin_sq_rollback(st);
	lin_sq_reference_checks(st, 1);
	return rc;
}

static int prepare_insert(sq_copy_writer *w, int table)
{
	const lin_copy_table *t = &lin_copy_tables[table];
	lin_strbuf sql = LIN_STRBUF_INIT;
	int rc = lin_strbuf_printf(&sql, "INSERT INTO main.%s(%s) VALUES (?", t->name, t->columns);
	for (int i = 1; i < t->ncols && !rc; i++)
		rc = lin_strbuf_puts(&sql, ", ?");
	if (!rc)
		rc = lin_strbuf_puts(&sql, ")");
	sqlite3_finalize(w->insert);
	w->insert = NULL;
	rc = rc ? lin_error_oom() : lin_sq_prepare(w->s, sql.data, &w->insert, "writing the copy");
	lin_strbuf_free(&sql);
	w->table = rc ? -1 : table;
	return rc;
}

int lin_sq_copy_write_row(void *writer, int table, const char *const *values, const int *lengths)
{
	sq_copy_writer *w = writer;
	int rc;
	if (table != w->table && (rc = prepare_insert(w, table)))
		return rc;
	for (int i = 0; i < lin_copy_tables[table].ncols; i++) {
		/* text values: the columns' affinities make integers and reals of them */
		if (!values[i])
			sqlite3_bind_null(w->insert, i + 1);
		else
			sqlite3_bind_text(w->insert, i + 1, values[i], lengths[i], SQLITE_STATIC);
	}
	return lin_sq_step_done(w->s, w->insert, "writing the copy");
}

int lin_sq_copy_write_end(void *writer, int commit)
{
	sq_copy_writer *w = writer;
	lin_store *st = &w->s->base;
	int rc = 0;
	sqlite3_finalize(w->insert);
	if (commit)
		rc = lin_sq_commit(st);
	if (!commit || rc)
		lin_sq_rollback(st);
	lin_sq_reference_checks(st, 1);
	free(w);
	return rc;
}
