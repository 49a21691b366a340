/* Rendering results for people: edge tables, traversal trees, Graphviz. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_parse_edge_id(cli_ctx *ctx, const char *s, int64_t *out)
{
	return cli_parse_int(ctx, "edge ID", s, 1, INT64_MAX, out);
}

void cli_source_label(char *buf, size_t size, lineage_source source, double confidence)
{
	if (source == LINEAGE_SOURCE_INFERRED || confidence < 1.0)
		snprintf(buf, size, "%s %.2f", lineage_source_name(source), confidence);
	else
		snprintf(buf, size, "%s", lineage_source_name(source));
}

static cli_style source_style(lineage_source s)
{
	return s == LINEAGE_SOURCE_INFERRED   ? CLI_YELLOW
	       : s == LINEAGE_SOURCE_APPROVED ? CLI_GREEN
					      : CLI_CYAN;
}

int cli_print_edges(cli_ctx *ctx, const lineage_edge_list *list, const char *empty)
{
	static const char *const headers[] = {"ID", "SOURCE", "TARGET", "KIND", "LINEAGE",
					      "STATUS", "JOB"};
	size_t n = lineage_edge_list_count(list);
	cli_table *t;
	if (ctx->json) {
		char *json = NULL;
		if (lineage_edge_list_to_json(&json, list))
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
		const lineage_edge *e = lineage_edge_list_get(list, i);
		char id[24], label[40];
		snprintf(id, sizeof id, "%lld", (long long)e->id);
		cli_source_label(label, sizeof label, e->lineage_source, e->confidence);
		const char *cells[] = {id, e->source_key, e->target_key, e->kind, label,
				       lineage_edge_status_name(e->status), e->job_key};
		const cli_style styles[] = {CLI_RESET, CLI_RESET, CLI_RESET, CLI_RESET,
					    source_style(e->lineage_source),
					    e->status ? CLI_RED : CLI_RESET, CLI_RESET};
		if (cli_table_add_styled(t, cells, styles)) {
			cli_table_free(t);
			return cli_error(ctx, "out of memory");
		}
	}
	cli_table_print(ctx, t, stdout);
	cli_table_free(t);
	return CLI_EXIT_OK;
}

static void print_node_line(const cli_ctx *ctx, const lineage_node *node,
			    const lineage_result_edge *via)
{
	printf("%s %s(%s)%s", node->key, cli_sty(ctx, CLI_DIM), node->kind,
	       cli_sty(ctx, CLI_RESET));
	if (via) {
		char label[40];
		cli_source_label(label, sizeof label, via->lineage_source, via->confidence);
		printf("  %s[%s]%s", cli_source_style(ctx, via->lineage_source), label,
		       cli_sty(ctx, CLI_RESET));
	}
	fputc('\n', stdout);
}

/*
 * Working arrays of the tree: a spanning tree of shortest-distance edges, each asset under
 * the most trusted edge that reaches it at its distance.
 */
typedef struct tree {
	size_t n;
	size_t *parent;      /* (size_t)-1 for the root and unplaced nodes */
	size_t *via;         /* the edge to the parent */
	size_t *first_child; /* CSR of children */
	size_t *children;
	int *last;           /* per level: the branch at that level is the last child */
	size_t *stack_node;
	size_t *stack_level;
} tree;

static void tree_free(tree *t)
{
	free(t->parent);
	free(t->via);
	free(t->first_child);
	free(t->children);
	free(t->last);
	free(t->stack_node);
	free(t->stack_level);
}

static int tree_build(tree *t, const lineage_result *r, lineage_direction dir)
{
	size_t n = lineage_result_node_count(r), m = lineage_result_edge_count(r);
	cli_keymap *map = cli_keymap_new(n);
	int rc = -1;
	memset(t, 0, sizeof *t);
	t->n = n;
	t->parent = malloc((n + 1) * sizeof *t->parent);
	t->via = malloc((n + 1) * sizeof *t->via);
	t->first_child = calloc(n + 2, sizeof *t->first_child);
	t->children = malloc((n + 1) * sizeof *t->children);
	t->last = calloc(n + 2, sizeof *t->last);
	t->stack_node = malloc((n + 1) * sizeof *t->stack_node);
	t->stack_level = malloc((n + 1) * sizeof *t->stack_level);
	if (!map || !t->parent || !t->via || !t->first_child || !t->children || !t->last ||
	    !t->stack_node || !t->stack_level)
		goto done;
	for (size_t i = 0; i < n; i++) {
		t->parent[i] = (size_t)-1;
		if (cli_keymap_put(map, lineage_result_node(r, i)->key, i))
			goto done;
	}
	for (size_t e = 0; e < m; e++) {
		const lineage_result_edge *edge = lineage_result_edge_at(r, e);
		const char *near = dir == LINEAGE_UPSTREAM ? edge->target_key : edge->source_key;
		const char *far = dir == LINEAGE_UPSTREAM ? edge->source_key : edge->target_key;
		size_t a = cli_keymap_get(map, near), b = cli_keymap_get(map, far);
		if (a == (size_t)-1 || b == (size_t)-1 || b == 0)
			continue;
		if (lineage_result_node(r, b)->distance != lineage_result_node(r, a)->distance + 1)
			continue;
		/* Among equally short ways, show the most trusted edge. */
		if (t->parent[b] != (size_t)-1) {
			const lineage_result_edge *cur = lineage_result_edge_at(r, t->via[b]);
			if (edge->lineage_source < cur->lineage_source ||
			    (edge->lineage_source == cur->lineage_source &&
			     edge->confidence <= cur->confidence))
				continue;
		}
		t->parent[b] = a;
		t->via[b] = e;
	}
	/* Children in node order (by distance, then as the engine listed them). */
	for (size_t i = 0; i < n; i++)
		if (t->parent[i] != (size_t)-1)
			t->first_child[t->parent[i] + 1]++;
	for (size_t i = 0; i < n; i++)
		t->first_child[i + 1] += t->first_child[i];
	size_t *fill = calloc(n + 1, sizeof *fill);
	if (!fill)
		goto done;
	for (size_t i = 0; i < n; i++) {
		size_t p = t->parent[i];
		if (p != (size_t)-1)
			t->children[t->first_child[p] + fill[p]++] = i;
	}
	free(fill);
	rc = 0;
done:
	cli_keymap_free(map);
	return rc;
}

