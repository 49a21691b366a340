/* Assets in SQLite. */
#include <stdlib.h>
#include <string.h>

#include "sq.h"
#include "common/util.h"

int lin_sq_read_asset(sqlite3_stmt *stmt, lin_asset_rec **out)
{
	lin_asset_rec *rec = lin_asset_rec_new();
	const char *tags = NULL;
	int rc;
	*out = NULL;
	if (!rec)
		return LINEAGE_ENOMEM;
	rec->pub.id = sqlite3_column_int64(stmt, 0);
	rec->parent_id = sqlite3_column_int64(stmt, 4);
	rec->pub.created_at_ms = sqlite3_column_int64(stmt, 11);
	rec->pub.updated_at_ms = sqlite3_column_int64(stmt, 12);
	if ((rc = lin_sq_col_str(stmt, 1, &rec->pub.key)) ||
	    (rc = lin_sq_col_str(stmt, 2, &rec->pub.kind)) ||
	    (rc = lin_sq_col_str(stmt, 3, &rec->pub.name)) ||
	    (rc = lin_sq_col_str(stmt, 5, &rec->pub.parent_key)) ||
	    (rc = lin_sq_col_str(stmt, 6, &rec->pub.owner)) ||
	    (rc = lin_sq_col_str(stmt, 7, &rec->pub.description)) ||
	    (rc = lin_sq_col_str(stmt, 8, &rec->pub.status)) ||
	    (rc = lin_sq_col_str(stmt, 10, &rec->pub.properties_json)) ||
	    (rc = lin_sq_col_str(stmt, 9, &tags)) ||
	    (rc = lin_asset_rec_set_tags(rec, (char *)tags)))
		goto fail;
	*out = rec;
	return 0;
fail:
	lin_asset_rec_free(rec);
	return rc;
}

static int bind_write(sqlite3_stmt *stmt, const lin_asset_write *w)
{
	int rc = 0;
	rc |= lin_sq_bind_text(stmt, 1, w->key);
	rc |= lin_sq_bind_text(stmt, 2, w->kind);
	rc |= lin_sq_bind_text(stmt, 3, w->name);
	rc |= lin_sq_bind_id(stmt, 4, w->parent_id);
	rc |= lin_sq_bind_text(stmt, 5, w->owner);
	rc |= lin_sq_bind_text(stmt, 6, w->description);
	rc |= lin_sq_bind_text(stmt, 7, w->status);
	rc |= lin_sq_bind_text(stmt, 8, w->tags_json ? w->tags_json : "[]");
	rc |= lin_sq_bind_text(stmt, 9, w->properties_json ? w->properties_json : "{}");
	rc |= sqlite3_bind_int64(stmt, 10, w->created_at);
	rc |= sqlite3_bind_int64(stmt, 11, w->updated_at);
	return rc;
}

int lin_sq_asset_insert(lin_store *st, const lin_asset_write *w, int64_t *out_id)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_ASSET_INSERT,
			     "INSERT INTO assets(key, kind, name, parent_id, owner, description,"
			     " status, tags, properties, created_at, updated_at, id)"
			     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", &stmt);
	if (rc)
		return rc;
	if (bind_write(stmt, w) || lin_sq_bind_id(stmt, 12, w->id))
		return lin_sq_error(s, sqlite3_errcode(s->db), "binding an asset");
	if ((rc = lin_sq_step_done(s, stmt, "adding an asset")))
		return rc;
	lin_sq_keys_put(s, w->key, sqlite3_last_insert_rowid(s->db), !strcmp(w->kind, "unknown"));
	if (out_id)
		*out_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int lin_sq_asset_update(lin_store *st, int64_t id, const lin_asset_write *w)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int64_t cached = 0;
	int rc = lin_sq_stmt(s, SQ_ASSET_UPDATE,
			     "UPDATE assets SET key = ?1, kind = ?2, name = ?3, parent_id = ?4,"
			     " owner = ?5, description = ?6, status = ?7, tags = ?8,"
			     " properties = ?9, created_at = ?10, updated_at = ?11 WHERE id = ?12",
			     &stmt);
	if (rc)
		return rc;
	if (bind_write(stmt, w) || sqlite3_bind_int64(stmt, 12, id))
		return lin_sq_error(s, sqlite3_errcode(s->db), "binding an asset");
	/* Its key or kind may change. When the cache maps its new key to it already, the key is
	 * the same and only the kind's mark is refreshed: emptying the whole cache for every
	 * update (a job's state on each OpenLineage event) cost more than the update. */
	if (lin_sq_keys_get(s, w->key, &cached, NULL) && cached == id)
		lin_sq_keys_put(s, w->key, id, !strcmp(w->kind, "unknown"));
	else
		lin_sq_keys_clear(s);
	return lin_sq_step_done(s, stmt, "updating an asset");
}

