/*
 * liblineage for Node.js: asynchronous work on a graph.
 *
 * A job is one napi_async_work plus a promise. Jobs of one Graph form a FIFO queue and only
 * the head is handed to libuv's thread pool, so a graph never occupies more than one pool
 * thread and its jobs run in the order they were asked for. While a job runs, it holds the
 * graph's lock: a synchronous call made meanwhile on the same Graph waits for it (correct,
 * but it blocks the event loop for that time — use the async form, or a second Graph on the
 * same file, to stay responsive).
 *
 * Progress goes to JavaScript through a thread-safe function; calls are throttled (at most
 * one per 50 ms and per stage change) and dropped once the job has completed, so no progress
 * callback arrives after the promise settled. A progress callback that returns false, or a
 * cancel token that was triggered (AbortSignal in index.js), makes the next library progress
 * callback ask liblineage to stop: the operation then fails with ECANCELLED and the database
 * is unchanged.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "addon.h"

/* ---- cancel tokens ---------------------------------------------------------------- */

static void cancel_token_finalize(napi_env env, void *data, void *hint)
{
	(void)env;
	(void)hint;
	free(data);
}

/* createCancelToken() -> an external; cancel(token) sets it. */
napi_value addon_create_cancel_token(napi_env env, napi_callback_info info)
{
	atomic_int *flag = malloc(sizeof *flag);
	napi_value result = NULL;
	(void)info;
	if (!flag) {
		napi_throw_error(env, "ENOMEM", "out of memory");
		return NULL;
	}
	atomic_init(flag, 0);
	if (napi_create_external(env, flag, cancel_token_finalize, NULL, &result) != napi_ok) {
		free(flag);
		addon_throw_napi(env, napi_generic_failure, "napi_create_external");
		return NULL;
	}
	return result;
}

static atomic_int *cancel_token_get(napi_env env, napi_value value)
{
	napi_valuetype type;
	void *data = NULL;
	if (napi_typeof(env, value, &type) != napi_ok || type != napi_external ||
	    napi_get_value_external(env, value, &data) != napi_ok || !data) {
		addon_throw_type(env, "not a cancel token (from createCancelToken())");
		return NULL;
	}
	return data;
}

napi_value addon_cancel_token(napi_env env, napi_callback_info info)
{
	size_t argc = 1;
	napi_value argv[1], result = NULL;
	atomic_int *flag;
	CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	flag = cancel_token_get(env, argc ? argv[0] : NULL);
	if (!flag)
		goto done;
	atomic_store(flag, 1);
	CHECK(napi_get_undefined(env, &result));
done:
	return result;
}

/* ---- progress --------------------------------------------------------------------- */

/*
 * Shared by the worker (which reports) and the main thread (which delivers); freed by the
 * thread-safe function's finalizer, after the last delivery.
 */
typedef struct progress_state {
	atomic_int finished;   /* the job completed: drop late deliveries */
	atomic_int *cancel;    /* the job's cancel flag (a progress callback may set it) */
	napi_ref cancel_ref;   /* keeps the flag's token alive until the finalizer */
	/* worker side only */
	char last_stage[64];
	int64_t last_ms;
} progress_state;

typedef struct progress_event {
	char stage[64];
	uint64_t done, total;
} progress_event;

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Main thread: call onProgress({stage, done, total}). */
static void progress_call_js(napi_env env, napi_value fn, void *context, void *data)
{
	progress_state *ps = context;
	progress_event *ev = data;
	napi_value arg, v, ret, undef;
	napi_valuetype type;

	if (!env || !fn || atomic_load(&ps->finished))
		goto done;
	CHECK(napi_create_object(env, &arg));
	CHECK(napi_create_string_utf8(env, ev->stage, NAPI_AUTO_LENGTH, &v));
	CHECK(napi_set_named_property(env, arg, "stage", v));
	CHECK(napi_create_double(env, (double)ev->done, &v));
	CHECK(napi_set_named_property(env, arg, "done", v));
	CHECK(napi_create_double(env, (double)ev->total, &v));
	CHECK(napi_set_named_property(env, arg, "total", v));
	CHECK(napi_get_undefined(env, &undef));
	if (napi_call_function(env, undef, fn, 1, &arg, &ret) != napi_ok) {
		/* The callback threw: stop the operation; the exception goes to the process's
		 * uncaughtException handling, as for any callback. */
		atomic_store(ps->cancel, 1);
		goto done;
	}
	CHECK(napi_typeof(env, ret, &type));
	if (type == napi_boolean) {
		bool b = true;
		napi_get_value_bool(env, ret, &b);
		if (!b)
			atomic_store(ps->cancel, 1);
	}
done:
	free(ev);
}

