/* Assets: upsert with its merge rules, get, remove, children. */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "lists.h"
#include "ops.h"
#include "common/strbuf.h"
#include "common/util.h"

#define NAME_MAX_BYTES 4096
#define OWNER_MAX 1024
#define DESCRIPTION_MAX 65536
#define STATUS_MAX 256
#define PROPERTIES_MAX (1u << 20)
#define UNKNOWN_KIND "unknown"

int lineage_asset_spec_init(lineage_asset_spec *spec, unsigned int version)
{
	if (!spec)
		return lin_error_set(LINEAGE_EINVALID, "spec is NULL: pass the struct to fill");
	if (version != LINEAGE_ASSET_SPEC_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "asset spec version %u is unknown: pass LINEAGE_ASSET_SPEC_VERSION (%d)", version, LINEAGE_ASSET_SPEC_VERSION);
	memset(spec, 0, sizeof *spec);
	spec->version = version;
	return 0;
}

const char *lin_default_name(const char *key)
{
	const char *dot = strrchr(key, '.');
	return dot && dot[1] ? dot + 1 : key;
}

static int streq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* A spec field against the stored value: NULL keeps it, "" clears it. */
static const char *merged(const char *given, const char *stored)
{
	if (!given)
		return stored;
	return *given ? given : NULL;
}

static int check_spec(const lineage_asset_spec *spec)
{
	int rc;
	if (!spec)
		return lin_error_set(LINEAGE_EINVALID, "spec is NULL: fill one with lineage_asset_spec_init()");
	if (spec->version != LINEAGE_ASSET_SPEC_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "asset spec version %u is unknown: fill it with lineage_asset_spec_init()", spec->version);
	if ((rc = lin_check_key(spec->key, "key")))
		return rc;
	if (spec->kind && (rc = lin_check_name(spec->kind, "kind")))
		return rc;
	if (spec->parent_key && *spec->parent_key && (rc = lin_check_key(spec->parent_key, "parent key")))
		return rc;
	if ((rc = lin_check_text(spec->name, "name", NAME_MAX_BYTES)) ||
	    (rc = lin_check_text(spec->owner, "owner", OWNER_MAX)) ||
	    (rc = lin_check_text(spec->description, "description", DESCRIPTION_MAX)) ||
	    (rc = lin_check_text(spec->status, "status", STATUS_MAX)) ||
	    (rc = lin_check_text(spec->properties_json, "properties", PROPERTIES_MAX)))
		return rc;
	return 0;
}

int lin_asset_rec_json(const lin_asset_rec *rec, char **out)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	int rc = lin_json_asset(&sb, &rec->pub, rec->tags_json);
	if (rc) {
		lin_strbuf_free(&sb);
		*out = NULL;
		return rc;
	}
	*out = lin_strbuf_detach(&sb);
	return 0;
}

/* Refuse a parent that is the asset itself or one of its descendants. The stored tree is
 * acyclic, so walking up from the new parent ends at a root. */
static int check_no_cycle(lineage_db *db, int64_t self, int64_t parent, const char *key,
			  const char *parent_key)
{
	int64_t cur = parent;
	int rc;
	for (uint64_t steps = 0; cur; steps++) {
		if (cur == self)
			return lin_error_set(LINEAGE_ECONFLICT, "asset \"%.200s\" cannot be contained in \"%.200s\", which it contains itself: choose another parent", key, parent_key);
		if (steps > 100000000u)
			return lin_error_set(LINEAGE_EIO, "the containment of \"%.200s\" loops: the database is damaged; restore it from a backup", key);
		if ((rc = lin_store_asset_parent(db->store, cur, &cur)))
			return rc;
	}
	return 0;
}

