/* `lineage import`: bulk import of assets and lineage, with a report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"

#define SHOWN_ISSUES 50
#define SHOWN_ITEMS 30

/*
 * For scripts and tests: $LINEAGE_PROGRESS_LOG names a file that gets one line per progress
 * report ("write 8192 60000"), and $LINEAGE_PROGRESS_PAUSE_MS pauses at each report (the
 * crash test kills the process at known points this way).
 */
typedef struct import_progress {
	cli_progress bar;
	FILE *log;
	long pause_ms;
} import_progress;

static int on_progress(const char *stage, uint64_t done, uint64_t total, void *payload)
{
	import_progress *p = payload;
	if (p->log) {
		fprintf(p->log, "%s %llu %llu\n", stage, (unsigned long long)done,
			(unsigned long long)total);
		fflush(p->log);
	}
	if (p->pause_ms > 0) {
		struct timespec ts = {p->pause_ms / 1000, (p->pause_ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}
	return cli_progress_cb(stage, done, total, &p->bar);
}

static void print_issues(cli_ctx *ctx, const lineage_import_report *r, int warnings)
{
	const lineage_import_summary *s = lineage_import_report_summary(r);
	size_t kept = warnings ? lineage_import_report_warning_count(r)
			       : lineage_import_report_error_count(r);
	uint64_t total = warnings ? s->warnings : s->errors;
	if (!total)
		return;
	printf("\n%s%s (%llu):%s\n", cli_sty(ctx, warnings ? CLI_YELLOW : CLI_RED),
	       warnings ? "Warnings" : "Errors", (unsigned long long)total, cli_sty(ctx, CLI_RESET));
	for (size_t i = 0; i < kept && i < SHOWN_ISSUES; i++) {
		const lineage_import_issue *is = warnings ? lineage_import_report_warning(r, i)
							  : lineage_import_report_error(r, i);
		printf("  %s\n", is->message);
	}
	if (total > SHOWN_ISSUES)
		printf("  ... and %llu more (--json lists up to 1000)\n",
		       (unsigned long long)(total - SHOWN_ISSUES));
}

static void print_items(const lineage_import_report *r, int dry_run)
{
	size_t n = lineage_import_report_item_count(r), shown = 0, changes = 0;
	for (size_t i = 0; i < n; i++)
		changes += strcmp(lineage_import_report_item(r, i)->action, "unchanged") != 0;
	if (!changes)
		return;
	printf("\n%s:\n", dry_run ? "Would change" : "Changes");
	for (size_t i = 0; i < n && shown < SHOWN_ITEMS; i++) {
		const lineage_import_item *it = lineage_import_report_item(r, i);
		if (!strcmp(it->action, "unchanged"))
			continue;
		shown++;
		if (!strcmp(it->entity, "asset"))
			printf("  %-8s asset %s", it->action, it->key);
		else
			printf("  %-8s edge  %s -> %s (%s)", it->action, it->key, it->target_key, it->kind);
		if (it->row)
			printf("  [row %llu]", (unsigned long long)it->row);
		printf("\n");
	}
	if (changes > shown)
		printf("  ... and more (--json lists up to 1000)\n");
}

static void print_report(cli_ctx *ctx, const lineage_import_report *r)
{
	const lineage_import_summary *s = lineage_import_report_summary(r);
	printf("%s%s%s: %llu rows, %llu valid, %llu invalid (%s)\n", cli_sty(ctx, CLI_BOLD),
	       s->dry_run ? "Dry run" : "Import", cli_sty(ctx, CLI_RESET),
	       (unsigned long long)s->rows, (unsigned long long)s->valid,
	       (unsigned long long)s->invalid, lineage_format_name(s->format));
	printf("  %-10s %llu assets, %llu edges\n", s->dry_run || !s->committed ? "to create" : "created",
	       (unsigned long long)s->created_assets, (unsigned long long)s->created_edges);
	printf("  %-10s %llu assets, %llu edges\n", s->dry_run || !s->committed ? "to update" : "updated",
	       (unsigned long long)s->updated_assets, (unsigned long long)s->updated_edges);
	printf("  %-10s %llu assets, %llu edges\n", "unchanged", (unsigned long long)s->unchanged_assets,
	       (unsigned long long)s->unchanged_edges);
	if (s->retired_edges)
		printf("  %-10s %llu edges\n", s->dry_run || !s->committed ? "to retire" : "retired",
		       (unsigned long long)s->retired_edges);
	if (s->dry_run)
		print_items(r, 1);
	print_issues(ctx, r, 0);
	print_issues(ctx, r, 1);
	printf("\n");
	if (s->committed)
		printf("%sCommitted%s as batch %lld (undo with: lineage revert %lld)%s\n",
		       cli_sty(ctx, CLI_GREEN), cli_sty(ctx, CLI_RESET), (long long)s->batch_id,
		       (long long)s->batch_id,
		       s->invalid ? "; the invalid rows were skipped" : "");
	else if (s->dry_run)
		printf("Nothing was written (dry run).\n");
	else
		printf("%sNothing was written%s: fix the errors and import again, or use "
		       "--mode skip-errors to import the valid rows.\n",
		       cli_sty(ctx, CLI_RED), cli_sty(ctx, CLI_RESET));
}

int cli_cmd_import(cli_ctx *ctx, int argc, char **argv)
{
	const char *format = NULL, *type = NULL, *mode = NULL, *rejects = NULL, *replace = NULL;
	const char *sheet = NULL;
	int dry_run = 0, create_missing = 0;
	const cli_option options[] = {
		{"format", CLI_VALUE, "F", "csv, json, jsonl, graphml, xlsx or yaml (default: from "
		 "the name or the content)", &format},
		{"sheet", CLI_VALUE, "NAME", "xlsx: the sheet to read (default: the first)", &sheet},
		{"type", CLI_VALUE, "T", "assets or lineage (default: from the header or each "
		 "record)", &type},
		{"mode", CLI_VALUE, "M", "atomic (default: any invalid row, nothing is written) "
		 "or skip-errors (write the valid rows)", &mode},
		{"dry-run", CLI_FLAG, NULL, "check and preview, write nothing", &dry_run},
		{"create-missing", CLI_FLAG, NULL, "create assets that rows refer to but that do "
		 "not exist", &create_missing},
		{"rejects", CLI_VALUE, "FILE", "write the invalid rows to FILE (CSV with an "
		 "\"error\" column) to fix and import again", &rejects},
		{"replace", CLI_VALUE, "SCOPE", "the file is the whole truth for SCOPE: edges "
		 "imported before with this scope and missing now are retired", &replace},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {
		"import", "FILE [options]",
		"Import assets or lineage from CSV, JSON, JSON Lines, GraphML, an Excel workbook "
		"(.xlsx) or YAML (FILE - reads standard input)",
		"Every row is checked before anything is written; the import is one batch that\n"
		"`lineage revert` can undo. The format is described in docs/import-format.md.\n"
		"Exit status: 0 written with no invalid rows; 2 some rows are invalid (atomic:\n"
		"nothing written; skip-errors: the valid rows written); 1 any other failure.\n"
		"--json gives the report: {\"rows\", \"valid\", \"invalid\", \"errors\": [{\"row\",\n"
		"\"column\", \"value\", \"message\"}], \"warnings\", \"created\", \"updated\",\n"
		"\"unchanged\", \"retired\", \"items\", \"committed\", \"batch_id\"}.\n"
		"example: lineage import edges.csv --dry-run",
		options, 1, 1};
	cli_args args;
	lineage_import_options o;
	lineage_import_report *report = NULL;
	import_progress progress;
	const char *log_path = getenv("LINEAGE_PROGRESS_LOG");
	const char *pause = getenv("LINEAGE_PROGRESS_PAUSE_MS");
	lineage_db *db;
	int rc = cli_parse(ctx, &spec, argc, argv, &args), lrc;
	memset(&progress, 0, sizeof progress);
	if (rc)
		goto done;
	lineage_import_options_init(&o, LINEAGE_IMPORT_OPTIONS_VERSION);
	o.sheet = sheet;
	/* Only the formats import reads: the others are export formats. */
	if (format && (lineage_format_parse(&o.format, format) ||
		       (o.format > LINEAGE_FORMAT_GRAPHML && o.format != LINEAGE_FORMAT_XLSX &&
			o.format != LINEAGE_FORMAT_YAML))) {
		rc = cli_usage(ctx, "--format %s cannot be imported: use csv, json, jsonl, graphml, "
			       "xlsx or yaml", format);
		goto done;
	}
	if (type && lineage_record_type_parse(&o.type, type)) {
		rc = cli_usage(ctx, "%s", lineage_error_last()->message);
		goto done;
	}
	if (mode) {
		if (!strcmp(mode, "atomic"))
			o.mode = LINEAGE_IMPORT_ATOMIC;
		else if (!strcmp(mode, "skip-errors"))
			o.mode = LINEAGE_IMPORT_SKIP_ERRORS;
		else {
			rc = cli_usage(ctx, "unknown mode '%s': use atomic or skip-errors", mode);
			goto done;
		}
	}
	o.dry_run = dry_run;
	o.create_missing = create_missing;
	o.rejects_path = rejects;
	o.replace_scope = replace;
	if (!(db = cli_db(ctx, 0))) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	cli_progress_init(&progress.bar);
	if (log_path && !(progress.log = fopen(log_path, "a"))) {
		cli_progress_finish(&progress.bar);
		rc = cli_error(ctx, "cannot open LINEAGE_PROGRESS_LOG file '%s'", log_path);
		goto done;
	}
	progress.pause_ms = pause ? strtol(pause, NULL, 10) : 0;
	o.progress = on_progress;
	o.payload = &progress;
	if (!strcmp(args.pos[0], "-")) {
		o.label = "stdin";
		lrc = lineage_import_file(&report, db, stdin, &o);
	} else {
		lrc = lineage_import_path(&report, db, args.pos[0], &o);
	}
	cli_progress_finish(&progress.bar);
	if (!report) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		char *json = NULL;
		if (lineage_import_report_to_json(&json, report)) {
			rc = cli_fail(ctx);
			goto done;
		}
		cli_print_json(json);
	} else {
		print_report(ctx, report);
	}
	rc = lrc == 0 ? CLI_EXIT_OK : lrc == LINEAGE_EINVALID ? 2 : CLI_EXIT_ERROR;
done:
	if (progress.log)
		fclose(progress.log);
	lineage_import_report_free(report);
	cli_args_free(&args);
	return CLI_RC(rc);
}
