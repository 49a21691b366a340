/* The second pass of an import: rows written through the public API, one transaction. */
#include "apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/db_internal.h"
#include "api/ops.h"
#include "common/error.h"
#include "common/util.h"

void lin_applier_init(lin_applier *a, lineage_db *db, lin_vctx *v,
		      const lineage_import_options *opts, const char *origin)
{
	memset(a, 0, sizeof *a);
	a->db = db;
	a->v = v;
	a->opts = opts;
	a->origin = origin;
	lin_cycles_init(&a->cycles, db);
}

void lin_applier_free(lin_applier *a)
{
	lin_idmap_free(&a->ensured);
	free(a->edge_ids);
	lin_cycles_free(&a->cycles);
}

/* Record an error found while writing (always in the report). */
static int row_error(lin_applier *a, uint64_t row, const char *column, const char *value,
		     const char *fmt, const char *arg1, const char *arg2)
{
	int saved = a->v->record, rc;
	a->v->record = 1;
	rc = lin_verror(a->v, 0, row, column, value, fmt, arg1, arg2);
	a->v->record = saved;
	return rc < 0 ? rc : 1;
}

/* Errors that stop the import rather than reject a row. */
static int fatal_code(int rc)
{
	return rc == LINEAGE_ENOMEM || rc == LINEAGE_EBUSY || rc == LINEAGE_EFULL ||
	       rc == LINEAGE_EIO || rc == LINEAGE_EREADONLY || rc == LINEAGE_EUSAGE;
}

static void count(lineage_import_report *rep, int asset, lineage_outcome o)
{
	uint64_t *c = NULL;
	switch (o) {
	case LINEAGE_CREATED: c = asset ? &rep->sum.created_assets : &rep->sum.created_edges; break;
	case LINEAGE_UPDATED: c = asset ? &rep->sum.updated_assets : &rep->sum.updated_edges; break;
	case LINEAGE_UNCHANGED: c = asset ? &rep->sum.unchanged_assets : &rep->sum.unchanged_edges; break;
	}
	if (c)
		(*c)++;
}

static const char *action_of(lineage_outcome o)
{
	return o == LINEAGE_CREATED ? "create" : o == LINEAGE_UPDATED ? "update" : "unchanged";
}

/* Does the file have a row for the asset `key` (maybe further down)? A lineage-only file
 * has none, and its references are not even hashed. */
static int file_describes(const lin_applier *a, const char *key)
{
	uint64_t row, digest;
	/* (when the file of seen keys cannot be read, as if it did: the asset is made sure of) */
	return key && a->v->assets.count &&
	       lin_seen_get(&a->v->assets, lin_asset_id(key), &row, &digest) != 0;
}

static int apply_asset(lin_applier *a, const lin_row *row)
{
	lineage_asset_spec spec;
	lineage_outcome outcome = LINEAGE_UNCHANGED;
	int rc;
	const char *parent = row->v[LIN_COL_PARENT];
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = row->v[LIN_COL_KEY];
	spec.kind = row->v[LIN_COL_KIND];
	spec.name = row->v[LIN_COL_NAME];
	spec.parent_key = parent;
	spec.owner = row->v[LIN_COL_OWNER];
	spec.description = row->v[LIN_COL_DESCRIPTION];
	spec.status = row->v[LIN_COL_STATUS];
	spec.tags = row->tags;
	spec.tag_count = row->tag_count;
	spec.tags_set = row->tags_set;
	spec.properties_json = row->properties;
	/* A parent that the file itself describes may come later in it. */
	spec.create_missing = a->opts->create_missing || file_describes(a, parent);
	rc = lineage_asset_upsert(&outcome, NULL, a->db, &spec);
	if (rc == 0) {
		count(a->v->rep, 1, outcome);
		return lin_report_item(a->v->rep, action_of(outcome), "asset", spec.key, NULL, NULL, row->row);
	}
	if (fatal_code(rc))
		return rc;
	if (rc == LINEAGE_ENOTFOUND && parent)
		return row_error(a, row->row, "parent", parent,
				 "there is no asset \"%s\" to contain this one. Add a row for it, "
				 "import it first, or import with create-missing%s",
				 parent, "");
	if (rc == LINEAGE_ECONFLICT)
		return row_error(a, row->row, spec.kind ? "kind" : NULL, spec.kind, "%s%s",
				 lin_error_plain(), "");
	if (lineage_error_last()->hint == LINEAGE_HINT_DECLARE_ASSET_KIND)
		return row_error(a, row->row, "kind", spec.kind, "%s%s", lin_error_plain(), "");
	if (rc == LINEAGE_EINVALID && !spec.kind)
		return row_error(a, row->row, "kind", NULL,
				 "the asset \"%s\" is new, so it needs a kind. Give one, such as "
				 "\"table\"%s", spec.key, "");
	return row_error(a, row->row, NULL, NULL, "%s%s", lin_error_plain(), "");
}

