/*
 * The Airflow scanner: DAG files (Python) read statically — never imported or executed —
 * into DAGs, tasks, dependencies, datasets and the lineage of the SQL that SQL operators
 * run (docs/scanners.md, "Airflow").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "scan/scan_internal.h"
#include "af_internal.h"

#define MAX_FILE_DIAGS 1000
#define ARENA_BASE (64u << 20)

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

/* A Python file that imports Airflow or defines a DAG. */
static int airflow_detect(const char *path, const unsigned char *head, size_t len, void *payload)
{
	(void)payload;
	if (!head || !path || !ends_with(path, ".py"))
		return 0;
	if (lin_scan_head_has(head, len, "from airflow") || lin_scan_head_has(head, len, "import airflow"))
		return 90;
	if (lin_scan_head_has(head, len, "DAG(") || lin_scan_head_has(head, len, "@dag"))
		return 60;
	return 0;
}

typedef struct diag_ctx {
	lineage_scan_sink *sink;
	const char *path;
	uint64_t *seen; /* hashes of the diagnostics given, so an unrolled loop repeats none */
	size_t cap, n, count;
} diag_ctx;

static int seen_before(diag_ctx *d, uint64_t h)
{
	size_t i;
	if (!h)
		h = 1;
	if ((d->n + 1) * 2 > d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 64;
		uint64_t *ns = calloc(nc, sizeof *ns);
		if (!ns)
			return 0;
		for (size_t k = 0; k < d->cap; k++) {
			if (d->seen[k]) {
				size_t j = d->seen[k] & (nc - 1);
				while (ns[j])
					j = (j + 1) & (nc - 1);
				ns[j] = d->seen[k];
			}
		}
		free(d->seen);
		d->seen = ns;
		d->cap = nc;
	}
	for (i = h & (d->cap - 1); d->seen[i]; i = (i + 1) & (d->cap - 1))
		if (d->seen[i] == h)
			return 1;
	d->seen[i] = h;
	d->n++;
	return 0;
}

static void on_diag(void *ctx, lineage_diag_severity sev, int line, int col, const char *msg)
{
	diag_ctx *d = ctx;
	uint64_t h = lin_hash_field(lin_hash_bytes(LIN_HASH_INIT, &line, sizeof line), msg);
	h = lin_hash_bytes(h, &col, sizeof col);
	if (seen_before(d, h))
		return;
	if (++d->count > MAX_FILE_DIAGS) {
		if (d->count == MAX_FILE_DIAGS + 1)
			lineage_scan_sink_diagnostic(d->sink, LINEAGE_DIAG_WARNING, d->path, 0, 0,
						     "more than 1000 problems in this file: the rest are not reported");
		return;
	}
	lineage_scan_sink_diagnostic(d->sink, sev, d->path, line, col, msg);
}

static int airflow_scan(lineage_scan_sink *sink, const char *path, const unsigned char *data,
			size_t len, void *payload)
{
	lin_arena arena = {NULL, 0, 0};
	af_token *toks = NULL;
	size_t ntoks = 0;
	af_body module;
	af_model model;
	diag_ctx dc;
	af_diag_fn dfn;
	af_scan_ctx sc;
	int rc;
	(void)payload;
	if (!data)
		return lin_error_set(LINEAGE_EINVALID, "%s is a folder: the airflow scanner reads DAG files (.py)", path);
	memset(&dc, 0, sizeof dc);
	memset(&model, 0, sizeof model);
	dc.sink = sink;
	dc.path = path;
	dfn.fn = on_diag;
	dfn.ctx = &dc;
	/* Memory is bounded by the file's size: the parse is linear, the evaluation budgeted. */
	arena.limit = ARENA_BASE + (len < (1u << 26) ? len * 16 : (size_t)1 << 30);
	model.arena = &arena;
	model.file = path;
	rc = lin_af_tokenize(&toks, &ntoks, (const char *)data, len, &arena, &dfn);
	if (!rc)
		rc = lin_af_parse(&module, toks, ntoks, &arena, &dfn);
	if (!rc)
		rc = lin_af_eval(&model, &module, &dfn);
	if (rc == LINEAGE_ENOMEM && arena.used_total + (1u << 20) >= arena.limit) {
		/* Over the arena's bound: this file, not the run, is the problem. */
		lineage_scan_sink_diagnostic(sink, LINEAGE_DIAG_ERROR, path, 0, 0,
					     "the file needs more memory than its size justifies (deeply repeated loops or calls): it was not read");
		rc = 0;
		goto done;
	}
	if (rc)
		goto done;
	if (!model.ndags && !model.ntasks)
		lineage_scan_sink_diagnostic(sink, LINEAGE_DIAG_NOTE, path, 0, 0,
					     "no Airflow DAG found in this file (no DAG(...), @dag function or operator)");
	sc.sink = sink;
	sc.path = path;
	sc.model = &model;
	rc = lin_af_emit(&sc);
done:
	lin_af_model_free(&model);
	free(toks);
	free(dc.seen);
	lin_arena_free(&arena);
	return rc;
}

const lineage_scanner lin_scanner_airflow = {
	LINEAGE_SCANNER_VERSION, "airflow",
	"Airflow DAG files (Python, read statically): DAGs, tasks, dependencies, datasets, SQL of SQL operators, transfers",
	airflow_detect, airflow_scan, NULL};
