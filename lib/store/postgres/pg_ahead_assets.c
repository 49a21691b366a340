/*
 * Assets read ahead for a bulk write (pg.h, lin_pg_ahead_asset): the records an import is
 * about to read, fetched many per statement instead of one round trip each.
 *
 * Two sources fill a small table by id: the keys of the next few hundred lineage rows
 * (lin_pg_ahead_assets_by_key, each asset of the store read ahead once per bulk write: an
 * import asks for an asset's record the first time it meets it), and, for a file of assets
 * imported again (they mostly come in the order they were made), the AHEAD_ASSETS ids after
 * a miss that follows the last window read. A miss elsewhere is one read, as before.
 *
 * What is here is true under the writer lock until this handle changes the asset: an insert
 * or update forgets it, a rolled-back savepoint or the end of the transaction forgets all. A
 * record is handed over once (the caller owns it); asked again, the server answers.
 */
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "common/strbuf.h"

#define AHEAD_ASSETS 256
#define SLOTS 4096   /* open addressing by id, at most half full */
#define PARENTS 4096 /* direct-mapped: asset id -> parent id */

typedef struct ahead_asset {
	int64_t id;          /* 0: empty */
	lin_asset_rec *rec;  /* NULL and `known`: no such asset */
	unsigned char known; /* 0: handed over or forgotten (the server answers) */
} ahead_asset;

struct lin_pg_ahead_assets {
	ahead_asset slot[SLOTS];
	size_t used;
	int64_t window_end; /* the id after the last window read; 0: none yet */
	uint64_t *fetched;  /* bit per id: read ahead by key already in this bulk write */
	size_t fetched_words;
	int64_t parent_of[PARENTS][2]; /* {id, parent id}; id 0: empty */
};

static struct lin_pg_ahead_assets *assets_of(lin_pg *p)
{
	if (!p->ahead_assets)
		p->ahead_assets = calloc(1, sizeof *p->ahead_assets);
	return p->ahead_assets;
}

static ahead_asset *slot_of(struct lin_pg_ahead_assets *a, int64_t id)
{
	size_t i = (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15u) >> 52) & (SLOTS - 1);
	while (a->slot[i].id && a->slot[i].id != id)
		i = (i + 1) & (SLOTS - 1);
	return &a->slot[i];
}

static void forget_all(struct lin_pg_ahead_assets *a)
{
	for (size_t i = 0; i < SLOTS; i++)
		lin_asset_rec_free(a->slot[i].rec);
	memset(a->slot, 0, sizeof a->slot);
	a->used = 0;
	a->window_end = 0;
}

/* Keep `rec` (owned; NULL: no such asset) as what id `id` is. */
static void put(struct lin_pg_ahead_assets *a, int64_t id, lin_asset_rec *rec)
{
	ahead_asset *s;
	if (a->used >= SLOTS / 2)
		forget_all(a);
	s = slot_of(a, id);
	if (!s->id) {
		s->id = id;
		a->used++;
	}
	lin_asset_rec_free(s->rec);
	s->rec = rec;
	s->known = 1;
}

static int keep_row(PGresult *res, int row, void *payload)
{
	lin_pg *p = payload;
	lin_asset_rec *rec = NULL;
	int rc = lin_pg_read_asset(res, row, &rec);
	if (rc)
		return rc;
	lin_pg_keys_put(p, rec->pub.key, rec->pub.id, !strcmp(rec->pub.kind, "unknown"));
	put(p->ahead_assets, rec->pub.id, rec);
	return 0;
}

static int fetched(const struct lin_pg_ahead_assets *a, int64_t id)
{
	return (uint64_t)id / 64 < a->fetched_words && (a->fetched[id / 64] >> (id % 64) & 1);
}

static int mark_fetched(struct lin_pg_ahead_assets *a, int64_t id)
{
	size_t w = (size_t)id / 64;
	if (w >= a->fetched_words) {
		size_t n = a->fetched_words ? a->fetched_words : 1024;
		uint64_t *g;
		while (n <= w)
			n *= 2;
		if (!(g = realloc(a->fetched, n * sizeof *g)))
			return lin_error_oom();
		memset(g + a->fetched_words, 0, (n - a->fetched_words) * sizeof *g);
		a->fetched = g;
		a->fetched_words = n;
	}
	a->fetched[w] |= (uint64_t)1 << (id % 64);
	return 0;
}

