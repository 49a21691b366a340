/*
 * Reverting a batch: every change it made is undone, newest first, as a new batch. The
 * objects' earlier states come from the before JSON of the audit trail.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "lists.h"
#include "ops.h"
#include "common/util.h"

static const char *str_of(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static int damaged(int64_t seq)
{
	return lin_error_set(LINEAGE_EIO, "change %lld has no usable before state: the audit trail is damaged and this batch cannot be reverted", (long long)seq);
}

/* The id of `key`, or ECONFLICT when the object it belongs to needs it and it is gone. */
static int need_asset(lineage_db *db, const char *key, const char *what, int64_t *id)
{
	int rc;
	*id = 0;
	if (!key)
		return 0;
	if ((rc = lin_store_asset_lookup(db->store, key, id, NULL)))
		return rc;
	if (!*id)
		return lin_error_set(LINEAGE_ECONFLICT, "cannot restore: its %s \"%.200s\" no longer exists; re-create it first", what, key);
	return 0;
}

static int record_asset(lineage_db *db, lin_write *w, const char *action, int64_t id,
			const char *key, const char *before)
{
	lin_asset_rec *rec = NULL;
	char *after = NULL;
	int rc = lin_store_asset_by_id(db->store, id, &rec);
	if (!rc && rec && !(rc = lin_asset_rec_json(rec, &after))) {
		lin_audit a = {action, "asset", id, key, NULL, before, after, NULL, NULL};
		rc = lin_audit_record(db, w, &a);
	}
	free(after);
	lin_asset_rec_free(rec);
	return rc;
}

/* Put the asset described by `json` back (insert it again when `insert`). */
static int restore_asset(lineage_db *db, lin_write *w, const lineage_change *c, int insert)
{
	json_t *j = json_loads(c->before_json ? c->before_json : "", 0, NULL);
	lin_asset_write aw = {0};
	lin_asset_rec *cur = NULL;
	char *tags = NULL, *props = NULL, *before = NULL;
	int64_t existing = 0;
	int rc;
	if (!json_is_object(j) || !str_of(j, "key") || !str_of(j, "kind")) {
		rc = damaged(c->seq);
		goto done;
	}
	aw.id = c->entity_id;
	aw.key = str_of(j, "key");
	aw.kind = str_of(j, "kind");
	aw.name = str_of(j, "name") ? str_of(j, "name") : lin_default_name(aw.key);
	aw.owner = str_of(j, "owner");
	aw.description = str_of(j, "description");
	aw.status = str_of(j, "status");
	if ((json_is_array(json_object_get(j, "tags")) &&
	     !(tags = json_dumps(json_object_get(j, "tags"), JSON_COMPACT))) ||
	    (json_is_object(json_object_get(j, "properties")) &&
	     !(props = json_dumps(json_object_get(j, "properties"), JSON_COMPACT | JSON_SORT_KEYS)))) {
		rc = lin_error_oom();
		goto done;
	}
	aw.tags_json = tags ? tags : "[]";
	aw.properties_json = props ? props : "{}";
	if ((rc = lin_parse_time(str_of(j, "created_at"), &aw.created_at)))
		goto done;
	aw.updated_at = lin_now_ms();
	if ((rc = need_asset(db, str_of(j, "parent"), "parent", &aw.parent_id)))
		goto done;
	if (insert) {
		if ((rc = lin_store_asset_lookup(db->store, aw.key, &existing, NULL)) ||
		    (!existing && (rc = lin_store_asset_by_id(db->store, aw.id, &cur))))
			goto done;
		if (existing || cur) {
			rc = lin_error_set(LINEAGE_ECONFLICT, "cannot restore removed asset \"%.200s\": an asset with its key or id exists again; remove it first", aw.key);
			goto done;
		}
		if ((rc = lin_store_asset_insert(db->store, &aw, NULL)))
			goto done;
	} else {
		if ((rc = lin_store_asset_by_id(db->store, aw.id, &cur)))
			goto done;
		if (!cur) {
			rc = lin_error_set(LINEAGE_ECONFLICT, "cannot restore asset \"%.200s\": it was removed since", aw.key);
			goto done;
		}
		if ((rc = lin_asset_rec_json(cur, &before)) ||
		    (rc = lin_store_asset_update(db->store, aw.id, &aw)))
			goto done;
	}
	rc = record_asset(db, w, insert ? "create" : "update", aw.id, aw.key, before);
done:
	free(tags);
	free(props);
	free(before);
	lin_asset_rec_free(cur);
	json_decref(j);
	return rc;
}

