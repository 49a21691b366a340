/*
 * liblineage: edges — data flowing from a source asset to a target asset — with their
 * lineage source, confidence and review.
 *
 * An edge is identified by (source, target, kind, job): adding the same four again updates
 * that edge. Merge rules, which scanners and imports rely on:
 *  - inferred input never downgrades a manual or approved edge and never changes it;
 *  - inferred input on a rejected edge leaves it rejected;
 *  - inferred input on a retired edge brings it back (its origin reports it again);
 *  - manual input on an approved edge keeps it approved and updates the other fields;
 *  - manual or approved input on a rejected or retired edge makes it active again.
 */
#ifndef LINEAGE_EDGE_H
#define LINEAGE_EDGE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The default edge kind. */
#define LINEAGE_EDGE_KIND_DEFAULT "flow"

/** A stored edge. Allocated by liblineage and read-only (fields may be appended). */
typedef struct lineage_edge {
	int64_t id;
	const char *source_key;
	const char *target_key;
	const char *kind;
	const char *job_key;              /**< the job that moves the data, or NULL */
	lineage_source lineage_source;
	double confidence;                /**< 0..1 */
	lineage_edge_status status;
	const char *transformation_type;  /**< NULL when not set ("copy", "aggregate", ...) */
	const char *transformation;       /**< the logic (e.g. SQL), NULL when not set */
	const char *description;          /**< NULL when not set */
	const char *properties_json;      /**< a JSON object, "{}" when empty */
	const char *evidence_json;        /**< where it was found ({"file","line",...}) or NULL */
	const char *origin;               /**< who reports it ("scan:sql:etl/load.sql"), or NULL */
	const char *content_hash;         /**< hex digest of the descriptive fields */
	const char *reviewed_by;          /**< who approved or rejected it, or NULL */
	const char *review_comment;       /**< NULL when none */
	int64_t reviewed_at_ms;           /**< 0 when never reviewed */
	int64_t created_at_ms;
	int64_t updated_at_ms;
} lineage_edge;

#define LINEAGE_EDGE_SPEC_VERSION 1

/** Input of lineage_edge_upsert(). Fill with lineage_edge_spec_init(). */
typedef struct lineage_edge_spec {
	unsigned int version;            /**< LINEAGE_EDGE_SPEC_VERSION */
	const char *source_key;          /**< required */
	const char *target_key;          /**< required */
	const char *kind;                /**< NULL: LINEAGE_EDGE_KIND_DEFAULT */
	const char *job_key;             /**< NULL: no job */
	lineage_source lineage_source;   /**< ANY (0) means MANUAL */
	double confidence;               /**< 0..1; negative: default (1 for manual and approved,
					      0.5 for inferred) */
	const char *transformation_type;
	const char *transformation;
	const char *description;
	const char *properties_json;     /**< a JSON object (replaces the stored one) */
	const char *evidence_json;       /**< any JSON value */
	const char *origin;
	int create_missing;              /**< create missing source, target and job assets */
	const char *source_kind;         /**< kinds for created assets ("unknown" when NULL) */
	const char *target_kind;
} lineage_edge_spec;

/** Fill `spec` with defaults. @return 0, or EINVALID for an unknown version. */
LINEAGE_EXTERN int lineage_edge_spec_init(lineage_edge_spec *spec, unsigned int version);

/**
 * Add an edge, or merge into the stored one with the same identity (see the rules above).
 * @param out_outcome may be NULL; CREATED, UPDATED or UNCHANGED
 * @param out_id      may be NULL; the edge's id
 * @return 0; ENOTFOUND (an asset is missing and create_missing is not set: the message names
 *         it); EINVALID (confidence outside 0..1, bad key, a self-loop whose kind does not
 *         allow one, properties not a JSON object); EREADONLY; EFULL; EBUSY.
 */
LINEAGE_EXTERN int lineage_edge_upsert(lineage_outcome *out_outcome, int64_t *out_id,
				       lineage_db *db, const lineage_edge_spec *spec);

/** Read an edge by id. Free with lineage_edge_free(). @return 0; ENOTFOUND. */
LINEAGE_EXTERN int lineage_edge_get(lineage_edge **out, lineage_db *db, int64_t id);

/**
 * Find the edge with this identity. `kind` NULL means the default kind, `job_key` NULL means
 * no job. @return 0; ENOTFOUND.
 */
LINEAGE_EXTERN int lineage_edge_find(lineage_edge **out, lineage_db *db, const char *source_key,
				     const char *target_key, const char *kind,
				     const char *job_key);

