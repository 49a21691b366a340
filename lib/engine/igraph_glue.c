/* The igraph side of the engine: SCC, topological order, layouts. */
#include "igraph_glue.h"

#include <igraph.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"

struct lin_ig_cache {
	igraph_t graph;
	uint64_t version;
};

static pthread_mutex_t ig_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t ig_once = PTHREAD_ONCE_INIT;
/* Written by the handler while ig_mutex is held. */
static char ig_reason[512];
static igraph_error_t ig_errno;
static atomic_uint_fast64_t ig_builds;

static void ig_error_handler(const char *reason, const char *file, int line,
			     igraph_error_t err)
{
	(void)file;
	(void)line;
	snprintf(ig_reason, sizeof ig_reason, "%s", reason ? reason : "unknown error");
	ig_errno = err;
	IGRAPH_FINALLY_FREE();
}

static void ig_warning_handler(const char *reason, const char *file, int line)
{
	(void)reason;
	(void)file;
	(void)line; /* warnings are not errors; the library never prints */
}

static void ig_install(void)
{
	igraph_set_error_handler(ig_error_handler);
	igraph_set_warning_handler(ig_warning_handler);
}

static void ig_lock(void)
{
	pthread_once(&ig_once, ig_install);
	pthread_mutex_lock(&ig_mutex);
	ig_reason[0] = '\0';
	ig_errno = IGRAPH_SUCCESS;
}

static void ig_unlock(void)
{
	pthread_mutex_unlock(&ig_mutex);
}

/* Translate an igraph failure (called with the lock held). */
static int ig_fail(igraph_error_t err, const char *what)
{
	if (err == IGRAPH_ENOMEM)
		return lin_error_oom();
	return lin_error_set(LINEAGE_ERROR, "graph engine failed while %s: %s (%s)", what,
			     ig_reason[0] ? ig_reason : "no detail", igraph_strerror(err));
}

uint64_t lin_ig_builds(void)
{
	return atomic_load(&ig_builds);
}

void lin_ig_cache_free(lin_ig_cache *cache)
{
	if (!cache)
		return;
	ig_lock();
	igraph_destroy(&cache->graph);
	ig_unlock();
	free(cache);
}

static int is_default(const lin_filter *f)
{
	return !f->edge_kind_ok && f->min_source == 0 && f->min_conf <= 0 &&
	       f->columns == LINEAGE_COLUMNS_INCLUDE;
}

/* Build the view as an igraph_t (lock held). */
static int build(igraph_t *out, lin_graph *g, const lin_filter *f)
{
	igraph_vector_int_t ev;
	igraph_error_t err;
	lin_vadj va;
	int rc = 0;
	memset(&va, 0, sizeof va);
	if ((err = igraph_vector_int_init(&ev, 0)) != IGRAPH_SUCCESS)
		return ig_fail(err, "allocating the edge list");
	if ((err = igraph_vector_int_reserve(&ev, 2 * (igraph_integer_t)g->n_alive_e)) != IGRAPH_SUCCESS) {
		rc = ig_fail(err, "allocating the edge list");
		goto done;
	}
	for (int32_t v = 0; v < g->nv; v++) {
		int32_t s, t;
		if (!g->v_alive[v] || lin_filter_view(f, g, v) != v)
			continue;
		lin_vadj_start(&va, g, f, v, 1);
		while ((s = lin_vadj_next(&va, &t)) != LIN_NONE) {
			if ((err = igraph_vector_int_push_back(&ev, v)) != IGRAPH_SUCCESS ||
			    (err = igraph_vector_int_push_back(&ev, t)) != IGRAPH_SUCCESS) {
				rc = ig_fail(err, "building the edge list");
				goto done;
			}
		}
		if (va.sn < 0) {
			rc = LINEAGE_ENOMEM;
			goto done;
		}
	}
	if ((err = igraph_create(out, &ev, g->nv, IGRAPH_DIRECTED)) != IGRAPH_SUCCESS) {
		rc = ig_fail(err, "building the graph");
		goto done;
	}
	atomic_fetch_add(&ig_builds, 1);
done:
	lin_vadj_free(&va);
	igraph_vector_int_destroy(&ev);
	return rc;
}

