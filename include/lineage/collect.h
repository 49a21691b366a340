/*
 * liblineage: collectors — the catalog and view lineage of a live database, read through its
 * connection and stored like a scan.
 *
 * lineage_collect() connects to a PostgreSQL ("postgresql://", "postgres://"), MySQL or
 * MariaDB ("mysql://", "mariadb://", "?socket=PATH" for a Unix socket) or SQLite
 * ("sqlite:///path/to/file.db", or the file's path) source and stores, in one transaction:
 *  - the source as a `system` asset keyed SOURCE (opts->name, else the database the URI
 *    names), its schemas (`schema`), tables (`table`), views (`view`), materialized views
 *    (`materialized_view`) and their columns (`column`, with the type), keyed
 *    SOURCE.schema.table[.column], contained system › schema › table › column; comments are
 *    descriptions; primary and foreign keys are properties ("primary_key", "foreign_keys");
 *  - the lineage of every view, from its definition as the database holds it, analysed in the
 *    source's SQL dialect with the columns of every table known: table edges into the view
 *    and column edges into its columns (inferred, origin "collect:<collector>:<SOURCE>");
 *  - with opts->queries (PostgreSQL), the lineage of the INSERT ... SELECT, CREATE TABLE AS
 *    and MERGE statements that pg_stat_statements saw run: one `job` asset per statement
 *    (key "SOURCE:query:<queryid>", its call count in properties) on each edge.
 *
 * A later collect of the same source replaces what the earlier one found, with the re-scan
 * rules of scanner.h: edges no longer found are retired, manual, approved and rejected edges
 * are never changed; assets under the source that it no longer has get status "removed"
 * (and lose it when they come back).
 *
 * Collectors are scanners (scanner.h) whose input is a URI: the built-in ones are named
 * "postgres", "mysql" and "sqlite"; a host adds its own with lineage_scanner_register(), a
 * `detect` that scores the URI (called with head NULL) and a `scan` that gets it as `path`
 * (data NULL), reads lineage_scan_sink_option(sink, "source") for the key prefix and
 * reports progress with lineage_scan_sink_progress().
 *
 * The URI's password is never stored nor put in a message: the report, the batch label and
 * the system asset show the URI with the password replaced by "****".
 *
 * Threads: a collect uses its lineage_db handle as any call does (one thread at a time per
 * handle); collects on different handles may run at once. The collect is one transaction, so
 * the lineage database's write lock is held while the source's catalog is read.
 */
#ifndef LINEAGE_COLLECT_H
#define LINEAGE_COLLECT_H

#include "common.h"
#include "scanner.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LINEAGE_COLLECT_OPTIONS_VERSION 1

/** How lineage_collect() behaves. Fill with lineage_collect_options_init(). */
typedef struct lineage_collect_options {
	unsigned int version;        /**< LINEAGE_COLLECT_OPTIONS_VERSION */
	const char *name;            /**< SOURCE, the key prefix; NULL: the database's name */
	const char *type;            /**< a collector's name; NULL: chosen by the URI's scheme */
	const char *const *schemas;  /**< only these schemas (MySQL: databases); NULL: all but
					  the system ones (MySQL: the URI's database, else all) */
	size_t schema_count;
	int queries;                 /**< also read pg_stat_statements (PostgreSQL) */
	int dry_run;                 /**< report what would change; write nothing */
	unsigned int connect_timeout_s; /**< 0: 10 seconds */
	/** Stage "collect", counting tables and views done of all; non-zero cancels (nothing is
	 * written, ECANCELLED). May be NULL. */
	lineage_progress_cb progress;
	void *progress_payload;
} lineage_collect_options;

/** Fill `opts` with defaults. @return 0, or EINVALID for an unknown version. */
LINEAGE_EXTERN int lineage_collect_options_init(lineage_collect_options *opts,
						unsigned int version);

/**
 * Collect one source into the database, in one transaction (a failure or a cancel leaves it
 * exactly as it was). A view whose definition cannot be read or analysed is a diagnostic in
 * the report naming the view (file "SOURCE.schema.view"), and the rest is collected.
 * @param out  receives the report (as lineage_scan_run()'s; its summary counts the assets
 *             marked removed); free with lineage_scan_report_free()
 * @param uri  the source (see above)
 * @return 0; EINVALID (a URI no collector reads, no source name to be found, bad option);
 *         EIO (the source cannot be reached, refuses the connection or the credentials, or
 *         fails a catalog query: the message says which, without the password);
 *         ELIMIT (over a million tables and views or ten million columns: collect fewer
 *         schemas); ECANCELLED; EUSAGE (a transaction is open on db); EREADONLY; EFULL;
 *         EBUSY.
 */
LINEAGE_EXTERN int lineage_collect(lineage_scan_report **out, lineage_db *db, const char *uri,
				   const lineage_collect_options *opts);

/**
 * The URI with its password (in the user part or a "password" parameter) replaced by
 * "****", for messages and logs. @param out release with lineage_free(). @return 0; EINVALID;
 * ENOMEM.
 */
LINEAGE_EXTERN int lineage_collect_uri_mask(char **out, const char *uri);

#ifdef __cplusplus
}
#endif
#endif
