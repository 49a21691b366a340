/* Export: options, the walk over the whole graph or a result, and the three sinks. */
#include "export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/db_internal.h"
#include "common/error.h"
#include "scan/datahub/dh_internal.h"
#include "scan/openlineage/ol_internal.h"
#include "common/util.h"
#include "engine/igraph_glue.h"
#include "tmpfile.h"
#include "validate.h"

#define PROGRESS_EVERY 4096
#define LAYOUT_MAX 20000

int lineage_export_options_init(lineage_export_options *opts, unsigned int version)
{
	if (!opts)
		return lin_error_set(LINEAGE_EINVALID, "no options given");
	if (version != LINEAGE_EXPORT_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "unknown export options version %u: this "
				     "liblineage knows version %d; rebuild against its headers",
				     version, LINEAGE_EXPORT_OPTIONS_VERSION);
	memset(opts, 0, sizeof *opts);
	opts->version = version;
	opts->format = LINEAGE_FORMAT_CSV;
	return 0;
}

void lin_exp_number(char *buf, size_t size, double d)
{
	snprintf(buf, size, "%.15g", d);
	if (strtod(buf, NULL) != d)
		snprintf(buf, size, "%.17g", d);
}

const char *lin_exp_kind(const lin_exp *x, const char *key)
{
	lin_idmap_entry *e = lin_idmap_find(&x->kinds, lin_asset_id(key));
	return e ? x->kind_names[e->row] : NULL;
}

int lin_exp_position(const lin_exp *x, const char *key, double *px, double *py)
{
	lin_idmap_entry *e;
	if (!x->has_pos || !(e = lin_idmap_find(&x->pos_index, lin_asset_id(key))))
		return -1;
	*px = x->pos[2 * e->row];
	*py = x->pos[2 * e->row + 1];
	return 0;
}

/* Remember the kind of an asset (kinds are few: a linear list of names). */
static int note_kind(lin_exp *x, const char *key, const char *kind)
{
	lin_id id = lin_asset_id(key);
	size_t k;
	if (lin_idmap_find(&x->kinds, id))
		return 0;
	for (k = 0; k < x->nkinds && strcmp(x->kind_names[k], kind); k++)
		;
	if (k == x->nkinds) {
		if (x->nkinds == x->cap_kinds) {
			size_t cap = x->cap_kinds ? x->cap_kinds * 2 : 16;
			char **p = realloc(x->kind_names, cap * sizeof *p);
			if (!p)
				return lin_error_oom();
			x->kind_names = p;
			x->cap_kinds = cap;
		}
		if (!(x->kind_names[x->nkinds] = lin_strdup(kind)))
			return LINEAGE_ENOMEM;
		x->nkinds++;
	}
	return lin_idmap_put(&x->kinds, id, k, 0);
}

static int progress(lin_exp *x)
{
	if (++x->count % PROGRESS_EVERY == 0 && x->opts.progress &&
	    x->opts.progress("export", x->count, 0, x->opts.payload) != 0)
		return lin_error_set(LINEAGE_ECANCELLED, "the export was cancelled");
	return 0;
}

/* ---- The whole graph ---- */

static int kind_row(const lin_vertex_row *row, void *payload)
{
	return note_kind(payload, row->key, row->kind);
}

static int graph_asset(const lineage_asset *a, void *payload)
{
	lin_exp *x = payload;
	int rc = x->fmt->asset(x, a);
	return rc ? rc : progress(x);
}

static int graph_edge(const lineage_edge *e, void *payload)
{
	lin_exp *x = payload;
	int rc = x->fmt->edge(x, e);
	return rc ? rc : progress(x);
}

/* Layered (or other) positions for the whole graph, by igraph, in id space. */
typedef struct graph_layout {
	lin_exp *x;
	int64_t *ids;
	char **keys;
	size_t n, cap;
	int32_t *edges;
	size_t m, cap_m;
	int err;
} graph_layout;

