/* Saved views of the web page: view list, view show NAME, view save NAME JSON, view rename,
 * view delete NAME (include/lineage/view.h). */
#include <stdio.h>
#include <string.h>

#include "commands.h"

/* Print a view's or the list's JSON (--json) or its human form; frees it. */
static int print_view_json(cli_ctx *ctx, char *json)
{
	if (ctx->json)
		cli_print_json(json);
	else {
		cli_print_json_human(ctx, stdout, json, 0);
		lineage_free(json);
	}
	return 0;
}

/* The list's views as a table: name, root, who saved it last and when. */
static int print_table(cli_ctx *ctx, const char *json)
{
	static const char *const names[] = {"name", "root", "updated_by", "updated_at"};
	static const char *const headers[] = {"NAME", "ROOT", "SAVED BY", "SAVED"};
	cli_table *table = cli_table_new(4, headers);
	int rc = table ? 0 : cli_error(ctx, "out of memory");
	for (const char *p = strstr(json, "{\"name\":"); p && !rc;) {
		const char *next = strstr(p + 1, "{\"name\":"), *end = next ? next : p + strlen(p);
		char bufs[4][4200];
		const char *cells[4];
		for (int i = 0; i < 4; i++)
			cells[i] = cli_json_field(p, end, names[i], bufs[i], sizeof bufs[i]);
		if (cells[3] && strlen(bufs[3]) > 16)
			bufs[3][16] = '\0'; /* "2026-12-05T02:16" */
		if (cli_table_add(table, cells))
			rc = cli_error(ctx, "out of memory");
		p = next;
	}
	if (!rc)
		cli_table_print(ctx, table, stdout);
	cli_table_free(table);
	return rc;
}

static int view_list(cli_ctx *ctx, int argc, char **argv)
{
	static const cli_spec spec = {
		"view list", "[--json]", "The saved views, by name",
		"Views are saved from the web page (or 'lineage view save'); --json gives\n"
		"{\"views\": [{\"name\", \"root\", \"created_by\", \"created_at\", \"updated_by\",\n"
		"\"updated_at\"}], \"total\": N}.\nexample: lineage view list",
		NULL, 0, 0};
	cli_args args;
	char *json = NULL;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	lineage_db *db;
	if (rc)
		goto done;
	if (!(db = cli_db(ctx, 0))) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_view_list(&json, db, 0, 0)) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		cli_print_json(json);
		json = NULL;
	} else if (strstr(json, "\"views\":[]")) {
		printf("no saved views (save one from the web page, or with 'lineage view save NAME JSON')\n");
	} else {
		rc = print_table(ctx, json);
	}
done:
	lineage_free(json);
	cli_args_free(&args);
	return CLI_RC(rc);
}

static int view_show(cli_ctx *ctx, int argc, char **argv)
{
	static const cli_spec spec = {
		"view show", "NAME [--json]", "A saved view: its root, filters, layout and node positions",
		"example: lineage view show \"orders upstream\"", NULL, 1, 1};
	cli_args args;
	char *json = NULL;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	lineage_db *db;
	if (rc)
		goto done;
	if (!(db = cli_db(ctx, 0))) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_view_get(&json, db, args.pos[0]))
		rc = cli_fail(ctx);
	else
		rc = print_view_json(ctx, json);
done:
	cli_args_free(&args);
	return CLI_RC(rc);
}

static int view_save(cli_ctx *ctx, int argc, char **argv)
{
	int create = 0;
	const cli_option options[] = {
		{"new", CLI_FLAG, NULL, "refuse to overwrite a view of that name", &create},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {
		"view save", "NAME JSON [--new]", "Save a view (or overwrite the one of that name)",
		"JSON is an object with any of: root (an asset key), direction (upstream, downstream\n"
		"or both), depth (0-1000), min_confidence (0-1), kinds, layout, positions\n"
		"({\"key\": {\"x\": 1, \"y\": 2}}).\n"
		"example: lineage view save orders '{\"root\": \"wh.orders\", \"depth\": 2}'",
		options, 2, 2};
	cli_args args;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	lineage_db *db;
	if (rc)
		goto done;
	if (!(db = cli_db(ctx, 0))) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_view_save(db, args.pos[0], args.pos[1],
			      create ? LINEAGE_VIEW_CREATE : LINEAGE_VIEW_UPSERT)) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		printf("{\"saved\":");
		cli_json_string(stdout, args.pos[0]);
		printf("}\n");
	} else {
		printf("saved view \"%s\"\n", args.pos[0]);
	}
done:
	cli_args_free(&args);
	return CLI_RC(rc);
}

/* rename NAME NEW_NAME and delete NAME: a change by name, and its confirmation. */
static int view_change(cli_ctx *ctx, int argc, char **argv, int rename)
{
	static const cli_spec rename_spec = {
		"view rename", "NAME NEW_NAME", "Rename a saved view",
		"example: lineage view rename orders \"orders upstream\"", NULL, 2, 2};
	static const cli_spec delete_spec = {
		"view delete", "NAME", "Delete a saved view",
		"example: lineage view delete orders", NULL, 1, 1};
	cli_args args;
	int rc = cli_parse(ctx, rename ? &rename_spec : &delete_spec, argc, argv, &args);
	lineage_db *db;
	if (rc)
		goto done;
	if (!(db = cli_db(ctx, 0))) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (rename ? lineage_view_rename(db, args.pos[0], args.pos[1])
		   : lineage_view_delete(db, args.pos[0])) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		printf(rename ? "{\"renamed\":" : "{\"deleted\":");
		cli_json_string(stdout, args.pos[rename ? 1 : 0]);
		printf("}\n");
	} else if (rename) {
		printf("renamed view \"%s\" to \"%s\"\n", args.pos[0], args.pos[1]);
	} else {
		printf("deleted view \"%s\"\n", args.pos[0]);
	}
done:
	cli_args_free(&args);
	return CLI_RC(rc);
}

static int view_rename(cli_ctx *ctx, int argc, char **argv)
{
	return view_change(ctx, argc, argv, 1);
}

static int view_delete(cli_ctx *ctx, int argc, char **argv)
{
	return view_change(ctx, argc, argv, 0);
}

int cli_cmd_view(cli_ctx *ctx, int argc, char **argv)
{
	static const cli_command subs[] = {
		{"list", view_list, "the saved views, by name"},
		{"show", view_show, "a view's root, filters, layout and node positions"},
		{"save", view_save, "save a view from JSON (or overwrite it)"},
		{"rename", view_rename, "rename a saved view"},
		{"delete", view_delete, "delete a saved view"},
		{NULL, NULL, NULL}};
	return cli_run_group(ctx, "view", subs, argc, argv);
}
