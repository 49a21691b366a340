/*
 * OpenLineage runs (schema 6) in PostgreSQL: the same table and meaning as the SQLite
 * store's (lib/store/sqlite/sq_runs.c), read and written with prepared statements. The
 * upgrade that makes the table is lin_pg_migrate_v6, listed in pg_schema.c.
 */
#include <stdlib.h>

#include "pg.h"
#include "common/util.h"

/* The runs that schema 4 kept as `run` assets (property "run") are copied in; the assets
 * stay. */
const char lin_pg_migrate_v6[] =
	"CREATE TABLE runs("
	" job_id bigint NOT NULL REFERENCES assets(id) ON DELETE CASCADE,"
	" run_id text NOT NULL,"
	" state text,"
	" sort_at bigint NOT NULL,"
	" record text NOT NULL,"
	" PRIMARY KEY(job_id, run_id));"
	"CREATE INDEX runs_order ON runs(job_id, sort_at);"
	"INSERT INTO runs(job_id, run_id, state, sort_at, record)"
	" SELECT parent_id, name, r->>'state',"
	"  coalesce((r->>'started_at')::bigint, (r->>'first_event_at')::bigint, 0), r::text"
	" FROM (SELECT parent_id, name, properties::jsonb->'run' AS r FROM assets"
	"  WHERE kind = 'run' AND parent_id IS NOT NULL) AS old"
	" WHERE jsonb_typeof(r) = 'object'"
	" ON CONFLICT DO NOTHING;";

int lin_pg_run_get(lin_store *st, int64_t job_id, const char *run_id, char **out)
{
	lin_pg_args a = {0};
	PGresult *res = NULL;
	const char *record = NULL;
	int rc;
	*out = NULL;
	lin_pg_int(&a, job_id);
	lin_pg_text(&a, run_id);
	if ((rc = lin_pg_run(LIN_PG(st), PG_RUN_GET,
			     "SELECT record FROM runs WHERE job_id = $1 AND run_id = $2", &a, &res,
			     "reading a run")))
		return rc;
	if (PQntuples(res) > 0)
		rc = lin_pg_str(res, 0, 0, &record);
	PQclear(res);
	*out = (char *)record;
	return rc;
}

int lin_pg_run_put(lin_store *st, const lin_run_row *row)
{
	lin_pg_args a = {0};
	lin_pg_int(&a, row->job_id);
	lin_pg_text(&a, row->run_id);
	lin_pg_text(&a, row->state);
	lin_pg_int(&a, row->sort_at);
	lin_pg_text(&a, row->record_json);
	return lin_pg_exec(LIN_PG(st), PG_RUN_PUT,
			   "INSERT INTO runs(job_id, run_id, state, sort_at, record) VALUES ($1, $2, $3, $4, $5)"
			   " ON CONFLICT (job_id, run_id) DO UPDATE SET state = excluded.state,"
			   " sort_at = excluded.sort_at, record = excluded.record",
			   &a, "recording a run");
}

typedef struct runs_walk {
	int64_t job_id;
	lin_run_row_cb cb;
	void *payload;
} runs_walk;

static int run_row(PGresult *res, int i, void *payload)
{
	runs_walk *w = payload;
	lin_run_row row;
	row.job_id = w->job_id;
	row.run_id = lin_pg_cstr(res, i, 0);
	row.state = lin_pg_cstr(res, i, 1);
	row.sort_at = lin_pg_i64(res, i, 2);
	row.record_json = lin_pg_cstr(res, i, 3);
	return w->cb(&row, w->payload);
}

int lin_pg_runs_of_job(lin_store *st, int64_t job_id, size_t limit, lin_run_row_cb cb,
		       void *payload)
{
	lin_pg_args a = {0};
	runs_walk w = {job_id, cb, payload};
	lin_pg_int(&a, job_id);
	lin_pg_int(&a, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
	/* run ids in byte order, as SQLite compares them */
	return lin_pg_each(LIN_PG(st), PG_RUNS_OF_JOB,
			   "SELECT run_id, state, sort_at, record FROM runs WHERE job_id = $1"
			   " ORDER BY sort_at DESC, run_id COLLATE \"C\" DESC LIMIT $2",
			   &a, run_row, &w, "reading a job's runs");
}
