/* Rows handed out by the store: allocation, release, and the tags array. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "common/util.h"

#define FREE_STR(p) free((char *)(p))

lin_asset_rec *lin_asset_rec_new(void)
{
	lin_asset_rec *rec = calloc(1, sizeof *rec);
	if (!rec)
		lin_error_oom();
	return rec;
}

static void free_tags(lin_asset_rec *rec)
{
	for (size_t i = 0; i < rec->pub.tag_count; i++)
		FREE_STR(rec->pub.tags[i]);
	free((void *)rec->pub.tags);
	rec->pub.tags = NULL;
	rec->pub.tag_count = 0;
}

void lin_asset_rec_free(lin_asset_rec *rec)
{
	if (!rec)
		return;
	FREE_STR(rec->pub.key);
	FREE_STR(rec->pub.kind);
	FREE_STR(rec->pub.name);
	FREE_STR(rec->pub.parent_key);
	FREE_STR(rec->pub.owner);
	FREE_STR(rec->pub.description);
	FREE_STR(rec->pub.status);
	FREE_STR(rec->pub.properties_json);
	free_tags(rec);
	free(rec->tags_json);
	free(rec);
}

int lin_asset_rec_set_tags(lin_asset_rec *rec, char *json)
{
	json_t *arr = NULL;
	const char **tags = NULL;
	size_t n = 0;
	int rc = 0;
	free_tags(rec);
	free(rec->tags_json);
	rec->tags_json = json;
	if (!json || !strcmp(json, "[]"))
		return 0;
	arr = json_loads(json, 0, NULL);
	if (!json_is_array(arr)) {
		rc = lin_error_set(LINEAGE_EIO, "stored tags of asset \"%.200s\" are not a JSON array: the database is damaged; restore it from a backup",
				   rec->pub.key ? rec->pub.key : "?");
		goto done;
	}
	tags = calloc(json_array_size(arr) + 1, sizeof *tags);
	if (!tags) {
		rc = lin_error_oom();
		goto done;
	}
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const char *s = json_string_value(json_array_get(arr, i));
		if (!s)
			continue;
		if (!(tags[n] = lin_strdup(s))) {
			rc = LINEAGE_ENOMEM;
			goto done;
		}
		n++;
	}
	rec->pub.tags = tags;
	rec->pub.tag_count = n;
	tags = NULL;
done:
	if (tags) {
		for (size_t i = 0; i < n; i++)
			FREE_STR(tags[i]);
		free((void *)tags);
	}
	json_decref(arr);
	return rc;
}

lin_edge_rec *lin_edge_rec_new(void)
{
	lin_edge_rec *rec = calloc(1, sizeof *rec);
	if (!rec)
		lin_error_oom();
	return rec;
}

void lin_edge_rec_free(lin_edge_rec *rec)
{
	if (!rec)
		return;
	FREE_STR(rec->pub.source_key);
	FREE_STR(rec->pub.target_key);
	FREE_STR(rec->pub.kind);
	FREE_STR(rec->pub.job_key);
	FREE_STR(rec->pub.transformation_type);
	FREE_STR(rec->pub.transformation);
	FREE_STR(rec->pub.description);
	FREE_STR(rec->pub.properties_json);
	FREE_STR(rec->pub.evidence_json);
	FREE_STR(rec->pub.origin);
	FREE_STR(rec->pub.content_hash);
	FREE_STR(rec->pub.reviewed_by);
	FREE_STR(rec->pub.review_comment);
	free(rec);
}

lin_change_rec *lin_change_rec_new(void)
{
	lin_change_rec *rec = calloc(1, sizeof *rec);
	if (!rec)
		lin_error_oom();
	return rec;
}

void lin_change_rec_free(lin_change_rec *rec)
{
	if (!rec)
		return;
	FREE_STR(rec->pub.actor);
	FREE_STR(rec->pub.action);
	FREE_STR(rec->pub.entity);
	FREE_STR(rec->pub.asset_key);
	FREE_STR(rec->pub.target_key);
	FREE_STR(rec->pub.before_json);
	FREE_STR(rec->pub.after_json);
	FREE_STR(rec->pub.comment);
	free(rec);
}
