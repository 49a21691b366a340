"""Background jobs: long work (imports, scans, backups, source syncs) off the request.

A route hands the work to ``JobManager.submit`` and answers 202 with ``{"job_id"}``; the
work runs on a bounded pool of threads in this process, each job on its own handle of the
store (so a long import never holds the handle that serves requests). Its state is
``queued``, ``running``, ``succeeded``, ``failed`` or ``cancelled``; its progress is what
the library's progress callback last reported (stage, done of total). Cancelling makes that
callback return False: the library stops and writes nothing, so the database is as it was
before the job.

Jobs live in memory only: a restart forgets them (and a job running then is lost with its
transaction, never half written). The history keeps the last ``LINEAGE_JOB_HISTORY``
finished jobs; at most ``LINEAGE_JOB_QUEUE`` wait at once (more: 503).

Routes: ``GET /api/v1/jobs`` (paginated), ``GET /api/v1/jobs/{id}``, ``DELETE
/api/v1/jobs/{id}`` (cancel).
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Literal, Optional

from fastapi import FastAPI, Query
from fastapi.responses import JSONResponse

import lineage

WORKERS = int(os.environ.get("LINEAGE_JOB_WORKERS", "2"))
HISTORY = int(os.environ.get("LINEAGE_JOB_HISTORY", "200"))
MAX_QUEUED = int(os.environ.get("LINEAGE_JOB_QUEUE", "100"))

State = Literal["queued", "running", "succeeded", "failed", "cancelled"]
FINISHED = ("succeeded", "failed", "cancelled")
# The work of a job: (its own graph, a progress callback) -> the report (a dict).
Work = Callable[[lineage.Graph, Callable[[str, int, int], bool]], dict[str, Any]]


class JobError(Exception):
    """Refused by the job manager: an HTTP status, an envelope code and a message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class Job:
    def __init__(self, kind: str, description: str) -> None:
        self.id = uuid.uuid4().hex
        self.kind, self.description = kind, description
        self.state: State = "queued"
        self.created_at, self.started_at, self.finished_at = time.time(), None, None
        self.stage, self.done, self.total = "", 0, 0
        self.result: Optional[dict[str, Any]] = None
        self.error: Optional[dict[str, Any]] = None
        self.cancel_requested = threading.Event()
        self.redact: Optional[Callable[[str], str]] = None

    def to_dict(self) -> dict[str, Any]:
        percent = (round(100.0 * self.done / self.total, 1)
                   if self.total > 0 else (100.0 if self.state == "succeeded" else None))
        return {"id": self.id, "kind": self.kind, "description": self.description,
                "state": self.state, "created_at": self.created_at,
                "started_at": self.started_at, "finished_at": self.finished_at,
                "progress": {"stage": self.stage, "done": self.done, "total": self.total,
                             "percent": percent},
                "result": self.result, "error": self.error}


