/*
 * Internal to lib/api/: the scope of one write call and the audit record.
 *
 * Every public write function runs as
 *     lin_write w; if ((rc = lin_write_begin(db, &w))) return rc;
 *     rc = ...work, calling lin_audit_record() for each change...;
 *     return lin_write_end(db, &w, rc);
 * Outside an explicit transaction the call is its own transaction and batch (created with
 * its first change, so a call that changes nothing writes nothing). Inside one, the call
 * runs in a savepoint: a failure undoes only this call.
 */
#ifndef LIN_API_WRITE_H
#define LIN_API_WRITE_H

#include "db_internal.h"

typedef struct lin_write {
	int64_t saved_first_seq;
	int64_t saved_last_seq;
	int wrote;
	int bulk;              /* no savepoint: db->bulk was set inside a transaction */
	int64_t changes_before; /* the store's change count at the start of a bulk call */
} lin_write;

/*
 * Bulk mode, for an internal writer that validated its rows first (lib/io's import) inside
 * its open transaction: write calls run without a savepoint, and the creations of edges are
 * recorded in groups (one multi-row INSERT per few hundred, without keys: see
 * lib/store/sqlite/sq_changes.c), with the time they are recorded
 * (an import is one batch): every few thousand, at commit (lineage_db_commit flushes), and
 * before any other change to an edge, so that a creation is recorded before what follows
 * it. Ends with the transaction.
 */
int lin_write_bulk_start(lineage_db *db);
int lin_write_bulk_flush(lineage_db *db);
/* Leave bulk mode, dropping what was not recorded (the transaction ends). */
void lin_write_bulk_end(lineage_db *db);

int lin_write_begin(lineage_db *db, lin_write *w);
int lin_write_end(lineage_db *db, lin_write *w, int rc);

/* Record one change in the audit trail (in the call's transaction). `actor` NULL means the
 * handle's actor. */
typedef struct lin_audit {
	const char *action; /* create, update, delete, approve, reject, retire; revoke (token) */
	const char *entity; /* asset, edge, token */
	int64_t entity_id;
	const char *asset_key;
	const char *target_key;
	const char *before_json;
	const char *after_json;
	const char *comment;
	const char *actor;
} lin_audit;

int lin_audit_record(lineage_db *db, lin_write *w, const lin_audit *a);

/* EUSAGE for a NULL handle (every public function checks it first). */
int lin_check_db(const lineage_db *db);

#endif
