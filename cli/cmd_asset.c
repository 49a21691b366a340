/* Asset commands: asset add, get, list, rm. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

/*
 * Build the properties object from NAME=VALUE options. A VALUE that looks like JSON (an
 * object, array, number, true, false, null or a quoted string) is taken as JSON; anything
 * else is a string, so that `--property tier=gold` needs no quoting.
 */
static int build_properties(cli_ctx *ctx, const cli_strlist *props, char **out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	*out = NULL;
	if (!props->count)
		return 0;
	f = open_memstream(&buf, &len);
	if (!f)
		return cli_error(ctx, "out of memory");
	fputc('{', f);
	for (size_t i = 0; i < props->count; i++) {
		const char *p = props->items[i], *eq = strchr(p, '=');
		if (!eq || eq == p) {
			fclose(f);
			free(buf);
			return cli_usage(ctx, "--property expects NAME=VALUE, got '%s'", p);
		}
		char *name = strndup(p, (size_t)(eq - p));
		const char *v = eq + 1;
		int json_like = strchr("{[\"-0123456789", v[0]) && v[0] != '\0';
		json_like |= !strcmp(v, "true") || !strcmp(v, "false") || !strcmp(v, "null");
		if (i)
			fputc(',', f);
		cli_json_string(f, name ? name : "");
		fputc(':', f);
		if (json_like)
			fputs(v, f);
		else
			cli_json_string(f, v);
		free(name);
	}
	fputc('}', f);
	if (fclose(f)) {
		free(buf);
		return cli_error(ctx, "out of memory");
	}
	*out = buf;
	return 0;
}

/* Print one asset (borrowed) as JSON. */
static int print_asset_json(cli_ctx *ctx, const lineage_asset *a)
{
	char *json = NULL;
	if (lineage_asset_to_json(&json, a))
		return cli_fail(ctx);
	cli_print_json(json);
	return CLI_EXIT_OK;
}

static int asset_add(cli_ctx *ctx, int argc, char **argv)
{
	const char *kind = NULL, *name = NULL, *parent = NULL, *owner = NULL, *desc = NULL,
		   *status = NULL;
	cli_strlist tags = {0}, props = {0};
	int create_missing = 0;
	const cli_option options[] = {
		{"kind", CLI_VALUE, "K", "kind: system, database, schema, table, view, column, "
		 "job, dashboard... (required when creating)", &kind},
		{"name", CLI_VALUE, "N", "display name (default: the key's last segment)", &name},
		{"parent", CLI_VALUE, "KEY", "the containing asset (a column's table)", &parent},
		{"owner", CLI_VALUE, "O", "owner (a person or a team)", &owner},
		{"tag", CLI_LIST, "T", "a tag (repeatable; replaces the stored tags)", &tags},
		{"description", CLI_VALUE, "D", "free text", &desc},
		{"status", CLI_VALUE, "S", "free text, such as active or deprecated", &status},
		{"property", CLI_LIST, "NAME=JSON", "a property (repeatable; merged into the stored "
		 "ones; a value that is not JSON is a string; =null removes)", &props},
		{"create-missing", CLI_FLAG, NULL, "create a missing parent (kind unknown)",
		 &create_missing},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {
		"asset add", "KEY --kind K [options]",
		"Create an asset, or update the stored one with the same key",
		"Options not given leave the stored values as they are; an empty value clears one.\n"
		"example: lineage asset add warehouse.marts.orders.amount --kind column \\\n"
		"           --parent warehouse.marts.orders --owner finance --tag pii "
		"--property type=numeric",
		options, 1, 1};
	cli_args args;
	lineage_asset_spec as;
	lineage_outcome outcome;
	lineage_asset *asset = NULL;
	char *properties = NULL;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc || (rc = build_properties(ctx, &props, &properties)))
		goto done;
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	lineage_asset_spec_init(&as, LINEAGE_ASSET_SPEC_VERSION);
	as.key = args.pos[0];
	as.kind = kind;
	as.name = name;
	as.parent_key = parent;
	as.owner = owner;
	as.description = desc;
	as.status = status;
	as.tags = tags.items;
	as.tag_count = tags.count;
	as.tags_set = tags.count > 0;
	as.properties_json = properties;
	as.create_missing = create_missing;
	if (lineage_asset_upsert(&outcome, NULL, db, &as)) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		if (lineage_asset_get(&asset, db, as.key)) {
			rc = cli_fail(ctx);
			goto done;
		}
		rc = print_asset_json(ctx, asset);
	} else {
		printf("%s asset %s\n", lineage_outcome_name(outcome), as.key);
	}
