/* The public query functions: check the arguments, sync the engine, run the query. */
#include "common/error.h"
#include "common/util.h"
#include "api/db_internal.h"
#include "engine/engine.h"
#include "engine/queries.h"

/* Sync the engine and find `key` (when given). */
static int prepare(lin_graph **g, int32_t *v, lineage_db *db, const char *key, const char *what)
{
	int rc;
	if (!db)
		return lin_error_set(LINEAGE_EINVALID, "%s needs an open database handle", what);
	if (key && (rc = lin_check_key(key, "key")))
		return rc;
	if ((rc = lin_engine_sync(db)))
		return rc;
	*g = lin_engine_graph(db);
	if (key) {
		*v = lin_graph_vertex_by_key(*g, key);
		if (*v == LIN_NONE)
			return lin_error_hint(LINEAGE_ENOTFOUND, LINEAGE_HINT_FIND_ASSET, key, "no asset with key \"%.300s\"", key);
	}
	return 0;
}

/* A kind filter naming a kind no asset can have is a typo: say so rather than report
 * nothing. (lin_filter_init checks the rest of the options.) */
static int check_kinds(lineage_db *db, const lineage_query_options *opts)
{
	int rc;
	if (!opts || opts->version != LINEAGE_QUERY_OPTIONS_VERSION || !opts->asset_kinds)
		return 0;
	for (size_t i = 0; i < opts->asset_kind_count; i++)
		if (opts->asset_kinds[i] && (rc = lineage_asset_kind_check(db, opts->asset_kinds[i])))
			return rc;
	return 0;
}

int lineage_query_traverse(lineage_result **out, lineage_db *db, const char *key,
			   lineage_direction direction, const lineage_query_options *opts)
{
	lin_graph *g = NULL;
	lin_filter f;
	int32_t v = LIN_NONE;
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "lineage_query_traverse needs an output pointer");
	*out = NULL;
	if (!key)
		return lin_error_set(LINEAGE_EINVALID, "the key of the asset to start from is missing");
	if ((rc = prepare(&g, &v, db, key, "lineage_query_traverse")) ||
	    (rc = check_kinds(db, opts)) || (rc = lin_filter_init(&f, g, opts)))
		return rc;
	rc = lin_query_traverse(out, g, v, direction, &f);
	lin_filter_free(&f);
	return rc;
}

int lineage_query_upstream(lineage_result **out, lineage_db *db, const char *key,
			   const lineage_query_options *opts)
{
	return lineage_query_traverse(out, db, key, LINEAGE_UPSTREAM, opts);
}

int lineage_query_downstream(lineage_result **out, lineage_db *db, const char *key,
			     const lineage_query_options *opts)
{
	return lineage_query_traverse(out, db, key, LINEAGE_DOWNSTREAM, opts);
}

int lineage_query_paths(lineage_result **out, lineage_db *db, const char *from_key,
			const char *to_key, const lineage_path_options *opts)
{
	lineage_path_options defaults;
	lin_graph *g = NULL;
	lin_filter f;
	int32_t from = LIN_NONE, to = LIN_NONE;
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "lineage_query_paths needs an output pointer");
	*out = NULL;
	if (!from_key || !to_key)
		return lin_error_set(LINEAGE_EINVALID, "lineage_query_paths needs both the from and the to key");
	if (!opts) {
		lineage_path_options_init(&defaults, LINEAGE_PATH_OPTIONS_VERSION);
		opts = &defaults;
	}
	if (opts->version != LINEAGE_PATH_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "path options version %u is not supported (expected %d): fill them with lineage_path_options_init()", opts->version, LINEAGE_PATH_OPTIONS_VERSION);
	if ((rc = prepare(&g, &from, db, from_key, "lineage_query_paths")) ||
	    (rc = prepare(&g, &to, db, to_key, "lineage_query_paths")) ||
	    (rc = check_kinds(db, &opts->filter)) || (rc = lin_filter_init(&f, g, &opts->filter)))
		return rc;
	rc = lin_query_paths(out, g, from, to, opts, &f);
	lin_filter_free(&f);
	return rc;
}

int lineage_query_impact(lineage_result **out, lineage_db *db, const char *key,
			 lineage_change_type change, const lineage_query_options *opts)
{
	lin_graph *g = NULL;
	lin_filter f;
	int32_t v = LIN_NONE;
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "lineage_query_impact needs an output pointer");
	*out = NULL;
	if (!key)
		return lin_error_set(LINEAGE_EINVALID, "the key of the changed asset is missing");
	if ((rc = prepare(&g, &v, db, key, "lineage_query_impact")) ||
	    (rc = check_kinds(db, opts)) || (rc = lin_filter_init(&f, g, opts)))
		return rc;
	rc = lin_query_impact(out, g, v, change, &f, lin_engine_owner, db);
	lin_filter_free(&f);
	return rc;
}

int lineage_query_structure(lineage_result **out, lineage_db *db, lineage_structure what,
			    const char *key, const lineage_query_options *opts)
{
	lin_graph *g = NULL;
	lin_filter f;
	int32_t v = LIN_NONE;
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "lineage_query_structure needs an output pointer");
	*out = NULL;
	if ((what == LINEAGE_STRUCT_CHILDREN || what == LINEAGE_STRUCT_SUBTREE) && !key)
		return lin_error_set(LINEAGE_EINVALID, "the children and subtree questions need the key of the containing asset");
	if ((rc = prepare(&g, &v, db, key, "lineage_query_structure")) ||
	    (rc = check_kinds(db, opts)) || (rc = lin_filter_init(&f, g, opts)))
		return rc;
	rc = lin_query_structure(out, g, what, v, &f);
	lin_filter_free(&f);
	return rc;
}
