/*
 * liblineage: export of the whole graph, or of a query result, to the import formats (CSV,
 * JSON, JSON Lines, GraphML: exporting then importing into an empty database gives the same
 * graph) and to viewers (Cytoscape.js JSON, Graphviz DOT).
 *
 * Only active edges are exported (rejected and retired edges are not part of the graph).
 */
#ifndef LINEAGE_EXPORT_H
#define LINEAGE_EXPORT_H

#include <stdio.h>

#include "common.h"
#include "asset.h"
#include "edge.h"
#include "import.h"
#include "query.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LINEAGE_EXPORT_OPTIONS_VERSION 1

/** How an export behaves. Fill with lineage_export_options_init(). */
typedef struct lineage_export_options {
	unsigned int version;         /**< LINEAGE_EXPORT_OPTIONS_VERSION */
	lineage_format format;        /**< default CSV; AUTO means CSV */
	lineage_record_type type;     /**< CSV and JSON Lines: ASSETS or LINEAGE (default
					   LINEAGE: one record type per file); JSON: default
					   BOTH (assets, then lineage); ignored by the others */
	lineage_layout layout;        /**< Cytoscape only: 0 for no positions (a result already
					   laid out with lineage_result_layout() keeps its own),
					   else the layout to compute (LAYERED suits DAGs), for at
					   most 20,000 assets (ELIMIT beyond) */
	lineage_progress_cb progress; /**< stage "export", counting records; may be NULL */
	void *payload;
} lineage_export_options;

/** Fill `opts` with the defaults. @return 0, or EINVALID for an unknown version. */
LINEAGE_EXTERN int lineage_export_options_init(lineage_export_options *opts,
					       unsigned int version);

/**
 * Write the whole graph (result NULL) or the assets and edges of a query result to a file.
 * A result's assets are read from the database for their full description. The file is
 * written to a temporary name ("PATH.tmp.XXXXXX") and renamed at the end: a failed export
 * leaves no partial file behind, and the temporary files of earlier exports to the same
 * path that were killed are removed (never one that an export still running holds).
 * @param opts NULL for defaults
 * @return 0; EIO (cannot write; the message names the path); EINVALID (bad options, such
 *         as a layout asked for a format that has no positions, or both record types in
 *         one CSV file); ELIMIT (a layout of too many assets); ECANCELLED.
 */
LINEAGE_EXTERN int lineage_export_path(lineage_db *db, const lineage_result *result,
				       const char *path, const lineage_export_options *opts);

/** The same to an open stream (not closed). @return 0; EIO; EINVALID; ECANCELLED. */
LINEAGE_EXTERN int lineage_export_file(lineage_db *db, const lineage_result *result, FILE *file,
				       const lineage_export_options *opts);

/**
 * The same into memory: `*out` receives a NUL-terminated buffer (release with
 * lineage_free()), `*out_len` (may be NULL) its length.
 */
LINEAGE_EXTERN int lineage_export_buffer(char **out, size_t *out_len, lineage_db *db,
					 const lineage_result *result,
					 const lineage_export_options *opts);

/**
 * Call `cb` with every asset, in key order (borrowed: valid during the call only).
 * A non-zero return from `cb` stops the walk and is returned.
 * @return 0; the callback's value; a negative error code.
 */
LINEAGE_EXTERN int lineage_asset_foreach(lineage_db *db,
					 int (*cb)(const lineage_asset *asset, void *payload),
					 void *payload);

/**
 * Call `cb` with every active edge, in id order (the order they were created)
 * (borrowed: valid during the call only). `flags` LINEAGE_EDGES_ALL_STATUS also gives
 * rejected and retired edges. A non-zero return from `cb` stops the walk and is returned.
 */
LINEAGE_EXTERN int lineage_edge_foreach(lineage_db *db, unsigned int flags,
					int (*cb)(const lineage_edge *edge, void *payload),
					void *payload);

#ifdef __cplusplus
}
#endif
#endif
