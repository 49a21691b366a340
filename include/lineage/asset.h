/*
 * liblineage: assets — systems, databases, schemas, tables, views, columns, jobs,
 * dashboards, files, topics, models or any other kind — with their containment.
 *
 * Keys are stable, human-readable and case-sensitive: 1 to 4096 bytes of valid UTF-8, with
 * no control characters and no leading or trailing white space. By convention a column's
 * key is its table's key, a dot and its name ("warehouse.sales.orders.amount").
 */
#ifndef LINEAGE_ASSET_H
#define LINEAGE_ASSET_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LINEAGE_KEY_MAX 4096

/**
 * A stored asset. Allocated by liblineage and read-only: fields may be appended in later
 * versions, so never allocate one yourself. Strings never NULL unless noted.
 */
typedef struct lineage_asset {
	int64_t id;                  /**< internal id, stable for the life of the asset */
	const char *key;
	const char *kind;            /**< "table", "column", ... ("unknown" when created implicitly) */
	const char *name;            /**< display name; defaults to the key's last segment */
	const char *parent_key;      /**< containing asset, or NULL */
	const char *owner;           /**< NULL when not set */
	const char *description;     /**< NULL when not set */
	const char *status;          /**< NULL when not set (free text: "active", "deprecated"...) */
	const char *const *tags;     /**< tag_count strings */
	size_t tag_count;
	const char *properties_json; /**< a JSON object, "{}" when empty */
	int64_t created_at_ms;       /**< Unix time in milliseconds */
	int64_t updated_at_ms;
} lineage_asset;

#define LINEAGE_ASSET_SPEC_VERSION 1

/**
 * Input of lineage_asset_upsert(). Fill with lineage_asset_spec_init(). A NULL field leaves
 * the stored value as it is (or unset on creation); an empty string "" clears it.
 */
typedef struct lineage_asset_spec {
	unsigned int version;        /**< LINEAGE_ASSET_SPEC_VERSION */
	const char *key;             /**< required */
	const char *kind;            /**< required on creation; may only change from "unknown" */
	const char *name;
	const char *parent_key;      /**< must exist unless create_missing */
	const char *owner;
	const char *description;
	const char *status;
	const char *const *tags;     /**< with tags_set: replaces the stored tags */
	size_t tag_count;
	int tags_set;                /**< non-zero: tags/tag_count replace the stored tags */
	const char *properties_json; /**< a JSON object merged into the stored one (RFC 7396:
				          a null value removes that property) */
	int create_missing;          /**< create a missing parent with kind "unknown" */
} lineage_asset_spec;

/** Fill `spec` with empty values. @return 0, or EINVALID for an unknown version. */
LINEAGE_EXTERN int lineage_asset_spec_init(lineage_asset_spec *spec, unsigned int version);

/**
 * Create the asset, or update the stored one with the same key (idempotent).
 * @param out_outcome may be NULL; receives LINEAGE_CREATED, _UPDATED or _UNCHANGED
 * @param out_id      may be NULL; receives the asset's id
 * @return 0; EINVALID (bad key, kind, UTF-8, properties that are not a JSON object, a kind
 *         that is neither built in nor declared: see lineage_asset_kind_define());
 *         ENOTFOUND (parent missing); ECONFLICT (kind differs from the stored one, or the
 *         parent would contain its own ancestor); EREADONLY; EFULL; EBUSY.
 */
LINEAGE_EXTERN int lineage_asset_upsert(lineage_outcome *out_outcome, int64_t *out_id,
					lineage_db *db, const lineage_asset_spec *spec);

/**
 * Read an asset by key. @return 0; ENOTFOUND; EINVALID.
 * Free the result with lineage_asset_free().
 */
LINEAGE_EXTERN int lineage_asset_get(lineage_asset **out, lineage_db *db, const char *key);

/** Read an asset by id. @return 0; ENOTFOUND. */
LINEAGE_EXTERN int lineage_asset_get_by_id(lineage_asset **out, lineage_db *db, int64_t id);

/** Release an asset. NULL is a no-op. */
LINEAGE_EXTERN void lineage_asset_free(lineage_asset *asset);

/*
 * Asset kinds. An asset's kind must be built in or declared in the database, so that a
 * mistyped kind is refused rather than starting a kind of its own. Built in: "application",
 * "column", "dag", "dashboard", "database", "dataset", "file", "folder", "foreign_table",
 * "job", "materialized_view", "model", "notebook", "pipeline", "project", "report", "run",
 * "schema", "system", "table", "task", "topic", "unknown", "view".
 * Writing an asset of another kind (lineage_asset_upsert, an edge's source_kind or
 * target_kind, an import row) fails with EINVALID, a message naming the closest known kind
 * ("did you mean \"table\"?") and the hint LINEAGE_HINT_DECLARE_ASSET_KIND. A database
 * upgraded from schema 3 or older declares every kind its assets used.
 */

