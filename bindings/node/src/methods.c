/*
 * liblineage for Node.js: every method of the addon, described once.
 *
 * A row names the method, the fields it reads (positional arguments, then its options
 * object's properties: see method.h), the defaults it starts from, the library call that
 * does the work (ops_*.c), what that call answers, and whether it runs on a worker. The
 * JavaScript API (index.d.ts) and docs/node.md describe the same methods for users.
 */
#include <stddef.h>

#include "ops.h"

#define AT(member) offsetof(call_args, member)
#define F(name_, type_, ...) {.name = name_, .type = type_, __VA_ARGS__}
#define END {.type = V_END}
#define OPTIONS {.name = "options", .type = V_OPTIONS}
#define LIMIT F("limit", V_SIZE, .at = AT(limit), .min = 1, .max = 1000000)
#define QUERY F("query", V_QUERY, .at = AT(query), .aux = AT(format))
#define ON_PROGRESS {.name = "onProgress", .type = V_JOB}
#define CANCEL_TOKEN {.name = "cancelToken", .type = V_JOB}

/* ---- fields ----------------------------------------------------------------------- */

static const field no_fields[] = {END};
static const field key_field[] = {F("key", V_STRING, .at = AT(key)), END};
static const field id_field[] = {F("id", V_ID, .at = AT(id)), END};

static const field add_asset_fields[] = {
	F("addAsset() argument", V_OPTIONS, .prefix = "asset",
	  .required = "addAsset() needs an object such as {key: 'db.schema.table', kind: "
		      "'table'}, got %s"),
	F("key", V_STRING, .at = AT(o.asset.key),
	  .required = "asset.key is required (a string such as 'db.schema.table')"),
	F("kind", V_STRING, .at = AT(o.asset.kind)),
	F("name", V_STRING, .at = AT(o.asset.name)),
	F("parent", V_STRING, .at = AT(o.asset.parent_key)),
	F("owner", V_STRING, .at = AT(o.asset.owner)),
	F("description", V_STRING, .at = AT(o.asset.description)),
	F("status", V_STRING, .at = AT(o.asset.status)),
	F("tags", V_STRINGS, .at = AT(o.asset.tags), .aux = AT(o.asset.tag_count),
	  .present = AT(o.asset.tags_set)),
	F("properties", V_JSON, .at = AT(o.asset.properties_json)),
	F("createMissing", V_BOOL, .at = AT(o.asset.create_missing)),
	END};

static const field remove_asset_fields[] = {
	F("key", V_STRING, .at = AT(key)),
	OPTIONS,
	F("cascade", V_FLAG, .at = AT(flags), .min = LINEAGE_REMOVE_CASCADE),
	END};

static const field search_fields[] = {
	F("text", V_STRING, .flags = F_OPTIONAL, .at = AT(text)),
	OPTIONS,
	F("kind", V_STRING, .at = AT(o.search.kind)),
	F("owner", V_STRING, .at = AT(o.search.owner)),
	F("tag", V_STRING, .at = AT(o.search.tag)),
	F("limit", V_SIZE, .at = AT(o.search.limit), .min = 1, .max = 10000),
	F("offset", V_SIZE, .at = AT(o.search.offset), .min = 0, .max = INT32_MAX),
	END};

static const field add_edge_fields[] = {
	F("addEdge() argument", V_OPTIONS, .prefix = "edge",
	  .required = "addEdge() needs an object such as {source: 'a', target: 'b'}, got %s"),
	F("source", V_STRING, .at = AT(o.edge.source_key),
	  .required = "edge.source is required (an asset key string)"),
	F("target", V_STRING, .at = AT(o.edge.target_key),
	  .required = "edge.target is required (an asset key string)"),
	F("kind", V_STRING, .at = AT(o.edge.kind)),
	F("job", V_STRING, .at = AT(o.edge.job_key)),
	F("lineageSource", V_SOURCE, .at = AT(o.edge.lineage_source)),
	F("confidence", V_CONFIDENCE, .at = AT(o.edge.confidence)),
	F("transformationType", V_STRING, .at = AT(o.edge.transformation_type)),
	F("transformation", V_STRING, .at = AT(o.edge.transformation)),
	F("description", V_STRING, .at = AT(o.edge.description)),
	F("properties", V_JSON, .at = AT(o.edge.properties_json)),
	F("evidence", V_JSON, .at = AT(o.edge.evidence_json)),
	F("origin", V_STRING, .at = AT(o.edge.origin)),
	F("createMissing", V_BOOL, .at = AT(o.edge.create_missing)),
	F("sourceKind", V_STRING, .at = AT(o.edge.source_kind)),
	F("targetKind", V_STRING, .at = AT(o.edge.target_kind)),
	END};

