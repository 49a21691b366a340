/* The engine's compact graph: build, incremental changes, overlay and compaction. */
#include "graph.h"

#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "igraph_glue.h"
#include "reach.h"
#include "common/util.h"
#include "lineage/errors.h"

#define MAX_ITEMS ((int64_t)INT32_MAX - 1)
/* Dense id maps: refuse ids so sparse that the map would dwarf the graph. */
#define DENSE_SLACK ((int64_t)1 << 24)

/* Grow `*arr` (elements of `size` bytes) from `old` to `cap` elements; new ones zeroed
 * unless `fill` is -1 (then set to LIN_NONE for int32 arrays). */
static int grow(void *arr, size_t size, int64_t old, int64_t cap, int fill)
{
	void **p = arr;
	void *n = realloc(*p, (size_t)cap * size);
	if (!n)
		return lin_error_oom();
	if (cap > old)
		memset((char *)n + (size_t)old * size, fill ? 0xff : 0, (size_t)(cap - old) * size);
	*p = n;
	return 0;
}

static int64_t next_cap(int64_t have, int64_t need)
{
	int64_t cap = have ? have : 16;
	while (cap < need)
		cap = cap + cap / 2 + 16;
	return cap;
}

int lin_graph_init(lin_graph *g)
{
	memset(g, 0, sizeof *g);
	g->column_kind = LIN_NONE;
	g->pool = lin_pool_new();
	if (!g->pool)
		return LINEAGE_ENOMEM;
	g->out_off = calloc(1, sizeof *g->out_off);
	g->in_off = calloc(1, sizeof *g->in_off);
	if (!g->out_off || !g->in_off)
		return lin_error_oom();
	return 0;
}

void lin_graph_free(lin_graph *g)
{
	if (!g)
		return;
	lin_graph_detach(g);
	lin_pool_unref(g->pool);
	lin_ig_cache_free(g->ig);
	lin_reach_spare_free(g);
	free(g->kind_name);
	free(g->kind_hash);
	free(g->v_id);
	free(g->v_key);
	free(g->v_hash);
	free(g->v_kind);
	free(g->v_alive);
	free(g->v_parent);
	free(g->v_first_child);
	free(g->v_next_sib);
	free(g->id2v);
	free(g->eid2s);
	free(g->khash);
	free(g->e_id);
	free(g->e_src);
	free(g->e_dst);
	free(g->e_attr);
	free(g->out_off);
	free(g->in_off);
	free(g->in_slot);
	free(g->in_src);
	free(g->ov_out_head);
	free(g->ov_in_head);
	free(g->ov_next_out);
	free(g->ov_next_in);
	free(g->mark);
	free(g->s_a);
	free(g->s_b);
	free(g->s_c);
	free(g->s_best);
	memset(g, 0, sizeof *g);
}

static int reserve_vertices(lin_graph *g, int64_t need)
{
	int64_t cap;
	int rc;
	if (need <= g->cap_v)
		return 0;
	if (need > MAX_ITEMS)
		return lin_error_set(LINEAGE_ELIMIT, "the graph has more than %d assets, the engine's limit", INT32_MAX - 1);
	cap = next_cap(g->cap_v, need);
	if (cap > MAX_ITEMS)
		cap = MAX_ITEMS;
	if ((rc = grow(&g->v_id, sizeof *g->v_id, g->cap_v, cap, 0)) ||
	    (rc = grow(&g->v_key, sizeof *g->v_key, g->cap_v, cap, 0)) ||
	    (rc = grow(&g->v_hash, sizeof *g->v_hash, g->cap_v, cap, 0)) ||
	    (rc = grow(&g->v_kind, sizeof *g->v_kind, g->cap_v, cap, 0)) ||
	    (rc = grow(&g->v_alive, sizeof *g->v_alive, g->cap_v, cap, 0)) ||
	    (rc = grow(&g->v_parent, sizeof *g->v_parent, g->cap_v, cap, -1)) ||
	    (rc = grow(&g->v_first_child, sizeof *g->v_first_child, g->cap_v, cap, -1)) ||
	    (rc = grow(&g->v_next_sib, sizeof *g->v_next_sib, g->cap_v, cap, -1)) ||
	    (rc = grow(&g->ov_out_head, sizeof *g->ov_out_head, g->cap_v, cap, -1)) ||
	    (rc = grow(&g->ov_in_head, sizeof *g->ov_in_head, g->cap_v, cap, -1)) ||
	    (rc = grow(&g->mark, sizeof *g->mark, g->cap_v, cap, 0)) ||
	    (rc = grow(&g->s_a, sizeof *g->s_a, g->cap_v, cap, 0)) ||
	    (rc = grow(&g->s_b, sizeof *g->s_b, g->cap_v, cap, 0)) ||
	    (rc = grow(&g->s_c, sizeof *g->s_c, g->cap_v, cap, 0)) ||
	    (rc = grow(&g->s_best, sizeof *g->s_best, g->cap_v, cap, 0)))
		return rc;
	g->cap_v = (int32_t)cap;
	return 0;
}

