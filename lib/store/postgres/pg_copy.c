/*
 * Whole-store copy (lineage_db_copy) on the PostgreSQL side. Reading: every table of
 * copy_tables.h in one REPEATABLE READ READ ONLY transaction (one snapshot while other hosts
 * write), streamed row by row. Writing: into an empty store, under the store's write lock,
 * in one transaction, each table through one `COPY ... FROM STDIN` (the bulk path: no round
 * trip per row; references are checked at the end of each COPY, pg_refs.c, so an asset may
 * name a parent with a higher id). Ids and seqs are written as they are; new ones continue
 * after the highest (pg_schema.c), so nothing else needs resetting. A failure or a cancel
 * rolls it all back.
 */
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "store/copy_tables.h"
#include "common/strbuf.h"

typedef struct pg_copy_reader {
	const lin_copy_sink *sink;
	int table;
} pg_copy_reader;

static int read_row(PGresult *res, int row, void *payload)
{
	pg_copy_reader *r = payload;
	const char *values[LIN_COPY_MAX_COLS];
	int lengths[LIN_COPY_MAX_COLS];
	int n = PQnfields(res);
	for (int i = 0; i < n && i < LIN_COPY_MAX_COLS; i++) {
		values[i] = PQgetisnull(res, row, i) ? NULL : PQgetvalue(res, row, i);
		lengths[i] = PQgetlength(res, row, i);
	}
	return r->sink->row(r->sink->payload, r->table, values, lengths);
}

int lin_pg_copy_read(lin_store *st, const lin_copy_sink *sink)
{
	lin_pg *p = LIN_PG(st);
	lin_strbuf sql = LIN_STRBUF_INIT;
	pg_copy_reader r = {sink, 0};
	int64_t counts[16] = {0}, *outs[16], total = 0;
	int rc;
	if (lin_copy_table_count > 16)
		return lin_error_set(LINEAGE_ERROR, "internal: too many tables to copy");
	if ((rc = lin_pg_simple(p, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
				"starting a consistent read of the store")))
		return rc;
	rc = lin_strbuf_puts(&sql, "SELECT ");
	for (size_t i = 0; i < lin_copy_table_count && !rc; i++) {
		outs[i] = &counts[i];
		rc = lin_strbuf_printf(&sql, "%s(SELECT count(*) FROM %s)", i ? ", " : "", lin_copy_tables[i].name);
	}
	if (rc)
		rc = lin_error_oom();
	else
		rc = lin_pg_one_row(p, PG_ONCE, sql.data, NULL, outs, (int)lin_copy_table_count, "counting the store's rows");
	for (size_t i = 0; i < lin_copy_table_count; i++)
		total += counts[i];
	if (!rc)
		rc = sink->start(sink->payload, total);
	for (size_t i = 0; i < lin_copy_table_count && !rc; i++) {
		const lin_copy_table *t = &lin_copy_tables[i];
		lin_strbuf_reset(&sql);
		if (lin_strbuf_printf(&sql, "SELECT %s FROM %s ORDER BY %s", t->columns, t->name, t->order)) {
			rc = lin_error_oom();
			break;
		}
		r.table = (int)i;
		rc = lin_pg_stream(p, PG_ONCE, sql.data, NULL, read_row, &r, "reading the store to copy it");
	}
	lin_pg_simple(p, "ROLLBACK", "ending the read of the store");
	lin_strbuf_free(&sql);
	return rc;
}

typedef struct pg_copy_writer {
	lin_pg *p;
	int table;        /* of the COPY in progress; -1 when none */
	lin_strbuf buf;   /* rows not yet sent */
} pg_copy_writer;

int lin_pg_copy_write_begin(lin_store *st, void **out)
{
	lin_pg *p = LIN_PG(st);
	int64_t used = 0, *outs[1] = {&used};
	pg_copy_writer *w;
	int rc;
	*out = NULL;
	if ((rc = lin_pg_begin(st)))
		return rc;
	if ((rc = lin_pg_one_row(p, PG_ONCE, "SELECT (SELECT count(*) FROM assets) + (SELECT count(*) FROM edges)"
				 " + (SELECT count(*) FROM batches) + (SELECT count(*) FROM changes) + (SELECT count(*) FROM tokens)"
				 " + (SELECT count(*) FROM views)",
				 NULL, outs, 1, "checking that the destination is empty")))
		goto fail;
	if (used) {
		rc = lin_error_set(LINEAGE_EEXISTS, "the destination store is not empty (%lld rows): copy into an empty store (another schema, or a new database)", (long long)used);
		goto fail;
	}
	/* the built-in kinds come with the source's rows */
	if ((rc = lin_pg_simple(p, "DELETE FROM edge_kinds", "preparing the destination")) ||
	    (rc = lin_pg_simple(p, "DELETE FROM asset_kinds", "preparing the destination")))
		goto fail;
	if (!(w = calloc(1, sizeof *w))) {
		rc = lin_error_oom();
		goto fail;
	}
	w->p = p;
	w->table = -1;
	*out = w;
	return 0;
fail:
	lin_pg_rollback(st);
	return rc;
}

