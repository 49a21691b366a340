/* Opening and closing, the actor, transactions, the commit hook. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "write.h"
#include "common/util.h"

#define DEFAULT_ACTOR "system"

/* An older caller's struct ends before the fields of later versions. */
static size_t options_size(unsigned int version)
{
	if (version == 1)
		return offsetof(lineage_open_options, pg_schema);
	if (version == 2)
		return offsetof(lineage_open_options, max_staleness_ms);
	return sizeof(lineage_open_options);
}

int lineage_open_options_init(lineage_open_options *opts, unsigned int version)
{
	if (!opts)
		return lin_error_set(LINEAGE_EINVALID, "opts is NULL: pass the options struct to fill");
	if (version < 1 || version > LINEAGE_OPEN_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "open options version %u is unknown: pass LINEAGE_OPEN_OPTIONS_VERSION (%d)", version, LINEAGE_OPEN_OPTIONS_VERSION);
	memset(opts, 0, options_size(version));
	opts->version = version;
	opts->busy_timeout_ms = 5000;
	opts->cache_size_kib = 65536;
	opts->actor = NULL;
	return 0;
}

static int check_actor(const char *actor)
{
	return actor ? lin_check_name(actor, "actor") : 0;
}

int lineage_db_open(lineage_db **out, const char *path, const lineage_open_options *opts)
{
	lineage_open_options defaults;
	lin_store_options so;
	lineage_db *db = NULL;
	int rc;

	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "out is NULL: pass the address of a lineage_db pointer");
	*out = NULL;
	if (!path || !*path)
		return lin_error_set(LINEAGE_EINVALID, "database path is missing: give a file path or \":memory:\"");
	if (!opts) {
		lineage_open_options_init(&defaults, LINEAGE_OPEN_OPTIONS_VERSION);
		opts = &defaults;
	}
	if (opts->version < 1 || opts->version > LINEAGE_OPEN_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "open options version %u is unknown: fill them with lineage_open_options_init()", opts->version);
	if (opts->version >= 3 && opts->max_staleness_ms < 0)
		return lin_error_set(LINEAGE_EINVALID, "max_staleness_ms must be >= 0 (0: every query sees every earlier commit)");
	if (opts->flags & ~(LINEAGE_OPEN_READONLY | LINEAGE_OPEN_NOCREATE))
		return lin_error_set(LINEAGE_EINVALID, "unknown open flags 0x%x: use LINEAGE_OPEN_READONLY and LINEAGE_OPEN_NOCREATE only", opts->flags);
	if (opts->busy_timeout_ms < 0 || opts->cache_size_kib <= 0)
		return lin_error_set(LINEAGE_EINVALID, "busy_timeout_ms must be >= 0 and cache_size_kib > 0: start from lineage_open_options_init()");
	if ((rc = check_actor(opts->actor)))
		return rc;

	if (!(db = calloc(1, sizeof *db)))
		return lin_error_oom();
	db->flags = opts->flags;
	if (!(db->path = lin_strdup(path)) || !(db->actor = lin_strdup(opts->actor ? opts->actor : DEFAULT_ACTOR))) {
		rc = LINEAGE_ENOMEM;
		goto fail;
	}
	so.flags = opts->flags;
	so.busy_timeout_ms = opts->busy_timeout_ms;
	so.cache_size_kib = opts->cache_size_kib;
	so.pg_schema = opts->version >= 2 ? opts->pg_schema : NULL;
	so.max_staleness_ms = opts->version >= 3 ? opts->max_staleness_ms : 0;
	if ((rc = lin_store_open(&db->store, path, &so)))
		goto fail;
	*out = db;
	return 0;
fail:
	lineage_db_close(db);
	return rc;
}

void lineage_db_close(lineage_db *db)
{
	if (!db)
		return;
	if (db->in_tx && db->store)
		lin_store_rollback(db->store);
	lin_engine_free(db->engine);
	lin_asset_kinds_forget(db);
	lin_store_close(db->store);
	free(db->path);
	free(db->actor);
	free(db->bulk_ids);
	free(db);
}

const char *lineage_db_path(const lineage_db *db)
{
	return db ? db->path : NULL;
}

int lineage_db_schema_version(const lineage_db *db)
{
	return db ? lin_store_schema_version(db->store) : 0;
}

int lineage_db_set_actor(lineage_db *db, const char *actor)
{
	char *copy;
	int rc;
	if ((rc = lin_check_db(db)) || (rc = check_actor(actor)))
		return rc;
	if (!(copy = lin_strdup(actor ? actor : DEFAULT_ACTOR)))
		return LINEAGE_ENOMEM;
	free(db->actor);
	db->actor = copy;
	return 0;
}

