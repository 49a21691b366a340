/*
 * The SQLite collector: a database file opened read-only; its schema "main"; views as their
 * CREATE VIEW statements, which SQLite keeps as written.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect_internal.h"
#include "common/error.h"
#include "common/util.h"

static const char SQLITE_MAGIC[16] = "SQLite format 3";

/* "sqlite:///path" or a file that starts with SQLite's header. */
static int sqlite_detect(const char *path, const unsigned char *head, size_t len, void *payload)
{
	char magic[16];
	FILE *f;
	int found;
	(void)len;
	(void)payload;
	if (!path || head) /* never claim a file met in a scan */
		return 0;
	if (!strncmp(path, "sqlite://", 9))
		return 100;
	if (strstr(path, "://") || !(f = fopen(path, "rb")))
		return 0;
	found = fread(magic, 1, sizeof magic, f) == sizeof magic && !memcmp(magic, SQLITE_MAGIC, 16);
	fclose(f);
	return found ? 60 : 0;
}

typedef struct sq_ctx {
	sqlite3 *db;
	lin_catalog cat;
} sq_ctx;

static int fail(sq_ctx *sq, const char *what)
{
	return lin_collect_fail(&sq->cat, what, sq->db ? sqlite3_errmsg(sq->db) : "out of memory");
}

static const char *text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

/* The columns and keys of one relation, through the table-valued pragmas. */
static int read_relation(sq_ctx *sq, lin_cat_rel *rel)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, step;
	if (sqlite3_prepare_v2(sq->db, "SELECT name, type, \"notnull\", pk, cid FROM pragma_table_info(?1) ORDER BY cid",
			       -1, &st, NULL) != SQLITE_OK)
		return fail(sq, "reading the columns");
	sqlite3_bind_text(st, 1, rel->name, -1, SQLITE_STATIC);
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = lin_cat_add_column(&sq->cat, rel, text(st, 0), text(st, 1), NULL,
					sqlite3_column_int(st, 2), sqlite3_column_int(st, 4) + 1);
	if (!rc && step != SQLITE_DONE)
		rc = fail(sq, "reading the columns");
	/* Primary key columns, in key order (pk is the column's rank in the key). */
	sqlite3_reset(st);
	for (int rank = 1; !rc; rank++) {
		int found = 0;
		sqlite3_reset(st);
		while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
			if (sqlite3_column_int(st, 3) == rank) {
				rc = lin_cat_add_keycol(&sq->cat, rel, "primary key", 1, text(st, 0), NULL, NULL, NULL);
				found = 1;
			}
		if (!found)
			break;
	}
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if (sqlite3_prepare_v2(sq->db, "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
			       -1, &st, NULL) != SQLITE_OK)
		return fail(sq, "reading the foreign keys");
	sqlite3_bind_text(st, 1, rel->name, -1, SQLITE_STATIC);
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		char name[32];
		snprintf(name, sizeof name, "fk%d", sqlite3_column_int(st, 0));
		rc = lin_cat_add_keycol(&sq->cat, rel, name, 0, text(st, 2), "main", text(st, 1), text(st, 3));
	}
	if (!rc && step != SQLITE_DONE)
		rc = fail(sq, "reading the foreign keys");
	sqlite3_finalize(st);
	return rc;
}

static int read_catalog(sq_ctx *sq)
{
	sqlite3_stmt *st = NULL;
	int rc = lin_cat_add_schema(&sq->cat, "main", NULL), step = SQLITE_DONE;
	if (rc)
		return rc;
	if (sqlite3_prepare_v2(sq->db, "SELECT type, name, sql FROM sqlite_schema WHERE type IN ('table', 'view')"
				       " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK)
		return fail(sq, "reading the tables and views");
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		int view = !strcmp(text(st, 0), "view");
		rc = lin_cat_add_rel(&sq->cat, "main", text(st, 1), view ? "view" : "table", NULL,
				     view ? text(st, 2) : NULL);
	}
	if (!rc && step != SQLITE_DONE)
		rc = fail(sq, "reading the tables and views");
	sqlite3_finalize(st);
	if (!rc)
		rc = lin_cat_index(&sq->cat);
	for (size_t i = 0; !rc && i < sq->cat.nrels; i++)
		rc = read_relation(sq, &sq->cat.rels[i]);
	return rc;
}

static int sqlite_scan(lineage_scan_sink *sink, const char *path, const unsigned char *data,
		       size_t len, void *payload)
{
	sq_ctx sq;
	lin_uri u;
	const char *file = path;
	int rc = 0;
	(void)len;
	(void)payload;
	if (data || !sink->source)
		return lin_error_set(LINEAGE_EINVALID, "the sqlite collector reads a database: use lineage collect FILE");
	memset(&sq, 0, sizeof sq);
	memset(&u, 0, sizeof u);
	lin_cat_init(&sq.cat, sink, "sqlite", "sqlite", '"');
	sq.cat.definition_is_create = 1;
	sq.cat.unqualified_is_local = 1;
	sq.cat.server = sqlite3_libversion();
	if (!strncmp(path, "sqlite://", 9)) {
		rc = lin_uri_parse(&u, path);
		/* sqlite:///abs/path has an empty host and the path "abs/path" */
		if (!rc && (!u.path || (u.host && *u.host)))
			rc = lin_error_set(LINEAGE_EINVALID, "a SQLite URI is sqlite:///path/to/file.db (three slashes, then the path)");
		if (!rc && u.path) {
			char *abs = malloc(strlen(u.path) + 2);
			if (!abs)
				rc = lin_error_oom();
			else {
				abs[0] = '/';
				strcpy(abs + 1, u.path);
				free(u.path);
				u.path = abs;
				file = abs;
			}
		}
	}
	if (!rc && sqlite3_open_v2(file, &sq.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		rc = fail(&sq, "cannot open the file");
	if (!rc)
		rc = read_catalog(&sq);
	if (!rc)
		rc = lin_cat_emit(sink, &sq.cat);
	sqlite3_close(sq.db);
	lin_cat_free(&sq.cat);
	lin_uri_free(&u);
	return rc;
}

const lineage_scanner lin_collector_sqlite = {
	LINEAGE_SCANNER_VERSION, "sqlite",
	"SQLite database files (sqlite:///path or the file): catalog and view lineage",
	sqlite_detect, sqlite_scan, NULL};
