/*
 * Edges: upsert with the merge rules of edge.h, get, find. The rules, in one place:
 *  - inferred input never changes a manual or approved edge, nor a rejected one;
 *  - inferred input on a retired inferred edge makes it active again;
 *  - manual input keeps an approved edge approved; manual or approved input makes a
 *    rejected or retired edge active again.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "ops.h"
#include "common/strbuf.h"
#include "common/util.h"

#define TRANSFORMATION_MAX (1u << 20)
#define DESCRIPTION_MAX 65536
#define ORIGIN_MAX 4096
#define JSON_MAX (1u << 20)

int lineage_edge_spec_init(lineage_edge_spec *spec, unsigned int version)
{
	if (!spec)
		return lin_error_set(LINEAGE_EINVALID, "spec is NULL: pass the struct to fill");
	if (version != LINEAGE_EDGE_SPEC_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "edge spec version %u is unknown: pass LINEAGE_EDGE_SPEC_VERSION (%d)", version, LINEAGE_EDGE_SPEC_VERSION);
	memset(spec, 0, sizeof *spec);
	spec->version = version;
	spec->confidence = -1;
	return 0;
}

static int streq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static const char *merged(const char *given, const char *stored)
{
	if (!given)
		return stored;
	return *given ? given : NULL;
}

static double default_confidence(lineage_source source)
{
	return source == LINEAGE_SOURCE_INFERRED ? 0.5 : 1.0;
}

static int check_spec(const lineage_edge_spec *spec, int trusted)
{
	int rc;
	if (!spec)
		return lin_error_set(LINEAGE_EINVALID, "spec is NULL: fill one with lineage_edge_spec_init()");
	if (spec->version != LINEAGE_EDGE_SPEC_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "edge spec version %u is unknown: fill it with lineage_edge_spec_init()", spec->version);
	if (trusted)
		goto values;
	if ((rc = lin_check_key(spec->source_key, "source key")) ||
	    (rc = lin_check_key(spec->target_key, "target key")))
		return rc;
	if (spec->job_key && *spec->job_key && (rc = lin_check_key(spec->job_key, "job key")))
		return rc;
	if (spec->kind && (rc = lin_check_name(spec->kind, "edge kind")))
		return rc;
	if ((spec->source_kind && (rc = lin_check_name(spec->source_kind, "source kind"))) ||
	    (spec->target_kind && (rc = lin_check_name(spec->target_kind, "target kind"))))
		return rc;
values:
	if ((int)spec->lineage_source < LINEAGE_SOURCE_ANY || (int)spec->lineage_source > LINEAGE_SOURCE_APPROVED)
		return lin_error_set(LINEAGE_EINVALID, "unknown lineage source %d: use LINEAGE_SOURCE_INFERRED, _MANUAL or _APPROVED", (int)spec->lineage_source);
	if (isnan(spec->confidence) || spec->confidence > 1.0)
		return lin_error_set(LINEAGE_EINVALID, "confidence %g is outside 0..1: give a value between 0 and 1, or a negative one for the default", spec->confidence);
	if ((rc = lin_check_text(spec->transformation_type, "transformation type", 256)) ||
	    (rc = lin_check_text(spec->transformation, "transformation", TRANSFORMATION_MAX)) ||
	    (rc = lin_check_text(spec->description, "description", DESCRIPTION_MAX)) ||
	    (rc = lin_check_text(spec->origin, "origin", ORIGIN_MAX)) ||
	    (rc = lin_check_text(spec->properties_json, "properties", JSON_MAX)) ||
	    (rc = lin_check_text(spec->evidence_json, "evidence", JSON_MAX)))
		return rc;
	return 0;
}

/* The hash of the descriptive fields: an unchanged hash means nothing to write. */
static void content_hash(char out[17], const char *kind, const char *job_key,
			 const lin_edge_write *w)
{
	uint64_t h = LIN_HASH_INIT;
	h = lin_hash_field(h, kind);
	h = lin_hash_field(h, job_key);
	h = lin_hash_field(h, w->transformation_type);
	h = lin_hash_field(h, w->transformation);
	h = lin_hash_field(h, w->description);
	h = lin_hash_field(h, w->properties_json);
	h = lin_hash_field(h, w->evidence_json);
	for (int i = 15; i >= 0; i--, h >>= 4)
		out[i] = "0123456789abcdef"[h & 15];
	out[16] = '\0';
}

