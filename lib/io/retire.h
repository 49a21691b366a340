/*
 * Internal: the replace scope of an import. After the file's edges are written with origin
 * "import:<scope>", every other active edge of that origin is retired — manual and inferred
 * alike (lineage_edge_retire_origin() retires only inferred edges, as scanners need) — except
 * approved ones, which a reviewer vouched for: they are kept, with a warning.
 */
#ifndef LIN_IO_RETIRE_H
#define LIN_IO_RETIRE_H

#include "validate.h"

/* `keep` holds the ids the file wrote (any order). Retired edges become report items.
 * Returns 0 or an error. */
int lin_retire_scope(lineage_db *db, lin_vctx *v, const char *origin, int64_t *keep,
		     size_t keep_count);

#endif
