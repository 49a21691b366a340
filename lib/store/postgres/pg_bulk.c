/*
 * The bulk path of a large import in PostgreSQL: new edges streamed with COPY, no round trip
 * per row (store.h, lin_store_edges_bulk).
 *
 * A write transaction about to add at least a quarter as many edges as the store has reads
 * the stored edges' identities into a Bloom filter (store/edge_bloom.h); a smaller one learns
 * them for the next few hundred rows from the edges read ahead (pg_ahead.c). An insert "only
 * if new" of an identity surely not stored cannot conflict: it is kept, with the id the
 * server would give it (the highest + 1: the writer lock is ours), as a line of COPY's text
 * format, and its identity joins the filter. Kept lines go to the server in one COPY before
 * any statement that may see edges (lin_pg_stmt_sees_edges), before a commit, and when they
 * pass a few MiB; a rollback drops them. They were promised to earlier calls: when COPY
 * fails, the whole transaction is rolled back (the write layer reports it lost). Unlike the
 * SQLite store, the edges' indexes stay: dropping one would lock the table against every
 * other host's readers for the whole import.
 *
 * The assets it creates and the change rows it records are kept the same way, with the ids
 * and seqs the server would give them (the highest + 1, read again after every flush), and
 * sent before any statement that may read them (assets before edges: edges refer to them).
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
	int64_t next_seq; /* 0: to read */
	lin_strbuf change_lines;
	size_t nchanges;
	int64_t next_asset_id; /* 0: to read */
	lin_strbuf asset_lines;
	size_t nassets;
	size_t kept; /* rows kept in all, sent or not */
};

int lin_pg_stmt_sees_edges(int which)
{
	/* an import runs these for most rows: were they to flush, each COPY would hold a row */
	switch (which) {
	case PG_ASSET_BY_ID: case PG_ASSET_LOOKUP: case PG_ASSET_INSERT: case PG_ASSET_UPDATE:
	case PG_ASSET_PARENT: case PG_ASSET_CHILD_IDS: case PG_ASSET_CHILDREN: case PG_ASSET_OWNER:
	case PG_ASSETS_AHEAD: case PG_ASSETS_BY_KEY:
	case PG_KIND_RULES: case PG_KINDS_EACH: case PG_ASSET_KIND_DEFINE: case PG_ASSET_KINDS_EACH:
	case PG_CHANGE_INSERT: case PG_EDGE_CREATIONS: case PG_BATCH_INSERT: case PG_BATCH_EXISTS:
	case PG_BATCH_RELABEL: case PG_WRITE_LOCK: case PG_LAST_SEQ:
		return 0;
	default:
		return 1;
	}
}

int lin_pg_stmt_sees_assets(int which)
{
	/* a lookup reaches the server only when the key cache does not know the key */
	switch (which) {
	case PG_CHANGE_INSERT: case PG_EDGE_CREATIONS: case PG_KIND_RULES: case PG_KINDS_EACH:
	case PG_ASSET_KIND_DEFINE: case PG_ASSET_KINDS_EACH: case PG_WRITE_LOCK:
	case PG_BATCH_INSERT: case PG_BATCH_EXISTS: case PG_BATCH_RELABEL: case PG_LAST_SEQ:
		return 0;
	default:
		return 1;
	}
}

int lin_pg_stmt_sees_changes(int which)
{
	switch (which) {
	case PG_ASSET_BY_ID: case PG_ASSET_LOOKUP: case PG_ASSET_INSERT: case PG_ASSET_UPDATE:
	case PG_ASSET_PARENT: case PG_ASSET_CHILD_IDS: case PG_ASSET_CHILDREN: case PG_ASSET_OWNER:
	case PG_ASSETS_AHEAD: case PG_ASSETS_BY_KEY:
	case PG_EDGE_BY_ID: case PG_EDGE_BY_IDENTITY: case PG_EDGE_INSERT: case PG_EDGE_INSERT_NEW:
	case PG_EDGE_UPDATE: case PG_EDGE_TOUCHING: case PG_EDGE_ORIGIN: case PG_EDGES_AHEAD:
	case PG_KIND_RULES: case PG_KINDS_EACH: case PG_ASSET_KIND_DEFINE: case PG_ASSET_KINDS_EACH:
	case PG_WRITE_LOCK:
		return 0;
	default:
		return 1;
	}
}

void lin_pg_bulk_end(lin_pg *p)
{
	struct lin_pg_bulk *b = p->bulk;
	lin_pg_ahead_free(p);
	if (!b)
		return;
	lin_edge_bloom_free(&b->known);
	lin_strbuf_free(&b->lines);
	lin_strbuf_free(&b->change_lines);
	lin_strbuf_free(&b->asset_lines);
	free(b);
	p->bulk = NULL;
}

static int load_identity(const lin_pg_field *f, int n, void *payload)
{
	if (n != 4 || !f[2].data)
		return lin_error_set(LINEAGE_EIO, "reading the edges' identities: the server sent an unexpected row");
	lin_edge_bloom_add(payload, lin_edge_identity(lin_pg_field_i64(&f[0]), lin_pg_field_i64(&f[1]),
						      f[2].data, lin_pg_field_i64(&f[3])));
	return 0;
}

