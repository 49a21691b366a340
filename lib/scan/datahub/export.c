/*
 * The stored lineage as a DataHub metadata file: a JSON array of MetadataChangeProposals, one
 * upstreamLineage aspect per dataset that has upstreams, the way DataHub's file sink writes
 * them and its file source reads them.
 *
 * Table edges are the dataset's upstreams (type: the edge's transformation type when it is
 * COPY, TRANSFORMED or VIEW, else TRANSFORMED); column edges are fineGrainedLineages of the
 * target column's dataset (FIELD_SET, or DATASET when the source is a whole table; the
 * transformation type as transformOperation, the confidence as confidenceScore). Datasets
 * read from DataHub keep their URN; others get one from the scheme of their key ("s3://b/k":
 * platform s3, name "b/k") or their OpenLineage namespace ("postgres://h:5432": platform
 * postgres), else the platform "liblineage"; env PROD.
 * Edges to or from jobs are not dataset lineage in DataHub (dataJob aspects) and are left out.
 */
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "scan/scan_internal.h"
#include "dh_internal.h"

#define DEFAULT_PLATFORM "liblineage"
#define DEFAULT_ENV "PROD"
#define ACTOR "urn:li:corpuser:liblineage"

typedef struct dh_export {
	lineage_db *db;
	json_t *assets;   /* key -> {"kind", "parent", "urn"} */
	json_t *datasets; /* dataset urn -> {"upstreams": {urn: upstream}, "fine": [..]} */
} dh_export;

/* A URN for an asset that did not come from DataHub. */
static char *made_urn(const char *key, const json_t *props)
{
	const char *ns = lin_scan_str(json_object_get(props, "openlineage"), "namespace");
	const char *name = key, *scheme;
	char platform[64] = DEFAULT_PLATFORM;
	if ((scheme = strstr(key, "://")) && scheme > key && scheme - key < 32) {
		memcpy(platform, key, (size_t)(scheme - key));
		platform[scheme - key] = '\0';
		name = scheme + 3;
	} else if (ns && *ns) {
		size_t n = strcspn(ns, ":/");
		if (n && n < sizeof platform) {
			memcpy(platform, ns, n);
			platform[n] = '\0';
		}
	}
	return lin_dh_dataset_urn(platform, name, DEFAULT_ENV);
}

static json_t *asset_info(dh_export *x, const char *key)
{
	json_t *info = json_object_get(x->assets, key), *props;
	lineage_asset *a = NULL;
	char *urn;
	if (info)
		return info;
	if (lineage_asset_get(&a, x->db, key) != 0) {
		lineage_error_clear();
		urn = made_urn(key, NULL);
		info = json_pack("{s:s, s:n, s:s?}", "kind", "unknown", "parent", "urn", urn);
	} else {
		props = json_loads(a->properties_json, 0, NULL);
		const char *stored = lin_scan_str(json_object_get(props, "datahub"), "urn");
		urn = stored ? lin_strdup(stored) : made_urn(key, props);
		info = json_pack("{s:s, s:s?, s:s?}", "kind", a->kind, "parent", a->parent_key, "urn", urn);
		json_decref(props);
		lineage_asset_free(a);
	}
	free(urn);
	if (!info || json_object_set_new(x->assets, key, info))
		return NULL;
	return info;
}

static int is_kind(const json_t *info, const char *kind)
{
	return !strcmp(lin_scan_str(info, "kind"), kind);
}

/* A column's dataset info and its field name, or NULL when the key is not a column. */
static const json_t *column_dataset(dh_export *x, const char *key, const json_t *info,
				     const char **field)
{
	const char *parent = lin_scan_str(info, "parent");
	size_t pl;
	if (!is_kind(info, "column") || !parent)
		return NULL;
	pl = strlen(parent);
	*field = strncmp(key, parent, pl) || key[pl] != '.' ? key : key + pl + 1;
	return asset_info(x, parent);
}

static json_t *entry_of(dh_export *x, const char *urn)
{
	json_t *e = json_object_get(x->datasets, urn);
	if (!e) {
		e = json_pack("{s:{}, s:[]}", "upstreams", "fine");
		if (e && json_object_set_new(x->datasets, urn, e))
			return NULL;
	}
	return e;
}

static const char *lineage_type(const char *ttype)
{
	if (ttype && (!strcmp(ttype, "COPY") || !strcmp(ttype, "VIEW")))
		return ttype;
	return "TRANSFORMED";
}

