/* `lineage export`: the whole graph, or a query result, in the import formats or for viewers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

typedef struct export_progress {
	cli_progress bar;
} export_progress;

static int run_query(cli_ctx *ctx, lineage_db *db, const char *what, const char *key,
		     const char *depth, const char *change, lineage_result **out)
{
	lineage_query_options qo;
	lineage_change_type ct = LINEAGE_CHANGE_DROP;
	int64_t n;
	int rc;
	lineage_query_options_init(&qo, LINEAGE_QUERY_OPTIONS_VERSION);
	if (depth) {
		if ((rc = cli_parse_int(ctx, "--depth", depth, 1, 1000000, &n)))
			return rc;
		qo.max_depth = (int)n;
	}
	if (change && lineage_change_type_parse(&ct, change))
		return cli_usage(ctx, "%s", lineage_error_last()->message);
	if (!strcmp(what, "downstream"))
		rc = lineage_query_downstream(out, db, key, &qo);
	else if (!strcmp(what, "upstream"))
		rc = lineage_query_upstream(out, db, key, &qo);
	else
		rc = lineage_query_impact(out, db, key, ct, &qo);
	return rc ? cli_fail(ctx) : 0;
}

int cli_cmd_export(cli_ctx *ctx, int argc, char **argv)
{
	const char *format = NULL, *type = NULL, *output = NULL, *depth = NULL, *change = NULL;
	int layout = 0;
	const cli_option options[] = {
		{"format", CLI_VALUE, "F", "csv (default), json, jsonl, cytoscape, graphml, dot, "
		 "openlineage (JobEvents, one per line) or datahub (MetadataChangeProposals)",
		 &format},
		{"type", CLI_VALUE, "T", "csv and jsonl: assets or lineage (default lineage); "
		 "json: both by default", &type},
		{"layout", CLI_FLAG, NULL, "cytoscape: add positions (a layered layout)", &layout},
		{"output", CLI_VALUE, "FILE", "write to FILE (also -o FILE); default: standard "
		 "output", &output},
		{"depth", CLI_VALUE, "N", "with a query: at most N hops", &depth},
		{"change", CLI_VALUE, "C", "with impact: drop (default), rename, type_change, "
		 "modify or add", &change},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {
		"export", "[downstream|upstream|impact KEY] [options]",
		"Export the whole graph, or what a query finds, to a file",
		"csv, json and jsonl are the import formats: importing the output into an empty\n"
		"database gives the same graph (a csv or jsonl file holds one record type: export\n"
		"--type assets and --type lineage). cytoscape is Cytoscape.js JSON, graphml suits\n"
		"graph tools (networkx, yEd, Gephi), dot is for Graphviz. datahub is DataHub's file\n"
		"format (read back with `lineage scan --type datahub`).\n"
		"examples: lineage export --type assets -o assets.csv\n"
		"          lineage export downstream raw.orders --format dot | dot -Tsvg >g.svg",
		options, 0, 2};
	cli_args args;
	lineage_export_options o;
	lineage_result *result = NULL;
	export_progress progress;
	lineage_db *db;
	char **av = calloc((size_t)argc + 1, sizeof *av);
	int rc, lrc;
	memset(&progress, 0, sizeof progress);
	if (!av)
		return cli_error(ctx, "out of memory");
	/* -o FILE is --output FILE. */
	for (int i = 0; i < argc; i++)
		av[i] = !strcmp(argv[i], "-o") ? (char *)"--output" : argv[i];
	rc = cli_parse(ctx, &spec, argc, av, &args);
	if (rc)
		goto done;
	lineage_export_options_init(&o, LINEAGE_EXPORT_OPTIONS_VERSION);
	if ((format && lineage_format_parse(&o.format, format)) ||
	    (type && lineage_record_type_parse(&o.type, type))) {
		rc = cli_usage(ctx, "%s", lineage_error_last()->message);
		goto done;
	}
	if (o.format == LINEAGE_FORMAT_AUTO)
		o.format = LINEAGE_FORMAT_CSV;
	if (layout) {
		if (o.format != LINEAGE_FORMAT_CYTOSCAPE) {
			rc = cli_usage(ctx, "--layout needs --format cytoscape");
			goto done;
		}
		o.layout = LINEAGE_LAYOUT_LAYERED;
	}
	if (args.count == 1 || (args.count == 2 && strcmp(args.pos[0], "downstream") &&
				strcmp(args.pos[0], "upstream") && strcmp(args.pos[0], "impact"))) {
		rc = cli_usage(ctx, "give a query and an asset key (downstream KEY, upstream KEY or "
			       "impact KEY), or nothing for the whole graph");
		goto done;
	}
	if ((depth || change) && args.count == 0) {
		rc = cli_usage(ctx, "--depth and --change go with a query (downstream, upstream or "
			       "impact KEY)");
		goto done;
	}
	if (!(db = cli_db(ctx, 0))) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (args.count == 2 &&
	    (rc = run_query(ctx, db, args.pos[0], args.pos[1], depth, change, &result)))
		goto done;
	cli_progress_init(&progress.bar);
	o.progress = cli_progress_cb;
	o.payload = &progress.bar;
	lrc = output ? lineage_export_path(db, result, output, &o)
		     : lineage_export_file(db, result, stdout, &o);
	cli_progress_finish(&progress.bar);
	rc = lrc ? cli_fail(ctx) : CLI_EXIT_OK;
done:
	lineage_result_free(result);
	cli_args_free(&args);
	free(av);
	return CLI_RC(rc);
}
