/* The audit trail: history, changes, revert. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static int print_changes(cli_ctx *ctx, const lineage_change_list *list, const char *empty)
{
	static const char *const headers[] = {"SEQ", "TIME (UTC)", "ACTOR", "ACTION", "WHAT",
					      "BATCH", "COMMENT"};
	size_t n = lineage_change_list_count(list);
	cli_table *t;
	if (ctx->json) {
		char *json = NULL;
		if (lineage_change_list_to_json(&json, list))
			return cli_fail(ctx);
		cli_print_json(json);
		return CLI_EXIT_OK;
	}
	if (!n) {
		printf("%s\n", empty);
		return CLI_EXIT_OK;
	}
	if (!(t = cli_table_new(7, headers)))
		return cli_error(ctx, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const lineage_change *c = lineage_change_list_get(list, i);
		char seq[24], at[32], what[512], batch[24];
		snprintf(seq, sizeof seq, "%lld", (long long)c->seq);
		snprintf(batch, sizeof batch, "%lld", (long long)c->batch_id);
		cli_format_time(at, sizeof at, c->at_ms);
		if (!strcmp(c->entity, "edge"))
			snprintf(what, sizeof what, "edge %lld %s -> %s", (long long)c->entity_id,
				 c->asset_key ? c->asset_key : "?",
				 c->target_key ? c->target_key : "?");
		else if (!strcmp(c->entity, "token")) /* an API token: its id (never the secret) */
			snprintf(what, sizeof what, "token %lld", (long long)c->entity_id);
		else
			snprintf(what, sizeof what, "%s %s", c->entity,
				 c->asset_key ? c->asset_key : "?");
		cli_style act = !strcmp(c->action, "approve")  ? CLI_GREEN
				: !strcmp(c->action, "reject") ||
						!strcmp(c->action, "delete")
					? CLI_RED
					: CLI_RESET;
		const char *cells[] = {seq, at, c->actor, c->action, what, batch, c->comment};
		const cli_style styles[] = {CLI_DIM,   CLI_DIM,   CLI_RESET, act,
					    CLI_RESET, CLI_DIM,   CLI_RESET};
		if (cli_table_add_styled(t, cells, styles)) {
			cli_table_free(t);
			return cli_error(ctx, "out of memory");
		}
	}
	cli_table_print(ctx, t, stdout);
	cli_table_free(t);
	return CLI_EXIT_OK;
}

int cli_cmd_history(cli_ctx *ctx, int argc, char **argv)
{
	const char *edge_s = NULL, *limit_s = NULL;
	const cli_option options[] = {
		{"edge", CLI_VALUE, "ID", "the history of one edge instead", &edge_s},
		{"limit", CLI_VALUE, "N", "at most N changes (default 1000)", &limit_s},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {
		"history", "KEY | --edge ID [options]",
		"Show the audit trail of an asset (and of its edges) or of one edge, newest first",
		"The asset need not exist any more.\n"
		"example: lineage history warehouse.marts.fct_orders --limit 20",
		options, 0, 1};
	cli_args args;
	lineage_change_list *list = NULL;
	int64_t limit = 0, id = 0;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc || (limit_s && (rc = cli_parse_int(ctx, "--limit", limit_s, 1, INT64_MAX, &limit))))
		goto done;
	if (edge_s && (rc = cli_parse_edge_id(ctx, edge_s, &id)))
		goto done;
	if (!edge_s == !args.count) {
		rc = cli_usage(ctx, args.count ? "give either KEY or --edge ID, not both"
					       : "missing KEY (or --edge ID)");
		goto done;
	}
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (edge_s ? lineage_history_edge(&list, db, id, (size_t)limit)
		   : lineage_history_asset(&list, db, args.pos[0], (size_t)limit)) {
		rc = cli_fail(ctx);
		goto done;
	}
	rc = print_changes(ctx, list, "no changes recorded");
done:
	lineage_change_list_free(list);
	cli_args_free(&args);
	return CLI_RC(rc);
}

int cli_cmd_changes(cli_ctx *ctx, int argc, char **argv)
{
	const char *since_s = NULL, *limit_s = NULL;
	const cli_option options[] = {
		{"since", CLI_VALUE, "N", "changes after sequence number N (default 0: all)",
		 &since_s},
		{"limit", CLI_VALUE, "N", "at most N changes (default 1000)", &limit_s},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {
		"changes", "[--since N] [options]",
		"Show the change feed: every change after sequence number N, oldest first",
		"Poll with the last SEQ seen to follow changes from every writer.\n"
		"example: lineage changes --since 120 --json",
		options, 0, 0};
	cli_args args;
	lineage_change_list *list = NULL;
	int64_t since = 0, limit = 0;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc || (since_s && (rc = cli_parse_int(ctx, "--since", since_s, 0, INT64_MAX, &since))) ||
	    (limit_s && (rc = cli_parse_int(ctx, "--limit", limit_s, 1, INT64_MAX, &limit))))
		goto done;
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_changes_since(&list, db, since, (size_t)limit)) {
		rc = cli_fail(ctx);
		goto done;
	}
	rc = print_changes(ctx, list, "no changes");
done:
	lineage_change_list_free(list);
	cli_args_free(&args);
	return CLI_RC(rc);
}

int cli_cmd_revert(cli_ctx *ctx, int argc, char **argv)
{
	const cli_spec spec = {
		"revert", "BATCH [options]",
		"Undo a batch of changes (an import, a scan, one command) as a new batch",
		"Find batch numbers in the BATCH column of 'lineage history' or 'lineage changes'.\n"
		"Refused when a later change touched the same objects.\n"
		"example: lineage revert 17",
		NULL, 1, 1};
	cli_args args;
	int64_t batch;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc || (rc = cli_parse_int(ctx, "BATCH", args.pos[0], 1, INT64_MAX, &batch)))
		goto done;
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_batch_revert(db, batch)) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json)
		printf("{\"reverted\":%lld,\"batch_id\":%lld}\n", (long long)batch,
		       (long long)lineage_db_batch_id(db));
	else
		printf("reverted batch %lld (as batch %lld)\n", (long long)batch,
		       (long long)lineage_db_batch_id(db));
done:
	cli_args_free(&args);
	return CLI_RC(rc);
}