done:
	lineage_asset_free(asset);
	free(properties);
	cli_args_free(&args);
	return CLI_RC(rc);
}

static void print_field(const cli_ctx *ctx, const char *name, const char *value)
{
	if (value && *value)
		printf("  %s%-12s%s %s\n", cli_sty(ctx, CLI_DIM), name, cli_sty(ctx, CLI_RESET),
		       value);
}

/* The edges of one direction, compactly, at most 20. */
static void print_edges(const cli_ctx *ctx, const lineage_edge_list *list, int incoming)
{
	size_t n = lineage_edge_list_count(list);
	if (!n)
		return;
	printf("  %s%-12s%s", cli_sty(ctx, CLI_DIM), incoming ? "inputs" : "outputs",
	       cli_sty(ctx, CLI_RESET));
	for (size_t i = 0; i < n && i < 20; i++) {
		const lineage_edge *e = lineage_edge_list_get(list, i);
		printf("%s %s%s %s[%s #%lld]%s\n", i ? "              " : "",
		       incoming ? "<- " : "-> ", incoming ? e->source_key : e->target_key,
		       cli_source_style(ctx, e->lineage_source),
		       lineage_source_name(e->lineage_source), (long long)e->id,
		       cli_sty(ctx, CLI_RESET));
	}
	if (n > 20)
		printf("              ... and %zu more (lineage edge list KEY)\n", n - 20);
}

static int asset_get(cli_ctx *ctx, int argc, char **argv)
{
	const cli_spec spec = {
		"asset get", "KEY [options]", "Show an asset, with its direct inputs and outputs",
		"example: lineage asset get warehouse.marts.fct_orders", NULL, 1, 1};
	cli_args args;
	lineage_asset *a = NULL;
	lineage_edge_list *in = NULL, *out = NULL;
	lineage_asset_list *children = NULL;
	char tags[1024] = "", created[32], updated[32];
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc)
		goto done;
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_asset_get(&a, db, args.pos[0])) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		rc = print_asset_json(ctx, a);
		goto done;
	}
	if (lineage_edge_list_for_asset(&in, db, a->key, LINEAGE_EDGES_IN) ||
	    lineage_edge_list_for_asset(&out, db, a->key, LINEAGE_EDGES_OUT) ||
	    lineage_asset_children(&children, db, a->key)) {
		rc = cli_fail(ctx);
		goto done;
	}
	for (size_t i = 0; i < a->tag_count; i++) {
		size_t used = strlen(tags);
		snprintf(tags + used, sizeof tags - used, "%s%s", i ? ", " : "", a->tags[i]);
	}
	cli_format_time(created, sizeof created, a->created_at_ms);
	cli_format_time(updated, sizeof updated, a->updated_at_ms);
	printf("%s%s%s (%s)\n", cli_sty(ctx, CLI_BOLD), a->key, cli_sty(ctx, CLI_RESET), a->kind);
	print_field(ctx, "name", a->name);
	print_field(ctx, "parent", a->parent_key);
	print_field(ctx, "owner", a->owner);
	print_field(ctx, "status", a->status);
	print_field(ctx, "tags", tags);
	print_field(ctx, "description", a->description);
	if (a->properties_json && strcmp(a->properties_json, "{}"))
		print_field(ctx, "properties", a->properties_json);
	print_field(ctx, "created", created);
	print_field(ctx, "updated", updated);
	if (lineage_asset_list_count(children)) {
		char contains[64];
		snprintf(contains, sizeof contains, "%zu assets (lineage asset list KEY)",
			 lineage_asset_list_count(children));
		print_field(ctx, "contains", contains);
	}
	print_edges(ctx, in, 1);
	print_edges(ctx, out, 0);
done:
	lineage_edge_list_free(in);
	lineage_edge_list_free(out);
	lineage_asset_list_free(children);
	lineage_asset_free(a);
	cli_args_free(&args);
	return CLI_RC(rc);
}

