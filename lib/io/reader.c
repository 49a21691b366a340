/* The reader interface: format detection and dispatch. */
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "reader.h"
#include "xml_quiet.h"

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !lin_strcasecmp(s + n - m, suffix);
}

static size_t skip_space(const unsigned char *p, size_t n)
{
	size_t i = 0;
	if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		i = 3;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	return i;
}

lineage_format lin_detect_format(lin_src *src, const char *path)
{
	unsigned char head[512];
	size_t n, i;
	if (path) {
		if (ends_with(path, ".csv") || ends_with(path, ".tsv") || ends_with(path, ".txt"))
			return LINEAGE_FORMAT_CSV;
		if (ends_with(path, ".jsonl") || ends_with(path, ".ndjson"))
			return LINEAGE_FORMAT_JSONL;
		if (ends_with(path, ".json"))
			return LINEAGE_FORMAT_JSON;
		if (ends_with(path, ".graphml") || ends_with(path, ".xml"))
			return LINEAGE_FORMAT_GRAPHML;
		if (ends_with(path, ".xlsx") || ends_with(path, ".xlsm"))
			return LINEAGE_FORMAT_XLSX;
		if (ends_with(path, ".yaml") || ends_with(path, ".yml"))
			return LINEAGE_FORMAT_YAML;
	}
	n = lin_src_peek(src, head, sizeof head);
	if (n >= 4 && !memcmp(head, "PK\3\4", 4)) /* a zip archive: a workbook */
		return LINEAGE_FORMAT_XLSX;
	i = skip_space(head, n);
	if (i + 3 <= n && !memcmp(head + i, "---", 3))
		return LINEAGE_FORMAT_YAML;
	if (i + 1 < n && head[i] == '-' && (head[i + 1] == ' ' || head[i + 1] == '\n'))
		return LINEAGE_FORMAT_YAML;
	if (i < n && head[i] == '[')
		return LINEAGE_FORMAT_JSON;
	if (i < n && head[i] == '{')
		return LINEAGE_FORMAT_JSONL;
	if (i < n && head[i] == '<')
		return LINEAGE_FORMAT_GRAPHML;
	return LINEAGE_FORMAT_CSV;
}

const char *lin_sniff_hint(const unsigned char *data, size_t len, lineage_format expected)
{
	size_t i = skip_space(data, len);
	if (i >= len)
		return NULL;
	if (expected != LINEAGE_FORMAT_GRAPHML && data[i] == '<')
		return "This file looks like XML (GraphML), not the format asked for: import it as graphml";
	if (expected == LINEAGE_FORMAT_CSV && data[i] == '[')
		return "This file looks like JSON (it starts with \"[\"), not CSV: import it as json";
	if (expected == LINEAGE_FORMAT_CSV && data[i] == '{')
		return "This file looks like JSON Lines (it starts with \"{\"), not CSV: import it as jsonl";
	if (expected == LINEAGE_FORMAT_GRAPHML && data[i] != '<') {
		if (data[i] == '[')
			return "This file looks like JSON, not GraphML (XML): import it as json";
		if (data[i] == '{')
			return "This file looks like JSON Lines, not GraphML (XML): import it as jsonl";
		return "This file is not XML, so it is not GraphML: check the file, or import it as csv";
	}
	if ((expected == LINEAGE_FORMAT_JSON || expected == LINEAGE_FORMAT_JSONL) && data[i] != '[' && data[i] != '{')
		return "This file is not JSON (it does not start with \"[\" or \"{\"): check the file, or import it as csv";
	return NULL;
}

int lin_format_importable(lineage_format format)
{
	return format <= LINEAGE_FORMAT_GRAPHML || format == LINEAGE_FORMAT_XLSX ||
	       format == LINEAGE_FORMAT_YAML;
}

static int uses_xml(lineage_format format)
{
	return format == LINEAGE_FORMAT_GRAPHML || format == LINEAGE_FORMAT_XLSX;
}

static int open_format(lin_reader **out, lin_src *src, lineage_format format,
		       lineage_record_type type, const lin_limits *limits, const char *sheet)
{
	switch (format) {
	case LINEAGE_FORMAT_CSV:
		return lin_csv_reader_open(out, src, type, limits);
	case LINEAGE_FORMAT_JSON:
		return lin_json_reader_open(out, src, 0, type, limits);
	case LINEAGE_FORMAT_JSONL:
		return lin_json_reader_open(out, src, 1, type, limits);
	case LINEAGE_FORMAT_GRAPHML:
		return lin_graphml_reader_open(out, src, type, limits);
	case LINEAGE_FORMAT_XLSX:
		return lin_xlsx_reader_open(out, src, type, limits, sheet);
	case LINEAGE_FORMAT_YAML:
		return lin_yaml_reader_open(out, src, type, limits);
	default:
		*out = NULL;
		return lin_error_set(LINEAGE_EINVALID, "%s files cannot be imported: import csv, json, jsonl, graphml, xlsx or yaml",
				     lineage_format_name(format));
	}
}

/* The XML readers run with libxml2's stderr output silenced (xml_quiet.h). */
int lin_reader_open(lin_reader **out, lin_src *src, lineage_format format,
		    lineage_record_type type, const lin_limits *limits, const char *sheet)
{
	lin_xml_quiet q;
	int rc;
	if (!uses_xml(format))
		return open_format(out, src, format, type, limits, sheet);
	lin_xml_quiet_begin(&q);
	rc = open_format(out, src, format, type, limits, sheet);
	lin_xml_quiet_end(&q);
	return rc;
}

int lin_reader_next(lin_reader *r, const lin_raw **out)
{
	lin_xml_quiet q;
	int rc;
	if (!uses_xml(r->format))
		return r->ops->next(r, out);
	lin_xml_quiet_begin(&q);
	rc = r->ops->next(r, out);
	lin_xml_quiet_end(&q);
	return rc;
}

void lin_reader_free(lin_reader *r)
{
	lin_xml_quiet q;
	if (!r)
		return;
	lin_xml_quiet_begin(&q);
	r->ops->free(r);
	lin_xml_quiet_end(&q);
	for (size_t i = 0; i < r->header_count; i++)
		free(r->header[i]);
	free(r->header);
	free(r->file_warning);
	free(r);
}
