/*
 * Internal: the handle behind the public lineage_db, shared by the API glue (lib/api/) and
 * the query layer. Nothing outside lib/ sees it.
 */
#ifndef LIN_API_DB_INTERNAL_H
#define LIN_API_DB_INTERNAL_H

#include <stdint.h>

#include "lineage/lineage.h"
#include "store/store.h"

struct lin_engine;

struct lineage_db {
	char *path;
	lin_store *store;
	struct lin_engine *engine; /* NULL until the first query */
	char *actor;
	unsigned int flags;        /* LINEAGE_OPEN_* */
	int in_tx;                 /* an explicit lineage_db_begin() is open */
	int64_t batch_id;          /* current or last batch */
	int64_t tx_first_seq;      /* first change seq written in the open transaction, or 0 */
	int64_t tx_last_seq;
	lineage_commit_cb commit_cb;
	void *commit_payload;
	int64_t tx_seq_before;     /* last change seq when the open transaction began */
	int call_has_batch;        /* the current single call has created its batch */
	uint64_t rollbacks;        /* transactions rolled back so far (caches of writes check it) */
	/* Set by an internal bulk writer (lib/io's import) inside its open transaction: write
	 * calls then run without their own savepoint. A call that fails after writing rows
	 * cannot be undone alone, so it rolls the whole transaction back (see write.c).
	 * Cleared whenever the transaction ends. */
	int bulk;
	/* Bulk mode: the ids of edges created whose creation is not recorded yet
	 * (lin_write_bulk_flush). */
	int64_t *bulk_ids;
	size_t n_bulk_created, cap_bulk_created;
	/* The declared asset kinds as last read from the store (lib/api/asset_kinds.c). */
	char **asset_kinds;
	size_t n_asset_kinds, cap_asset_kinds;
	int asset_kinds_loaded;
	/* Writers that keep work for the end of a transaction (lin_db_tx_hook_add). */
	struct lin_tx_hook *tx_hooks;
};

/*
 * A writer that defers part of its work to the end of the transaction (the OpenLineage
 * ingester writes a job's state once per transaction): lineage_db_commit() calls flush()
 * inside the transaction before it commits, and fails with its error (the transaction stays
 * open). A rollback does not call it: the writer sees db->rollbacks move and drops its work.
 */
typedef struct lin_tx_hook {
	int (*flush)(void *payload);
	void *payload;
	struct lin_tx_hook *next;
} lin_tx_hook;
void lin_db_tx_hook_add(lineage_db *db, lin_tx_hook *hook);
void lin_db_tx_hook_remove(lineage_db *db, lin_tx_hook *hook);

/*
 * The engine's hooks, called by the write paths in lib/api/ (implemented in lib/engine/):
 *  - after a write through this handle (inside or outside a transaction): the engine will
 *    read the change feed before its next query;
 *  - after a rollback: whatever the engine read during the transaction is undone.
 * Both accept db->engine == NULL.
 */
void lin_engine_note_write(lineage_db *db);
void lin_engine_note_rollback(lineage_db *db, int64_t seq_before_tx);

/* Drop the declared asset kinds read on the handle (after a rollback, and at close). */
void lin_asset_kinds_forget(lineage_db *db);

/* Release the engine (called by lineage_db_close). */
void lin_engine_free(struct lin_engine *engine);

#endif
