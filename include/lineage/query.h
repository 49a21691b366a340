/*
 * liblineage: lineage questions, answered by the in-process graph engine.
 *
 * The engine is built from the database on the first query of a handle (about a second per
 * million edges), then kept coherent: writes through the same handle are applied to it
 * incrementally, and changes committed by other handles or processes are read from the
 * change feed before the next query. Only active edges take part.
 *
 * Every traversal terminates on cycles: each asset is visited once, at its shortest distance.
 *
 * Threads and lifetimes: a handle's engine is used by that handle's thread (one thread at a
 * time per handle, as everywhere). A result is independent of its handle: it stays valid,
 * unchanged, after later writes and after lineage_db_close(); free it with
 * lineage_result_free(). Results may be read from several threads at once;
 * lineage_result_layout() writes to its result. Questions answered with igraph (cycles,
 * topological order, critical path, layouts) are serialised across the process.
 *
 * Choices the functions below rely on (additions to the original contract):
 *  - LINEAGE_BOTH is the union of the upstream and the downstream traversal (not an
 *    undirected walk: the other consumers of an upstream asset are not included); an asset
 *    found both ways gets the smaller distance and the better confidence, and an edge found
 *    both ways is listed once.
 *  - asset_kinds only filters what is reported: the walk goes through other assets, and the
 *    edges listed are the traversed edges whose two ends are reported. max_nodes counts the
 *    reported assets, root included.
 *  - LINEAGE_COLUMNS_ROLLUP: a column stands for its nearest non-column ancestor. Column
 *    edges between two assets become one edge per (source, target, kind), with the id of the
 *    first underlying edge met, the highest confidence and the most trusted source; edges
 *    inside one asset are dropped. LINEAGE_COLUMNS_EXCLUDE with a column as the root (or the
 *    changed asset) is EINVALID.
 *  - Plain JSON objects also carry "truncated" (true when max_nodes or a limit cut the
 *    result short). Cytoscape node data also has "confidence", and "root": true on a
 *    traversal's root, "group" for paths and structure, "owner" and "severity" for impact;
 *    edge ends that are not nodes of the result (the root of an impact) get an element of
 *    their own with "id" and "label".
 */
#ifndef LINEAGE_QUERY_H
#define LINEAGE_QUERY_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Direction of a traversal. */
typedef enum lineage_direction {
	LINEAGE_UPSTREAM = 1,   /**< where the data comes from */
	LINEAGE_DOWNSTREAM = 2, /**< where the data goes */
	LINEAGE_BOTH = 3
} lineage_direction;

/** How column assets take part in a traversal. */
typedef enum lineage_columns {
	LINEAGE_COLUMNS_INCLUDE = 0, /**< the graph as stored: column edges join column assets */
	LINEAGE_COLUMNS_ROLLUP = 1,  /**< each column stands for its parent: table-level lineage
				          derived from column-level edges */
	LINEAGE_COLUMNS_EXCLUDE = 2  /**< ignore column assets and their edges */
} lineage_columns;

#define LINEAGE_QUERY_OPTIONS_VERSION 1

/** Filters of a traversal. Fill with lineage_query_options_init(). */
typedef struct lineage_query_options {
	unsigned int version;           /**< LINEAGE_QUERY_OPTIONS_VERSION */
	int max_depth;                  /**< hops from the root; 0 or negative: unlimited */
	lineage_source min_source;      /**< only edges at least this trusted; ANY: all */
	double min_confidence;          /**< only edges with confidence >= this; default 0 */
	const char *const *edge_kinds;  /**< only edges of these kinds; NULL: all */
	size_t edge_kind_count;
	const char *const *asset_kinds; /**< report only assets of these kinds (the traversal
					     still passes through others); NULL: all */
	size_t asset_kind_count;
	lineage_columns columns;        /**< default LINEAGE_COLUMNS_INCLUDE */
	size_t max_nodes;               /**< stop after this many assets (ELIMIT is not raised:
					     the result is marked truncated); 0: no limit */
} lineage_query_options;

