/*
 * Declarations of the public C API for cffi's cdef(): plain C, copied from
 * include/lineage/*.h without comments, macros or the LINEAGE_EXTERN marker.
 * Structs end with "...;" so that the C compiler, not this file, decides their
 * layout (the library may append fields). tests/test_cdef.py keeps this file in step
 * with the headers: every bound function must have the header's signature, and every
 * public function is bound here or named in that test's skip list.
 */

/* common.h */
typedef struct lineage_db lineage_db;
typedef enum lineage_source {
	LINEAGE_SOURCE_ANY = 0,
	LINEAGE_SOURCE_INFERRED = 1,
	LINEAGE_SOURCE_MANUAL = 2,
	LINEAGE_SOURCE_APPROVED = 3
} lineage_source;
typedef enum lineage_edge_status {
	LINEAGE_EDGE_ACTIVE = 0,
	LINEAGE_EDGE_REJECTED = 1,
	LINEAGE_EDGE_RETIRED = 2
} lineage_edge_status;
typedef enum lineage_outcome {
	LINEAGE_CREATED = 1,
	LINEAGE_UPDATED = 2,
	LINEAGE_UNCHANGED = 3
} lineage_outcome;
typedef int (*lineage_progress_cb)(const char *stage, uint64_t done, uint64_t total,
				   void *payload);
void lineage_free(void *ptr);
const char *lineage_source_name(lineage_source source);
int lineage_source_parse(lineage_source *out, const char *name);
const char *lineage_edge_status_name(lineage_edge_status status);
const char *lineage_outcome_name(lineage_outcome outcome);

/* version.h */
const char *lineage_version(void);
void lineage_version_numbers(int *major, int *minor, int *patch);

/* errors.h */
typedef enum lineage_error_code {
	LINEAGE_OK = 0,
	LINEAGE_ERROR = -1,
	LINEAGE_ENOTFOUND = -3,
	LINEAGE_EEXISTS = -4,
	LINEAGE_EINVALID = -5,
	LINEAGE_ECONFLICT = -6,
	LINEAGE_EVERSION = -7,
	LINEAGE_ENOTDB = -8,
	LINEAGE_EREADONLY = -9,
	LINEAGE_EFULL = -10,
	LINEAGE_ENOMEM = -11,
	LINEAGE_EBUSY = -12,
	LINEAGE_ECANCELLED = -13,
	LINEAGE_EPARSE = -14,
	LINEAGE_EIO = -15,
	LINEAGE_ECYCLE = -16,
	LINEAGE_ELIMIT = -17,
	LINEAGE_EUSAGE = -18,
	LINEAGE_ITEROVER = -31
} lineage_error_code;
typedef struct lineage_error {
	int code;
	const char *message;
	...;
} lineage_error;
const lineage_error *lineage_error_last(void);
void lineage_error_clear(void);
const char *lineage_error_code_name(int code);

/* db.h */
#define LINEAGE_OPEN_OPTIONS_VERSION ...
#define LINEAGE_OPEN_READONLY ...
#define LINEAGE_OPEN_NOCREATE ...
typedef struct lineage_open_options {
	unsigned int version;
	unsigned int flags;
	int busy_timeout_ms;
	int64_t cache_size_kib;
	const char *actor;
	...;
} lineage_open_options;
int lineage_open_options_init(lineage_open_options *opts, unsigned int version);
int lineage_db_open(lineage_db **out, const char *path, const lineage_open_options *opts);
void lineage_db_close(lineage_db *db);
const char *lineage_db_path(const lineage_db *db);
int lineage_db_schema_version(const lineage_db *db);
int lineage_db_set_actor(lineage_db *db, const char *actor);
int lineage_db_begin(lineage_db *db, const char *label);
int lineage_db_commit(lineage_db *db);
int lineage_db_rollback(lineage_db *db);
int lineage_db_in_transaction(const lineage_db *db);
int64_t lineage_db_batch_id(const lineage_db *db);
typedef void (*lineage_commit_cb)(lineage_db *db, int64_t first_seq, int64_t last_seq,
				  void *payload);
int lineage_db_on_commit(lineage_db *db, lineage_commit_cb cb, void *payload);
int lineage_db_backup(lineage_db *db, const char *dest_path, lineage_progress_cb progress,
		      void *payload);
int lineage_db_stats_json(char **out, lineage_db *db);
int lineage_edge_kind_define(lineage_db *db, const char *kind, int allows_self_loop,
			     int allows_cycles);
int lineage_edge_kind_rules(lineage_db *db, const char *kind, int *allows_self_loop,
			    int *allows_cycles);

