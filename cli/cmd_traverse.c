/* Traversals: upstream and downstream. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

/* --format and --layout values. */
static int parse_layout(cli_ctx *ctx, const char *s, lineage_layout *out)
{
	static const struct {
		const char *name;
		lineage_layout layout;
	} layouts[] = {{"layered", LINEAGE_LAYOUT_LAYERED},
		       {"force", LINEAGE_LAYOUT_FORCE},
		       {"grid", LINEAGE_LAYOUT_GRID},
		       {"circle", LINEAGE_LAYOUT_CIRCLE}};
	for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
		if (!strcmp(s, layouts[i].name)) {
			*out = layouts[i].layout;
			return 0;
		}
	}
	return cli_usage(ctx, "--layout expects layered, force, grid or circle, got '%s'", s);
}

static int traverse(cli_ctx *ctx, int argc, char **argv, lineage_direction dir)
{
	cli_filter_args f = {0};
	const char *format = NULL, *layout_s = NULL;
	const cli_option options[] = {
		{"depth", CLI_VALUE, "N", "at most N hops (default: unlimited)", &f.depth},
		CLI_FILTER_OPTIONS(f),
		{"format", CLI_VALUE, "F", "tree (default), json, cytoscape or dot (Graphviz)",
		 &format},
		{"layout", CLI_VALUE, "L", "with --format cytoscape: add positions (layered, "
		 "force, grid, circle)", &layout_s},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec up = {
		"upstream", "KEY [options]",
		"Show where an asset's data comes from, as a tree by distance",
		"Each line shows the edge's lineage source: manual, approved, or inferred with its\n"
		"confidence. --json gives {\"root\", \"direction\", \"nodes\": [{\"key\", \"kind\",\n"
		"\"distance\", ...}], \"edges\": [{\"source\", \"target\", \"kind\", "
		"\"lineage_source\",\n\"confidence\", ...}]}, the root at distance 0.\n"
		"example: lineage upstream bi.revenue_dashboard --depth 3 --min-source manual",
		options, 1, 1};
	const cli_spec down = {
		"downstream", "KEY [options]",
		"Show where an asset's data goes, as a tree by distance",
		"Same options and output as 'lineage upstream'.\n"
		"example: lineage downstream app.public.orders --columns rollup --format dot | "
		"dot -Tsvg > orders.svg",
		options, 1, 1};
	cli_args args;
	lineage_query_options opts;
	lineage_result *result = NULL;
	lineage_layout layout = LINEAGE_LAYOUT_LAYERED;
	int rc = cli_parse(ctx, dir == LINEAGE_UPSTREAM ? &up : &down, argc, argv, &args);
	if (rc || (rc = cli_filter_to_options(ctx, &f, &opts)))
		goto done;
	if (format && strcmp(format, "tree") && strcmp(format, "json") &&
	    strcmp(format, "cytoscape") && strcmp(format, "dot")) {
		rc = cli_usage(ctx, "--format expects tree, json, cytoscape or dot, got '%s'",
			       format);
		goto done;
	}
	if (layout_s && (rc = parse_layout(ctx, layout_s, &layout)))
		goto done;
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_query_traverse(&result, db, args.pos[0], dir, &opts)) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (format && !strcmp(format, "cytoscape")) {
		rc = layout_s && lineage_result_layout(result, layout)
			     ? cli_fail(ctx)
			     : cli_print_result_json(ctx, result, LINEAGE_JSON_CYTOSCAPE);
	} else if (ctx->json || (format && !strcmp(format, "json"))) {
		rc = cli_print_result_json(ctx, result, LINEAGE_JSON_PLAIN);
	} else if (format && !strcmp(format, "dot")) {
		rc = cli_print_dot(ctx, result);
	} else {
		rc = cli_print_tree(ctx, result, dir);
	}
done:
	lineage_result_free(result);
	cli_args_free(&args);
	return CLI_RC(rc);
}

int cli_cmd_upstream(cli_ctx *ctx, int argc, char **argv)
{
	return traverse(ctx, argc, argv, LINEAGE_UPSTREAM);
}

int cli_cmd_downstream(cli_ctx *ctx, int argc, char **argv)
{
	return traverse(ctx, argc, argv, LINEAGE_DOWNSTREAM);
}
