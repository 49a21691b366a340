/* Retiring the edges of a replace scope that the file no longer has. */
#include "retire.h"

#include <stdlib.h>
#include <string.h>

#include "api/db_internal.h"
#include "api/ops.h"
#include "common/util.h"

typedef struct stale {
	lin_edge_rec **recs;
	size_t n, cap;
	const int64_t *keep;
	size_t keep_count;
} stale;

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int collect(lin_edge_rec *rec, void *payload)
{
	stale *s = payload;
	if (s->keep_count && bsearch(&rec->pub.id, s->keep, s->keep_count, sizeof *s->keep, cmp_id)) {
		lin_edge_rec_free(rec);
		return 0;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		lin_edge_rec **p = realloc(s->recs, cap * sizeof *p);
		if (!p) {
			lin_edge_rec_free(rec);
			return lin_error_oom();
		}
		s->recs = p;
		s->cap = cap;
	}
	s->recs[s->n++] = rec;
	return 0;
}

static int retire_one(lineage_db *db, lin_write *lw, const lin_edge_rec *rec)
{
	lin_edge_write w = {0};
	lin_edge_rec *after_rec = NULL;
	char *before = NULL, *after = NULL;
	int rc;
	w.source_id = rec->source_id;
	w.target_id = rec->target_id;
	w.job_id = rec->job_id;
	w.kind = rec->pub.kind;
	w.lineage_source = rec->pub.lineage_source;
	w.confidence = rec->pub.confidence;
	w.status = LINEAGE_EDGE_RETIRED;
	w.transformation_type = rec->pub.transformation_type;
	w.transformation = rec->pub.transformation;
	w.description = rec->pub.description;
	w.properties_json = rec->pub.properties_json;
	w.evidence_json = rec->pub.evidence_json;
	w.origin = rec->pub.origin;
	w.content_hash = rec->pub.content_hash;
	w.reviewed_by = rec->pub.reviewed_by;
	w.review_comment = rec->pub.review_comment;
	w.reviewed_at = rec->pub.reviewed_at_ms;
	w.created_at = rec->pub.created_at_ms;
	w.updated_at = lin_now_ms();
	if ((rc = lin_edge_rec_json(rec, &before)) ||
	    (rc = lin_store_edge_update(db->store, rec->pub.id, &w)) ||
	    (rc = lin_store_edge_by_id(db->store, rec->pub.id, &after_rec)))
		goto done;
	if (after_rec && (rc = lin_edge_rec_json(after_rec, &after)) == 0) {
		lin_audit a = {"retire", "edge", rec->pub.id, rec->pub.source_key,
			       rec->pub.target_key, before, after,
			       "no longer in the file of its replace import", NULL};
		rc = lin_audit_record(db, lw, &a);
	}
done:
	free(before);
	free(after);
	lin_edge_rec_free(after_rec);
	return rc;
}

int lin_retire_scope(lineage_db *db, lin_vctx *v, const char *origin, int64_t *keep,
		     size_t keep_count)
{
	stale s = {NULL, 0, 0, keep, keep_count};
	lin_write w;
	int rc;
	qsort(keep, keep_count, sizeof *keep, cmp_id);
	if ((rc = lin_store_edge_origin_all(db->store, origin, collect, &s)) != 0)
		goto done;
	if ((rc = lin_write_begin(db, &w)) != 0)
		goto done;
	for (size_t i = 0; rc == 0 && i < s.n; i++) {
		const lineage_edge *e = &s.recs[i]->pub;
		if (e->lineage_source == LINEAGE_SOURCE_APPROVED) {
			rc = lin_verror(v, 1, 0, NULL, NULL,
					"The approved edge from \"%.200s\" to \"%.200s\" is no longer "
					"in the file but stays: a reviewer approved it. Remove it by "
					"hand if it is gone",
					e->source_key, e->target_key);
			continue;
		}
		if ((rc = retire_one(db, &w, s.recs[i])) == 0) {
			v->rep->sum.retired_edges++;
			rc = lin_report_item(v->rep, "retire", "edge", e->source_key, e->target_key,
					     e->kind, 0);
		}
	}
	rc = lin_write_end(db, &w, rc);
done:
	for (size_t i = 0; i < s.n; i++)
		lin_edge_rec_free(s.recs[i]);
	free(s.recs);
	return rc;
}