/* asset.h */
#define LINEAGE_KEY_MAX ...
typedef struct lineage_asset {
	int64_t id;
	const char *key;
	const char *kind;
	...;
} lineage_asset;
#define LINEAGE_ASSET_SPEC_VERSION ...
typedef struct lineage_asset_spec {
	unsigned int version;
	const char *key;
	const char *kind;
	const char *name;
	const char *parent_key;
	const char *owner;
	const char *description;
	const char *status;
	const char *const *tags;
	size_t tag_count;
	int tags_set;
	const char *properties_json;
	int create_missing;
	...;
} lineage_asset_spec;
int lineage_asset_spec_init(lineage_asset_spec *spec, unsigned int version);
int lineage_asset_upsert(lineage_outcome *out_outcome, int64_t *out_id, lineage_db *db,
			 const lineage_asset_spec *spec);
int lineage_asset_get(lineage_asset **out, lineage_db *db, const char *key);
int lineage_asset_get_by_id(lineage_asset **out, lineage_db *db, int64_t id);
void lineage_asset_free(lineage_asset *asset);
#define LINEAGE_REMOVE_CASCADE ...
int lineage_asset_remove(lineage_db *db, const char *key, unsigned int flags);
int lineage_asset_to_json(char **out, const lineage_asset *asset);
typedef struct lineage_asset_list lineage_asset_list;
size_t lineage_asset_list_count(const lineage_asset_list *list);
const lineage_asset *lineage_asset_list_get(const lineage_asset_list *list, size_t i);
size_t lineage_asset_list_total(const lineage_asset_list *list);
int lineage_asset_list_to_json(char **out, const lineage_asset_list *list);
void lineage_asset_list_free(lineage_asset_list *list);
#define LINEAGE_SEARCH_OPTIONS_VERSION ...
typedef struct lineage_search_options {
	unsigned int version;
	const char *kind;
	const char *owner;
	const char *tag;
	size_t limit;
	size_t offset;
	...;
} lineage_search_options;
int lineage_search_options_init(lineage_search_options *opts, unsigned int version);
int lineage_asset_search(lineage_asset_list **out, lineage_db *db, const char *text,
			 const lineage_search_options *opts);
int lineage_asset_children(lineage_asset_list **out, lineage_db *db, const char *key);

/* edge.h */
typedef struct lineage_edge {
	int64_t id;
	const char *source_key;
	const char *target_key;
	const char *kind;
	lineage_source lineage_source;
	double confidence;
	lineage_edge_status status;
	...;
} lineage_edge;
#define LINEAGE_EDGE_SPEC_VERSION ...
typedef struct lineage_edge_spec {
	unsigned int version;
	const char *source_key;
	const char *target_key;
	const char *kind;
	const char *job_key;
	lineage_source lineage_source;
	double confidence;
	const char *transformation_type;
	const char *transformation;
	const char *description;
	const char *properties_json;
	const char *evidence_json;
	const char *origin;
	int create_missing;
	const char *source_kind;
	const char *target_kind;
	...;
} lineage_edge_spec;
int lineage_edge_spec_init(lineage_edge_spec *spec, unsigned int version);
int lineage_edge_upsert(lineage_outcome *out_outcome, int64_t *out_id, lineage_db *db,
			const lineage_edge_spec *spec);
int lineage_edge_get(lineage_edge **out, lineage_db *db, int64_t id);
int lineage_edge_find(lineage_edge **out, lineage_db *db, const char *source_key,
		      const char *target_key, const char *kind, const char *job_key);
void lineage_edge_free(lineage_edge *edge);
int lineage_edge_remove(lineage_db *db, int64_t id);
int lineage_edge_approve(lineage_db *db, int64_t id, const char *actor, const char *comment);
int lineage_edge_reject(lineage_db *db, int64_t id, const char *actor, const char *comment);
int lineage_edge_retire_origin(size_t *out_count, lineage_db *db, const char *origin,
			       const int64_t *keep_ids, size_t keep_count);
int lineage_edge_to_json(char **out, const lineage_edge *edge);
typedef struct lineage_edge_list lineage_edge_list;
size_t lineage_edge_list_count(const lineage_edge_list *list);
const lineage_edge *lineage_edge_list_get(const lineage_edge_list *list, size_t i);
int lineage_edge_list_to_json(char **out, const lineage_edge_list *list);
void lineage_edge_list_free(lineage_edge_list *list);
#define LINEAGE_EDGES_IN ...
#define LINEAGE_EDGES_OUT ...
#define LINEAGE_EDGES_ALL_STATUS ...
int lineage_edge_list_for_asset(lineage_edge_list **out, lineage_db *db, const char *key,
				unsigned int flags);
