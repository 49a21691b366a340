/*
 * Bulk import: pass 1 reads and validates every row (nothing written), pass 2 reads again and
 * applies the valid rows inside one transaction, then commits or rolls back by the mode.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "api/db_internal.h"
#include "api/write.h"
#include "common/error.h"
#include "common/util.h"
#include "rejects.h"
#include "retire.h"
#include "reader.h"
#include "validate.h"

#define PROGRESS_EVERY 4096

/* One bit per record. */
typedef struct lin_bits {
	unsigned char *bits;
	size_t cap;
} lin_bits;

typedef struct lin_import {
	lineage_db *db;
	lineage_import_options opts;
	lin_src *src;
	const char *path;
	lineage_import_report *rep;
	lin_limits limits;
	lin_vctx v;
	lin_bits invalid;       /* per record: invalid in pass 1 */
	lin_bits repeats;       /* per record: repeats an identical earlier row (written once) */
	uint64_t records;
	int in_tx;
	int checks_off; /* reference checks are off for the write pass */
} lin_import;

static int bits_set(lin_bits *b, uint64_t ordinal)
{
	size_t byte = (size_t)(ordinal / 8);
	if (byte >= b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		unsigned char *p;
		while (cap <= byte)
			cap *= 2;
		if (!(p = realloc(b->bits, cap)))
			return lin_error_oom();
		memset(p + b->cap, 0, cap - b->cap);
		b->bits = p;
		b->cap = cap;
	}
	b->bits[byte] |= (unsigned char)(1u << (ordinal % 8));
	return 0;
}

static int bits_get(const lin_bits *b, uint64_t ordinal)
{
	size_t byte = (size_t)(ordinal / 8);
	return byte < b->cap && (b->bits[byte] >> (ordinal % 8)) & 1;
}

static int is_invalid(const lin_import *im, uint64_t ordinal)
{
	return bits_get(&im->invalid, ordinal);
}

static int progress(lin_import *im, const char *stage, uint64_t done, uint64_t total)
{
	if (im->opts.progress && im->opts.progress(stage, done, total, im->opts.payload) != 0)
		return lin_error_set(LINEAGE_ECANCELLED, "the import was cancelled; nothing was written");
	return 0;
}

/* A problem with the file as a whole goes into the report as an error too. */
static int file_error(lin_import *im, int rc, uint64_t row)
{
	char msg[1100];
	snprintf(msg, sizeof msg, "%s", lineage_error_last()->message);
	if (lin_report_issue(im->rep, 0, row, NULL, NULL, 0, msg) != 0)
		return LINEAGE_ENOMEM;
	lin_error_set(rc, "%s", msg);
	return rc;
}

static int pass_validate(lin_import *im, lineage_format format)
{
	lin_reader *r = NULL;
	const lin_raw *raw;
	lin_row row;
	int rc;
	if ((rc = lin_reader_open(&r, im->src, format, im->opts.type, &im->limits)) != 0)
		return rc == LINEAGE_EPARSE || rc == LINEAGE_ELIMIT ? file_error(im, rc, 0) : rc;
	while ((rc = lin_reader_next(r, &raw)) == 0) {
		int vr = lin_validate(&im->v, raw, &row);
		im->records++;
		if (vr < 0) {
			rc = vr;
			break;
		}
		if (vr > 0 && (rc = bits_set(&im->invalid, raw->ordinal)) != 0)
			break;
		if (im->v.duplicate && (rc = bits_set(&im->repeats, raw->ordinal)) != 0)
			break;
		if (im->records % PROGRESS_EVERY == 0 &&
		    (rc = progress(im, "validate", im->src->consumed, im->src->size)) != 0)
			break;
	}
	if (rc == LINEAGE_ITEROVER)
		rc = progress(im, "validate", im->src->consumed, im->src->size);
	else if (rc == LINEAGE_EPARSE || rc == LINEAGE_ELIMIT)
		rc = file_error(im, rc, r->fatal_row);
	lin_reader_free(r);
	return rc;
}

static int write_label(lin_import *im, char *buf, size_t size)
{
	const lineage_import_summary *s = &im->rep->sum;
	snprintf(buf, size, "import %s (%s, %s%s): %llu rows, %llu invalid", im->rep->file,
		 lineage_format_name(s->format),
		 im->opts.mode == LINEAGE_IMPORT_SKIP_ERRORS ? "skip-errors" : "atomic",
		 im->opts.replace_scope ? ", replace" : "", (unsigned long long)s->rows,
		 (unsigned long long)s->invalid);
	return 0;
}

