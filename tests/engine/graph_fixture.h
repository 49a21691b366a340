/* A synthetic graph for the engine tests (no store): one per test, built with vtx/edg.
 * Header-only: each test program includes it once. */
#ifndef ENGINE_GRAPH_FIXTURE_H
#define ENGINE_GRAPH_FIXTURE_H

#include "engine/graph.h"
#include "testutil.h"

static lin_graph G;

static void setup(void)
{
	TU_OK(lin_graph_init(&G));
	G.building = 1;
}

static void teardown(void)
{
	lin_graph_free(&G);
}

static void vtx(int64_t id, const char *key, const char *kind, int64_t parent)
{
	ck_assert_int_ge(lin_graph_put_vertex(&G, id, key, kind), 0);
	TU_OK(lin_graph_set_parent(&G, id, parent));
}

static void edg(int64_t id, int64_t s, int64_t t, double conf)
{
	TU_OK(lin_graph_put_edge(&G, id, s, t, "flow", LINEAGE_SOURCE_MANUAL, conf, 1));
}

#endif
