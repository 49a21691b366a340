/*
 * liblineage: the audit trail and change feed. Every change to an asset or an edge is a
 * change record with a sequence number that only grows.
 */
#ifndef LINEAGE_AUDIT_H
#define LINEAGE_AUDIT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One change. Allocated by liblineage and read-only (fields may be appended). */
typedef struct lineage_change {
	int64_t seq;              /**< position in the change feed, strictly increasing */
	int64_t at_ms;            /**< Unix time in milliseconds */
	const char *actor;
	const char *action;       /**< "create", "update", "delete", "approve", "reject", "retire" */
	const char *entity;       /**< "asset" or "edge" */
	int64_t entity_id;
	const char *asset_key;    /**< the asset's key, or the edge's source key */
	const char *target_key;   /**< the edge's target key; NULL for assets */
	const char *before_json;  /**< the object before (JSON), NULL on create */
	const char *after_json;   /**< the object after (JSON), NULL on delete; for a creation,
				   rebuilt when read (the state before the object's next
				   change, or the object now) */
	const char *comment;      /**< NULL when none */
	int64_t batch_id;         /**< the transaction (import, scan, call) it belongs to */
} lineage_change;

/** A list of changes. */
typedef struct lineage_change_list lineage_change_list;

LINEAGE_EXTERN size_t lineage_change_list_count(const lineage_change_list *list);
/** The i-th change, borrowed (valid until the list is freed); NULL past the end. */
LINEAGE_EXTERN const lineage_change *lineage_change_list_get(const lineage_change_list *list,
							     size_t i);
/**
 * The list as JSON: {"changes": [{"seq", "at", "actor", "action", "entity", "entity_id",
 * "asset_key", "target_key", "before", "after", "comment", "batch_id"}, ...]}.
 */
LINEAGE_EXTERN int lineage_change_list_to_json(char **out, const lineage_change_list *list);
LINEAGE_EXTERN void lineage_change_list_free(lineage_change_list *list);

/**
 * History of an asset: its own changes and those of every edge that touches it, newest
 * first, at most `limit` (0: 1000). The asset need not exist any more.
 * @return 0; EINVALID.
 */
LINEAGE_EXTERN int lineage_history_asset(lineage_change_list **out, lineage_db *db,
					 const char *key, size_t limit);

/**
 * A page of an asset's history (same order): at most `limit` (0: 1000; at most 100000)
 * changes after the first `offset`, paged in the store. `total` (NULL: not counted) receives
 * how many changes the whole history holds. @return 0; EINVALID.
 */
LINEAGE_EXTERN int lineage_history_asset_page(lineage_change_list **out, size_t *total,
					      lineage_db *db, const char *key, size_t offset,
					      size_t limit);

/** History of one edge, newest first. @return 0 (an empty list for an unknown id). */
LINEAGE_EXTERN int lineage_history_edge(lineage_change_list **out, lineage_db *db, int64_t id,
					size_t limit);

/**
 * The change feed: changes with seq > `since_seq`, oldest first, at most `limit`
 * (0: 1000), from every handle and process writing the file.
 */
LINEAGE_EXTERN int lineage_changes_since(lineage_change_list **out, lineage_db *db,
					 int64_t since_seq, size_t limit);

/** The highest change sequence number written so far (0 for an empty database). */
LINEAGE_EXTERN int lineage_changes_last_seq(int64_t *out, lineage_db *db);

/**
 * Undo a batch (an import, a scan, one call): every change it made is reverted, newest
 * first, as a new batch. Refused with ECONFLICT when a later change touched the same
 * objects. @return 0; ENOTFOUND; ECONFLICT.
 */
LINEAGE_EXTERN int lineage_batch_revert(lineage_db *db, int64_t batch_id);

#ifdef __cplusplus
}
#endif
#endif