/* The graph for this filter: the cached one when the filter is the default (lock held).
 * *tmp is set when the caller must destroy the returned graph. */
static int get_graph(igraph_t **out, igraph_t *tmp, int *own, lin_graph *g,
		     const lin_filter *f, lin_ig_cache **cache)
{
	int rc;
	*own = 0;
	if (cache && is_default(f)) {
		if (*cache && (*cache)->version == g->version) {
			*out = &(*cache)->graph;
			return 0;
		}
		if (*cache) {
			igraph_destroy(&(*cache)->graph);
			free(*cache);
			*cache = NULL;
		}
		*cache = malloc(sizeof **cache);
		if (!*cache)
			return lin_error_oom();
		if ((rc = build(&(*cache)->graph, g, f))) {
			free(*cache);
			*cache = NULL;
			return rc;
		}
		(*cache)->version = g->version;
		*out = &(*cache)->graph;
		return 0;
	}
	if ((rc = build(tmp, g, f)))
		return rc;
	*own = 1;
	*out = tmp;
	return 0;
}

int lin_ig_scc(lin_graph *g, const lin_filter *f, lin_ig_cache **cache, int32_t *comp,
	       int32_t *n_comp)
{
	igraph_t tmp, *graph;
	igraph_vector_int_t membership;
	igraph_integer_t no = 0;
	igraph_error_t err;
	int own = 0, rc;
	ig_lock();
	if ((rc = get_graph(&graph, &tmp, &own, g, f, cache)))
		goto unlock;
	if ((err = igraph_vector_int_init(&membership, 0)) != IGRAPH_SUCCESS) {
		rc = ig_fail(err, "allocating components");
		goto done;
	}
	err = igraph_connected_components(graph, &membership, NULL, &no, IGRAPH_STRONG);
	if (err != IGRAPH_SUCCESS) {
		rc = ig_fail(err, "finding cycles");
	} else {
		for (int32_t v = 0; v < g->nv; v++)
			comp[v] = (int32_t)VECTOR(membership)[v];
		*n_comp = (int32_t)no;
	}
	igraph_vector_int_destroy(&membership);
done:
	if (own)
		igraph_destroy(&tmp);
unlock:
	ig_unlock();
	return rc;
}

int lin_ig_topo(lin_graph *g, const lin_filter *f, lin_ig_cache **cache, int32_t *order,
		int *is_dag)
{
	igraph_t tmp, *graph;
	igraph_vector_int_t res;
	igraph_bool_t dag = 0;
	igraph_error_t err;
	int own = 0, rc;
	ig_lock();
	if ((rc = get_graph(&graph, &tmp, &own, g, f, cache)))
		goto unlock;
	if ((err = igraph_is_dag(graph, &dag)) != IGRAPH_SUCCESS) {
		rc = ig_fail(err, "checking for cycles");
		goto done;
	}
	*is_dag = dag ? 1 : 0;
	if (!dag)
		goto done;
	if ((err = igraph_vector_int_init(&res, 0)) != IGRAPH_SUCCESS) {
		rc = ig_fail(err, "allocating the order");
		goto done;
	}
	err = igraph_topological_sorting(graph, &res, IGRAPH_OUT);
	if (err != IGRAPH_SUCCESS) {
		rc = ig_fail(err, "sorting topologically");
	} else {
		for (int32_t i = 0; i < g->nv && i < (int32_t)igraph_vector_int_size(&res); i++)
			order[i] = (int32_t)VECTOR(res)[i];
	}
	igraph_vector_int_destroy(&res);
done:
	if (own)
		igraph_destroy(&tmp);
unlock:
	ig_unlock();
	return rc;
}

