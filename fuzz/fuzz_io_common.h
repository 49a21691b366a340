/*
 * Shared body of the import fuzz targets (fuzz_csv.c, fuzz_json.c, fuzz_graphml.c): read
 * the input with one reader, validate every record, build the report and its JSON; when the
 * first byte's low bit is set, also run a whole dry-run import into an in-memory database.
 * Limits are small so that the fuzzer reaches them.
 */
#ifndef FUZZ_IO_COMMON_H
#define FUZZ_IO_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <lineage/lineage.h>

#include "io/reader.h"
#include "io/report.h"
#include "io/validate.h"

static lineage_db *fuzz_db;

static void fuzz_read(const uint8_t *data, size_t size, lineage_format format)
{
	lin_limits limits = {4096, 16384, LIN_MAX_DEPTH};
	lineage_import_report *rep = NULL;
	lin_reader *r = NULL;
	const lin_raw *raw;
	lin_src src;
	lin_vctx v;
	lin_row row;
	char *json = NULL;
	if (size < 1)
		return;
	if (data[0] & 1) {
		lineage_import_options o;
		if (!fuzz_db && lineage_db_open(&fuzz_db, ":memory:", NULL) != 0)
			abort();
		lineage_import_options_init(&o, LINEAGE_IMPORT_OPTIONS_VERSION);
		o.format = format;
		o.dry_run = 1;
		o.create_missing = (data[0] & 2) != 0;
		o.max_field_bytes = 4096;
		o.max_record_bytes = 16384;
		lineage_import_buffer(&rep, fuzz_db, data + 1, size - 1, &o);
		if (rep && lineage_import_report_to_json(&json, rep) == 0)
			lineage_free(json);
		lineage_import_report_free(rep);
		return;
	}
	lin_src_open_mem(&src, data + 1, size - 1);
	if (lin_report_new(&rep, "fuzz", 50, 50) != 0)
		return;
	lin_vctx_init(&v, NULL, rep);
	if (lin_reader_open(&r, &src, format, LINEAGE_RECORDS_AUTO, &limits, NULL) == 0) {
		while (lin_reader_next(r, &raw) == 0)
			lin_validate(&v, raw, &row);
	}
	if (lineage_import_report_to_json(&json, rep) == 0)
		lineage_free(json);
	lin_reader_free(r);
	lin_vctx_free(&v);
	lineage_import_report_free(rep);
}

#endif
