/* Shared body of the scanner fuzz targets: one in-memory database for the whole run, each
 * input scanned as a dry run (rolled back), so the database never grows. */
#ifndef FUZZ_SCANNERS_H
#define FUZZ_SCANNERS_H

#include <stdint.h>
#include <stdlib.h>

#include <lineage/lineage.h>

static int fuzz_scan(const char *type, const char *name, const uint8_t *data, size_t size)
{
	static lineage_db *db;
	lineage_scan_options opts;
	lineage_scan_report *report = NULL;
	char *json = NULL;
	if (!db && lineage_db_open(&db, ":memory:", NULL) != 0)
		abort();
	lineage_scan_options_init(&opts, LINEAGE_SCAN_OPTIONS_VERSION);
	opts.type = type;
	opts.dry_run = 1;
	if (lineage_scan_run_buffer(&report, db, name, data, size, &opts) == 0) {
		/* The report of any input serialises. */
		if (lineage_scan_report_to_json(&json, report) != 0)
			abort();
		lineage_free(json);
	}
	lineage_scan_report_free(report);
	return 0;
}

#endif
