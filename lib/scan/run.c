/* A scan run: inputs walked, each fed to its scanner, all stored in one transaction. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "api/db_internal.h"
#include "lineage/scan.h"
#include "store/store.h"
#include "scan_internal.h"

#define HEAD_BYTES 4096
#define DEFAULT_MAX_FILE (256u << 20)
#define MAX_WALK_FILES 1000000

int lineage_scan_options_init(lineage_scan_options *opts, unsigned int version)
{
	if (!opts || version != LINEAGE_SCAN_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "scan options: pass LINEAGE_SCAN_OPTIONS_VERSION");
	memset(opts, 0, sizeof *opts);
	opts->version = version;
	opts->max_file_bytes = DEFAULT_MAX_FILE;
	return 0;
}

/* Read a whole file, refusing ones over `max` bytes (a diagnostic, not a failure). */
static int read_file(unsigned char **out, size_t *len, const char *path, size_t max)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	unsigned char *buf = NULL;
	int rc = 0;
	*out = NULL;
	*len = 0;
	if (!f)
		return lin_error_set(LINEAGE_EIO, "cannot read %s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) != 0 || st.st_size < 0) {
		rc = lin_error_set(LINEAGE_EIO, "cannot read %s: %s", path, strerror(errno));
		goto done;
	}
	if ((uint64_t)st.st_size > max) {
		rc = lin_error_set(LINEAGE_ELIMIT, "%s is %lld bytes, over the %zu-byte limit: raise max_file_bytes or split the file",
				   path, (long long)st.st_size, max);
		goto done;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		rc = lin_error_oom();
		goto done;
	}
	*len = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		rc = lin_error_set(LINEAGE_EIO, "cannot read %s: %s", path, strerror(errno));
		goto done;
	}
	buf[*len] = '\0';
	*out = buf;
	buf = NULL;
done:
	free(buf);
	fclose(f);
	return rc;
}

typedef struct run_state {
	lin_run run;
	const lineage_scan_options *opts;
	lineage_scan_report *report;
	lineage_scanner forced; /* the scanner given by opts->type */
	int has_forced;
	size_t inputs_done;
} run_state;