static int pass_write(lin_import *im, lineage_format format, lin_rejects *rj, lin_applier *ap)
{
	lin_reader *r = NULL;
	const lin_raw *raw;
	lin_row row;
	uint64_t done = 0;
	int rc;
	if ((rc = lin_src_rewind(im->src)) != 0 ||
	    (rc = lin_reader_open(&r, im->src, format, im->opts.type, &im->limits)) != 0)
		return rc;
	im->v.pass = 2;
	im->v.record = 0;
	while ((rc = lin_reader_next(r, &raw)) == 0) {
		int vr;
		im->v.trusted = !is_invalid(im, raw->ordinal);
		if ((vr = lin_validate(&im->v, raw, &row)) < 0) {
			rc = vr;
			break;
		}
		if (vr == 0 && !is_invalid(im, raw->ordinal) && !bits_get(&im->repeats, raw->ordinal)) {
			vr = lin_apply_row(ap, &row);
			if (vr < 0) {
				rc = vr;
				break;
			}
			if (vr > 0) {
				im->rep->sum.invalid++;
				im->rep->sum.valid--;
			}
		}
		if ((vr > 0 || is_invalid(im, raw->ordinal)) &&
		    (rc = lin_rejects_write(rj, r, raw, im->v.msgs.data ? im->v.msgs.data : "")) != 0)
			break;
		if (++done % PROGRESS_EVERY == 0 &&
		    (rc = progress(im, "write", done, im->records)) != 0)
			break;
	}
	if (rc == LINEAGE_ITEROVER)
		rc = progress(im, "write", done, im->records);
	lin_reader_free(r);
	return rc;
}

static int retire_scope(lin_import *im, lin_applier *ap)
{
	int saved = im->v.record, rc;
	im->v.record = 1;
	rc = lin_retire_scope(im->db, &im->v, ap->origin, ap->edge_ids, ap->nedge_ids);
	im->v.record = saved;
	return rc;
}

static int check_options(const lineage_import_options *o)
{
	if (o->version != LINEAGE_IMPORT_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "unknown import options version %u: fill the "
				     "options with lineage_import_options_init()", o->version);
	if ((unsigned)o->format > LINEAGE_FORMAT_GRAPHML)
		return lin_error_set(LINEAGE_EINVALID, "%s files cannot be imported: use csv, json, "
				     "jsonl or graphml", lineage_format_name(o->format));
	if ((unsigned)o->type > LINEAGE_RECORDS_BOTH)
		return lin_error_set(LINEAGE_EINVALID, "unknown record type %d: use assets or lineage",
				     (int)o->type);
	if ((unsigned)o->mode > LINEAGE_IMPORT_SKIP_ERRORS)
		return lin_error_set(LINEAGE_EINVALID, "unknown import mode %d: use atomic or "
				     "skip-errors", (int)o->mode);
	if (o->replace_scope && lin_check_name(o->replace_scope, "the replace scope") != 0)
		return LINEAGE_EINVALID;
	return 0;
}