class JobManager:
    """Runs jobs on a bounded thread pool; keeps them (and a bounded history) in memory."""

    def __init__(self, db_path: str, describe_error: Callable[[BaseException], dict[str, Any]],
                 on_commit: Optional[Callable[[int, int], None]] = None,
                 workers: int = WORKERS, history: int = HISTORY,
                 max_queued: int = MAX_QUEUED) -> None:
        self.db_path = db_path
        self._describe_error = describe_error
        self._on_commit = on_commit
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers),
                                        thread_name_prefix="lineage-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._history, self._max_queued = max(1, history), max(1, max_queued)

    def submit(self, kind: str, description: str, work: Work,
               cleanup: Optional[Callable[[], None]] = None,
               redact: Optional[Callable[[str], str]] = None) -> Job:
        """Queue `work`; `cleanup` runs once it is over (or refused); `redact` masks what
        must not be shown (a password) in the job's error."""
        job = Job(kind, description)
        job.redact = redact
        with self._lock:
            queued = sum(1 for j in self._jobs.values() if j.state == "queued")
            if queued >= self._max_queued:
                if cleanup:
                    cleanup()
                raise JobError(503, "busy", f"{queued} jobs are already waiting: retry when "
                               "some have finished (GET /api/v1/jobs?state=queued)")
            self._jobs[job.id] = job
            self._trim()
        self._pool.submit(self._run, job, work, cleanup)
        return job

    def _trim(self) -> None:
        finished = [j for j in self._jobs.values() if j.state in FINISHED]
        for old in finished[:max(0, len(finished) - self._history)]:
            del self._jobs[old.id]

    def _run(self, job: Job, work: Work, cleanup: Optional[Callable[[], None]]) -> None:
        try:
            if job.cancel_requested.is_set():
                return self._finish(job, "cancelled")
            job.state, job.started_at = "running", time.time()

            def progress(stage: str, done: int, total: int) -> bool:
                job.stage, job.done, job.total = stage, done, total
                return not job.cancel_requested.is_set()

            try:
                with lineage.open(self.db_path, actor="api") as graph:
                    if self._on_commit is not None:
                        graph.on_commit(self._on_commit)
                    result = work(graph, progress)
            except lineage.CancelledError as exc:
                if job.cancel_requested.is_set():
                    return self._finish(job, "cancelled")
                job.error = self._describe_error(exc)
                return self._finish(job, "failed")
            except Exception as exc:  # noqa: BLE001 - every failure is the job's report
                job.error = self._describe_error(exc)
                return self._finish(job, "failed")
            job.result = result
            self._finish(job, "succeeded")
        finally:
            if cleanup:
                cleanup()

    def _finish(self, job: Job, state: State) -> None:
        if job.error is not None and job.redact is not None:
            job.error = json.loads(job.redact(json.dumps(job.error)))
        with self._lock:
            job.state, job.finished_at = state, time.time()
            self._trim()

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise JobError(404, "not_found", f"no job {job_id!r}: jobs are kept in memory "
                           f"(the last {self._history} finished ones) and forgotten when the "
                           "service restarts; list them with GET /api/v1/jobs")
        return job

    def list(self, state: Optional[str], kind: Optional[str]) -> list[Job]:
        with self._lock:
            jobs = list(self._jobs.values())
        jobs = [j for j in jobs if (state is None or j.state == state)
                and (kind is None or j.kind == kind)]
        return jobs[::-1]  # newest first

    def cancel(self, job_id: str) -> Job:
        job = self.get(job_id)
        with self._lock:
            if job.state in FINISHED:
                raise JobError(409, "conflict", f"job {job_id} has already {job.state}: "
                               "nothing to cancel")
            job.cancel_requested.set()
            if job.state == "queued":
                job.state, job.finished_at = "cancelled", time.time()
        return job

    def shutdown(self) -> None:
        with self._lock:
            for job in self._jobs.values():
                if job.state not in FINISHED:
                    job.cancel_requested.set()
        self._pool.shutdown(wait=True, cancel_futures=False)


def accepted(job: Job, api: str) -> JSONResponse:
    """The 202 answer of a route that started a job."""
    return JSONResponse(status_code=202, content={"job_id": job.id, "state": job.state},
                        headers={"Location": f"{api}/jobs/{job.id}"})


def page(items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    """The envelope of every list of this service's newer routes."""
    return {"items": items[offset:offset + limit], "total": len(items),
            "limit": limit, "offset": offset}


def install(app: FastAPI, manager: JobManager, api: str) -> None:
    @app.exception_handler(JobError)
    async def _job_error(_: Any, exc: JobError) -> JSONResponse:
        return JSONResponse(status_code=exc.status, content={"error": {
            "code": exc.code, "message": exc.message, "details": {}}})

    @app.get(api + "/jobs", tags=["jobs"])
    def list_jobs(state: Optional[State] = None, kind: Optional[str] = None,
                  limit: int = Query(50, ge=1, le=1000),
                  offset: int = Query(0, ge=0)) -> dict[str, Any]:
        """Background jobs of this service process, newest first."""
        return page([j.to_dict() for j in manager.list(state, kind)], limit, offset)

    @app.get(api + "/jobs/{job_id}", tags=["jobs"])
    def get_job(job_id: str) -> dict[str, Any]:
        """A job's state, progress and, once finished, its report or error."""
        return manager.get(job_id).to_dict()

    @app.delete(api + "/jobs/{job_id}", status_code=202, tags=["jobs"])
    def cancel_job(job_id: str) -> dict[str, Any]:
        """Cancel a job: a queued one never runs; a running one stops at its next progress
        report and writes nothing (the database stays as it was before the job)."""
        return manager.cancel(job_id).to_dict()