int lin_ig_layout(int32_t n, const int32_t *edges, int32_t m, lineage_layout layout,
		  double *pos)
{
	int32_t *layers = NULL;
	igraph_t graph;
	igraph_vector_int_t ev, lv;
	int have_lv = 0;
	igraph_matrix_t res;
	igraph_error_t err;
	int rc = 0, have_graph = 0, have_res = 0;
	if (layout == LINEAGE_LAYOUT_LAYERED) {
		layers = malloc((size_t)(n ? n : 1) * sizeof *layers);
		if (!layers)
			return lin_error_oom();
		if ((rc = lin_layering(n, edges, m, layers))) {
			free(layers);
			return rc;
		}
	}
	ig_lock();
	if ((err = igraph_vector_int_init(&ev, 2 * (igraph_integer_t)m)) != IGRAPH_SUCCESS) {
		rc = ig_fail(err, "allocating the layout");
		goto unlock;
	}
	for (int32_t i = 0; i < 2 * m; i++)
		VECTOR(ev)[i] = edges[i];
	if ((err = igraph_create(&graph, &ev, n, IGRAPH_DIRECTED)) != IGRAPH_SUCCESS) {
		rc = ig_fail(err, "building the layout graph");
		goto done;
	}
	have_graph = 1;
	if ((err = igraph_matrix_init(&res, 0, 0)) != IGRAPH_SUCCESS) {
		rc = ig_fail(err, "allocating the layout");
		goto done;
	}
	have_res = 1;
	/* the same result gives the same picture */
	igraph_rng_seed(igraph_rng_default(), 20261122);
	switch (layout) {
	case LINEAGE_LAYOUT_LAYERED:
		if ((err = igraph_vector_int_init(&lv, n)) != IGRAPH_SUCCESS)
			break;
		have_lv = 1;
		for (int32_t i = 0; i < n; i++)
			VECTOR(lv)[i] = layers[i];
		err = igraph_layout_sugiyama(&graph, &res, NULL, NULL, &lv, 1.0, 1.0, 100, NULL);
		break;
	case LINEAGE_LAYOUT_FORCE:
		err = igraph_layout_fruchterman_reingold(&graph, &res, 0, 500, sqrt((double)n),
							 IGRAPH_LAYOUT_AUTOGRID, NULL, NULL, NULL,
							 NULL, NULL);
		break;
	case LINEAGE_LAYOUT_GRID:
		err = igraph_layout_grid(&graph, &res, (igraph_integer_t)ceil(sqrt((double)n)));
		break;
	default:
		err = igraph_layout_circle(&graph, &res, igraph_vss_all());
		break;
	}
	if (err != IGRAPH_SUCCESS) {
		rc = ig_fail(err, "computing the layout");
		goto done;
	}
	for (int32_t i = 0; i < n; i++) {
		double a = MATRIX(res, i, 0), b = MATRIX(res, i, 1);
		if (layout == LINEAGE_LAYOUT_LAYERED) {
			/* Sugiyama gives (position in layer, layer): draw layers left to right */
			pos[2 * i] = b * 200.0;
			pos[2 * i + 1] = a * 80.0;
		} else if (layout == LINEAGE_LAYOUT_GRID) {
			pos[2 * i] = a * 150.0;
			pos[2 * i + 1] = b * 100.0;
		} else {
			double scale = layout == LINEAGE_LAYOUT_CIRCLE ? 40.0 * sqrt((double)n) + 100.0 : 60.0;
			pos[2 * i] = a * scale;
			pos[2 * i + 1] = b * scale;
		}
	}
done:
	if (have_lv)
		igraph_vector_int_destroy(&lv);
	if (have_res)
		igraph_matrix_destroy(&res);
	if (have_graph)
		igraph_destroy(&graph);
	igraph_vector_int_destroy(&ev);
unlock:
	ig_unlock();
	free(layers);
	return rc;
}
