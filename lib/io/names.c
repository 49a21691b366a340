/* Names of formats and record types, and the import options' defaults. */
#include <stddef.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "lineage/import.h"

static const char *const format_names[] = {"auto",    "csv",       "json", "jsonl",
					   "graphml", "cytoscape", "dot",  "openlineage",
					   "xlsx",    "yaml",      "datahub"};
static const char *const type_names[] = {"auto", "assets", "lineage", "both"};

const char *lineage_format_name(lineage_format format)
{
	return (unsigned)format < sizeof format_names / sizeof format_names[0] ? format_names[format]
									      : "unknown";
}

int lineage_format_parse(lineage_format *out, const char *name)
{
	for (size_t i = 0; name && i < sizeof format_names / sizeof format_names[0]; i++) {
		if (!lin_strcasecmp(name, format_names[i])) {
			*out = (lineage_format)i;
			return 0;
		}
	}
	if (name && (!lin_strcasecmp(name, "ndjson") || !lin_strcasecmp(name, "jsonlines"))) {
		*out = LINEAGE_FORMAT_JSONL;
		return 0;
	}
	if (name && !lin_strcasecmp(name, "yml")) {
		*out = LINEAGE_FORMAT_YAML;
		return 0;
	}
	return lin_error_set(LINEAGE_EINVALID, "unknown format \"%.100s\": use csv, json, jsonl, "
			     "graphml, xlsx, yaml, cytoscape, dot, openlineage or datahub", name ? name : "(null)");
}

const char *lineage_record_type_name(lineage_record_type type)
{
	return (unsigned)type < sizeof type_names / sizeof type_names[0] ? type_names[type]
									  : "unknown";
}

int lineage_record_type_parse(lineage_record_type *out, const char *name)
{
	for (size_t i = 0; name && i < sizeof type_names / sizeof type_names[0]; i++) {
		if (!lin_strcasecmp(name, type_names[i])) {
			*out = (lineage_record_type)i;
			return 0;
		}
	}
	if (name && (!lin_strcasecmp(name, "asset") || !lin_strcasecmp(name, "edges"))) {
		*out = name[0] == 'a' || name[0] == 'A' ? LINEAGE_RECORDS_ASSETS : LINEAGE_RECORDS_LINEAGE;
		return 0;
	}
	return lin_error_set(LINEAGE_EINVALID, "unknown record type \"%.100s\": use assets or lineage",
			     name ? name : "(null)");
}

int lineage_import_options_init(lineage_import_options *opts, unsigned int version)
{
	if (!opts)
		return lin_error_set(LINEAGE_EINVALID, "no options given");
	if (version < 1 || version > LINEAGE_IMPORT_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "unknown import options version %u: this "
				     "liblineage knows versions 1 to %d; rebuild against its headers",
				     version, LINEAGE_IMPORT_OPTIONS_VERSION);
	/* A version 1 struct ends before `sheet`. */
	memset(opts, 0, version == 1 ? offsetof(lineage_import_options, sheet) : sizeof *opts);
	opts->version = version;
	opts->max_errors = 1000;
	opts->max_items = 1000;
	opts->max_field_bytes = 16u << 20;
	opts->max_record_bytes = 64u << 20;
	return 0;
}
