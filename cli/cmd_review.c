/* Review of inferred edges: pending, approve, reject. */
#include <stdio.h>

#include "commands.h"

static int review(cli_ctx *ctx, int argc, char **argv, int approve)
{
	const char *by = NULL, *comment = NULL;
	const cli_option options[] = {
		{"by", CLI_VALUE, "WHO", "who reviews (default: $LINEAGE_ACTOR, else $USER)", &by},
		{"comment", CLI_VALUE, "C", "why", &comment},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec approve_spec = {
		"approve", "ID [--by WHO] [--comment C]",
		"Approve an edge: it becomes approved and active, with confidence 1",
		"example: lineage approve 42 --by alice --comment \"checked the dbt model\"",
		options, 1, 1};
	const cli_spec reject_spec = {
		"reject", "ID [--by WHO] [--comment C]",
		"Reject an edge: it leaves every query, and stays rejected when inferred again",
		"Adding it again by hand (edge add) or approving it makes it active again.\n"
		"example: lineage reject 43 --by alice --comment \"joins on a stale column\"",
		options, 1, 1};
	cli_args args;
	lineage_edge *edge = NULL;
	int64_t id;
	int rc = cli_parse(ctx, approve ? &approve_spec : &reject_spec, argc, argv, &args);
	if (rc || (rc = cli_parse_edge_id(ctx, args.pos[0], &id)))
		goto done;
	if (!by)
		by = cli_env_user();
	if (!by || !*by) {
		rc = cli_usage(ctx, "say who reviews with --by WHO (no $USER to default to)");
		goto done;
	}
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if ((approve ? lineage_edge_approve(db, id, by, comment)
		     : lineage_edge_reject(db, id, by, comment)) ||
	    lineage_edge_get(&edge, db, id)) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		char *json = NULL;
		if (lineage_edge_to_json(&json, edge)) {
			rc = cli_fail(ctx);
			goto done;
		}
		cli_print_json(json);
	} else {
		printf("%s%s%s edge %lld: %s -> %s (by %s)\n",
		       approve ? cli_sty(ctx, CLI_GREEN) : cli_sty(ctx, CLI_RED),
		       approve ? "approved" : "rejected", cli_sty(ctx, CLI_RESET), (long long)id,
		       edge->source_key, edge->target_key, by);
	}
done:
	lineage_edge_free(edge);
	cli_args_free(&args);
	return CLI_RC(rc);
}

int cli_cmd_approve(cli_ctx *ctx, int argc, char **argv)
{
	return review(ctx, argc, argv, 1);
}

int cli_cmd_reject(cli_ctx *ctx, int argc, char **argv)
{
	return review(ctx, argc, argv, 0);
}

int cli_cmd_pending(cli_ctx *ctx, int argc, char **argv)
{
	const char *limit_s = NULL;
	const cli_option options[] = {
		{"limit", CLI_VALUE, "N", "at most N edges (default 1000)", &limit_s},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {
		"pending", "[options]",
		"List inferred edges waiting for review, lowest confidence first",
		"Approve or reject each with 'lineage approve ID' or 'lineage reject ID'.\n"
		"example: lineage pending --limit 20",
		options, 0, 0};
	cli_args args;
	lineage_edge_list *list = NULL;
	int64_t limit = 0;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc || (limit_s && (rc = cli_parse_int(ctx, "--limit", limit_s, 1, INT64_MAX, &limit))))
		goto done;
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_edge_list_pending(&list, db, (size_t)limit)) {
		rc = cli_fail(ctx);
		goto done;
	}
	rc = cli_print_edges(ctx, list, "no edges waiting for review");
done:
	lineage_edge_list_free(list);
	cli_args_free(&args);
	return CLI_RC(rc);
}
