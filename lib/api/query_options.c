/* Options and names of the query API (no engine needed). */
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "lineage/query.h"

int lineage_query_options_init(lineage_query_options *opts, unsigned int version)
{
	if (!opts)
		return lin_error_set(LINEAGE_EINVALID, "lineage_query_options_init needs an options struct");
	if (version != LINEAGE_QUERY_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "query options version %u is not supported (this library knows %d): rebuild against this library's headers", version, LINEAGE_QUERY_OPTIONS_VERSION);
	memset(opts, 0, sizeof *opts);
	opts->version = version;
	opts->min_source = LINEAGE_SOURCE_ANY;
	opts->columns = LINEAGE_COLUMNS_INCLUDE;
	return 0;
}

int lineage_path_options_init(lineage_path_options *opts, unsigned int version)
{
	int rc;
	if (!opts)
		return lin_error_set(LINEAGE_EINVALID, "lineage_path_options_init needs an options struct");
	if (version != LINEAGE_PATH_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "path options version %u is not supported (this library knows %d): rebuild against this library's headers", version, LINEAGE_PATH_OPTIONS_VERSION);
	memset(opts, 0, sizeof *opts);
	opts->version = version;
	opts->all = 0;
	opts->max_paths = 100;
	opts->max_length = 10;
	rc = lineage_query_options_init(&opts->filter, LINEAGE_QUERY_OPTIONS_VERSION);
	return rc;
}

static const char *const change_names[] = {NULL, "drop", "rename", "type_change", "modify", "add"};

const char *lineage_change_type_name(lineage_change_type type)
{
	if ((int)type >= LINEAGE_CHANGE_DROP && (int)type <= LINEAGE_CHANGE_ADD)
		return change_names[type];
	return "unknown";
}

int lineage_change_type_parse(lineage_change_type *out, const char *name)
{
	if (!out || !name)
		return lin_error_set(LINEAGE_EINVALID, "a change type is missing: use drop, rename, type_change, modify or add");
	for (int t = LINEAGE_CHANGE_DROP; t <= LINEAGE_CHANGE_ADD; t++) {
		if (lin_strcasecmp(name, change_names[t]) == 0) {
			*out = (lineage_change_type)t;
			return 0;
		}
	}
	if (lin_strcasecmp(name, "type-change") == 0 || lin_strcasecmp(name, "typechange") == 0) {
		*out = LINEAGE_CHANGE_TYPE_CHANGE;
		return 0;
	}
	return lin_error_set(LINEAGE_EINVALID, "unknown change type \"%.100s\": use drop, rename, type_change, modify or add", name);
}