static const field find_edge_fields[] = {
	F("source", V_STRING, .at = AT(key)),
	F("target", V_STRING, .at = AT(to)),
	OPTIONS,
	F("kind", V_STRING, .at = AT(kind)),
	F("job", V_STRING, .at = AT(job)),
	END};

static const choices edge_directions = {
	"direction", "in, out or both",
	{{"in", LINEAGE_EDGES_IN},
	 {"out", LINEAGE_EDGES_OUT},
	 {"both", LINEAGE_EDGES_IN | LINEAGE_EDGES_OUT}}};

static const field edges_fields[] = {
	F("key", V_STRING, .at = AT(key)),
	OPTIONS,
	F("direction", V_CHOICE, .at = AT(flags), .choices = &edge_directions),
	F("all", V_FLAG, .at = AT(flags), .min = LINEAGE_EDGES_ALL_STATUS),
	END};

static const field limit_fields[] = {OPTIONS, LIMIT, END};

static const field review_fields[] = {
	F("id", V_ID, .at = AT(id)),
	OPTIONS,
	F("by", V_STRING, .at = AT(by), .required = "%s() needs {by: 'name'}: who reviews the edge"),
	F("comment", V_STRING, .at = AT(comment)),
	END};

static const field traverse_fields[] = {F("key", V_STRING, .at = AT(key)), OPTIONS, QUERY, END};

static const field traverse_async_fields[] = {
	F("key", V_STRING, .at = AT(key)), OPTIONS, QUERY, CANCEL_TOKEN, END};

static const field impact_fields[] = {
	F("key", V_STRING, .at = AT(key)),
	OPTIONS,
	QUERY,
	F("change", V_CHANGE, .at = AT(change)),
	END};

static const field path_fields[] = {
	F("from", V_STRING, .at = AT(key)),
	F("to", V_STRING, .at = AT(to)),
	OPTIONS,
	F("query", V_QUERY, .at = AT(o.path.filter), .aux = AT(format)),
	F("all", V_BOOL, .at = AT(o.path.all)),
	F("maxPaths", V_SIZE, .at = AT(o.path.max_paths), .min = 1, .max = 1000000),
	F("maxLength", V_INT, .at = AT(o.path.max_length), .min = 1, .max = 100000),
	END};

static const field structure_fields[] = {OPTIONS, QUERY, END};

static const field history_fields[] = {F("key", V_STRING, .at = AT(key)), OPTIONS, LIMIT, END};
static const field edge_history_fields[] = {F("id", V_ID, .at = AT(id)), OPTIONS, LIMIT, END};
static const field changes_since_fields[] = {
	F("seq", V_SEQ, .flags = F_OPTIONAL, .at = AT(id)), OPTIONS, LIMIT, END};

static const field label_field[] = {F("label", V_STRING, .flags = F_NULLABLE, .at = AT(text)), END};
static const field batch_field[] = {F("batchId", V_ID, .at = AT(id)), END};
static const field actor_field[] = {F("actor", V_STRING, .flags = F_NULLABLE, .at = AT(text)), END};

static const field edge_kind_fields[] = {
	F("kind", V_STRING, .at = AT(kind)),
	OPTIONS,
	F("allowsSelfLoop", V_BOOL, .at = AT(self_loop)),
	F("allowsCycles", V_BOOL, .at = AT(cycles)),
	END};

static const field kind_field[] = {F("kind", V_STRING, .at = AT(kind)), END};

