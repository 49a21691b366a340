/* `lineage collect`: the catalog and view lineage of a live database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static void print_report(cli_ctx *ctx, const lineage_scan_report *r, const char *masked)
{
	const lineage_scan_summary *s = lineage_scan_report_summary(r);
	const char *verb = s->dry_run ? "would be " : "";
	printf("%s%s%s: %s, %zu views and statements analysed\n", cli_sty(ctx, CLI_BOLD),
	       s->dry_run ? "Collect (dry run)" : "Collect", cli_sty(ctx, CLI_RESET), masked,
	       s->statements);
	printf("  assets  %zu found, %zu %screated, %zu %supdated, %zu %sremoved\n", s->assets_found,
	       s->assets_created, verb, s->assets_updated, verb, s->assets_removed, verb);
	printf("  edges   %zu found, %zu %screated, %zu %supdated, %zu unchanged, %zu %sretired\n",
	       s->edges_found, s->edges_created, verb, s->edges_updated, verb, s->edges_unchanged,
	       s->edges_retired, verb);
	cli_print_scan_diagnostics(ctx, r);
	cli_print_scan_outcome(s);
}

int cli_cmd_collect(cli_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL, *type = NULL, *timeout = NULL;
	cli_strlist schemas = {NULL, 0};
	int queries = 0, dry_run = 0, strict = 0;
	const cli_option options[] = {
		{"name", CLI_VALUE, "SOURCE", "the source's name, the prefix of its keys (default: "
		 "the database's name)", &name},
		{"schema", CLI_LIST, "S", "collect only this schema (MySQL: database); repeat for "
		 "more", &schemas},
		{"queries", CLI_FLAG, NULL, "PostgreSQL: also the lineage of the INSERT ... SELECT, "
		 "CREATE TABLE AS and MERGE statements pg_stat_statements saw run", &queries},
		{"type", CLI_VALUE, "T", "the collector (postgres, mysql, sqlite or one registered); "
		 "default: from the URI", &type},
		{"timeout", CLI_VALUE, "SECONDS", "connection timeout (default 10)", &timeout},
		{"dry-run", CLI_FLAG, NULL, "report what would change, write nothing", &dry_run},
		{"strict", CLI_FLAG, NULL, "exit 2 when a view could not be read", &strict},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {
		"collect", "URI [options]",
		"Collect the tables, views, columns and view lineage of a live database",
		"URI: postgresql://USER[:PASSWORD]@HOST[:PORT]/DB (libpq URIs and parameters),\n"
		"mysql://USER[:PASSWORD]@HOST[:PORT]/DB[?socket=PATH] (mariadb:// too),\n"
		"sqlite:///path/to/file.db or the file's path. The password is never stored\n"
		"nor printed; prefer a ~/.pgpass file or PGPASSWORD to putting it in the URI.\n"
		"Keys are SOURCE.schema.table[.column]; the source is a system asset. View\n"
		"lineage is stored as inferred edges, for review (lineage pending / approve).\n"
		"Collecting the same source again replaces what it found before: tables gone\n"
		"are marked removed and their edges retired; manual, approved and rejected\n"
		"edges are never changed. --json prints the report (docs/collectors.md).\n"
		"example: lineage collect postgresql://app@db.internal/shop --name shop --queries",
		options, 1, 1};
	cli_args args;
	lineage_collect_options o;
	lineage_scan_report *report = NULL;
	cli_progress progress;
	lineage_db *db;
	char *json = NULL, *masked = NULL;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc)
		goto done;
	lineage_collect_options_init(&o, LINEAGE_COLLECT_OPTIONS_VERSION);
	o.name = name;
	o.type = type;
	o.schemas = schemas.items;
	o.schema_count = schemas.count;
	o.queries = queries;
	o.dry_run = dry_run;
	if (timeout) {
		char *end = NULL;
		long v = strtol(timeout, &end, 10);
		if (!*timeout || *end || v < 1 || v > 3600) {
			rc = cli_usage(ctx, "--timeout takes a number of seconds from 1 to 3600, not '%.40s'", timeout);
			goto done;
		}
		o.connect_timeout_s = (unsigned)v;
	}
	if (!(db = cli_db(ctx, 0))) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_collect_uri_mask(&masked, args.pos[0])) {
		rc = cli_fail(ctx);
		goto done;
	}
	cli_progress_init(&progress);
	o.progress = cli_progress_cb;
	o.progress_payload = &progress;
	rc = lineage_collect(&report, db, args.pos[0], &o);
	cli_progress_finish(&progress);
	if (rc) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		if (lineage_scan_report_to_json(&json, report)) {
			rc = cli_fail(ctx);
			goto done;
		}
		cli_print_json(json);
		json = NULL;
	} else {
		print_report(ctx, report, masked);
	}
	rc = strict && lineage_scan_report_diagnostic_count(report, LINEAGE_DIAG_ERROR) ? 2 : CLI_EXIT_OK;
done:
	free(json);
	lineage_free(masked);
	lineage_scan_report_free(report);
	cli_args_free(&args);
	return CLI_RC(rc);
}
