/* The recursive-CTE closure: what a host would write over the file without an engine.
 * UNION (not UNION ALL) makes it terminate on cycles. */
#include "baseline.h"

#include <stdio.h>
#include <string.h>

static const char *const sql_unlimited[2] = {
	"WITH RECURSIVE r(id) AS (SELECT ?1 UNION SELECT e.target_id FROM r"
	" JOIN edges e ON e.source_id = r.id WHERE e.status = 0) SELECT count(*) FROM r",
	"WITH RECURSIVE r(id) AS (SELECT ?1 UNION SELECT e.source_id FROM r"
	" JOIN edges e ON e.target_id = r.id WHERE e.status = 0) SELECT count(*) FROM r"};

/* (id, depth) pairs are unique, so a node reached at several depths is counted once by
 * the DISTINCT; the depth bound makes it terminate. */
static const char *const sql_limited[2] = {
	"WITH RECURSIVE r(id, d) AS (SELECT ?1, 0 UNION SELECT e.target_id, r.d + 1 FROM r"
	" JOIN edges e ON e.source_id = r.id WHERE r.d < ?2 AND e.status = 0)"
	" SELECT count(DISTINCT id) FROM r",
	"WITH RECURSIVE r(id, d) AS (SELECT ?1, 0 UNION SELECT e.source_id, r.d + 1 FROM r"
	" JOIN edges e ON e.target_id = r.id WHERE r.d < ?2 AND e.status = 0)"
	" SELECT count(DISTINCT id) FROM r"};

int lbench_cte_prepare(lbench_cte *cte, sqlite3 *db)
{
	memset(cte, 0, sizeof *cte);
	for (int d = 0; d < 2; d++) {
		if (sqlite3_prepare_v2(db, sql_unlimited[d], -1, &cte->unlimited[d], NULL) !=
			    SQLITE_OK ||
		    sqlite3_prepare_v2(db, sql_limited[d], -1, &cte->limited[d], NULL) != SQLITE_OK) {
			fprintf(stderr, "bench: preparing the recursive CTE: %s\n", sqlite3_errmsg(db));
			lbench_cte_finalize(cte);
			return -1;
		}
	}
	return 0;
}

int lbench_cte_closure(size_t *out, lbench_cte *cte, int64_t root, int dir, int max_depth)
{
	sqlite3_stmt *stmt = max_depth > 0 ? cte->limited[dir] : cte->unlimited[dir];
	int rc;
	sqlite3_reset(stmt);
	sqlite3_bind_int64(stmt, 1, root);
	if (max_depth > 0)
		sqlite3_bind_int(stmt, 2, max_depth);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		fprintf(stderr, "bench: recursive CTE: %s\n", sqlite3_errmsg(sqlite3_db_handle(stmt)));
		sqlite3_reset(stmt);
		return -1;
	}
	*out = (size_t)sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return 0;
}

void lbench_cte_finalize(lbench_cte *cte)
{
	for (int d = 0; d < 2; d++) {
		sqlite3_finalize(cte->unlimited[d]);
		sqlite3_finalize(cte->limited[d]);
		cte->unlimited[d] = cte->limited[d] = NULL;
	}
}