/*
 * Make sure the asset `key` exists before an edge refers to it: created with `kind` (or
 * "unknown") when missing, given `kind` when it was "unknown". Remembered for the rest of the
 * import. Returns 0, 1 (row error) or a negative error.
 */
static int ensure_asset(lin_applier *a, const lin_row *row, const char *column, const char *key,
			const char *kind)
{
	lin_id id = lin_asset_id(key);
	lin_idhash kh;
	uint64_t kd;
	lin_idmap_entry *e;
	lineage_asset *asset = NULL;
	lineage_asset_spec spec;
	lineage_outcome outcome;
	int rc;
	lin_idhash_init(&kh);
	lin_idhash_str(&kh, kind);
	kd = lin_idhash_done(&kh).a;
	e = lin_idmap_find(&a->ensured, id);
	if (e && (e->digest == kd || !kind))
		return 0;
	rc = lineage_asset_get(&asset, a->db, key);
	if (rc != 0 && rc != LINEAGE_ENOTFOUND)
		return fatal_code(rc) ? rc : row_error(a, row->row, column, key, "%s%s", lin_error_plain(), "");
	if (asset && kind && strcmp(asset->kind, "unknown") != 0 && strcmp(asset->kind, kind) != 0) {
		char msg[700];
		snprintf(msg, sizeof msg,
			 "the asset \"%.200s\" is a \"%.100s\" in the database, but this row says "
			 "\"%.100s\". Correct the kind, or leave it empty",
			 key, asset->kind, kind);
		lineage_asset_free(asset);
		return row_error(a, row->row, !strcmp(column, "source") ? "source_kind" : "target_kind",
				 kind, "%s%s", msg, "");
	}
	if (!asset || (kind && !strcmp(asset->kind, "unknown"))) {
		int created = !asset;
		lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
		spec.key = key;
		spec.kind = kind ? kind : "unknown";
		rc = lineage_asset_upsert(&outcome, NULL, a->db, &spec);
		if (rc != 0) {
			int bad_kind = lineage_error_last()->hint == LINEAGE_HINT_DECLARE_ASSET_KIND;
			lineage_asset_free(asset);
			if (!fatal_code(rc) && bad_kind)
				return row_error(a, row->row, !strcmp(column, "source") ? "source_kind" : "target_kind",
						 kind, "%s%s", lin_error_plain(), "");
			return fatal_code(rc) ? rc : row_error(a, row->row, column, key, "%s%s", lin_error_plain(), "");
		}
		if (created)
			a->implicit_assets++;
		count(a->v->rep, 1, outcome);
		if ((rc = lin_report_item(a->v->rep, action_of(outcome), "asset", key, NULL, NULL, row->row)) != 0) {
			lineage_asset_free(asset);
			return rc;
		}
	}
	lineage_asset_free(asset);
	if (e) {
		e->digest = kd;
		return 0;
	}
	return lin_idmap_put(&a->ensured, id, row->row, kd);
}