int lin_pg_ahead_assets_by_key(lin_pg *p, const char **keys, size_t n)
{
	struct lin_pg_ahead_assets *a;
	lin_strbuf list = LIN_STRBUF_INIT;
	lin_pg_args args = {0};
	size_t asked = 0;
	int rc = 0;
	if (!p->in_write || !p->bulk || !n)
		return 0;
	if (!(a = assets_of(p)))
		return lin_error_oom();
	rc = lin_strbuf_putc(&list, '{');
	for (size_t i = 0; i < n && !rc; i++) {
		int64_t id = 0;
		if (!keys[i])
			continue;
		if (lin_pg_keys_get(p, keys[i], &id, NULL)) {
			if (!id || fetched(a, id))
				continue; /* not stored, or read ahead once already */
			if ((rc = mark_fetched(a, id)))
				break;
		}
		rc = lin_pg_put_array_element(&list, keys[i], asked++ == 0);
	}
	if (!rc)
		rc = lin_strbuf_putc(&list, '}');
	if (rc) {
		lin_strbuf_free(&list);
		return rc == LINEAGE_ENOMEM ? rc : lin_error_oom();
	}
	if (asked) {
		if (a->used + 3 * asked > SLOTS / 2)
			forget_all(a); /* room for them all */
		lin_pg_text(&args, list.data);
		rc = lin_pg_each(p, PG_ASSETS_BY_KEY, PG_ASSET_SELECT("WHERE a.key = ANY($1::text[])"),
				 &args, keep_row, p, "reading the assets about to be written");
		if (rc && p->ahead_assets)
			forget_all(p->ahead_assets);
	}
	lin_strbuf_free(&list);
	return rc;
}

int lin_pg_ahead_asset(lin_pg *p, int64_t id, lin_asset_rec **out, int *found)
{
	struct lin_pg_ahead_assets *a;
	lin_pg_args args = {0};
	ahead_asset *s;
	int rc;
	*found = 0;
	if (!p->in_write || !p->bulk || id <= 0)
		return 0;
	if (!(a = assets_of(p)))
		return lin_error_oom();
	s = slot_of(a, id);
	if (!s->id || !s->known) {
		if (a->window_end && id != a->window_end) {
			a->window_end = id + 1; /* not in order: the server answers this one */
			return 0;
		}
		if (a->used + AHEAD_ASSETS > SLOTS / 2)
			forget_all(a); /* room for the window */
		lin_pg_int(&args, id);
		lin_pg_int(&args, id + AHEAD_ASSETS);
		if ((rc = lin_pg_each(p, PG_ASSETS_AHEAD, PG_ASSET_SELECT("WHERE a.id >= $1 AND a.id < $2"),
				      &args, keep_row, p, "reading the assets about to be written"))) {
			if (p->ahead_assets) /* (a lost connection ended it) */
				forget_all(p->ahead_assets);
			return rc;
		}
		for (int64_t i = id; i < id + AHEAD_ASSETS; i++)
			if (!slot_of(a, i)->known)
				put(a, i, NULL); /* in the window, not stored */
		a->window_end = id + AHEAD_ASSETS;
		s = slot_of(a, id);
	}
	*out = s->rec; /* handed over once: asked again, the server answers */
	s->rec = NULL;
	s->known = 0;
	*found = 1;
	return 0;
}

/* The containment walks of an import ask for the same few ancestors row after row. */
int lin_pg_ahead_parent(lin_pg *p, int64_t id, int64_t *parent)
{
	struct lin_pg_ahead_assets *a = p->ahead_assets;
	int64_t *cell;
	if (!a || !p->in_write || !p->bulk || id <= 0)
		return 0;
	cell = a->parent_of[(uint64_t)id % PARENTS];
	if (cell[0] != id)
		return 0;
	*parent = cell[1];
	return 1;
}

void lin_pg_ahead_parent_put(lin_pg *p, int64_t id, int64_t parent)
{
	struct lin_pg_ahead_assets *a = p->in_write && p->bulk && id > 0 ? assets_of(p) : NULL;
	if (a) {
		a->parent_of[(uint64_t)id % PARENTS][0] = id;
		a->parent_of[(uint64_t)id % PARENTS][1] = parent;
	}
}

void lin_pg_ahead_asset_forget(lin_pg *p, int64_t id)
{
	struct lin_pg_ahead_assets *a = p->ahead_assets;
	ahead_asset *s;
	if (!a || id <= 0)
		return;
	if (a->parent_of[(uint64_t)id % PARENTS][0] == id)
		a->parent_of[(uint64_t)id % PARENTS][0] = 0;
	s = slot_of(a, id);
	if (s->id) {
		lin_asset_rec_free(s->rec);
		s->rec = NULL;
		s->known = 0;
	}
}

void lin_pg_ahead_assets_clear(lin_pg *p)
{
	struct lin_pg_ahead_assets *a = p->ahead_assets;
	if (!a)
		return;
	forget_all(a);
	memset(a->parent_of, 0, sizeof a->parent_of);
}

void lin_pg_ahead_assets_free(lin_pg *p)
{
	lin_pg_ahead_assets_clear(p);
	if (p->ahead_assets)
		free(p->ahead_assets->fetched);
	free(p->ahead_assets);
	p->ahead_assets = NULL;
}