static int reserve_edges(lin_graph *g, int64_t need)
{
	int64_t cap;
	int rc;
	if (need <= g->cap_e)
		return 0;
	if (need > MAX_ITEMS)
		return lin_error_set(LINEAGE_ELIMIT, "the graph has more than %d edges, the engine's limit", INT32_MAX - 1);
	cap = next_cap(g->cap_e, need);
	if (cap > MAX_ITEMS)
		cap = MAX_ITEMS;
	if ((rc = grow(&g->e_id, sizeof *g->e_id, g->cap_e, cap, 0)) ||
	    (rc = grow(&g->e_src, sizeof *g->e_src, g->cap_e, cap, 0)) ||
	    (rc = grow(&g->e_dst, sizeof *g->e_dst, g->cap_e, cap, 0)) ||
	    (rc = grow(&g->e_attr, sizeof *g->e_attr, g->cap_e, cap, 0)))
		return rc;
	g->cap_e = (int32_t)cap;
	return 0;
}

/* Make a dense id map cover `id`. */
static int reserve_map(int32_t **map, int64_t *cap, int64_t id, int64_t count, const char *what)
{
	int64_t ncap;
	if (id < *cap)
		return 0;
	if (id < 0 || id > MAX_ITEMS || id > 4 * count + DENSE_SLACK)
		return lin_error_set(LINEAGE_ELIMIT, "%s id %lld is too large for the engine's dense id map (%lld %ss): compact the database ids (VACUUM does not renumber; export and import instead)",
				     what, (long long)id, (long long)count, what);
	ncap = next_cap(*cap, id + 1);
	if (ncap > MAX_ITEMS + 1)
		ncap = MAX_ITEMS + 1;
	if (grow(map, sizeof **map, *cap, ncap, -1))
		return LINEAGE_ENOMEM;
	*cap = ncap;
	return 0;
}

int lin_graph_reserve(lin_graph *g, int64_t nv, int64_t max_vid, int64_t ne, int64_t max_eid)
{
	int rc;
	lin_graph_detach(g);
	if ((rc = reserve_vertices(g, nv)) || (rc = reserve_edges(g, ne)))
		return rc;
	if (max_vid > 0 && (rc = reserve_map(&g->id2v, &g->id2v_cap, max_vid, nv, "asset")))
		return rc;
	if (max_eid > 0 && (rc = reserve_map(&g->eid2s, &g->eid2s_cap, max_eid, ne, "edge")))
		return rc;
	return 0;
}

/* ---- kinds ---- */

/* Keys and kind names, eight bytes at a time (an engine build hashes a million keys; a
 * byte-at-a-time hash was half of the final compaction). Only in memory. */
static uint32_t str_hash(const char *s)
{
	size_t n = strlen(s);
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
	for (;;) {
		uint64_t w = 0;
		size_t k = n < 8 ? n : 8;
		memcpy(&w, s, k);
		h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
		h ^= h >> 31;
		if (n <= 8)
			break;
		s += 8;
		n -= 8;
	}
	h *= 0x94D049BB133111EBULL;
	h ^= h >> 32;
	return (uint32_t)h;
}

