/*
 * The bulk path of a large import in PostgreSQL: new edges streamed with COPY, no round trip
 * per row (store.h, lin_store_edges_bulk).
 *
 * A write transaction about to add at least a quarter as many edges as the store has reads
 * the stored edges' identities into a Bloom filter (store/edge_bloom.h). An insert "only if
 * new" of an identity surely not among them cannot conflict: it is kept, with the id the
 * server would give it (the highest + 1: the writer lock is ours), as a line of COPY's text
 * format, and its identity joins the filter. Kept lines go to the server in one COPY before
 * any statement that may see edges (lin_pg_stmt_sees_edges), before a commit, and when they
 * pass a few MiB; a rollback drops them. They were promised to earlier calls: when COPY
 * fails, the whole transaction is rolled back (the write layer reports it lost). Unlike the
 * SQLite store, the edges' indexes stay: dropping one would lock the table against every
 * other host's readers for the whole import.
 */
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "common/strbuf.h"
#include "store/edge_bloom.h"

#define FLUSH_BYTES (8u << 20)

struct lin_pg_bulk {
	lin_edge_bloom known;
	int64_t next_id;
	lin_strbuf lines; /* COPY text format */
	size_t nrows;
};

int lin_pg_stmt_sees_edges(int which)
{
	/* an import runs these for most rows: were they to flush, each COPY would hold a row */
	switch (which) {
	case PG_ASSET_BY_ID: case PG_ASSET_LOOKUP: case PG_ASSET_INSERT: case PG_ASSET_UPDATE:
	case PG_ASSET_PARENT: case PG_ASSET_CHILD_IDS: case PG_ASSET_CHILDREN: case PG_ASSET_OWNER:
	case PG_KIND_RULES: case PG_KINDS_EACH: case PG_ASSET_KIND_DEFINE: case PG_ASSET_KINDS_EACH:
	case PG_CHANGE_INSERT: case PG_EDGE_CREATIONS: case PG_BATCH_INSERT: case PG_BATCH_EXISTS:
	case PG_BATCH_RELABEL: case PG_WRITE_LOCK: case PG_LAST_SEQ:
		return 0;
	default:
		return 1;
	}
}

void lin_pg_bulk_end(lin_pg *p)
{
	struct lin_pg_bulk *b = p->bulk;
	if (!b)
		return;
	lin_edge_bloom_free(&b->known);
	lin_strbuf_free(&b->lines);
	free(b);
	p->bulk = NULL;
}

static int load_identity(PGresult *res, int row, void *payload)
{
	lin_edge_bloom_add(payload, lin_edge_identity(lin_pg_i64(res, row, 0), lin_pg_i64(res, row, 1),
						      PQgetvalue(res, row, 2), lin_pg_i64(res, row, 3)));
	return 0;
}

int lin_pg_edges_bulk(lin_store *st, int64_t expected, int *on)
{
	lin_pg *p = LIN_PG(st);
	struct lin_pg_bulk *b;
	int64_t max_id = 0, *outs[1] = {&max_id};
	int rc;
	*on = 0;
	if (!p->in_write || p->bulk)
		return 0;
	if ((rc = lin_pg_one_row(p, PG_ONCE, "SELECT coalesce(max(id), 0) FROM edges", NULL, outs, 1,
				 "counting the edges")))
		return rc;
	if (4 * expected < max_id)
		return 0; /* reading every identity would cost more than the round trips */
	if (!(b = calloc(1, sizeof *b)))
		return lin_error_oom();
	if (lin_edge_bloom_init(&b->known, (uint64_t)max_id + (uint64_t)(expected > 0 ? expected : 0))) {
		free(b);
		return LINEAGE_ENOMEM;
	}
	b->next_id = max_id + 1;
	if ((rc = lin_pg_stream(p, PG_ONCE, "SELECT source_id, target_id, kind, coalesce(job_id, 0) FROM edges",
				NULL, load_identity, &b->known, "reading the edges' identities"))) {
		lin_edge_bloom_free(&b->known);
		free(b);
		return rc;
	}
	p->bulk = b;
	*on = 1;
	return 0;
}