static int record_edge(lineage_db *db, lin_write *w, const char *action, int64_t id,
		       const char *before)
{
	lin_edge_rec *rec = NULL;
	char *after = NULL;
	int rc = lin_store_edge_by_id(db->store, id, &rec);
	if (!rc && rec && !(rc = lin_edge_rec_json(rec, &after))) {
		lin_audit a = {action, "edge", id, rec->pub.source_key, rec->pub.target_key, before,
			       after, NULL, NULL};
		rc = lin_audit_record(db, w, &a);
	}
	free(after);
	lin_edge_rec_free(rec);
	return rc;
}

static int parse_enum_source(const char *name, lineage_source *out)
{
	return name ? lineage_source_parse(out, name) : LINEAGE_EINVALID;
}

static lineage_edge_status parse_status(const char *name)
{
	if (name && !strcmp(name, "rejected"))
		return LINEAGE_EDGE_REJECTED;
	if (name && !strcmp(name, "retired"))
		return LINEAGE_EDGE_RETIRED;
	return LINEAGE_EDGE_ACTIVE;
}

static int restore_edge(lineage_db *db, lin_write *w, const lineage_change *c, int insert)
{
	json_t *j = json_loads(c->before_json ? c->before_json : "", 0, NULL), *ev;
	lin_edge_write ew = {0};
	lin_edge_rec *cur = NULL;
	char *props = NULL, *evidence = NULL, *before = NULL;
	int rc;
	if (!json_is_object(j) || !str_of(j, "source") || !str_of(j, "target") || !str_of(j, "kind") ||
	    parse_enum_source(str_of(j, "lineage_source"), &ew.lineage_source)) {
		rc = damaged(c->seq);
		goto done;
	}
	ew.id = c->entity_id;
	ew.kind = str_of(j, "kind");
	ew.status = parse_status(str_of(j, "status"));
	ew.confidence = json_number_value(json_object_get(j, "confidence"));
	ew.transformation_type = str_of(j, "transformation_type");
	ew.transformation = str_of(j, "transformation");
	ew.description = str_of(j, "description");
	ew.origin = str_of(j, "origin");
	ew.content_hash = str_of(j, "content_hash");
	ew.reviewed_by = str_of(j, "reviewed_by");
	ew.review_comment = str_of(j, "review_comment");
	if (json_is_object(json_object_get(j, "properties")) &&
	    !(props = json_dumps(json_object_get(j, "properties"), JSON_COMPACT | JSON_SORT_KEYS))) {
		rc = lin_error_oom();
		goto done;
	}
	ev = json_object_get(j, "evidence");
	if (ev && !json_is_null(ev) &&
	    !(evidence = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY))) {
		rc = lin_error_oom();
		goto done;
	}
	ew.properties_json = props ? props : "{}";
	ew.evidence_json = evidence;
	if ((rc = lin_parse_time(str_of(j, "created_at"), &ew.created_at)) ||
	    (str_of(j, "reviewed_at") && (rc = lin_parse_time(str_of(j, "reviewed_at"), &ew.reviewed_at))))
		goto done;
	ew.updated_at = lin_now_ms();
	if ((rc = need_asset(db, str_of(j, "source"), "source", &ew.source_id)) ||
	    (rc = need_asset(db, str_of(j, "target"), "target", &ew.target_id)) ||
	    (rc = need_asset(db, str_of(j, "job"), "job", &ew.job_id)))
		goto done;
	if ((rc = lin_store_edge_by_id(db->store, ew.id, &cur)))
		goto done;
	if (insert) {
		if (!cur && (rc = lin_store_edge_by_identity(db->store, ew.source_id, ew.target_id,
							     ew.kind, ew.job_id, &cur)))
			goto done;
		if (cur) {
			rc = lin_error_set(LINEAGE_ECONFLICT, "cannot restore removed edge %lld: an edge with its id or identity exists again; remove it first", (long long)ew.id);
			goto done;
		}
		rc = lin_store_edge_insert(db->store, &ew, NULL);
	} else if (!cur) {
		rc = lin_error_set(LINEAGE_ECONFLICT, "cannot restore edge %lld: it was removed since", (long long)ew.id);
	} else if (!(rc = lin_edge_rec_json(cur, &before))) {
		rc = lin_store_edge_update(db->store, ew.id, &ew);
	}
	if (!rc)
		rc = record_edge(db, w, insert ? "create" : "update", ew.id, before);
