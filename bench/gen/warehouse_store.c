/* Writing a generated warehouse through liblineage's public API. */
#include "warehouse.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../common/lbench.h"

static const char *const data_type_props[] = {
	"{\"data_type\":\"bigint\"}",    "{\"data_type\":\"integer\"}",
	"{\"data_type\":\"varchar\"}",   "{\"data_type\":\"text\"}",
	"{\"data_type\":\"numeric(18,2)\"}", "{\"data_type\":\"boolean\"}",
	"{\"data_type\":\"date\"}",      "{\"data_type\":\"timestamp\"}",
	"{\"data_type\":\"double\"}",    "{\"data_type\":\"json\"}"};

static const char *const owners[] = {"team-sales",   "team-finance",   "team-marketing",
				     "team-product", "team-support",   "team-logistics",
				     "team-hr",      "team-growth",    "team-risk",
				     "team-inventory", "team-billing", "team-web"};

/* Commit every `batch` upserts; begin again when more follow. */
static int batch_step(lineage_db *db, size_t done, size_t total, size_t batch,
		      lbench_load_stats *stats, const char *stage,
		      lbench_load_progress progress, void *payload)
{
	int rc;
	if (done % batch != 0 && done != total)
		return 0;
	rc = lineage_db_commit(db);
	if (rc != 0)
		return rc;
	stats->transactions++;
	if (progress)
		progress(stage, done, total, payload);
	return done == total ? 0 : lineage_db_begin(db, "bench: load synthetic warehouse");
}

static int store_assets(lineage_db *db, const lbench_warehouse *wh, size_t batch,
			lbench_load_stats *stats, lbench_load_progress progress, void *payload)
{
	lineage_asset_spec spec;
	int rc = lineage_db_begin(db, "bench: load synthetic warehouse");
	for (size_t i = 0; rc == 0 && i < wh->asset_count; i++) {
		const lbench_wh_asset *a = &wh->assets[i];
		const char *tag = lbench_wh_layer_name(a->layer);
		lineage_outcome outcome;
		lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
		spec.key = lbench_wh_key(wh, i);
		spec.kind = lbench_wh_kind_name(a->kind);
		spec.parent_key = a->parent >= 0 ? lbench_wh_key(wh, (size_t)a->parent) : NULL;
		if (strcmp(spec.kind, "column") == 0) {
			spec.properties_json = data_type_props[a->data_type % 10];
		} else if (a->layer != LBENCH_LAYER_NONE || strcmp(spec.kind, "job") == 0) {
			spec.owner = owners[a->domain % 12];
			if (a->layer != LBENCH_LAYER_NONE) {
				spec.tags = &tag;
				spec.tag_count = 1;
				spec.tags_set = 1;
			}
		}
		rc = lineage_asset_upsert(&outcome, NULL, db, &spec);
		if (rc == 0 && outcome == LINEAGE_CREATED)
			stats->assets_created++;
		if (rc == 0)
			rc = batch_step(db, i + 1, wh->asset_count, batch, stats, "assets", progress,
					payload);
	}
	if (rc != 0 && lineage_db_in_transaction(db)) {
		lineage_error saved = *lineage_error_last();
		char msg[512];
		snprintf(msg, sizeof msg, "%s", saved.message);
		lineage_db_rollback(db);
		fprintf(stderr, "bench: storing assets failed: %s\n", msg);
	}
	return rc;
}

static int store_edges(lineage_db *db, const lbench_warehouse *wh, size_t batch,
		       lbench_load_stats *stats, lbench_load_progress progress, void *payload)
{
	lineage_edge_spec spec;
	int rc = lineage_db_begin(db, "bench: load synthetic warehouse");
	for (size_t i = 0; rc == 0 && i < wh->edge_count; i++) {
		const lbench_wh_edge *e = &wh->edges[i];
		lineage_outcome outcome;
		lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
		spec.source_key = lbench_wh_key(wh, e->source);
		spec.target_key = lbench_wh_key(wh, e->target);
		spec.kind = e->kind ? lbench_wh_edge_kind_name(e->kind) : NULL;
		spec.job_key = e->job >= 0 ? lbench_wh_key(wh, (size_t)e->job) : NULL;
		spec.lineage_source = (lineage_source)e->lsource;
		/* Two decimals, as generated (a float would show as 0.81999999284744263). */
		spec.confidence = floor((double)e->confidence * 100.0 + 0.5) / 100.0;
		spec.transformation_type = lbench_wh_ttype_name(e->ttype);
		rc = lineage_edge_upsert(&outcome, NULL, db, &spec);
		if (rc == 0 && outcome == LINEAGE_CREATED)
			stats->edges_created++;
		if (rc == 0)
			rc = batch_step(db, i + 1, wh->edge_count, batch, stats, "edges", progress,
					payload);
	}
	if (rc != 0 && lineage_db_in_transaction(db)) {
		lineage_error saved = *lineage_error_last();
		char msg[512];
		snprintf(msg, sizeof msg, "%s", saved.message);
		lineage_db_rollback(db);
		fprintf(stderr, "bench: storing edges failed: %s\n", msg);
	}
	return rc;
}

int lbench_warehouse_store(lineage_db *db, const lbench_warehouse *wh, size_t batch,
			   lbench_load_stats *stats, lbench_load_progress progress, void *payload)
{
	uint64_t t0, t1;
	int rc;
	memset(stats, 0, sizeof *stats);
	if (!batch)
		batch = 250000;
	t0 = lbench_now_ns();
	rc = store_assets(db, wh, batch, stats, progress, payload);
	t1 = lbench_now_ns();
	stats->asset_seconds = lbench_ms(t0, t1) / 1000.0;
	if (rc != 0)
		return rc;
	rc = store_edges(db, wh, batch, stats, progress, payload);
	stats->edge_seconds = lbench_ms(t1, lbench_now_ns()) / 1000.0;
	return rc;
}
