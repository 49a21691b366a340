/* The OpenLineage scanner: one event, an array of events, or JSON Lines. */
#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "scan/scan_internal.h"
#include "ol_internal.h"

static int ol_detect(const char *path, const unsigned char *head, size_t len, void *payload)
{
	(void)path;
	(void)payload;
	if (!lin_scan_head_is_json(head, len))
		return 0;
	if (lin_scan_head_has(head, len, "openlineage.io/spec") || lin_scan_head_has(head, len, "\"eventType\""))
		return 90;
	if (lin_scan_head_has(head, len, "\"inputs\"") && lin_scan_head_has(head, len, "\"outputs\"") &&
	    lin_scan_head_has(head, len, "\"job\""))
		return 70;
	return 0;
}

static int scan_lines(lineage_scan_sink *sink, const char *path, const char *data, size_t len)
{
	size_t start = 0, index = 0;
	int line = 1, rc = 0;
	while (start < len && !rc) {
		const char *nl = memchr(data + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - data) : len;
		size_t s = start;
		while (s < end && (data[s] == ' ' || data[s] == '\t' || data[s] == '\r'))
			s++;
		if (s < end) {
			json_error_t err;
			json_t *ev = json_loadb(data + s, end - s, 0, &err);
			if (!ev) {
				char msg[400];
				snprintf(msg, sizeof msg, "line %d is not valid JSON (%s): each line of a JSON Lines file holds one event", line, err.text);
				lineage_scan_sink_diagnostic(sink, LINEAGE_DIAG_ERROR, path, line, err.column, msg);
			} else {
				rc = lin_ol_event(sink, path, index, ev);
				json_decref(ev);
			}
			index++;
		}
		start = end + 1;
		line++;
	}
	return rc;
}

static int ol_scan(lineage_scan_sink *sink, const char *path, const unsigned char *data, size_t len,
		   void *payload)
{
	json_error_t err;
	json_t *doc;
	int rc = 0;
	(void)payload;
	if (!data)
		return lin_error_set(LINEAGE_EINVALID, "%s is a folder: give OpenLineage event files", path);
	doc = json_loadb((const char *)data, len, 0, &err);
	if (!doc) {
		/* Not one document: JSON Lines, one event per line. */
		if (memchr(data, '\n', len) && err.line > 1)
			return scan_lines(sink, path, (const char *)data, len);
		if (memchr(data, '\n', len) && strstr(err.text, "end of file expected"))
			return scan_lines(sink, path, (const char *)data, len);
		return lin_error_set(LINEAGE_EPARSE, "%s is not valid JSON: %s (line %d, column %d): give one event, an array of events, or one event per line",
				     path, err.text, err.line, err.column);
	}
	if (json_is_array(doc)) {
		json_t *ev;
		size_t i;
		json_array_foreach(doc, i, ev) {
			rc = lin_ol_event(sink, path, i, ev);
			if (rc)
				break;
		}
	} else {
		rc = lin_ol_event(sink, path, 0, doc);
	}
	json_decref(doc);
	return rc;
}

const lineage_scanner lin_scanner_openlineage = {
	LINEAGE_SCANNER_VERSION, "openlineage",
	"OpenLineage run, job and dataset events (one, an array, or JSON Lines): jobs, datasets, schema, column lineage, symlinks",
	ol_detect, ol_scan, NULL};
