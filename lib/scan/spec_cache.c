/* A fixed-size open-addressing set of spec hashes (see spec_cache.h). */
#include "spec_cache.h"

#include <stdlib.h>
#include <string.h>

#define SLOTS (1u << 16) /* a few hundred jobs' datasets, columns and edges */
#define MAX_USED (SLOTS / 4 * 3)

struct lin_spec_cache {
	lin_id slot[SLOTS]; /* {0, 0}: empty (lin_idhash_done never gives it) */
	int64_t row[SLOTS];
	size_t used;
};

lin_spec_cache *lin_spec_cache_new(void)
{
	return calloc(1, sizeof(lin_spec_cache));
}

void lin_spec_cache_free(lin_spec_cache *c)
{
	free(c);
}

void lin_spec_cache_clear(lin_spec_cache *c)
{
	if (c && c->used) {
		memset(c->slot, 0, sizeof c->slot);
		c->used = 0;
	}
}

static void put_double(lin_idhash *h, double v)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	lin_idhash_u64(h, bits);
}

lin_id lin_spec_cache_asset_id(const lineage_asset_spec *s)
{
	lin_idhash h;
	lin_idhash_init(&h);
	lin_idhash_str(&h, "asset");
	lin_idhash_str(&h, s->key);
	lin_idhash_str(&h, s->kind);
	lin_idhash_str(&h, s->name);
	lin_idhash_str(&h, s->parent_key);
	lin_idhash_str(&h, s->owner);
	lin_idhash_str(&h, s->description);
	lin_idhash_str(&h, s->status);
	lin_idhash_u64(&h, (uint64_t)s->tags_set);
	for (size_t i = 0; s->tags_set && i < s->tag_count; i++)
		lin_idhash_str(&h, s->tags[i]);
	lin_idhash_str(&h, s->properties_json);
	lin_idhash_u64(&h, (uint64_t)s->create_missing);
	return lin_idhash_done(&h);
}

lin_id lin_spec_cache_edge_id(const lineage_edge_spec *s)
{
	lin_idhash h;
	lin_idhash_init(&h);
	lin_idhash_str(&h, "edge");
	lin_idhash_str(&h, s->source_key);
	lin_idhash_str(&h, s->target_key);
	lin_idhash_str(&h, s->kind);
	lin_idhash_str(&h, s->job_key);
	lin_idhash_u64(&h, (uint64_t)s->lineage_source);
	put_double(&h, s->confidence);
	lin_idhash_str(&h, s->transformation_type);
	lin_idhash_str(&h, s->transformation);
	lin_idhash_str(&h, s->description);
	lin_idhash_str(&h, s->properties_json);
	lin_idhash_str(&h, s->evidence_json);
	lin_idhash_str(&h, s->origin);
	lin_idhash_u64(&h, (uint64_t)s->create_missing);
	lin_idhash_str(&h, s->source_kind);
	lin_idhash_str(&h, s->target_kind);
	return lin_idhash_done(&h);
}

static size_t find(const lin_spec_cache *c, lin_id id)
{
	size_t i = (size_t)(id.a & (SLOTS - 1));
	while ((c->slot[i].a || c->slot[i].b) && (c->slot[i].a != id.a || c->slot[i].b != id.b))
		i = (i + 1) & (SLOTS - 1);
	return i;
}

int lin_spec_cache_has(const lin_spec_cache *c, lin_id id, int64_t *out_row)
{
	size_t i = find(c, id);
	if (c->slot[i].a != id.a || c->slot[i].b != id.b)
		return 0;
	if (out_row)
		*out_row = c->row[i];
	return 1;
}

void lin_spec_cache_add(lin_spec_cache *c, lin_id id, int64_t row)
{
	size_t i;
	if (c->used >= MAX_USED)
		lin_spec_cache_clear(c);
	i = find(c, id);
	if (c->slot[i].a != id.a || c->slot[i].b != id.b) {
		c->slot[i] = id;
		c->used++;
	}
	c->row[i] = row;
}