/* An input the scanner gave up on leaves nothing: what it stored, and its counts, undone. */
static void forget_input(lin_run *r, const lineage_scan_summary *counts, int64_t first_seq,
			 int64_t last_seq)
{
	lineage_db *db = r->db;
	lin_store_rollback_savepoint(db->store);
	db->tx_first_seq = first_seq;
	db->tx_last_seq = last_seq;
	lin_engine_note_rollback(db, db->tx_seq_before);
	r->report->s = *counts;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int lin_run_input(lin_run *r, const lineage_scanner *sc, const char *path, const char *input,
		  const char *origin, const unsigned char *data, size_t len, int fatal)
{
	lineage_scan_sink sink;
	lineage_scan_summary counts = r->report->s;
	int64_t first_seq = r->db->tx_first_seq, last_seq = r->db->tx_last_seq;
	size_t retired = 0, removed = 0;
	int rc;
	memset(&sink, 0, sizeof sink);
	sink.db = r->db;
	sink.opts = r->opts;
	sink.report = r->report;
	sink.scanner_name = sc->name;
	sink.input = input;
	if (!lin_utf8_valid(input, strlen(input))) {
		/* Its name would be stored in every edge's origin and evidence, which are UTF-8. */
		lin_scan_report_diag(r->report, LINEAGE_DIAG_ERROR, input, 0, 0,
				     "this name is not valid UTF-8 (shown with ? for the other bytes), so the input was not scanned: rename it");
		return 0;
	}
	sink.origin = (char *)origin;
	sink.source = r->source;
	sink.collect = r->collect;
	/* Each input in a savepoint of its own, so that one the scanner gives up on leaves
	 * nothing. */
	if ((rc = lin_store_savepoint(r->db->store)) != 0)
		goto done;
	rc = sc->scan(&sink, path, data, len, sc->payload);
	if (!rc && sink.failed)
		rc = sink.failed;
	if (!rc)
		rc = lineage_edge_retire_origin(&retired, r->db, origin, sink.seen, sink.seen_len);
	if (!rc && r->source) {
		qsort(sink.assets, sink.assets_len, sizeof *sink.assets, cmp_id);
		rc = lin_scan_mark_removed(&removed, r->db, r->source, sink.assets, sink.assets_len);
	}
	if (!rc && !(rc = lin_store_release(r->db->store))) {
		r->report->s.edges_retired += retired;
		r->report->s.assets_removed += removed;
		r->report->s.files++;
		rc = lin_scan_report_input(r->report, input, sc->name, sink.input_edges, retired);
	} else if (!fatal && rc != LINEAGE_ECANCELLED && rc != LINEAGE_ENOMEM && rc != LINEAGE_EFULL &&
		   rc != LINEAGE_EREADONLY && rc != LINEAGE_EBUSY && rc != LINEAGE_EIO) {
		/* The scanner gave up on this input: a diagnostic, and the run goes on without
		 * anything of it. (Other failures end the run, which rolls back as a whole.) */
		char msg[1100];
		snprintf(msg, sizeof msg, "%s; nothing of this input was stored", lin_error_plain());
		forget_input(r, &counts, first_seq, last_seq);
		lin_scan_report_diag(r->report, LINEAGE_DIAG_ERROR, input, 0, 0, msg);
		rc = 0;
	}
done:
	free(sink.seen);
	free(sink.assets);
	return rc;
}

/* Scan one input with one scanner, then retire what that input no longer reports. */
static int scan_input(run_state *rs, const lineage_scanner *sc, const char *path,
		      const unsigned char *data, size_t len)
{
	lin_strbuf origin = LIN_STRBUF_INIT;
	int rc = lin_strbuf_printf(&origin, "scan:%s:%s", sc->name, path);
	if (!rc)
		rc = lin_run_input(&rs->run, sc, path, path, origin.data, data, len, 0);
	lin_strbuf_free(&origin);
	return rc;
}

static int progress(run_state *rs, const char *path)
{
	(void)path;
	rs->inputs_done++;
	if (rs->opts->progress &&
	    rs->opts->progress("scan", rs->inputs_done, 0, rs->opts->progress_payload))
		return lin_error_set(LINEAGE_ECANCELLED, "scan cancelled: nothing was written");
	return 0;
}

/* Scan one input's content with the scanner given or detected. */
static int scan_data(run_state *rs, const char *path, const unsigned char *data, size_t len,
		     int named)
{
	lineage_scanner sc;
	int rc;
	if (rs->has_forced)
		sc = rs->forced;
	else if (lin_scanner_detect(&sc, path, data, len < HEAD_BYTES ? len : HEAD_BYTES) != 0) {
		if (named)
			lin_scan_report_diag(rs->report, LINEAGE_DIAG_WARNING, path, 0, 0,
					     "no scanner recognises this file: name one with the scan type (sql, dbt, airflow, openlineage, datahub)");
		return progress(rs, path);
	}
	rc = scan_input(rs, &sc, path, data, len);
	return rc ? rc : progress(rs, path);
}

static int scan_file(run_state *rs, const char *path, int named)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rc = read_file(&data, &len, path, rs->opts->max_file_bytes ? rs->opts->max_file_bytes : DEFAULT_MAX_FILE);
	if (rc == LINEAGE_ELIMIT) {
		lin_scan_report_diag(rs->report, LINEAGE_DIAG_ERROR, path, 0, 0, lin_error_plain());
		return progress(rs, path);
	}
	if (rc)
		return rc;
	rc = scan_data(rs, path, data, len, named);
	free(data);
	return rc;
}

