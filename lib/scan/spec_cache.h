/*
 * Internal: the asset and edge specs a live ingester wrote lately, by 128-bit hash, so that
 * an event that repeats them (the same datasets, columns and job on every run) skips their
 * upserts. Valid only while nothing else wrote to the store: its owner clears it when the
 * change feed moved without it or a rollback happened (lib/scan/openlineage/ingest.c).
 */
#ifndef LIN_SCAN_SPEC_CACHE_H
#define LIN_SCAN_SPEC_CACHE_H

#include "common/hash128.h"
#include "lineage/lineage.h"

typedef struct lin_spec_cache lin_spec_cache;

lin_spec_cache *lin_spec_cache_new(void); /* NULL when out of memory */
void lin_spec_cache_free(lin_spec_cache *c);
void lin_spec_cache_clear(lin_spec_cache *c);

lin_id lin_spec_cache_asset_id(const lineage_asset_spec *spec);
lin_id lin_spec_cache_edge_id(const lineage_edge_spec *spec);
/* Whether `id` is known; *out_row (may be NULL) receives the row id it was added with. */
int lin_spec_cache_has(const lin_spec_cache *c, lin_id id, int64_t *out_row);
/* Remember `id` and the row it wrote; a full cache starts over (it is only a shortcut). */
void lin_spec_cache_add(lin_spec_cache *c, lin_id id, int64_t row);

#endif