/**
 * Declare an asset kind (once per database; declaring it again, or a built-in kind, does
 * nothing). Inside a transaction, a rollback undoes the declaration.
 * @return 0; EINVALID (not a valid name: 1..256 bytes of UTF-8, no control characters);
 *         EREADONLY; EBUSY; EFULL.
 */
LINEAGE_EXTERN int lineage_asset_kind_define(lineage_db *db, const char *kind);

/**
 * Whether assets of `kind` may be written: 0 for a built-in or declared kind, else EINVALID
 * with the message and hint described above (for a filter given by a person, say).
 */
LINEAGE_EXTERN int lineage_asset_kind_check(lineage_db *db, const char *kind);

/**
 * Every asset kind that may be written, sorted by name, as a JSON array:
 * [{"name": "application", "builtin": true}, ...]. Release with lineage_free().
 */
LINEAGE_EXTERN int lineage_asset_kinds_json(char **out, lineage_db *db);

/** Flags for lineage_asset_remove(). */
#define LINEAGE_REMOVE_CASCADE 0x1u /**< also remove the assets it contains, recursively */

/**
 * Remove an asset. Its edges (as source, target or job) are removed with it and recorded in
 * the audit trail. An asset that contains others is refused with ECONFLICT unless
 * LINEAGE_REMOVE_CASCADE is given.
 * @return 0; ENOTFOUND; ECONFLICT; EINVALID.
 */
LINEAGE_EXTERN int lineage_asset_remove(lineage_db *db, const char *key, unsigned int flags);

/**
 * The asset as a JSON object: {"id", "key", "kind", "name", "parent", "owner",
 * "description", "status", "tags": [...], "properties": {...}, "created_at", "updated_at"}
 * (times as ISO 8601 UTC). Release with lineage_free().
 */
LINEAGE_EXTERN int lineage_asset_to_json(char **out, const lineage_asset *asset);

/** A list of assets (search results, children). */
typedef struct lineage_asset_list lineage_asset_list;

/** Number of assets in the list. */
LINEAGE_EXTERN size_t lineage_asset_list_count(const lineage_asset_list *list);

/** The i-th asset, borrowed from the list (valid until the list is freed); NULL past the end. */
LINEAGE_EXTERN const lineage_asset *lineage_asset_list_get(const lineage_asset_list *list,
							   size_t i);

/** For a paginated search: how many assets matched in all. */
LINEAGE_EXTERN size_t lineage_asset_list_total(const lineage_asset_list *list);

/** The list as JSON: {"total": N, "results": [asset, ...]}. Release with lineage_free(). */
LINEAGE_EXTERN int lineage_asset_list_to_json(char **out, const lineage_asset_list *list);

/** Release a list. NULL is a no-op. */
LINEAGE_EXTERN void lineage_asset_list_free(lineage_asset_list *list);

#define LINEAGE_SEARCH_OPTIONS_VERSION 1

/** How lineage_asset_search() filters and pages. Fill with lineage_search_options_init(). */
typedef struct lineage_search_options {
	unsigned int version;
	const char *kind;   /**< only assets of this kind; NULL for all */
	const char *owner;  /**< only assets with this owner; NULL for all */
	const char *tag;    /**< only assets with this tag; NULL for all */
	size_t limit;       /**< at most this many results; default 50, at most 10000 */
	size_t offset;      /**< skip this many results first */
} lineage_search_options;

LINEAGE_EXTERN int lineage_search_options_init(lineage_search_options *opts,
					       unsigned int version);

/**
 * Full-text search over key, name, description and tags. Words match by prefix and all
 * must appear; an exact key match comes first, then by relevance. `text` is plain words,
 * not a query language: punctuation is ignored. An empty text lists assets by key (with the
 * filters). Free the list with lineage_asset_list_free().
 * @return 0; EINVALID.
 */
LINEAGE_EXTERN int lineage_asset_search(lineage_asset_list **out, lineage_db *db,
					const char *text, const lineage_search_options *opts);

/** The assets directly contained in `key`, by key. @return 0; ENOTFOUND. */
LINEAGE_EXTERN int lineage_asset_children(lineage_asset_list **out, lineage_db *db,
					  const char *key);

#ifdef __cplusplus
}
#endif
#endif
