/* Columns of a table the store knows, for SELECT * expansion in SQL analysis. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "scan_internal.h"

/* The table as named in SQL, else lower-cased (unquoted SQL names are stored that way). */
static int children(lin_column_lookup *cl, const char *table)
{
	char *lower;
	int rc;
	if (lineage_asset_children(&cl->list, cl->db, table) == 0)
		return 0;
	lower = lin_strdup(table);
	if (!lower)
		return LINEAGE_ENOMEM;
	for (char *c = lower; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	rc = lineage_asset_children(&cl->list, cl->db, lower);
	free(lower);
	return rc;
}

int lin_column_lookup_cb(const char *table, const char ***out, size_t *n, void *payload)
{
	lin_column_lookup *cl = payload;
	size_t count, k = 0;
	lin_column_lookup_release(cl);
	if (children(cl, table) != 0) {
		lineage_error_clear();
		return LINEAGE_ENOTFOUND;
	}
	count = lineage_asset_list_count(cl->list);
	cl->names = calloc(count ? count : 1, sizeof *cl->names);
	if (!cl->names)
		return lin_error_oom();
	for (size_t i = 0; i < count; i++) {
		const lineage_asset *a = lineage_asset_list_get(cl->list, i);
		size_t pl = a->parent_key ? strlen(a->parent_key) : 0;
		if (strcmp(a->kind, "column"))
			continue;
		/* The key's last part is the name as SQL normalises it (dbt catalogs on Snowflake
		 * say "ID" where the key, like unquoted SQL, says "id"). */
		if (pl && !strncmp(a->key, a->parent_key, pl) && a->key[pl] == '.')
			cl->names[k++] = a->key + pl + 1;
		else
			cl->names[k++] = a->name;
	}
	if (!k)
		return LINEAGE_ENOTFOUND;
	*out = cl->names;
	*n = k;
	return 0;
}

void lin_column_lookup_release(lin_column_lookup *cl)
{
	lineage_asset_list_free(cl->list);
	cl->list = NULL;
	free(cl->names);
	cl->names = NULL;
}
