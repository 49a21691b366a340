/* Columns of the record types and help for unknown ones. */
#include "schema.h"

#include <stdio.h>
#include <string.h>

#include "common/util.h"

static const char *const names[LIN_COL_COUNT] = {
	[LIN_COL_KEY] = "key",
	[LIN_COL_KIND] = "kind",
	[LIN_COL_NAME] = "name",
	[LIN_COL_PARENT] = "parent",
	[LIN_COL_OWNER] = "owner",
	[LIN_COL_DESCRIPTION] = "description",
	[LIN_COL_TAGS] = "tags",
	[LIN_COL_STATUS] = "status",
	[LIN_COL_PROPERTIES] = "properties",
	[LIN_COL_SOURCE] = "source",
	[LIN_COL_TARGET] = "target",
	[LIN_COL_SOURCE_KIND] = "source_kind",
	[LIN_COL_TARGET_KIND] = "target_kind",
	[LIN_COL_LINEAGE_SOURCE] = "lineage_source",
	[LIN_COL_CONFIDENCE] = "confidence",
	[LIN_COL_TRANSFORMATION_TYPE] = "transformation_type",
	[LIN_COL_TRANSFORMATION] = "transformation",
	[LIN_COL_JOB] = "job",
	[LIN_COL_PROP] = "prop.",
	[LIN_COL_ERROR] = "error",
};

static const int asset_cols[] = {LIN_COL_KEY,    LIN_COL_KIND,   LIN_COL_NAME,
				 LIN_COL_PARENT, LIN_COL_OWNER,  LIN_COL_DESCRIPTION,
				 LIN_COL_TAGS,   LIN_COL_STATUS, LIN_COL_PROPERTIES,
				 -1};
static const int lineage_cols[] = {LIN_COL_SOURCE,
				   LIN_COL_TARGET,
				   LIN_COL_SOURCE_KIND,
				   LIN_COL_TARGET_KIND,
				   LIN_COL_KIND,
				   LIN_COL_LINEAGE_SOURCE,
				   LIN_COL_CONFIDENCE,
				   LIN_COL_TRANSFORMATION_TYPE,
				   LIN_COL_TRANSFORMATION,
				   LIN_COL_JOB,
				   LIN_COL_DESCRIPTION,
				   LIN_COL_PROPERTIES,
				   -1};

/* Case-insensitive ASCII compare of n bytes: 0 when equal. */
static int ci_neq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y || !x)
			return 1;
	}
	return 0;
}

const char *lin_col_name(int col)
{
	return col >= 0 && col < LIN_COL_COUNT ? names[col] : "?";
}

const int *lin_col_order(lineage_record_type type)
{
	return type == LINEAGE_RECORDS_ASSETS ? asset_cols : lineage_cols;
}

int lin_col_allowed(int col, lineage_record_type type)
{
	const int *list;
	if (col == LIN_COL_PROP || col == LIN_COL_ERROR)
		return 1;
	if (type != LINEAGE_RECORDS_ASSETS && type != LINEAGE_RECORDS_LINEAGE)
		return col >= 0 && col < LIN_COL_COUNT;
	for (list = lin_col_order(type); *list >= 0; list++)
		if (*list == col)
			return 1;
	return 0;
}

int lin_col_lookup(const char *name, lineage_record_type type)
{
	size_t len = strlen(name);
	/* Spreadsheets pad headers: ignore surrounding spaces. */
	while (len && (name[len - 1] == ' ' || name[len - 1] == '\t'))
		len--;
	while (len && (*name == ' ' || *name == '\t')) {
		name++;
		len--;
	}
	if (len > 5 && !ci_neq(name, "prop.", 5))
		return LIN_COL_PROP;
	for (int c = 0; c < LIN_COL_COUNT; c++) {
		if (c == LIN_COL_PROP || strlen(names[c]) != len)
			continue;
		if (!ci_neq(name, names[c], len))
			return lin_col_allowed(c, type) ? c : -1;
	}
	return -1;
}

void lin_col_help(char *buf, size_t size, const char *name, lineage_record_type type)
{
	const int *lists[2];
	int nlists = 0, best = -1, best_d = 4;
	size_t used;
	if (type != LINEAGE_RECORDS_LINEAGE)
		lists[nlists++] = asset_cols;
	if (type != LINEAGE_RECORDS_ASSETS)
		lists[nlists++] = lineage_cols;
	for (int l = 0; l < nlists; l++) {
		for (const int *c = lists[l]; *c >= 0; c++) {
			int d = lin_edit_distance(name, names[*c]);
			if (d < best_d) {
				best_d = d;
				best = *c;
			}
		}
	}
	buf[0] = '\0';
	if (best >= 0)
		snprintf(buf, size, "Did you mean \"%s\"? ", names[best]);
	used = strlen(buf);
	for (int l = 0; l < nlists && used < size; l++) {
		snprintf(buf + used, size - used, "%s columns are: ",
			 lists[l] == asset_cols ? "Asset" : "Lineage");
		used = strlen(buf);
		for (const int *c = lists[l]; *c >= 0 && used < size; c++) {
			snprintf(buf + used, size - used, "%s%s", names[*c], c[1] >= 0 ? ", " : "");
			used = strlen(buf);
		}
		if (used < size)
			snprintf(buf + used, size - used, ", and prop.<name> for a property. ");
		used = strlen(buf);
	}
	while (used && buf[used - 1] == ' ')
		buf[--used] = '\0';
}

const char *lin_row_edge_kind(const lin_row *row)
{
	return row->v[LIN_COL_KIND] ? row->v[LIN_COL_KIND] : LINEAGE_EDGE_KIND_DEFAULT;
}