int lin_pg_edges_bulk_finish(lin_store *st)
{
	return lin_pg_edges_settle(LIN_PG(st));
}

/* A value in COPY's text format: \N for NULL; backslash, tab, newline, CR escaped. */
static int put_value(lin_strbuf *sb, const char *v, int first)
{
	int rc = first ? 0 : lin_strbuf_putc(sb, '\t');
	if (rc)
		return rc;
	if (!v)
		return lin_strbuf_puts(sb, "\\N");
	for (; *v && !rc; v++) {
		switch (*v) {
		case '\\': rc = lin_strbuf_puts(sb, "\\\\"); break;
		case '\t': rc = lin_strbuf_puts(sb, "\\t"); break;
		case '\n': rc = lin_strbuf_puts(sb, "\\n"); break;
		case '\r': rc = lin_strbuf_puts(sb, "\\r"); break;
		default: rc = lin_strbuf_putc(sb, *v);
		}
	}
	return rc;
}

int lin_pg_edges_keep(lin_pg *p, const lin_edge_write *w, int64_t *out_id, int *kept)
{
	struct lin_pg_bulk *b = p->bulk;
	lin_pg_args a = {0};
	int rc = 0;
	*kept = 0;
	if (!b || !w->only_if_new || w->id)
		return 0;
	if (lin_edge_bloom_add(&b->known, lin_edge_identity(w->source_id, w->target_id, w->kind, w->job_id)))
		return 0; /* maybe stored: the single-row path finds out */
	lin_pg_edge_args(&a, w);
	lin_pg_int(&a, b->next_id);
	for (int i = 0; i < a.n && !rc; i++)
		rc = put_value(&b->lines, a.v[i], i == 0);
	if (rc || (rc = lin_strbuf_putc(&b->lines, '\n')))
		return lin_error_oom();
	*out_id = b->next_id++;
	b->nrows++;
	p->changes++;
	*kept = 1;
	return b->lines.len >= FLUSH_BYTES ? lin_pg_edges_settle(p) : 0;
}

void lin_pg_edges_inserted(lin_pg *p, const lin_edge_write *w, int64_t id)
{
	struct lin_pg_bulk *b = p->bulk;
	if (!b)
		return;
	lin_edge_bloom_add(&b->known, lin_edge_identity(w->source_id, w->target_id, w->kind, w->job_id));
	if (id >= b->next_id)
		b->next_id = id + 1;
}

static int copy_lines(lin_pg *p, struct lin_pg_bulk *b, size_t n)
{
	PGresult *res = PQexec(p->conn, "COPY edges(" PG_EDGE_COLUMNS ", id) FROM STDIN");
	int rc = 0;
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		rc = lin_pg_error(p, res, "adding edges");
		PQclear(res);
		return rc;
	}
	PQclear(res);
	if (PQputCopyData(p->conn, b->lines.data, (int)b->lines.len) != 1 || PQputCopyEnd(p->conn, NULL) != 1) {
		while ((res = PQgetResult(p->conn)))
			PQclear(res);
		return lin_pg_error(p, NULL, "adding edges");
	}
	while ((res = PQgetResult(p->conn))) {
		if (!rc && PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = lin_pg_error(p, res, "adding edges");
		else if (!rc && strtoull(PQcmdTuples(res), NULL, 10) != n)
			rc = lin_error_set(LINEAGE_ECONFLICT, "adding edges: %s of %zu new edges were written", PQcmdTuples(res), n);
		PQclear(res);
	}
	return rc;
}

int lin_pg_edges_settle(lin_pg *p)
{
	struct lin_pg_bulk *b = p->bulk;
	size_t n;
	int rc;
	if (!b || !b->nrows)
		return 0;
	n = b->nrows;
	b->nrows = 0;
	rc = copy_lines(p, b, n);
	if (p->bulk) /* a lost connection ended the bulk write already (lin_pg_error) */
		lin_strbuf_reset(&p->bulk->lines);
	if (rc) {
		lin_error_saved saved;
		lin_error_save(&saved);
		lin_pg_rollback(&p->base); /* ends the bulk write too */
		lin_error_restore(&saved);
		lin_error_prefix("the transaction was rolled back as a whole, nothing of it written");
	}
	return rc;
}
