/*
 * Edges read ahead for a bulk write (store.h, lin_store_edges_prefetch): an import hands over
 * the next few hundred rows' identities, and one statement reads the stored edges among them
 * (and which are surely not stored). The upserts that follow find them here instead of
 * asking the server twice per row ("is it new?", then "what is stored?").
 *
 * What is here is true under the writer lock until this handle changes the edge: an insert,
 * update or delete of an identity forgets it, a rolled-back savepoint or the end of the
 * transaction forgets all. A stored edge is handed over once (the caller then merges into
 * it); asked again, the server answers.
 *
 * The same rows' assets are read ahead too (pg_ahead_assets.c).
 */
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "common/strbuf.h"
#include "store/edge_bloom.h"

typedef struct ahead_entry {
	uint64_t h;
	int64_t source_id, target_id, job_id;
	char *kind;
	lin_edge_rec *rec; /* NULL: surely not stored */
} ahead_entry;

struct lin_pg_ahead {
	ahead_entry *e;
	size_t n, cap;
};

static void clear_edges(lin_pg *p)
{
	struct lin_pg_ahead *a = p->ahead;
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++) {
		free(a->e[i].kind);
		lin_edge_rec_free(a->e[i].rec);
	}
	a->n = 0;
}

void lin_pg_ahead_clear(lin_pg *p)
{
	clear_edges(p);
	lin_pg_ahead_assets_clear(p);
}

void lin_pg_ahead_free(lin_pg *p)
{
	clear_edges(p);
	if (p->ahead)
		free(p->ahead->e);
	free(p->ahead);
	p->ahead = NULL;
	lin_pg_ahead_assets_free(p);
}

static ahead_entry *find(lin_pg *p, int64_t sid, int64_t tid, const char *kind, int64_t jid)
{
	struct lin_pg_ahead *a = p->ahead;
	uint64_t h;
	if (!a || !a->n)
		return NULL;
	h = lin_edge_identity(sid, tid, kind, jid);
	for (size_t i = 0; i < a->n; i++) {
		ahead_entry *e = &a->e[i];
		if (e->h == h && e->source_id == sid && e->target_id == tid && e->job_id == jid &&
		    !strcmp(e->kind, kind))
			return e;
	}
	return NULL;
}

static void drop(lin_pg *p, ahead_entry *e)
{
	struct lin_pg_ahead *a = p->ahead;
	free(e->kind);
	lin_edge_rec_free(e->rec);
	*e = a->e[--a->n];
}

int lin_pg_ahead_state(lin_pg *p, const lin_edge_write *w)
{
	ahead_entry *e = find(p, w->source_id, w->target_id, w->kind, w->job_id);
	return !e ? AHEAD_UNKNOWN : e->rec ? AHEAD_STORED : AHEAD_ABSENT;
}

int lin_pg_ahead_take(lin_pg *p, int64_t sid, int64_t tid, const char *kind, int64_t jid,
		      lin_edge_rec **out)
{
	ahead_entry *e = find(p, sid, tid, kind, jid);
	if (!e)
		return 0;
	*out = e->rec;
	e->rec = NULL;
	drop(p, e);
	return 1;
}

void lin_pg_ahead_forget(lin_pg *p, const lin_edge_write *w, int64_t id)
{
	ahead_entry *e = find(p, w->source_id, w->target_id, w->kind, w->job_id);
	if (e)
		drop(p, e);
	for (size_t i = 0; id && p->ahead && i < p->ahead->n; i++)
		if (p->ahead->e[i].rec && p->ahead->e[i].rec->pub.id == id)
			drop(p, &p->ahead->e[i--]); /* its identity changes */
}

/* One element of a text[] literal: quoted, with " and \ escaped; NULL unquoted. */
int lin_pg_put_array_element(lin_strbuf *sb, const char *v, int first)
{
	int rc = first ? 0 : lin_strbuf_putc(sb, ',');
	if (rc || !v)
		return rc ? rc : lin_strbuf_puts(sb, "NULL");
	rc = lin_strbuf_putc(sb, '"');
	for (; *v && !rc; v++) {
		if (*v == '"' || *v == '\\')
			rc = lin_strbuf_putc(sb, '\\');
		if (!rc)
			rc = lin_strbuf_putc(sb, *v);
	}
	return rc ? rc : lin_strbuf_putc(sb, '"');
}