done:
	free(props);
	free(evidence);
	free(before);
	lin_edge_rec_free(cur);
	json_decref(j);
	return rc;
}

static int count_cb(int64_t id, void *payload)
{
	(void)id;
	++*(size_t *)payload;
	return 0;
}

/* Undo a creation: the object goes, unless something added later depends on it. */
static int undo_create(lineage_db *db, lin_write *w, const lineage_change *c)
{
	size_t n = 0;
	int rc;
	if (!strcmp(c->entity, "edge"))
		return lin_edge_remove_one(db, w, c->entity_id);
	if ((rc = lin_store_edge_ids_touching(db->store, c->entity_id, count_cb, &n)) ||
	    (rc = lin_store_asset_child_ids(db->store, c->entity_id, count_cb, &n)))
		return rc;
	if (n)
		return lin_error_set(LINEAGE_ECONFLICT, "cannot undo the creation of asset \"%.200s\": edges or assets added later refer to it; remove or revert them first", c->asset_key ? c->asset_key : "?");
	return lin_asset_remove_one(db, w, c->entity_id);
}

static int undo(lineage_db *db, lin_write *w, const lineage_change *c)
{
	int edge = !strcmp(c->entity, "edge");
	if (!strcmp(c->action, "create"))
		return undo_create(db, w, c);
	if (!strcmp(c->action, "delete"))
		return edge ? restore_edge(db, w, c, 1) : restore_asset(db, w, c, 1);
	return edge ? restore_edge(db, w, c, 0) : restore_asset(db, w, c, 0);
}

static int revert(lineage_db *db, lin_write *w, int64_t batch_id)
{
	lineage_change_list *list = lin_change_list_new();
	int found = 0, rc;
	if (!list)
		return LINEAGE_ENOMEM;
	if ((rc = lin_store_batch_exists(db->store, batch_id, &found)))
		goto done;
	if (!found) {
		rc = lin_error_hint(LINEAGE_ENOTFOUND, LINEAGE_HINT_BATCH_IDS, NULL, "batch %lld does not exist", (long long)batch_id);
		goto done;
	}
	if ((rc = lin_store_changes_of_batch(db->store, batch_id, lin_change_list_add, list)) || !list->count)
		goto done;
	/* Check everything before changing anything. */
	for (size_t i = 0; i < list->count && !rc; i++) {
		const lineage_change *c = &list->items[i]->pub;
		int later = 0;
		if (!strcmp(c->entity, "token")) {
			rc = lin_error_set(LINEAGE_EINVALID, "batch %lld created or revoked an API token, which cannot be reverted: revoke the token instead", (long long)batch_id);
			break;
		}
		if ((rc = lin_store_changed_later(db->store, list->items[0]->pub.seq, batch_id, c->entity,
						  c->entity_id, &later)))
			break;
		if (later)
			rc = lin_error_set(LINEAGE_ECONFLICT, "cannot revert batch %lld: %s %lld (\"%.200s\") was changed by a later batch; revert that one first", (long long)batch_id, c->entity, (long long)c->entity_id, c->asset_key ? c->asset_key : "?");
	}
	for (size_t i = 0; i < list->count && !rc; i++)
		rc = undo(db, w, &list->items[i]->pub);
done:
	lineage_change_list_free(list);
	return rc;
}

int lineage_batch_revert(lineage_db *db, int64_t batch_id)
{
	lin_write w;
	int rc;
	if ((rc = lin_check_db(db)))
		return rc;
	if ((rc = lin_write_begin(db, &w)))
		return rc;
	rc = revert(db, &w, batch_id);
	return lin_write_end(db, &w, rc);
}
