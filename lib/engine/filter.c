/* Query options compiled against the graph, and the column views. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "queries.h"

static int kind_mask(uint8_t **out, lin_graph *g, const char *const *kinds, size_t n,
		     const char *what)
{
	uint8_t *mask;
	*out = NULL;
	if (!kinds)
		return n ? lin_error_set(LINEAGE_EINVALID, "%s_count is %zu but %s is NULL: pass the array or set the count to 0", what, n, what) : 0;
	mask = calloc((size_t)g->n_kinds + 1, 1);
	if (!mask)
		return lin_error_oom();
	for (size_t i = 0; i < n; i++) {
		int32_t k;
		if (!kinds[i]) {
			free(mask);
			return lin_error_set(LINEAGE_EINVALID, "%s[%zu] is NULL: give a kind name", what, i);
		}
		k = lin_graph_kind(g, kinds[i], 0);
		if (k != LIN_NONE)
			mask[k] = 1; /* a kind nobody uses matches nothing */
	}
	*out = mask;
	return 0;
}

int lin_filter_init(lin_filter *f, lin_graph *g, const lineage_query_options *opts)
{
	lineage_query_options defaults;
	int rc;
	memset(f, 0, sizeof *f);
	if (!opts) {
		lineage_query_options_init(&defaults, LINEAGE_QUERY_OPTIONS_VERSION);
		opts = &defaults;
	}
	if (opts->version != LINEAGE_QUERY_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "query options version %u is not supported (expected %d): fill them with lineage_query_options_init()", opts->version, LINEAGE_QUERY_OPTIONS_VERSION);
	if ((int)opts->min_source < LINEAGE_SOURCE_ANY || (int)opts->min_source > LINEAGE_SOURCE_APPROVED)
		return lin_error_set(LINEAGE_EINVALID, "min_source %d is not a lineage source: use LINEAGE_SOURCE_ANY, _INFERRED, _MANUAL or _APPROVED", (int)opts->min_source);
	if (isnan(opts->min_confidence) || opts->min_confidence < 0 || opts->min_confidence > 1)
		return lin_error_set(LINEAGE_EINVALID, "min_confidence %g is outside 0..1: give a confidence between 0 and 1", opts->min_confidence);
	if ((int)opts->columns < LINEAGE_COLUMNS_INCLUDE || (int)opts->columns > LINEAGE_COLUMNS_EXCLUDE)
		return lin_error_set(LINEAGE_EINVALID, "columns mode %d is unknown: use LINEAGE_COLUMNS_INCLUDE, _ROLLUP or _EXCLUDE", (int)opts->columns);
	f->max_depth = opts->max_depth > 0 ? opts->max_depth : 0;
	f->min_source = (int)opts->min_source;
	f->min_conf = opts->min_confidence;
	f->columns = opts->columns;
	f->max_nodes = opts->max_nodes;
	if ((rc = kind_mask(&f->edge_kind_ok, g, opts->edge_kinds, opts->edge_kind_count, "edge_kinds")) ||
	    (rc = kind_mask(&f->asset_kind_ok, g, opts->asset_kinds, opts->asset_kind_count, "asset_kinds"))) {
		lin_filter_free(f);
		return rc;
	}
	return 0;
}

void lin_filter_free(lin_filter *f)
{
	free(f->edge_kind_ok);
	free(f->asset_kind_ok);
	f->edge_kind_ok = f->asset_kind_ok = NULL;
}

int32_t lin_filter_view(const lin_filter *f, const lin_graph *g, int32_t v)
{
	if (f->columns == LINEAGE_COLUMNS_INCLUDE || !lin_graph_is_column(g, v))
		return v;
	if (f->columns == LINEAGE_COLUMNS_EXCLUDE)
		return LIN_NONE;
	while (lin_graph_is_column(g, v) && g->v_parent[v] != LIN_NONE)
		v = g->v_parent[v];
	return v;
}

int lin_vadj_next_member(lin_vadj *va)
{
	const lin_graph *g = va->g;
	if (va->sn < 0)
		return 0;
	/* The member just finished: its column children are members too. */
	for (int32_t c = g->v_first_child[va->member]; c != LIN_NONE; c = g->v_next_sib[c]) {
		if (!lin_graph_is_column(g, c))
			continue;
		if (va->sn == va->scap) {
			int32_t cap = va->scap ? va->scap * 2 : 64;
			int32_t *s = realloc(va->stack, (size_t)cap * sizeof *s);
			if (!s) {
				lin_error_oom();
				va->sn = -1;
				return 0;
			}
			va->stack = s;
			va->scap = cap;
		}
		va->stack[va->sn++] = c;
	}
	if (va->sn == 0)
		return 0;
	va->member = va->stack[--va->sn];
	if (va->out)
		lin_adj_out(&va->it, g, va->member);
	else
		lin_adj_in(&va->it, g, va->member);
	return 1;
}

void lin_vadj_free(lin_vadj *va)
{
	free(va->stack);
	va->stack = NULL;
	va->sn = va->scap = 0;
}