static int send_buffer(pg_copy_writer *w)
{
	if (w->buf.len && PQputCopyData(w->p->conn, w->buf.data, (int)w->buf.len) != 1)
		return lin_pg_error(w->p, NULL, "writing the copy");
	lin_strbuf_reset(&w->buf);
	return 0;
}

/* End the COPY in progress (`ok`: keep its rows) and read its result. */
static int end_copy(pg_copy_writer *w, int ok)
{
	PGresult *res;
	int rc = ok ? send_buffer(w) : 0;
	if (w->table < 0)
		return rc;
	w->table = -1;
	if (PQputCopyEnd(w->p->conn, rc || !ok ? "copy abandoned" : NULL) != 1 && !rc)
		rc = lin_pg_error(w->p, NULL, "writing the copy");
	while ((res = PQgetResult(w->p->conn))) {
		if (!rc && ok && PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = lin_pg_error(w->p, res, "writing the copy");
		PQclear(res);
	}
	return rc;
}

static int start_copy(pg_copy_writer *w, int table)
{
	const lin_copy_table *t = &lin_copy_tables[table];
	lin_strbuf sql = LIN_STRBUF_INIT;
	PGresult *res;
	int rc;
	if ((rc = end_copy(w, 1)))
		return rc;
	if (lin_strbuf_printf(&sql, "COPY %s(%s) FROM STDIN", t->name, t->columns)) {
		lin_strbuf_free(&sql);
		return lin_error_oom();
	}
	res = PQexec(w->p->conn, sql.data);
	lin_strbuf_free(&sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		rc = lin_pg_error(w->p, res, "writing the copy");
		PQclear(res);
		return rc;
	}
	PQclear(res);
	w->table = table;
	return 0;
}

/* One value in COPY's text format: backslash escapes for the characters it gives meaning. */
static int put_value(lin_strbuf *b, const char *v, int len)
{
	int rc = 0;
	if (!v)
		return lin_strbuf_puts(b, "\\N");
	for (int i = 0, from = 0; i <= len && !rc; i++) {
		const char *esc = NULL;
		if (i < len) {
			switch (v[i]) {
			case '\\': esc = "\\\\"; break;
			case '\t': esc = "\\t"; break;
			case '\n': esc = "\\n"; break;
			case '\r': esc = "\\r"; break;
			default: continue;
			}
		}
		rc = lin_strbuf_append(b, v + from, (size_t)(i - from));
		if (!rc && esc)
			rc = lin_strbuf_puts(b, esc);
		from = i + 1;
	}
	return rc;
}

int lin_pg_copy_write_row(void *writer, int table, const char *const *values, const int *lengths)
{
	pg_copy_writer *w = writer;
	int rc;
	if (table != w->table && (rc = start_copy(w, table)))
		return rc;
	for (int i = 0; i < lin_copy_tables[table].ncols; i++) {
		if ((i && lin_strbuf_puts(&w->buf, "\t")) || put_value(&w->buf, values[i], lengths[i]))
			return lin_error_oom();
	}
	if (lin_strbuf_puts(&w->buf, "\n"))
		return lin_error_oom();
	return w->buf.len >= 256 * 1024 ? send_buffer(w) : 0;
}

int lin_pg_copy_write_end(void *writer, int commit)
{
	pg_copy_writer *w = writer;
	lin_store *st = &w->p->base;
	int rc = end_copy(w, commit);
	if (commit && !rc && !(rc = lin_pg_commit(st)))
		lin_pg_analyze(w->p); /* a whole store, loaded by COPY */
	if (!commit || rc)
		lin_pg_rollback(st);
	lin_strbuf_free(&w->buf);
	free(w);
	return rc;
}