int lineage_edge_list_pending(lineage_edge_list **out, lineage_db *db, size_t limit);

/* audit.h */
typedef struct lineage_change {
	int64_t seq;
	...;
} lineage_change;
typedef struct lineage_change_list lineage_change_list;
size_t lineage_change_list_count(const lineage_change_list *list);
const lineage_change *lineage_change_list_get(const lineage_change_list *list, size_t i);
int lineage_change_list_to_json(char **out, const lineage_change_list *list);
void lineage_change_list_free(lineage_change_list *list);
int lineage_history_asset(lineage_change_list **out, lineage_db *db, const char *key,
			  size_t limit);
int lineage_history_edge(lineage_change_list **out, lineage_db *db, int64_t id, size_t limit);
int lineage_changes_since(lineage_change_list **out, lineage_db *db, int64_t since_seq,
			  size_t limit);
int lineage_changes_last_seq(int64_t *out, lineage_db *db);
int lineage_batch_revert(lineage_db *db, int64_t batch_id);

/* query.h */
typedef enum lineage_direction {
	LINEAGE_UPSTREAM = 1,
	LINEAGE_DOWNSTREAM = 2,
	LINEAGE_BOTH = 3
} lineage_direction;
typedef enum lineage_columns {
	LINEAGE_COLUMNS_INCLUDE = 0,
	LINEAGE_COLUMNS_ROLLUP = 1,
	LINEAGE_COLUMNS_EXCLUDE = 2
} lineage_columns;
#define LINEAGE_QUERY_OPTIONS_VERSION ...
typedef struct lineage_query_options {
	unsigned int version;
	int max_depth;
	lineage_source min_source;
	double min_confidence;
	const char *const *edge_kinds;
	size_t edge_kind_count;
	const char *const *asset_kinds;
	size_t asset_kind_count;
	lineage_columns columns;
	size_t max_nodes;
	...;
} lineage_query_options;
int lineage_query_options_init(lineage_query_options *opts, unsigned int version);
typedef struct lineage_node {
	int64_t asset_id;
	const char *key;
	const char *kind;
	int distance;
	double confidence;
	int group;
	const char *owner;
	...;
} lineage_node;
typedef struct lineage_result_edge {
	int64_t edge_id;
	const char *source_key;
	const char *target_key;
	const char *kind;
	lineage_source lineage_source;
	double confidence;
	...;
} lineage_result_edge;
typedef struct lineage_result lineage_result;
size_t lineage_result_node_count(const lineage_result *result);
const lineage_node *lineage_result_node(const lineage_result *result, size_t i);
size_t lineage_result_edge_count(const lineage_result *result);
const lineage_result_edge *lineage_result_edge_at(const lineage_result *result, size_t i);
int lineage_result_truncated(const lineage_result *result);
const char *lineage_result_root(const lineage_result *result);
void lineage_result_free(lineage_result *result);
typedef enum lineage_json_format {
	LINEAGE_JSON_PLAIN = 0,
	LINEAGE_JSON_CYTOSCAPE = 1
} lineage_json_format;
int lineage_result_to_json(char **out, const lineage_result *result, lineage_json_format format);
int lineage_query_traverse(lineage_result **out, lineage_db *db, const char *key,
			   lineage_direction direction, const lineage_query_options *opts);
int lineage_query_upstream(lineage_result **out, lineage_db *db, const char *key,
			   const lineage_query_options *opts);
int lineage_query_downstream(lineage_result **out, lineage_db *db, const char *key,
			     const lineage_query_options *opts);
#define LINEAGE_PATH_OPTIONS_VERSION ...
typedef struct lineage_path_options {
	unsigned int version;
	int all;
	size_t max_paths;
	int max_length;
	lineage_query_options filter;
	...;
} lineage_path_options;
int lineage_path_options_init(lineage_path_options *opts, unsigned int version);
int lineage_query_paths(lineage_result **out, lineage_db *db, const char *from_key,
			const char *to_key, const lineage_path_options *opts);
size_t lineage_result_group_count(const lineage_result *result);
typedef enum lineage_change_type {
	LINEAGE_CHANGE_DROP = 1,
	LINEAGE_CHANGE_RENAME = 2,
	LINEAGE_CHANGE_TYPE_CHANGE = 3,
	LINEAGE_CHANGE_MODIFY = 4,
	LINEAGE_CHANGE_ADD = 5
} lineage_change_type;
const char *lineage_change_type_name(lineage_change_type type);
int lineage_change_type_parse(lineage_change_type *out, const char *name);
#define LINEAGE_SEVERITY_BREAKING ...
#define LINEAGE_SEVERITY_AFFECTED ...
#define LINEAGE_SEVERITY_INFO ...
int lineage_query_impact(lineage_result **out, lineage_db *db, const char *key,
			 lineage_change_type change, const lineage_query_options *opts);
