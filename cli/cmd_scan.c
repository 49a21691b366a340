/* `lineage scan`: lineage inferred from SQL, dbt, Airflow and OpenLineage files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

#define SHOWN_DIAGNOSTICS 50
#define MAX_STDIN (256u << 20)

/* Read a file, or standard input for "-", appending to buf. Returns 0 or -1 (printed). */
static int slurp(cli_ctx *ctx, const char *path, char **buf, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char chunk[65536];
	size_t n;
	if (!f)
	{
		cli_error(ctx, "cannot read '%.400s': check the path", path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		char *p;
		if (*len + n + 3 > MAX_STDIN) {
			if (f != stdin)
				fclose(f);
			cli_error(ctx, "the SQL given is over 256 MiB: split it into several files");
			return -1;
		}
		p = realloc(*buf, *len + n + 3);
		if (!p) {
			if (f != stdin)
				fclose(f);
			cli_error(ctx, "out of memory reading '%.400s'", path);
			return -1;
		}
		*buf = p;
		memcpy(*buf + *len, chunk, n);
		*len += n;
	}
	if (f != stdin)
		fclose(f);
	/* Scripts are joined as one: end each with a statement separator. */
	if (!*buf && !(*buf = malloc(3)))
		return -1;
	memcpy(*buf + *len, "\n;", 2);
	*len += 2;
	(*buf)[*len] = '\0';
	return 0;
}

/* --schema FILE: read and checked before anything is scanned. */
static int read_schema(cli_ctx *ctx, const char *path, char **text)
{
	size_t len = 0;
	lineage_sql_options so;
	lineage_sql_result *res = NULL;
	if (!strcmp(path, "-")) {
		cli_error(ctx, "--schema needs a file, not standard input");
		return CLI_EXIT_USAGE;
	}
	if (slurp(ctx, path, text, &len))
		return CLI_EXIT_ERROR;
	(*text)[len - 2] = '\0'; /* drop the statement separator slurp() adds */
	lineage_sql_options_init(&so, LINEAGE_SQL_OPTIONS_VERSION);
	so.schema_json = *text;
	if (lineage_sql_analyze(&res, "", 0, &so) != 0) {
		cli_error(ctx, "--schema %.400s: %s", path, lineage_error_last()->message);
		return CLI_EXIT_USAGE;
	}
	lineage_sql_result_free(res);
	return 0;
}

/* --type sql --dry-run --json: the analysis of the whole script, stored columns used for
 * SELECT * when the database exists. */
static int sql_analysis(cli_ctx *ctx, const cli_args *args, const lineage_scan_options *o)
{
	char *sql = NULL, *json = NULL;
	size_t len = 0;
	lineage_db *db = NULL;
	lineage_open_options oo;
	int rc = CLI_EXIT_OK;
	for (size_t i = 0; i < args->count; i++) {
		if (slurp(ctx, args->pos[i], &sql, &len)) {
			free(sql);
			return CLI_EXIT_ERROR;
		}
	}
	lineage_open_options_init(&oo, LINEAGE_OPEN_OPTIONS_VERSION);
	oo.flags = LINEAGE_OPEN_NOCREATE | LINEAGE_OPEN_READONLY;
	if (lineage_db_open(&db, ctx->db_path, &oo) != 0)
		db = NULL; /* no database: the SQL alone */
	if (lineage_scan_sql_json(&json, db, sql, len, args->count == 1 ? args->pos[0] : NULL, o))
		rc = cli_fail(ctx);
	else
		cli_print_json(json);
	lineage_db_close(db);
	free(sql);
	return rc;
}

void cli_print_scan_diagnostics(cli_ctx *ctx, const lineage_scan_report *r)
{
	size_t kept = lineage_scan_report_diagnostic_kept(r);
	if (kept)
		printf("\nDiagnostics (%zu):\n", lineage_scan_report_diagnostic_count(r, LINEAGE_DIAG_NOTE));
	for (size_t i = 0; i < kept && i < SHOWN_DIAGNOSTICS; i++) {
		const lineage_scan_diagnostic *d = lineage_scan_report_diagnostic(r, i);
		cli_style style = d->severity == LINEAGE_DIAG_ERROR ? CLI_RED
				  : d->severity == LINEAGE_DIAG_WARNING ? CLI_YELLOW : CLI_DIM;
		printf("  %s%s%s %s", cli_sty(ctx, style),
		       d->severity == LINEAGE_DIAG_ERROR ? "error" : d->severity == LINEAGE_DIAG_WARNING ? "warning" : "note",
		       cli_sty(ctx, CLI_RESET), d->file ? d->file : "");
		if (d->line)
			printf(":%d:%d", d->line, d->column);
		printf(": %s\n", d->message);
	}
	if (kept > SHOWN_DIAGNOSTICS)
		printf("  ... and more (--json lists them all)\n");
}

void cli_print_scan_outcome(const lineage_scan_summary *s)
{
	if (s->dry_run)
		printf("\nNothing was written (dry run).\n");
	else if (!s->batch_id)
		printf("\nNothing changed: no batch was recorded.\n");
	else
		printf("\nStored as batch %lld (undo with: lineage revert %lld). Review the inferred "
		       "edges with: lineage pending\n", (long long)s->batch_id, (long long)s->batch_id);
}

static void print_report(cli_ctx *ctx, const lineage_scan_report *r)
{
	const lineage_scan_summary *s = lineage_scan_report_summary(r);
	const char *verb = s->dry_run ? "would be " : "";
	printf("%s%s%s: %zu inputs, %zu statements\n", cli_sty(ctx, CLI_BOLD),
	       s->dry_run ? "Scan (dry run)" : "Scan", cli_sty(ctx, CLI_RESET), s->files, s->statements);
	printf("  assets  %zu found, %zu %screated, %zu %supdated\n", s->assets_found,
	       s->assets_created, verb, s->assets_updated, verb);
	printf("  edges   %zu found, %zu %screated, %zu %supdated, %zu unchanged, %zu %sretired\n",
	       s->edges_found, s->edges_created, verb, s->edges_updated, verb, s->edges_unchanged,
	       s->edges_retired, verb);
	cli_print_scan_diagnostics(ctx, r);
	cli_print_scan_outcome(s);
}

int cli_cmd_scan(cli_ctx *ctx, int argc, char **argv)
{
	const char *type = NULL, *dialect = NULL, *database = NULL, *schema = NULL;
	const char *schema_file = NULL;
	char *schema_text = NULL;
	int dry_run = 0, strict = 0;
	const cli_option options[] = {
		{"type", CLI_VALUE, "T", "auto (default: detected per file), sql, dbt, airflow, "
		 "openlineage or datahub", &type},
		{"dialect", CLI_VALUE, "NAME", "SQL dialect: ansi (default), postgres, snowflake, "
		 "bigquery, sparksql, databricks, hive, mysql, mariadb, tsql, redshift, oracle, "
		 "duckdb, trino, athena, teradata, sqlite, clickhouse; also postgresql, "
		 "greenplum, materialize, vertica (postgres), mssql, sqlserver (tsql), presto "
		 "(trino), spark, spark2 (sparksql), impala (hive), db2, exasol (ansi)", &dialect},
		{"default-database", CLI_VALUE, "DB", "database of unqualified names", &database},
		{"default-schema", CLI_VALUE, "S", "schema of unqualified names", &schema},
		{"schema", CLI_VALUE, "FILE", "known columns of SQL tables: JSON {\"table\": "
		 "[\"col\", ...]} or a dbt catalog.json (beside the columns the store knows)",
		 &schema_file},
		{"dry-run", CLI_FLAG, NULL, "report what would change, write nothing", &dry_run},
		{"strict", CLI_FLAG, NULL, "exit 2 when an input had errors (statements not "
		 "understood, invalid events)", &strict},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {
		"scan", "PATH... [options]",
		"Infer lineage from SQL scripts, dbt artifacts, Airflow DAGs and OpenLineage events",
		"Found edges are stored as inferred, for review (lineage pending / approve).\n"
		"Scanning the same input again replaces what it found before: edges no longer\n"
		"found are retired; manual, approved and rejected edges are never changed.\n"
		"A folder is walked; a dbt project folder is read as one project.\n"
		"With --type sql --dry-run --json, prints the analysis of the whole script\n"
		"(PATH - reads standard input): {\"sources\", \"targets\", \"intermediates\",\n"
		"\"column_lineage\": [[SOURCE_COLUMN, TARGET_COLUMN], ...], \"diagnostics\", ...}.\n"
		"Otherwise --json prints the scan report (docs/scanners.md).\n"
		"example: lineage scan etl/ --dialect snowflake --dry-run",
		options, 1, 1000};
	cli_args args;
	lineage_scan_options o;
	lineage_scan_report *report = NULL;
	cli_progress progress;
	lineage_db *db;
	char *json = NULL;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc)
		goto done;
	lineage_scan_options_init(&o, LINEAGE_SCAN_OPTIONS_VERSION);
	o.type = type;
	o.dialect = dialect;
	o.default_database = database;
	o.default_schema = schema;
	o.dry_run = dry_run;
	if (schema_file) {
		rc = read_schema(ctx, schema_file, &schema_text);
		if (rc)
			goto done;
		o.schema_json = schema_text;
	}
	if (type && !strcmp(type, "sql") && dry_run && ctx->json) {
		rc = sql_analysis(ctx, &args, &o);
		goto done;
	}
	for (size_t i = 0; i < args.count; i++) {
		if (!strcmp(args.pos[i], "-")) {
			rc = cli_usage(ctx, "standard input is read only with --type sql --dry-run "
					    "--json: save it to a file to store its lineage (the file "
					    "name becomes the edges' origin)");
			goto done;
		}
	}
	if (!(db = cli_db(ctx, 0))) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	cli_progress_init(&progress);
	o.progress = cli_progress_cb;
	o.progress_payload = &progress;
	rc = lineage_scan_run(&report, db, args.pos, args.count, &o);
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
		print_report(ctx, report);
	}
	rc = strict && lineage_scan_report_diagnostic_count(report, LINEAGE_DIAG_ERROR) ? 2 : CLI_EXIT_OK;
done:
	free(json);
	free(schema_text);
	lineage_scan_report_free(report);
	cli_args_free(&args);
	return CLI_RC(rc);
}