static void progress_finalize(napi_env env, void *data, void *hint)
{
	progress_state *ps = hint;
	(void)data;
	if (ps->cancel_ref)
		napi_delete_reference(env, ps->cancel_ref);
	free(ps);
}

int job_progress_cb(const char *stage, uint64_t done, uint64_t total, void *payload)
{
	job *j = payload;
	progress_state *ps = j->progress;

	if (atomic_load(j->cancel))
		return 1;
	if (ps && j->tsfn) {
		int64_t now = monotonic_ms();
		const char *s = stage ? stage : "";
		int stage_changed = strncmp(s, ps->last_stage, sizeof ps->last_stage - 1) != 0;
		if (stage_changed || now - ps->last_ms >= 50 || (total && done == total)) {
			progress_event *ev = calloc(1, sizeof *ev);
			if (ev) {
				strncpy(ev->stage, s, sizeof ev->stage - 1);
				ev->done = done;
				ev->total = total;
				if (napi_call_threadsafe_function(j->tsfn, ev,
								  napi_tsfn_nonblocking) != napi_ok)
					free(ev);
			}
			strncpy(ps->last_stage, s, sizeof ps->last_stage - 1);
			ps->last_ms = now;
		}
	}
	return atomic_load(j->cancel) ? 1 : 0;
}

/* ---- jobs ------------------------------------------------------------------------- */

int job_fail(job *j, int code)
{
	const lineage_error *e = lineage_error_last();
	j->rc = code ? code : LINEAGE_ERROR;
	free(j->err_message);
	j->err_message = e->code == code ? addon_error_words(e) : strdup("operation failed");
	return j->rc;
}

/* Free a job (all but its graph reference, which the caller drops when done with g). */
static void job_free(napi_env env, job *j)
{
	if (!j)
		return;
	if (j->release)
		j->release(j);
	if (j->extra)
		napi_delete_reference(env, j->extra);
	if (j->cancel_ref)
		napi_delete_reference(env, j->cancel_ref);
	if (j->work)
		napi_delete_async_work(env, j->work);
	if (j->tsfn) {
		atomic_store(&j->progress->finished, 1);
		napi_release_threadsafe_function(j->tsfn, napi_tsfn_release);
	}
	lineage_free(j->json);
	free(j->err_message);
	free(j);
}

static void job_execute(napi_env env, void *data)
{
	job *j = data;
	(void)env;
	pthread_mutex_lock(&j->g->lock);
	if (!j->g->db) {
		j->rc = LINEAGE_EUSAGE;
		j->err_message = strdup("the graph was closed before the operation could start");
	} else if (atomic_load(j->cancel)) {
		j->rc = LINEAGE_ECANCELLED;
		j->err_message = strdup("the operation was cancelled before it started");
	} else {
		j->rc = j->execute(j);
	}
	pthread_mutex_unlock(&j->g->lock);
}

/* Resolve or reject the job's promise, then free the job (but not its graph reference). */
static void job_settle(napi_env env, job *j, napi_status status)
{
	napi_value value = NULL, exc = NULL;
	bool pending = false;

	if (j->tsfn)
		atomic_store(&j->progress->finished, 1);
	if (status == napi_ok && j->rc >= 0) {
		int built = j->build ? j->build(env, j, &value)
				     : addon_json_parse(env, j->json ? j->json : "null", &value);
		if (built)
			value = NULL;
		else
			napi_resolve_deferred(env, j->deferred, value);
	} else {
		napi_value details = NULL, report = NULL, errors = NULL;
		if (j->json_is_report && j->json && !addon_json_parse(env, j->json, &report) &&
		    napi_create_object(env, &details) == napi_ok) {
			bool has = false;
			napi_set_named_property(env, details, "report", report);
			if (napi_has_named_property(env, report, "errors", &has) == napi_ok && has &&
			    napi_get_named_property(env, report, "errors", &errors) == napi_ok)
				napi_set_named_property(env, details, "errors", errors);
		}
		value = addon_make_error_details(env, j->rc < 0 ? j->rc : LINEAGE_ERROR,
						 j->err_message ? j->err_message
								: "operation failed",
						 details);
		if (value)
			napi_reject_deferred(env, j->deferred, value);
	}
	if (!value) {
		/* Building the result or the error threw: reject with that exception. */
		napi_is_exception_pending(env, &pending);
		if (pending)
			napi_get_and_clear_last_exception(env, &exc);
		if (!exc)
			napi_create_string_utf8(env, "could not build the result", NAPI_AUTO_LENGTH,
						&exc);
		napi_reject_deferred(env, j->deferred, exc);
	}
	j->deferred = NULL;
	job_free(env, j);
}

/*
 * Hand the next queued job to the thread pool; when the graph was closed, reject what is
 * queued and close the handle. The caller holds a reference on the Graph throughout.
 */
