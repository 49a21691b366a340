/*
 * OpenLineage runs (schema 6): one row per (job, run) in the table `runs`, read and written
 * by primary key with cached statements; a job's history reads its rows by the index on
 * (job_id, sort_at). The table and its upgrade are in sq_schema.c.
 */
#include <stdlib.h>

#include "sq.h"
#include "common/util.h"

int lin_sq_run_get(lin_store *st, int64_t job_id, const char *run_id, char **out)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_RUN_GET, "SELECT record FROM runs WHERE job_id = ?1 AND run_id = ?2", &stmt);
	*out = NULL;
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, job_id);
	lin_sq_bind_text(stmt, 2, run_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		rc = (*out = lin_strdup((const char *)sqlite3_column_text(stmt, 0))) ? 0 : lin_error_oom();
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	} else {
		rc = lin_sq_error(s, rc, "reading a run");
	}
	sqlite3_reset(stmt);
	return rc;
}

int lin_sq_run_put(lin_store *st, const lin_run_row *row)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_RUN_PUT,
			     "INSERT INTO runs(job_id, run_id, state, sort_at, record) VALUES (?1, ?2, ?3, ?4, ?5)"
			     " ON CONFLICT(job_id, run_id) DO UPDATE SET state = excluded.state,"
			     " sort_at = excluded.sort_at, record = excluded.record", &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, row->job_id);
	lin_sq_bind_text(stmt, 2, row->run_id);
	lin_sq_bind_text(stmt, 3, row->state);
	sqlite3_bind_int64(stmt, 4, row->sort_at);
	lin_sq_bind_text(stmt, 5, row->record_json);
	return lin_sq_step_done(s, stmt, "recording a run");
}

typedef struct runs_ctx {
	int64_t job_id;
	lin_run_row_cb cb;
	void *payload;
} runs_ctx;

static int run_row(sqlite3_stmt *stmt, void *payload)
{
	runs_ctx *c = payload;
	lin_run_row row;
	row.job_id = c->job_id;
	row.run_id = (const char *)sqlite3_column_text(stmt, 0);
	row.state = (const char *)sqlite3_column_text(stmt, 1);
	row.sort_at = sqlite3_column_int64(stmt, 2);
	row.record_json = (const char *)sqlite3_column_text(stmt, 3);
	return c->cb(&row, c->payload);
}

int lin_sq_runs_of_job(lin_store *st, int64_t job_id, size_t limit, lin_run_row_cb cb,
		       void *payload)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	runs_ctx c = {job_id, cb, payload};
	int rc = lin_sq_stmt(s, SQ_RUNS_OF_JOB,
			     "SELECT run_id, state, sort_at, record FROM runs WHERE job_id = ?1"
			     " ORDER BY sort_at DESC, run_id DESC LIMIT ?2", &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, job_id);
	sqlite3_bind_int64(stmt, 2, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
	return lin_sq_each(s, stmt, run_row, &c, "reading a job's runs");
}
