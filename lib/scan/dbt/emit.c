/* The dbt scanner: from a parsed manifest (and catalog) to assets and inferred edges. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "scan/scan_internal.h"
#include "dbt_internal.h"

/* Confidence of a dependency declared in the manifest: dbt resolved it, but a ref() can be
 * conditional or unused, so it is strong evidence rather than certainty. */
#define DEP_CONFIDENCE 0.95

static const struct { const char *adapter, *dialect; } dialects[] = {
	{"snowflake", "snowflake"}, {"bigquery", "bigquery"},   {"postgres", "postgres"},
	{"redshift", "redshift"},   {"spark", "sparksql"},      {"databricks", "databricks"},
	{"duckdb", "duckdb"},       {"trino", "trino"},         {"athena", "athena"},
	{"sqlserver", "tsql"},      {"synapse", "tsql"},        {"fabric", "tsql"},
	{"oracle", "oracle"},       {"mysql", "mysql"},         {"mariadb", "mariadb"},
	{"teradata", "teradata"},   {"hive", "hive"},           {"presto", "trino"},
};

const char *lin_dbt_dialect(const char *adapter)
{
	for (size_t i = 0; adapter && i < sizeof dialects / sizeof dialects[0]; i++)
		if (!lin_strcasecmp(adapter, dialects[i].adapter))
			return dialects[i].dialect;
	return "ansi";
}

int lin_dbt_project_init(lin_dbt_project *p, lineage_scan_sink *sink, const char *manifest_path,
			 json_t *manifest, json_t *catalog)
{
	json_t *meta = json_object_get(manifest, "metadata");
	memset(p, 0, sizeof *p);
	p->sink = sink;
	p->manifest_path = manifest_path;
	p->manifest = manifest;
	p->catalog = catalog;
	p->project = lin_scan_str(meta, "project_name");
	p->adapter = lin_scan_str(meta, "adapter_type");
	p->keys = json_object();
	p->containers = json_object();
	if (!p->keys || !p->containers)
		return lin_error_oom();
	if (!p->project) {
		/* Older manifests have no project name: take the package of the first model. */
		const char *uid;
		json_t *node;
		json_object_foreach(json_object_get(manifest, "nodes"), uid, node) {
			if ((p->project = lin_scan_str(node, "package_name")) != NULL)
				break;
		}
	}
	if (!p->project)
		p->project = "dbt";
	return 0;
}

void lin_dbt_project_free(lin_dbt_project *p)
{
	json_decref(p->keys);
	json_decref(p->containers);
}

/* Lower-case ASCII letters and strip identifier quotes, so that keys match what the SQL
 * scanner reports for unquoted names. */
static void append_ident(lin_strbuf *sb, const char *part)
{
	for (const char *c = part; *c; c++) {
		if (*c == '"' || *c == '`' || *c == '[' || *c == ']')
			continue;
		lin_strbuf_putc(sb, (char)tolower((unsigned char)*c));
	}
}

static char *relation_key(const char *database, const char *schema, const char *name)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	if (database && *database) {
		append_ident(&sb, database);
		lin_strbuf_putc(&sb, '.');
	}
	if (schema && *schema) {
		append_ident(&sb, schema);
		lin_strbuf_putc(&sb, '.');
	}
	append_ident(&sb, name);
	return lin_strbuf_detach(&sb);
}

static int emit_simple(lin_dbt_project *p, const char *key, const char *kind, const char *name,
		       const char *parent)
{
	lineage_asset_spec spec;
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = key;
	spec.kind = kind;
	spec.name = name;
	spec.parent_key = parent;
	return lineage_scan_sink_asset(p->sink, &spec);
}

/* The database and schema assets that contain a relation, once each. Returns the schema's
 * key (a new string) or NULL when the relation has no schema. */
static char *emit_containers(lin_dbt_project *p, const char *database, const char *schema)
{
	char *db_key = NULL, *schema_key = NULL;
	if (database && *database) {
		db_key = relation_key(NULL, NULL, database);
		if (db_key && !json_object_get(p->containers, db_key)) {
			json_object_set_new(p->containers, db_key, json_true());
			emit_simple(p, db_key, "database", database, NULL);
		}
	}
	if (schema && *schema) {
		schema_key = relation_key(database, NULL, schema);
		if (schema_key && !json_object_get(p->containers, schema_key)) {
			json_object_set_new(p->containers, schema_key, json_true());
			emit_simple(p, schema_key, "schema", schema, db_key);
		}
	}
	free(db_key);
	return schema_key;
}

