/* Kinds: kind add (an asset kind, or an edge kind with --edge), kind list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static int kind_add(cli_ctx *ctx, int argc, char **argv)
{
	int edge = 0, self_loops = 0, no_cycles = 0;
	const cli_option options[] = {
		{"edge", CLI_FLAG, NULL, "declare an edge kind (default: an asset kind)", &edge},
		{"self-loops", CLI_FLAG, NULL, "with --edge: edges of this kind may go from an asset "
		 "to itself", &self_loops},
		{"no-cycles", CLI_FLAG, NULL, "with --edge: edges of this kind may not close a cycle "
		 "(checked by import)", &no_cycles},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {
		"kind add", "NAME [--edge [--self-loops] [--no-cycles]]",
		"Declare an asset kind beyond the built-in ones, or how an edge kind behaves",
		"Assets may only be of a built-in kind (table, view, column, job, dashboard...: see\n"
		"'lineage kind list') or of one declared here, once per database, so that a mistyped\n"
		"--kind is refused. Declaring a kind again changes nothing (an edge kind takes the\n"
		"new rules).\n"
		"example: lineage kind add stream\n"
		"         lineage kind add --edge --self-loops merge",
		options, 1, 1};
	cli_args args;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc)
		goto done;
	if (!edge && (self_loops || no_cycles)) {
		rc = cli_usage(ctx, "--self-loops and --no-cycles are rules of edge kinds: add --edge");
		goto done;
	}
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (edge ? lineage_edge_kind_define(db, args.pos[0], self_loops, !no_cycles)
		 : lineage_asset_kind_define(db, args.pos[0])) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		printf("{\"kind\":");
		cli_json_string(stdout, args.pos[0]);
		if (edge)
			printf(",\"of\":\"edge\",\"allows_self_loop\":%s,\"allows_cycles\":%s}\n",
			       self_loops ? "true" : "false", no_cycles ? "false" : "true");
		else
			printf(",\"of\":\"asset\"}\n");
	} else {
		printf("declared %s kind %s\n", edge ? "edge" : "asset", args.pos[0]);
	}
done:
	cli_args_free(&args);
	return CLI_RC(rc);
}

/* The next "name" string of the library's kinds JSON, unescaped into `buf`; NULL at the end. */
static const char *next_name(const char **p, char *buf, size_t cap)
{
	const char *s = strstr(*p, "{\"name\":\"");
	size_t n = 0;
	if (!s)
		return NULL;
	for (s += 9; *s && *s != '"'; s++) {
		if (*s == '\\' && s[1])
			s++;
		if (n + 1 < cap)
			buf[n++] = *s;
	}
	buf[n] = '\0';
	*p = s;
	return buf;
}

static int kind_list(cli_ctx *ctx, int argc, char **argv)
{
	static const cli_spec spec = {
		"kind list", "[--json]", "The asset kinds that may be used: built in, then declared",
		"--json gives [{\"name\", \"builtin\"}], sorted by name.\nexample: lineage kind list",
		NULL, 0, 0};
	cli_args args;
	char *json = NULL, name[1024];
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc)
		goto done;
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_asset_kinds_json(&json, db)) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		cli_print_json(json);
		json = NULL;
		goto done;
	}
	for (int builtin = 1; builtin >= 0; builtin--) {
		const char *p = json;
		while (next_name(&p, name, sizeof name)) {
			int is_builtin = !strncmp(p, "\",\"builtin\":true", 16);
			if (is_builtin == builtin)
				printf("%-16s %s\n", name, builtin ? "built in" : "declared");
		}
	}
done:
	lineage_free(json);
	cli_args_free(&args);
	return CLI_RC(rc);
}

int cli_cmd_kind(cli_ctx *ctx, int argc, char **argv)
{
	static const cli_command subs[] = {
		{"add", kind_add, "declare an asset kind, or an edge kind's rules (--edge)"},
		{"list", kind_list, "the asset kinds that may be used"},
		{NULL, NULL, NULL}};
	return cli_run_group(ctx, "kind", subs, argc, argv);
}