/* The parent's id for spec->parent_key (non-empty), creating it when asked. */
static int resolve_parent(lineage_db *db, lin_write *w, const lineage_asset_spec *spec,
			  int64_t self, int64_t *out)
{
	int rc;
	*out = 0;
	if (!strcmp(spec->parent_key, spec->key))
		return lin_error_set(LINEAGE_ECONFLICT, "asset \"%.200s\" cannot contain itself: give another parent key", spec->key);
	if ((rc = lin_store_asset_lookup(db->store, spec->parent_key, out, NULL)))
		return rc;
	if (!*out) {
		if (!spec->create_missing)
			return lin_error_hint(LINEAGE_ENOTFOUND, LINEAGE_HINT_CREATE_MISSING, spec->parent_key, "parent asset \"%.200s\" of \"%.200s\" does not exist", spec->parent_key, spec->key);
		return lin_asset_ensure(db, w, spec->parent_key, NULL, out);
	}
	return self ? check_no_cycle(db, self, *out, spec->key, spec->parent_key) : 0;
}

/* The change record of an asset: before/after JSON as given. */
static int record(lineage_db *db, lin_write *w, const char *action, int64_t id, const char *key,
		  const char *before, const char *after)
{
	lin_audit a = {action, "asset", id, key, NULL, before, after, NULL, NULL};
	return lin_audit_record(db, w, &a);
}

static int after_json(const lineage_asset *a, const char *tags_json, char **out)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	int rc = lin_json_asset(&sb, a, tags_json);
	*out = rc ? NULL : lin_strbuf_detach(&sb);
	lin_strbuf_free(&sb);
	return rc;
}

static int create(lineage_db *db, lin_write *w, const lineage_asset_spec *spec, int64_t *out_id)
{
	lin_asset_write aw = {0};
	char *tags = NULL, *props = NULL;
	int rc;

	if (!spec->kind || !strcmp(spec->kind, ""))
		return lin_error_set(LINEAGE_EINVALID, "asset \"%.200s\" does not exist and no kind was given: give a kind such as \"table\" to create it", spec->key);
	if (spec->parent_key && *spec->parent_key && (rc = resolve_parent(db, w, spec, 0, &aw.parent_id)))
		goto done;
	if (spec->tags_set && (rc = lin_json_tags(spec->tags, spec->tag_count, &tags)))
		goto done;
	if (spec->properties_json && *spec->properties_json &&
	    (rc = lin_json_merge_patch(NULL, spec->properties_json, &props)))
		goto done;
	aw.key = spec->key;
	aw.kind = spec->kind;
	aw.name = spec->name && *spec->name ? spec->name : lin_default_name(spec->key);
	aw.owner = merged(spec->owner, NULL);
	aw.description = merged(spec->description, NULL);
	aw.status = merged(spec->status, NULL);
	aw.tags_json = tags ? tags : "[]";
	aw.properties_json = props ? props : "{}";
	aw.created_at = aw.updated_at = lin_now_ms();
	if ((rc = lin_store_asset_insert(db->store, &aw, out_id)))
		goto done;
	/* a creation's after state is the stored row (lin_audit_record) */
	rc = record(db, w, "create", *out_id, spec->key, NULL, NULL);
done:
	free(tags);
	free(props);
	return rc;
}

/* `replace`: spec->properties_json replaces the stored properties (the caller merged them)
 * instead of being merged into them (RFC 7396). */
/* lin_asset_set_state's record, made what the store now holds (its caller keeps it). */
static int refresh_state(lin_asset_rec *rec, const char *status, const char *props,
			 int64_t updated_at)
{
	char *s = status ? lin_strdup(status) : NULL, *p = lin_strdup(props);
	if ((status && !s) || !p) {
		free(s);
		free(p);
		return lin_error_oom();
	}
	free((char *)rec->pub.status);
	free((char *)rec->pub.properties_json);
	rec->pub.status = s;
	rec->pub.properties_json = p;
	rec->pub.updated_at_ms = updated_at;
	return 0;
}

