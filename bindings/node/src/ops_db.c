/*
 * liblineage for Node.js: transactions, batches, the actor, edge and asset kinds, as library
 * calls for the table.
 */
#include "ops.h"

int init_edge_kind(call_args *a)
{
	a->cycles = 1;
	return 0;
}

int run_begin(call_args *a, lineage_db *db)
{
	return lineage_db_begin(db, a->text);
}

int run_end_transaction(call_args *a, lineage_db *db)
{
	return a->variant ? lineage_db_commit(db) : lineage_db_rollback(db);
}

int run_revert_batch(call_args *a, lineage_db *db)
{
	return lineage_batch_revert(db, a->id);
}

int run_set_actor(call_args *a, lineage_db *db)
{
	return lineage_db_set_actor(db, a->text);
}

int run_define_edge_kind(call_args *a, lineage_db *db)
{
	return lineage_edge_kind_define(db, a->kind, a->self_loop, a->cycles);
}

int run_define_asset_kind(call_args *a, lineage_db *db)
{
	return lineage_asset_kind_define(db, a->kind);
}

int run_asset_kinds(call_args *a, lineage_db *db)
{
	return lineage_asset_kinds_json(&a->json, db);
}
