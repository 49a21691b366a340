/*
 * Saved views (include/lineage/view.h): a name, checked here, and a JSON body whose known
 * members are checked so that every page that reopens a view can trust their types; the
 * store keeps the body as compact JSON with sorted keys.
 */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "json.h"
#include "write.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "store/views.h"

static int check_name(const char *name, const char *what)
{
	size_t len;
	int rc;
	if (!name || !*name)
		return lin_error_set(LINEAGE_EINVALID, "%s is missing: give the view a name such as \"orders upstream\"", what);
	if ((rc = lin_check_name(name, what)))
		return rc;
	len = strlen(name);
	if (len > LINEAGE_VIEW_NAME_MAX)
		return lin_error_set(LINEAGE_EINVALID, "%s is %zu bytes long: at most %d are allowed; choose a shorter name", what, len, LINEAGE_VIEW_NAME_MAX);
	if (strchr(name, '/'))
		return lin_error_set(LINEAGE_EINVALID, "%s \"%s\" contains '/': views are named in web addresses, so use another character such as '-'", what, name);
	if (name[0] == ' ' || name[len - 1] == ' ')
		return lin_error_set(LINEAGE_EINVALID, "%s \"%s\" starts or ends with a space: remove it", what, name);
	return 0;
}

static int bad_member(const char *member, const char *expected)
{
	return lin_error_set(LINEAGE_EINVALID, "the view's \"%s\" must be %s: fix that member of the view", member, expected);
}

static int check_positions(json_t *positions)
{
	const char *key;
	json_t *p;
	if (!json_is_object(positions))
		return bad_member("positions", "an object of node keys to {\"x\": number, \"y\": number}");
	if (json_object_size(positions) > LINEAGE_VIEW_POSITIONS_MAX)
		return lin_error_set(LINEAGE_ELIMIT, "the view keeps the positions of %zu nodes: at most %d are kept; save a view of fewer nodes", json_object_size(positions), LINEAGE_VIEW_POSITIONS_MAX);
	json_object_foreach(positions, key, p) {
		json_t *x = json_object_get(p, "x"), *y = json_object_get(p, "y");
		if (!json_is_number(x) || !json_is_number(y) || !isfinite(json_number_value(x)) ||
		    !isfinite(json_number_value(y)))
			return lin_error_set(LINEAGE_EINVALID, "the view's position of \"%.200s\" must be {\"x\": number, \"y\": number}: fix that member of the view", key);
	}
	return 0;
}

static int check_body(json_t *v)
{
	json_t *m;
	size_t i;
	if (!json_is_object(v))
		return lin_error_set(LINEAGE_EINVALID, "a view must be a JSON object such as {\"root\": \"warehouse.orders\", \"depth\": 2}: wrap its members in an object");
	if ((m = json_object_get(v, "root")) && !json_is_null(m) &&
	    (!json_is_string(m) || !json_string_length(m) || json_string_length(m) > 4096))
		return bad_member("root", "an asset key (text of 1 to 4096 bytes)");
	if ((m = json_object_get(v, "direction")) &&
	    (!json_is_string(m) || (strcmp(json_string_value(m), "upstream") &&
				    strcmp(json_string_value(m), "downstream") &&
				    strcmp(json_string_value(m), "both"))))
		return bad_member("direction", "\"upstream\", \"downstream\" or \"both\"");
	if ((m = json_object_get(v, "depth")) &&
	    (!json_is_integer(m) || json_integer_value(m) < 0 || json_integer_value(m) > 1000))
		return bad_member("depth", "a whole number from 0 to 1000");
	if ((m = json_object_get(v, "min_confidence")) &&
	    (!json_is_number(m) || !(json_number_value(m) >= 0 && json_number_value(m) <= 1)))
		return bad_member("min_confidence", "a number from 0 to 1");
	if ((m = json_object_get(v, "layout")) && !json_is_string(m))
		return bad_member("layout", "a layout's name (text)");
	if ((m = json_object_get(v, "kinds"))) {
		json_t *k;
		if (!json_is_array(m))
			return bad_member("kinds", "a list of kind names");
		json_array_foreach(m, i, k)
			if (!json_is_string(k))
				return bad_member("kinds", "a list of kind names (text)");
	}
	if ((m = json_object_get(v, "positions")))
		return check_positions(m);
	return 0;
}