int cli_print_tree(cli_ctx *ctx, const lineage_result *r, lineage_direction dir)
{
	size_t n = lineage_result_node_count(r), sp = 0, placed = 0, max_dist = 0;
	tree t;
	if (!n)
		return CLI_EXIT_OK;
	if (tree_build(&t, r, dir)) {
		tree_free(&t);
		return cli_error(ctx, "out of memory");
	}
	/* Depth-first, pre-order, with an explicit stack: depth costs heap, not stack. */
	t.stack_node[sp] = 0;
	t.stack_level[sp++] = 0;
	while (sp) {
		size_t node = t.stack_node[--sp], level = t.stack_level[sp];
		const lineage_node *nd = lineage_result_node(r, node);
		placed++;
		if ((size_t)nd->distance > max_dist)
			max_dist = (size_t)nd->distance;
		if (level == 0) {
			printf("%s", cli_sty(ctx, CLI_BOLD));
			printf("%s%s %s(%s)%s\n", nd->key, cli_sty(ctx, CLI_RESET),
			       cli_sty(ctx, CLI_DIM), nd->kind, cli_sty(ctx, CLI_RESET));
		} else {
			size_t p = t.parent[node];
			t.last[level] = t.children[t.first_child[p + 1] - 1] == node;
			for (size_t l = 1; l < level; l++)
				fputs(t.last[l] ? "    " : "\u2502   ", stdout);
			fputs(t.last[level] ? "\u2514\u2500\u2500 " : "\u251c\u2500\u2500 ", stdout);
			print_node_line(ctx, nd, lineage_result_edge_at(r, t.via[node]));
		}
		/* Push children in reverse, so that the first is printed first. */
		for (size_t c = t.first_child[node + 1]; c > t.first_child[node]; c--) {
			t.stack_node[sp] = t.children[c - 1];
			t.stack_level[sp++] = level + 1;
		}
	}
	if (placed < n) {
		/* Reached through assets the filters leave out of the report. */
		printf("%salso reached:%s\n", cli_sty(ctx, CLI_DIM), cli_sty(ctx, CLI_RESET));
		for (size_t i = 1; i < n; i++) {
			const lineage_node *nd = lineage_result_node(r, i);
			if (t.parent[i] != (size_t)-1)
				continue;
			if ((size_t)nd->distance > max_dist)
				max_dist = (size_t)nd->distance;
			printf("  %d  ", nd->distance);
			print_node_line(ctx, nd, NULL);
		}
	}
	printf("%s%zu asset%s %s, up to %zu hop%s away%s%s\n", cli_sty(ctx, CLI_DIM), n - 1,
	       n == 2 ? "" : "s", dir == LINEAGE_UPSTREAM ? "upstream" : "downstream", max_dist,
	       max_dist == 1 ? "" : "s",
	       lineage_result_truncated(r) ? " (truncated by --limit)" : "",
	       cli_sty(ctx, CLI_RESET));
	tree_free(&t);
	return CLI_EXIT_OK;
}

static void dot_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s == '\n' ? ' ' : *s);
	}
	putchar('"');
}

int cli_print_dot(cli_ctx *ctx, const lineage_result *r)
{
	const char *root = lineage_result_root(r);
	(void)ctx;
	printf("digraph lineage {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n");
	for (size_t i = 0; i < lineage_result_node_count(r); i++) {
		const lineage_node *nd = lineage_result_node(r, i);
		printf("  ");
		dot_string(nd->key);
		printf(" [label=");
		dot_string(nd->key);
		printf(", tooltip=");
		dot_string(nd->kind);
		if (root && !strcmp(root, nd->key))
			printf(", style=filled, fillcolor=\"#ffe9a8\"");
		printf("];\n");
	}
	for (size_t i = 0; i < lineage_result_edge_count(r); i++) {
		const lineage_result_edge *e = lineage_result_edge_at(r, i);
		printf("  ");
		dot_string(e->source_key);
		printf(" -> ");
		dot_string(e->target_key);
		if (e->lineage_source == LINEAGE_SOURCE_INFERRED)
			printf(" [style=dashed, label=\"%.2f\"]", e->confidence);
		else if (e->lineage_source == LINEAGE_SOURCE_APPROVED)
			printf(" [style=bold]");
		printf(";\n");
	}
	printf("}\n");
	return CLI_EXIT_OK;
}
