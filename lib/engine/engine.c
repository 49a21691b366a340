/* The engine of a handle: full build, change-feed sync, rollback, hooks. */
#include "engine.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/error.h"
#include "store/store.h"

/* A growable list of ids. */
typedef struct idlist {
	int64_t *a;
	size_t n, cap;
} idlist;

static int idlist_add(idlist *l, int64_t id)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		int64_t *a = realloc(l->a, cap * sizeof *a);
		if (!a)
			return lin_error_oom();
		l->a = a;
		l->cap = cap;
	}
	l->a[l->n++] = id;
	return 0;
}

static int idlist_extend(idlist *l, const idlist *from)
{
	int rc;
	for (size_t i = 0; i < from->n; i++)
		if ((rc = idlist_add(l, from->a[i])))
			return rc;
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static void idlist_unique(idlist *l)
{
	size_t w = 0;
	if (!l->n)
		return;
	qsort(l->a, l->n, sizeof *l->a, cmp_i64);
	for (size_t i = 1; i < l->n; i++)
		if (l->a[i] != l->a[w])
			l->a[++w] = l->a[i];
	l->n = w + 1;
}

static void idlist_free(idlist *l)
{
	free(l->a);
	l->a = NULL;
	l->n = l->cap = 0;
}

struct lin_engine {
	lin_graph g;
	int64_t seq;
	uint64_t data_version;
	int dirty;
	int built_in_tx; /* built inside an open transaction: a rollback means a rebuild */
	idlist tx_assets, tx_edges;     /* applied while a transaction was open */
	idlist redo_assets, redo_edges; /* to re-read at the next sync (after a rollback) */
	lin_engine_stats stats;
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- full build ---- */

typedef struct build_ctx {
	lin_graph *g;
	int64_t *parent; /* per vertex: the parent's asset id */
	int64_t cap;
} build_ctx;

static int build_vertex(const lin_vertex_row *row, void *payload)
{
	build_ctx *c = payload;
	int32_t v = lin_graph_put_vertex(c->g, row->id, row->key, row->kind);
	if (v < 0)
		return v;
	if (v >= c->cap) {
		int64_t cap = c->cap ? c->cap * 2 : 1024;
		int64_t *p;
		while (cap <= v)
			cap *= 2;
		p = realloc(c->parent, (size_t)cap * sizeof *p);
		if (!p)
			return lin_error_oom();
		c->parent = p;
		c->cap = cap;
	}
	c->parent[v] = row->parent_id;
	return 0;
}

static int build_edge(const lin_edge_row *row, void *payload)
{
	build_ctx *c = payload;
	return lin_graph_put_edge(c->g, row->id, row->source_id, row->target_id, row->kind,
				  (int)row->lineage_source, row->confidence,
				  row->status == LINEAGE_EDGE_ACTIVE);
}

static int build(struct lin_engine *e, lin_store *st)
{
	build_ctx c = {&e->g, NULL, 0};
	int64_t na = 0, max_a = 0, ne = 0, max_e = 0, seq = 0;
	uint64_t dv = 0;
	double t0 = now_ms();
	int rc;
	lin_graph_free(&e->g);
	if ((rc = lin_graph_init(&e->g)))
		return rc;
	e->g.building = 1;
	/* The seq and version first: whatever commits during the scans is read again by the
	 * next sync (applying a change twice is harmless). */
	if ((rc = lin_store_data_version(st, &dv)) || (rc = lin_store_last_seq(st, &seq)) ||
	    (rc = lin_store_graph_size(st, &na, &max_a, &ne, &max_e)) ||
	    (rc = lin_graph_reserve(&e->g, na, max_a, ne, max_e)))
		goto done;
	c.cap = na > 0 ? na : 1;
	c.parent = malloc((size_t)c.cap * sizeof *c.parent);
	if (!c.parent) {
		rc = lin_error_oom();
		goto done;
	}
	if ((rc = lin_store_scan_vertices(st, build_vertex, &c)))
		goto done;
	for (int32_t v = 0; v < e->g.nv; v++)
		if (c.parent[v] && (rc = lin_graph_set_parent(&e->g, e->g.v_id[v], c.parent[v])))
			goto done;
	if ((rc = lin_store_scan_edges(st, build_edge, &c)) || (rc = lin_graph_compact(&e->g)))
		goto done;
	e->seq = seq;
	e->data_version = dv;
	e->dirty = 0;
	e->stats.full_builds++;
	e->stats.last_build_ms = now_ms() - t0;
done:
	free(c.parent);
	return rc;
}

/* ---- incremental sync ---- */

typedef struct sync_ctx {
	struct lin_engine *e;
	idlist assets, edges, found, parents; /* parents: (id, parent id) pairs */
} sync_ctx;

static int collect_change(int64_t seq, char entity, int64_t id, void *payload)
{
	sync_ctx *c = payload;
	(void)seq;
	if (entity == 't') /* a token's creation or revocation: not part of the graph */
		return 0;
	return idlist_add(entity == 'e' ? &c->edges : &c->assets, id);
}

static int sync_vertex(const lin_vertex_row *row, void *payload)
{
	sync_ctx *c = payload;
	int32_t v = lin_graph_put_vertex(&c->e->g, row->id, row->key, row->kind);
	int rc;
	if (v < 0)
		return v;
	if ((rc = idlist_add(&c->found, row->id)) || (rc = idlist_add(&c->parents, row->id)))
		return rc;
	return idlist_add(&c->parents, row->parent_id);
}

static int sync_edge(const lin_edge_row *row, void *payload)
{
	sync_ctx *c = payload;
	int rc = lin_graph_put_edge(&c->e->g, row->id, row->source_id, row->target_id, row->kind,
				    (int)row->lineage_source, row->confidence,
				    row->status == LINEAGE_EDGE_ACTIVE);
	return rc ? rc : idlist_add(&c->found, row->id);
}

/* Ids of `want` (sorted) missing from `found` (sorted) were deleted. */
static void apply_missing(struct lin_engine *e, const idlist *want, idlist *found, int edges)
{
	size_t j = 0;
	idlist_unique(found);
	for (size_t i = 0; i < want->n; i++) {
		while (j < found->n && found->a[j] < want->a[i])
			j++;
		if (j < found->n && found->a[j] == want->a[i])
			continue;
		if (edges)
			lin_graph_remove_edge(&e->g, want->a[i]);
		else
			lin_graph_remove_vertex(&e->g, want->a[i]);
	}
}

static int apply(struct lin_engine *e, lin_store *st, sync_ctx *c)
{
	int rc;
	if (c->assets.n) {
		c->found.n = 0;
		if ((rc = lin_store_vertices_by_id(st, c->assets.a, c->assets.n, sync_vertex, c)))
			return rc;
		apply_missing(e, &c->assets, &c->found, 0);
		for (size_t i = 0; i + 1 < c->parents.n; i += 2)
			if ((rc = lin_graph_set_parent(&e->g, c->parents.a[i], c->parents.a[i + 1])))
				return rc;
	}
	if (c->edges.n) {
		c->found.n = 0;
		if ((rc = lin_store_edges_by_id(st, c->edges.a, c->edges.n, sync_edge, c)))
			return rc;
		apply_missing(e, &c->edges, &c->found, 1);
	}
	return 0;
}

static void sync_ctx_free(sync_ctx *c)
{
	idlist_free(&c->assets);
	idlist_free(&c->edges);
	idlist_free(&c->found);
	idlist_free(&c->parents);
}

static int refresh(lineage_db *db, struct lin_engine *e)
{
	sync_ctx c;
	int64_t last = e->seq;
	uint64_t dv = 0;
	size_t total;
	int rc;
	memset(&c, 0, sizeof c);
	c.e = e;
	if ((rc = lin_store_data_version(db->store, &dv)))
		return rc;
	if (!e->dirty && !e->redo_assets.n && !e->redo_edges.n && dv == e->data_version)
		return 0;
	if ((rc = lin_store_changed_since(db->store, e->seq, collect_change, &c, &last)) ||
	    (rc = idlist_extend(&c.assets, &e->redo_assets)) ||
	    (rc = idlist_extend(&c.edges, &e->redo_edges)))
		goto done;
	idlist_unique(&c.assets);
	idlist_unique(&c.edges);
	total = c.assets.n + c.edges.n;
	if (total > (size_t)e->g.n_alive_e / 5 + 20000) {
		/* a huge batch (an import): a fresh build is cheaper than the overlay */
		if (db->in_tx && ((rc = idlist_extend(&e->tx_assets, &c.assets)) ||
				  (rc = idlist_extend(&e->tx_edges, &c.edges))))
			goto done;
		rc = build(e, db->store);
		e->built_in_tx = db->in_tx;
		e->redo_assets.n = e->redo_edges.n = 0;
		goto done;
	}
	if ((rc = apply(e, db->store, &c)))
		goto done;
	if (db->in_tx) {
		if ((rc = idlist_extend(&e->tx_assets, &c.assets)) ||
		    (rc = idlist_extend(&e->tx_edges, &c.edges)))
			goto done;
	}
	e->redo_assets.n = e->redo_edges.n = 0;
	e->seq = last;
	e->data_version = dv;
	e->dirty = 0;
	e->stats.incremental_syncs++;
	e->stats.changes_applied += total;
	if (lin_graph_overlay_large(&e->g)) {
		if ((rc = lin_graph_compact(&e->g)))
			goto done;
		e->stats.compactions++;
	}
done:
	sync_ctx_free(&c);
	return rc;
}

int lin_engine_sync(lineage_db *db)
{
	struct lin_engine *e = db->engine;
	int rc;
	if (!e) {
		e = calloc(1, sizeof *e);
		if (!e)
			return lin_error_oom();
		if ((rc = build(e, db->store))) {
			lin_engine_free(e);
			return rc;
		}
		e->built_in_tx = db->in_tx;
		db->engine = e;
		return 0;
	}
	if (!db->in_tx) {
		/* committed: nothing to undo any more */
		e->tx_assets.n = e->tx_edges.n = 0;
		e->built_in_tx = 0;
	}
	rc = refresh(db, e);
	if (rc && rc != LINEAGE_EBUSY) {
		/* the engine may be half-updated: start afresh at the next query */
		lin_engine_free(e);
		db->engine = NULL;
	}
	return rc;
}

lin_graph *lin_engine_graph(lineage_db *db)
{
	return db->engine ? &db->engine->g : NULL;
}

void lin_engine_get_stats(lineage_db *db, lin_engine_stats *out)
{
	memset(out, 0, sizeof *out);
	if (!db || !db->engine)
		return;
	*out = db->engine->stats;
	out->seq = db->engine->seq;
	out->vertices = db->engine->g.n_alive_v;
	out->edges = db->engine->g.n_alive_e;
	out->overlay = lin_graph_overlay_size(&db->engine->g);
}

int lin_engine_owner(int64_t asset_id, char **out, void *payload)
{
	lineage_db *db = payload;
	return lin_store_asset_owner(db->store, asset_id, out);
}

/* ---- hooks called by the write paths ---- */

void lin_engine_note_write(lineage_db *db)
{
	if (db && db->engine)
		db->engine->dirty = 1;
}

void lin_engine_note_rollback(lineage_db *db, int64_t seq_before_tx)
{
	struct lin_engine *e;
	if (!db || !(e = db->engine))
		return;
	if (e->built_in_tx) {
		/* it was read with the transaction's writes in it: start afresh */
		lin_engine_free(e);
		db->engine = NULL;
		return;
	}
	/* What the engine read during the transaction is gone from the database: read those
	 * assets and edges again at the next sync, and the feed from before the transaction
	 * (rolled-back seqs may be handed out again). */
	if (idlist_extend(&e->redo_assets, &e->tx_assets) ||
	    idlist_extend(&e->redo_edges, &e->tx_edges)) {
		lin_engine_free(e); /* out of memory: rebuild at the next query */
		db->engine = NULL;
		return;
	}
	e->tx_assets.n = e->tx_edges.n = 0;
	if (seq_before_tx < e->seq)
		e->seq = seq_before_tx;
	e->dirty = 1;
}

void lin_engine_free(struct lin_engine *engine)
{
	if (!engine)
		return;
	lin_graph_free(&engine->g);
	idlist_free(&engine->tx_assets);
	idlist_free(&engine->tx_edges);
	idlist_free(&engine->redo_assets);
	idlist_free(&engine->redo_edges);
	free(engine);
}