static const char *node_kind(const char *resource_type, const char *materialized)
{
	if (!strcmp(resource_type, "model")) {
		if (materialized && !strcmp(materialized, "view"))
			return "view";
		if (materialized && !strcmp(materialized, "ephemeral"))
			return "model";
		if (materialized && !strcmp(materialized, "materialized_view"))
			return "view";
	}
	return "table";
}

static const char *owner_of(json_t *node)
{
	const char *o = lin_scan_str(json_object_get(node, "meta"), "owner");
	if (!o)
		o = lin_scan_str(json_object_get(json_object_get(node, "config"), "meta"), "owner");
	return o;
}

static int emit_tags(lineage_asset_spec *spec, json_t *node, const char **buf, size_t cap)
{
	json_t *tags = json_object_get(node, "tags"), *t;
	size_t i, n = 0;
	json_array_foreach(tags, i, t) {
		if (json_is_string(t) && n < cap)
			buf[n++] = json_string_value(t);
	}
	spec->tags = buf;
	spec->tag_count = n;
	spec->tags_set = n > 0;
	return 0;
}

/* One relation (model, seed, snapshot, source): its asset and its containers. */
static int emit_relation(lin_dbt_project *p, const char *uid, json_t *node)
{
	const char *rtype = lin_scan_str(node, "resource_type");
	const char *database = lin_scan_str(node, "database");
	const char *schema = lin_scan_str(node, "schema");
	const char *name = lin_scan_str(node, "identifier");
	json_t *config = json_object_get(node, "config");
	const char *materialized = lin_scan_str(config, "materialized");
	const char *tags[64];
	lineage_asset_spec spec;
	json_t *props;
	char *key, *schema_key, *props_text;
	int rc;
	if (!name)
		name = lin_scan_str(node, "alias");
	if (!name)
		name = lin_scan_str(node, "name");
	if (!rtype || !name)
		return 0;
	key = relation_key(database, schema, name);
	schema_key = emit_containers(p, database, schema);
	props = json_pack("{s:{s:s, s:s, s:s?, s:s?, s:s?}}", "dbt", "unique_id", uid,
			  "resource_type", rtype, "materialized", materialized, "package",
			  lin_scan_str(node, "package_name"), "path",
			  lin_scan_str(node, "original_file_path"));
	props_text = props ? json_dumps(props, JSON_COMPACT) : NULL;
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = key;
	spec.kind = node_kind(rtype, materialized);
	spec.name = lin_scan_str(node, "name");
	spec.parent_key = schema_key;
	spec.description = lin_scan_str(node, "description");
	if (spec.description && !*spec.description)
		spec.description = NULL;
	spec.owner = owner_of(node);
	spec.properties_json = props_text;
	emit_tags(&spec, node, tags, 64);
	rc = lineage_scan_sink_asset(p->sink, &spec);
	if (rc == 0 || rc == LINEAGE_EINVALID || rc == LINEAGE_ECONFLICT)
		rc = json_object_set_new(p->keys, uid, json_string(key)) ? lin_error_oom() : 0;
	free(props_text);
	json_decref(props);
	free(key);
	free(schema_key);
	return rc;
}

