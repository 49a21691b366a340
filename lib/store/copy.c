/*
 * lin_store_copy: pump the rows one backend reads (copy_read) into the writer of another
 * (copy_write_*). Memory stays bounded: each row is handed on as it is read, and each
 * backend's writer sends in bounded chunks.
 */
#include "backend.h"
#include "common/error.h"

typedef struct pump {
	lin_store *dest;
	void *writer;
	lineage_progress_cb progress;
	void *payload;
	uint64_t done, total;
} pump;

static int cancelled(void)
{
	return lin_error_set(LINEAGE_ECANCELLED, "copy cancelled: the destination was left as it was");
}

static int on_start(void *payload, int64_t total)
{
	pump *p = payload;
	p->total = total > 0 ? (uint64_t)total : 0;
	if (p->progress && p->progress("copy", 0, p->total, p->payload))
		return cancelled();
	return 0;
}

static int on_row(void *payload, int table, const char *const *values, const int *lengths)
{
	pump *p = payload;
	int rc = p->dest->ops->copy_write_row(p->writer, table, values, lengths);
	if (rc)
		return rc;
	p->done++;
	if (p->progress && (p->done % 4096 == 0 || p->done == p->total) &&
	    p->progress("copy", p->done, p->total, p->payload))
		return cancelled();
	return 0;
}

int lin_store_copy(lin_store *src, lin_store *dest, lineage_progress_cb progress, void *payload)
{
	pump p = {dest, NULL, progress, payload, 0, 0};
	lin_copy_sink sink = {on_start, on_row, &p};
	int rc = dest->ops->copy_write_begin(dest, &p.writer);
	if (rc)
		return rc;
	if (!(rc = src->ops->copy_read(src, &sink)))
		return dest->ops->copy_write_end(p.writer, 1);
	lin_error_saved why;
	lin_error_save(&why); /* the rollback's own outcome is not the news */
	dest->ops->copy_write_end(p.writer, 0);
	lin_error_restore(&why);
	return rc;
}
