/* The scope of one write call: transaction or savepoint, batch, audit, hooks. */
#include "write.h"

#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"

int lin_check_db(const lineage_db *db)
{
	if (!db)
		return lin_error_set(LINEAGE_EUSAGE, "the database handle is NULL: open one with lineage_db_open()");
	return 0;
}

int lin_write_begin(lineage_db *db, lin_write *w)
{
	int rc;
	w->wrote = 0;
	w->saved_first_seq = db->tx_first_seq;
	w->saved_last_seq = db->tx_last_seq;
	if (db->flags & LINEAGE_OPEN_READONLY)
		return lin_error_set(LINEAGE_EREADONLY, "the database was opened read-only: open it without LINEAGE_OPEN_READONLY to change it");
	w->bulk = 0;
	if (db->in_tx && db->bulk) {
		w->bulk = 1;
		w->changes_before = lin_store_total_changes(db->store);
		return 0;
	}
	if (db->in_tx)
		return lin_store_savepoint(db->store);
	db->call_has_batch = 0;
	db->tx_first_seq = db->tx_last_seq = 0;
	rc = lin_store_begin(db->store);
	return rc;
}

/* A backend may end the whole transaction on its own after a disk-full or I/O error. */
static void check_tx_lost(lineage_db *db)
{
	if (db->in_tx && !lin_store_in_transaction(db->store)) {
		db->in_tx = 0;
		db->bulk = 0;
		db->tx_first_seq = db->tx_last_seq = 0;
		lin_engine_note_rollback(db, db->tx_seq_before);
		lin_error_prefix("the open transaction was rolled back as a whole; begin again");
	}
}

int lin_write_end(lineage_db *db, lin_write *w, int rc)
{
	if (rc == 0) {
		if (w->bulk) {
			/* nothing to release */
		} else if (db->in_tx) {
			if ((rc = lin_store_release(db->store)) != 0) {
				lin_store_rollback_savepoint(db->store);
				goto failed;
			}
		} else {
			if ((rc = lin_store_commit(db->store)) != 0) {
				char msg[1024];
				snprintf(msg, sizeof msg, "%s", lineage_error_last()->message);
				lin_store_rollback(db->store);
				lin_error_set(rc, "%s", msg);
				goto failed;
			}
			if (w->wrote && db->commit_cb)
				db->commit_cb(db, db->tx_first_seq, db->tx_last_seq, db->commit_payload);
		}
		if (w->wrote)
			lin_engine_note_write(db);
		return 0;
	}
	/* Undo this call only; report the failure, not what the rollback said. */
	{
		char msg[1024];
		int code = lin_error_code();
		snprintf(msg, sizeof msg, "%s", lineage_error_last()->message);
		if (w->bulk) {
			/* Without a savepoint, a call that wrote rows before failing can only be
			 * undone with the whole transaction (check_tx_lost below reports it). */
			if (lin_store_total_changes(db->store) != w->changes_before)
				lin_store_rollback(db->store);
		} else if (db->in_tx)
			lin_store_rollback_savepoint(db->store);
		else
			lin_store_rollback(db->store);
		lin_error_set(code, "%s", msg);
	}
failed:
	db->tx_first_seq = w->saved_first_seq;
	db->tx_last_seq = w->saved_last_seq;
	check_tx_lost(db);
	return rc;
}

int lin_audit_record(lineage_db *db, lin_write *w, const lin_audit *a)
{
	lin_change_write cw;
	int64_t seq = 0;
	int rc;
	int64_t now = lin_now_ms();
	if (!db->in_tx && !db->call_has_batch) {
		if ((rc = lin_store_batch_insert(db->store, db->actor, NULL, now, &db->batch_id)))
			return rc;
		db->call_has_batch = 1;
	}
	cw.at = now;
	cw.actor = a->actor ? a->actor : db->actor;
	cw.action = a->action;
	cw.entity = a->entity;
	cw.entity_id = a->entity_id;
	cw.asset_key = a->asset_key;
	cw.target_key = a->target_key;
	cw.before_json = a->before_json;
	cw.after_json = strcmp(a->action, "create") ? a->after_json : NULL; /* see sq_changes.c */
	cw.comment = a->comment;
	cw.batch_id = db->batch_id;
	if ((rc = lin_store_change_insert(db->store, &cw, &seq)))
		return rc;
	if (!db->tx_first_seq)
		db->tx_first_seq = seq;
	db->tx_last_seq = seq;
	w->wrote = 1;
	return 0;
}
