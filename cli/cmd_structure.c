/* Whole-graph structure: roots, leaves, orphans, cycles, topological order. */
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"

static const lineage_result *sort_result;

/* By group (cycle number, layer), then as the engine listed them. */
static int by_group(const void *a, const void *b)
{
	const lineage_node *x = lineage_result_node(sort_result, *(const size_t *)a);
	const lineage_node *y = lineage_result_node(sort_result, *(const size_t *)b);
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int print_cycles(cli_ctx *ctx, const lineage_result *r)
{
	size_t n = lineage_result_node_count(r);
	size_t *order = malloc((n + 1) * sizeof *order);
	if (!order)
		return cli_error(ctx, "out of memory");
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	sort_result = r;
	qsort(order, n, sizeof *order, by_group);
	for (size_t i = 0; i < n; i++) {
		const lineage_node *nd = lineage_result_node(r, order[i]);
		int first = !i || lineage_result_node(r, order[i - 1])->group != nd->group;
		int last = i + 1 == n || lineage_result_node(r, order[i + 1])->group != nd->group;
		if (first)
			printf("%scycle %d:%s ", cli_sty(ctx, CLI_BOLD), nd->group + 1,
			       cli_sty(ctx, CLI_RESET));
		printf("%s%s", nd->key, last ? "\n" : ", ");
	}
	free(order);
	return CLI_EXIT_OK;
}

static int print_nodes(cli_ctx *ctx, const lineage_result *r, int with_layer)
{
	static const char *const plain[] = {"KEY", "KIND"};
	static const char *const layered[] = {"LAYER", "KEY", "KIND"};
	size_t n = lineage_result_node_count(r);
	cli_table *t = cli_table_new(with_layer ? 3 : 2, with_layer ? layered : plain);
	if (!t)
		return cli_error(ctx, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const lineage_node *nd = lineage_result_node(r, i);
		char layer[16];
		snprintf(layer, sizeof layer, "%d", nd->distance);
		const char *cells_l[] = {layer, nd->key, nd->kind};
		const char *cells_p[] = {nd->key, nd->kind};
		if (cli_table_add(t, with_layer ? cells_l : cells_p)) {
			cli_table_free(t);
			return cli_error(ctx, "out of memory");
		}
	}
	cli_table_print(ctx, t, stdout);
	cli_table_free(t);
	return CLI_EXIT_OK;
}

static int structure(cli_ctx *ctx, int argc, char **argv, lineage_structure what,
		     const char *name, const char *summary, const char *details,
		     const char *empty)
{
	cli_filter_args f = {0};
	const cli_option options[] = {CLI_FILTER_OPTIONS(f), {NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {name, "[options]", summary, details, options, 0, 0};
	cli_args args;
	lineage_query_options opts;
	lineage_result *result = NULL;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc || (rc = cli_filter_to_options(ctx, &f, &opts)))
		goto done;
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_query_structure(&result, db, what, NULL, &opts)) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		rc = cli_print_result_json(ctx, result, LINEAGE_JSON_PLAIN);
	} else if (!lineage_result_node_count(result)) {
		printf("%s\n", empty);
	} else if (what == LINEAGE_STRUCT_CYCLES) {
		rc = print_cycles(ctx, result);
	} else {
		rc = print_nodes(ctx, result, what == LINEAGE_STRUCT_TOPO);
		if (!rc && lineage_result_truncated(result))
			printf("%s(truncated by --limit)%s\n", cli_sty(ctx, CLI_DIM),
			       cli_sty(ctx, CLI_RESET));
	}
done:
	lineage_result_free(result);
	cli_args_free(&args);
	return CLI_RC(rc);
}

int cli_cmd_roots(cli_ctx *ctx, int argc, char **argv)
{
	return structure(ctx, argc, argv, LINEAGE_STRUCT_ROOTS, "roots",
			 "List the assets where data starts (outgoing edges, no incoming)",
			 "example: lineage roots --columns exclude", "no roots");
}

int cli_cmd_leaves(cli_ctx *ctx, int argc, char **argv)
{
	return structure(ctx, argc, argv, LINEAGE_STRUCT_LEAVES, "leaves",
			 "List the assets where data ends (incoming edges, no outgoing)",
			 "example: lineage leaves --kind dashboard", "no leaves");
}

int cli_cmd_orphans(cli_ctx *ctx, int argc, char **argv)
{
	return structure(ctx, argc, argv, LINEAGE_STRUCT_ORPHANS, "orphans",
			 "List the assets without any edge (containment aside)",
			 "example: lineage orphans --kind table", "no orphans");
}

int cli_cmd_cycles(cli_ctx *ctx, int argc, char **argv)
{
	return structure(ctx, argc, argv, LINEAGE_STRUCT_CYCLES, "cycles",
			 "List the cycles of the lineage graph (and self-loops)",
			 "example: lineage cycles --min-source manual", "no cycles");
}

int cli_cmd_topo(cli_ctx *ctx, int argc, char **argv)
{
	return structure(ctx, argc, argv, LINEAGE_STRUCT_TOPO, "topo",
			 "List every asset with edges in topological order, with its layer",
			 "Fails when the graph has a cycle (see 'lineage cycles').\n"
			 "example: lineage topo --columns exclude",
			 "no assets with edges");
}