int lin_pg_edges_bulk(lin_store *st, int64_t expected, int *on)
{
	lin_pg *p = LIN_PG(st);
	struct lin_pg_bulk *b = p->bulk;
	int64_t max_id = 0, *outs[1] = {&max_id};
	int rc;
	*on = b != NULL;
	if (!p->in_write || (b && expected <= 0))
		return 0;
	/* Already on (from the transaction's start, lin_pg_reference_checks): planned again
	 * with the rows to come. Kept edges are sent first, so the count and the filter below
	 * see them. */
	if ((rc = lin_pg_one_row(p, PG_ONCE, "SELECT coalesce(max(id), 0) FROM edges", NULL, outs, 1,
				 "counting the edges")))
		return rc;
	if (!(b = p->bulk)) {
		if (!(b = calloc(1, sizeof *b)))
			return lin_error_oom();
		b->next_id = max_id + 1;
		p->bulk = b;
	}
	*on = 1;
	/* Fewer new rows than a quarter of the store: reading every identity would cost more
	 * than it saves; the edges read ahead (pg_ahead.c) still tell the new ones. */
	if (4 * expected < max_id)
		return 0;
	lin_edge_bloom_free(&b->known); /* sized for fewer edges */
	if (lin_edge_bloom_init(&b->known, (uint64_t)max_id + (uint64_t)expected))
		return LINEAGE_ENOMEM; /* the caller rolls back: the bulk write ends */
	if ((rc = lin_pg_copy_out(p, PG_ONCE, "SELECT source_id, target_id, kind, coalesce(job_id, 0) FROM edges",
				  load_identity, &b->known, "reading the edges' identities"))) {
		if (p->bulk) /* (a lost connection ended it) */
			lin_edge_bloom_free(&p->bulk->known); /* a part of them: it would lie */
		return rc;
	}
	return 0;
}

int lin_pg_edge_maybe_stored(lin_pg *p, const lin_edge_ref *ref)
{
	struct lin_pg_bulk *b = p->bulk;
	int64_t ids[3] = {0, 0, 0};
	const char *keys[3] = {ref->source, ref->target, ref->job};
	if (!b || !b->known.words)
		return 1;
	for (int i = 0; i < 3; i++)
		if (keys[i] && !lin_pg_keys_get(p, keys[i], &ids[i], NULL))
			return 1; /* not known here: the server knows */
	/* an asset not stored has no edges yet; else the filter knows them all */
	return ids[0] && ids[1] && (!keys[2] || ids[2]) &&
	       lin_edge_bloom_has(&b->known, lin_edge_identity(ids[0], ids[1], ref->kind, ids[2]));
}

