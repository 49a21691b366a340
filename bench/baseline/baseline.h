/*
 * The two reference implementations the engine is measured against, reading the same
 * SQLite file as liblineage (a read-only connection of their own):
 *  - a plain array BFS over a CSR (compressed sparse rows) of the active edges: the speed
 *    limit for a traversal in memory;
 *  - a SQLite recursive CTE: what a host would write without an engine.
 *
 * Both follow liblineage's storage schema (lib/store/sqlite/sq_schema.c): edges(source_id,
 * target_id, status) where status 0 is active; assets(id, key). Closure sizes count the
 * root, as liblineage results do.
 */
#ifndef LBENCH_BASELINE_H
#define LBENCH_BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

/* The active edges, as (source, target) asset ids. */
#define LBENCH_SQL_ACTIVE_EDGES "SELECT source_id, target_id FROM edges WHERE status = 0"

enum { LBENCH_DOWN = 0, LBENCH_UP = 1 };

typedef struct lbench_csr {
	size_t nodes;       /* asset ids 0..nodes-1 (ids are dense INTEGER PRIMARY KEYs) */
	size_t edges;
	uint32_t *off[2];   /* [LBENCH_DOWN] out-edges, [LBENCH_UP] in-edges: nodes + 1 */
	uint32_t *adj[2];   /* edges each */
	uint32_t *mark;     /* visit stamps, one per node */
	uint32_t stamp;
	uint32_t *queue;    /* nodes */
} lbench_csr;

/*
 * Load the active edges of `db` into a CSR for both directions. Returns 0, or -1 with a
 * message on stderr (SQLite error, out of memory, ids that do not fit 32 bits).
 */
int lbench_csr_load(lbench_csr **out, sqlite3 *db);

/*
 * Size of the closure from `root` (root included) in direction `dir`, up to `max_depth`
 * hops (<= 0: unlimited). An id outside the graph has a closure of 1 (itself).
 * With `members` non-NULL, *members points at the visited ids (valid until the next call).
 */
size_t lbench_csr_closure(lbench_csr *g, int64_t root, int dir, int max_depth,
			  const uint32_t **members);

void lbench_csr_free(lbench_csr *g);

/* Prepared recursive-CTE closures on one connection. */
typedef struct lbench_cte {
	sqlite3_stmt *unlimited[2]; /* [dir] */
	sqlite3_stmt *limited[2];   /* [dir], depth bound as parameter 2 */
} lbench_cte;

/* Prepare the statements. Returns 0, or -1 with a message on stderr. */
int lbench_cte_prepare(lbench_cte *cte, sqlite3 *db);

/* Closure size as lbench_csr_closure() computes it. Returns 0, or -1 on a SQLite error. */
int lbench_cte_closure(size_t *out, lbench_cte *cte, int64_t root, int dir, int max_depth);

void lbench_cte_finalize(lbench_cte *cte);

#endif