static void kind_hash_insert(lin_graph *g, int32_t id)
{
	uint32_t mask = g->kind_hash_cap - 1, i = str_hash(g->kind_name[id]) & mask;
	while (g->kind_hash[i])
		i = (i + 1) & mask;
	g->kind_hash[i] = (uint32_t)id + 1;
}

int32_t lin_graph_kind(lin_graph *g, const char *name, int create)
{
	int32_t id;
	/* scans repeat the same kind row after row: compare before hashing */
	if (g->last_kind > 0 && strcmp(g->kind_name[g->last_kind - 1], name) == 0)
		return g->last_kind - 1;
	if (g->kind_hash_cap) {
		uint32_t mask = g->kind_hash_cap - 1, i = str_hash(name) & mask;
		while (g->kind_hash[i]) {
			id = (int32_t)g->kind_hash[i] - 1;
			if (strcmp(g->kind_name[id], name) == 0) {
				g->last_kind = id + 1;
				return id;
			}
			i = (i + 1) & mask;
		}
	}
	if (!create)
		return LIN_NONE;
	if (g->n_kinds >= UINT16_MAX) {
		lin_error_set(LINEAGE_ELIMIT, "more than %d distinct asset and edge kinds: use fewer kinds", UINT16_MAX);
		return LIN_NONE;
	}
	if (g->n_kinds == g->cap_kinds) {
		int32_t cap = g->cap_kinds ? g->cap_kinds * 2 : 32;
		const char **names = realloc(g->kind_name, (size_t)cap * sizeof *names);
		if (!names) {
			lin_error_oom();
			return LIN_NONE;
		}
		g->kind_name = names;
		g->cap_kinds = cap;
	}
	if ((uint32_t)(g->n_kinds + 1) * 2 > g->kind_hash_cap) {
		uint32_t cap = g->kind_hash_cap ? g->kind_hash_cap * 2 : 64;
		uint32_t *h = calloc(cap, sizeof *h);
		if (!h) {
			lin_error_oom();
			return LIN_NONE;
		}
		free(g->kind_hash);
		g->kind_hash = h;
		g->kind_hash_cap = cap;
		for (int32_t k = 0; k < g->n_kinds; k++)
			kind_hash_insert(g, k);
	}
	id = g->n_kinds;
	g->kind_name[id] = lin_pool_add(g->pool, name, strlen(name));
	if (!g->kind_name[id])
		return LIN_NONE;
	g->n_kinds++;
	kind_hash_insert(g, id);
	if (strcmp(name, "column") == 0)
		g->column_kind = id;
	return id;
}

/* ---- keys ---- */

static void khash_place(lin_graph *g, int32_t v, uint32_t h)
{
	uint32_t mask = g->khash_cap - 1, i = h & mask;
	while (g->khash[i].v != LIN_NONE) {
		int32_t o = g->khash[i].v;
		if (o == v || (g->khash[i].h == h && strcmp(g->v_key[o], g->v_key[v]) == 0)) {
			g->khash[i].v = v; /* the same key: the newer vertex wins */
			return;
		}
		i = (i + 1) & mask;
	}
	g->khash[i].v = v;
	g->khash[i].h = h;
	g->khash_used++;
}

/* Room for `n` live keys at a load under 1/2. */
static int khash_resize(lin_graph *g, int64_t n)
{
	uint64_t want = ((uint64_t)n + 1) * 2;
	uint32_t cap = 1024, old_cap = g->khash_cap;
	struct lin_khash_cell *old = g->khash, *h;
	while (cap < want && cap < ((uint32_t)1 << 31))
		cap *= 2;
	if (cap <= old_cap && g->khash_used * 2 < old_cap)
		return 0;
	h = malloc((size_t)cap * sizeof *h);
	if (!h)
		return lin_error_oom();
	for (uint32_t i = 0; i < cap; i++)
		h[i].v = LIN_NONE;
	g->khash = h;
	g->khash_cap = cap;
	g->khash_used = 0;
	/* stale cells (dead vertices) are dropped on the way */
	for (uint32_t i = 0; i < old_cap; i++)
		if (old[i].v != LIN_NONE && g->v_alive[old[i].v])
			khash_place(g, old[i].v, old[i].h);
	free(old);
	return 0;
}

