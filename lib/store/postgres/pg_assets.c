/* Assets in PostgreSQL. */
#include <stdlib.h>
#include <string.h>

#include "pg.h"

int lin_pg_read_asset(const PGresult *res, int row, lin_asset_rec **out)
{
	lin_asset_rec *rec = lin_asset_rec_new();
	const char *tags = NULL;
	int rc;
	*out = NULL;
	if (!rec)
		return LINEAGE_ENOMEM;
	rec->pub.id = lin_pg_i64(res, row, 0);
	rec->parent_id = lin_pg_i64(res, row, 4);
	rec->pub.created_at_ms = lin_pg_i64(res, row, 11);
	rec->pub.updated_at_ms = lin_pg_i64(res, row, 12);
	if ((rc = lin_pg_str(res, row, 1, &rec->pub.key)) ||
	    (rc = lin_pg_str(res, row, 2, &rec->pub.kind)) ||
	    (rc = lin_pg_str(res, row, 3, &rec->pub.name)) ||
	    (rc = lin_pg_str(res, row, 5, &rec->pub.parent_key)) ||
	    (rc = lin_pg_str(res, row, 6, &rec->pub.owner)) ||
	    (rc = lin_pg_str(res, row, 7, &rec->pub.description)) ||
	    (rc = lin_pg_str(res, row, 8, &rec->pub.status)) ||
	    (rc = lin_pg_str(res, row, 10, &rec->pub.properties_json)) ||
	    (rc = lin_pg_str(res, row, 9, &tags)) ||
	    (rc = lin_asset_rec_set_tags(rec, (char *)tags)))
		goto fail;
	*out = rec;
	return 0;
fail:
	lin_asset_rec_free(rec);
	return rc;
}

void lin_pg_asset_args(lin_pg_args *a, const lin_asset_write *w)
{
	lin_pg_text(a, w->key);
	lin_pg_text(a, w->kind);
	lin_pg_text(a, w->name);
	lin_pg_id(a, w->parent_id);
	lin_pg_text(a, w->owner);
	lin_pg_text(a, w->description);
	lin_pg_text(a, w->status);
	lin_pg_text(a, w->tags_json ? w->tags_json : "[]");
	lin_pg_text(a, w->properties_json ? w->properties_json : "{}");
	lin_pg_int(a, w->created_at);
	lin_pg_int(a, w->updated_at);
}

int lin_pg_asset_insert(lin_store *st, const lin_asset_write *w, int64_t *out_id)
{
	lin_pg_args a = {0};
	int64_t id = 0, *outs[1] = {&id};
	int rc, kept = 0;
	/* a bulk write's new asset: sent later, with thousands of others (pg_bulk.c) */
	if ((rc = lin_pg_assets_keep(LIN_PG(st), w, &id, &kept)))
		return rc;
	if (kept) {
		lin_pg_ahead_asset_forget(LIN_PG(st), id); /* read ahead as missing */
		lin_pg_keys_put(LIN_PG(st), w->key, id, !strcmp(w->kind, "unknown"));
		if (out_id)
			*out_id = id;
		return 0;
	}
	lin_pg_asset_args(&a, w);
	lin_pg_id(&a, w->id);
	rc = lin_pg_one_row(LIN_PG(st), PG_ASSET_INSERT,
			    "INSERT INTO assets(key, kind, name, parent_id, owner, description,"
			    " status, tags, properties, created_at, updated_at, id)"
			    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
			    " coalesce($12::bigint, (SELECT coalesce(max(id), 0) + 1 FROM assets))) RETURNING id",
			    &a, outs, 1, "adding an asset");
	if (!rc) {
		lin_pg_ahead_asset_forget(LIN_PG(st), id);
		lin_pg_keys_put(LIN_PG(st), w->key, id, !strcmp(w->kind, "unknown"));
	}
	if (!rc && out_id)
		*out_id = id;
	return rc;
}

int lin_pg_asset_update(lin_store *st, int64_t id, const lin_asset_write *w)
{
	lin_pg_args a = {0};
	lin_pg_asset_args(&a, w);
	lin_pg_int(&a, id);
	lin_pg_keys_reset(LIN_PG(st)); /* its key or kind may change */
	lin_pg_ahead_assets_clear(LIN_PG(st)); /* and its children's parent key */
	return lin_pg_exec(LIN_PG(st), PG_ASSET_UPDATE,
			   "UPDATE assets SET key = $1, kind = $2, name = $3, parent_id = $4,"
			   " owner = $5, description = $6, status = $7, tags = $8,"
			   " properties = $9, created_at = $10, updated_at = $11 WHERE id = $12",
			   &a, "updating an asset");
}

int lin_pg_asset_delete(lin_store *st, int64_t id)
{
	lin_pg_args a = {0};
	lin_pg_int(&a, id);
	lin_pg_keys_reset(LIN_PG(st));
	lin_pg_ahead_assets_clear(LIN_PG(st));
	return lin_pg_exec(LIN_PG(st), PG_ASSET_DELETE, "DELETE FROM assets WHERE id = $1", &a,
			   "removing an asset");
}

