/*
 * The dbt scanner: target/manifest.json (schema v4 to v12) and, when present, catalog.json.
 *
 * What it stores (docs/scanners.md):
 *  - models, seeds, snapshots and sources as assets keyed by their relation,
 *    lower-cased "database.schema.alias" (no database on adapters without one, e.g. Spark),
 *    inside their schema and database assets; ephemeral models as kind "model";
 *  - columns from the catalog (with data types) and the manifest (with descriptions);
 *  - one job asset per model/snapshot ("dbt:<project>.<name>", kind "job") recorded on the
 *    table-to-table edges it produces, so that upstream of a table gives tables directly;
 *  - exposures as assets of their type (dashboard, notebook, ...) fed by what they depend on;
 *  - column-level lineage from each node's compiled SQL, when the SQL scanner is built in.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "scan/scan_internal.h"
#include "dbt_internal.h"


static int is_manifest_head(const unsigned char *head, size_t len)
{
	/* dbt writes "metadata" first, with the schema URL in it. */
	const char *needle = "schemas.getdbt.com/dbt/manifest/";
	size_t nl = strlen(needle);
	for (size_t i = 0; i + nl <= len; i++)
		if (!memcmp(head + i, needle, nl))
			return 1;
	return 0;
}

static int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* A dbt project folder (with target/manifest.json) or a target folder. */
static int find_manifest(lin_strbuf *out, const char *dir)
{
	lin_strbuf_reset(out);
	if (lin_strbuf_printf(out, "%s/manifest.json", dir))
		return LINEAGE_ENOMEM;
	if (file_exists(out->data))
		return 0;
	lin_strbuf_reset(out);
	if (lin_strbuf_printf(out, "%s/target/manifest.json", dir))
		return LINEAGE_ENOMEM;
	return file_exists(out->data) ? 0 : LINEAGE_ENOTFOUND;
}

static int dbt_detect(const char *path, const unsigned char *head, size_t len, void *payload)
{
	(void)payload;
	if (!head) {
		lin_strbuf p = LIN_STRBUF_INIT;
		int found = find_manifest(&p, path) == 0;
		lin_strbuf_free(&p);
		return found ? 90 : 0;
	}
	return is_manifest_head(head, len) ? 95 : 0;
}

static json_t *load_json(const char *path, lineage_scan_sink *sink)
{
	json_error_t err;
	json_t *doc = json_load_file(path, 0, &err);
	if (!doc) {
		char msg[512];
		snprintf(msg, sizeof msg, "not valid JSON: %s (line %d, column %d): regenerate it with dbt (dbt compile or dbt docs generate)",
			 err.text, err.line, err.column);
		lineage_scan_sink_diagnostic(sink, LINEAGE_DIAG_ERROR, path, err.line, err.column, msg);
	}
	return doc;
}

static int scan_manifest(lineage_scan_sink *sink, const char *manifest_path, json_t *manifest)
{
	lin_dbt_project p;
	lin_strbuf catalog_path = LIN_STRBUF_INIT;
	json_t *catalog = NULL;
	const char *slash;
	int rc;
	if (!json_is_object(manifest) || !json_is_object(json_object_get(manifest, "nodes")))
		return lin_error_set(LINEAGE_EPARSE, "%s is not a dbt manifest (no \"nodes\" object): give dbt's target/manifest.json", manifest_path);
	/* The catalog, when dbt docs generate wrote one beside the manifest. */
	slash = strrchr(manifest_path, '/');
	if (slash)
		lin_strbuf_printf(&catalog_path, "%.*s/catalog.json", (int)(slash - manifest_path), manifest_path);
	else
		lin_strbuf_puts(&catalog_path, "catalog.json");
	if (catalog_path.data && file_exists(catalog_path.data))
		catalog = load_json(catalog_path.data, sink);
	rc = lin_dbt_project_init(&p, sink, manifest_path, manifest, catalog);
	if (!rc)
		rc = lin_dbt_emit(&p);
	lin_dbt_project_free(&p);
	json_decref(catalog);
	lin_strbuf_free(&catalog_path);
	return rc;
}

static int dbt_scan(lineage_scan_sink *sink, const char *path, const unsigned char *data,
		    size_t len, void *payload)
{
	json_t *doc;
	json_error_t err;
	int rc;
	(void)payload;
	if (!data) {
		lin_strbuf manifest_path = LIN_STRBUF_INIT;
		rc = find_manifest(&manifest_path, path);
		if (rc) {
			lin_strbuf_free(&manifest_path);
			return lin_error_set(LINEAGE_ENOTFOUND, "%s holds no manifest.json or target/manifest.json: run dbt compile first", path);
		}
		doc = load_json(manifest_path.data, sink);
		rc = doc ? scan_manifest(sink, manifest_path.data, doc) : 0;
		json_decref(doc);
		lin_strbuf_free(&manifest_path);
		return rc;
	}
	doc = json_loadb((const char *)data, len, 0, &err);
	if (!doc)
		return lin_error_set(LINEAGE_EPARSE, "%s is not valid JSON: %s (line %d, column %d)", path,
				     err.text, err.line, err.column);
	rc = scan_manifest(sink, path, doc);
	json_decref(doc);
	return rc;
}

const lineage_scanner lin_scanner_dbt = {
	LINEAGE_SCANNER_VERSION, "dbt",
	"dbt artifacts: manifest.json (v4 to v12) and catalog.json: models, seeds, snapshots, sources, exposures, columns",
	dbt_detect, dbt_scan, NULL};
