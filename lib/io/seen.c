/* The identities a file's rows had so far (seen.h). */
#include "seen.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"

size_t lin_seen_default_budget = ((size_t)1 << 21) / 4 * 3; /* a map of 2^21 slots, 3/4 full */

/* A private temporary database (deleted when closed), one transaction for its whole life:
 * a disk b-tree with a bounded page cache, no journal, nothing synced. */
struct lin_seen_disk {
	sqlite3 *db;
	sqlite3_stmt *get, *put;
};

static int disk_error(lin_seen_disk *d, const char *what)
{
	return lin_error_set(LINEAGE_EIO, "cannot %s the temporary file of the rows seen so far: %s; "
			     "free some disk space or set TMPDIR to a writable folder",
			     what, d && d->db ? sqlite3_errmsg(d->db) : "out of memory");
}

static void disk_close(lin_seen_disk *d)
{
	if (!d)
		return;
	sqlite3_finalize(d->get);
	sqlite3_finalize(d->put);
	sqlite3_close(d->db);
	free(d);
}

static int disk_open(lin_seen_disk **out)
{
	lin_seen_disk *d = calloc(1, sizeof *d);
	int rc;
	*out = NULL;
	if (!d)
		return lin_error_oom();
	if (sqlite3_open_v2("", &d->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				      SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(d->db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
			 " PRAGMA cache_size=-8192;"
			 " CREATE TABLE seen(a INTEGER, b INTEGER, row INTEGER, digest INTEGER,"
			 " PRIMARY KEY (a, b)) WITHOUT ROWID; BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->db, "SELECT row, digest FROM seen WHERE a = ?1 AND b = ?2", -1,
			       &d->get, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->db, "INSERT INTO seen VALUES (?1, ?2, ?3, ?4)", -1, &d->put,
			       NULL) != SQLITE_OK) {
		rc = disk_error(d, "create");
		disk_close(d);
		return rc;
	}
	*out = d;
	return 0;
}

void lin_seen_init(lin_seen *s)
{
	memset(s, 0, sizeof *s);
	s->budget = lin_seen_default_budget ? lin_seen_default_budget : 1;
}

int lin_seen_get(lin_seen *s, lin_id id, uint64_t *row, uint64_t *digest)
{
	const lin_idmap_entry *e = lin_idmap_find(&s->mem, id);
	int rc;
	if (e) {
		*row = e->row;
		*digest = e->digest;
		return 1;
	}
	if (!s->disk)
		return 0;
	sqlite3_bind_int64(s->disk->get, 1, (sqlite3_int64)id.a);
	sqlite3_bind_int64(s->disk->get, 2, (sqlite3_int64)id.b);
	rc = sqlite3_step(s->disk->get);
	if (rc == SQLITE_ROW) {
		*row = (uint64_t)sqlite3_column_int64(s->disk->get, 0);
		*digest = (uint64_t)sqlite3_column_int64(s->disk->get, 1);
	}
	sqlite3_reset(s->disk->get);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : disk_error(s->disk, "read");
}

int lin_seen_put(lin_seen *s, lin_id id, uint64_t row, uint64_t digest)
{
	int rc;
	if (s->mem.count < s->budget) {
		if ((rc = lin_idmap_put(&s->mem, id, row, digest)) == 0)
			s->count++;
		return rc;
	}
	if (!s->disk && (rc = disk_open(&s->disk)) != 0)
		return rc;
	sqlite3_bind_int64(s->disk->put, 1, (sqlite3_int64)id.a);
	sqlite3_bind_int64(s->disk->put, 2, (sqlite3_int64)id.b);
	sqlite3_bind_int64(s->disk->put, 3, (sqlite3_int64)row);
	sqlite3_bind_int64(s->disk->put, 4, (sqlite3_int64)digest);
	rc = sqlite3_step(s->disk->put);
	sqlite3_reset(s->disk->put);
	if (rc != SQLITE_DONE)
		return disk_error(s->disk, "write");
	s->count++;
	return 0;
}

int lin_seen_reserve(lin_seen *s, size_t n)
{
	return lin_idmap_reserve(&s->mem, n < s->budget ? n : s->budget);
}

void lin_seen_free(lin_seen *s)
{
	lin_idmap_free(&s->mem);
	disk_close(s->disk);
	s->disk = NULL;
	s->count = 0;
}
