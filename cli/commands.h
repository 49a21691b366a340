/*
 * The commands of the `lineage` tool. To add one: write cli/cmd_NAME.c with an entry
 * function `int cli_cmd_NAME(cli_ctx *ctx, int argc, char **argv)` (argv[0] is the command's
 * name), declare it here, and add one line to the registry in cli/commands.c.
 */
#ifndef LINEAGE_CLI_COMMANDS_H
#define LINEAGE_CLI_COMMANDS_H

#include "cli.h"

typedef int (*cli_command_fn)(cli_ctx *ctx, int argc, char **argv);

typedef struct cli_command {
	const char *name;
	cli_command_fn run;
	const char *summary; /* one line for `lineage --help` */
} cli_command;

/* The registry, in the order `lineage --help` lists them; ends with a {NULL} entry. */
extern const cli_command cli_commands[];

/* The command called `name`, or NULL. */
const cli_command *cli_command_find(const char *name);

/*
 * Run one of several subcommands (`asset add`, `edge rm`): argv[0] is the group's name,
 * argv[1] the subcommand's. Prints the group's help for --help or no subcommand.
 */
int cli_run_group(cli_ctx *ctx, const char *group, const cli_command *subs, int argc,
		  char **argv);

/* Database: cmd_db.c */
int cli_cmd_init(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_stats(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_backup(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_copy(cli_ctx *ctx, int argc, char **argv);
/* Assets: cmd_asset.c */
int cli_cmd_asset(cli_ctx *ctx, int argc, char **argv);
/* Kinds: cmd_kind.c */
int cli_cmd_kind(cli_ctx *ctx, int argc, char **argv);
/* Edges: cmd_edge.c */
int cli_cmd_edge(cli_ctx *ctx, int argc, char **argv);
/* Traversals: cmd_traverse.c */
int cli_cmd_upstream(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_downstream(cli_ctx *ctx, int argc, char **argv);
/* Paths: cmd_path.c */
int cli_cmd_path(cli_ctx *ctx, int argc, char **argv);
/* Impact analysis: cmd_impact.c */
int cli_cmd_impact(cli_ctx *ctx, int argc, char **argv);
/* Review: cmd_review.c */
int cli_cmd_approve(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_reject(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_pending(cli_ctx *ctx, int argc, char **argv);
/* Audit trail: cmd_history.c */
int cli_cmd_history(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_changes(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_revert(cli_ctx *ctx, int argc, char **argv);
/* Run history from OpenLineage events: cmd_runs.c */
int cli_cmd_runs(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_ingest(cli_ctx *ctx, int argc, char **argv);
/* Search: cmd_search.c */
int cli_cmd_search(cli_ctx *ctx, int argc, char **argv);
/* Whole-graph structure: cmd_structure.c */
int cli_cmd_cycles(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_roots(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_leaves(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_orphans(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_topo(cli_ctx *ctx, int argc, char **argv);
/* Bulk import: cmd_import.c */
int cli_cmd_import(cli_ctx *ctx, int argc, char **argv);
/* Export: cmd_export.c */
int cli_cmd_export(cli_ctx *ctx, int argc, char **argv);
/* Scanners: cmd_scan.c */
int cli_cmd_scan(cli_ctx *ctx, int argc, char **argv);
/* A scan's (or collect's) diagnostics, the first 50, and what was stored. */
void cli_print_scan_diagnostics(cli_ctx *ctx, const lineage_scan_report *r);
void cli_print_scan_outcome(const lineage_scan_summary *s);
/* Collectors: cmd_collect.c */
int cli_cmd_collect(cli_ctx *ctx, int argc, char **argv);
/* API tokens: cmd_token.c */
int cli_cmd_token(cli_ctx *ctx, int argc, char **argv);
/* Saved views of the web page: cmd_view.c */
int cli_cmd_view(cli_ctx *ctx, int argc, char **argv);

#endif