int lin_edge_rec_json(const lin_edge_rec *rec, char **out)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	int rc = lin_json_edge(&sb, &rec->pub);
	*out = rc ? NULL : lin_strbuf_detach(&sb);
	lin_strbuf_free(&sb);
	return rc;
}

/* The JSON of an edge about to be written. */
static int write_json(const lin_edge_write *w, int64_t id, const lineage_edge_spec *spec,
		      const char *kind, const char *job_key, char **out)
{
	lineage_edge e = {0};
	lin_strbuf sb = LIN_STRBUF_INIT;
	int rc;
	e.id = id;
	e.source_key = spec->source_key;
	e.target_key = spec->target_key;
	e.kind = kind;
	e.job_key = job_key;
	e.lineage_source = w->lineage_source;
	e.confidence = w->confidence;
	e.status = w->status;
	e.transformation_type = w->transformation_type;
	e.transformation = w->transformation;
	e.description = w->description;
	e.properties_json = w->properties_json;
	e.evidence_json = w->evidence_json;
	e.origin = w->origin;
	e.content_hash = w->content_hash;
	e.reviewed_by = w->reviewed_by;
	e.review_comment = w->review_comment;
	e.reviewed_at_ms = w->reviewed_at;
	e.created_at_ms = w->created_at;
	e.updated_at_ms = w->updated_at;
	rc = lin_json_edge(&sb, &e);
	*out = rc ? NULL : lin_strbuf_detach(&sb);
	lin_strbuf_free(&sb);
	return rc;
}

static int resolve(lineage_db *db, lin_write *w, const lineage_edge_spec *spec, const char *key,
		   const char *kind, const char *what, int64_t *id)
{
	int unknown = 0, rc;
	if ((rc = lin_store_asset_lookup(db->store, key, id, &unknown)))
		return rc;
	if (*id && !(unknown && spec->create_missing && kind))
		return 0;
	if (!*id && !spec->create_missing)
		return lin_error_hint(LINEAGE_ENOTFOUND, LINEAGE_HINT_CREATE_MISSING, key, "%s asset \"%.200s\" does not exist", what, key);
	return lin_asset_ensure(db, w, key, kind, id);
}

static int self_loop_allowed(lineage_db *db, const char *kind, const char *key)
{
	int self = 0, cycles = 1, found = 0;
	int rc = lin_store_kind_rules(db->store, kind, &self, &cycles, &found);
	if (rc)
		return rc;
	if (found && self)
		return 0;
	return lin_error_hint(LINEAGE_EINVALID, LINEAGE_HINT_DECLARE_EDGE_KIND, kind, "edge from \"%.200s\" to itself: kind \"%.100s\" does not allow self-loops", key, kind);
}

/* Owned copies of normalized JSON inputs. */
typedef struct inputs {
	char *properties;
	char *evidence;
} inputs;

static int normalize_inputs(const lineage_edge_spec *spec, inputs *in)
{
	int rc;
	if (spec->properties_json && *spec->properties_json &&
	    (rc = lin_json_normalize(spec->properties_json, 1, "edge properties", &in->properties)))
		return rc;
	if (spec->evidence_json && *spec->evidence_json &&
	    (rc = lin_json_normalize(spec->evidence_json, 0, "edge evidence", &in->evidence)))
		return rc;
	return 0;
}

