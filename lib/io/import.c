/*
 * Bulk import, inside one transaction that is committed or rolled back by the mode. A file of
 * lineage rows is read once: a second thread reads and validates, this one applies each
 * valid row (pass_once). A file with asset rows is read twice: pass 1 validates every row,
 * writing nothing, pass 2 reads again and applies the valid ones.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "prefetch.h"
#include "api/db_internal.h"
#include "api/write.h"
#include "common/error.h"
#include "common/util.h"
#include "rejects.h"
#include "retire.h"
#include "reader.h"
#include "validate.h"

#define PROGRESS_EVERY 1024

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
	int checks_off; /* reference checks are off for the write pass */
	int edges_bulk; /* new edges batched, secondary indexes built at the commit */
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
	snprintf(msg, sizeof msg, "%s", lin_error_plain());
	if (lin_report_issue(im->rep, 0, row, NULL, NULL, 0, msg) != 0)
		return LINEAGE_ENOMEM;
	lin_error_set(rc, "%s", msg);
	return rc;
}

/* Open a reader on the input from its start; a file that cannot be read as a whole (empty,
 * unknown header, not the format) becomes an error of the report. */
static int open_reader(lin_import *im, lineage_format format, lin_reader **r)
{
	int rc = lin_reader_open(r, im->src, format, im->opts.type, &im->limits, im->opts.sheet);
	return rc == LINEAGE_EPARSE || rc == LINEAGE_ELIMIT ? file_error(im, rc, 0) : rc;
}

/* The end of a reading loop: the last progress call, or the reason it stopped. */
static int end_of_input(lin_import *im, lin_reader *r, int rc, const char *stage, uint64_t done,
			uint64_t total)
{
	if (rc == LINEAGE_ITEROVER)
		return progress(im, stage, done, total);
	if (rc == LINEAGE_EPARSE || rc == LINEAGE_ELIMIT)
		return file_error(im, rc, r->fatal_row);
	return rc;
}

/* Two passes, pass 1: validate every row, write nothing. */
static int pass_validate(lin_import *im, lin_reader *r)
{
	const lin_raw *raw;
	lin_row row;
	int rc;
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
	rc = end_of_input(im, r, rc, "validate", im->src->consumed, im->src->size);
	for (uint64_t i = 0; i < im->records; i++)
		im->rep->sum.invalid += is_invalid(im, i);
	return rc;
}

/* The batch's label tells the file and its counts. */
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

/*
 * A row of the write pass: applied when it is valid (and not a repeat of an earlier row), or
 * rejected — invalid when read (`errors` says why), or refused by the database (unknown
 * asset, approved edge...).
 */
static int settle(lin_import *im, lin_reader *r, const lin_raw *raw, const lin_row *row,
		  int invalid, int repeat, const char *errors, lin_rejects *rj, lin_applier *ap)
{
	if (!invalid && !repeat) {
		int vr = lin_apply_row(ap, row);
		if (vr < 0)
			return vr;
		if (vr > 0) {
			im->rep->sum.invalid++;
			invalid = 1;
			errors = im->v.msgs.data;
		}
	}
	if (invalid)
		return lin_rejects_write(rj, r, raw, errors ? errors : "");
	return 0;
}

/* Two passes, pass 2: read again and apply the valid rows (pass 1's checks are trusted). */
static int pass_write(lin_import *im, lin_reader *r, lin_rejects *rj, lin_applier *ap)
{
	const lin_raw *raw;
	lin_row row;
	uint64_t done = 0;
	int rc;
	im->v.pass = 2;
	im->v.record = 0;
	while ((rc = lin_reader_next(r, &raw)) == 0) {
		int vr, invalid = is_invalid(im, raw->ordinal);
		im->v.trusted = !invalid;
		if ((vr = lin_validate(&im->v, raw, &row)) < 0) {
			rc = vr;
			break;
		}
		if ((rc = settle(im, r, raw, &row, invalid || vr > 0, bits_get(&im->repeats, raw->ordinal),
				 im->v.msgs.data, rj, ap)) != 0)
			break;
		if (++done % PROGRESS_EVERY == 0 &&
		    (rc = progress(im, "write", done, im->records)) != 0)
			break;
	}
	return end_of_input(im, r, rc, "write", done, im->records);
}

/*
 * After the first rows of a file read once, the rows to come are estimated from its size:
 * when they name about as many keys as the store has assets, every key -> id is read in one
 * scan; when they add at least as many edges as it has, new edges are written a few hundred
 * per statement and the edges' secondary indexes built once at the commit.
 */
