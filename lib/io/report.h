/* Internal: building an import report. */
#ifndef LIN_IO_REPORT_H
#define LIN_IO_REPORT_H

#include "lineage/import.h"

struct lineage_import_report {
	lineage_import_summary sum;
	lineage_import_issue *errors;
	size_t nerrors, cap_errors;
	lineage_import_issue *warnings;
	size_t nwarnings, cap_warnings;
	lineage_import_item *items;
	size_t nitems, cap_items;
	size_t max_errors, max_items;
	char *file;
};

int lin_report_new(lineage_import_report **out, const char *file, size_t max_errors,
		   size_t max_items);

/* Record an error (warning non-zero: a warning) and count it. `value` may be NULL; it is cut
 * to 200 bytes and made printable. Returns 0 or ENOMEM. */
int lin_report_issue(lineage_import_report *rep, int warning, uint64_t row, const char *column,
		     const char *value, size_t value_len, const char *message);

/* Record what a row did, up to max_items (the counts are kept by the caller). */
int lin_report_item(lineage_import_report *rep, const char *action, const char *entity,
		    const char *key, const char *target, const char *kind, uint64_t row);

/* Forget what rows did (counts and items): the import stopped, nothing was written. */
void lin_report_forget_writes(lineage_import_report *rep);

/* Move the errors and warnings that src found (another thread's) into dst: the kept ones
 * are then the first by row, as if one report had seen them all. */
int lin_report_absorb(lineage_import_report *dst, lineage_import_report *src);

/* Sort errors and warnings by row (stable). */
void lin_report_sort(lineage_import_report *rep);

#endif
