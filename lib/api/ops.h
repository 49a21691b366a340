/* Internal to lib/api/: write operations shared by several public functions. Each runs
 * inside a caller's lin_write scope and records its changes. */
#ifndef LIN_API_OPS_H
#define LIN_API_OPS_H

#include "write.h"

/* The id of asset `key`, created with `kind` ("unknown" for NULL) when missing. An existing
 * asset of kind "unknown" takes `kind` when one is given. */
int lin_asset_ensure(lineage_db *db, lin_write *w, const char *key, const char *kind,
		     int64_t *out_id);

/* Remove one asset (which must contain no other) and its edges. */
int lin_asset_remove_one(lineage_db *db, lin_write *w, int64_t id);

/* Delete one edge, recording it. ENOTFOUND when it does not exist. */
int lin_edge_remove_one(lineage_db *db, lin_write *w, int64_t id);

/* The JSON of a stored row, new (lineage_free). */
int lin_asset_rec_json(const lin_asset_rec *rec, char **out);
int lin_edge_rec_json(const lin_edge_rec *rec, char **out);

/* The name an asset gets when none is given: the key's last dot-separated segment. */
const char *lin_default_name(const char *key);

#endif
