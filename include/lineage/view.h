/*
 * liblineage: saved views (the designs' dashboards). A view is what a lineage page shows,
 * kept under a name in the lineage database so that anyone can reopen it: a root asset,
 * filters (direction, depth, kinds, minimum confidence...), a layout, and the positions a
 * user dragged nodes to. The library stores a view's body as a JSON object and checks the
 * members it knows (below); the page may keep other members, which are stored as given.
 *
 * Known members of a body, each optional:
 *   "root"            string: an asset key (need not exist: a view outlives its assets)
 *   "direction"       "upstream", "downstream" or "both"
 *   "depth"           integer, 0 to 1000
 *   "min_confidence"  number, 0 to 1
 *   "kinds"           array of strings (asset or edge kinds to show)
 *   "layout"          string (a layout's name)
 *   "positions"       object: node key -> {"x": number, "y": number}
 *
 * Names: 1 to LINEAGE_VIEW_NAME_MAX bytes of UTF-8 without control characters or '/', not
 * starting or ending with a space. Views are not part of the graph: saving one is not a
 * change in the audit trail, but it records who saved it (the handle's actor) and when.
 * Thread safety: that of the handle.
 */
#ifndef LINEAGE_VIEW_H
#define LINEAGE_VIEW_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The longest name of a view, in bytes. */
#define LINEAGE_VIEW_NAME_MAX 100
/** The largest body of a view, in bytes of JSON text (about 2,000 positioned nodes). */
#define LINEAGE_VIEW_BODY_MAX (256 * 1024)
/** The most positions one view keeps. */
#define LINEAGE_VIEW_POSITIONS_MAX 5000

/** How lineage_view_save() treats a view of that name. */
typedef enum lineage_view_save_mode {
	LINEAGE_VIEW_UPSERT = 0,  /**< create it, or overwrite the one of that name */
	LINEAGE_VIEW_CREATE = 1,  /**< create it; EEXISTS when the name is taken */
	LINEAGE_VIEW_REPLACE = 2  /**< overwrite it; ENOTFOUND when there is none */
} lineage_view_save_mode;

/**
 * Save view `name` with `body_json` (a JSON object; see above), as `mode` says. The body is
 * stored compact, its keys sorted. Overwriting keeps the view's creation time and author.
 * @return 0; EINVALID (a bad name, a body that is not a JSON object or whose known members
 *         have the wrong type or range, naming the member); ELIMIT (a body larger than
 *         LINEAGE_VIEW_BODY_MAX or with more than LINEAGE_VIEW_POSITIONS_MAX positions);
 *         EEXISTS / ENOTFOUND per `mode`; EREADONLY.
 */
LINEAGE_EXTERN int lineage_view_save(lineage_db *db, const char *name, const char *body_json,
				     lineage_view_save_mode mode);

/**
 * View `name` as JSON: {"name", "root", "view": {the body}, "created_by", "created_at",
 * "updated_by", "updated_at"} (times ISO 8601; root and the authors null when unset).
 * *out is new (lineage_free() it).
 * @return 0; ENOTFOUND (no view of that name); EINVALID (a malformed name).
 */
LINEAGE_EXTERN int lineage_view_get(char **out, lineage_db *db, const char *name);

/**
 * Views by name, `limit` (0: all) from `offset`, as JSON: {"views": [{"name", "root",
 * "created_by", "created_at", "updated_by", "updated_at"}, ...], "total": N} where N counts
 * every view. Bodies are not listed (lineage_view_get() gives one). *out is new.
 */
LINEAGE_EXTERN int lineage_view_list(char **out, lineage_db *db, size_t offset, size_t limit);

/**
 * Rename view `name` to `new_name`; its body and times are kept.
 * @return 0; ENOTFOUND (no view `name`); EEXISTS (`new_name` is taken); EINVALID; EREADONLY.
 */
LINEAGE_EXTERN int lineage_view_rename(lineage_db *db, const char *name, const char *new_name);

/**
 * Delete view `name`.
 * @return 0; ENOTFOUND (no view of that name); EINVALID; EREADONLY.
 */
LINEAGE_EXTERN int lineage_view_delete(lineage_db *db, const char *name);

#ifdef __cplusplus
}
#endif
#endif