/** Release an edge. NULL is a no-op. */
LINEAGE_EXTERN void lineage_edge_free(lineage_edge *edge);

/** Delete an edge (recorded in the audit trail). @return 0; ENOTFOUND. */
LINEAGE_EXTERN int lineage_edge_remove(lineage_db *db, int64_t id);

/**
 * Approve an edge: it becomes LINEAGE_SOURCE_APPROVED and active, with confidence 1.
 * @param actor   who approves (required)
 * @param comment why (may be NULL)
 * @return 0; ENOTFOUND; EINVALID (no actor).
 */
LINEAGE_EXTERN int lineage_edge_approve(lineage_db *db, int64_t id, const char *actor,
					const char *comment);

/**
 * Reject an edge: it becomes LINEAGE_EDGE_REJECTED, leaves every query, and stays rejected
 * when it is inferred again. Manual input, or lineage_edge_approve(), makes it active again.
 * @return 0; ENOTFOUND; EINVALID (no actor).
 */
LINEAGE_EXTERN int lineage_edge_reject(lineage_db *db, int64_t id, const char *actor,
				       const char *comment);

/**
 * Retire the active inferred edges reported by `origin` that a new run of that origin did not
 * report again: every such edge whose id is not in `keep_ids` becomes LINEAGE_EDGE_RETIRED
 * (recorded in the audit trail as "retire"). A re-scan or a replace import upserts what it
 * found, collects the ids it got back (found again unchanged included), then calls this.
 * Manual, approved, rejected and already retired edges are never touched.
 * @param out_count may be NULL; how many edges were retired
 * @param keep_ids  ids to keep (any order; may be NULL when keep_count is 0)
 * @return 0; EINVALID (origin missing).
 */
LINEAGE_EXTERN int lineage_edge_retire_origin(size_t *out_count, lineage_db *db,
					      const char *origin, const int64_t *keep_ids,
					      size_t keep_count);

/**
 * The edge as a JSON object: {"id", "source", "target", "kind", "job", "lineage_source",
 * "confidence", "status", "transformation_type", "transformation", "description",
 * "properties", "evidence", "origin", "content_hash", "reviewed_by", "review_comment",
 * "reviewed_at", "created_at", "updated_at"}. Release with lineage_free().
 */
LINEAGE_EXTERN int lineage_edge_to_json(char **out, const lineage_edge *edge);

/** A list of edges. */
typedef struct lineage_edge_list lineage_edge_list;

LINEAGE_EXTERN size_t lineage_edge_list_count(const lineage_edge_list *list);
/** The i-th edge, borrowed (valid until the list is freed); NULL past the end. */
LINEAGE_EXTERN const lineage_edge *lineage_edge_list_get(const lineage_edge_list *list,
							 size_t i);
/** The list as JSON: {"edges": [edge, ...]}. Release with lineage_free(). */
LINEAGE_EXTERN int lineage_edge_list_to_json(char **out, const lineage_edge_list *list);
LINEAGE_EXTERN void lineage_edge_list_free(lineage_edge_list *list);

/** Which edges lineage_edge_list_for_asset() returns. */
#define LINEAGE_EDGES_IN 0x1u        /**< edges whose target is the asset */
#define LINEAGE_EDGES_OUT 0x2u       /**< edges whose source is the asset */
#define LINEAGE_EDGES_ALL_STATUS 0x4u/**< also rejected and retired edges */

/**
 * The edges touching an asset (in, out or both), ordered by id. Only active edges unless
 * LINEAGE_EDGES_ALL_STATUS. @return 0; ENOTFOUND.
 */
LINEAGE_EXTERN int lineage_edge_list_for_asset(lineage_edge_list **out, lineage_db *db,
					       const char *key, unsigned int flags);

/**
 * Edges waiting for review: active inferred edges, lowest confidence first, at most `limit`
 * (0: 1000). @return 0.
 */
LINEAGE_EXTERN int lineage_edge_list_pending(lineage_edge_list **out, lineage_db *db,
					     size_t limit);

/**
 * A page of the edges waiting for review (same order): at most `limit` (0: 1000) after the
 * first `offset`, paged in the store (a service's list reads only its page). `total` (NULL:
 * not counted) receives how many edges wait in all. @return 0; EINVALID.
 */
LINEAGE_EXTERN int lineage_edge_list_pending_page(lineage_edge_list **out, size_t *total,
						  lineage_db *db, size_t offset, size_t limit);

#ifdef __cplusplus
}
#endif
#endif