size_t lin_pg_bulk_kept(const lin_pg *p)
{
	return p->bulk ? p->bulk->kept : 0;
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

int lin_pg_edges_keep(lin_pg *p, const lin_edge_write *w, int surely_new, int64_t *out_id,
		      int *kept)
{
	struct lin_pg_bulk *b = p->bulk;
	lin_pg_args a = {0};
	int rc = 0, maybe_stored;
	*kept = 0;
	if (!b || !w->only_if_new || w->id)
		return 0;
	maybe_stored = !b->known.words ||
		       lin_edge_bloom_add(&b->known, lin_edge_identity(w->source_id, w->target_id, w->kind, w->job_id));
	if (maybe_stored && !surely_new)
		return 0; /* the single-row path finds out */
	lin_pg_edge_args(&a, w);
	lin_pg_int(&a, b->next_id);
	for (int i = 0; i < a.n && !rc; i++)
		rc = put_value(&b->lines, a.v[i], i == 0);
	if (rc || (rc = lin_strbuf_putc(&b->lines, '\n')))
		return lin_error_oom();
	*out_id = b->next_id++;
	b->nrows++;
	b->kept++;
	p->changes++;
	*kept = 1;
	return b->lines.len >= FLUSH_BYTES ? lin_pg_edges_settle(p) : 0;
}

void lin_pg_edges_inserted(lin_pg *p, const lin_edge_write *w, int64_t id)
{
	struct lin_pg_bulk *b = p->bulk;
	if (!b)
		return;
	if (b->known.words)
		lin_edge_bloom_add(&b->known, lin_edge_identity(w->source_id, w->target_id, w->kind, w->job_id));
	if (id >= b->next_id)
		b->next_id = id + 1;
}

static int copy_lines(lin_pg *p, const char *copy, const lin_strbuf *lines, size_t n)
{
	PGresult *res = PQexec(p->conn, copy);
	int rc = 0;
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		rc = lin_pg_error(p, res, "adding edges");
		PQclear(res);
		return rc;
	}
	PQclear(res);
	if (PQputCopyData(p->conn, lines->data, (int)lines->len) != 1 || PQputCopyEnd(p->conn, NULL) != 1) {
		while ((res = PQgetResult(p->conn)))
			PQclear(res);
		return lin_pg_error(p, NULL, "adding edges");
	}
	while ((res = PQgetResult(p->conn))) {
		if (!rc && PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = lin_pg_error(p, res, "adding edges");
		else if (!rc && strtoull(PQcmdTuples(res), NULL, 10) != n)
			rc = lin_error_set(LINEAGE_ECONFLICT, "adding edges: %s of %zu new rows were written", PQcmdTuples(res), n);
		PQclear(res);
	}
	return rc;
}

enum kept { KEPT_ASSETS, KEPT_CHANGES, KEPT_EDGES };

static lin_strbuf *lines_of(struct lin_pg_bulk *b, enum kept what)
{
	return what == KEPT_ASSETS ? &b->asset_lines : what == KEPT_CHANGES ? &b->change_lines : &b->lines;
}

static int settle(lin_pg *p, enum kept what)
{
	static const char *const copy[] = {
		"COPY assets(key, kind, name, parent_id, owner, description, status, tags, properties,"
		" created_at, updated_at, id) FROM STDIN",
		"COPY changes(seq, at, actor, action, entity, entity_id, asset_key, target_key,"
		" before_json, after_json, comment, batch_id) FROM STDIN",
		"COPY edges(" PG_EDGE_COLUMNS ", id) FROM STDIN",
	};
	struct lin_pg_bulk *b = p->bulk;
	size_t *count, n;
	int rc;
	if (!b)
		return 0;
	count = what == KEPT_ASSETS ? &b->nassets : what == KEPT_CHANGES ? &b->nchanges : &b->nrows;
	if (!*count)
		return 0;
	n = *count;
	*count = 0;
	/* read again: statements after this one may add rows */
	if (what == KEPT_ASSETS)
		b->next_asset_id = 0;
	else if (what == KEPT_CHANGES)
		b->next_seq = 0;
	rc = copy_lines(p, copy[what], lines_of(b, what), n);
	if (p->bulk) /* a lost connection ended the bulk write already (lin_pg_error) */
		lin_strbuf_reset(lines_of(p->bulk, what));
	if (rc) {
		lin_error_saved saved;
		lin_error_save(&saved);
		lin_pg_rollback(&p->base); /* ends the bulk write too */
		lin_error_restore(&saved);
		lin_error_prefix("the transaction was rolled back as a whole, nothing of it written");
	}
	return rc;
}

int lin_pg_edges_settle(lin_pg *p)
{
	int rc = settle(p, KEPT_ASSETS); /* the edges refer to them */
	return rc ? rc : settle(p, KEPT_EDGES);
}

int lin_pg_changes_settle(lin_pg *p)
{
	return settle(p, KEPT_CHANGES);
}

int lin_pg_assets_settle(lin_pg *p)
{
	return settle(p, KEPT_ASSETS);
}

int lin_pg_assets_keep(lin_pg *p, const lin_asset_write *w, int64_t *out_id, int *kept)
{
	struct lin_pg_bulk *b = p->bulk;
	lin_pg_args a = {0};
	int rc = 0;
	*kept = 0;
	if (!b || w->id)
		return 0;
	if (!b->next_asset_id) {
		int64_t max_id = 0, *outs[1] = {&max_id};
		if ((rc = lin_pg_one_row(p, PG_ASSET_MAX_ID, "SELECT coalesce(max(id), 0) FROM assets",
					 NULL, outs, 1, "counting the assets")))
			return rc;
		if (!(b = p->bulk)) /* gone if the connection was lost */
			return 0;
		b->next_asset_id = max_id + 1;
	}
	lin_pg_asset_args(&a, w);
	lin_pg_int(&a, b->next_asset_id);
	for (int i = 0; i < a.n && !rc; i++)
		rc = put_value(&b->asset_lines, a.v[i], i == 0);
	if (rc || (rc = lin_strbuf_putc(&b->asset_lines, '\n')))
		return lin_error_oom();
	*out_id = b->next_asset_id++;
	b->nassets++;
	b->kept++;
	p->changes++;
	*kept = 1;
	return b->asset_lines.len >= FLUSH_BYTES ? lin_pg_assets_settle(p) : 0;
}

int lin_pg_changes_keep(lin_pg *p, const lin_change_write *w, int64_t *out_seq, int *kept)
{
	struct lin_pg_bulk *b = p->bulk;
	lin_pg_args a = {0};
	int rc = 0;
	*kept = 0;
	if (!b)
		return 0;
	if (!b->next_seq) {
		int64_t last = 0;
		if ((rc = lin_pg_last_seq(&p->base, &last)))
			return rc;
		b = p->bulk; /* gone if the connection was lost */
		if (!b)
			return 0;
		b->next_seq = last + 1;
	}
	lin_pg_int(&a, b->next_seq);
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
	for (int i = 0; i < a.n && !rc; i++)
		rc = put_value(&b->change_lines, a.v[i], i == 0);
	if (rc || (rc = lin_strbuf_putc(&b->change_lines, '\n')))
		return lin_error_oom();
	*out_seq = b->next_seq++;
	b->nchanges++;
	b->kept++;
	p->changes++;
	*kept = 1;
	return b->change_lines.len >= FLUSH_BYTES ? lin_pg_changes_settle(p) : 0;
}