LINEAGE_EXTERN int lineage_query_options_init(lineage_query_options *opts, unsigned int version);

/** An asset in a result. Borrowed from the result. */
typedef struct lineage_node {
	int64_t asset_id;
	const char *key;
	const char *kind;
	int distance;       /**< hops from the root (0 for the root); position in a path */
	double confidence;  /**< best product of edge confidences from the root (1 for it) */
	int group;          /**< path number, cycle number or impact severity; else 0 */
	const char *owner;  /**< set by impact queries; NULL otherwise */
} lineage_node;

/** An edge in a result. Borrowed from the result. */
typedef struct lineage_result_edge {
	int64_t edge_id;
	const char *source_key;
	const char *target_key;
	const char *kind;
	lineage_source lineage_source;
	double confidence;
} lineage_result_edge;

/** The answer to a query: assets and the edges between them. */
typedef struct lineage_result lineage_result;

LINEAGE_EXTERN size_t lineage_result_node_count(const lineage_result *result);
/** The i-th asset (the root first for traversals); NULL past the end. A traversal finds
 * the assets and their distances when it runs, and computes confidences and edges when the
 * result is first read (node, edge, JSON or layout), still as of the query even if the
 * database changed since: NULL also when that runs out of memory (lineage_error_last()
 * says so). */
LINEAGE_EXTERN const lineage_node *lineage_result_node(const lineage_result *result, size_t i);
/** The number of edges. A traversal result counts them when first asked: 0 also when that
 * runs out of memory (lineage_error_last() says so). */
LINEAGE_EXTERN size_t lineage_result_edge_count(const lineage_result *result);
LINEAGE_EXTERN const lineage_result_edge *lineage_result_edge_at(const lineage_result *result,
								 size_t i);
/** Non-zero when max_nodes cut the result short. */
LINEAGE_EXTERN int lineage_result_truncated(const lineage_result *result);
/** The root's key (traversal and impact), or NULL. Borrowed. */
LINEAGE_EXTERN const char *lineage_result_root(const lineage_result *result);
LINEAGE_EXTERN void lineage_result_free(lineage_result *result);

/** JSON formats of a result. */
typedef enum lineage_json_format {
	LINEAGE_JSON_PLAIN = 0,    /**< the shapes documented with each query (the CLI's --json) */
	LINEAGE_JSON_CYTOSCAPE = 1 /**< Cytoscape.js: {"elements": {"nodes": [{"data": {...}}],
				        "edges": [{"data": {...}}]}} */
} lineage_json_format;

/** Serialise a result. Release with lineage_free(). */
LINEAGE_EXTERN int lineage_result_to_json(char **out, const lineage_result *result,
					  lineage_json_format format);

/**
 * Traverse from `key` (upstream, downstream or both). The result's nodes are the root
 * (distance 0) and every reached asset with its shortest distance; its edges are the
 * traversed edges with their lineage source and confidence.
 * Plain JSON: {"root", "direction", "nodes": [{"key", "kind", "distance", "confidence"}],
 * "edges": [{"id", "source", "target", "kind", "lineage_source", "confidence"}],
 * "truncated"}.
 * @return 0; ENOTFOUND (no such asset); EINVALID (bad options).
 */
LINEAGE_EXTERN int lineage_query_traverse(lineage_result **out, lineage_db *db, const char *key,
					  lineage_direction direction,
					  const lineage_query_options *opts);

/** lineage_query_traverse(..., LINEAGE_UPSTREAM, ...). */
LINEAGE_EXTERN int lineage_query_upstream(lineage_result **out, lineage_db *db, const char *key,
					  const lineage_query_options *opts);

/** lineage_query_traverse(..., LINEAGE_DOWNSTREAM, ...). */
LINEAGE_EXTERN int lineage_query_downstream(lineage_result **out, lineage_db *db,
					    const char *key, const lineage_query_options *opts);

