/* `lineage`: the command-line tool of liblineage. Global options, then one command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"

static void print_main_help(void)
{
	printf("usage: lineage [--db PATH] [--actor NAME] [--no-color] COMMAND [ARGS] [--json]\n\n"
	       "Store and query data lineage: assets, the flows between them, their review and "
	       "history.\n\ncommands:\n");
	for (const cli_command *c = cli_commands; c->name; c++)
		printf("  %-12s %s\n", c->name, c->summary);
	printf("  %-12s %s\n", "help", "help on a command (also: lineage COMMAND --help)");
	printf("\nglobal options:\n"
	       "  --db PATH      the database (default: $LINEAGE_DB, else ./lineage.db)\n"
	       "  --actor NAME   who makes the changes, for the audit trail (default: "
	       "$LINEAGE_ACTOR, else $USER, else your login name)\n"
	       "  --no-color     never colour the output (also: NO_COLOR=1)\n"
	       "  --version      print the version\n"
	       "  -h, --help     this help\n\n"
	       "Exit status: 0 success, 1 error, 2 bad command line, 3 asset, edge or batch not "
	       "found.\nSee docs/cli.md for every command with examples.\n");
}

int cli_run_group(cli_ctx *ctx, const char *group, const cli_command *subs, int argc,
		  char **argv)
{
	ctx->command = group;
	ctx->synopsis = "SUBCOMMAND ...";
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
			  !strcmp(argv[1], "help"))) {
		printf("usage: lineage %s SUBCOMMAND [ARGS] [--json]\n\nsubcommands:\n", group);
		for (const cli_command *c = subs; c->name; c++)
			printf("  %-8s %s\n", c->name, c->summary);
		printf("\nRun 'lineage %s SUBCOMMAND --help' for its options.\n", group);
		return CLI_EXIT_OK;
	}
	if (argc < 2)
		return cli_usage(ctx, "missing subcommand after '%s'", group);
	for (const cli_command *c = subs; c->name; c++)
		if (!strcmp(c->name, argv[1]))
			return c->run(ctx, argc - 1, argv + 1);
	return cli_usage(ctx, "unknown subcommand '%s %s'", group, argv[1]);
}

/* "unknown command 'X'", with the closest command's name when one is close. */
static int unknown_command(cli_ctx *ctx, const char *name)
{
	const char *best = NULL;
	size_t best_d = 3;
	for (const cli_command *c = cli_commands; c->name; c++) {
		size_t d = cli_edit_distance(name, c->name);
		if (d < best_d)
			best_d = d, best = c->name;
	}
	if (best)
		return cli_usage(ctx, "unknown command '%s' (did you mean '%s'?)", name, best);
	return cli_usage(ctx, "unknown command '%s'", name);
}

static int use_color(int fd)
{
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
	if (no && *no)
		return 0;
	if (term && !strcmp(term, "dumb"))
		return 0;
	return isatty(fd);
}

/* Value of a global option given as "--name VALUE" or "--name=VALUE"; NULL if not it. */
static const char *global_value(cli_ctx *ctx, const char *name, int argc, char **argv, int *i,
				int *bad)
{
	size_t len = strlen(name);
	const char *arg = argv[*i];
	if (strncmp(arg, name, len))
		return NULL;
	if (arg[len] == '=')
		return arg + len + 1;
	if (arg[len])
		return NULL;
	if (*i + 1 >= argc) {
		*bad = cli_usage(ctx, "option %s needs a value", name);
		return NULL;
	}
	return argv[++*i];
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
	int i = 1, bad = 0;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *arg = argv[i], *v;
		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			print_main_help();
			return CLI_EXIT_OK;
		}
		if (!strcmp(arg, "--version")) {
			printf("lineage %s (liblineage %s, database schema %d)\n", LINEAGE_VERSION,
			       lineage_version(), LINEAGE_SCHEMA_VERSION);
			return CLI_EXIT_OK;
		}
		if (!strcmp(arg, "--no-color")) {
			ctx->color = ctx->err_color = 0;
			continue;
		}
		if ((v = global_value(ctx, "--db", argc, argv, &i, &bad))) {
			ctx->db_path = v;
			continue;
		}
		if ((v = global_value(ctx, "--actor", argc, argv, &i, &bad))) {
			ctx->actor = v;
			continue;
		}
		if (bad)
			return bad;
		return cli_usage(ctx, "unknown global option '%s'", arg);
	}
	if (i >= argc)
		return cli_usage(ctx, "missing command");
	const char *name = argv[i];
	if (!strcmp(name, "help")) {
		if (i + 1 >= argc || !strcmp(argv[i + 1], "--help") || !strcmp(argv[i + 1], "-h") ||
		    !strcmp(argv[i + 1], "help")) {
			print_main_help();
			return CLI_EXIT_OK;
		}
		const cli_command *c = cli_command_find(argv[i + 1]);
		if (!c)
			return unknown_command(ctx, argv[i + 1]);
		/* `help asset add` becomes `asset add --help`. */
		char *help_argv[3] = {argv[i + 1], NULL, NULL};
		int help_argc = 1;
		if (i + 2 < argc)
			help_argv[help_argc++] = argv[i + 2];
		help_argv[help_argc++] = "--help";
		return c->run(ctx, help_argc, help_argv);
	}
	const cli_command *c = cli_command_find(name);
	if (!c)
		return unknown_command(ctx, name);
	return c->run(ctx, argc - i, argv + i);
}

int main(int argc, char **argv)
{
	cli_ctx ctx;
	const char *env_db = getenv("LINEAGE_DB");
	int rc;
	memset(&ctx, 0, sizeof ctx);
	ctx.db_path = env_db && *env_db ? env_db : "./lineage.db";
	ctx.actor = cli_env_user();
	ctx.color = use_color(STDOUT_FILENO);
	ctx.err_color = use_color(STDERR_FILENO);
	rc = run(&ctx, argc, argv);
	lineage_db_close(ctx.db);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		ctx.command = NULL;
		fprintf(stderr, "lineage: error: could not write the output (disk full or closed "
				"pipe?)\n");
		return rc ? rc : CLI_EXIT_ERROR;
	}
	return rc;
}