static int add_edge(const lineage_edge *e, void *payload)
{
	dh_export *x = payload;
	json_t *src = asset_info(x, e->source_key), *dst = asset_info(x, e->target_key), *entry;
	const json_t *src_ds, *dst_ds;
	const char *src_field = NULL, *dst_field = NULL;
	if (!src || !dst)
		return lin_error_oom();
	if (is_kind(src, "job") || is_kind(dst, "job") || is_kind(src, "run") || is_kind(dst, "run"))
		return 0;
	src_ds = column_dataset(x, e->source_key, src, &src_field);
	dst_ds = column_dataset(x, e->target_key, dst, &dst_field);
	if (!src_ds && !dst_ds) {
		/* Dataset to dataset: an upstream. */
		json_t *up;
		entry = entry_of(x, lin_scan_str(dst, "urn"));
		if (!entry)
			return lin_error_oom();
		up = json_pack("{s:{s:I, s:s}, s:s, s:s}", "auditStamp", "time",
			       (json_int_t)e->updated_at_ms, "actor", ACTOR, "dataset",
			       lin_scan_str(src, "urn"), "type", lineage_type(e->transformation_type));
		return up ? json_object_set_new(json_object_get(entry, "upstreams"),
						lin_scan_str(src, "urn"), up)
			  : lin_error_oom();
	}
	if (!dst_ds)
		return 0; /* a column feeding a whole table: DataHub has no downstream for it */
	{
		char *down = lin_dh_field_urn(lin_scan_str(dst_ds, "urn"), dst_field);
		char *upurn = src_ds ? lin_dh_field_urn(lin_scan_str(src_ds, "urn"), src_field)
				     : lin_strdup(lin_scan_str(src, "urn"));
		json_t *fg = down && upurn
				     ? json_pack("{s:s, s:[s], s:s, s:[s], s:f}", "upstreamType",
						 src_ds ? "FIELD_SET" : "DATASET", "upstreams", upurn,
						 "downstreamType", "FIELD", "downstreams", down,
						 "confidenceScore", e->confidence)
				     : NULL;
		int rc = 0;
		if (fg && e->transformation_type)
			json_object_set_new(fg, "transformOperation", json_string(e->transformation_type));
		entry = entry_of(x, lin_scan_str(dst_ds, "urn"));
		if (!fg || !entry || json_array_append_new(json_object_get(entry, "fine"), fg))
			rc = lin_error_oom();
		free(down);
		free(upurn);
		return rc;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One proposal per dataset, in URN order (so that the same graph gives the same file). */
static int write_proposals(dh_export *x, lin_strbuf *out)
{
	size_t n = json_object_size(x->datasets), i = 0;
	const char **urns = calloc(n + 1, sizeof *urns), *urn;
	json_t *entry;
	int rc = lin_strbuf_puts(out, "[");
	if (!urns)
		return lin_error_oom();
	json_object_foreach(x->datasets, urn, entry)
		urns[i++] = urn;
	qsort(urns, n, sizeof *urns, cmp_str);
	for (i = 0; i < n && !rc; i++) {
		json_t *e = json_object_get(x->datasets, urns[i]), *ups = json_array(), *up, *aspect, *mcp;
		const char *k;
		char *text;
		json_object_foreach(json_object_get(e, "upstreams"), k, up)
			json_array_append(ups, up);
		aspect = json_pack("{s:o}", "upstreams", ups);
		if (aspect && json_array_size(json_object_get(e, "fine")))
			json_object_set(aspect, "fineGrainedLineages", json_object_get(e, "fine"));
		mcp = aspect ? json_pack("{s:s, s:s, s:s, s:s, s:{s:o}}", "entityType", "dataset",
					 "entityUrn", urns[i], "changeType", "UPSERT", "aspectName",
					 "upstreamLineage", "aspect", "json", aspect)
			     : NULL;
		text = mcp ? json_dumps(mcp, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(mcp);
		if (!text) {
			rc = lin_error_oom();
			break;
		}
		rc = lin_strbuf_printf(out, "%s\n%s", i ? "," : "", text);
		free(text);
	}
	if (!rc)
		rc = lin_strbuf_puts(out, "\n]\n");
	free(urns);
	return rc;
}

int lin_dh_export(lineage_db *db, const lineage_result *result, lin_strbuf *out)
{
	dh_export x;
	int rc = 0;
	memset(&x, 0, sizeof x);
	x.db = db;
	x.assets = json_object();
	x.datasets = json_object();
	if (!x.assets || !x.datasets) {
		rc = lin_error_oom();
		goto done;
	}
	if (!result) {
		rc = lineage_edge_foreach(db, 0, add_edge, &x);
	} else {
		for (size_t i = 0; !rc && i < lineage_result_edge_count(result); i++) {
			lineage_edge *e = NULL;
			rc = lineage_edge_get(&e, db, lineage_result_edge_at(result, i)->edge_id);
			if (!rc)
				rc = add_edge(e, &x);
			lineage_edge_free(e);
		}
	}
	if (!rc)
		rc = write_proposals(&x, out);
done:
	json_decref(x.assets);
	json_decref(x.datasets);
	return rc;
}
