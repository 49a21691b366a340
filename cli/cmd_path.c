/* Paths of data flow between two assets. */
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"

static const lineage_result *sort_result;

/* Order nodes by path number, then position in the path. */
static int by_group_position(const void *a, const void *b)
{
	const lineage_node *x = lineage_result_node(sort_result, *(const size_t *)a);
	const lineage_node *y = lineage_result_node(sort_result, *(const size_t *)b);
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->distance != y->distance)
		return x->distance < y->distance ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int print_paths(cli_ctx *ctx, const lineage_result *r, const char *from, const char *to)
{
	size_t n = lineage_result_node_count(r), paths = lineage_result_group_count(r);
	size_t *order;
	if (!n || !paths) {
		printf("no path from %s to %s\n", from, to);
		return CLI_EXIT_OK;
	}
	if (!(order = malloc(n * sizeof *order)))
		return cli_error(ctx, "out of memory");
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	sort_result = r;
	qsort(order, n, sizeof *order, by_group_position);
	for (size_t i = 0; i < n; i++) {
		const lineage_node *nd = lineage_result_node(r, order[i]);
		int first = i == 0 || lineage_result_node(r, order[i - 1])->group != nd->group;
		int last = i + 1 == n || lineage_result_node(r, order[i + 1])->group != nd->group;
		if (first) {
			size_t len = 0;
			while (i + len < n &&
			       lineage_result_node(r, order[i + len])->group == nd->group)
				len++;
			printf("%s%d%s  %s(%zu hop%s)%s ", cli_sty(ctx, CLI_BOLD), nd->group + 1,
			       cli_sty(ctx, CLI_RESET), cli_sty(ctx, CLI_DIM), len - 1,
			       len == 2 ? "" : "s", cli_sty(ctx, CLI_RESET));
		}
		printf("%s%s", nd->key, last ? "\n" : " -> ");
	}
	free(order);
	return CLI_EXIT_OK;
}

int cli_cmd_path(cli_ctx *ctx, int argc, char **argv)
{
	cli_filter_args f = {0};
	const char *max_len_s = NULL, *max_paths_s = NULL;
	int all = 0;
	const cli_option options[] = {
		{"all", CLI_FLAG, NULL, "every simple path, not only the shortest", &all},
		{"max-length", CLI_VALUE, "N", "with --all: paths of at most N edges (default 10)",
		 &max_len_s},
		{"max-paths", CLI_VALUE, "N", "with --all: at most N paths (default 100)",
		 &max_paths_s},
		{"min-source", CLI_VALUE, "S", "only edges at least this trusted", &f.min_source},
		{"min-confidence", CLI_VALUE, "X", "only edges with confidence >= X",
		 &f.min_confidence},
		{"edge-kind", CLI_LIST, "K", "only edges of kind K (repeatable)", &f.edge_kinds},
		{"columns", CLI_VALUE, "MODE", "include (default), rollup or exclude", &f.columns},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {
		"path", "FROM TO [options]", "Show how data flows from one asset to another",
		"Shortest first. --json gives {\"from\", \"to\", \"paths\": [[KEY, ...], ...]}.\n"
		"example: lineage path app.public.orders bi.revenue_dashboard --all",
		options, 2, 2};
	cli_args args;
	lineage_path_options po;
	lineage_result *result = NULL;
	int64_t n;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc)
		goto done;
	lineage_path_options_init(&po, LINEAGE_PATH_OPTIONS_VERSION);
	if ((rc = cli_filter_to_options(ctx, &f, &po.filter)))
		goto done;
	po.all = all;
	if (max_len_s) {
		if ((rc = cli_parse_int(ctx, "--max-length", max_len_s, 1, 1000, &n)))
			goto done;
		po.max_length = (int)n;
	}
	if (max_paths_s) {
		if ((rc = cli_parse_int(ctx, "--max-paths", max_paths_s, 1, 100000, &n)))
			goto done;
		po.max_paths = (size_t)n;
	}
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_query_paths(&result, db, args.pos[0], args.pos[1], &po)) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		rc = cli_print_result_json(ctx, result, LINEAGE_JSON_PLAIN);
	} else {
		rc = print_paths(ctx, result, args.pos[0], args.pos[1]);
	}
done:
	lineage_result_free(result);
	cli_args_free(&args);
	return CLI_RC(rc);
}