static int khash_insert(lin_graph *g, int32_t v)
{
	int rc;
	if ((g->khash_used + 1) * 2 > g->khash_cap &&
	    (rc = khash_resize(g, (int64_t)g->n_alive_v * 2 + 1)))
		return rc;
	khash_place(g, v, g->v_hash[v]);
	return 0;
}

/*
 * Index every key at once (end of a build): inserting in the order of the cells they hash
 * to turns a million cache misses into a sequential sweep of the table.
 */
static int khash_bulk(lin_graph *g)
{
	uint64_t want = ((uint64_t)g->n_alive_v + 1) * 2;
	uint32_t cap = 1024, *start = NULL, *hv = NULL;
	int32_t *order = NULL;
	int rc = 0;
	while (cap < want && cap < ((uint32_t)1 << 31))
		cap *= 2;
	free(g->khash);
	g->khash = malloc((size_t)cap * sizeof *g->khash);
	start = calloc((size_t)cap + 1, sizeof *start);
	hv = malloc((size_t)(g->nv ? g->nv : 1) * sizeof *hv);
	order = malloc((size_t)(g->nv ? g->nv : 1) * sizeof *order);
	g->khash_cap = g->khash ? cap : 0;
	g->khash_used = 0;
	if (!g->khash || !start || !hv || !order) {
		rc = lin_error_oom();
		goto done;
	}
	for (uint32_t i = 0; i < cap; i++)
		g->khash[i].v = LIN_NONE;
	for (int32_t v = 0; v < g->nv; v++) {
		if (!g->v_alive[v])
			continue;
		hv[v] = g->v_hash[v];
		start[(hv[v] & (cap - 1)) + 1]++;
	}
	for (uint32_t i = 0; i < cap; i++)
		start[i + 1] += start[i];
	for (int32_t v = 0; v < g->nv; v++)
		if (g->v_alive[v])
			order[start[hv[v] & (cap - 1)]++] = v;
	for (int32_t k = 0; k < g->n_alive_v; k++)
		khash_place(g, order[k], hv[order[k]]);
done:
	free(start);
	free(hv);
	free(order);
	return rc;
}

int32_t lin_graph_vertex_by_key(const lin_graph *g, const char *key)
{
	uint32_t mask, i, h;
	if (!g->khash_cap)
		return LIN_NONE;
	mask = g->khash_cap - 1;
	h = str_hash(key);
	for (i = h & mask; g->khash[i].v != LIN_NONE; i = (i + 1) & mask) {
		int32_t v = g->khash[i].v;
		if (g->khash[i].h == h && g->v_alive[v] && strcmp(g->v_key[v], key) == 0)
			return v;
	}
	return LIN_NONE;
}

int32_t lin_graph_vertex_by_id(const lin_graph *g, int64_t id)
{
	int32_t v;
	if (id < 0 || id >= g->id2v_cap)
		return LIN_NONE;
	v = g->id2v[id];
	return v != LIN_NONE && g->v_alive[v] ? v : LIN_NONE;
}

/* ---- containment ---- */

static void unlink_child(lin_graph *g, int32_t v)
{
	int32_t p = g->v_parent[v], *link;
	if (p == LIN_NONE)
		return;
	for (link = &g->v_first_child[p]; *link != LIN_NONE; link = &g->v_next_sib[*link]) {
		if (*link == v) {
			*link = g->v_next_sib[v];
			break;
		}
	}
	g->v_parent[v] = LIN_NONE;
	g->v_next_sib[v] = LIN_NONE;
}