static int record(lineage_db *db, lin_write *w, const char *action, int64_t id,
		  const lineage_edge_spec *spec, const char *before, const char *after)
{
	lin_audit a = {action, "edge", id, spec->source_key, spec->target_key, before, after,
		       NULL, NULL};
	return lin_audit_record(db, w, &a);
}

/* Merge into the stored edge `old`; sets *outcome. */
static int merge(lineage_db *db, lin_write *w, const lineage_edge_spec *spec, const inputs *in,
		 lineage_source input, const char *kind, const char *job_key, lin_edge_rec *old,
		 lineage_outcome *outcome)
{
	lin_edge_write ew = {0};
	char hash[17], *before = NULL, *after = NULL;
	int rc;

	*outcome = LINEAGE_UNCHANGED;
	if (input == LINEAGE_SOURCE_INFERRED &&
	    (old->pub.lineage_source >= LINEAGE_SOURCE_MANUAL || old->pub.status == LINEAGE_EDGE_REJECTED))
		return 0;
	ew.source_id = old->source_id;
	ew.target_id = old->target_id;
	ew.job_id = old->job_id;
	ew.kind = old->pub.kind;
	if (input == LINEAGE_SOURCE_MANUAL && old->pub.lineage_source == LINEAGE_SOURCE_APPROVED)
		ew.lineage_source = LINEAGE_SOURCE_APPROVED;
	else
		ew.lineage_source = input;
	ew.status = LINEAGE_EDGE_ACTIVE;
	ew.confidence = spec->confidence >= 0 ? spec->confidence : default_confidence(ew.lineage_source);
	ew.transformation_type = merged(spec->transformation_type, old->pub.transformation_type);
	ew.transformation = merged(spec->transformation, old->pub.transformation);
	ew.description = merged(spec->description, old->pub.description);
	ew.properties_json = !spec->properties_json ? old->pub.properties_json
			     : in->properties ? in->properties : "{}";
	ew.evidence_json = !spec->evidence_json ? old->pub.evidence_json : in->evidence;
	ew.origin = merged(spec->origin, old->pub.origin);
	content_hash(hash, kind, job_key, &ew);
	ew.content_hash = hash;
	if (ew.lineage_source == old->pub.lineage_source && ew.status == old->pub.status &&
	    ew.confidence == old->pub.confidence && streq(hash, old->pub.content_hash) &&
	    streq(ew.origin, old->pub.origin))
		return 0;
	ew.reviewed_by = old->pub.reviewed_by;
	ew.review_comment = old->pub.review_comment;
	ew.reviewed_at = old->pub.reviewed_at_ms;
	ew.created_at = old->pub.created_at_ms;
	ew.updated_at = lin_now_ms();
	if ((rc = lin_edge_rec_json(old, &before)) ||
	    (rc = lin_store_edge_update(db->store, old->pub.id, &ew)) ||
	    (rc = write_json(&ew, old->pub.id, spec, kind, job_key, &after)) ||
	    (rc = record(db, w, "update", old->pub.id, spec, before, after)))
		goto done;
	*outcome = LINEAGE_UPDATED;
done:
	free(before);
	free(after);
	return rc;
}

/* Insert a new edge; with only_if_new, *out_id is 0 (and nothing written) when it exists. */
static int create(lineage_db *db, lin_write *w, const lineage_edge_spec *spec, const inputs *in,
		  lineage_source input, const char *kind, const char *job_key, int64_t ids[3],
		  int only_if_new, int64_t *out_id)
{
	lin_edge_write ew = {0};
	char hash[17];
	int rc;
	ew.source_id = ids[0];
	ew.target_id = ids[1];
	ew.job_id = ids[2];
	ew.kind = kind;
	ew.lineage_source = input;
	ew.status = LINEAGE_EDGE_ACTIVE;
	ew.confidence = spec->confidence >= 0 ? spec->confidence : default_confidence(input);
	ew.transformation_type = merged(spec->transformation_type, NULL);
	ew.transformation = merged(spec->transformation, NULL);
	ew.description = merged(spec->description, NULL);
	ew.properties_json = in->properties ? in->properties : "{}";
	ew.evidence_json = in->evidence;
	ew.origin = merged(spec->origin, NULL);
	content_hash(hash, kind, job_key, &ew);
	ew.content_hash = hash;
	ew.created_at = ew.updated_at = lin_now_ms();
	ew.only_if_new = only_if_new;
	if ((rc = lin_store_edge_insert(db->store, &ew, out_id)) || !*out_id)
		return rc;
	/* a creation's after state is the stored row (lin_audit_record) */
	return record(db, w, "create", *out_id, spec, NULL, NULL);
}

