/*
 * liblineage for Node.js: the long operations (backup, import, scan, export), which run on
 * a worker with progress and cancellation, and the SQL analysis, which needs no graph.
 */
#include <string.h>

#include "ops.h"

int init_import(call_args *a)
{
	return lineage_import_options_init(&a->o.import, LINEAGE_IMPORT_OPTIONS_VERSION);
}

int init_scan(call_args *a)
{
	return lineage_scan_options_init(&a->o.scan, LINEAGE_SCAN_OPTIONS_VERSION);
}

int init_export(call_args *a)
{
	a->direction = LINEAGE_DOWNSTREAM;
	a->change = LINEAGE_CHANGE_DROP;
	return lineage_export_options_init(&a->o.exp, LINEAGE_EXPORT_OPTIONS_VERSION);
}

int init_sql(call_args *a)
{
	return lineage_sql_options_init(&a->o.sql, LINEAGE_SQL_OPTIONS_VERSION);
}

int run_backup(call_args *a, lineage_db *db)
{
	return lineage_db_backup(db, a->path, a->progress, a->payload);
}

/*
 * Invalid rows in a preview or a skip-errors import are an answer (the report), not a
 * failure; a failed import leaves its report in `json` for the error's details.
 */
int run_import(call_args *a, lineage_db *db)
{
	lineage_import_options *o = &a->o.import;
	lineage_import_report *report = NULL;
	int rc, jrc = 0;

	o->progress = a->progress;
	o->payload = a->payload;
	rc = lineage_import_path(&report, db, a->path, o);
	if (rc == LINEAGE_EINVALID && report &&
	    (o->dry_run || o->mode == LINEAGE_IMPORT_SKIP_ERRORS))
		rc = 0;
	if (report)
		jrc = lineage_import_report_to_json(&a->json, report);
	lineage_import_report_free(report);
	return rc ? rc : jrc;
}

int run_scan(call_args *a, lineage_db *db)
{
	lineage_scan_report *report = NULL;
	int rc;

	a->o.scan.progress = a->progress;
	a->o.scan.progress_payload = a->payload;
	rc = lineage_scan_run(&report, db, a->paths, a->path_count, &a->o.scan);
	if (!rc)
		rc = lineage_scan_report_to_json(&a->json, report);
	lineage_scan_report_free(report);
	return rc;
}

/* The whole graph, or the assets and edges of a query from `root`; to a file or a text. */
int run_export(call_args *a, lineage_db *db)
{
	lineage_result *res = NULL;
	int rc = 0;

	a->o.exp.progress = a->progress;
	a->o.exp.payload = a->payload;
	if (a->root)
		rc = a->direction ? lineage_query_traverse(&res, db, a->root,
							   (lineage_direction)a->direction, &a->query)
				  : lineage_query_impact(&res, db, a->root, a->change, &a->query);
	if (!rc)
		rc = a->path ? lineage_export_path(db, res, a->path, &a->o.exp)
			     : lineage_export_buffer(&a->text_out, &a->text_len, db, res, &a->o.exp);
	lineage_result_free(res);
	return rc;
}

int run_analyze_sql(call_args *a, lineage_db *db)
{
	lineage_sql_result *res = NULL;
	int rc = lineage_sql_analyze(&res, a->text, strlen(a->text), &a->o.sql);
	(void)db;
	if (!rc)
		rc = lineage_sql_result_to_json(&a->json, res, 0);
	lineage_sql_result_free(res);
	return rc;
}
