/*
 * The jobs an ingester has seen: each job's id and the run it shows, so that an event of a
 * known job reads nothing of it, and the state each job is to show, written once per job and
 * transaction (when it commits) instead of once per event. The last state wins; the run
 * history keeps every event (runs.c). The ingester forgets all of it when the store changes
 * behind it (ingest.c).
 */
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "ol_internal.h"

/* Past this many jobs, the ones with nothing to write are forgotten (memory stays bounded). */
#define MAX_JOBS 65536

struct lin_ol_jobs {
	lin_ol_job **slots; /* open addressing by key hash; NULL: empty */
	size_t cap, count;
	lin_ol_job **pending; /* jobs with a state to write */
	size_t n_pending, cap_pending;
};

lin_ol_jobs *lin_ol_jobs_new(void)
{
	return calloc(1, sizeof(lin_ol_jobs));
}

static void job_free(lin_ol_job *job)
{
	free(job->key);
	free(job->shown_run);
	free(job->record);
	free(job);
}

void lin_ol_jobs_clear(lin_ol_jobs *jobs)
{
	for (size_t i = 0; i < jobs->cap; i++)
		if (jobs->slots[i]) {
			job_free(jobs->slots[i]);
			jobs->slots[i] = NULL;
		}
	jobs->count = 0;
	jobs->n_pending = 0;
}

void lin_ol_jobs_free(lin_ol_jobs *jobs)
{
	if (!jobs)
		return;
	lin_ol_jobs_clear(jobs);
	free(jobs->slots);
	free(jobs->pending);
	free(jobs);
}

int lin_ol_jobs_pending(const lin_ol_jobs *jobs)
{
	return jobs->n_pending > 0;
}

static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)h;
}

static lin_ol_job **slot(lin_ol_job **slots, size_t cap, const char *key)
{
	size_t i = hash(key) & (cap - 1);
	while (slots[i] && strcmp(slots[i]->key, key))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static int grow(lin_ol_jobs *jobs)
{
	size_t cap = jobs->cap ? jobs->cap * 2 : 64;
	lin_ol_job **slots = calloc(cap, sizeof *slots);
	if (!slots)
		return lin_error_oom();
	for (size_t i = 0; i < jobs->cap; i++)
		if (jobs->slots[i])
			*slot(slots, cap, jobs->slots[i]->key) = jobs->slots[i];
	free(jobs->slots);
	jobs->slots = slots;
	jobs->cap = cap;
	return 0;
}

int lin_ol_jobs_get(lin_ol_job **out, lin_ol_jobs *jobs, lineage_db *db, const char *key)
{
	lin_ol_job *job, **at;
	int rc;
	*out = NULL;
	if (jobs->cap && (*out = *slot(jobs->slots, jobs->cap, key)))
		return 0;
	if (jobs->count >= MAX_JOBS && !jobs->n_pending)
		lin_ol_jobs_clear(jobs);
	if ((jobs->count + 1) * 2 > jobs->cap && (rc = grow(jobs)))
		return rc;
	if (!(job = calloc(1, sizeof *job)) || !(job->key = lin_strdup(key))) {
		free(job);
		return lin_error_oom();
	}
	if ((rc = lin_ol_job_read(db, key, &job->id, &job->shown_run, &job->shown_order))) {
		job_free(job);
		return rc;
	}
	at = slot(jobs->slots, jobs->cap, key);
	*at = job;
	jobs->count++;
	*out = job;
	return 0;
}

int lin_ol_jobs_show(lin_ol_jobs *jobs, lin_ol_job *job, const char *run_id, int64_t order,
		     const char *state, char **record)
{
	char *id = NULL;
	if (!job->shown_run || strcmp(job->shown_run, run_id)) {
		if (!(id = lin_strdup(run_id)))
			return lin_error_oom();
		free(job->shown_run);
		job->shown_run = id;
	}
	if (!job->record) {
		if (jobs->n_pending == jobs->cap_pending) {
			size_t cap = jobs->cap_pending ? jobs->cap_pending * 2 : 64;
			lin_ol_job **p = realloc(jobs->pending, cap * sizeof *p);
			if (!p)
				return lin_error_oom();
			jobs->pending = p;
			jobs->cap_pending = cap;
		}
		jobs->pending[jobs->n_pending++] = job;
	}
	free(job->record);
	job->record = *record;
	*record = NULL;
	job->shown_order = order;
	job->state = state;
	return 0;
}

int lin_ol_jobs_flush(lin_ol_jobs *jobs, lineage_db *db, size_t *updated)
{
	int rc = 0, changed;
	while (jobs->n_pending && !rc) {
		lin_ol_job *job = jobs->pending[jobs->n_pending - 1];
		rc = lin_ol_job_show(db, job->key, job->id, job->shown_run, job->shown_order,
				     job->state, job->record, &changed);
		if (rc)
			break;
		if (updated)
			*updated += (size_t)changed;
		free(job->record);
		job->record = NULL;
		jobs->n_pending--;
	}
	return rc;
}