int lin_graph_set_parent(lin_graph *g, int64_t id, int64_t parent_id)
{
	int32_t v = lin_graph_vertex_by_id(g, id);
	int32_t p = parent_id > 0 ? lin_graph_vertex_by_id(g, parent_id) : LIN_NONE;
	if (v == LIN_NONE || g->v_parent[v] == p)
		return 0;
	/* Refuse a containment cycle (the store forbids it; keep the engine safe anyway). */
	for (int32_t a = p; a != LIN_NONE; a = g->v_parent[a])
		if (a == v)
			return 0;
	lin_graph_detach(g);
	unlink_child(g, v);
	if (p != LIN_NONE) {
		g->v_parent[v] = p;
		g->v_next_sib[v] = g->v_first_child[p];
		g->v_first_child[p] = v;
	}
	g->version++;
	return 0;
}

/* ---- vertices ---- */

int32_t lin_graph_put_vertex(lin_graph *g, int64_t id, const char *key, const char *kind)
{
	int32_t v, k;
	int rc;
	lin_graph_detach(g);
	if ((rc = reserve_map(&g->id2v, &g->id2v_cap, id, g->nv, "asset")))
		return rc;
	k = lin_graph_kind(g, kind, 1);
	if (k == LIN_NONE)
		return lin_error_code();
	v = g->id2v[id];
	if (v != LIN_NONE) {
		int rekey = !g->v_alive[v] || strcmp(g->v_key[v], key) != 0;
		if (!g->v_alive[v]) {
			g->v_alive[v] = 1;
			g->n_alive_v++;
		}
		if (rekey) {
			g->v_key[v] = lin_pool_add(g->pool, key, strlen(key));
			if (!g->v_key[v])
				return LINEAGE_ENOMEM;
			g->v_hash[v] = str_hash(key);
			if (!g->building && (rc = khash_insert(g, v)))
				return rc;
		}
		if (g->v_kind[v] != (uint16_t)k || rekey)
			g->version++;
		g->v_kind[v] = (uint16_t)k;
		return v;
	}
	if ((rc = reserve_vertices(g, (int64_t)g->nv + 1)))
		return rc;
	v = g->nv;
	g->v_id[v] = id;
	g->v_key[v] = lin_pool_add(g->pool, key, strlen(key));
	if (!g->v_key[v])
		return LINEAGE_ENOMEM;
	g->v_hash[v] = str_hash(key); /* while the key is in the cache: the index is built later */
	g->v_kind[v] = (uint16_t)k;
	g->v_alive[v] = 1;
	g->v_parent[v] = g->v_first_child[v] = g->v_next_sib[v] = LIN_NONE;
	g->ov_out_head[v] = g->ov_in_head[v] = LIN_NONE;
	g->nv++;
	g->n_alive_v++;
	g->id2v[id] = v;
	if (!g->building && (rc = khash_insert(g, v)))
		return rc;
	g->version++;
	return v;
}

static void kill_slot(lin_graph *g, int32_t s)
{
	if (!g->e_attr[s].alive)
		return;
	g->e_attr[s].alive = 0;
	g->n_alive_e--;
	g->n_dead_slots++;
	g->version++;
}

void lin_graph_remove_vertex(lin_graph *g, int64_t id)
{
	int32_t v = lin_graph_vertex_by_id(g, id), c, s;
	lin_adj it;
	if (v == LIN_NONE)
		return;
	lin_graph_detach(g);
	lin_adj_out(&it, g, v);
	while ((s = lin_adj_next(&it)) != LIN_NONE)
		kill_slot(g, s);
	lin_adj_in(&it, g, v);
	while ((s = lin_adj_next(&it)) != LIN_NONE)
		kill_slot(g, s);
	unlink_child(g, v);
	while ((c = g->v_first_child[v]) != LIN_NONE) {
		g->v_first_child[v] = g->v_next_sib[c];
		g->v_parent[c] = g->v_next_sib[c] = LIN_NONE;
	}
	g->v_alive[v] = 0;
	g->n_alive_v--;
	g->version++;
}

