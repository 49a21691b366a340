/* The stats JSON for a metrics endpoint. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "write.h"
#include "common/util.h"

static int put(json_t *obj, const char *key, int64_t value)
{
	return json_object_set_new(obj, key, json_integer((json_int_t)value)) ? lin_error_oom() : 0;
}

static int stat_cb(const char *group, const char *name, int64_t value, void *payload)
{
	json_t *root = payload, *sub;
	if (!name)
		return put(root, group, value);
	sub = json_object_get(root, group);
	if (!sub)
		return 0;
	if (!strcmp(group, "edges_by_source"))
		name = lineage_source_name((lineage_source)atoi(name));
	else if (!strcmp(group, "edges_by_status"))
		name = lineage_edge_status_name((lineage_edge_status)atoi(name));
	return put(sub, name, value);
}

int lineage_db_stats_json(char **out, lineage_db *db)
{
	static const char *const groups[] = {"assets_by_kind", "edges_by_kind", "edges_by_source",
					     "edges_by_status"};
	json_t *root = NULL, *src, *status;
	int rc = 0;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "out is NULL: pass the address of a char pointer");
	*out = NULL;
	if ((rc = lin_check_db(db)))
		return rc;
	if (!(root = json_object()))
		return lin_error_oom();
	for (size_t i = 0; i < sizeof groups / sizeof groups[0] && !rc; i++)
		if (json_object_set_new(root, groups[i], json_object()))
			rc = lin_error_oom();
	src = json_object_get(root, "edges_by_source");
	status = json_object_get(root, "edges_by_status");
	/* Every source and status appears, with 0 when there are none. */
	for (int s = LINEAGE_SOURCE_INFERRED; s <= LINEAGE_SOURCE_APPROVED && !rc; s++)
		rc = put(src, lineage_source_name((lineage_source)s), 0);
	for (int s = LINEAGE_EDGE_ACTIVE; s <= LINEAGE_EDGE_RETIRED && !rc; s++)
		rc = put(status, lineage_edge_status_name((lineage_edge_status)s), 0);
	if (!rc)
		rc = lin_store_stats(db->store, stat_cb, root);
	if (!rc)
		rc = put(root, "schema_version", lin_store_schema_version(db->store));
	if (!rc && !(*out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER)))
		rc = lin_error_oom();
	json_decref(root);
	return rc;
}