typedef enum lineage_structure {
	LINEAGE_STRUCT_CHILDREN = 1,
	LINEAGE_STRUCT_SUBTREE = 2,
	LINEAGE_STRUCT_ROOTS = 3,
	LINEAGE_STRUCT_LEAVES = 4,
	LINEAGE_STRUCT_ORPHANS = 5,
	LINEAGE_STRUCT_CYCLES = 6,
	LINEAGE_STRUCT_TOPO = 7,
	LINEAGE_STRUCT_CRITICAL_PATH = 8
} lineage_structure;
int lineage_query_structure(lineage_result **out, lineage_db *db, lineage_structure what,
			    const char *key, const lineage_query_options *opts);
typedef enum lineage_layout {
	LINEAGE_LAYOUT_LAYERED = 1,
	LINEAGE_LAYOUT_FORCE = 2,
	LINEAGE_LAYOUT_GRID = 3,
	LINEAGE_LAYOUT_CIRCLE = 4
} lineage_layout;
int lineage_result_layout(lineage_result *result, lineage_layout layout);
int lineage_result_position(double *x, double *y, const lineage_result *result, size_t i);

/* import.h (lineage_import_file is not bound: a C FILE* has no Python equivalent;
   import_file() takes a path, import_data() bytes) */
typedef enum lineage_format {
	LINEAGE_FORMAT_AUTO = 0,
	LINEAGE_FORMAT_CSV = 1,
	LINEAGE_FORMAT_JSON = 2,
	LINEAGE_FORMAT_JSONL = 3,
	LINEAGE_FORMAT_GRAPHML = 4,
	LINEAGE_FORMAT_CYTOSCAPE = 5,
	LINEAGE_FORMAT_DOT = 6
} lineage_format;
const char *lineage_format_name(lineage_format format);
int lineage_format_parse(lineage_format *out, const char *name);
typedef enum lineage_record_type {
	LINEAGE_RECORDS_AUTO = 0,
	LINEAGE_RECORDS_ASSETS = 1,
	LINEAGE_RECORDS_LINEAGE = 2,
	LINEAGE_RECORDS_BOTH = 3
} lineage_record_type;
const char *lineage_record_type_name(lineage_record_type type);
int lineage_record_type_parse(lineage_record_type *out, const char *name);
typedef enum lineage_import_mode {
	LINEAGE_IMPORT_ATOMIC = 0,
	LINEAGE_IMPORT_SKIP_ERRORS = 1
} lineage_import_mode;
#define LINEAGE_IMPORT_OPTIONS_VERSION ...
typedef struct lineage_import_options {
	unsigned int version;
	lineage_format format;
	lineage_record_type type;
	lineage_import_mode mode;
	int dry_run;
	int create_missing;
	const char *rejects_path;
	const char *replace_scope;
	const char *label;
	size_t max_errors;
	size_t max_items;
	size_t max_field_bytes;
	size_t max_record_bytes;
	lineage_progress_cb progress;
	void *payload;
	...;
} lineage_import_options;
int lineage_import_options_init(lineage_import_options *opts, unsigned int version);
typedef struct lineage_import_report lineage_import_report;
typedef struct lineage_import_issue {
	uint64_t row;
	const char *column;
	const char *value;
	const char *message;
	...;
} lineage_import_issue;
typedef struct lineage_import_summary {
	uint64_t rows;
	int committed;
	int dry_run;
	int64_t batch_id;
	...;
} lineage_import_summary;
typedef struct lineage_import_item {
	const char *action;
	const char *entity;
	const char *key;
	...;
} lineage_import_item;
const lineage_import_summary *lineage_import_report_summary(const lineage_import_report *report);
size_t lineage_import_report_error_count(const lineage_import_report *report);
const lineage_import_issue *lineage_import_report_error(const lineage_import_report *report,
							size_t i);
size_t lineage_import_report_warning_count(const lineage_import_report *report);
const lineage_import_issue *lineage_import_report_warning(const lineage_import_report *report,
							  size_t i);
size_t lineage_import_report_item_count(const lineage_import_report *report);
const lineage_import_item *lineage_import_report_item(const lineage_import_report *report,
						      size_t i);
int lineage_import_report_to_json(char **out, const lineage_import_report *report);
void lineage_import_report_free(lineage_import_report *report);
int lineage_import_path(lineage_import_report **out, lineage_db *db, const char *path,
			const lineage_import_options *opts);