/* Which reference of an edge is missing (for the message), or NULL. */
static const char *missing_ref(lin_applier *a, const lin_row *row, const char **key)
{
	static const int cols[] = {LIN_COL_SOURCE, LIN_COL_TARGET, LIN_COL_JOB};
	for (int i = 0; i < 3; i++) {
		lineage_asset *asset = NULL;
		const char *k = row->v[cols[i]];
		if (!k)
			continue;
		if (lineage_asset_get(&asset, a->db, k) == LINEAGE_ENOTFOUND) {
			*key = k;
			return lin_col_name(cols[i]);
		}
		lineage_asset_free(asset);
	}
	return NULL;
}

static int keep_edge_id(lin_applier *a, int64_t id)
{
	if (a->nedge_ids == a->cap_edge_ids) {
		size_t cap = a->cap_edge_ids ? a->cap_edge_ids * 2 : 1024;
		int64_t *p = realloc(a->edge_ids, cap * sizeof *p);
		if (!p)
			return lin_error_oom();
		a->edge_ids = p;
		a->cap_edge_ids = cap;
	}
	a->edge_ids[a->nedge_ids++] = id;
	return 0;
}

static int apply_edge(lin_applier *a, const lin_row *row)
{
	lin_edge_rules rules = {1, 1, 0}; /* no approved edge lowered; checked rows */
	lineage_edge_spec spec;
	lineage_outcome outcome = LINEAGE_UNCHANGED;
	int64_t id = 0, sid = 0, tid = 0;
	int rc, self_loop, cycles_ok = 1, missing[3] = {0, 0, 0};
	const char *src = row->v[LIN_COL_SOURCE], *dst = row->v[LIN_COL_TARGET],
		   *job = row->v[LIN_COL_JOB];
	const char *sk = row->v[LIN_COL_SOURCE_KIND], *tk = row->v[LIN_COL_TARGET_KIND];
	/* References to assets the row gives a kind for, or that the file describes (they may
	 * come later in it), are made sure of first. */
	if (sk || file_describes(a, src))
		if ((rc = ensure_asset(a, row, "source", src, sk)) != 0)
			return rc;
	if (tk || file_describes(a, dst))
		if ((rc = ensure_asset(a, row, "target", dst, tk)) != 0)
			return rc;
	if (file_describes(a, job))
		if ((rc = ensure_asset(a, row, "job", job, NULL)) != 0)
			return rc;
	if ((rc = lin_vctx_kind_rules(a->v, lin_row_edge_kind(row), &self_loop, &cycles_ok)) != 0)
		return fatal_code(rc) ? rc : row_error(a, row->row, "kind", row->v[LIN_COL_KIND], "%s%s", lin_error_plain(), "");
	if (!cycles_ok) {
		int unknown, closes = 0;
		if ((rc = lin_store_asset_lookup(a->db->store, src, &sid, &unknown)) != 0 ||
		    (rc = lin_store_asset_lookup(a->db->store, dst, &tid, &unknown)) != 0)
			return rc;
		if (sid && tid && (rc = lin_cycles_check(&a->cycles, lin_row_edge_kind(row), sid, tid, &closes)) != 0)
			return rc;
		if (closes) {
			char msg[1600];
			snprintf(msg, sizeof msg,
				 "the \"%.100s\" edge from \"%.200s\" to \"%.200s\" would close a cycle "
				 "(\"%.200s\" already leads to \"%.200s\" through such edges), and edges "
				 "of kind \"%.100s\" must not form cycles. Remove the row, or check its "
				 "direction",
				 lin_row_edge_kind(row), src, dst, dst, src, lin_row_edge_kind(row));
			return row_error(a, row->row, NULL, NULL, "%s%s", msg, "");
		}
	}
	lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
	spec.source_key = src;
	spec.target_key = dst;
	spec.kind = row->v[LIN_COL_KIND];
	spec.job_key = job;
	spec.lineage_source = row->lineage_source;
	spec.confidence = row->confidence;
	spec.transformation_type = row->v[LIN_COL_TRANSFORMATION_TYPE];
	spec.transformation = row->v[LIN_COL_TRANSFORMATION];
	spec.description = row->v[LIN_COL_DESCRIPTION];
	spec.properties_json = row->properties;
	spec.origin = a->origin;
	spec.create_missing = a->opts->create_missing;
	spec.source_kind = sk;
	spec.target_kind = tk;
	if (spec.create_missing) {
		/* Which references the store will create, to count them. */
		const char *refs[3] = {src, dst, job};
		int unknown;
		for (int i = 0; i < 3; i++) {
			int64_t rid = 1;
			if (refs[i] && (rc = lin_store_asset_lookup(a->db->store, refs[i], &rid, &unknown)) != 0)
				return rc;
			missing[i] = refs[i] && !rid && (i == 0 || strcmp(refs[i], src)) &&
				     (i < 2 || strcmp(refs[i], dst));
		}
	}
	rc = lin_edge_upsert(&outcome, &id, a->db, &spec, &rules);
	if (rc == 0) {
		const char *refs[3] = {src, dst, job};
		for (int i = 0; i < 3; i++) {
			if (!missing[i])
				continue;
			count(a->v->rep, 1, LINEAGE_CREATED);
			a->implicit_assets++;
			if ((rc = lin_report_item(a->v->rep, "create", "asset", refs[i], NULL, NULL, row->row)) != 0)
				return rc;
		}
		count(a->v->rep, 0, outcome);
		if (a->origin && (rc = keep_edge_id(a, id)) != 0)
			return rc;
		if (!cycles_ok) {
			int unknown;
			if ((rc = lin_store_asset_lookup(a->db->store, src, &sid, &unknown)) != 0 ||
			    (rc = lin_store_asset_lookup(a->db->store, dst, &tid, &unknown)) != 0 ||
			    (rc = lin_cycles_add(&a->cycles, lin_row_edge_kind(row), sid, tid)) != 0)
				return rc;
		}
		return lin_report_item(a->v->rep, action_of(outcome), "edge", src, dst,
				       lin_row_edge_kind(row), row->row);
	}
	if (fatal_code(rc))
		return rc;
	if (rules.refused)
		return row_error(a, row->row, "lineage_source", lineage_source_name(row->lineage_source),
				 "%s%s", lin_error_plain(), "");
	if (rc == LINEAGE_ENOTFOUND) {
		const char *key = NULL, *col = missing_ref(a, row, &key);
		if (col) {
			char msg[700];
			if (!strcmp(col, "job"))
				snprintf(msg, sizeof msg,
					 "there is no asset \"%.300s\" for the job. Import the job "
					 "first (in an assets file), or import with create-missing",
					 key);
			else
				snprintf(msg, sizeof msg,
					 "there is no asset \"%.300s\". Import it first (in an assets "
					 "file), give its kind in the column \"%s_kind\" to create it, or "
					 "import with create-missing",
					 key, col);
			return row_error(a, row->row, col, key, "%s%s", msg, "");
		}
	}
	return row_error(a, row->row, NULL, NULL, "%s%s", lin_error_plain(), "");
}

int lin_apply_row(lin_applier *a, const lin_row *row)
{
	int rc = row->type == LINEAGE_RECORDS_ASSETS ? apply_asset(a, row) : apply_edge(a, row);
	/* In bulk mode (no savepoint per call) a write that failed half-way rolled the whole
	 * transaction back: nothing after it may be written outside the import's transaction. */
	if (rc != 0 && !a->db->in_tx && !fatal_code(rc)) {
		char why[1100];
		snprintf(why, sizeof why, "%s", lin_error_plain());
		return lin_error_set(LINEAGE_ERROR, "row %llu could not be written (%s), and the "
				     "import was rolled back as a whole: fix the cause and import the "
				     "file again", (unsigned long long)row->row, why);
	}
	return rc;
}