/* ---- edges ---- */

static int ov_link(lin_graph *g, int32_t s)
{
	int32_t i = s - g->csr_ne;
	if (i >= g->ov_cap) {
		int64_t cap = next_cap(g->ov_cap, (int64_t)i + 1);
		int rc;
		if ((rc = grow(&g->ov_next_out, sizeof *g->ov_next_out, g->ov_cap, cap, -1)) ||
		    (rc = grow(&g->ov_next_in, sizeof *g->ov_next_in, g->ov_cap, cap, -1)))
			return rc;
		g->ov_cap = (int32_t)cap;
	}
	g->ov_next_out[i] = g->ov_out_head[g->e_src[s]];
	g->ov_out_head[g->e_src[s]] = s;
	g->ov_next_in[i] = g->ov_in_head[g->e_dst[s]];
	g->ov_in_head[g->e_dst[s]] = s;
	return 0;
}

int lin_graph_put_edge(lin_graph *g, int64_t id, int64_t src_id, int64_t dst_id,
		       const char *kind, int source, double conf, int active)
{
	int32_t u = lin_graph_vertex_by_id(g, src_id), w = lin_graph_vertex_by_id(g, dst_id);
	int32_t s = LIN_NONE, k;
	int rc;
	lin_graph_detach(g);
	if ((rc = reserve_map(&g->eid2s, &g->eid2s_cap, id, g->ne, "edge")))
		return rc;
	s = g->eid2s[id];
	if (u == LIN_NONE || w == LIN_NONE)
		active = 0;
	if (!active) {
		if (s != LIN_NONE)
			kill_slot(g, s);
		return 0;
	}
	k = lin_graph_kind(g, kind, 1);
	if (k == LIN_NONE)
		return lin_error_code();
	if (s != LIN_NONE && (g->e_src[s] != u || g->e_dst[s] != w)) {
		kill_slot(g, s); /* its assets changed: it moves to a new slot */
		s = LIN_NONE;
	}
	if (s == LIN_NONE) {
		if ((rc = reserve_edges(g, (int64_t)g->ne + 1)))
			return rc;
		s = g->ne;
		g->e_id[s] = id;
		g->e_src[s] = u;
		g->e_dst[s] = w;
		g->e_attr[s].alive = 0;
		if (!g->building && s >= g->csr_ne && (rc = ov_link(g, s)))
			return rc;
		g->ne++;
		g->eid2s[id] = s;
	} else if (!g->e_attr[s].alive) {
		g->n_dead_slots--; /* revived in place */
	}
	if (!g->e_attr[s].alive) {
		g->e_attr[s].alive = 1;
		g->n_alive_e++;
	}
	g->e_attr[s].kind = (uint16_t)k;
	g->e_attr[s].source = (uint8_t)source;
	g->e_attr[s].conf = conf;
	g->version++;
	return 0;
}

void lin_graph_remove_edge(lin_graph *g, int64_t id)
{
	if (id >= 0 && id < g->eid2s_cap && g->eid2s[id] != LIN_NONE) {
		lin_graph_detach(g);
		kill_slot(g, g->eid2s[id]);
	}
}

/* ---- compaction ---- */

int32_t lin_graph_overlay_size(const lin_graph *g)
{
	return (g->ne - g->csr_ne) + g->n_dead_slots;
}

int lin_graph_overlay_large(const lin_graph *g)
{
	int64_t ov = lin_graph_overlay_size(g);
	return ov > 4096 && ov * 8 > (int64_t)g->csr_ne;
}