#define LINEAGE_PATH_OPTIONS_VERSION 1

typedef struct lineage_path_options {
	unsigned int version;
	int all;                   /**< 0: the shortest path only; else every simple path */
	size_t max_paths;          /**< with all: at most this many (default 100) */
	int max_length;            /**< with all: at most this many edges (default 10) */
	lineage_query_options filter; /**< edge filters (min_source, kinds, columns) */
} lineage_path_options;

LINEAGE_EXTERN int lineage_path_options_init(lineage_path_options *opts, unsigned int version);

/**
 * Paths of data flow from `from_key` to `to_key`, shortest first. Each path is a group of
 * nodes: node.group is the path's number (0, 1, ...), node.distance the position in it,
 * node.confidence the product of the edge confidences along the path up to that node.
 * Paths follow edges in their direction only (from a source towards its consumers); paths
 * are simple (no asset twice) and two paths through the same assets are listed once. With
 * `all`, the result is marked truncated when max_paths was reached (more may exist) or the
 * search hit its step limit (20 million steps).
 * lineage_result_path_count() tells how many. Plain JSON: {"from", "to", "paths":
 * [[KEY, ...], ...]}. No path is not an error: the list is empty.
 * @return 0; ENOTFOUND.
 */
LINEAGE_EXTERN int lineage_query_paths(lineage_result **out, lineage_db *db, const char *from_key,
				       const char *to_key, const lineage_path_options *opts);

/** Number of groups (paths, cycles) in a result. */
LINEAGE_EXTERN size_t lineage_result_group_count(const lineage_result *result);

/** Kinds of change analysed by lineage_query_impact(). */
typedef enum lineage_change_type {
	LINEAGE_CHANGE_DROP = 1,        /**< the asset disappears */
	LINEAGE_CHANGE_RENAME = 2,      /**< the asset gets another name */
	LINEAGE_CHANGE_TYPE_CHANGE = 3, /**< a column's data type changes */
	LINEAGE_CHANGE_MODIFY = 4,      /**< its content or logic changes */
	LINEAGE_CHANGE_ADD = 5          /**< something is added to it (a column to a table) */
} lineage_change_type;

/** Name of a change type ("drop", "rename", "type_change", "modify", "add"). Static. */
LINEAGE_EXTERN const char *lineage_change_type_name(lineage_change_type type);
/** Parse a change type name. @return 0; EINVALID listing the known names. */
LINEAGE_EXTERN int lineage_change_type_parse(lineage_change_type *out, const char *name);

/** Impact severities, in lineage_node.group of an impact result. */
#define LINEAGE_SEVERITY_BREAKING 3 /**< will fail (reads a dropped or renamed object directly) */
#define LINEAGE_SEVERITY_AFFECTED 2 /**< its data changes or may fail downstream */
#define LINEAGE_SEVERITY_INFO 1     /**< worth knowing, not expected to break */

/**
 * What a change to `key` affects: every downstream asset (also of the assets `key`
 * contains, such as a table's columns) with its distance, the confidence of its best path
 * (the product of edge confidences), its owner and a severity; a column that is affected
 * makes its table affected too. The root is not among the affected. Plain JSON: {"root",
 * "change", "affected": [{"key", "kind", "distance", "confidence", "owner", "severity"}],
 * "edges": [...], "summary": {"total", "by_kind": {...}, "by_owner": {...},
 * "by_severity": {...}, "by_distance": {...}, "max_distance", "min_confidence"}}.
 * Severity ("breaking", "affected", "info" in JSON): drop and rename make every asset at
 * distance 1 BREAKING (reached through a column or a table edge) and the rest AFFECTED;
 * type_change makes the columns at distance 1 BREAKING and the rest AFFECTED; modify makes
 * everything AFFECTED; add makes everything INFO. A table made affected by one of its
 * columns has that column's distance, and its own table-level edges are followed too. A
 * table's confidence is the best over its own paths and its affected columns' (the link
 * from a column to its table counting as 1), whichever the walk reaches first.
 * by_owner counts assets without an owner under "(none)"; min_confidence is null when
 * nothing is affected. With LINEAGE_COLUMNS_ROLLUP the walk still follows column edges but
 * columns are left out of the report (their tables are in it).
 * @param opts edge filters and max_depth (may be NULL)
 * @return 0; ENOTFOUND; EINVALID.
 */
