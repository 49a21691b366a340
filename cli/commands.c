/* The command registry: one line per command. */
#include <string.h>

#include "commands.h"

const cli_command cli_commands[] = {
	{"init", cli_cmd_init, "create or upgrade the database"},
	{"asset", cli_cmd_asset, "add, get, list or remove assets"},
	{"edge", cli_cmd_edge, "add, get, list or remove edges"},
	{"pending", cli_cmd_pending, "inferred edges waiting for review"},
	{"approve", cli_cmd_approve, "approve an edge"},
	{"reject", cli_cmd_reject, "reject an edge"},
	{"history", cli_cmd_history, "the audit trail of an asset or an edge"},
	{"changes", cli_cmd_changes, "the change feed since a sequence number"},
	{"revert", cli_cmd_revert, "undo a batch of changes"},
	{"search", cli_cmd_search, "find assets by words"},
	{"stats", cli_cmd_stats, "counts of assets, edges and changes"},
	{"backup", cli_cmd_backup, "copy the database while it is in use"},
	{"import", cli_cmd_import, "import assets or lineage from CSV, JSON, JSON Lines or GraphML"},
	{NULL, NULL, NULL},
};

const cli_command *cli_command_find(const char *name)
{
	for (const cli_command *c = cli_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}