static void graph_run_next(napi_env env, graph *g)
{
	while (!g->job_running && g->queue_head) {
		job *j = g->queue_head;
		napi_ref ref;
		g->queue_head = j->next;
		if (!g->queue_head)
			g->queue_tail = NULL;
		j->next = NULL;
		if (!g->closed && napi_queue_async_work(env, j->work) == napi_ok) {
			g->job_running = 1;
			break;
		}
		j->rc = g->closed ? LINEAGE_EUSAGE : LINEAGE_ERROR;
		j->err_message = strdup(g->closed
						? "the graph was closed before the operation could start"
						: "could not queue the work on the thread pool");
		ref = j->graph_ref;
		j->graph_ref = NULL;
		job_settle(env, j, napi_ok);
		napi_delete_reference(env, ref);
	}
	if (g->closed && !g->job_running && !g->queue_head)
		graph_close_when_idle(g);
}

static void job_complete(napi_env env, napi_status status, void *data)
{
	job *j = data;
	graph *g = j->g;
	napi_ref ref = j->graph_ref; /* keeps g alive until the queue moved on */

	j->graph_ref = NULL;
	g->job_running = 0;
	job_settle(env, j, status);
	graph_run_next(env, g);
	napi_delete_reference(env, ref);
}

job *job_new(napi_env env, napi_value this_arg, napi_value opts, const char *name,
	     napi_value *promise)
{
	job *j = NULL;
	graph *g = graph_unwrap(env, this_arg, 0);
	napi_value on_progress = NULL, token = NULL, resource_name;
	napi_valuetype type;
	int present = 0, ok = 0;

	if (!g)
		return NULL;
	j = calloc(1, sizeof *j);
	if (!j) {
		napi_throw_error(env, "ENOMEM", "out of memory");
		return NULL;
	}
	j->g = g;
	if (opts) {
		CHECK(napi_typeof(env, opts, &type));
		present = type == napi_object;
	}
	if (present) {
		if (opt_function(env, opts, "onProgress", "options.onProgress", &on_progress))
			goto done;
		if (arg_prop(env, opts, "cancelToken", &token, &present))
			goto done;
	}
	/* The cancel flag lives in an external, so the job and the progress state can each
	 * hold it by reference, however their lifetimes end. */
	if (!present) {
		token = addon_create_cancel_token(env, NULL);
		if (!token)
			goto done;
	}
	j->cancel = cancel_token_get(env, token);
	if (!j->cancel)
		goto done;
	CHECK(napi_create_reference(env, token, 1, &j->cancel_ref));
	CHECK(napi_create_reference(env, this_arg, 1, &j->graph_ref));
	CHECK(napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource_name));
	if (on_progress) {
		progress_state *ps = calloc(1, sizeof *ps);
		if (!ps) {
			napi_throw_error(env, "ENOMEM", "out of memory");
			goto done;
		}
		atomic_init(&ps->finished, 0);
		ps->cancel = j->cancel;
		ps->last_ms = -1000;
		if (napi_create_reference(env, token, 1, &ps->cancel_ref) != napi_ok) {
			free(ps);
			addon_throw_napi(env, napi_generic_failure, "napi_create_reference");
			goto done;
		}
		if (napi_create_threadsafe_function(env, on_progress, NULL, resource_name, 0, 1,
						    NULL, progress_finalize, ps,
						    progress_call_js, &j->tsfn) != napi_ok) {
			napi_delete_reference(env, ps->cancel_ref);
			free(ps);
			addon_throw_napi(env, napi_generic_failure,
					 "napi_create_threadsafe_function");
			goto done;
		}
		j->progress = ps;
	}
	CHECK(napi_create_async_work(env, NULL, resource_name, job_execute, job_complete, j,
				     &j->work));
	CHECK(napi_create_promise(env, &j->deferred, promise));
	ok = 1;
done:
	if (!ok) {
		job_abandon(env, j);
		return NULL;
	}
	return j;
}

void job_abandon(napi_env env, job *j)
{
	if (!j)
		return;
	if (j->deferred) {
		/* The promise was never handed out; settle it so nothing is left pending. */
		napi_value undef;
		napi_get_undefined(env, &undef);
		napi_resolve_deferred(env, j->deferred, undef);
		j->deferred = NULL;
	}
	if (j->graph_ref)
		napi_delete_reference(env, j->graph_ref);
	job_free(env, j);
}

int job_submit(napi_env env, job *j)
{
	graph *g = j->g;
	if (g->queue_tail)
		g->queue_tail->next = j;
	else
		g->queue_head = j;
	g->queue_tail = j;
	graph_run_next(env, g);
	return 0;
}