int lin_pg_asset_by_key(lin_store *st, const char *key, lin_asset_rec **out)
{
	int64_t id = 0;
	int rc = lin_pg_asset_lookup(st, key, &id, NULL);
	*out = NULL;
	return rc || !id ? rc : lin_pg_asset_by_id(st, id, out);
}

int lin_pg_asset_by_id(lin_store *st, int64_t id, lin_asset_rec **out)
{
	lin_pg_args a = {0};
	PGresult *res = NULL;
	int rc, found = 0;
	*out = NULL;
	if ((rc = lin_pg_ahead_asset(LIN_PG(st), id, out, &found)) || found)
		return rc;
	lin_pg_int(&a, id);
	if ((rc = lin_pg_run(LIN_PG(st), PG_ASSET_BY_ID, PG_ASSET_SELECT("WHERE a.id = $1"), &a,
			     &res, "reading an asset")))
		return rc;
	if (PQntuples(res) > 0)
		rc = lin_pg_read_asset(res, 0, out);
	PQclear(res);
	return rc;
}

int lin_pg_asset_lookup(lin_store *st, const char *key, int64_t *out_id, int *out_unknown)
{
	lin_pg_args a = {0};
	PGresult *res = NULL;
	int rc;
	*out_id = 0;
	if (out_unknown)
		*out_unknown = 0;
	if (lin_pg_keys_get(LIN_PG(st), key, out_id, out_unknown))
		return 0;
	lin_pg_text(&a, key);
	if ((rc = lin_pg_run(LIN_PG(st), PG_ASSET_LOOKUP,
			     "SELECT id, (kind = 'unknown')::int FROM assets WHERE key = $1", &a, &res,
			     "looking up an asset")))
		return rc;
	if (PQntuples(res) > 0) {
		*out_id = lin_pg_i64(res, 0, 0);
		if (out_unknown)
			*out_unknown = (int)lin_pg_i64(res, 0, 1);
		lin_pg_keys_put(LIN_PG(st), key, *out_id, (int)lin_pg_i64(res, 0, 1));
	}
	PQclear(res);
	return 0;
}

int lin_pg_asset_parent(lin_store *st, int64_t id, int64_t *out_parent)
{
	lin_pg_args a = {0};
	int64_t *outs[1] = {out_parent};
	int rc;
	*out_parent = 0;
	if (lin_pg_ahead_parent(LIN_PG(st), id, out_parent))
		return 0;
	lin_pg_int(&a, id);
	if (!(rc = lin_pg_one_row(LIN_PG(st), PG_ASSET_PARENT, "SELECT parent_id FROM assets WHERE id = $1",
				  &a, outs, 1, "reading an asset's parent")))
		lin_pg_ahead_parent_put(LIN_PG(st), id, *out_parent);
	return rc;
}

struct id_walk {
	lin_id_cb cb;
	void *payload;
};

static int id_row(PGresult *res, int row, void *payload)
{
	struct id_walk *w = payload;
	return w->cb(lin_pg_i64(res, row, 0), w->payload);
}

int lin_pg_asset_child_ids(lin_store *st, int64_t id, lin_id_cb cb, void *payload)
{
	lin_pg_args a = {0};
	struct id_walk w = {cb, payload};
	lin_pg_int(&a, id);
	return lin_pg_each(LIN_PG(st), PG_ASSET_CHILD_IDS,
			   "SELECT id FROM assets WHERE parent_id = $1 ORDER BY id", &a, id_row, &w,
			   "listing an asset's children");
}

struct asset_walk {
	lin_asset_rec_cb cb;
	void *payload;
};

static int asset_row(PGresult *res, int row, void *payload)
{
	struct asset_walk *w = payload;
	lin_asset_rec *rec;
	int rc = lin_pg_read_asset(res, row, &rec);
	return rc ? rc : w->cb(rec, w->payload);
}

int lin_pg_asset_children(lin_store *st, int64_t id, lin_asset_rec_cb cb, void *payload)
{
	lin_pg_args a = {0};
	struct asset_walk w = {cb, payload};
	lin_pg_int(&a, id);
	return lin_pg_each(LIN_PG(st), PG_ASSET_CHILDREN,
			   PG_ASSET_SELECT("WHERE a.parent_id = $1 ORDER BY a.key COLLATE \"C\""), &a,
			   asset_row, &w, "listing an asset's children");
}

int lin_pg_asset_owner(lin_store *st, int64_t id, char **out)
{
	lin_pg_args a = {0};
	PGresult *res = NULL;
	const char *owner = NULL;
	int rc;
	*out = NULL;
	lin_pg_int(&a, id);
	if ((rc = lin_pg_run(LIN_PG(st), PG_ASSET_OWNER, "SELECT owner FROM assets WHERE id = $1", &a,
			     &res, "reading an asset's owner")))
		return rc;
	if (PQntuples(res) > 0)
		rc = lin_pg_str(res, 0, 0, &owner);
	PQclear(res);
	*out = (char *)owner;
	return rc;
}