static int run(lineage_import_report **out, lineage_db *db, lin_src *src, const char *path,
	       const lineage_import_options *given)
{
	lin_import im;
	lin_rejects rj;
	lin_applier ap;
	lineage_format format;
	char label[600], *origin = NULL;
	int rc, commit;
	memset(&im, 0, sizeof im);
	if (out)
		*out = NULL;
	if (given)
		im.opts = *given;
	else
		lineage_import_options_init(&im.opts, LINEAGE_IMPORT_OPTIONS_VERSION);
	if ((rc = check_options(&im.opts)) != 0)
		return rc;
	if (!db)
		return lin_error_set(LINEAGE_EUSAGE, "no database handle given");
	if (lineage_db_in_transaction(db))
		return lin_error_set(LINEAGE_EUSAGE, "a transaction is open on this handle: an import "
				     "is its own batch; commit or roll back first");
	im.db = db;
	im.src = src;
	im.path = path;
	im.limits.max_field = im.opts.max_field_bytes ? im.opts.max_field_bytes : 16u << 20;
	im.limits.max_record = im.opts.max_record_bytes ? im.opts.max_record_bytes : 64u << 20;
	im.limits.max_depth = LIN_MAX_DEPTH;
	format = im.opts.format ? im.opts.format : lin_detect_format(src, path);
	if ((rc = lin_report_new(&im.rep, im.opts.label ? im.opts.label : src->name,
				 im.opts.max_errors ? im.opts.max_errors : 1000,
				 im.opts.max_items ? im.opts.max_items : 1000)) != 0)
		return rc;
	im.rep->sum.format = format;
	im.rep->sum.dry_run = im.opts.dry_run != 0;
	lin_vctx_init(&im.v, db, im.rep);
	lin_rejects_init(&rj, im.opts.rejects_path);
	if (im.opts.replace_scope) {
		lin_strbuf sb = LIN_STRBUF_INIT;
		if ((rc = lin_strbuf_printf(&sb, "import:%s", im.opts.replace_scope)) != 0)
			goto done;
		origin = lin_strbuf_detach(&sb);
	}
	lin_applier_init(&ap, db, &im.v, &im.opts, origin);

	/* Pass 1: validate everything, write nothing. */
	rc = pass_validate(&im, format);
	im.rep->sum.rows = im.records;
	for (uint64_t i = 0; i < im.records; i++)
		im.rep->sum.invalid += is_invalid(&im, i);
	im.rep->sum.valid = im.records - im.rep->sum.invalid;
	if (rc != 0)
		goto done;
	if (im.records == 0) {
		lin_error_set(LINEAGE_EPARSE, "The file has no rows to import%s. Add rows below the header, "
			      "or check that this is the right file",
			      format == LINEAGE_FORMAT_CSV ? " (only a header)" : "");
		rc = file_error(&im, LINEAGE_EPARSE, 0);
		goto done;
	}

	/* Pass 2: apply the valid rows in one transaction. */
	write_label(&im, label, sizeof label);
	/* Each row's asset ids come from lookups in the import's own write transaction, and an
	 * import removes nothing: SQLite's check of every reference again is a tenth of the
	 * write time. On again when the transaction is over. */
	if ((rc = lin_store_reference_checks(db->store, 0)) != 0)
		goto done;
	im.checks_off = 1;
	if ((rc = lineage_db_begin(db, label)) != 0)
		goto done;
	im.in_tx = 1;
	/* Every row was validated in pass 1: write calls skip their savepoints (write.c). */
	if ((rc = lin_write_bulk_start(db)) != 0 ||
	    (rc = lin_store_asset_keys_preload(db->store, 2 * (int64_t)im.records)) != 0)
		goto done;
	if ((rc = pass_write(&im, format, &rj, &ap)) != 0)
		goto done;
	if (origin && (rc = retire_scope(&im, &ap)) != 0)
		goto done;
	commit = !im.opts.dry_run &&
		 (im.opts.mode == LINEAGE_IMPORT_SKIP_ERRORS || im.rep->sum.invalid == 0) &&
		 im.rep->sum.valid > 0;
	if (commit) {
		if ((rc = lineage_db_commit(db)) != 0)
			goto done;
		im.rep->sum.committed = 1;
		im.rep->sum.batch_id = lineage_db_batch_id(db);
	} else {
		lineage_db_rollback(db);
	}
	im.in_tx = 0;
	rc = im.rep->sum.invalid ? lin_error_set(LINEAGE_EINVALID,
						  "%llu of %llu rows are invalid%s; see the report",
						  (unsigned long long)im.rep->sum.invalid,
						  (unsigned long long)im.rep->sum.rows,
						  im.rep->sum.committed ? " (the valid rows were written)"
									: " (nothing was written)")
				 : 0;
done:
	if (im.in_tx)
		lineage_db_rollback(db);
	if (im.checks_off) {
		int crc = lin_store_reference_checks(db->store, 1);
		if (crc && (rc == 0 || rc == LINEAGE_EINVALID))
			rc = crc;
	}
	{
		int rrc = lin_rejects_close(&rj);
		if (rrc && (rc == 0 || rc == LINEAGE_EINVALID))
			rc = rrc;
	}
	if (rc != 0 && rc != LINEAGE_EINVALID && rc != LINEAGE_EPARSE && rc != LINEAGE_ELIMIT) {
		/* Nothing of the report is meaningful: counts of a rolled-back import. */
		lineage_import_report_free(im.rep);
		im.rep = NULL;
	}
	if (im.rep)
		lin_report_sort(im.rep);
	if (out)
		*out = im.rep;
	else
		lineage_import_report_free(im.rep);
	lin_applier_free(&ap);
	lin_vctx_free(&im.v);
	free(im.invalid.bits);
	free(im.repeats.bits);
	free(origin);
	return rc;
}

int lineage_import_path(lineage_import_report **out, lineage_db *db, const char *path,
			const lineage_import_options *opts)
{
	lin_src src;
	int rc;
	if (out)
		*out = NULL;
	if (!path)
		return lin_error_set(LINEAGE_EINVALID, "no file path given");
	if ((rc = lin_src_open_path(&src, path)) != 0)
		return rc;
	rc = run(out, db, &src, path, opts);
	lin_src_close(&src);
	return rc;
}

int lineage_import_file(lineage_import_report **out, lineage_db *db, FILE *file,
			const lineage_import_options *opts)
{
	lin_src src;
	int rc;
	if (out)
		*out = NULL;
	if ((rc = lin_src_open_file(&src, file)) != 0)
		return rc;
	rc = run(out, db, &src, NULL, opts);
	lin_src_close(&src);
	return rc;
}

int lineage_import_buffer(lineage_import_report **out, lineage_db *db, const void *data,
			  size_t len, const lineage_import_options *opts)
{
	lin_src src;
	if (out)
		*out = NULL;
	if (!data && len)
		return lin_error_set(LINEAGE_EINVALID, "no data given");
	lin_src_open_mem(&src, data, len);
	return run(out, db, &src, NULL, opts);
}