int lineage_import_buffer(lineage_import_report **out, lineage_db *db, const void *data,
			  size_t len, const lineage_import_options *opts);

/* scan.h: the SQL analysis, read through its JSON (see SKIPPED in tests/test_cdef.py) */
typedef int (*lineage_sql_columns_cb)(const char *table, const char ***out, size_t *n,
				      void *payload);
#define LINEAGE_SQL_OPTIONS_VERSION ...
typedef struct lineage_sql_options {
	unsigned int version;
	const char *dialect;
	const char *default_database;
	const char *default_schema;
	const char *schema_json;
	lineage_sql_columns_cb columns;
	void *columns_payload;
	const char *file;
	size_t max_statement_size;
	unsigned int max_depth;
	...;
} lineage_sql_options;
int lineage_sql_options_init(lineage_sql_options *opts, unsigned int version);
const char *const *lineage_sql_dialects(void);
typedef struct lineage_sql_result lineage_sql_result;
int lineage_sql_analyze(lineage_sql_result **out, const char *sql, size_t len,
			const lineage_sql_options *opts);
void lineage_sql_result_free(lineage_sql_result *result);
size_t lineage_sql_result_statement_count(const lineage_sql_result *result);
int lineage_sql_result_to_json(char **out, const lineage_sql_result *result, int pretty);

/* scanner.h: scan runs (writing scanners in Python is not offered, see SKIPPED) */
typedef enum lineage_diag_severity {
	LINEAGE_DIAG_NOTE = 0,
	LINEAGE_DIAG_WARNING = 1,
	LINEAGE_DIAG_ERROR = 2
} lineage_diag_severity;
int lineage_scanner_list_json(char **out);
#define LINEAGE_SCAN_OPTIONS_VERSION ...
typedef struct lineage_scan_options {
	unsigned int version;
	const char *type;
	const char *dialect;
	const char *default_database;
	const char *default_schema;
	int dry_run;
	size_t max_file_bytes;
	lineage_progress_cb progress;
	void *progress_payload;
	...;
} lineage_scan_options;
int lineage_scan_options_init(lineage_scan_options *opts, unsigned int version);
typedef struct lineage_scan_report lineage_scan_report;
int lineage_scan_run(lineage_scan_report **out, lineage_db *db, const char *const *paths,
		     size_t path_count, const lineage_scan_options *opts);
int lineage_scan_report_to_json(char **out, const lineage_scan_report *report);
size_t lineage_scan_report_diagnostic_count(const lineage_scan_report *report,
					    lineage_diag_severity severity);
void lineage_scan_report_free(lineage_scan_report *report);

/* scanner.h, later additions */
int lineage_scan_sql_json(char **out, lineage_db *db, const char *sql, size_t len,
			  const char *file, const lineage_scan_options *opts);
int lineage_scan_run_buffer(lineage_scan_report **out, lineage_db *db, const char *name,
			    const void *data, size_t len, const lineage_scan_options *opts);

/* collect.h: collectors of live databases */
#define LINEAGE_COLLECT_OPTIONS_VERSION ...
typedef struct lineage_collect_options {
	unsigned int version;
	const char *name;
	const char *type;
	const char *const *schemas;
	size_t schema_count;
	int queries;
	int dry_run;
	unsigned int connect_timeout_s;
	lineage_progress_cb progress;
	void *progress_payload;
	...;
} lineage_collect_options;
int lineage_collect_options_init(lineage_collect_options *opts, unsigned int version);
int lineage_collect(lineage_scan_report **out, lineage_db *db, const char *uri,
		    const lineage_collect_options *opts);
int lineage_collect_uri_mask(char **out, const char *uri);

/* export.h */
#define LINEAGE_EXPORT_OPTIONS_VERSION ...
typedef struct lineage_export_options {
	unsigned int version;
	lineage_format format;
	lineage_record_type type;
	lineage_layout layout;
	lineage_progress_cb progress;
	void *payload;
	...;
} lineage_export_options;
int lineage_export_options_init(lineage_export_options *opts, unsigned int version);
int lineage_export_path(lineage_db *db, const lineage_result *result, const char *path,
			const lineage_export_options *opts);
int lineage_export_buffer(char **out, size_t *out_len, lineage_db *db,
			  const lineage_result *result, const lineage_export_options *opts);

/* Callbacks implemented in Python (lineage/_callbacks.py). */
extern "Python" int _lineage_progress_trampoline(const char *stage, uint64_t done,
						 uint64_t total, void *payload);
extern "Python" void _lineage_commit_trampoline(lineage_db *db, int64_t first_seq,
						int64_t last_seq, void *payload);