int lin_graph_compact(lin_graph *g)
{
	int64_t n = g->n_alive_e, nv = g->nv, cap = n + n / 8 + 1024;
	int64_t *nid = NULL;
	int32_t *nsrc = NULL, *ndst = NULL, *out_off = NULL, *in_off = NULL, *in_slot = NULL;
	int32_t *in_src = NULL, *pos = NULL;
	lin_edge_attr *nattr = NULL;
	int rc = LINEAGE_ENOMEM;
	lin_graph_detach(g);

	/* Room for the writes to come, so that the next ones need no reallocation. */
	if (cap > MAX_ITEMS)
		cap = MAX_ITEMS;
	nid = malloc((size_t)cap * sizeof *nid);
	nsrc = malloc((size_t)cap * sizeof *nsrc);
	ndst = malloc((size_t)cap * sizeof *ndst);
	nattr = malloc((size_t)cap * sizeof *nattr);
	in_slot = malloc((size_t)(n ? n : 1) * sizeof *in_slot);
	in_src = malloc((size_t)(n ? n : 1) * sizeof *in_src);
	out_off = calloc((size_t)nv + 1, sizeof *out_off);
	in_off = calloc((size_t)nv + 1, sizeof *in_off);
	pos = malloc(((size_t)nv + 1) * sizeof *pos);
	if (!nid || !nsrc || !ndst || !nattr || !in_slot || !in_src || !out_off || !in_off ||
	    !pos) {
		lin_error_oom();
		goto done;
	}
	/* Counting sort of the alive slots by source; slots keep their order per source. */
	for (int32_t s = 0; s < g->ne; s++) {
		if (g->e_attr[s].alive) {
			out_off[g->e_src[s] + 1]++;
			in_off[g->e_dst[s] + 1]++;
		} else if (g->eid2s[g->e_id[s]] == s) {
			g->eid2s[g->e_id[s]] = LIN_NONE;
		}
	}
	for (int64_t v = 0; v < nv; v++) {
		out_off[v + 1] += out_off[v];
		in_off[v + 1] += in_off[v];
	}
	memcpy(pos, out_off, ((size_t)nv + 1) * sizeof *pos);
	for (int32_t s = 0; s < g->ne; s++) {
		int32_t t;
		if (!g->e_attr[s].alive)
			continue;
		t = pos[g->e_src[s]]++;
		nid[t] = g->e_id[s];
		nsrc[t] = g->e_src[s];
		ndst[t] = g->e_dst[s];
		nattr[t] = g->e_attr[s];
		g->eid2s[nid[t]] = t;
	}
	memcpy(pos, in_off, ((size_t)nv + 1) * sizeof *pos);
	for (int32_t t = 0; t < (int32_t)n; t++) {
		in_src[pos[ndst[t]]] = nsrc[t];
		in_slot[pos[ndst[t]]++] = t;
	}

	free(g->e_id);
	free(g->e_src);
	free(g->e_dst);
	free(g->e_attr);
	free(g->out_off);
	free(g->in_off);
	free(g->in_slot);
	free(g->in_src);
	g->e_id = nid;
	g->e_src = nsrc;
	g->e_dst = ndst;
	g->e_attr = nattr;
	g->out_off = out_off;
	g->in_off = in_off;
	g->in_slot = in_slot;
	g->in_src = in_src;
	nid = NULL;
	nsrc = ndst = out_off = in_off = in_slot = in_src = NULL;
	nattr = NULL;
	g->ne = g->csr_ne = (int32_t)n;
	g->cap_e = (int32_t)cap;
	if (g->building && (rc = khash_bulk(g)))
		goto done;
	g->building = 0;
	g->csr_nv = (int32_t)nv;
	g->n_dead_slots = 0;
	for (int32_t v = 0; v < g->cap_v; v++)
		g->ov_out_head[v] = g->ov_in_head[v] = LIN_NONE;
	free(g->ov_next_out);
	free(g->ov_next_in);
	g->ov_next_out = g->ov_next_in = NULL;
	g->ov_cap = 0;
	rc = 0;
done:
	free(nid);
	free(nsrc);
	free(ndst);
	free(nattr);
	free(in_slot);
	free(in_src);
	free(out_off);
	free(in_off);
	free(pos);
	return rc;
}

uint32_t lin_graph_new_gen(lin_graph *g)
{
	if (++g->gen == 0) {
		memset(g->mark, 0, (size_t)g->cap_v * sizeof *g->mark);
		g->gen = 1;
	}
	return g->gen;
}
