/*
 * libFuzzer target for the .xlsx import reader (see fuzz_io_common.h). A workbook is a zip
 * whose checksums would stop almost every mutation, so the input holds the parts themselves
 * and the target zips them: after the control byte, the texts of xl/workbook.xml,
 * xl/_rels/workbook.xml.rels, xl/sharedStrings.xml, xl/worksheets/sheet1.xml and
 * [Content_Types].xml, separated by NUL bytes (which XML cannot hold). The control byte's
 * bit 3 deflates the parts instead of storing them. An input whose parts start with "PK" is
 * read as a whole .xlsx file instead, so real workbooks seed it too.
 */
#include <stdio.h>
#include <string.h>

#include <zip.h>

#include "fuzz_io_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const PARTS[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
				    "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml",
				    "[Content_Types].xml"};

/* The zip of the parts, after a copy of the control byte; NULL if libzip fails. */
static uint8_t *zip_parts(const uint8_t *data, size_t size, size_t *out_size)
{
	zip_error_t ze;
	zip_source_t *mem;
	zip_t *z;
	const uint8_t *p = data + 1, *end = data + size;
	uint8_t *out = NULL;
	zip_int64_t len;
	zip_error_init(&ze);
	if (!(mem = zip_source_buffer_create(NULL, 0, 0, &ze)))
		return NULL;
	zip_source_keep(mem); /* it outlives the archive written into it */
	if (!(z = zip_open_from_source(mem, ZIP_TRUNCATE, &ze)))
		goto done;
	for (size_t i = 0; i < sizeof PARTS / sizeof PARTS[0] && p <= end; i++) {
		const uint8_t *nul = memchr(p, 0, (size_t)(end - p));
		size_t n = nul ? (size_t)(nul - p) : (size_t)(end - p);
		zip_source_t *s = zip_source_buffer(z, p, n, 0);
		zip_int64_t idx = s ? zip_file_add(z, PARTS[i], s, 0) : -1;
		if (idx < 0) {
			zip_source_free(s);
			break;
		}
		zip_set_file_compression(z, (zip_uint64_t)idx, (data[0] & 8) ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 1);
		p += n + 1;
	}
	if (zip_close(z) != 0) {
		zip_discard(z);
		goto done;
	}
	if (zip_source_open(mem) != 0)
		goto done;
	if (zip_source_seek(mem, 0, SEEK_END) == 0 && (len = zip_source_tell(mem)) >= 0 &&
	    zip_source_seek(mem, 0, SEEK_SET) == 0 && (out = malloc((size_t)len + 1)) != NULL) {
		out[0] = data[0];
		if (zip_source_read(mem, out + 1, (zip_uint64_t)len) != len) {
			free(out);
			out = NULL;
		} else {
			*out_size = (size_t)len + 1;
		}
	}
	zip_source_close(mem);
done:
	zip_source_free(mem);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *zipped;
	size_t zipped_size = 0;
	if (size >= 3 && data[1] == 'P' && data[2] == 'K') {
		fuzz_read(data, size, LINEAGE_FORMAT_XLSX);
		return 0;
	}
	if (size < 1 || !(zipped = zip_parts(data, size, &zipped_size)))
		return 0;
	fuzz_read(zipped, zipped_size, LINEAGE_FORMAT_XLSX);
	free(zipped);
	return 0;
}