static int plan_writes(lin_import *im, uint64_t rows_read, uint64_t consumed)
{
	uint64_t expected = lin_src_estimate_records(im->src, rows_read, consumed);
	int rc = lin_store_asset_keys_preload(im->db->store, 2 * (int64_t)expected);
	if (rc == 0)
		rc = lin_store_edges_bulk(im->db->store, (int64_t)expected, &im->edges_bulk);
	return rc;
}

/* The edges the rows `f` and `rest` (valid, written) will upsert, read ahead in one go. */
static int read_ahead(lin_import *im, const lin_fetched *f, const lin_fetched *rest, size_t n)
{
	lin_edge_ref *refs = malloc((n + 1) * sizeof *refs);
	size_t k = 0;
	int rc;
	if (!refs)
		return lin_error_oom();
	for (size_t i = 0; i <= n; i++) {
		const lin_fetched *r = i ? &rest[i - 1] : f;
		const char *job = r->row.v[LIN_COL_JOB];
		if (r->invalid || r->duplicate || r->row.type != LINEAGE_RECORDS_LINEAGE)
			continue;
		refs[k].source = r->row.v[LIN_COL_SOURCE];
		refs[k].target = r->row.v[LIN_COL_TARGET];
		refs[k].kind = lin_row_edge_kind(&r->row);
		refs[k++].job = job && *job ? job : NULL;
	}
	rc = lin_store_edges_prefetch(im->db->store, refs, k);
	free(refs);
	return rc;
}

/*
 * One pass, for a file of lineage rows: no row depends on a later one (the rules across rows
 * look back only), so each row is validated and applied in turn, and the file is read once.
 * (A file with asset rows is read twice: a row may name a parent described further down.)
 * A second thread reads and validates (prefetch.h), with a context and a report of its own,
 * while this one writes.
 */
static int pass_once(lin_import *im, lin_reader *r, lin_rejects *rj, lin_applier *ap)
{
	lineage_import_report *found = NULL; /* what the reading thread finds */
	lin_vctx reading;
	lin_prefetch *pf = NULL;
	const lin_fetched *f, *rest;
	size_t ahead = 0; /* rows still covered by the last read_ahead() */
	int rc;
	lin_vctx_init(&reading, NULL, NULL);
	if ((rc = lin_report_new(&found, im->rep->file, im->rep->max_errors, 0)) != 0 ||
	    (rc = lin_vctx_read_kinds(&reading, im->db)) != 0 ||
	    (rc = progress(im, "import", 0, im->src->size)) != 0) /* a chance to cancel early */
		goto done;
	reading.rep = found;
	if ((rc = lin_prefetch_start(&pf, r, &reading)) != 0)
		goto done;
	while ((rc = lin_prefetch_next(pf, &f)) == 0) {
		im->records++;
		im->rep->sum.invalid += f->invalid != 0;
		if (!ahead) {
			ahead = lin_prefetch_rest(pf, &rest) + 1;
			if ((rc = read_ahead(im, f, rest, ahead - 1)) != 0)
				break;
		}
		ahead--;
		if ((rc = settle(im, r, &f->raw, &f->row, f->invalid, f->duplicate, f->errors, rj, ap)) != 0)
			break;
		if (im->records == 1024 &&
		    (rc = plan_writes(im, im->records, lin_prefetch_consumed(pf))) != 0)
			break;
		if (im->records % PROGRESS_EVERY == 0 &&
		    (rc = progress(im, "import", lin_prefetch_consumed(pf), im->src->size)) != 0)
			break;
	}
	lin_prefetch_free(pf); /* the thread is done with the reader and its context */
	{
		int arc = lin_report_absorb(im->rep, found);
		if (arc && (rc == 0 || rc == LINEAGE_ITEROVER))
			rc = arc;
	}
	rc = end_of_input(im, r, rc, "import", im->src->consumed, im->src->size);
done:
	lineage_import_report_free(found);
	lin_vctx_free(&reading);
	return rc;
}