/* The body checked, compact with sorted keys (*out new, free()), and its root (borrowed
 * from *parsed, json_decref() it). */
static int parse_body(const char *text, char **out, json_t **parsed, const char **root)
{
	json_error_t err;
	size_t len;
	json_t *v, *r;
	int rc;
	*out = NULL;
	*parsed = NULL;
	*root = NULL;
	if (!text)
		return lin_error_set(LINEAGE_EINVALID, "the view is missing: give it as a JSON object such as {\"root\": \"warehouse.orders\"}");
	if ((len = strlen(text)) > LINEAGE_VIEW_BODY_MAX)
		return lin_error_set(LINEAGE_ELIMIT, "the view is %zu bytes of JSON: at most %d are kept; save fewer node positions", len, LINEAGE_VIEW_BODY_MAX);
	if (!(v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err)))
		return lin_error_set(LINEAGE_EINVALID, "the view is not valid JSON (%s at line %d, column %d): fix the JSON text", err.text, err.line, err.column);
	if ((rc = check_body(v))) {
		json_decref(v);
		return rc;
	}
	if (!(*out = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS))) {
		json_decref(v);
		return lin_error_oom();
	}
	r = json_object_get(v, "root");
	*root = json_is_string(r) ? json_string_value(r) : NULL;
	*parsed = v;
	return 0;
}

/* ---- Reading ---- */

typedef struct found_row {
	int found;
	int keep;         /* copy the root and body */
	char *root, *body;
	lin_strbuf *json; /* when set, the view as JSON */
} found_row;

static int row_json(lin_strbuf *sb, const lin_view_row *r)
{
	int rc = lin_strbuf_puts(sb, "{\"name\":");
	rc = rc ? rc : lin_json_str(sb, r->name);
	rc = rc ? rc : lin_strbuf_puts(sb, ",\"root\":");
	rc = rc ? rc : lin_json_str(sb, r->root);
	if (r->body) {
		rc = rc ? rc : lin_strbuf_puts(sb, ",\"view\":");
		rc = rc ? rc : lin_json_raw(sb, r->body, "{}");
	}
	rc = rc ? rc : lin_strbuf_puts(sb, ",\"created_by\":");
	rc = rc ? rc : lin_json_str(sb, r->created_by);
	rc = rc ? rc : lin_strbuf_puts(sb, ",\"created_at\":");
	rc = rc ? rc : lin_json_time(sb, r->created_at, 0);
	rc = rc ? rc : lin_strbuf_puts(sb, ",\"updated_by\":");
	rc = rc ? rc : lin_json_str(sb, r->updated_by);
	rc = rc ? rc : lin_strbuf_puts(sb, ",\"updated_at\":");
	rc = rc ? rc : lin_json_time(sb, r->updated_at, 0);
	rc = rc ? rc : lin_strbuf_puts(sb, "}");
	return rc ? lin_error_oom() : 0;
}

static int on_found(const lin_view_row *r, void *payload)
{
	found_row *f = payload;
	f->found = 1;
	if (f->keep && ((r->root && !(f->root = lin_strdup(r->root))) ||
			!(f->body = lin_strdup(r->body ? r->body : "{}"))))
		return lin_error_oom();
	return f->json ? row_json(f->json, r) : 0;
}

static void found_free(found_row *f)
{
	free(f->root);
	free(f->body);
}

static int find(lineage_db *db, const char *name, found_row *f)
{
	return lin_store_view_get(db->store, name, on_found, f);
}

static int not_found(const char *name)
{
	return lin_error_set(LINEAGE_ENOTFOUND, "there is no saved view \"%s\": list the views to see their names", name);
}

int lineage_view_get(char **out, lineage_db *db, const char *name)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	found_row f = {0};
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "out is NULL: pass the address of a char pointer");
	*out = NULL;
	if ((rc = lin_check_db(db)) || (rc = check_name(name, "the view's name")))
		return rc;
	f.json = &sb;
	if (!(rc = find(db, name, &f)) && !f.found)
		rc = not_found(name);
	if (rc) {
		lin_strbuf_free(&sb);
		return rc;
	}
	*out = sb.data;
	return 0;
}

typedef struct list_ctx {
	lin_strbuf sb;
	size_t n;
} list_ctx;