static const field backup_fields[] = {
	F("destination path", V_STRING, .at = AT(path)), OPTIONS, ON_PROGRESS, CANCEL_TOKEN, END};

static const choices import_modes = {
	"import mode", "atomic or skip-errors",
	{{"atomic", LINEAGE_IMPORT_ATOMIC},
	 {"skip-errors", LINEAGE_IMPORT_SKIP_ERRORS},
	 {"skipErrors", LINEAGE_IMPORT_SKIP_ERRORS}}};

static const field import_fields[] = {
	F("path", V_STRING, .at = AT(path)),
	OPTIONS,
	F("format", V_FORMAT, .at = AT(o.import.format)),
	F("type", V_RECORDS, .at = AT(o.import.type)),
	F("mode", V_CHOICE, .at = AT(o.import.mode), .choices = &import_modes),
	F("dryRun", V_BOOL, .at = AT(o.import.dry_run)),
	F("createMissing", V_BOOL, .at = AT(o.import.create_missing)),
	F("rejects", V_STRING, .at = AT(o.import.rejects_path)),
	F("replaceScope", V_STRING, .at = AT(o.import.replace_scope)),
	F("label", V_STRING, .at = AT(o.import.label)),
	F("maxErrors", V_SIZE, .at = AT(o.import.max_errors), .min = 1, .max = 10000000),
	F("maxItems", V_SIZE, .at = AT(o.import.max_items), .min = 0, .max = 10000000),
	ON_PROGRESS,
	CANCEL_TOKEN,
	END};

static const field scan_fields[] = {
	F("paths", V_STRINGS, .at = AT(paths), .aux = AT(path_count),
	  .required = "scan() needs a path or an array of paths to scan"),
	OPTIONS,
	F("type", V_STRING, .at = AT(o.scan.type)),
	F("dialect", V_STRING, .at = AT(o.scan.dialect)),
	F("defaultDatabase", V_STRING, .at = AT(o.scan.default_database)),
	F("defaultSchema", V_STRING, .at = AT(o.scan.default_schema)),
	F("dryRun", V_BOOL, .at = AT(o.scan.dry_run)),
	F("maxFileBytes", V_SIZE, .at = AT(o.scan.max_file_bytes), .min = 1, .max = INT64_MAX / 2),
	ON_PROGRESS,
	CANCEL_TOKEN,
	END};

static const choices layouts = {
	"layout", "layered, force, grid or circle",
	{{"layered", LINEAGE_LAYOUT_LAYERED},
	 {"force", LINEAGE_LAYOUT_FORCE},
	 {"grid", LINEAGE_LAYOUT_GRID},
	 {"circle", LINEAGE_LAYOUT_CIRCLE}}};

static const choices export_directions = {
	"direction", "downstream, upstream, both or impact",
	{{"downstream", LINEAGE_DOWNSTREAM},
	 {"upstream", LINEAGE_UPSTREAM},
	 {"both", LINEAGE_BOTH},
	 {"impact", 0}}};

/* `format` is the export's own (a file format), not the query's. */
static const field export_fields[] = {
	OPTIONS,
	F("query", V_QUERY, .at = AT(query)),
	F("format", V_FORMAT, .at = AT(o.exp.format)),
	F("path", V_STRING, .at = AT(path)),
	F("type", V_RECORDS, .at = AT(o.exp.type)),
	F("layout", V_CHOICE, .at = AT(o.exp.layout), .choices = &layouts),
	F("root", V_STRING, .at = AT(root)),
	F("direction", V_CHOICE, .at = AT(direction), .choices = &export_directions),
	F("change", V_CHANGE, .at = AT(change)),
	ON_PROGRESS,
	CANCEL_TOKEN,
	END};

static const field analyze_sql_fields[] = {
	F("sql", V_STRING, .at = AT(text), .required = "%s() needs the SQL text (a string)"),
	OPTIONS,
	F("dialect", V_STRING, .at = AT(o.sql.dialect)),
	F("defaultDatabase", V_STRING, .at = AT(o.sql.default_database)),
	F("defaultSchema", V_STRING, .at = AT(o.sql.default_schema)),
	F("schema", V_JSON, .at = AT(o.sql.schema_json)),
	F("file", V_STRING, .at = AT(o.sql.file)),
	END};

