/*
 * Internal: applying validated rows to the database (the second pass of an import), with the
 * rules that need the database: unknown assets, kinds that contradict it, downgrading an
 * approved edge. Store errors become row errors worded for a person.
 */
#ifndef LIN_IO_APPLY_H
#define LIN_IO_APPLY_H

#include "cycles.h"
#include "validate.h"

typedef struct lin_applier {
	lineage_db *db;
	lin_vctx *v;
	const lineage_import_options *opts;
	const char *origin;     /* replace scope's origin, or NULL */
	lin_idmap ensured;      /* asset keys made sure of in this import (digest: kind hash) */
	int64_t *edge_ids;      /* ids of the edges the file wrote (for the replace scope) */
	size_t nedge_ids, cap_edge_ids;
	uint64_t implicit_assets; /* assets created for references (not asset rows) */
	lin_cycles cycles;      /* for edge kinds that forbid cycles */
} lin_applier;

void lin_applier_init(lin_applier *a, lineage_db *db, lin_vctx *v,
		      const lineage_import_options *opts, const char *origin);
void lin_applier_free(lin_applier *a);

/* Apply one valid row. Returns 0 (applied), 1 (the row turned out invalid: errors recorded
 * in the report and v->msgs), or a negative error that stops the import. */
int lin_apply_row(lin_applier *a, const lin_row *row);

#endif