static int update(lineage_db *db, lin_write *w, const lineage_asset_spec *spec,
		  lin_asset_rec *rec, int replace, lineage_outcome *outcome)
{
	lin_asset_write aw = {0};
	lineage_asset a = {0};
	const char *parent_key = rec->pub.parent_key;
	char *tags = NULL, *props = NULL, *before = NULL, *after = NULL;
	int rc = 0;

	aw.kind = rec->pub.kind;
	if (spec->kind && strcmp(spec->kind, rec->pub.kind) && strcmp(spec->kind, UNKNOWN_KIND)) {
		if (strcmp(rec->pub.kind, UNKNOWN_KIND))
			return lin_error_set(LINEAGE_ECONFLICT, "asset \"%.200s\" is a \"%.100s\" and cannot become a \"%.100s\": remove it first, or use another key", spec->key, rec->pub.kind, spec->kind);
		aw.kind = spec->kind;
	}
	aw.parent_id = rec->parent_id;
	if (spec->parent_key) {
		if (!*spec->parent_key) {
			aw.parent_id = 0;
			parent_key = NULL;
		} else if ((rc = resolve_parent(db, w, spec, rec->pub.id, &aw.parent_id))) {
			goto done;
		} else {
			parent_key = spec->parent_key;
		}
	}
	if (spec->tags_set && (rc = lin_json_tags(spec->tags, spec->tag_count, &tags)))
		goto done;
	if (replace && !(props = lin_strdup(spec->properties_json))) {
		rc = lin_error_oom();
		goto done;
	}
	if (!replace && spec->properties_json && *spec->properties_json &&
	    (rc = lin_json_merge_patch(rec->pub.properties_json, spec->properties_json, &props)))
		goto done;
	aw.id = rec->pub.id;
	aw.key = rec->pub.key;
	aw.name = !spec->name ? rec->pub.name : *spec->name ? spec->name : lin_default_name(spec->key);
	aw.owner = merged(spec->owner, rec->pub.owner);
	aw.description = merged(spec->description, rec->pub.description);
	aw.status = merged(spec->status, rec->pub.status);
	aw.tags_json = tags ? tags : rec->tags_json ? rec->tags_json : "[]";
	aw.properties_json = props ? props : rec->pub.properties_json;
	if (streq(aw.kind, rec->pub.kind) && streq(aw.name, rec->pub.name) &&
	    aw.parent_id == rec->parent_id && streq(aw.owner, rec->pub.owner) &&
	    streq(aw.description, rec->pub.description) && streq(aw.status, rec->pub.status) &&
	    streq(aw.tags_json, rec->tags_json ? rec->tags_json : "[]") &&
	    streq(aw.properties_json, rec->pub.properties_json)) {
		*outcome = LINEAGE_UNCHANGED;
		goto done;
	}
	aw.created_at = rec->pub.created_at_ms;
	aw.updated_at = lin_now_ms();
	if ((rc = lin_asset_rec_json(rec, &before)) ||
	    (rc = lin_store_asset_update(db->store, rec->pub.id, &aw)))
		goto done;
	a.id = rec->pub.id;
	a.key = aw.key;
	a.kind = aw.kind;
	a.name = aw.name;
	a.parent_key = parent_key;
	a.owner = aw.owner;
	a.description = aw.description;
	a.status = aw.status;
	a.properties_json = aw.properties_json;
	a.created_at_ms = aw.created_at;
	a.updated_at_ms = aw.updated_at;
	if ((rc = after_json(&a, aw.tags_json, &after)))
		goto done;
	rc = record(db, w, "update", rec->pub.id, rec->pub.key, before, after);
	*outcome = LINEAGE_UPDATED;
	if (!rc && replace)
		rc = refresh_state(rec, aw.status, aw.properties_json, aw.updated_at);
done:
	free(tags);
	free(props);
	free(before);
	free(after);
	return rc;
}

static int upsert(lineage_db *db, lin_write *w, const lineage_asset_spec *spec,
		  lineage_outcome *outcome, int64_t *id)
{
	lin_asset_rec *rec = NULL;
	int rc;
	if (spec->kind && (rc = lin_asset_kind_check(db, spec->kind)))
		return rc;
	if ((rc = lin_store_asset_by_key(db->store, spec->key, &rec)))
		return rc;
	if (!rec) {
		*outcome = LINEAGE_CREATED;
		return create(db, w, spec, id);
	}
	*id = rec->pub.id;
	rc = update(db, w, spec, rec, 0, outcome);
	lin_asset_rec_free(rec);
	return rc;
}

