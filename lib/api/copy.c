/*
 * lineage_db_copy: open both stores (the source read-only), check that they differ, pump
 * the rows (lin_store_copy), and remove a destination file the copy created when it fails.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lineage/db.h"
#include "store/store.h"
#include "common/error.h"

int lineage_copy_options_init(lineage_copy_options *opts, unsigned int version)
{
	if (!opts)
		return lin_error_set(LINEAGE_EINVALID, "opts is NULL: pass the address of a lineage_copy_options");
	if (version != LINEAGE_COPY_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "copy options version %u is unknown: use LINEAGE_COPY_OPTIONS_VERSION", version);
	memset(opts, 0, sizeof *opts);
	opts->version = version;
	opts->busy_timeout_ms = 5000;
	return 0;
}

static int is_pg(const char *path)
{
	return !strncmp(path, "postgres://", 11) || !strncmp(path, "postgresql://", 13);
}

static const char *schema_of(const char *schema)
{
	return schema ? schema : "lineage";
}

/* How messages name a store: a file by its path; a URI, which may hold a password, by its
 * schema only. */
static const char *named(char *buf, size_t size, const char *path, const char *schema)
{
	if (is_pg(path))
		snprintf(buf, size, "PostgreSQL store (schema \"%.60s\")", schema_of(schema));
	else
		snprintf(buf, size, "\"%.300s\"", path);
	return buf;
}

static void remove_file(const char *path)
{
	char side[4096];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

int lineage_db_copy(const char *src, const char *dest, const lineage_copy_options *opts)
{
	lineage_copy_options defaults;
	lin_store_options so = {0};
	lin_store *from = NULL, *to = NULL;
	char name[400];
	int rc, created = 0;

	if (!opts) {
		lineage_copy_options_init(&defaults, LINEAGE_COPY_OPTIONS_VERSION);
		opts = &defaults;
	}
	if (opts->version != LINEAGE_COPY_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "copy options version %u is unknown: fill them with lineage_copy_options_init()", opts->version);
	if (!src || !*src || !dest || !*dest)
		return lin_error_set(LINEAGE_EINVALID, "the copy's %s is missing: give a file path or a postgresql:// URI", !src || !*src ? "source" : "destination");
	if (!strcmp(src, ":memory:") || !strcmp(dest, ":memory:"))
		return lin_error_set(LINEAGE_EINVALID, "\":memory:\" cannot be copied from or to: give a file path or a postgresql:// URI");
	if (opts->busy_timeout_ms < 0)
		return lin_error_set(LINEAGE_EINVALID, "busy_timeout_ms must be >= 0: start from lineage_copy_options_init()");
	if (!strcmp(src, dest) && (!is_pg(src) || !strcmp(schema_of(opts->src_pg_schema), schema_of(opts->dest_pg_schema))))
		return lin_error_set(LINEAGE_EINVALID, "the copy's source and destination are the same %s: give another destination",
				     named(name, sizeof name, dest, opts->dest_pg_schema));

	so.flags = LINEAGE_OPEN_READONLY | LINEAGE_OPEN_NOCREATE;
	so.busy_timeout_ms = opts->busy_timeout_ms;
	so.cache_size_kib = 16384;
	so.pg_schema = opts->src_pg_schema;
	if ((rc = lin_store_open(&from, src, &so))) {
		if (rc == LINEAGE_ENOTFOUND) /* not the open hint: there is nothing to create here */
			return lin_error_set(rc, "the copy's source %s holds no lineage store: give an existing file, or the URI (and schema) of an existing store",
					     named(name, sizeof name, src, opts->src_pg_schema));
		lin_error_prefix("the copy's source %s", named(name, sizeof name, src, opts->src_pg_schema));
		return rc;
	}
	so.flags = 0;
	so.pg_schema = opts->dest_pg_schema;
	created = !is_pg(dest) && access(dest, F_OK) != 0;
	if ((rc = lin_store_open(&to, dest, &so))) {
		lin_error_prefix("the copy's destination %s", named(name, sizeof name, dest, opts->dest_pg_schema));
		goto done;
	}
	rc = lin_store_copy(from, to, opts->progress, opts->payload);
done:
	lin_store_close(to);
	lin_store_close(from);
	if (rc && created)
		remove_file(dest);
	return rc;
}
