/* A collect's assets that the source no longer has: status "removed", kept with their history. */
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "scan_internal.h"

#define REMOVED "removed"

static int seen_id(const int64_t *seen, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (seen[mid] == id)
			return 1;
		if (seen[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int set_status(lineage_db *db, const char *key, const char *status)
{
	lineage_asset_spec spec;
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = key;
	spec.status = status;
	return lineage_asset_upsert(NULL, NULL, db, &spec);
}

/* Breadth-first over the containment tree below root, with a queue of keys. */
int lin_scan_mark_removed(size_t *removed, lineage_db *db, const char *root,
			  const int64_t *seen, size_t n)
{
	char **queue = NULL;
	size_t head = 0, tail = 0, cap = 0;
	int rc = 0;
	*removed = 0;
	if (!(queue = malloc(sizeof *queue)) || !(queue[0] = lin_strdup(root))) {
		free(queue);
		return lin_error_oom();
	}
	tail = cap = 1;
	while (head < tail && !rc) {
		lineage_asset_list *children = NULL;
		char *key = queue[head++];
		if (lineage_asset_children(&children, db, key) != 0) {
			lineage_error_clear(); /* a root never stored (a dry run's nothing) */
			continue;
		}
		for (size_t i = 0; i < lineage_asset_list_count(children) && !rc; i++) {
			const lineage_asset *a = lineage_asset_list_get(children, i);
			int was_removed = a->status && !strcmp(a->status, REMOVED);
			if (seen_id(seen, n, a->id)) {
				if (was_removed)
					rc = set_status(db, a->key, "");
			} else if (!was_removed) {
				rc = set_status(db, a->key, REMOVED);
				(*removed)++;
			}
			if (rc)
				break;
			if (tail == cap) {
				char **q = realloc(queue, cap * 2 * sizeof *q);
				if (!q) {
					rc = lin_error_oom();
					break;
				}
				queue = q;
				cap *= 2;
			}
			if (!(queue[tail] = lin_strdup(a->key)))
				rc = LINEAGE_ENOMEM;
			else
				tail++;
		}
		lineage_asset_list_free(children);
	}
	for (size_t i = 0; i < tail; i++)
		free(queue[i]);
	free(queue);
	return rc;
}