/* Columns of a relation: the catalog's (with types) and the manifest's (with descriptions). */
static int emit_columns(lin_dbt_project *p, const char *uid, json_t *node)
{
	const char *table_key = lin_scan_str(p->keys, uid);
	json_t *cat_node, *cat_cols, *man_cols, *col;
	const char *cname;
	int rc = 0;
	if (!table_key)
		return 0;
	cat_node = json_object_get(json_object_get(p->catalog, "nodes"), uid);
	if (!cat_node)
		cat_node = json_object_get(json_object_get(p->catalog, "sources"), uid);
	cat_cols = json_object_get(cat_node, "columns");
	man_cols = json_object_get(node, "columns");
	for (int pass = 0; pass < 2 && !rc; pass++) {
		json_t *cols = pass ? man_cols : cat_cols;
		json_object_foreach(cols, cname, col) {
			const char *name = lin_scan_str(col, "name");
			const char *type = lin_scan_str(col, "type");
			const char *desc = lin_scan_str(col, "description");
			lineage_asset_spec spec;
			char *key, *props_text = NULL;
			if (!name)
				name = cname;
			if (!type)
				type = lin_scan_str(col, "data_type");
			/* The manifest repeats catalog columns: only fill in what it adds. */
			if (pass && json_object_get(cat_cols, cname) && !(desc && *desc))
				continue;
			key = relation_key(table_key, NULL, name);
			if (!key)
				return LINEAGE_ENOMEM;
			if (type) {
				json_t *props = json_pack("{s:s}", "data_type", type);
				props_text = props ? json_dumps(props, JSON_COMPACT) : NULL;
				json_decref(props);
			}
			lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
			spec.key = key;
			spec.kind = "column";
			spec.name = name;
			spec.parent_key = table_key;
			spec.description = desc && *desc ? desc : NULL;
			spec.properties_json = props_text;
			rc = lin_scan_go_on(lineage_scan_sink_asset(p->sink, &spec));
			free(props_text);
			free(key);
		}
	}
	return rc;
}

static const char *code_of(json_t *node)
{
	const char *code = lin_scan_str(node, "compiled_code");
	return code ? code : lin_scan_str(node, "compiled_sql");
}

/* The job that builds a model or snapshot, and the edges from each dependency. */
static int emit_dependencies(lin_dbt_project *p, const char *uid, json_t *node)
{
	const char *target = lin_scan_str(p->keys, uid);
	const char *rtype = lin_scan_str(node, "resource_type");
	json_t *deps = json_object_get(json_object_get(node, "depends_on"), "nodes"), *dep;
	lin_strbuf job = LIN_STRBUF_INIT, project_key = LIN_STRBUF_INIT;
	char *evidence = NULL;
	size_t i;
	int rc = 0;
	if (!target || !json_array_size(deps))
		return 0;
	lin_strbuf_printf(&project_key, "dbt:%s", p->project);
	lin_strbuf_printf(&job, "dbt:%s.%s", p->project, lin_scan_str(node, "name") ? lin_scan_str(node, "name") : uid);
	if (!project_key.data || !job.data) {
		rc = LINEAGE_ENOMEM;
		goto done;
	}
	if (!json_object_get(p->containers, project_key.data)) {
		json_object_set_new(p->containers, project_key.data, json_true());
		emit_simple(p, project_key.data, "project", p->project, NULL);
	}
	{
		lineage_asset_spec spec;
		json_t *props = json_pack("{s:{s:s, s:s?}}", "dbt", "unique_id", uid, "path",
					  lin_scan_str(node, "original_file_path"));
		char *props_text = props ? json_dumps(props, JSON_COMPACT) : NULL;
		lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
		spec.key = job.data;
		spec.kind = "job";
		spec.name = lin_scan_str(node, "name");
		spec.parent_key = project_key.data;
		spec.properties_json = props_text;
		lineage_scan_sink_asset(p->sink, &spec);
		free(props_text);
		json_decref(props);
	}
	{
		json_t *ev = json_pack("{s:s, s:s, s:s?}", "file", p->manifest_path, "node", uid,
				       "path", lin_scan_str(node, "original_file_path"));
		evidence = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
		json_decref(ev);
	}
	json_array_foreach(deps, i, dep) {
		const char *source = json_is_string(dep) ? lin_scan_str(p->keys, json_string_value(dep)) : NULL;
		lineage_edge_spec spec;
		if (!source || !strcmp(source, target))
			continue;
		lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
		spec.source_key = source;
		spec.target_key = target;
		spec.job_key = job.data;
		spec.confidence = DEP_CONFIDENCE;
		spec.transformation_type = rtype && !strcmp(rtype, "snapshot") ? "dbt_snapshot" : "dbt_model";
		spec.evidence_json = evidence;
		rc = lin_scan_go_on(lineage_scan_sink_edge(p->sink, &spec));
		if (rc)
			break;
	}
done:
	free(evidence);
	lin_strbuf_free(&job);
	lin_strbuf_free(&project_key);
	return rc;
}