static int asset_rm(cli_ctx *ctx, int argc, char **argv)
{
	int cascade = 0;
	const cli_option options[] = {
		{"cascade", CLI_FLAG, NULL, "also remove the assets it contains, recursively",
		 &cascade},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {
		"asset rm", "KEY [--cascade]",
		"Remove an asset and its edges (recorded in the audit trail)",
		"An asset that contains others is refused unless --cascade is given.\n"
		"example: lineage asset rm warehouse.staging.old_orders --cascade",
		options, 1, 1};
	cli_args args;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc)
		goto done;
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_asset_remove(db, args.pos[0], cascade ? LINEAGE_REMOVE_CASCADE : 0)) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		printf("{\"removed\":");
		cli_json_string(stdout, args.pos[0]);
		printf(",\"cascade\":%s}\n", cascade ? "true" : "false");
	} else {
		printf("removed asset %s\n", args.pos[0]);
	}
done:
	cli_args_free(&args);
	return CLI_RC(rc);
}

static int has_tag(const lineage_asset *a, const char *tag)
{
	for (size_t i = 0; i < a->tag_count; i++)
		if (!strcmp(a->tags[i], tag))
			return 1;
	return 0;
}

static int asset_list(cli_ctx *ctx, int argc, char **argv)
{
	const char *kind = NULL, *owner = NULL, *tag = NULL, *limit_s = NULL, *offset_s = NULL;
	const cli_option options[] = {
		{"kind", CLI_VALUE, "K", "only assets of kind K", &kind},
		{"owner", CLI_VALUE, "O", "only assets owned by O", &owner},
		{"tag", CLI_VALUE, "T", "only assets tagged T", &tag},
		{"limit", CLI_VALUE, "N", "at most N assets (default 50, at most 10000; "
		 "without PARENT)", &limit_s},
		{"offset", CLI_VALUE, "N", "skip the first N (without PARENT)", &offset_s},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {
		"asset list", "[PARENT] [options]",
		"List the assets PARENT contains, or every asset by key",
		"example: lineage asset list warehouse.marts.fct_orders   (its columns)\n"
		"         lineage asset list --kind dashboard",
		options, 0, 1};
	cli_args args;
	lineage_asset_list *list = NULL;
	cli_table *table = NULL;
	int64_t n;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc)
		goto done;
	lineage_search_options so;
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
	if (args.count ? lineage_asset_children(&list, db, args.pos[0])
		       : lineage_asset_search(&list, db, "", &so)) {
		rc = cli_fail(ctx);
		goto done;
	}
	static const char *const headers[] = {"KEY", "KIND", "OWNER", "TAGS"};
	table = cli_table_new(4, headers);
	if (!table) {
		rc = cli_error(ctx, "out of memory");
		goto done;
	}
	size_t shown = 0;
	if (ctx->json)
		printf("{\"results\":[");
	for (size_t i = 0; i < lineage_asset_list_count(list); i++) {
		const lineage_asset *a = lineage_asset_list_get(list, i);
		/* The children call has no filters: apply them here. */
		if (args.count && ((kind && strcmp(a->kind, kind)) ||
				   (owner && (!a->owner || strcmp(a->owner, owner))) ||
				   (tag && !has_tag(a, tag))))
			continue;
		if (ctx->json) {
			char *json = NULL;
			if (lineage_asset_to_json(&json, a)) {
				rc = cli_fail(ctx);
				goto done;
			}
			printf("%s%s", shown ? "," : "", json);
			lineage_free(json);
		} else {
			char tags[512] = "";
			for (size_t t = 0; t < a->tag_count; t++) {
				size_t used = strlen(tags);
				snprintf(tags + used, sizeof tags - used, "%s%s", t ? "," : "",
					 a->tags[t]);
			}
			const char *cells[] = {a->key, a->kind, a->owner, tags[0] ? tags : NULL};
			if (cli_table_add(table, cells)) {
				rc = cli_error(ctx, "out of memory");
				goto done;
			}
		}
		shown++;
	}
	if (ctx->json)
		printf("],\"total\":%zu}\n",
		       args.count ? shown : lineage_asset_list_total(list));
	else if (shown)
		cli_table_print(ctx, table, stdout);
	else
		printf("no assets\n");
done:
	cli_table_free(table);
	lineage_asset_list_free(list);
	cli_args_free(&args);
	return CLI_RC(rc);
}

static const cli_command asset_commands[] = {
	{"add", asset_add, "create or update an asset"},
	{"get", asset_get, "show an asset and its direct inputs and outputs"},
	{"list", asset_list, "list the assets a parent contains, or every asset"},
	{"rm", asset_rm, "remove an asset and its edges"},
	{NULL, NULL, NULL}};

int cli_cmd_asset(cli_ctx *ctx, int argc, char **argv)
{
	return cli_run_group(ctx, "asset", asset_commands, argc, argv);
}
