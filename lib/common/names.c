/* Names of the public enums, and the version. */
#include <stdlib.h>

#include "error.h"
#include "util.h"
#include "lineage/common.h"
#include "lineage/version.h"

void lineage_free(void *ptr)
{
	free(ptr);
}

const char *lineage_source_name(lineage_source source)
{
	switch (source) {
	case LINEAGE_SOURCE_ANY: return "any";
	case LINEAGE_SOURCE_INFERRED: return "inferred";
	case LINEAGE_SOURCE_MANUAL: return "manual";
	case LINEAGE_SOURCE_APPROVED: return "approved";
	}
	return "unknown";
}

int lineage_source_parse(lineage_source *out, const char *name)
{
	static const lineage_source all[] = {LINEAGE_SOURCE_INFERRED, LINEAGE_SOURCE_MANUAL,
					     LINEAGE_SOURCE_APPROVED, LINEAGE_SOURCE_ANY};
	if (name) {
		for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
			if (!lin_strcasecmp(name, lineage_source_name(all[i]))) {
				*out = all[i];
				return 0;
			}
		}
	}
	return lin_error_set(LINEAGE_EINVALID,
			     "unknown lineage source \"%.100s\": use inferred, manual or approved",
			     name ? name : "(null)");
}

const char *lineage_edge_status_name(lineage_edge_status status)
{
	switch (status) {
	case LINEAGE_EDGE_ACTIVE: return "active";
	case LINEAGE_EDGE_REJECTED: return "rejected";
	case LINEAGE_EDGE_RETIRED: return "retired";
	}
	return "unknown";
}

const char *lineage_outcome_name(lineage_outcome outcome)
{
	switch (outcome) {
	case LINEAGE_CREATED: return "created";
	case LINEAGE_UPDATED: return "updated";
	case LINEAGE_UNCHANGED: return "unchanged";
	}
	return "unknown";
}

const char *lineage_version(void)
{
	return LINEAGE_VERSION;
}

void lineage_version_numbers(int *major, int *minor, int *patch)
{
	if (major)
		*major = LINEAGE_VERSION_MAJOR;
	if (minor)
		*minor = LINEAGE_VERSION_MINOR;
	if (patch)
		*patch = LINEAGE_VERSION_PATCH;
}