static const char *exposure_kind(const char *type)
{
	if (!type)
		return "report";
	if (!strcmp(type, "dashboard") || !strcmp(type, "notebook") || !strcmp(type, "application"))
		return type;
	if (!strcmp(type, "ml"))
		return "model";
	return "report";
}

static int emit_exposure(lin_dbt_project *p, const char *uid, json_t *exp)
{
	const char *name = lin_scan_str(exp, "name");
	json_t *owner = json_object_get(exp, "owner");
	json_t *deps = json_object_get(json_object_get(exp, "depends_on"), "nodes"), *dep;
	lin_strbuf key = LIN_STRBUF_INIT;
	lineage_asset_spec spec;
	size_t i;
	int rc;
	if (!name)
		return 0;
	if (lin_strbuf_printf(&key, "dbt:%s.exposures.%s", p->project, name))
		return LINEAGE_ENOMEM;
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = key.data;
	spec.kind = exposure_kind(lin_scan_str(exp, "type"));
	spec.name = lin_scan_str(exp, "label") ? lin_scan_str(exp, "label") : name;
	spec.description = lin_scan_str(exp, "description");
	if (spec.description && !*spec.description)
		spec.description = NULL;
	spec.owner = lin_scan_str(owner, "email") ? lin_scan_str(owner, "email") : lin_scan_str(owner, "name");
	rc = lineage_scan_sink_asset(p->sink, &spec);
	json_array_foreach(deps, i, dep) {
		const char *source = json_is_string(dep) ? lin_scan_str(p->keys, json_string_value(dep)) : NULL;
		lineage_edge_spec e;
		if (!source || rc)
			continue;
		lineage_edge_spec_init(&e, LINEAGE_EDGE_SPEC_VERSION);
		e.source_key = source;
		e.target_key = key.data;
		e.confidence = DEP_CONFIDENCE;
		e.transformation_type = "dbt_exposure";
		rc = lin_scan_go_on(lineage_scan_sink_edge(p->sink, &e));
	}
	(void)uid;
	lin_strbuf_free(&key);
	return rc == LINEAGE_EINVALID || rc == LINEAGE_ECONFLICT ? 0 : rc;
}

static int is_relation(const char *rtype)
{
	return rtype && (!strcmp(rtype, "model") || !strcmp(rtype, "seed") ||
			 !strcmp(rtype, "snapshot") || !strcmp(rtype, "source"));
}

int lin_dbt_emit(lin_dbt_project *p)
{
	json_t *nodes = json_object_get(p->manifest, "nodes");
	json_t *sources = json_object_get(p->manifest, "sources");
	json_t *exposures = json_object_get(p->manifest, "exposures");
	const char *uid;
	json_t *node;
	size_t count = 0;
	int rc = 0;
	/* Relations first, so that every dependency has a key when edges are emitted. */
	json_object_foreach(sources, uid, node) {
		if (!rc && is_relation(lin_scan_str(node, "resource_type")))
			rc = emit_relation(p, uid, node);
	}
	json_object_foreach(nodes, uid, node) {
		if (!rc && is_relation(lin_scan_str(node, "resource_type")))
			rc = emit_relation(p, uid, node);
	}
	json_object_foreach(sources, uid, node) {
		if (!rc && json_object_get(p->keys, uid))
			rc = emit_columns(p, uid, node);
	}
	/* Every relation's columns before any column lineage, which expands SELECT * with them.
	 * A node that is no relation itself gets nothing from a source of the same id. */
	json_object_foreach(nodes, uid, node) {
		if (!rc && is_relation(lin_scan_str(node, "resource_type")) && json_object_get(p->keys, uid))
			rc = emit_columns(p, uid, node);
	}
	json_object_foreach(nodes, uid, node) {
		if (rc || !is_relation(lin_scan_str(node, "resource_type")) || !json_object_get(p->keys, uid))
			continue;
		count++;
		rc = emit_dependencies(p, uid, node);
		if (!rc && code_of(node))
			rc = lin_dbt_column_lineage(p, uid, node, code_of(node));
	}
	json_object_foreach(exposures, uid, node) {
		if (!rc)
			rc = emit_exposure(p, uid, node);
	}
	lineage_scan_sink_count(p->sink, count);
	return rc;
}