LINEAGE_EXTERN int lineage_query_impact(lineage_result **out, lineage_db *db, const char *key,
					lineage_change_type change,
					const lineage_query_options *opts);

/** Structure and whole-graph questions. */
typedef enum lineage_structure {
	LINEAGE_STRUCT_CHILDREN = 1, /**< assets directly contained in `key` */
	LINEAGE_STRUCT_SUBTREE = 2,  /**< everything contained in `key`, recursively, with depth */
	LINEAGE_STRUCT_ROOTS = 3,    /**< assets with outgoing and no incoming edges */
	LINEAGE_STRUCT_LEAVES = 4,   /**< assets with incoming and no outgoing edges */
	LINEAGE_STRUCT_ORPHANS = 5,  /**< assets with no edge at all (containment aside) */
	LINEAGE_STRUCT_CYCLES = 6,   /**< strongly connected components of two or more assets
				          and self-loops; node.group is the cycle's number */
	LINEAGE_STRUCT_TOPO = 7,     /**< every asset with edges in topological order
				          (node.distance is its layer); ECYCLE on a cycle */
	LINEAGE_STRUCT_CRITICAL_PATH = 8 /**< the longest path through the DAG; ECYCLE on a cycle */
} lineage_structure;

/**
 * Answer a structure question. `key` is needed by CHILDREN and SUBTREE only (else NULL).
 * CHILDREN and SUBTREE list the contained assets (not `key` itself) ordered by depth
 * (node.distance) then key, and no edges. ROOTS, LEAVES and ORPHANS list assets by key, no
 * edges. CYCLES lists each cycle's assets by key with node.group the cycle's number, and the
 * edges inside each cycle. TOPO lists the assets with edges in topological order, no edges.
 * CRITICAL_PATH lists the path's assets in order (node.distance the position) and its
 * edges; ties go to the path ending first in topological order.
 * `opts` filters edges as in traversals (min_source, kinds, columns) and kinds of the
 * reported assets; max_nodes limits the answer. Plain JSON: {"query", "nodes": [...],
 * "edges": [...], "groups": N}.
 * @return 0; ENOTFOUND; ECYCLE; EINVALID.
 */
LINEAGE_EXTERN int lineage_query_structure(lineage_result **out, lineage_db *db,
					   lineage_structure what, const char *key,
					   const lineage_query_options *opts);

/** Layout algorithms for lineage_result_layout(). */
typedef enum lineage_layout {
	LINEAGE_LAYOUT_LAYERED = 1, /**< Sugiyama layers, left to right: for DAGs */
	LINEAGE_LAYOUT_FORCE = 2,   /**< Fruchterman-Reingold */
	LINEAGE_LAYOUT_GRID = 3,
	LINEAGE_LAYOUT_CIRCLE = 4
} lineage_layout;

/**
 * Compute positions for the nodes of a result (deterministic for the same result). After
 * this, Cytoscape JSON carries "position": {"x", "y"} on each node. Positions are in
 * Cytoscape pixels; LAYERED puts a layer every 200 px from left to right. An asset listed
 * several times (on several paths) gets one position.
 * @return 0; EINVALID; ELIMIT (more than 20,000 nodes: narrow the query first).
 */
LINEAGE_EXTERN int lineage_result_layout(lineage_result *result, lineage_layout layout);

/** Position of the i-th node after lineage_result_layout(). @return 0; EUSAGE before it. */
LINEAGE_EXTERN int lineage_result_position(double *x, double *y, const lineage_result *result,
					   size_t i);

#ifdef __cplusplus
}
#endif
#endif
