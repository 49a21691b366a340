/*
 * Owned by the engine module; replace freely.
 *
 * The write paths of lib/api/ call these hooks (declared in lib/api/db_internal.h). Until
 * the engine keeps state per handle, db->engine stays NULL and there is nothing to update.
 */
#include "api/db_internal.h"

void lin_engine_note_write(lineage_db *db)
{
	if (!db || !db->engine)
		return;
}

void lin_engine_note_rollback(lineage_db *db, int64_t seq_before_tx)
{
	(void)seq_before_tx;
	if (!db || !db->engine)
		return;
}

void lin_engine_free(struct lin_engine *engine)
{
	(void)engine;
}