/* The import's rule: an approved edge is not lowered by a row that names another source. */
static int refuse_downgrade(const lineage_edge_spec *spec, const lin_edge_rec *old,
			    lin_edge_rules *rules)
{
	if (!rules || !rules->refuse_downgrade || spec->lineage_source == LINEAGE_SOURCE_ANY ||
	    spec->lineage_source == LINEAGE_SOURCE_APPROVED ||
	    old->pub.lineage_source != LINEAGE_SOURCE_APPROVED || old->pub.status != LINEAGE_EDGE_ACTIVE)
		return 0;
	rules->refused = 1;
	return lin_error_set(LINEAGE_ECONFLICT,
			     "the edge from \"%.150s\" to \"%.150s\" was approved%s%.100s, and this "
			     "row would make it \"%s\". Write approved, leave the column empty, or "
			     "remove the row",
			     spec->source_key, spec->target_key,
			     old->pub.reviewed_by ? " by " : "",
			     old->pub.reviewed_by ? old->pub.reviewed_by : "",
			     lineage_source_name(spec->lineage_source));
}

static int upsert(lineage_db *db, lin_write *w, const lineage_edge_spec *spec,
		  lin_edge_rules *rules, lineage_outcome *outcome, int64_t *id)
{
	const char *kind = spec->kind ? spec->kind : LINEAGE_EDGE_KIND_DEFAULT;
	const char *job_key = spec->job_key && *spec->job_key ? spec->job_key : NULL;
	lineage_source input = spec->lineage_source ? spec->lineage_source : LINEAGE_SOURCE_MANUAL;
	int64_t ids[3] = {0, 0, 0};
	lin_edge_rec *old = NULL;
	inputs in = {NULL, NULL};
	int rc;

	if (!strcmp(spec->source_key, spec->target_key) &&
	    (rc = self_loop_allowed(db, kind, spec->source_key)))
		return rc;
	if ((rc = normalize_inputs(spec, &in)) ||
	    (rc = resolve(db, w, spec, spec->source_key, spec->source_kind, "source", &ids[0])) ||
	    (rc = resolve(db, w, spec, spec->target_key, spec->target_kind, "target", &ids[1])) ||
	    (job_key && (rc = resolve(db, w, spec, job_key, NULL, "job", &ids[2]))))
		goto done;
	/* A bulk import's rows are mostly new: the insert itself finds out (one statement
	 * instead of a lookup and an insert); only an existing edge is read to merge. */
	*outcome = LINEAGE_CREATED;
	if (w->bulk && ((rc = create(db, w, spec, &in, input, kind, job_key, ids, 1, id)) || *id))
		goto done;
	if ((rc = lin_store_edge_by_identity(db->store, ids[0], ids[1], kind, ids[2], &old)))
		goto done;
	if (old) {
		*id = old->pub.id;
		if (!(rc = refuse_downgrade(spec, old, rules)))
			rc = merge(db, w, spec, &in, input, kind, job_key, old, outcome);
	} else {
		rc = create(db, w, spec, &in, input, kind, job_key, ids, 0, id);
	}
done:
	lin_edge_rec_free(old);
	free(in.properties);
	free(in.evidence);
	return rc;
}

