/* Edges: review (approve, reject), removal, retiring an origin's stale edges, lists. */
#include <stdlib.h>
#include <string.h>

#include "lists.h"
#include "ops.h"
#include "common/util.h"

#define COMMENT_MAX 65536

static lin_edge_write write_of(const lin_edge_rec *r)
{
	lin_edge_write w = {0};
	w.source_id = r->source_id;
	w.target_id = r->target_id;
	w.job_id = r->job_id;
	w.kind = r->pub.kind;
	w.lineage_source = r->pub.lineage_source;
	w.confidence = r->pub.confidence;
	w.status = r->pub.status;
	w.transformation_type = r->pub.transformation_type;
	w.transformation = r->pub.transformation;
	w.description = r->pub.description;
	w.properties_json = r->pub.properties_json;
	w.evidence_json = r->pub.evidence_json;
	w.origin = r->pub.origin;
	w.content_hash = r->pub.content_hash;
	w.reviewed_by = r->pub.reviewed_by;
	w.review_comment = r->pub.review_comment;
	w.reviewed_at = r->pub.reviewed_at_ms;
	w.created_at = r->pub.created_at_ms;
	w.updated_at = r->pub.updated_at_ms;
	return w;
}

/* Rewrite edge `id` through `change`, recording `action`. */
typedef void (*edge_change_fn)(lin_edge_write *w, const void *arg);

static int change_edge(lineage_db *db, lin_write *lw, int64_t id, const char *action,
		       const char *actor, const char *comment, edge_change_fn change,
		       const void *arg)
{
	lin_edge_rec *rec = NULL, *after_rec = NULL;
	char *before = NULL, *after = NULL;
	lin_edge_write w;
	int rc;
	if ((rc = lin_store_edge_by_id(db->store, id, &rec)))
		return rc;
	if (!rec)
		return lin_error_set(LINEAGE_ENOTFOUND, "no edge has id %lld: it may have been removed", (long long)id);
	w = write_of(rec);
	change(&w, arg);
	w.updated_at = lin_now_ms();
	if ((rc = lin_edge_rec_json(rec, &before)) ||
	    (rc = lin_store_edge_update(db->store, id, &w)) ||
	    (rc = lin_store_edge_by_id(db->store, id, &after_rec)))
		goto done;
	if (!after_rec) {
		rc = lin_error_set(LINEAGE_ERROR, "edge %lld vanished while it was changed", (long long)id);
		goto done;
	}
	if ((rc = lin_edge_rec_json(after_rec, &after)))
		goto done;
	{
		lin_audit a = {action, "edge", id, rec->pub.source_key, rec->pub.target_key,
			       before, after, comment, actor};
		rc = lin_audit_record(db, lw, &a);
	}
done:
	free(before);
	free(after);
	lin_edge_rec_free(rec);
	lin_edge_rec_free(after_rec);
	return rc;
}

typedef struct review {
	const char *actor;
	const char *comment;
	int64_t at;
} review;

static void do_approve(lin_edge_write *w, const void *arg)
{
	const review *r = arg;
	w->lineage_source = LINEAGE_SOURCE_APPROVED;
	w->status = LINEAGE_EDGE_ACTIVE;
	w->confidence = 1.0;
	w->reviewed_by = r->actor;
	w->review_comment = r->comment;
	w->reviewed_at = r->at;
}

static void do_reject(lin_edge_write *w, const void *arg)
{
	const review *r = arg;
	w->status = LINEAGE_EDGE_REJECTED;
	w->reviewed_by = r->actor;
	w->review_comment = r->comment;
	w->reviewed_at = r->at;
}

static void do_retire(lin_edge_write *w, const void *arg)
{
	(void)arg;
	w->status = LINEAGE_EDGE_RETIRED;
}

static int review_edge(lineage_db *db, int64_t id, const char *actor, const char *comment,
		       const char *action, edge_change_fn fn)
{
	review r = {actor, comment && *comment ? comment : NULL, lin_now_ms()};
	lin_write w;
	int rc;
	if ((rc = lin_check_db(db)))
		return rc;
	if (!actor || !*actor)
		return lin_error_set(LINEAGE_EINVALID, "who does the review is missing: pass the reviewer's name as actor");
	if ((rc = lin_check_name(actor, "actor")) || (rc = lin_check_text(comment, "comment", COMMENT_MAX)))
		return rc;
	if ((rc = lin_write_begin(db, &w)))
		return rc;
	rc = change_edge(db, &w, id, action, actor, r.comment, fn, &r);
	return lin_write_end(db, &w, rc);
}

int lineage_edge_approve(lineage_db *db, int64_t id, const char *actor, const char *comment)
{
	return review_edge(db, id, actor, comment, "approve", do_approve);
}

int lineage_edge_reject(lineage_db *db, int64_t id, const char *actor, const char *comment)
{
	return review_edge(db, id, actor, comment, "reject", do_reject);
}

int lin_edge_remove_one(lineage_db *db, lin_write *w, int64_t id)
{
	lin_edge_rec *rec = NULL;
	char *before = NULL;
	int rc;
	if ((rc = lin_store_edge_by_id(db->store, id, &rec)))
		return rc;
	if (!rec)
		return lin_error_set(LINEAGE_ENOTFOUND, "no edge has id %lld: it may have been removed", (long long)id);
	/* in bulk mode, an edge's creation is recorded before the edge goes */
	if (w->bulk && (rc = lin_write_bulk_flush(db))) {
		lin_edge_rec_free(rec);
		return rc;
	}
	if (!(rc = lin_edge_rec_json(rec, &before)) && !(rc = lin_store_edge_delete(db->store, id))) {
		lin_audit a = {"delete", "edge", id, rec->pub.source_key, rec->pub.target_key,
			       before, NULL, NULL, NULL};
		rc = lin_audit_record(db, w, &a);
	}
	free(before);
	lin_edge_rec_free(rec);
	return rc;
}

