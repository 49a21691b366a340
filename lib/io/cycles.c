/* Cycle checks for edge kinds that forbid cycles (see cycles.h). */
#include "cycles.h"

#include <stdlib.h>
#include <string.h>

#include "api/db_internal.h"
#include "common/error.h"
#include "common/util.h"

void lin_cycles_init(lin_cycles *c, lineage_db *db)
{
	memset(c, 0, sizeof *c);
	c->db = db;
}

void lin_cycles_free(lin_cycles *c)
{
	lin_idmap_free(&c->heads);
	free(c->pool);
	free(c->stack);
	for (size_t i = 0; i < c->nloaded; i++)
		free(c->loaded[i]);
}

static lin_id node_key(const char *kind, int64_t node)
{
	lin_idhash h;
	lin_idhash_init(&h);
	lin_idhash_str(&h, kind);
	lin_idhash_u64(&h, (uint64_t)node);
	return lin_idhash_done(&h);
}

static int add(lin_cycles *c, const char *kind, int64_t from, int64_t to)
{
	lin_id id = node_key(kind, from);
	lin_idmap_entry *e = lin_idmap_find(&c->heads, id);
	int rc;
	if (c->npool == c->cap_pool) {
		size_t cap = c->cap_pool ? c->cap_pool * 2 : 256;
		lin_adj_entry *p = realloc(c->pool, cap * sizeof *p);
		if (!p)
			return lin_error_oom();
		c->pool = p;
		c->cap_pool = cap;
	}
	c->pool[c->npool].to = to;
	c->pool[c->npool].next = e ? (size_t)e->row : 0;
	c->npool++;
	if (e) {
		e->row = c->npool;
		return 0;
	}
	if ((rc = lin_idmap_put(&c->heads, id, c->npool, 0)) != 0)
		return rc;
	/* Targets get an entry too, so that they can carry visit marks. */
	if (!lin_idmap_find(&c->heads, node_key(kind, to)))
		return lin_idmap_put(&c->heads, node_key(kind, to), 0, 0);
	return 0;
}

typedef struct load {
	lin_cycles *c;
	const char *kind;
} load;

static int load_edge(const lin_edge_row *row, void *payload)
{
	load *l = payload;
	if (row->status != LINEAGE_EDGE_ACTIVE || strcmp(row->kind, l->kind) != 0)
		return 0;
	return add(l->c, l->kind, row->source_id, row->target_id);
}

static int ensure_loaded(lin_cycles *c, const char *kind)
{
	load l = {c, kind};
	for (size_t i = 0; i < c->nloaded; i++)
		if (!strcmp(c->loaded[i], kind))
			return 0;
	if (c->nloaded == sizeof c->loaded / sizeof c->loaded[0])
		return lin_error_set(LINEAGE_ELIMIT, "more than %zu edge kinds that forbid cycles in "
				     "one import: split the file by kind", sizeof c->loaded / sizeof c->loaded[0]);
	if (!(c->loaded[c->nloaded] = lin_strdup(kind)))
		return LINEAGE_ENOMEM;
	c->nloaded++;
	return lin_store_scan_edges(c->db->store, load_edge, &l);
}

int lin_cycles_check(lin_cycles *c, const char *kind, int64_t source_id, int64_t target_id,
		     int *closes)
{
	size_t top = 0;
	int rc;
	*closes = 0;
	if ((rc = ensure_loaded(c, kind)) != 0)
		return rc;
	if (source_id == target_id)
		return 0; /* self-loops have their own rule */
	c->generation++;
	/* Depth-first search from the target: reaching the source means a cycle. */
	if (!c->cap_stack) {
		c->cap_stack = 256;
		if (!(c->stack = malloc(c->cap_stack * sizeof *c->stack)))
			return lin_error_oom();
	}
	c->stack[top++] = target_id;
	while (top) {
		int64_t n = c->stack[--top];
		lin_idmap_entry *e = lin_idmap_find(&c->heads, node_key(kind, n));
		if (n == source_id) {
			*closes = 1;
			return 0;
		}
		if (!e || e->digest == c->generation)
			continue;
		e->digest = c->generation;
		for (size_t i = (size_t)e->row; i; i = c->pool[i - 1].next) {
			if (top == c->cap_stack) {
				int64_t *p = realloc(c->stack, 2 * c->cap_stack * sizeof *p);
				if (!p)
					return lin_error_oom();
				c->stack = p;
				c->cap_stack *= 2;
			}
			c->stack[top++] = c->pool[i - 1].to;
		}
	}
	return 0;
}

int lin_cycles_add(lin_cycles *c, const char *kind, int64_t source_id, int64_t target_id)
{
	return add(c, kind, source_id, target_id);
}
