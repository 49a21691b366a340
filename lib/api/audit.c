/* The audit trail and change feed: reading. */
#include "lists.h"
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
	if ((rc = fill(db, arg, limit, list))) {
		lineage_change_list_free(list);
		return rc;
	}
	*out = list;
	return 0;
}

static int fill_asset(lineage_db *db, const void *arg, size_t limit, lineage_change_list *list)
{
	return lin_store_history_asset(db->store, arg, limit, lin_change_list_add, list);
}

int lineage_history_asset(lineage_change_list **out, lineage_db *db, const char *key,
			  size_t limit)
{
	int rc = lin_check_key(key, "key");
	if (rc) {
		if (out)
			*out = NULL;
		return rc;
	}
	return run(out, db, limit, fill_asset, key);
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