int lin_asset_ensure(lineage_db *db, lin_write *w, const char *key, const char *kind,
		     int64_t *out_id)
{
	lineage_asset_spec spec;
	lineage_outcome outcome;
	int unknown = 0, rc;
	if ((rc = lin_store_asset_lookup(db->store, key, out_id, &unknown)))
		return rc;
	if (*out_id && (!unknown || !kind || !strcmp(kind, UNKNOWN_KIND)))
		return 0;
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = key;
	spec.kind = kind ? kind : UNKNOWN_KIND;
	return upsert(db, w, &spec, &outcome, out_id);
}

int lin_asset_set_state(lineage_outcome *out_outcome, lineage_db *db, lin_asset_rec *rec,
			const char *status, const char *properties_json)
{
	lineage_asset_spec spec;
	lin_write w;
	int rc;
	*out_outcome = LINEAGE_UNCHANGED;
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = rec->pub.key;
	spec.status = status;
	spec.properties_json = properties_json;
	if ((rc = lin_check_db(db)) || (rc = lin_write_begin(db, &w)))
		return rc;
	rc = update(db, &w, &spec, rec, 1, out_outcome);
	return lin_write_end(db, &w, rc);
}

int lineage_asset_upsert(lineage_outcome *out_outcome, int64_t *out_id, lineage_db *db,
			 const lineage_asset_spec *spec)
{
	lineage_outcome outcome = LINEAGE_UNCHANGED;
	int64_t id = 0;
	lin_write w;
	int rc;
	if ((rc = lin_check_db(db)) || (rc = check_spec(spec)))
		return rc;
	if ((rc = lin_write_begin(db, &w)))
		return rc;
	rc = upsert(db, &w, spec, &outcome, &id);
	if ((rc = lin_write_end(db, &w, rc)))
		return rc;
	if (out_outcome)
		*out_outcome = outcome;
	if (out_id)
		*out_id = id;
	return 0;
}

int lineage_asset_get(lineage_asset **out, lineage_db *db, const char *key)
{
	lin_asset_rec *rec = NULL;
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "out is NULL: pass the address of a lineage_asset pointer");
	*out = NULL;
	if ((rc = lin_check_db(db)) || (rc = lin_check_key(key, "key")))
		return rc;
	if ((rc = lin_store_asset_by_key(db->store, key, &rec)))
		return rc;
	if (!rec)
		return lin_error_set(LINEAGE_ENOTFOUND, "asset \"%.200s\" does not exist: check the key (keys are case-sensitive)", key);
	*out = &rec->pub;
	return 0;
}

int lineage_asset_get_by_id(lineage_asset **out, lineage_db *db, int64_t id)
{
	lin_asset_rec *rec = NULL;
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "out is NULL: pass the address of a lineage_asset pointer");
	*out = NULL;
	if ((rc = lin_check_db(db)) || (rc = lin_store_asset_by_id(db->store, id, &rec)))
		return rc;
	if (!rec)
		return lin_error_set(LINEAGE_ENOTFOUND, "no asset has id %lld: it may have been removed", (long long)id);
	*out = &rec->pub;
	return 0;
}

void lineage_asset_free(lineage_asset *asset)
{
	/* Every lineage_asset handed out is the first member of a lin_asset_rec. */
	lin_asset_rec_free((lin_asset_rec *)asset);
}

int lineage_asset_to_json(char **out, const lineage_asset *asset)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	int rc;
	if (!out || !asset)
		return lin_error_set(LINEAGE_EINVALID, "out and asset must not be NULL");
	*out = NULL;
	if ((rc = lin_json_asset(&sb, asset, NULL))) {
		lin_strbuf_free(&sb);
		return rc;
	}
	*out = lin_strbuf_detach(&sb);
	return 0;
}

/* ---- removal ---- */

typedef struct id_vec {
	int64_t *ids;
	size_t n, cap;
} id_vec;

static int id_push(int64_t id, void *payload)
{
	id_vec *v = payload;
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		int64_t *p = realloc(v->ids, cap * sizeof *p);
		if (!p)
			return lin_error_oom();
		v->ids = p;
		v->cap = cap;
	}
	v->ids[v->n++] = id;
	return 0;
}

