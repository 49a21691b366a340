/* The scope of one write call: transaction or savepoint, batch, audit, hooks. */
#include "write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"

int lin_check_db(const lineage_db *db)
{
	if (!db)
		return lin_error_set(LINEAGE_EUSAGE, "the database handle is NULL: open one with lineage_db_open()");
	return 0;
}

/* A backend may end the whole transaction on its own after a disk-full or I/O error. */
static void check_tx_lost(lineage_db *db)
{
	if (db->in_tx && !lin_store_in_transaction(db->store)) {
		db->in_tx = 0;
		lin_write_bulk_end(db);
		db->tx_first_seq = db->tx_last_seq = 0;
		db->rollbacks++;
		lin_engine_note_rollback(db, db->tx_seq_before);
		lin_asset_kinds_forget(db);
		lin_error_prefix("the open transaction was rolled back as a whole; begin again");
	}
}

int lin_write_begin(lineage_db *db, lin_write *w)
{
	int rc;
	w->wrote = 0;
	w->saved_first_seq = db->tx_first_seq;
	w->saved_last_seq = db->tx_last_seq;
	if (db->flags & LINEAGE_OPEN_READONLY)
		return lin_error_hint(LINEAGE_EREADONLY, LINEAGE_HINT_OPEN_WRITABLE, NULL, "the database was opened read-only, so it cannot be changed");
	w->bulk = 0;
	if (db->in_tx && db->bulk) {
		w->bulk = 1;
		w->changes_before = lin_store_total_changes(db->store);
		return 0;
	}
	if (db->in_tx) {
		/* a server may have ended the transaction (a lost connection) */
		if ((rc = lin_store_savepoint(db->store)))
			check_tx_lost(db);
		return rc;
	}
	db->call_has_batch = 0;
	db->tx_first_seq = db->tx_last_seq = 0;
	rc = lin_store_begin(db->store);
	return rc;
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
				lin_error_saved saved;
				lin_error_save(&saved);
				lin_store_rollback(db->store);
				lin_error_restore(&saved);
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
		lin_error_saved saved;
		lin_error_save(&saved);
		if (w->bulk) {
			/* Without a savepoint, a call that wrote rows before failing can only be
			 * undone with the whole transaction (check_tx_lost below reports it). */
			if (lin_store_total_changes(db->store) != w->changes_before)
				lin_store_rollback(db->store);
		} else if (db->in_tx)
			lin_store_rollback_savepoint(db->store);
		else
			lin_store_rollback(db->store);
		lin_error_restore(&saved);
	}
failed:
	db->tx_first_seq = w->saved_first_seq;
	db->tx_last_seq = w->saved_last_seq;
	check_tx_lost(db);
	return rc;
}

int lin_write_bulk_start(lineage_db *db)
{
	if (!db->in_tx)
		return lin_error_set(LINEAGE_EUSAGE, "bulk mode needs an open transaction");
	lin_write_bulk_end(db);
	db->bulk = 1;
	return 0;
}

void lin_write_bulk_end(lineage_db *db)
{
	db->bulk = 0;
	db->n_bulk_created = 0;
}

int lin_write_bulk_flush(lineage_db *db)
{
	lin_change_write cw = {0};
	int64_t first = 0, last = 0;
	int rc;
	if (!db->n_bulk_created)
		return 0;
	cw.at = lin_now_ms();
	cw.actor = db->actor;
	cw.batch_id = db->batch_id;
	if ((rc = lin_store_edge_creations_record(db->store, &cw, db->bulk_ids, db->n_bulk_created,
						  &first, &last)))
		return rc;
	if (first && !db->tx_first_seq)
		db->tx_first_seq = first;
	if (last)
		db->tx_last_seq = last;
	db->n_bulk_created = 0;
	return 0;
}

/* Remember a creation to record with the next flush (a few thousand at most). */
static int note_created(lineage_db *db, int64_t id)
{
	if (db->n_bulk_created == db->cap_bulk_created) {
		size_t cap = db->cap_bulk_created ? db->cap_bulk_created * 2 : 256;
		int64_t *p = realloc(db->bulk_ids, cap * sizeof *p);
		if (!p)
			return lin_error_oom();
		db->bulk_ids = p;
		db->cap_bulk_created = cap;
	}
	db->bulk_ids[db->n_bulk_created++] = id;
	return db->n_bulk_created >= 4096 ? lin_write_bulk_flush(db) : 0;
}

int lin_audit_record(lineage_db *db, lin_write *w, const lin_audit *a)
{
	lin_change_write cw;
	int64_t seq = 0;
	int rc;
	int64_t now;
	if (w->bulk && !strcmp(a->entity, "edge")) {
		if (!strcmp(a->action, "create")) {
			w->wrote = 1;
			return note_created(db, a->entity_id); /* see lin_write_bulk_flush */
		}
		if ((rc = lin_write_bulk_flush(db)))
			return rc;
	}
	now = lin_now_ms();
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
	/* see sq_changes.c; a token is not rebuilt when read (lib/api/token.c) */
	cw.after_json = strcmp(a->action, "create") || !strcmp(a->entity, "token") ? a->after_json : NULL;
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
