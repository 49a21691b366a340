/* Impact analysis: what a change to an asset affects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static const lineage_result *sort_result;

/* Most severe first, then nearest, then by key. */
static int by_severity(const void *a, const void *b)
{
	const lineage_node *x = lineage_result_node(sort_result, *(const size_t *)a);
	const lineage_node *y = lineage_result_node(sort_result, *(const size_t *)b);
	if (x->group != y->group)
		return x->group > y->group ? -1 : 1;
	if (x->distance != y->distance)
		return x->distance < y->distance ? -1 : 1;
	return strcmp(x->key, y->key);
}

static const char *severity_name(int s)
{
	return s == LINEAGE_SEVERITY_BREAKING ? "breaking"
	       : s == LINEAGE_SEVERITY_AFFECTED ? "affected"
	       : s == LINEAGE_SEVERITY_INFO     ? "info"
						: "-";
}

static const char *change_verb(lineage_change_type c)
{
	switch (c) {
	case LINEAGE_CHANGE_DROP: return "dropping";
	case LINEAGE_CHANGE_RENAME: return "renaming";
	case LINEAGE_CHANGE_TYPE_CHANGE: return "changing the type of";
	case LINEAGE_CHANGE_MODIFY: return "modifying";
	case LINEAGE_CHANGE_ADD: return "adding to";
	}
	return "changing";
}

/* Owners of the affected assets with their counts, in order of first appearance. */
static void print_owners(const cli_ctx *ctx, const lineage_result *r, const size_t *idx,
			 size_t n)
{
	cli_keymap *map = cli_keymap_new(n);
	size_t *counts = calloc(n + 1, sizeof *counts), *first = calloc(n + 1, sizeof *first);
	size_t owners = 0;
	if (!map || !counts || !first)
		goto done;
	for (size_t i = 0; i < n; i++) {
		const char *owner = lineage_result_node(r, idx[i])->owner;
		if (!owner)
			continue;
		size_t o = cli_keymap_get(map, owner);
		if (o == (size_t)-1) {
			if (cli_keymap_put(map, owner, owners))
				goto done;
			first[owners] = idx[i];
			o = owners++;
		}
		counts[o]++;
	}
	if (owners) {
		printf("%sowners to notify:%s ", cli_sty(ctx, CLI_BOLD), cli_sty(ctx, CLI_RESET));
		for (size_t o = 0; o < owners; o++)
			printf("%s%s (%zu)", o ? ", " : "", lineage_result_node(r, first[o])->owner,
			       counts[o]);
		printf("\n");
	}
done:
	cli_keymap_free(map);
	free(counts);
	free(first);
}

static int print_impact(cli_ctx *ctx, const lineage_result *r, lineage_change_type change)
{
	static const char *const headers[] = {"SEVERITY", "DIST", "KEY", "KIND", "OWNER",
					      "CONFIDENCE"};
	const char *root = lineage_result_root(r);
	size_t n = lineage_result_node_count(r), count = 0, by_sev[4] = {0};
	size_t *idx = malloc((n + 1) * sizeof *idx);
	cli_table *t = cli_table_new(6, headers);
	int rc = CLI_EXIT_OK;
	if (!idx || !t) {
		rc = cli_error(ctx, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		const lineage_node *nd = lineage_result_node(r, i);
		if (root && !strcmp(nd->key, root))
			continue;
		idx[count++] = i;
		if (nd->group >= 1 && nd->group <= 3)
			by_sev[nd->group]++;
	}
	printf("%sImpact of %s %s:%s %zu asset%s", cli_sty(ctx, CLI_BOLD), change_verb(change),
	       root ? root : "?", cli_sty(ctx, CLI_RESET), count, count == 1 ? "" : "s");
	if (count)
		printf(" (%zu breaking, %zu affected, %zu info)", by_sev[3], by_sev[2], by_sev[1]);
	printf("\n");
	if (!count)
		goto done;
	sort_result = r;
	qsort(idx, count, sizeof *idx, by_severity);
	for (size_t i = 0; i < count; i++) {
		const lineage_node *nd = lineage_result_node(r, idx[i]);
		char dist[16], conf[16];
		snprintf(dist, sizeof dist, "%d", nd->distance);
		snprintf(conf, sizeof conf, "%.2f", nd->confidence);
		const char *cells[] = {severity_name(nd->group), dist, nd->key, nd->kind, nd->owner,
				       conf};
		cli_style sev = nd->group == LINEAGE_SEVERITY_BREAKING   ? CLI_RED
				: nd->group == LINEAGE_SEVERITY_AFFECTED ? CLI_YELLOW
									 : CLI_DIM;
		const cli_style styles[] = {sev, CLI_RESET, CLI_RESET, CLI_RESET, CLI_RESET,
					    nd->confidence < 1.0 ? CLI_YELLOW : CLI_RESET};
		if (cli_table_add_styled(t, cells, styles)) {
			rc = cli_error(ctx, "out of memory");
			goto done;
		}
	}
	printf("\n");
	cli_table_print(ctx, t, stdout);
	printf("\n");
	print_owners(ctx, r, idx, count);
done:
	cli_table_free(t);
	free(idx);
	return rc;
}

int cli_cmd_impact(cli_ctx *ctx, int argc, char **argv)
{
	cli_filter_args f = {0};
	const char *change_s = NULL;
	const cli_option options[] = {
		{"change", CLI_VALUE, "C", "drop (default), rename, type_change, modify or add",
		 &change_s},
		{"depth", CLI_VALUE, "N", "at most N hops (default: unlimited)", &f.depth},
		CLI_FILTER_OPTIONS(f),
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {
		"impact", "KEY [options]",
		"Show what a change to an asset (or to what it contains) affects downstream",
		"Each affected asset has a severity (breaking, affected, info), its distance, its\n"
		"owner and the confidence of its best path. --json gives {\"root\", \"change\",\n"
		"\"affected\": [{\"key\", \"kind\", \"distance\", \"confidence\", ...}], "
		"\"summary\": {...}};\nthe root is not among the affected.\n"
		"example: lineage impact app.public.orders.amount --change type_change",
		options, 1, 1};
	cli_args args;
	lineage_query_options opts;
	lineage_change_type change = LINEAGE_CHANGE_DROP;
	lineage_result *result = NULL;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc || (rc = cli_filter_to_options(ctx, &f, &opts)))
		goto done;
	if (change_s && lineage_change_type_parse(&change, change_s)) {
		rc = cli_usage(ctx, "--change: %s", lineage_error_last()->message);
		goto done;
	}
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_query_impact(&result, db, args.pos[0], change, &opts)) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		rc = cli_print_result_json(ctx, result, LINEAGE_JSON_PLAIN);
	} else {
		rc = print_impact(ctx, result, change);
	}
done:
	lineage_result_free(result);
	cli_args_free(&args);
	return CLI_RC(rc);
}
