/* The audit trail and change feed: reading. */
#include <string.h>

#include "lists.h"
#include "ops.h"
#include "write.h"
#include "common/util.h"

#define DEFAULT_LIMIT 1000
#define MAX_LIMIT 100000

static int check_limit(size_t *limit)
{
	if (*limit == 0)
		*limit = DEFAULT_LIMIT;
	if (*limit > MAX_LIMIT)
		return lin_error_set(LINEAGE_EINVALID, "limit %zu is too large: ask for at most %d changes at a time and page with the last seq", *limit, MAX_LIMIT);
	return 0;
}

typedef int (*fill_fn)(lineage_db *db, const void *arg, size_t limit, lineage_change_list *list);

/* The after state of a creation not changed since (see lib/store/sqlite/sq_changes.c):
 * the entity as it is now; none when it is gone (its deletion would have said). */
static int current_json(lineage_db *db, const lineage_change *c, char **out)
{
	int rc;
	*out = NULL;
	if (!strcmp(c->entity, "edge")) {
		lin_edge_rec *rec = NULL;
		if (!(rc = lin_store_edge_by_id(db->store, c->entity_id, &rec)) && rec)
			rc = lin_edge_rec_json(rec, out);
		lin_edge_rec_free(rec);
	} else {
		lin_asset_rec *rec = NULL;
		if (!(rc = lin_store_asset_by_id(db->store, c->entity_id, &rec)) && rec)
			rc = lin_asset_rec_json(rec, out);
		lin_asset_rec_free(rec);
	}
	return rc;
}

static int fill_creations(lineage_db *db, lineage_change_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		lineage_change *c = &list->items[i]->pub;
		char *json = NULL;
		int rc;
		if (c->after_json || !c->action || strcmp(c->action, "create"))
			continue;
		if ((rc = current_json(db, c, &json)))
			return rc;
		c->after_json = json;
	}
	return 0;
}

static int run(lineage_change_list **out, lineage_db *db, size_t limit, fill_fn fill,
	       const void *arg)
{
	lineage_change_list *list;
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "out is NULL: pass the address of a list pointer");
	*out = NULL;
	if ((rc = lin_check_db(db)) || (rc = check_limit(&limit)))
		return rc;
	if (!(list = lin_change_list_new()))
		return LINEAGE_ENOMEM;
	if ((rc = fill(db, arg, limit, list)) || (rc = fill_creations(db, list))) {
		lineage_change_list_free(list);
		return rc;
	}
	*out = list;
	return 0;
}

struct asset_page {
	const char *key;
	size_t offset;
	int64_t *total;
};

static int fill_asset(lineage_db *db, const void *arg, size_t limit, lineage_change_list *list)
{
	const struct asset_page *page = arg;
	return lin_store_history_asset(db->store, page->key, page->offset, limit, page->total,
				       lin_change_list_add, list);
}

int lineage_history_asset_page(lineage_change_list **out, size_t *total, lineage_db *db,
			       const char *key, size_t offset, size_t limit)
{
	int64_t count = 0;
	struct asset_page page = {key, offset, total ? &count : NULL};
	int rc = lin_check_key(key, "key");
	if (total)
		*total = 0;
	if (!rc && offset > (size_t)INT64_MAX)
		rc = lin_error_set(LINEAGE_EINVALID, "offset %zu is too large", offset);
	if (rc) {
		if (out)
			*out = NULL;
		return rc;
	}
	if ((rc = run(out, db, limit, fill_asset, &page)))
		return rc;
	if (total)
		*total = (size_t)count;
	return 0;
}

int lineage_history_asset(lineage_change_list **out, lineage_db *db, const char *key,
			  size_t limit)
{
	return lineage_history_asset_page(out, NULL, db, key, 0, limit);
}

static int fill_edge(lineage_db *db, const void *arg, size_t limit, lineage_change_list *list)
{
	return lin_store_history_edge(db->store, *(const int64_t *)arg, limit, lin_change_list_add,
				      list);
}

int lineage_history_edge(lineage_change_list **out, lineage_db *db, int64_t id, size_t limit)
{
	return run(out, db, limit, fill_edge, &id);
}

static int fill_since(lineage_db *db, const void *arg, size_t limit, lineage_change_list *list)
{
	return lin_store_changes_since(db->store, *(const int64_t *)arg, limit, lin_change_list_add,
				       list);
}

int lineage_changes_since(lineage_change_list **out, lineage_db *db, int64_t since_seq,
			  size_t limit)
{
	return run(out, db, limit, fill_since, &since_seq);
}

int lineage_changes_last_seq(int64_t *out, lineage_db *db)
{
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "out is NULL: pass the address of an int64_t");
	*out = 0;
	if ((rc = lin_check_db(db)))
		return rc;
	return lin_store_last_seq(db->store, out);
}