int lin_sq_asset_delete(lin_store *st, int64_t id)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_ASSET_DELETE, "DELETE FROM assets WHERE id = ?1", &stmt);
	if (rc)
		return rc;
	lin_sq_keys_clear(s);
	sqlite3_bind_int64(stmt, 1, id);
	return lin_sq_step_done(s, stmt, "removing an asset");
}

static int read_one(lin_sq *s, sqlite3_stmt *stmt, lin_asset_rec **out)
{
	int rc = sqlite3_step(stmt);
	*out = NULL;
	if (rc == SQLITE_ROW)
		rc = lin_sq_read_asset(stmt, out);
	else if (rc == SQLITE_DONE)
		rc = 0;
	else
		rc = lin_sq_error(s, rc, "reading an asset");
	sqlite3_reset(stmt);
	return rc;
}

int lin_sq_asset_by_key(lin_store *st, const char *key, lin_asset_rec **out)
{
	/* Probe first (a bulk load misses every time), read the joined row on a hit. */
	int64_t id = 0;
	int rc = lin_sq_asset_lookup(st, key, &id, NULL);
	*out = NULL;
	return rc || !id ? rc : lin_sq_asset_by_id(st, id, out);
}

int lin_sq_asset_by_id(lin_store *st, int64_t id, lin_asset_rec **out)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_ASSET_BY_ID, ASSET_SELECT("WHERE a.id = ?1"), &stmt);
	*out = NULL;
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	return read_one(s, stmt, out);
}

int lin_sq_asset_lookup(lin_store *st, const char *key, int64_t *out_id, int *out_unknown)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc;
	*out_id = 0;
	if (out_unknown)
		*out_unknown = 0;
	if (lin_sq_keys_get(s, key, out_id, out_unknown))
		return 0;
	if ((rc = lin_sq_stmt(s, SQ_ASSET_LOOKUP,
			      "SELECT id, kind = 'unknown' FROM assets WHERE key = ?1", &stmt)))
		return rc;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*out_id = sqlite3_column_int64(stmt, 0);
		if (out_unknown)
			*out_unknown = sqlite3_column_int(stmt, 1);
		lin_sq_keys_put(s, key, *out_id, sqlite3_column_int(stmt, 1));
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? 0 : lin_sq_error(s, rc, "looking up an asset");
	}
	sqlite3_reset(stmt);
	return rc;
}

int lin_sq_asset_parent(lin_store *st, int64_t id, int64_t *out_parent)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_ASSET_PARENT, "SELECT parent_id FROM assets WHERE id = ?1",
			     &stmt);
	*out_parent = 0;
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*out_parent = sqlite3_column_int64(stmt, 0);
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? 0 : lin_sq_error(s, rc, "reading an asset's parent");
	}
	sqlite3_reset(stmt);
	return rc;
}

struct id_walk {
	lin_id_cb cb;
	void *payload;
};

static int id_row(sqlite3_stmt *stmt, void *payload)
{
	struct id_walk *w = payload;
	return w->cb(sqlite3_column_int64(stmt, 0), w->payload);
}

int lin_sq_asset_child_ids(lin_store *st, int64_t id, lin_id_cb cb, void *payload)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	struct id_walk w = {cb, payload};
	int rc = lin_sq_stmt(s, SQ_ASSET_CHILD_IDS, "SELECT id FROM assets WHERE parent_id = ?1",
			     &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	return lin_sq_each(s, stmt, id_row, &w, "listing an asset's children");
}

struct asset_walk {
	lin_asset_rec_cb cb;
	void *payload;
};

static int asset_row(sqlite3_stmt *stmt, void *payload)
{
	struct asset_walk *w = payload;
	lin_asset_rec *rec;
	int rc = lin_sq_read_asset(stmt, &rec);
	return rc ? rc : w->cb(rec, w->payload);
}

int lin_sq_asset_children(lin_store *st, int64_t id, lin_asset_rec_cb cb, void *payload)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	struct asset_walk w = {cb, payload};
	int rc = lin_sq_stmt(s, SQ_ASSET_CHILDREN,
			     ASSET_SELECT("WHERE a.parent_id = ?1 ORDER BY a.key"), &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	return lin_sq_each(s, stmt, asset_row, &w, "listing an asset's children");
}

int lin_sq_asset_owner(lin_store *st, int64_t id, char **out)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	const char *owner = NULL;
	int rc = lin_sq_stmt(s, SQ_ASSET_OWNER, "SELECT owner FROM assets WHERE id = ?1", &stmt);
	*out = NULL;
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		rc = lin_sq_col_str(stmt, 0, &owner);
	else
		rc = rc == SQLITE_DONE ? 0 : lin_sq_error(s, rc, "reading an asset's owner");
	sqlite3_reset(stmt);
	*out = (char *)owner;
	return rc;
}