int lin_asset_remove_one(lineage_db *db, lin_write *w, int64_t id)
{
	id_vec edges = {0};
	lin_asset_rec *rec = NULL;
	char *before = NULL;
	int rc;
	if ((rc = lin_store_edge_ids_touching(db->store, id, id_push, &edges)))
		goto done;
	for (size_t i = 0; i < edges.n && !rc; i++)
		rc = lin_edge_remove_one(db, w, edges.ids[i]);
	if (rc || (rc = lin_store_asset_by_id(db->store, id, &rec)))
		goto done;
	if (!rec) {
		rc = lin_error_set(LINEAGE_ENOTFOUND, "no asset has id %lld: it may have been removed", (long long)id);
		goto done;
	}
	if ((rc = lin_asset_rec_json(rec, &before)) || (rc = lin_store_asset_delete(db->store, id)))
		goto done;
	rc = record(db, w, "delete", id, rec->pub.key, before, NULL);
done:
	free(edges.ids);
	free(before);
	lin_asset_rec_free(rec);
	return rc;
}

static int remove_tree(lineage_db *db, lin_write *w, const char *key, unsigned int flags)
{
	id_vec tree = {0};
	int64_t id = 0;
	int rc;
	if ((rc = lin_store_asset_lookup(db->store, key, &id, NULL)))
		return rc;
	if (!id)
		return lin_error_set(LINEAGE_ENOTFOUND, "asset \"%.200s\" does not exist: check the key (keys are case-sensitive)", key);
	if ((rc = id_push(id, &tree)))
		goto done;
	/* Breadth-first, without recursion; then removed deepest first. */
	for (size_t i = 0; i < tree.n && !rc; i++) {
		size_t before = tree.n;
		rc = lin_store_asset_child_ids(db->store, tree.ids[i], id_push, &tree);
		if (!rc && !(flags & LINEAGE_REMOVE_CASCADE) && tree.n > before) {
			lin_asset_rec *child = NULL;
			lin_store_asset_by_id(db->store, tree.ids[before], &child);
			rc = lin_error_hint(LINEAGE_ECONFLICT, LINEAGE_HINT_REMOVE_CASCADE, key, "asset \"%.200s\" contains %zu other asset(s), such as \"%.200s\"", key, tree.n - before, child ? child->pub.key : "?");
			lin_asset_rec_free(child);
		}
	}
	for (size_t i = tree.n; i > 0 && !rc; i--)
		rc = lin_asset_remove_one(db, w, tree.ids[i - 1]);
done:
	free(tree.ids);
	return rc;
}

int lineage_asset_remove(lineage_db *db, const char *key, unsigned int flags)
{
	lin_write w;
	int rc;
	if ((rc = lin_check_db(db)) || (rc = lin_check_key(key, "key")))
		return rc;
	if (flags & ~LINEAGE_REMOVE_CASCADE)
		return lin_error_set(LINEAGE_EINVALID, "unknown remove flags 0x%x: use 0 or LINEAGE_REMOVE_CASCADE", flags);
	if ((rc = lin_write_begin(db, &w)))
		return rc;
	rc = remove_tree(db, &w, key, flags);
	return lin_write_end(db, &w, rc);
}

int lineage_asset_children(lineage_asset_list **out, lineage_db *db, const char *key)
{
	lineage_asset_list *list;
	int64_t id = 0;
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "out is NULL: pass the address of a list pointer");
	*out = NULL;
	if ((rc = lin_check_db(db)) || (rc = lin_check_key(key, "key")))
		return rc;
	if ((rc = lin_store_asset_lookup(db->store, key, &id, NULL)))
		return rc;
	if (!id)
		return lin_error_set(LINEAGE_ENOTFOUND, "asset \"%.200s\" does not exist: check the key (keys are case-sensitive)", key);
	if (!(list = lin_asset_list_new()))
		return LINEAGE_ENOMEM;
	if ((rc = lin_store_asset_children(db->store, id, lin_asset_list_add, list))) {
		lineage_asset_list_free(list);
		return rc;
	}
	list->total = list->count;
	*out = list;
	return 0;
}