static int layout_vertex(const lin_vertex_row *row, void *payload)
{
	graph_layout *g = payload;
	if (g->n == LAYOUT_MAX)
		return lin_error_set(LINEAGE_ELIMIT, "the graph has more than %d assets: layouts are "
				     "computed for at most that many. Export a query result "
				     "(downstream, upstream, impact) with a layout instead", LAYOUT_MAX);
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 256;
		int64_t *ids = realloc(g->ids, cap * sizeof *ids);
		char **keys = ids ? realloc(g->keys, cap * sizeof *keys) : NULL;
		if (ids)
			g->ids = ids;
		if (!ids || !keys)
			return lin_error_oom();
		g->keys = keys;
		g->cap = cap;
	}
	g->ids[g->n] = row->id;
	if (!(g->keys[g->n] = lin_strdup(row->key)))
		return LINEAGE_ENOMEM;
	g->n++;
	return 0;
}

static int64_t index_of(const graph_layout *g, int64_t id)
{
	size_t lo = 0, hi = g->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (g->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < g->n && g->ids[lo] == id ? (int64_t)lo : -1;
}

static int layout_edge(const lin_edge_row *row, void *payload)
{
	graph_layout *g = payload;
	int64_t a, b;
	if (row->status != LINEAGE_EDGE_ACTIVE)
		return 0;
	a = index_of(g, row->source_id);
	b = index_of(g, row->target_id);
	if (a < 0 || b < 0)
		return 0;
	if (g->m == g->cap_m) {
		size_t cap = g->cap_m ? g->cap_m * 2 : 256;
		int32_t *p = realloc(g->edges, 2 * cap * sizeof *p);
		if (!p)
			return lin_error_oom();
		g->edges = p;
		g->cap_m = cap;
	}
	g->edges[2 * g->m] = (int32_t)a;
	g->edges[2 * g->m + 1] = (int32_t)b;
	g->m++;
	return 0;
}

static int layout_graph(lin_exp *x)
{
	graph_layout g;
	int rc;
	memset(&g, 0, sizeof g);
	g.x = x;
	/* Vertices come in id order, so index_of can search them. */
	if ((rc = lin_store_scan_vertices(x->db->store, layout_vertex, &g)) != 0 ||
	    (rc = lin_store_scan_edges(x->db->store, layout_edge, &g)) != 0)
		goto done;
	if (!(x->pos = calloc(2 * (g.n ? g.n : 1), sizeof *x->pos))) {
		rc = lin_error_oom();
		goto done;
	}
	if (g.n && (rc = lin_ig_layout((int32_t)g.n, g.edges, (int32_t)g.m, x->opts.layout, x->pos)) != 0)
		goto done;
	for (size_t i = 0; i < g.n && rc == 0; i++)
		rc = lin_idmap_put(&x->pos_index, lin_asset_id(g.keys[i]), i, 0);
	x->has_pos = rc == 0;
done:
	for (size_t i = 0; i < g.n; i++)
		free(g.keys[i]);
	free(g.keys);
	free(g.ids);
	free(g.edges);
	return rc;
}

static int walk_graph(lin_exp *x)
{
	int rc;
	if (x->want_edges && x->fmt->kinds &&
	    (rc = lin_store_scan_vertices(x->db->store, kind_row, x)) != 0)
		return rc;
	if (x->opts.layout && (rc = layout_graph(x)) != 0)
		return rc;
	if ((rc = x->fmt->begin(x)) != 0)
		return rc;
	if (x->want_assets && (rc = lineage_asset_foreach(x->db, graph_asset, x)) != 0)
		return rc;
	if (x->fmt->between && (rc = x->fmt->between(x)) != 0)
		return rc;
	if (x->want_edges && (rc = lineage_edge_foreach(x->db, 0, graph_edge, x)) != 0)
		return rc;
	return x->fmt->end(x);
}

/* ---- A query result ---- */

static int layout_result(lin_exp *x, const lin_idmap *seen, size_t n)
{
	const lineage_result *r = x->result;
	size_t ne = lineage_result_edge_count(r), m = 0;
	int32_t *edges = malloc(2 * (ne ? ne : 1) * sizeof *edges);
	int rc = 0;
	if (!edges || !(x->pos = calloc(2 * (n ? n : 1), sizeof *x->pos))) {
		free(edges);
		return lin_error_oom();
	}
	for (size_t i = 0; i < ne; i++) {
		const lineage_result_edge *e = lineage_result_edge_at(r, i);
		lin_idmap_entry *a = lin_idmap_find(seen, lin_asset_id(e->source_key));
		lin_idmap_entry *b = lin_idmap_find(seen, lin_asset_id(e->target_key));
		if (a && b) {
			edges[2 * m] = (int32_t)a->row;
			edges[2 * m + 1] = (int32_t)b->row;
			m++;
		}
	}
	if (n > LAYOUT_MAX)
		rc = lin_error_set(LINEAGE_ELIMIT, "the result has more than %d assets: narrow the "
				   "query (depth, kinds) to lay it out", LAYOUT_MAX);
	else if (n)
		rc = lin_ig_layout((int32_t)n, edges, (int32_t)m, x->opts.layout, x->pos);
	free(edges);
	x->has_pos = rc == 0;
	return rc;
}

static int walk_result(lin_exp *x)
{
	const lineage_result *r = x->result;
	size_t n = lineage_result_node_count(r), ne = lineage_result_edge_count(r), unique = 0;
	lin_idmap seen = {0}, edges_seen = {0};
	int rc = 0;
	/* A result may list an asset more than once (paths): export it once. */
	for (size_t i = 0; i < n && rc == 0; i++) {
		const lineage_node *nd = lineage_result_node(r, i);
		lin_id id = lin_asset_id(nd->key);
		double px, py;
		if (lin_idmap_find(&seen, id))
			continue;
		if ((rc = lin_idmap_put(&seen, id, unique, i)) == 0)
			rc = note_kind(x, nd->key, nd->kind);
		if (rc == 0 && !x->opts.layout && lineage_result_position(&px, &py, r, i) == 0) {
			double *p = realloc(x->pos, 2 * (unique + 1) * sizeof *p);
			if (!p) {
				rc = lin_error_oom();
				break;
			}
			x->pos = p;
			p[2 * unique] = px;
			p[2 * unique + 1] = py;
			rc = lin_idmap_put(&x->pos_index, id, unique, 0);
			x->has_pos = 1;
		}
		unique++;
	}
	lineage_error_clear();
	if (rc == 0 && x->opts.layout) {
		lin_idmap_free(&x->pos_index);
		rc = layout_result(x, &seen, unique);
		for (size_t s = 0; rc == 0 && s < seen.cap; s++)
			if (seen.slots[s].id.a || seen.slots[s].id.b)
				rc = lin_idmap_put(&x->pos_index, seen.slots[s].id, seen.slots[s].row, 0);
	}
	if (rc == 0)
		rc = x->fmt->begin(x);
	for (size_t i = 0; rc == 0 && x->want_assets && i < n; i++) {
		const lineage_node *nd = lineage_result_node(r, i);
		lin_idmap_entry *e = lin_idmap_find(&seen, lin_asset_id(nd->key));
		lineage_asset *a = NULL;
		if (!e || e->digest != i)
			continue; /* a repeat */
		rc = lineage_asset_get(&a, x->db, nd->key);
		if (rc == LINEAGE_ENOTFOUND) {
			rc = 0; /* removed since the query */
			continue;
		}
		if (rc == 0 && (rc = x->fmt->asset(x, a)) == 0)
			rc = progress(x);
		lineage_asset_free(a);
	}
	if (rc == 0 && x->fmt->between)
		rc = x->fmt->between(x);
	for (size_t i = 0; rc == 0 && x->want_edges && i < ne; i++) {
		const lineage_result_edge *re = lineage_result_edge_at(r, i);
		lineage_edge *full = NULL, tmp;
		lin_idhash h;
		lin_id id;
		lin_idhash_init(&h);
		lin_idhash_u64(&h, (uint64_t)re->edge_id);
		lin_idhash_str(&h, re->source_key);
		lin_idhash_str(&h, re->target_key);
		lin_idhash_str(&h, re->kind);
		id = lin_idhash_done(&h);
		if (lin_idmap_find(&edges_seen, id))
			continue;
		if ((rc = lin_idmap_put(&edges_seen, id, i, 0)) != 0)
			break;
		if (re->edge_id > 0 && lineage_edge_get(&full, x->db, re->edge_id) == 0 &&
		    !strcmp(full->source_key, re->source_key) && !strcmp(full->target_key, re->target_key)) {
			rc = x->fmt->edge(x, full);
		} else {
			/* A derived edge (such as a column roll-up): what the result knows. */
			lineage_error_clear();
			memset(&tmp, 0, sizeof tmp);
			tmp.id = re->edge_id;
			tmp.source_key = re->source_key;
			tmp.target_key = re->target_key;
			tmp.kind = re->kind ? re->kind : LINEAGE_EDGE_KIND_DEFAULT;
			tmp.lineage_source = re->lineage_source;
			tmp.confidence = re->confidence;
			tmp.properties_json = "{}";
			rc = x->fmt->edge(x, &tmp);
		}
		lineage_edge_free(full);
		if (rc == 0)
			rc = progress(x);
	}
	if (rc == 0)
		rc = x->fmt->end(x);
	lin_idmap_free(&seen);
	lin_idmap_free(&edges_seen);
	return rc;
}

/* ---- Entry points ---- */

static int run(lineage_db *db, const lineage_result *result, lin_out *out,
	       const lineage_export_options *given)
{
	lin_exp x;
	int rc;
	memset(&x, 0, sizeof x);
	if (given)
		x.opts = *given;
	else
		lineage_export_options_init(&x.opts, LINEAGE_EXPORT_OPTIONS_VERSION);
	if (x.opts.version != LINEAGE_EXPORT_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "unknown export options version %u: fill the "
				     "options with lineage_export_options_init()", x.opts.version);
	if (!db)
		return lin_error_set(LINEAGE_EUSAGE, "no database handle given");
	switch (x.opts.format) {
	case LINEAGE_FORMAT_AUTO:
	case LINEAGE_FORMAT_CSV: x.fmt = lin_exp_csv(); break;
	case LINEAGE_FORMAT_JSON: x.fmt = lin_exp_json(); break;
	case LINEAGE_FORMAT_JSONL: x.fmt = lin_exp_jsonl(); break;
	case LINEAGE_FORMAT_CYTOSCAPE: x.fmt = lin_exp_cytoscape(); break;
	case LINEAGE_FORMAT_GRAPHML: x.fmt = lin_exp_graphml(); break;
	case LINEAGE_FORMAT_DOT: x.fmt = lin_exp_dot(); break;
	case LINEAGE_FORMAT_OPENLINEAGE:
	case LINEAGE_FORMAT_DATAHUB: {
		/* Events (proposals) group edges by job (by dataset): written by the OpenLineage
		 * (DataHub) module, not per record. */
		lin_strbuf events = LIN_STRBUF_INIT;
		if (x.opts.layout)
			return lin_error_set(LINEAGE_EINVALID, "only the cytoscape format carries positions: "
					     "drop the layout, or export as cytoscape");
		rc = x.opts.format == LINEAGE_FORMAT_DATAHUB ? lin_dh_export(db, result, &events)
							      : lin_ol_export(db, result, &events);
		if (rc == 0 && events.len)
			rc = lin_out_write(out, events.data, events.len);
		if (rc == 0)
			rc = lin_out_finish(out);
		lin_strbuf_free(&events);
		return rc;
	}
	default:
		return lin_error_set(LINEAGE_EINVALID, "%s is not an export format: use csv, json, "
				     "jsonl, cytoscape, graphml, dot, openlineage or datahub",
				     lineage_format_name(x.opts.format));
	}
	if ((unsigned)x.opts.type > LINEAGE_RECORDS_BOTH)
		return lin_error_set(LINEAGE_EINVALID, "unknown record type %d: use assets or lineage",
				     (int)x.opts.type);
	if (x.opts.layout && x.opts.format != LINEAGE_FORMAT_CYTOSCAPE)
		return lin_error_set(LINEAGE_EINVALID, "only the cytoscape format carries positions: "
				     "drop the layout, or export as cytoscape");
	if (x.opts.layout && ((int)x.opts.layout < LINEAGE_LAYOUT_LAYERED || (int)x.opts.layout > LINEAGE_LAYOUT_CIRCLE))
		return lin_error_set(LINEAGE_EINVALID, "unknown layout %d: use layered, force, grid or circle", (int)x.opts.layout);
	x.type = x.opts.type;
	if (x.type == LINEAGE_RECORDS_AUTO)
		x.type = x.opts.format == LINEAGE_FORMAT_JSON ? LINEAGE_RECORDS_BOTH : LINEAGE_RECORDS_LINEAGE;
	if (x.type == LINEAGE_RECORDS_BOTH && (x.opts.format == LINEAGE_FORMAT_CSV || x.opts.format == LINEAGE_FORMAT_AUTO))
		return lin_error_set(LINEAGE_EINVALID, "a CSV file holds one record type: export the "
				     "assets and the lineage to two files");
	x.want_assets = x.fmt->assets && x.type != LINEAGE_RECORDS_LINEAGE;
	x.want_edges = x.fmt->edges && x.type != LINEAGE_RECORDS_ASSETS;
	if (x.opts.format >= LINEAGE_FORMAT_GRAPHML) {
		x.want_assets = 1; /* graphs: always both */
		x.want_edges = 1;
	}
	x.db = db;
	x.result = result;
	x.out = out;
	x.first = 1;
	rc = result ? walk_result(&x) : walk_graph(&x);
	if (rc == 0)
		rc = lin_out_finish(out);
	if (x.fmt->cleanup)
		x.fmt->cleanup(&x);
	for (size_t i = 0; i < x.nkinds; i++)
		free(x.kind_names[i]);
	free(x.kind_names);
	lin_idmap_free(&x.kinds);
	lin_idmap_free(&x.pos_index);
	free(x.pos);
	return rc;
}

int lineage_export_file(lineage_db *db, const lineage_result *result, FILE *file,
			const lineage_export_options *opts)
{
	lin_out out;
	if (!file)
		return lin_error_set(LINEAGE_EINVALID, "no output stream given (FILE * is NULL)");
	lin_out_file(&out, file, "the output stream");
	return run(db, result, &out, opts);
}

int lineage_export_buffer(char **out_text, size_t *out_len, lineage_db *db,
			  const lineage_result *result, const lineage_export_options *opts)
{
	lin_out out;
	int rc;
	if (!out_text)
		return lin_error_set(LINEAGE_EINVALID, "no place for the output (out is NULL)");
	*out_text = NULL;
	if (out_len)
		*out_len = 0;
	lin_out_mem(&out);
	rc = run(db, result, &out, opts);
	if (rc) {
		lin_strbuf_free(&out.mem);
		return rc;
	}
	if (out_len)
		*out_len = out.mem.len;
	*out_text = lin_strbuf_detach(&out.mem);
	return 0;
}

int lineage_export_path(lineage_db *db, const lineage_result *result, const char *path,
			const lineage_export_options *opts)
{
	lin_strbuf tmp = LIN_STRBUF_INIT;
	FILE *f = NULL;
	lin_out out;
	int rc;
	if (!path)
		return lin_error_set(LINEAGE_EINVALID, "no output path given");
	/* Written beside the target and renamed at the end: no partial file on failure, and
	 * none left by an earlier export that was killed. */
	lin_tmpfile_sweep(path);
	if ((rc = lin_tmpfile_create(&f, &tmp, path)) != 0) {
		lin_strbuf_free(&tmp);
		return rc;
	}
	{
		mode_t mask = umask(0);
		umask(mask);
		if (fchmod(fileno(f), 0666 & ~mask) != 0) {
			/* Private permissions are a safe default; go on. */
		}
	}
	lin_out_file(&out, f, path);
	rc = run(db, result, &out, opts);
	if (rc == 0 && fflush(f) != 0)
		rc = lin_error_set(LINEAGE_EIO, "cannot write \"%s\": %s", path, strerror(errno));
	/* Renamed while still open, so locked: a sweep cannot remove it first. */
	if (rc == 0 && rename(tmp.data, path) != 0)
		rc = lin_error_set(LINEAGE_EIO, "cannot rename the export to \"%s\": %s", path,
				   strerror(errno));
	if (fclose(f) != 0 && rc == 0)
		rc = lin_error_set(LINEAGE_EIO, "cannot write \"%s\": %s", path, strerror(errno));
	else if (rc)
		unlink(tmp.data);
	lin_strbuf_free(&tmp);
	return rc;
}
