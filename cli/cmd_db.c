/* Database commands: init, stats, backup. */
#include <stdio.h>

#include "commands.h"

int cli_cmd_init(cli_ctx *ctx, int argc, char **argv)
{
	static const cli_spec spec = {
		"init", "[options]", "Create the database, or upgrade an older one in place",
		"Prints the database's path and schema version. Safe to run again.\n"
		"example: lineage --db warehouse.db init",
		NULL, 0, 0};
	cli_args args;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	cli_args_free(&args);
	if (rc)
		return CLI_RC(rc);
	lineage_db *db = cli_db(ctx, 1);
	if (!db)
		return CLI_EXIT_ERROR;
	if (ctx->json) {
		printf("{\"path\":");
		cli_json_string(stdout, cli_db_shown(lineage_db_path(db)));
		printf(",\"schema_version\":%d,\"library_version\":", lineage_db_schema_version(db));
		cli_json_string(stdout, lineage_version());
		printf("}\n");
	} else {
		printf("%s (schema version %d)\n", cli_db_shown(lineage_db_path(db)),
		       lineage_db_schema_version(db));
	}
	return CLI_EXIT_OK;
}

int cli_cmd_stats(cli_ctx *ctx, int argc, char **argv)
{
	static const cli_spec spec = {
		"stats", "[options]", "Counts of assets, edges (by kind, source and status) and changes",
		"example: lineage stats --json", NULL, 0, 0};
	cli_args args;
	char *json = NULL;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	cli_args_free(&args);
	if (rc)
		return CLI_RC(rc);
	lineage_db *db = cli_db(ctx, 0);
	if (!db)
		return CLI_EXIT_ERROR;
	if (lineage_db_stats_json(&json, db))
		return cli_fail(ctx);
	if (ctx->json) {
		cli_print_json(json);
	} else {
		printf("%s%s%s\n", cli_sty(ctx, CLI_BOLD), cli_db_shown(lineage_db_path(db)),
		       cli_sty(ctx, CLI_RESET));
		cli_print_json_human(ctx, stdout, json, 2);
		lineage_free(json);
	}
	return CLI_EXIT_OK;
}

int cli_cmd_backup(cli_ctx *ctx, int argc, char **argv)
{
	static const cli_spec spec = {
		"backup", "DEST [options]",
		"Copy the database to DEST while it stays in use (a consistent snapshot)",
		"example: lineage backup /backups/lineage-$(date +%F).db", NULL, 1, 1};
	cli_args args;
	cli_progress progress;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc)
		goto done;
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	cli_progress_init(&progress);
	rc = lineage_db_backup(db, args.pos[0], cli_progress_cb, &progress);
	cli_progress_finish(&progress);
	if (rc) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		printf("{\"source\":");
		cli_json_string(stdout, cli_db_shown(lineage_db_path(db)));
		printf(",\"dest\":");
		cli_json_string(stdout, args.pos[0]);
		printf("}\n");
	} else {
		printf("backed up %s to %s\n", cli_db_shown(lineage_db_path(db)), args.pos[0]);
	}
done:
	cli_args_free(&args);
	return CLI_RC(rc);
}