int lineage_edge_remove(lineage_db *db, int64_t id)
{
	lin_write w;
	int rc;
	if ((rc = lin_check_db(db)))
		return rc;
	if ((rc = lin_write_begin(db, &w)))
		return rc;
	rc = lin_edge_remove_one(db, &w, id);
	return lin_write_end(db, &w, rc);
}

typedef struct id_vec {
	int64_t *ids;
	size_t n, cap;
} id_vec;

static int id_push(int64_t id, void *payload)
{
	id_vec *v = payload;
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		int64_t *p = realloc(v->ids, cap * sizeof *p);
		if (!p)
			return lin_error_oom();
		v->ids = p;
		v->cap = cap;
	}
	v->ids[v->n++] = id;
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int lineage_edge_retire_origin(size_t *out_count, lineage_db *db, const char *origin,
			       const int64_t *keep_ids, size_t keep_count)
{
	id_vec active = {0};
	int64_t *keep = NULL;
	size_t retired = 0;
	lin_write w;
	int rc;
	if (out_count)
		*out_count = 0;
	if ((rc = lin_check_db(db)))
		return rc;
	if (!origin || !*origin)
		return lin_error_set(LINEAGE_EINVALID, "origin is missing: give the origin the edges were written with, such as \"scan:sql:etl/load.sql\"");
	if ((rc = lin_check_text(origin, "origin", 4096)))
		return rc;
	if (keep_count && !keep_ids)
		return lin_error_set(LINEAGE_EINVALID, "keep_count is %zu but keep_ids is NULL: pass the ids the run reported", keep_count);
	if (keep_count) {
		if (!(keep = malloc(keep_count * sizeof *keep)))
			return lin_error_oom();
		memcpy(keep, keep_ids, keep_count * sizeof *keep);
		qsort(keep, keep_count, sizeof *keep, cmp_id);
	}
	if ((rc = lin_write_begin(db, &w))) {
		free(keep);
		return rc;
	}
	rc = lin_store_edge_origin_ids(db->store, origin, id_push, &active);
	for (size_t i = 0; i < active.n && !rc; i++) {
		if (keep && bsearch(&active.ids[i], keep, keep_count, sizeof *keep, cmp_id))
			continue;
		rc = change_edge(db, &w, active.ids[i], "retire", NULL, NULL, do_retire, NULL);
		retired++;
	}
	rc = lin_write_end(db, &w, rc);
	if (!rc && out_count)
		*out_count = retired;
	free(active.ids);
	free(keep);
	return rc;
}

int lineage_edge_list_for_asset(lineage_edge_list **out, lineage_db *db, const char *key,
				unsigned int flags)
{
	lineage_edge_list *list;
	int64_t id = 0;
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "out is NULL: pass the address of a list pointer");
	*out = NULL;
	if ((rc = lin_check_db(db)) || (rc = lin_check_key(key, "key")))
		return rc;
	if (flags & ~(LINEAGE_EDGES_IN | LINEAGE_EDGES_OUT | LINEAGE_EDGES_ALL_STATUS))
		return lin_error_set(LINEAGE_EINVALID, "unknown edge list flags 0x%x: use LINEAGE_EDGES_IN, _OUT and _ALL_STATUS", flags);
	if ((rc = lin_store_asset_lookup(db->store, key, &id, NULL)))
		return rc;
	if (!id)
		return lin_error_set(LINEAGE_ENOTFOUND, "asset \"%.200s\" does not exist: check the key (keys are case-sensitive)", key);
	if (!(list = lin_edge_list_new()))
		return LINEAGE_ENOMEM;
	if ((rc = lin_store_edge_list_for_asset(db->store, id, flags, lin_edge_list_add, list))) {
		lineage_edge_list_free(list);
		return rc;
	}
	*out = list;
	return 0;
}

int lineage_edge_list_pending_page(lineage_edge_list **out, size_t *total, lineage_db *db,
				   size_t offset, size_t limit)
{
	lineage_edge_list *list;
	int64_t count = 0;
	int rc;
	if (total)
		*total = 0;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "out is NULL: pass the address of a list pointer");
	*out = NULL;
	if ((rc = lin_check_db(db)))
		return rc;
	if (offset > (size_t)INT64_MAX || limit > (size_t)INT64_MAX)
		return lin_error_set(LINEAGE_EINVALID, "offset %zu or limit %zu is too large", offset, limit);
	if (!(list = lin_edge_list_new()))
		return LINEAGE_ENOMEM;
	if ((rc = lin_store_edge_list_pending(db->store, offset, limit ? limit : 1000,
					      total ? &count : NULL, lin_edge_list_add, list))) {
		lineage_edge_list_free(list);
		return rc;
	}
	if (total)
		*total = (size_t)count;
	*out = list;
	return 0;
}

int lineage_edge_list_pending(lineage_edge_list **out, lineage_db *db, size_t limit)
{
	return lineage_edge_list_pending_page(out, NULL, db, 0, limit);
}
