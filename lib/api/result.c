/* The public accessors of lineage_result. */
#include <stdlib.h>

#include "common/error.h"
#include "engine/result.h"

size_t lineage_result_node_count(const lineage_result *result)
{
	return result ? result->n_nodes : 0;
}

const lineage_node *lineage_result_node(const lineage_result *result, size_t i)
{
	if (!result || i >= result->n_nodes || lin_result_ready_to(result, LIN_READY_NODES))
		return NULL;
	return &result->nodes[i];
}

size_t lineage_result_edge_count(const lineage_result *result)
{
	/* a traversal counts its edges when first asked (0 if that fails, error set) */
	if (!result || lin_result_ready_to(result, LIN_READY_COUNTS))
		return 0;
	return result->n_edges;
}

const lineage_result_edge *lineage_result_edge_at(const lineage_result *result, size_t i)
{
	if (!result || i >= result->n_edges || lin_result_ready(result))
		return NULL;
	return &result->edges[i];
}

int lineage_result_truncated(const lineage_result *result)
{
	return result ? result->truncated : 0;
}

const char *lineage_result_root(const lineage_result *result)
{
	return result ? result->root : NULL;
}

size_t lineage_result_group_count(const lineage_result *result)
{
	return result ? result->n_groups : 0;
}

int lineage_result_position(double *x, double *y, const lineage_result *result, size_t i)
{
	if (!result || !x || !y)
		return lin_error_set(LINEAGE_EINVALID, "lineage_result_position needs a result and x, y pointers");
	if (!result->pos)
		return lin_error_set(LINEAGE_EUSAGE, "the result has no positions yet: call lineage_result_layout() first");
	if (i >= result->n_nodes)
		return lin_error_set(LINEAGE_EINVALID, "node %zu is out of range: the result has %zu nodes", i, result->n_nodes);
	*x = result->pos[2 * i];
	*y = result->pos[2 * i + 1];
	return 0;
}

void lineage_result_free(lineage_result *result)
{
	if (!result)
		return;
	if (result->owners) {
		for (size_t i = 0; i < result->n_nodes; i++)
			free(result->owners[i]);
		free(result->owners);
	}
	lin_lazy_release(result);
	free(result->nodes);
	free(result->edges);
	free(result->edge_ends);
	free(result->pos);
	lin_pool_unref(result->pool);
	free(result);
}
