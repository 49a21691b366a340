/*
 * liblineage for Node.js: assets, edges and their review, as library calls for the table.
 * Answers are the library's JSON (lineage_*_to_json), made while the lock is still held.
 */
#include "ops.h"

/* Each helper: the JSON of what the call that returned `rc` produced, then the object
 * freed. (Call first, then the helper: argument order is unspecified in C.) */
static int asset_json(int rc, lineage_asset *asset, char **json)
{
	if (!rc)
		rc = lineage_asset_to_json(json, asset);
	lineage_asset_free(asset);
	return rc;
}

static int asset_list_json(int rc, lineage_asset_list *list, char **json)
{
	if (!rc)
		rc = lineage_asset_list_to_json(json, list);
	lineage_asset_list_free(list);
	return rc;
}

static int edge_json(int rc, lineage_edge *edge, char **json)
{
	if (!rc)
		rc = lineage_edge_to_json(json, edge);
	lineage_edge_free(edge);
	return rc;
}

static int edge_list_json(int rc, lineage_edge_list *list, char **json)
{
	if (!rc)
		rc = lineage_edge_list_to_json(json, list);
	lineage_edge_list_free(list);
	return rc;
}

/* The edge `id` as JSON (after a call `rc` that changed it). */
static int edge_by_id_json(int rc, lineage_db *db, int64_t id, char **json)
{
	lineage_edge *edge = NULL;
	if (!rc)
		rc = lineage_edge_get(&edge, db, id);
	return edge_json(rc, edge, json);
}

/* ---- assets ----------------------------------------------------------------------- */

int init_asset(call_args *a)
{
	return lineage_asset_spec_init(&a->o.asset, LINEAGE_ASSET_SPEC_VERSION);
}

int init_search(call_args *a)
{
	a->text = "";
	return lineage_search_options_init(&a->o.search, LINEAGE_SEARCH_OPTIONS_VERSION);
}

int run_add_asset(call_args *a, lineage_db *db)
{
	lineage_asset *asset = NULL;
	int64_t id = 0;
	int rc = lineage_asset_upsert(&a->outcome, &id, db, &a->o.asset);
	if (!rc)
		rc = lineage_asset_get_by_id(&asset, db, id);
	return asset_json(rc, asset, &a->json);
}

int run_get_asset(call_args *a, lineage_db *db)
{
	lineage_asset *asset = NULL;
	int rc = lineage_asset_get(&asset, db, a->key);
	return asset_json(rc, asset, &a->json);
}

/* An unknown key is an answer (false), not an error. */
int run_has_asset(call_args *a, lineage_db *db)
{
	lineage_asset *asset = NULL;
	int rc = lineage_asset_get(&asset, db, a->key);
	lineage_asset_free(asset);
	a->number = rc == 0;
	return rc == LINEAGE_ENOTFOUND ? 0 : rc;
}

int run_remove_asset(call_args *a, lineage_db *db)
{
	return lineage_asset_remove(db, a->key, a->flags);
}

int run_children(call_args *a, lineage_db *db)
{
	lineage_asset_list *list = NULL;
	int rc = lineage_asset_children(&list, db, a->key);
	return asset_list_json(rc, list, &a->json);
}

int run_search(call_args *a, lineage_db *db)
{
	lineage_asset_list *list = NULL;
	int rc = lineage_asset_search(&list, db, a->text, &a->o.search);
	return asset_list_json(rc, list, &a->json);
}

/* ---- edges ------------------------------------------------------------------------ */

int init_edge(call_args *a)
{
	return lineage_edge_spec_init(&a->o.edge, LINEAGE_EDGE_SPEC_VERSION);
}

int init_edges(call_args *a)
{
	a->flags = LINEAGE_EDGES_IN | LINEAGE_EDGES_OUT;
	return 0;
}

int run_add_edge(call_args *a, lineage_db *db)
{
	int64_t id = 0;
	int rc = lineage_edge_upsert(&a->outcome, &id, db, &a->o.edge);
	return edge_by_id_json(rc, db, id, &a->json);
}

int run_get_edge(call_args *a, lineage_db *db)
{
	return edge_by_id_json(0, db, a->id, &a->json);
}

int run_find_edge(call_args *a, lineage_db *db)
{
	lineage_edge *edge = NULL;
	int rc = lineage_edge_find(&edge, db, a->key, a->to, a->kind, a->job);
	return edge_json(rc, edge, &a->json);
}

int run_remove_edge(call_args *a, lineage_db *db)
{
	return lineage_edge_remove(db, a->id);
}

int run_edges(call_args *a, lineage_db *db)
{
	lineage_edge_list *list = NULL;
	int rc = lineage_edge_list_for_asset(&list, db, a->key, a->flags);
	return edge_list_json(rc, list, &a->json);
}

int run_pending_edges(call_args *a, lineage_db *db)
{
	lineage_edge_list *list = NULL;
	int rc = lineage_edge_list_pending(&list, db, a->limit);
	return edge_list_json(rc, list, &a->json);
}

int run_review(call_args *a, lineage_db *db)
{
	int rc = a->variant ? lineage_edge_approve(db, a->id, a->by, a->comment)
			    : lineage_edge_reject(db, a->id, a->by, a->comment);
	return edge_by_id_json(rc, db, a->id, &a->json);
}