static int skip_dir(const char *name)
{
	return name[0] == '.' || !strcmp(name, "node_modules") || !strcmp(name, "__pycache__") ||
	       !strcmp(name, "dbt_packages") || !strcmp(name, "venv");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walk a directory breadth-first with an explicit queue (no recursion); sorted entries
 * make the order, and so the audit trail, reproducible. Symbolic links are not followed. */
static int scan_dir(run_state *rs, const char *root)
{
	char **queue = NULL;
	size_t head = 0, tail = 0, cap = 0, files = 0;
	int rc = 0;
	char *first = lin_strdup(root);
	if (!first)
		return LINEAGE_ENOMEM;
#define PUSH(p)                                                                            \
	do {                                                                               \
		if (tail == cap) {                                                         \
			size_t nc = cap ? cap * 2 : 64;                                    \
			char **nq = realloc(queue, nc * sizeof *nq);                       \
			if (!nq) {                                                         \
				free(p);                                                   \
				rc = lin_error_oom();                                      \
				goto done;                                                 \
			}                                                                  \
			queue = nq;                                                        \
			cap = nc;                                                          \
		}                                                                          \
		queue[tail++] = (p);                                                       \
	} while (0)
	PUSH(first);
	while (head < tail && !rc) {
		char *dir = queue[head++];
		lineage_scanner sc;
		DIR *d;
		struct dirent *ent;
		char **names = NULL;
		size_t n = 0, ncap = 0;
		if (dir != first && !rs->has_forced && lin_scanner_detect(&sc, dir, NULL, 0) == 0) {
			rc = scan_input(rs, &sc, dir, NULL, 0);
			if (!rc)
				rc = progress(rs, dir);
			continue;
		}
		d = opendir(dir);
		if (!d) {
			lin_scan_report_diag(rs->report, LINEAGE_DIAG_ERROR, dir, 0, 0, strerror(errno));
			continue;
		}
		while ((ent = readdir(d)) != NULL) {
			if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
				continue;
			if (n == ncap) {
				size_t nc = ncap ? ncap * 2 : 32;
				char **nn = realloc(names, nc * sizeof *nn);
				if (!nn) {
					rc = lin_error_oom();
					break;
				}
				names = nn;
				ncap = nc;
			}
			names[n] = lin_strdup(ent->d_name);
			if (!names[n]) {
				rc = LINEAGE_ENOMEM;
				break;
			}
			n++;
		}
		closedir(d);
		if (!rc)
			qsort(names, n, sizeof *names, cmp_str);
		for (size_t i = 0; i < n; i++) {
			lin_strbuf child = LIN_STRBUF_INIT;
			struct stat st;
			if (rc || lin_strbuf_printf(&child, "%s/%s", dir, names[i]) != 0) {
				rc = rc ? rc : LINEAGE_ENOMEM;
				free(names[i]);
				continue;
			}
			if (lstat(child.data, &st) == 0 && S_ISDIR(st.st_mode) && !skip_dir(names[i])) {
				char *c = lin_strbuf_detach(&child);
				free(names[i]);
				PUSH(c);
				continue;
			}
			if (S_ISREG(st.st_mode)) {
				if (++files > MAX_WALK_FILES)
					rc = lin_error_set(LINEAGE_ELIMIT, "more than %d files under %s: scan a smaller folder", MAX_WALK_FILES, root);
				else
					rc = scan_file(rs, child.data, 0);
			}
			lin_strbuf_free(&child);
			free(names[i]);
		}
		free(names);
	}
#undef PUSH
done:
	for (size_t i = 0; i < tail; i++)
		free(queue[i]);
	free(queue);
	return rc;
}

static int scan_path(run_state *rs, const char *path)
{
	struct stat st;
	lineage_scanner sc;
	if (stat(path, &st) != 0)
		return lin_error_set(LINEAGE_EIO, "cannot read %s: %s: check the path", path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return scan_file(rs, path, 1);
	if (rs->has_forced) {
		/* A forced scanner that takes directories (dbt) gets the directory itself. */
		if (rs->forced.detect && rs->forced.detect(path, NULL, 0, rs->forced.payload) > 0) {
			int rc = scan_input(rs, &rs->forced, path, NULL, 0);
			return rc ? rc : progress(rs, path);
		}
		return scan_dir(rs, path);
	}
	if (lin_scanner_detect(&sc, path, NULL, 0) == 0) {
		int rc = scan_input(rs, &sc, path, NULL, 0);
		return rc ? rc : progress(rs, path);
	}
	return scan_dir(rs, path);
}

/* What a run scans: paths, or one buffer. */
typedef struct run_inputs {
	const char *const *paths;
	size_t path_count;
	const char *name; /* a buffer's name, when paths is NULL */
	const unsigned char *data;
	size_t len;
} run_inputs;

int lin_run_begin(lin_run *r, lineage_db *db, const lineage_scan_options *opts,
		  const char *label)
{
	lineage_scan_report *report;
	int rc;
	r->report = NULL;
	r->db = db;
	r->opts = opts;
	if (lineage_db_in_transaction(db))
		return lin_error_set(LINEAGE_EUSAGE, "a scan runs in its own transaction: commit or roll back the open one first");
	report = calloc(1, sizeof *report);
	if (!report)
		return lin_error_oom();
	report->s.dry_run = opts->dry_run != 0;
	report->inputs = json_array();
	if (!report->inputs) {
		lineage_scan_report_free(report);
		return lin_error_oom();
	}
	{
		/* The batch's label is UTF-8 too. */
		char *text = lin_printable(label, strlen(label), strlen(label));
		rc = text ? lineage_db_begin(db, text) : LINEAGE_ENOMEM;
		free(text);
	}
	if (rc) {
		lineage_scan_report_free(report);
		return rc;
	}
	r->report = report;
	return 0;
}

int lin_run_end(lin_run *r, int rc, lineage_scan_report **out)
{
	r->report->s.batch_id = lineage_db_batch_id(r->db);
	/* A run that changed nothing (found nothing, or failed on every input) records no batch. */
	if (!rc && !r->opts->dry_run && r->db->tx_first_seq) {
		rc = lineage_db_commit(r->db);
	} else {
		int keep = rc;
		lin_error_saved saved;
		lin_error_save(&saved);
		lineage_db_rollback(r->db);
		if (keep)
			lin_error_restore(&saved);
		rc = keep;
		if (!rc)
			r->report->s.batch_id = 0;
	}
	if (rc) {
		lineage_scan_report_free(r->report);
		r->report = NULL;
		return rc;
	}
	*out = r->report;
	r->report = NULL;
	return 0;
}

static int run(lineage_scan_report **out, lineage_db *db, const run_inputs *in,
	       const lineage_scan_options *opts)
{
	lineage_scan_options defaults;
	run_state rs;
	lin_strbuf label = LIN_STRBUF_INIT;
	int rc = 0;
	*out = NULL;
	if (!opts) {
		lineage_scan_options_init(&defaults, LINEAGE_SCAN_OPTIONS_VERSION);
		opts = &defaults;
	} else if (opts->version != LINEAGE_SCAN_OPTIONS_VERSION) {
		return lin_error_set(LINEAGE_EINVALID, "scan options: fill them with lineage_scan_options_init()");
	}
	if (opts->dialect) {
		/* A wrong dialect would fail every SQL input: refuse it at once. */
		lineage_sql_options probe;
		lineage_sql_result *res = NULL;
		lineage_sql_options_init(&probe, LINEAGE_SQL_OPTIONS_VERSION);
		probe.dialect = opts->dialect;
		rc = lineage_sql_analyze(&res, "", 0, &probe);
		lineage_sql_result_free(res);
		if (rc)
			return rc;
	}
	memset(&rs, 0, sizeof rs);
	rs.opts = opts;
	if (opts->type && *opts->type && strcmp(opts->type, "auto")) {
		rc = lin_scanner_find(&rs.forced, opts->type);
		if (rc)
			return rc;
		rs.has_forced = 1;
	}
	/* The batch's label records the run: its type, dialect and every input. */
	lin_strbuf_printf(&label, "scan%s (type %s, dialect %s): ", opts->dry_run ? " (dry run)" : "",
			  opts->type && *opts->type ? opts->type : "auto",
			  opts->dialect ? opts->dialect : "ansi");
	if (!in->paths)
		lin_strbuf_puts(&label, in->name);
	for (size_t i = 0; in->paths && i < in->path_count && label.len < 2000; i++)
		lin_strbuf_printf(&label, "%s%s", i ? ", " : "", in->paths[i] ? in->paths[i] : "");
	rc = lin_run_begin(&rs.run, db, opts, label.data);
	lin_strbuf_free(&label);
	if (rc)
		return rc;
	rs.report = rs.run.report;
	for (size_t i = 0; in->paths && i < in->path_count && !rc; i++) {
		if (!in->paths[i]) {
			rc = lin_error_set(LINEAGE_EINVALID, "scan: path %zu is NULL", i);
			break;
		}
		rc = scan_path(&rs, in->paths[i]);
	}
	if (!in->paths && !rc)
		rc = scan_data(&rs, in->name, in->data, in->len, 1);
	return lin_run_end(&rs.run, rc, out);
}

int lineage_scan_run(lineage_scan_report **out, lineage_db *db, const char *const *paths,
		     size_t path_count, const lineage_scan_options *opts)
{
	run_inputs in = {paths, path_count, NULL, NULL, 0};
	if (!out || !db || !paths || !path_count)
		return lin_error_set(LINEAGE_EINVALID, "scan: give at least one file or folder to scan");
	return run(out, db, &in, opts);
}

int lineage_scan_run_buffer(lineage_scan_report **out, lineage_db *db, const char *name,
			    const void *data, size_t len, const lineage_scan_options *opts)
{
	run_inputs in = {NULL, 0, name, NULL, len};
	unsigned char *copy;
	int rc;
	if (!out || !db || !name || !*name || (!data && len))
		return lin_error_set(LINEAGE_EINVALID, "scan: give the input's name and its content");
	/* Scanners get NUL-terminated content, as from a file. */
	copy = malloc(len + 1);
	if (!copy)
		return lin_error_oom();
	if (len)
		memcpy(copy, data, len);
	copy[len] = '\0';
	in.data = copy;
	rc = run(out, db, &in, opts);
	free(copy);
	return rc;
}
