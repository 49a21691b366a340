/* Command-line parsing: options, positional arguments, help, strict numbers. */
#include <errno.h>
#include <math.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const cli_option *find_option(const cli_spec *spec, const char *name, size_t len)
{
	if (!spec->options)
		return NULL;
	for (const cli_option *o = spec->options; o->name; o++)
		if (strlen(o->name) == len && !strncmp(o->name, name, len))
			return o;
	return NULL;
}

/* Levenshtein distance of two short strings (capped lengths), for "did you mean". */
static size_t edit_distance(const char *a, size_t la, const char *b)
{
	size_t lb = strlen(b), row[65];
	if (la > 64 || lb > 64)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

size_t cli_edit_distance(const char *a, const char *b)
{
	return edit_distance(a, strlen(a), b);
}

static const char *closest_option(const cli_spec *spec, const char *name, size_t len)
{
	static const char *const common[] = {"help", "json", "db"};
	const char *best = NULL;
	size_t best_d = 3;
	for (size_t i = 0; i < 3; i++) {
		size_t d = edit_distance(name, len, common[i]);
		if (d < best_d)
			best_d = d, best = common[i];
	}
	if (spec->options) {
		for (const cli_option *o = spec->options; o->name; o++) {
			size_t d = edit_distance(name, len, o->name);
			if (d < best_d)
				best_d = d, best = o->name;
		}
	}
	return best;
}

static int list_push(cli_strlist *list, const char *value, size_t cap)
{
	if (!list->items) {
		list->items = calloc(cap, sizeof *list->items);
		if (!list->items)
			return -1;
	}
	list->items[list->count++] = value;
	return 0;
}

int cli_parse(cli_ctx *ctx, const cli_spec *spec, int argc, char **argv, cli_args *out)
{
	int only_pos = 0;
	memset(out, 0, sizeof *out);
	out->spec = spec;
	ctx->command = spec->name;
	ctx->synopsis = spec->synopsis;
	out->pos = calloc((size_t)(argc > 0 ? argc : 1), sizeof *out->pos);
	if (!out->pos)
		return cli_error(ctx, "out of memory");
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (only_pos || arg[0] != '-' || !arg[1]) {
			out->pos[out->count++] = arg;
			continue;
		}
		if (!strcmp(arg, "--")) {
			only_pos = 1;
			continue;
		}
		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			cli_print_help(spec);
			return CLI_HELP_SHOWN;
		}
		if (arg[1] != '-')
			return cli_usage(ctx, "unknown option '%s'", arg);
		const char *name = arg + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		const char *value = eq ? eq + 1 : NULL;
		if (len == 4 && !strncmp(name, "json", 4) && !eq) {
			ctx->json = 1;
			continue;
		}
		const cli_option *o = find_option(spec, name, len);
		int is_db = !o && len == 2 && !strncmp(name, "db", 2);
		if (!o && !is_db) {
			const char *hint = closest_option(spec, name, len);
			if (hint)
				return cli_usage(ctx, "unknown option '--%.*s' (did you mean --%s?)",
						 (int)len, name, hint);
			return cli_usage(ctx, "unknown option '--%.*s'", (int)len, name);
		}
		if (o && o->type == CLI_FLAG) {
			if (eq)
				return cli_usage(ctx, "option --%s takes no value", o->name);
			*(int *)o->dest = 1;
			continue;
		}
		if (!value) {
			if (i + 1 >= argc)
				return cli_usage(ctx, "option --%.*s needs a value (%s)", (int)len,
						 name, o && o->metavar ? o->metavar : "PATH");
			value = argv[++i];
		}
		if (is_db)
			ctx->db_path = value;
		else if (o->type == CLI_VALUE)
			*(const char **)o->dest = value;
		else if (list_push(o->dest, value, (size_t)argc))
			return cli_error(ctx, "out of memory");
	}
	if (out->count < spec->min_args)
		return cli_usage(ctx, "missing argument: %s %s", spec->name, spec->synopsis);
	if (out->count > spec->max_args)
		return cli_usage(ctx, "unexpected argument '%s'", out->pos[spec->max_args]);
	return CLI_PARSED;
}

void cli_args_free(cli_args *args)
{
	if (args->spec && args->spec->options) {
		for (const cli_option *o = args->spec->options; o->name; o++) {
			if (o->type == CLI_LIST) {
				cli_strlist *list = o->dest;
				free(list->items);
				list->items = NULL;
				list->count = 0;
			}
		}
	}
	free(args->pos);
	memset(args, 0, sizeof *args);
}