/* The write transaction of an import, in bulk mode. */
static int begin_writing(lin_import *im, const char *label)
{
	int rc;
	/* Each row's asset ids come from lookups in the import's own write transaction, and an
	 * import removes nothing: SQLite's check of every reference again is a tenth of the
	 * write time. On again when the transaction is over. */
	if ((rc = lin_store_reference_checks(im->db->store, 0)) != 0)
		return rc;
	im->checks_off = 1;
	if ((rc = lineage_db_begin(im->db, label)) != 0)
		return rc;
	/* Every row is validated before it is applied: write calls skip their savepoints. */
	return lin_write_bulk_start(im->db);
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
	if (o->version < 1 || o->version > LINEAGE_IMPORT_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "unknown import options version %u: fill the "
				     "options with lineage_import_options_init()", o->version);
	if (!lin_format_importable(o->format))
		return lin_error_set(LINEAGE_EINVALID, "%s files cannot be imported: use csv, json, "
				     "jsonl, graphml, xlsx or yaml", lineage_format_name(o->format));
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
	lin_reader *r = NULL;
	lineage_format format;
	char label[600], *origin = NULL;
	int rc, commit;
	memset(&im, 0, sizeof im);
	if (out)
		*out = NULL;
	lineage_import_options_init(&im.opts, LINEAGE_IMPORT_OPTIONS_VERSION);
	if (given) /* a version 1 struct is shorter: the rest keeps its defaults */
		memcpy(&im.opts, given, given->version == 1 ? offsetof(lineage_import_options, sheet)
							    : sizeof im.opts);
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

	if ((rc = open_reader(&im, format, &r)) != 0)
		goto done;
	if (r->type == LINEAGE_RECORDS_LINEAGE) {
		lin_src_read_once(src);
		/* the label's counts are known at the end */
		if ((rc = begin_writing(&im, "import")) != 0 ||
		    (rc = pass_once(&im, r, &rj, &ap)) != 0)
			goto counted;
	} else {
		rc = pass_validate(&im, r);
		lin_reader_free(r);
		r = NULL;
		if (rc != 0)
			goto counted;
		if (im.records > 0) {
			im.rep->sum.rows = im.records;
			write_label(&im, label, sizeof label);
			if ((rc = begin_writing(&im, label)) != 0 ||
			    (rc = lin_store_asset_keys_preload(db->store, 2 * (int64_t)im.records)) != 0 ||
			    /* new assets and change rows sent in bulk (PostgreSQL: COPY) */
			    (rc = lin_store_edges_bulk(db->store, 0, &im.edges_bulk)) != 0 ||
			    (rc = lin_src_rewind(src)) != 0 ||
			    (rc = lin_reader_open(&r, src, format, im.opts.type, &im.limits, im.opts.sheet)) != 0 ||
			    (rc = pass_write(&im, r, &rj, &ap)) != 0)
				goto counted;
		}
	}
	im.rep->sum.rows = im.records;
	im.rep->sum.valid = im.records - im.rep->sum.invalid;
	if (im.records == 0) {
		lin_error_set(LINEAGE_EPARSE, "The file has no rows to import%s. Add rows below the header, "
			      "or check that this is the right file",
			      format == LINEAGE_FORMAT_CSV ? " (only a header)" : "");
		rc = file_error(&im, LINEAGE_EPARSE, 0);
		goto done;
	}
	if (origin && (rc = retire_scope(&im, &ap)) != 0)
		goto done;
	commit = !im.opts.dry_run &&
		 (im.opts.mode == LINEAGE_IMPORT_SKIP_ERRORS || im.rep->sum.invalid == 0) &&
		 im.rep->sum.valid > 0;
	if (commit) {
		write_label(&im, label, sizeof label);
		if ((im.edges_bulk && (rc = lin_store_edges_bulk_finish(db->store)) != 0) ||
		    (rc = lin_store_batch_relabel(db->store, lineage_db_batch_id(db), label)) != 0 ||
		    (rc = lineage_db_commit(db)) != 0)
			goto done;
		im.rep->sum.committed = 1;
		im.rep->sum.batch_id = lineage_db_batch_id(db);
	} else {
		lineage_db_rollback(db);
	}
	rc = im.rep->sum.invalid ? lin_error_set(LINEAGE_EINVALID,
						  "%llu of %llu rows are invalid%s; see the report",
						  (unsigned long long)im.rep->sum.invalid,
						  (unsigned long long)im.rep->sum.rows,
						  im.rep->sum.committed ? " (the valid rows were written)"
									: " (nothing was written)")
				 : 0;
	goto done;
counted:
	/* stopped before the end: the counts of what was read, and nothing written */
	im.rep->sum.rows = im.records;
	im.rep->sum.valid = im.records - im.rep->sum.invalid;
	lin_report_forget_writes(im.rep);
done:
	lin_reader_free(r);
	/* the import's own (none was open when it began), left open by a failure; none when
	 * the store lost it */
	if (lineage_db_in_transaction(db))
		lineage_db_rollback(db);
	if (im.checks_off) {
		int crc = lin_store_reference_checks(db->store, 1);
		if (crc && (rc == 0 || rc == LINEAGE_EINVALID))
			rc = crc;
	}
	{
		int rrc = lin_rejects_close(&rj, rc == 0 || rc == LINEAGE_EINVALID);
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