int lineage_edge_upsert(lineage_outcome *out_outcome, int64_t *out_id, lineage_db *db,
			const lineage_edge_spec *spec)
{
	return lin_edge_upsert(out_outcome, out_id, db, spec, NULL);
}

int lin_edge_upsert(lineage_outcome *out_outcome, int64_t *out_id, lineage_db *db,
		    const lineage_edge_spec *spec, lin_edge_rules *rules)
{
	lineage_outcome outcome = LINEAGE_UNCHANGED;
	int64_t id = 0;
	lin_write w;
	int rc;
	if ((rc = lin_check_db(db)) || (rc = check_spec(spec, rules && rules->trusted)))
		return rc;
	if ((rc = lin_write_begin(db, &w)))
		return rc;
	rc = upsert(db, &w, spec, rules, &outcome, &id);
	if ((rc = lin_write_end(db, &w, rc)))
		return rc;
	if (out_outcome)
		*out_outcome = outcome;
	if (out_id)
		*out_id = id;
	return 0;
}

int lineage_edge_get(lineage_edge **out, lineage_db *db, int64_t id)
{
	lin_edge_rec *rec = NULL;
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "out is NULL: pass the address of a lineage_edge pointer");
	*out = NULL;
	if ((rc = lin_check_db(db)) || (rc = lin_store_edge_by_id(db->store, id, &rec)))
		return rc;
	if (!rec)
		return lin_error_set(LINEAGE_ENOTFOUND, "no edge has id %lld: it may have been removed", (long long)id);
	*out = &rec->pub;
	return 0;
}

int lineage_edge_find(lineage_edge **out, lineage_db *db, const char *source_key,
		      const char *target_key, const char *kind, const char *job_key)
{
	int64_t ids[3] = {0, 0, 0};
	lin_edge_rec *rec = NULL;
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "out is NULL: pass the address of a lineage_edge pointer");
	*out = NULL;
	if (!kind)
		kind = LINEAGE_EDGE_KIND_DEFAULT;
	if (job_key && !*job_key)
		job_key = NULL;
	if ((rc = lin_check_db(db)) || (rc = lin_check_key(source_key, "source key")) ||
	    (rc = lin_check_key(target_key, "target key")) || (rc = lin_check_name(kind, "edge kind")) ||
	    (job_key && (rc = lin_check_key(job_key, "job key"))))
		return rc;
	if ((rc = lin_store_asset_lookup(db->store, source_key, &ids[0], NULL)) ||
	    (rc = lin_store_asset_lookup(db->store, target_key, &ids[1], NULL)) ||
	    (job_key && (rc = lin_store_asset_lookup(db->store, job_key, &ids[2], NULL))))
		return rc;
	if (ids[0] && ids[1] && (!job_key || ids[2]) &&
	    (rc = lin_store_edge_by_identity(db->store, ids[0], ids[1], kind, ids[2], &rec)))
		return rc;
	if (!rec)
		return lin_error_set(LINEAGE_ENOTFOUND, "no \"%.100s\" edge from \"%.200s\" to \"%.200s\"%s%.200s%s", kind, source_key, target_key, job_key ? " by job \"" : "", job_key ? job_key : "", job_key ? "\"" : "");
	*out = &rec->pub;
	return 0;
}

void lineage_edge_free(lineage_edge *edge)
{
	lin_edge_rec_free((lin_edge_rec *)edge);
}

int lineage_edge_to_json(char **out, const lineage_edge *edge)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	int rc;
	if (!out || !edge)
		return lin_error_set(LINEAGE_EINVALID, "out and edge must not be NULL");
	*out = NULL;
	if ((rc = lin_json_edge(&sb, edge))) {
		lin_strbuf_free(&sb);
		return rc;
	}
	*out = lin_strbuf_detach(&sb);
	return 0;
}