int lineage_db_begin(lineage_db *db, const char *label)
{
	int64_t seq = 0;
	int rc;
	if ((rc = lin_check_db(db)) || (rc = lin_check_text(label, "label", 4096)))
		return rc;
	if (db->in_tx)
		return lin_error_set(LINEAGE_EUSAGE, "a transaction is already open on this handle: commit or roll it back first");
	if (db->flags & LINEAGE_OPEN_READONLY)
		return lin_error_hint(LINEAGE_EREADONLY, LINEAGE_HINT_OPEN_WRITABLE, NULL, "the database was opened read-only, so it cannot be changed");
	if ((rc = lin_store_begin(db->store)))
		return rc;
	if ((rc = lin_store_last_seq(db->store, &seq)) ||
	    (rc = lin_store_batch_insert(db->store, db->actor, label, lin_now_ms(), &db->batch_id))) {
		lin_store_rollback(db->store);
		return rc;
	}
	db->in_tx = 1;
	lin_write_bulk_end(db);
	db->tx_seq_before = seq;
	db->tx_first_seq = db->tx_last_seq = 0;
	return 0;
}

int lineage_db_commit(lineage_db *db)
{
	int64_t first, last;
	int rc;
	if ((rc = lin_check_db(db)))
		return rc;
	if (!db->in_tx)
		return lin_error_hint(LINEAGE_EUSAGE, LINEAGE_HINT_BEGIN, NULL, "no transaction is open");
	for (lin_tx_hook *h = db->tx_hooks; h && !rc; h = h->next)
		rc = h->flush(h->payload);
	if (rc || (rc = lin_write_bulk_flush(db)) || (rc = lin_store_commit(db->store))) {
		if (!lin_store_in_transaction(db->store)) {
			db->in_tx = 0;
			db->rollbacks++;
			lin_engine_note_rollback(db, db->tx_seq_before);
			lin_asset_kinds_forget(db);
			lin_error_prefix("the transaction was rolled back");
		}
		return rc;
	}
	first = db->tx_first_seq;
	last = db->tx_last_seq;
	db->in_tx = 0;
	lin_write_bulk_end(db);
	db->tx_first_seq = db->tx_last_seq = 0;
	if (first && db->commit_cb)
		db->commit_cb(db, first, last, db->commit_payload);
	return 0;
}

void lin_db_tx_hook_add(lineage_db *db, lin_tx_hook *hook)
{
	hook->next = db->tx_hooks;
	db->tx_hooks = hook;
}

void lin_db_tx_hook_remove(lineage_db *db, lin_tx_hook *hook)
{
	for (lin_tx_hook **h = &db->tx_hooks; *h; h = &(*h)->next)
		if (*h == hook) {
			*h = hook->next;
			return;
		}
}

int lineage_db_rollback(lineage_db *db)
{
	int rc;
	if ((rc = lin_check_db(db)))
		return rc;
	if (!db->in_tx)
		return lin_error_hint(LINEAGE_EUSAGE, LINEAGE_HINT_BEGIN, NULL, "no transaction is open");
	rc = lin_store_rollback(db->store);
	db->in_tx = 0;
	lin_write_bulk_end(db);
	db->tx_first_seq = db->tx_last_seq = 0;
	db->rollbacks++;
	lin_engine_note_rollback(db, db->tx_seq_before);
	lin_asset_kinds_forget(db);
	return rc;
}

int lineage_db_in_transaction(const lineage_db *db)
{
	return db ? db->in_tx : 0;
}

int64_t lineage_db_batch_id(const lineage_db *db)
{
	return db ? db->batch_id : 0;
}

int lineage_db_on_commit(lineage_db *db, lineage_commit_cb cb, void *payload)
{
	int rc;
	if ((rc = lin_check_db(db)))
		return rc;
	db->commit_cb = cb;
	db->commit_payload = cb ? payload : NULL;
	return 0;
}

int lineage_db_backup(lineage_db *db, const char *dest_path, lineage_progress_cb progress,
		      void *payload)
{
	int rc;
	if ((rc = lin_check_db(db)))
		return rc;
	if (!dest_path || !*dest_path)
		return lin_error_set(LINEAGE_EINVALID, "backup destination is missing: give a file path");
	if (!strcmp(dest_path, ":memory:") || !strcmp(dest_path, db->path))
		return lin_error_set(LINEAGE_EINVALID, "backup destination \"%.300s\" is not a separate file: give another path", dest_path);
	if (db->in_tx)
		return lin_error_set(LINEAGE_EUSAGE, "a transaction is open on this handle: commit or roll it back before a backup, which copies committed data");
	return lin_store_backup(db->store, dest_path, progress, payload);
}