/* saved views: saveView(name, {view, mode}), views({limit, offset}), renameView(name, newName) */
static const choices view_modes = {
	"view save mode", "upsert, create or replace",
	{{"upsert", LINEAGE_VIEW_UPSERT},
	 {"create", LINEAGE_VIEW_CREATE},
	 {"replace", LINEAGE_VIEW_REPLACE}}};

static const field save_view_fields[] = {
	F("name", V_STRING, .at = AT(key), .required = "%s() needs the view's name (a string)"),
	OPTIONS,
	F("view", V_JSON, .at = AT(text)),
	F("mode", V_CHOICE, .at = AT(view_mode), .choices = &view_modes),
	END};

static const field views_fields[] = {
	OPTIONS,
	F("limit", V_SIZE, .at = AT(limit), .min = 1, .max = 1000000),
	F("offset", V_INT64, .at = AT(id), .min = 0, .max = INT32_MAX),
	END};

static const field rename_view_fields[] = {
	F("name", V_STRING, .at = AT(key)), F("newName", V_STRING, .at = AT(to)), END};

/* new Graph(path = ":memory:", options): see graph.c */
const field graph_open_fields[] = {
	F("path", V_STRING, .flags = F_OPTIONAL, .at = AT(path)),
	{.name = "open options", .type = V_OPTIONS},
	F("readonly", V_FLAG, .at = AT(o.open.flags), .min = LINEAGE_OPEN_READONLY),
	F("create", V_FLAG, .flags = F_NEGATE, .at = AT(o.open.flags), .min = LINEAGE_OPEN_NOCREATE),
	F("actor", V_STRING, .at = AT(o.open.actor)),
	F("busyTimeoutMs", V_INT, .at = AT(o.open.busy_timeout_ms), .min = 0, .max = INT32_MAX),
	F("cacheSizeKiB", V_INT, 64, .at = AT(o.open.cache_size_kib), .min = 1, .max = INT64_MAX / 2),
	F("pgSchema", V_STRING, .at = AT(o.open.pg_schema)), /* a postgresql:// path's schema */
	F("maxStalenessMs", V_INT, .at = AT(o.open.max_staleness_ms), .min = 0, .max = INT32_MAX),
	END};

/* ---- the methods ------------------------------------------------------------------ */

#define SYNC 0
#define STRUCTURE(name, what) {name, structure_fields, NULL, run_structure, R_JSON, SYNC, what}