static int keep_row(PGresult *res, int row, void *payload)
{
	lin_pg *p = payload;
	struct lin_pg_ahead *a = p->ahead;
	ahead_entry *e;
	int64_t sid = lin_pg_i64(res, row, 23), tid = lin_pg_i64(res, row, 24),
		jid = lin_pg_i64(res, row, 26);
	const char *kind = PQgetvalue(res, row, 25);
	int rc;
	if (find(p, sid, tid, kind, jid))
		return 0; /* the same identity twice in the rows asked */
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 256;
		ahead_entry *g = realloc(a->e, cap * sizeof *g);
		if (!g)
			return lin_error_oom();
		a->e = g;
		a->cap = cap;
	}
	e = &a->e[a->n];
	memset(e, 0, sizeof *e);
	e->h = lin_edge_identity(sid, tid, kind, jid);
	e->source_id = sid;
	e->target_id = tid;
	e->job_id = jid;
	if (!(e->kind = strdup(kind)))
		return lin_error_oom();
	if (!PQgetisnull(res, row, 0) && (rc = lin_pg_read_edge(res, row, &e->rec))) {
		free(e->kind);
		return rc;
	}
	a->n++;
	return 0;
}

/* The assets the rows name, read ahead (an import reads each one's record once). */
static int assets_of_rows(lin_pg *p, const lin_edge_ref *refs, size_t n)
{
	const char **keys = malloc(3 * n * sizeof *keys);
	size_t k = 0;
	int rc;
	if (!keys)
		return lin_error_oom();
	for (size_t i = 0; i < n; i++) {
		keys[k++] = refs[i].source;
		keys[k++] = refs[i].target;
		keys[k++] = refs[i].job;
	}
	rc = lin_pg_ahead_assets_by_key(p, keys, k);
	free(keys);
	return rc;
}

int lin_pg_edges_prefetch(lin_store *st, const lin_edge_ref *refs, size_t n)
{
	lin_pg *p = LIN_PG(st);
	lin_strbuf cols[4] = {LIN_STRBUF_INIT, LIN_STRBUF_INIT, LIN_STRBUF_INIT, LIN_STRBUF_INIT};
	lin_pg_args args = {0};
	size_t asked = 0;
	int rc = 0;
	/* only a bulk write keeps what it read: nobody else writes under its lock */
	if (!p->in_write || !p->bulk || !n)
		return 0;
	if (!p->ahead && !(p->ahead = calloc(1, sizeof *p->ahead)))
		return lin_error_oom();
	clear_edges(p);
	if ((rc = assets_of_rows(p, refs, n)))
		return rc;
	for (int c = 0; c < 4 && !rc; c++)
		rc = lin_strbuf_putc(&cols[c], '{');
	for (size_t i = 0; i < n && !rc; i++) {
		const char *v[4] = {refs[i].source, refs[i].target, refs[i].kind, refs[i].job};
		if (!lin_pg_edge_maybe_stored(p, &refs[i]))
			continue; /* new: the insert keeps it without asking */
		for (int c = 0; c < 4 && !rc; c++)
			rc = lin_pg_put_array_element(&cols[c], v[c], asked == 0);
		asked++;
	}
	for (int c = 0; c < 4 && !rc; c++)
		rc = lin_strbuf_putc(&cols[c], '}');
	if (rc) {
		rc = lin_error_oom();
		goto done;
	}
	if (!asked)
		goto done;
	for (int c = 0; c < 4; c++)
		lin_pg_text(&args, cols[c].data);
	/* An identity whose assets are not all stored has no edge yet: not in the answer, so
	 * the upsert asks the server as usual. */
	rc = lin_pg_each(p, PG_EDGES_AHEAD,
			 "SELECT e.id, e.source_id, s.key, e.target_id, t.key, e.kind, e.job_id, j.key,"
			 " e.lineage_source, e.confidence, e.status, e.transformation_type,"
			 " e.transformation, e.description, e.properties, e.evidence, e.origin,"
			 " e.content_hash, e.reviewed_by, e.review_comment, e.reviewed_at,"
			 " e.created_at, e.updated_at, s.id, t.id, q.k, coalesce(jq.id, 0)"
			 " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS q(s, t, k, j)"
			 " JOIN assets s ON s.key = q.s JOIN assets t ON t.key = q.t"
			 " LEFT JOIN assets jq ON jq.key = q.j"
			 " LEFT JOIN edges e ON e.source_id = s.id AND e.target_id = t.id"
			 " AND e.kind = q.k AND coalesce(e.job_id, 0) = coalesce(jq.id, 0)"
			 " LEFT JOIN assets j ON j.id = e.job_id"
			 " WHERE q.j IS NULL OR jq.id IS NOT NULL",
			 &args, keep_row, p, "reading the edges about to be written");
	if (rc)
		clear_edges(p);
done:
	for (int c = 0; c < 4; c++)
		lin_strbuf_free(&cols[c]);
	return rc;
}