static void print_option(const char *name, const char *metavar, const char *help)
{
	char left[64];
	snprintf(left, sizeof left, "%s%s%s", name, metavar ? " " : "", metavar ? metavar : "");
	if (strlen(left) <= 22)
		printf("  %-22s  %s\n", left, help);
	else
		printf("  %s\n  %-22s  %s\n", left, "", help);
}

void cli_print_help(const cli_spec *spec)
{
	char name[64];
	printf("usage: lineage %s %s\n\n%s.\n", spec->name, spec->synopsis, spec->summary);
	if (spec->details)
		printf("\n%s\n", spec->details);
	printf("\noptions:\n");
	if (spec->options) {
		for (const cli_option *o = spec->options; o->name; o++) {
			snprintf(name, sizeof name, "--%s", o->name);
			print_option(name, o->metavar, o->help);
		}
	}
	print_option("--json", NULL, "machine-readable output (JSON on stdout)");
	print_option("--db", "PATH", "the database (default: $LINEAGE_DB, else ./lineage.db)");
	print_option("-h, --help", NULL, "show this help");
}

int cli_parse_int(cli_ctx *ctx, const char *opt, const char *s, int64_t min, int64_t max,
		  int64_t *out)
{
	char *end = NULL;
	long long v;
	if (!s || !((s[0] >= '0' && s[0] <= '9') || (s[0] == '-' && s[1] >= '0' && s[1] <= '9')))
		goto bad;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	if (max == INT64_MAX)
		return cli_usage(ctx, "%s expects a whole number of at least %lld, got '%s'", opt,
				 (long long)min, s ? s : "");
	return cli_usage(ctx, "%s expects a whole number from %lld to %lld, got '%s'", opt,
			 (long long)min, (long long)max, s ? s : "");
}

int cli_parse_double(cli_ctx *ctx, const char *opt, const char *s, double min, double max,
		     double *out)
{
	char *end = NULL;
	double v;
	if (!s || !((s[0] >= '0' && s[0] <= '9') || s[0] == '.' || s[0] == '-'))
		goto bad;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	return cli_usage(ctx, "%s expects a number from %g to %g, got '%s'", opt, min, max,
			 s ? s : "");
}

const char *cli_env_user(void)
{
	const char *u = getenv("LINEAGE_ACTOR");
	if (!u || !*u)
		u = getenv("USER");
	if (!u || !*u) {
		/* No $USER (cron, a container, systemd): the login name of the effective user. */
		const struct passwd *pw = getpwuid(geteuid());
		u = pw ? pw->pw_name : NULL;
	}
	return u && *u ? u : NULL;
}

int cli_filter_to_options(cli_ctx *ctx, const cli_filter_args *f, lineage_query_options *opts)
{
	int64_t n;
	lineage_query_options_init(opts, LINEAGE_QUERY_OPTIONS_VERSION);
	if (f->depth) {
		if (cli_parse_int(ctx, "--depth", f->depth, 0, 1000000, &n))
			return CLI_EXIT_USAGE;
		opts->max_depth = (int)n;
	}
	if (f->limit) {
		if (cli_parse_int(ctx, "--limit", f->limit, 1, INT64_MAX, &n))
			return CLI_EXIT_USAGE;
		opts->max_nodes = (size_t)n;
	}
	if (f->min_source && lineage_source_parse(&opts->min_source, f->min_source))
		return cli_usage(ctx, "--min-source: %s", lineage_error_last()->message);
	if (f->min_confidence &&
	    cli_parse_double(ctx, "--min-confidence", f->min_confidence, 0, 1,
			     &opts->min_confidence))
		return CLI_EXIT_USAGE;
	if (f->columns) {
		if (!strcmp(f->columns, "include"))
			opts->columns = LINEAGE_COLUMNS_INCLUDE;
		else if (!strcmp(f->columns, "rollup"))
			opts->columns = LINEAGE_COLUMNS_ROLLUP;
		else if (!strcmp(f->columns, "exclude"))
			opts->columns = LINEAGE_COLUMNS_EXCLUDE;
		else
			return cli_usage(ctx, "--columns expects include, rollup or exclude, got '%s'",
					 f->columns);
	}
	opts->edge_kinds = f->edge_kinds.items;
	opts->edge_kind_count = f->edge_kinds.count;
	opts->asset_kinds = f->kinds.items;
	opts->asset_kind_count = f->kinds.count;
	return 0;
}
