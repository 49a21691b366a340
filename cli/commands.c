/* The command registry: one line per command. */
#include <string.h>

#include "commands.h"

const cli_command cli_commands[] = {
	{"init", cli_cmd_init, "create or upgrade the database"},
	{"asset", cli_cmd_asset, "add, get, list or remove assets"},
	{"kind", cli_cmd_kind, "declare asset kinds and edge kinds; list asset kinds"},
	{"edge", cli_cmd_edge, "add, get, list or remove edges"},
	{"upstream", cli_cmd_upstream, "where an asset's data comes from"},
	{"downstream", cli_cmd_downstream, "where an asset's data goes"},
	{"path", cli_cmd_path, "paths of data flow from one asset to another"},
	{"impact", cli_cmd_impact, "what a change to an asset affects"},
	{"pending", cli_cmd_pending, "inferred edges waiting for review"},
	{"approve", cli_cmd_approve, "approve an edge"},
	{"reject", cli_cmd_reject, "reject an edge"},
	{"history", cli_cmd_history, "the audit trail of an asset or an edge"},
	{"changes", cli_cmd_changes, "the change feed since a sequence number"},
	{"revert", cli_cmd_revert, "undo a batch of changes"},
	{"search", cli_cmd_search, "find assets by words"},
	{"roots", cli_cmd_roots, "assets where data starts"},
	{"leaves", cli_cmd_leaves, "assets where data ends"},
	{"orphans", cli_cmd_orphans, "assets without any edge"},
	{"cycles", cli_cmd_cycles, "cycles in the lineage graph"},
	{"topo", cli_cmd_topo, "assets in topological order, by layer"},
	{"stats", cli_cmd_stats, "counts of assets, edges and changes"},
	{"backup", cli_cmd_backup, "copy the database while it is in use"},
	{"copy", cli_cmd_copy, "copy a whole store into an empty one (SQLite <-> PostgreSQL)"},
	{"import", cli_cmd_import, "import assets or lineage from CSV, JSON, JSON Lines or GraphML"},
	{"export", cli_cmd_export, "export the graph or a query result (csv, json, jsonl, cytoscape, graphml, dot)"},
	{"scan", cli_cmd_scan, "infer lineage from SQL, dbt, Airflow and OpenLineage files"},
	{"collect", cli_cmd_collect, "collect tables, views and view lineage from a live database"},
	{"ingest", cli_cmd_ingest, "record OpenLineage events (JSON Lines) with their run states"},
	{"runs", cli_cmd_runs, "a job's state and run history, from OpenLineage events"},
	{"token", cli_cmd_token, "API tokens for the lineage service: create, list, revoke"},
	{"view", cli_cmd_view, "saved views of the web page: list, show, save, rename, delete"},
	{NULL, NULL, NULL},
};

const cli_command *cli_command_find(const char *name)
{
	for (const cli_command *c = cli_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}