const method addon_methods[] = {
	/* assets */
	{"addAsset", add_asset_fields, init_asset, run_add_asset, R_OUTCOME, SYNC, 0},
	{"getAsset", key_field, NULL, run_get_asset, R_JSON, SYNC, 0},
	{"hasAsset", key_field, NULL, run_has_asset, R_BOOL, SYNC, 0},
	{"removeAsset", remove_asset_fields, NULL, run_remove_asset, R_NONE, SYNC, 0},
	{"children", key_field, NULL, run_children, R_JSON, SYNC, 0},
	{"search", search_fields, init_search, run_search, R_JSON, SYNC, 0},
	/* edges and their review */
	{"addEdge", add_edge_fields, init_edge, run_add_edge, R_OUTCOME, SYNC, 0},
	{"getEdge", id_field, NULL, run_get_edge, R_JSON, SYNC, 0},
	{"findEdge", find_edge_fields, NULL, run_find_edge, R_JSON, SYNC, 0},
	{"removeEdge", id_field, NULL, run_remove_edge, R_NONE, SYNC, 0},
	{"edges", edges_fields, init_edges, run_edges, R_JSON, SYNC, 0},
	{"pendingEdges", limit_fields, NULL, run_pending_edges, R_JSON, SYNC, 0},
	{"approve", review_fields, NULL, run_review, R_JSON, SYNC, 1},
	{"reject", review_fields, NULL, run_review, R_JSON, SYNC, 0},
	/* queries */
	{"upstream", traverse_fields, NULL, run_traverse, R_TRAVERSAL, SYNC, LINEAGE_UPSTREAM},
	{"downstream", traverse_fields, NULL, run_traverse, R_TRAVERSAL, SYNC,
	 LINEAGE_DOWNSTREAM},
	{"lineage", traverse_fields, NULL, run_traverse, R_TRAVERSAL, SYNC, LINEAGE_BOTH},
	{"impact", impact_fields, init_impact, run_impact, R_JSON, SYNC, 0},
	{"path", path_fields, init_path, run_path, R_JSON, SYNC, 0},
	{"subtree", traverse_fields, NULL, run_structure, R_JSON, SYNC, LINEAGE_STRUCT_SUBTREE},
	STRUCTURE("roots", LINEAGE_STRUCT_ROOTS),
	STRUCTURE("leaves", LINEAGE_STRUCT_LEAVES),
	STRUCTURE("orphans", LINEAGE_STRUCT_ORPHANS),
	STRUCTURE("cycles", LINEAGE_STRUCT_CYCLES),
	STRUCTURE("topo", LINEAGE_STRUCT_TOPO),
	STRUCTURE("criticalPath", LINEAGE_STRUCT_CRITICAL_PATH),
	/* the audit trail and the change feed */
	{"history", history_fields, NULL, run_changes, R_JSON, SYNC, CHANGES_OF_ASSET},
	{"edgeHistory", edge_history_fields, NULL, run_changes, R_JSON, SYNC, CHANGES_OF_EDGE},
	{"changesSince", changes_since_fields, NULL, run_changes, R_JSON, SYNC, CHANGES_SINCE},
	{"lastSeq", no_fields, NULL, run_last_seq, R_NUMBER, SYNC, 0},
	{"stats", no_fields, NULL, run_stats, R_JSON, SYNC, 0},
	/* transactions, batches, the actor, edge and asset kinds */
	{"begin", label_field, NULL, run_begin, R_NONE, SYNC, 0},
	{"commit", no_fields, NULL, run_end_transaction, R_NONE, SYNC, 1},
	{"rollback", no_fields, NULL, run_end_transaction, R_NONE, SYNC, 0},
	{"revertBatch", batch_field, NULL, run_revert_batch, R_NONE, SYNC, 0},
	{"setActor", actor_field, NULL, run_set_actor, R_NONE, SYNC, 0},
	{"defineEdgeKind", edge_kind_fields, init_edge_kind, run_define_edge_kind, R_NONE, SYNC,
	 0},
	{"defineAssetKind", kind_field, NULL, run_define_asset_kind, R_NONE, SYNC, 0},
	{"assetKinds", no_fields, NULL, run_asset_kinds, R_JSON, SYNC, 0},
	/* saved views */
	{"saveView", save_view_fields, NULL, run_save_view, R_NONE, SYNC, 0},
	{"getView", key_field, NULL, run_get_view, R_JSON, SYNC, 0},
	{"views", views_fields, NULL, run_views, R_JSON, SYNC, 0},
	{"renameView", rename_view_fields, NULL, run_rename_view, R_NONE, SYNC, 0},
	{"deleteView", key_field, NULL, run_delete_view, R_NONE, SYNC, 0},
	/* on a worker: promises */
	{"downstreamAsync", traverse_async_fields, NULL, run_traverse, R_TRAVERSAL, M_ASYNC,
	 LINEAGE_DOWNSTREAM},
	{"upstreamAsync", traverse_async_fields, NULL, run_traverse, R_TRAVERSAL, M_ASYNC,
	 LINEAGE_UPSTREAM},
	{"backup", backup_fields, NULL, run_backup, R_PATH, M_ASYNC, 0},
	{"importFile", import_fields, init_import, run_import, R_JSON, M_ASYNC, 0},
	{"scan", scan_fields, init_scan, run_scan, R_JSON, M_ASYNC, 0},
	{"export", export_fields, init_export, run_export, R_EXPORT, M_ASYNC, 0},
	/* functions of the module */
	{"analyzeSql", analyze_sql_fields, init_sql, run_analyze_sql, R_JSON, M_MODULE, 0},
};

const size_t addon_method_count = sizeof addon_methods / sizeof addon_methods[0];
