/*
 * liblineage for Node.js: queries (traversals, impact, paths, structure) and the change
 * feed, as library calls for the table.
 */
#include "ops.h"

/* The JSON of a query result in the asked format, then the result freed. */
static int result_json(int rc, lineage_result *res, int format, char **json)
{
	if (!rc)
		rc = lineage_result_to_json(json, res, (lineage_json_format)format);
	lineage_result_free(res);
	return rc;
}

int init_impact(call_args *a)
{
	a->change = LINEAGE_CHANGE_DROP;
	return 0;
}

int init_path(call_args *a)
{
	return lineage_path_options_init(&a->o.path, LINEAGE_PATH_OPTIONS_VERSION);
}

/*
 * A plain traversal is kept as a result for the main thread to build into objects (no JSON,
 * see result_js.c); reading its first node here finishes what the engine left for the first
 * read (edges, confidences), on the worker rather than on the main thread.
 */
int run_traverse(call_args *a, lineage_db *db)
{
	lineage_result *res = NULL;
	int rc = lineage_query_traverse(&res, db, a->key, (lineage_direction)a->variant, &a->query);
	if (rc || a->format != LINEAGE_JSON_PLAIN || a->via_json)
		return result_json(rc, res, a->format, &a->json);
	a->result = res;
	if (lineage_result_node_count(res) && !lineage_result_node(res, 0))
		return lineage_error_last()->code;
	return 0;
}

int run_impact(call_args *a, lineage_db *db)
{
	lineage_result *res = NULL;
	int rc = lineage_query_impact(&res, db, a->key, a->change, &a->query);
	return result_json(rc, res, a->format, &a->json);
}

int run_path(call_args *a, lineage_db *db)
{
	lineage_result *res = NULL;
	int rc = lineage_query_paths(&res, db, a->key, a->to, &a->o.path);
	return result_json(rc, res, a->format, &a->json);
}

int run_structure(call_args *a, lineage_db *db)
{
	lineage_result *res = NULL;
	int rc = lineage_query_structure(&res, db, (lineage_structure)a->variant, a->key,
					 &a->query);
	return result_json(rc, res, a->format, &a->json);
}

/* ---- the change feed -------------------------------------------------------------- */

int run_changes(call_args *a, lineage_db *db)
{
	lineage_change_list *list = NULL;
	int rc = a->variant == CHANGES_OF_ASSET ? lineage_history_asset(&list, db, a->key, a->limit)
		 : a->variant == CHANGES_OF_EDGE ? lineage_history_edge(&list, db, a->id, a->limit)
						 : lineage_changes_since(&list, db, a->id, a->limit);
	if (!rc)
		rc = lineage_change_list_to_json(&a->json, list);
	lineage_change_list_free(list);
	return rc;
}

int run_last_seq(call_args *a, lineage_db *db)
{
	return lineage_changes_last_seq(&a->number, db);
}

int run_stats(call_args *a, lineage_db *db)
{
	return lineage_db_stats_json(&a->json, db);
}
