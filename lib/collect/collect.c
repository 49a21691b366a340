/*
 * lineage_collect(): one source read by its collector inside a scan run (lib/scan/run.c), so
 * that a collect has the transaction, origin, re-scan and report rules of a scan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect_internal.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"

int lineage_collect_options_init(lineage_collect_options *opts, unsigned int version)
{
	if (!opts || version != LINEAGE_COLLECT_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "collect options: pass LINEAGE_COLLECT_OPTIONS_VERSION");
	memset(opts, 0, sizeof *opts);
	opts->version = version;
	return 0;
}

/* SOURCE when none is given: the database the URI names (a SQLite file's name without its
 * extension). */
static int default_name(char **out, const lin_uri *u, const char *uri)
{
	const char *path = u->scheme ? u->path : uri, *db = NULL;
	*out = NULL;
	if (!u->scheme || !strcmp(u->scheme, "sqlite")) {
		const char *base = path ? strrchr(path, '/') : NULL, *dot;
		base = base ? base + 1 : path;
		if (base && *base) {
			dot = strrchr(base, '.');
			*out = lin_strndup(base, dot && dot > base ? (size_t)(dot - base) : strlen(base));
			return *out ? 0 : LINEAGE_ENOMEM;
		}
	} else {
		db = u->path && *u->path ? u->path : lin_uri_param_get(u, "dbname");
		if (db && *db)
			return (*out = lin_strdup(db)) ? 0 : LINEAGE_ENOMEM;
	}
	return lin_error_set(LINEAGE_EINVALID, "the URI names no database: give the source a name (--name)");
}

/* Mask the password in a report's diagnostics, in place (a message only gets shorter). */
static void mask_report(lineage_scan_report *report, const char *password)
{
	for (size_t i = 0; password && i < report->diag_len; i++)
		lin_mask_secret((char *)report->diags[i].message, password);
}

static int collect(lineage_scan_report **out, lineage_db *db, const char *uri,
		   const lineage_collect_options *opts, const lin_uri *u, const char *masked)
{
	lineage_scanner sc;
	lineage_scan_options so;
	lin_run run;
	lin_strbuf label = LIN_STRBUF_INIT, origin = LIN_STRBUF_INIT;
	char *name = NULL;
	int rc;
	if (opts->type && *opts->type)
		rc = lin_scanner_find(&sc, opts->type);
	else if (lin_scanner_detect(&sc, uri, NULL, 0) != 0)
		rc = lin_error_set(LINEAGE_EINVALID, "no collector reads \"%.300s\": give a postgresql://, mysql://, mariadb:// or sqlite:// URI, or a SQLite file's path",
				   masked);
	else
		rc = 0;
	if (!rc && lin_scanner_reads_files(sc.name))
		rc = lin_error_set(LINEAGE_EINVALID, "%.300s is read by the %s scanner, not a collector: use lineage scan",
				   masked, sc.name);
	if (rc)
		return rc;
	if (opts->name)
		name = lin_strdup(opts->name);
	else
		rc = default_name(&name, u, uri);
	if (rc || !name)
		return rc ? rc : LINEAGE_ENOMEM;
	if ((rc = lin_check_key(name, "source name")) != 0)
		goto done;
	lineage_scan_options_init(&so, LINEAGE_SCAN_OPTIONS_VERSION);
	so.type = sc.name;
	so.dry_run = opts->dry_run;
	so.progress = opts->progress;
	so.progress_payload = opts->progress_payload;
	if (lin_strbuf_printf(&label, "collect%s (%s): %s from %.1500s", opts->dry_run ? " (dry run)" : "",
			      sc.name, name, masked) ||
	    lin_strbuf_printf(&origin, "collect:%s:%s", sc.name, name)) {
		rc = LINEAGE_ENOMEM;
		goto done;
	}
	memset(&run, 0, sizeof run);
	run.source = name;
	run.collect = opts;
	rc = lin_run_begin(&run, db, &so, label.data);
	if (rc)
		goto done;
	rc = lin_run_input(&run, &sc, uri, masked, origin.data, NULL, 0, 1);
	mask_report(run.report, lin_uri_password(u));
	rc = lin_run_end(&run, rc, out);
done:
	lin_strbuf_free(&label);
	lin_strbuf_free(&origin);
	free(name);
	return rc;
}

int lineage_collect(lineage_scan_report **out, lineage_db *db, const char *uri,
		    const lineage_collect_options *opts)
{
	lineage_collect_options defaults;
	lin_uri u;
	char *masked = NULL;
	int rc;
	if (!out || !db || !uri || !*uri)
		return lin_error_set(LINEAGE_EINVALID, "collect: give the source's URI");
	*out = NULL;
	if (!opts) {
		lineage_collect_options_init(&defaults, LINEAGE_COLLECT_OPTIONS_VERSION);
		opts = &defaults;
	} else if (opts->version != LINEAGE_COLLECT_OPTIONS_VERSION) {
		return lin_error_set(LINEAGE_EINVALID, "collect options: fill them with lineage_collect_options_init()");
	}
	for (size_t i = 0; i < opts->schema_count; i++)
		if (!opts->schemas || !opts->schemas[i] || !*opts->schemas[i])
			return lin_error_set(LINEAGE_EINVALID, "collect: schema %zu of the list is missing or empty", i + 1);
	if ((rc = lineage_collect_uri_mask(&masked, uri)) != 0)
		return rc;
	memset(&u, 0, sizeof u);
	if (strstr(uri, "://") && (rc = lin_uri_parse(&u, uri)) != 0) {
		lin_error_prefix("%.300s", masked);
		free(masked);
		return rc;
	}
	rc = collect(out, db, uri, opts, &u, masked);
	if (rc && lin_uri_password(&u) && *lin_uri_password(&u)) {
		/* Whatever failed, its message never carries the password. */
		lin_error_saved saved;
		lin_error_save(&saved);
		lin_mask_secret(saved.problem, lin_uri_password(&u));
		lin_mask_secret(saved.arg, lin_uri_password(&u));
		lin_error_restore(&saved);
	}
	lin_uri_free(&u);
	free(masked);
	return rc;
}