static int list_row(const lin_view_row *r, void *payload)
{
	list_ctx *c = payload;
	if (c->n++ && lin_strbuf_puts(&c->sb, ","))
		return lin_error_oom();
	return row_json(&c->sb, r);
}

int lineage_view_list(char **out, lineage_db *db, size_t offset, size_t limit)
{
	list_ctx c = {LIN_STRBUF_INIT, 0};
	int64_t total = 0;
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "out is NULL: pass the address of a char pointer");
	*out = NULL;
	if ((rc = lin_check_db(db)))
		return rc;
	if (lin_strbuf_puts(&c.sb, "{\"views\":["))
		rc = lin_error_oom();
	rc = rc ? rc : lin_store_views_each(db->store, offset, limit, list_row, &c);
	rc = rc ? rc : lin_store_view_count(db->store, &total);
	if (!rc && lin_strbuf_printf(&c.sb, "],\"total\":%lld}", (long long)total))
		rc = lin_error_oom();
	if (rc) {
		lin_strbuf_free(&c.sb);
		return rc;
	}
	*out = c.sb.data;
	return 0;
}

/* ---- Writing ---- */

int lineage_view_save(lineage_db *db, const char *name, const char *body_json,
		      lineage_view_save_mode mode)
{
	lin_view_row row = {0};
	found_row f = {0};
	json_t *parsed = NULL;
	char *body = NULL;
	lin_write w;
	int rc;
	if ((rc = lin_check_db(db)) || (rc = check_name(name, "the view's name")))
		return rc;
	if (mode != LINEAGE_VIEW_UPSERT && mode != LINEAGE_VIEW_CREATE && mode != LINEAGE_VIEW_REPLACE)
		return lin_error_set(LINEAGE_EINVALID, "save mode %d is not a mode: use upsert (0), create (1) or replace (2)", (int)mode);
	if ((rc = parse_body(body_json, &body, &parsed, &row.root)))
		return rc;
	row.name = name;
	row.body = body;
	row.updated_by = row.created_by = db->actor;
	row.updated_at = row.created_at = lin_now_ms();
	if ((rc = lin_write_begin(db, &w)))
		goto done;
	rc = find(db, name, &f);
	if (!rc && f.found && mode == LINEAGE_VIEW_CREATE)
		rc = lin_error_set(LINEAGE_EEXISTS, "a view named \"%s\" is already saved: choose another name, or overwrite it", name);
	else if (!rc && !f.found && mode == LINEAGE_VIEW_REPLACE)
		rc = not_found(name);
	else if (!rc)
		rc = f.found ? lin_store_view_update(db->store, name, &row)
			     : lin_store_view_insert(db->store, &row);
	rc = lin_write_end(db, &w, rc);
done:
	free(body);
	json_decref(parsed);
	return rc;
}

int lineage_view_rename(lineage_db *db, const char *name, const char *new_name)
{
	lin_view_row row = {0};
	found_row f = {0}, taken = {0};
	lin_write w;
	int rc;
	if ((rc = lin_check_db(db)) || (rc = check_name(name, "the view's name")) ||
	    (rc = check_name(new_name, "the view's new name")))
		return rc;
	if ((rc = lin_write_begin(db, &w)))
		return rc;
	f.keep = 1;
	if (!(rc = find(db, name, &f)) && !f.found)
		rc = not_found(name);
	if (!rc && strcmp(name, new_name) && !(rc = find(db, new_name, &taken)) && taken.found)
		rc = lin_error_set(LINEAGE_EEXISTS, "a view named \"%s\" is already saved: choose another name, or delete that view first", new_name);
	if (!rc) {
		row.name = new_name;
		row.root = f.root;
		row.body = f.body;
		row.updated_by = db->actor;
		row.updated_at = lin_now_ms();
		rc = lin_store_view_update(db->store, name, &row);
	}
	rc = lin_write_end(db, &w, rc);
	found_free(&f);
	return rc;
}

int lineage_view_delete(lineage_db *db, const char *name)
{
	found_row f = {0};
	lin_write w;
	int rc;
	if ((rc = lin_check_db(db)) || (rc = check_name(name, "the view's name")))
		return rc;
	if ((rc = lin_write_begin(db, &w)))
		return rc;
	if (!(rc = find(db, name, &f)) && !f.found)
		rc = not_found(name);
	if (!rc)
		rc = lin_store_view_delete(db->store, name);
	return lin_write_end(db, &w, rc);
}
