/* Full-text search over assets. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

int cli_cmd_search(cli_ctx *ctx, int argc, char **argv)
{
	const char *kind = NULL, *owner = NULL, *tag = NULL, *limit_s = NULL, *offset_s = NULL;
	const cli_option options[] = {
		{"kind", CLI_VALUE, "K", "only assets of kind K", &kind},
		{"owner", CLI_VALUE, "O", "only assets owned by O", &owner},
		{"tag", CLI_VALUE, "T", "only assets tagged T", &tag},
		{"limit", CLI_VALUE, "N", "at most N results (default 50, at most 10000)", &limit_s},
		{"offset", CLI_VALUE, "N", "skip the first N results", &offset_s},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {
		"search", "TEXT [options]",
		"Find assets whose key, name, description or tags contain every word of TEXT",
		"Words match by prefix; an exact key comes first, then by relevance.\n"
		"--json gives {\"total\", \"results\": [{\"key\", \"kind\", \"name\", ...}]}, "
		"best first.\nexample: lineage search revenue --kind table",
		options, 1, 1};
	cli_args args;
	lineage_search_options so;
	lineage_asset_list *list = NULL;
	cli_table *t = NULL;
	int64_t n;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc)
		goto done;
	lineage_search_options_init(&so, LINEAGE_SEARCH_OPTIONS_VERSION);
	so.kind = kind;
	so.owner = owner;
	so.tag = tag;
	if (limit_s) {
		if ((rc = cli_parse_int(ctx, "--limit", limit_s, 1, 10000, &n)))
			goto done;
		so.limit = (size_t)n;
	}
	if (offset_s) {
		if ((rc = cli_parse_int(ctx, "--offset", offset_s, 0, INT64_MAX, &n)))
			goto done;
		so.offset = (size_t)n;
	}
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_asset_search(&list, db, args.pos[0], &so)) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		char *json = NULL;
		if (lineage_asset_list_to_json(&json, list)) {
			rc = cli_fail(ctx);
			goto done;
		}
		cli_print_json(json);
		goto done;
	}
	size_t count = lineage_asset_list_count(list);
	if (!count) {
		printf("no assets match '%s'\n", args.pos[0]);
		goto done;
	}
	static const char *const headers[] = {"KEY", "KIND", "NAME", "OWNER"};
	if (!(t = cli_table_new(4, headers))) {
		rc = cli_error(ctx, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < count; i++) {
		const lineage_asset *a = lineage_asset_list_get(list, i);
		const char *cells[] = {a->key, a->kind, a->name, a->owner};
		if (cli_table_add(t, cells)) {
			rc = cli_error(ctx, "out of memory");
			goto done;
		}
	}
	cli_table_print(ctx, t, stdout);
	if (lineage_asset_list_total(list) > count + so.offset)
		printf("%s%zu of %zu matches shown (--limit, --offset)%s\n", cli_sty(ctx, CLI_DIM),
		       count, lineage_asset_list_total(list), cli_sty(ctx, CLI_RESET));
done:
	cli_table_free(t);
	lineage_asset_list_free(list);
	cli_args_free(&args);
	return CLI_RC(rc);
}
