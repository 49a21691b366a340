/* Internal to lib/api/: write operations shared by several public functions. Each runs
 * inside a caller's lin_write scope and records its changes. */
#ifndef LIN_API_OPS_H
#define LIN_API_OPS_H

#include "write.h"

/* The id of asset `key`, created with `kind` ("unknown" for NULL) when missing. An existing
 * asset of kind "unknown" takes `kind` when one is given. */
int lin_asset_ensure(lineage_db *db, lin_write *w, const char *key, const char *kind,
		     int64_t *out_id);

/* 0 when `kind` (a valid name) is a built-in or declared asset kind; else EINVALID with the
 * closest known kind (lib/api/asset_kinds.c). */
int lin_asset_kind_check(lineage_db *db, const char *kind);

/* An audited update of an asset's status and whole properties (JSON text the caller made
 * from the stored ones, `rec` as the store read it): no RFC 7396 merge, for a writer that
 * updates the same asset often (OpenLineage job states, lib/scan/openlineage/runs.c).
 * Its own write scope. *out_outcome UPDATED, or UNCHANGED when both were as given; once
 * written, `rec` holds what the store holds (so that a caller may keep it for the next). */
struct lin_asset_rec;
int lin_asset_set_state(lineage_outcome *out_outcome, lineage_db *db, struct lin_asset_rec *rec,
			const char *status, const char *properties_json);

/* Remove one asset (which must contain no other) and its edges. */
int lin_asset_remove_one(lineage_db *db, lin_write *w, int64_t id);

/* What lineage_edge_upsert() does, with the rules of a bulk import: with refuse_downgrade,
 * a row that gives a source other than approved for an approved edge is refused
 * (ECONFLICT, and `refused` is set) instead of keeping the edge approved; with trusted,
 * the keys' and names' checks are skipped (the import made the same ones). */
typedef struct lin_edge_rules {
	int refuse_downgrade;
	int trusted; /* the keys and kind names were checked already (by the import) */
	int refused;
} lin_edge_rules;
int lin_edge_upsert(lineage_outcome *out_outcome, int64_t *out_id, lineage_db *db,
		    const lineage_edge_spec *spec, lin_edge_rules *rules);

/* Delete one edge, recording it. ENOTFOUND when it does not exist. */
int lin_edge_remove_one(lineage_db *db, lin_write *w, int64_t id);

/* The JSON of a stored row, new (lineage_free). */
int lin_asset_rec_json(const lin_asset_rec *rec, char **out);
int lin_edge_rec_json(const lin_edge_rec *rec, char **out);

/* The name an asset gets when none is given: the key's last dot-separated segment. */
const char *lin_default_name(const char *key);

#endif
