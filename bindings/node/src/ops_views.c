/* Saved views (include/lineage/view.h): the calls behind saveView, getView, views,
 * renameView and deleteView (their arguments: methods.c). */
#include "ops.h"

int run_save_view(call_args *a, lineage_db *db)
{
	return lineage_view_save(db, a->key, a->text, (lineage_view_save_mode)a->view_mode);
}

int run_get_view(call_args *a, lineage_db *db)
{
	return lineage_view_get(&a->json, db, a->key);
}

int run_views(call_args *a, lineage_db *db)
{
	return lineage_view_list(&a->json, db, (size_t)a->id, a->limit);
}

int run_rename_view(call_args *a, lineage_db *db)
{
	return lineage_view_rename(db, a->key, a->to);
}

int run_delete_view(call_args *a, lineage_db *db)
{
	return lineage_view_delete(db, a->key);
}
