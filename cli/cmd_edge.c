/* Edge commands: edge add, get, list, rm. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static int print_edge_json(cli_ctx *ctx, const lineage_edge *e)
{
	char *json = NULL;
	if (lineage_edge_to_json(&json, e))
		return cli_fail(ctx);
	cli_print_json(json);
	return CLI_EXIT_OK;
}

static int edge_add(cli_ctx *ctx, int argc, char **argv)
{
	const char *kind = NULL, *source = NULL, *conf_s = NULL, *transformation = NULL,
		   *ttype = NULL, *job = NULL, *desc = NULL, *origin = NULL, *props = NULL,
		   *skind = NULL, *tkind = NULL;
	int create_missing = 0;
	const cli_option options[] = {
		{"kind", CLI_VALUE, "K", "edge kind (default flow)", &kind},
		{"source", CLI_VALUE, "S", "lineage source: inferred, manual (default) or approved",
		 &source},
		{"confidence", CLI_VALUE, "X", "0..1 (default 1, or 0.5 for inferred)", &conf_s},
		{"transformation", CLI_VALUE, "TEXT", "the logic, such as SQL", &transformation},
		{"transformation-type", CLI_VALUE, "T", "copy, aggregate, filter, join...", &ttype},
		{"job", CLI_VALUE, "KEY", "the job asset that moves the data", &job},
		{"description", CLI_VALUE, "D", "free text", &desc},
		{"origin", CLI_VALUE, "O", "who reports it (a scanner, an import)", &origin},
		{"properties", CLI_VALUE, "JSON", "a JSON object (replaces the stored one)", &props},
		{"create-missing", CLI_FLAG, NULL, "create missing source, target and job assets",
		 &create_missing},
		{"source-kind", CLI_VALUE, "K", "with --create-missing: kind of a created source",
		 &skind},
		{"target-kind", CLI_VALUE, "K", "with --create-missing: kind of a created target",
		 &tkind},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {
		"edge add", "SOURCE TARGET [options]",
		"Add an edge (data flows from SOURCE to TARGET), or merge into the same edge",
		"An edge is identified by source, target, kind and job. Prints the edge's id.\n"
		"Both assets must exist unless --create-missing is given.\n"
		"example: lineage edge add raw.orders staging.stg_orders --job dbt.stg_orders \\\n"
		"           --source inferred --confidence 0.8",
		options, 2, 2};
	cli_args args;
	lineage_edge_spec es;
	lineage_edge *edge = NULL;
	lineage_outcome outcome;
	int64_t id = 0;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc)
		goto done;
	lineage_edge_spec_init(&es, LINEAGE_EDGE_SPEC_VERSION);
	if (source && lineage_source_parse(&es.lineage_source, source)) {
		rc = cli_usage(ctx, "--source: %s", lineage_error_last()->message);
		goto done;
	}
	if (source && es.lineage_source == LINEAGE_SOURCE_ANY) {
		rc = cli_usage(ctx, "--source expects inferred, manual or approved, got '%s'",
			       source);
		goto done;
	}
	if (conf_s && (rc = cli_parse_double(ctx, "--confidence", conf_s, 0, 1, &es.confidence)))
		goto done;
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	es.source_key = args.pos[0];
	es.target_key = args.pos[1];
	es.kind = kind;
	es.job_key = job;
	es.transformation = transformation;
	es.transformation_type = ttype;
	es.description = desc;
	es.origin = origin;
	es.properties_json = props;
	es.create_missing = create_missing;
	es.source_kind = skind;
	es.target_kind = tkind;
	if (lineage_edge_upsert(&outcome, &id, db, &es)) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		if (lineage_edge_get(&edge, db, id)) {
			rc = cli_fail(ctx);
			goto done;
		}
		rc = print_edge_json(ctx, edge);
	} else {
		printf("%lld\n", (long long)id);
	}
done:
	lineage_edge_free(edge);
	cli_args_free(&args);
	return CLI_RC(rc);
}

static void field(const cli_ctx *ctx, const char *name, const char *value)
{
	if (value && *value)
		printf("  %s%-16s%s %s\n", cli_sty(ctx, CLI_DIM), name, cli_sty(ctx, CLI_RESET),
		       value);
}

static int edge_get(cli_ctx *ctx, int argc, char **argv)
{
	const cli_spec spec = {"edge get", "ID [options]", "Show an edge",
			       "example: lineage edge get 42", NULL, 1, 1};
	cli_args args;
	lineage_edge *e = NULL;
	int64_t id;
	char conf[32], created[32], updated[32], reviewed[32];
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc || (rc = cli_parse_edge_id(ctx, args.pos[0], &id)))
		goto done;
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_edge_get(&e, db, id)) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		rc = print_edge_json(ctx, e);
		goto done;
	}
	snprintf(conf, sizeof conf, "%.2f", e->confidence);
	cli_format_time(created, sizeof created, e->created_at_ms);
	cli_format_time(updated, sizeof updated, e->updated_at_ms);
	cli_format_time(reviewed, sizeof reviewed, e->reviewed_at_ms);
	printf("%sedge %lld%s  %s -> %s\n", cli_sty(ctx, CLI_BOLD), (long long)e->id,
	       cli_sty(ctx, CLI_RESET), e->source_key, e->target_key);
	field(ctx, "kind", e->kind);
	field(ctx, "job", e->job_key);
	printf("  %s%-16s%s %s%s%s\n", cli_sty(ctx, CLI_DIM), "lineage source",
	       cli_sty(ctx, CLI_RESET), cli_source_style(ctx, e->lineage_source),
	       lineage_source_name(e->lineage_source), cli_sty(ctx, CLI_RESET));
	field(ctx, "confidence", conf);
	field(ctx, "status", lineage_edge_status_name(e->status));
	field(ctx, "transform type", e->transformation_type);
	field(ctx, "transformation", e->transformation);
	field(ctx, "description", e->description);
	if (e->properties_json && strcmp(e->properties_json, "{}"))
		field(ctx, "properties", e->properties_json);
	field(ctx, "evidence", e->evidence_json);
	field(ctx, "origin", e->origin);
	field(ctx, "reviewed by", e->reviewed_by);
	if (e->reviewed_at_ms)
		field(ctx, "reviewed at", reviewed);
	field(ctx, "review comment", e->review_comment);
	field(ctx, "created", created);
	field(ctx, "updated", updated);
done:
	lineage_edge_free(e);
	cli_args_free(&args);
	return CLI_RC(rc);
}

static int edge_rm(cli_ctx *ctx, int argc, char **argv)
{
	const cli_spec spec = {"edge rm", "ID [options]",
			       "Delete an edge (recorded in the audit trail)",
			       "To keep an edge out of lineage but remember the decision, use "
			       "'lineage reject ID' instead.\nexample: lineage edge rm 42",
			       NULL, 1, 1};
	cli_args args;
	int64_t id;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc || (rc = cli_parse_edge_id(ctx, args.pos[0], &id)))
		goto done;
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_edge_remove(db, id)) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json)
		printf("{\"removed\":%lld}\n", (long long)id);
	else
		printf("removed edge %lld\n", (long long)id);
done:
	cli_args_free(&args);
	return CLI_RC(rc);
}

static int edge_list(cli_ctx *ctx, int argc, char **argv)
{
	int in = 0, out = 0, all = 0;
	const cli_option options[] = {
		{"in", CLI_FLAG, NULL, "only edges into KEY", &in},
		{"out", CLI_FLAG, NULL, "only edges out of KEY", &out},
		{"all", CLI_FLAG, NULL, "also rejected and retired edges", &all},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {"edge list", "KEY [options]", "List the edges touching an asset",
			       "example: lineage edge list warehouse.marts.fct_orders --in",
			       options, 1, 1};
	cli_args args;
	lineage_edge_list *list = NULL;
	unsigned int flags = 0;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc)
		goto done;
	flags |= in || !out ? LINEAGE_EDGES_IN : 0;
	flags |= out || !in ? LINEAGE_EDGES_OUT : 0;
	flags |= all ? LINEAGE_EDGES_ALL_STATUS : 0;
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_edge_list_for_asset(&list, db, args.pos[0], flags)) {
		rc = cli_fail(ctx);
		goto done;
	}
	rc = cli_print_edges(ctx, list, "no edges");
done:
	lineage_edge_list_free(list);
	cli_args_free(&args);
	return CLI_RC(rc);
}

static const cli_command edge_commands[] = {
	{"add", edge_add, "add an edge or merge into the same edge"},
	{"get", edge_get, "show an edge"},
	{"list", edge_list, "list the edges touching an asset"},
	{"rm", edge_rm, "delete an edge"},
	{NULL, NULL, NULL}};

int cli_cmd_edge(cli_ctx *ctx, int argc, char **argv)
{
	return cli_run_group(ctx, "edge", edge_commands, argc, argv);
}
