"""Background jobs over real HTTP: async import, progress, report, cancel, list, errors."""

from __future__ import annotations

import time
from pathlib import Path

from conftest import assert_error
from served import serve

API = "/api/v1"


def big_csv(rows: int) -> bytes:
    return b"key,kind,owner\n" + b"".join(b"big.t%07d,table,ops\n" % i for i in range(rows))


def test_async_import_reports_progress_and_result(db_file: Path) -> None:
    with serve(db_file) as s:
        csv = big_csv(2000)
        r = s.http.post(f"{API}/import/execute", params={"async": "true"},
                        files={"file": ("assets.csv", csv, "text/csv")})
        assert r.status_code == 202, r.text
        job_id = r.json()["job_id"]
        assert r.headers["location"] == f"{API}/jobs/{job_id}"
        job = s.wait_job(job_id)
        assert job["state"] == "succeeded", job
        assert job["kind"] == "import" and job["error"] is None
        assert job["result"]["committed"] is True and job["result"]["created"]["assets"] == 2000
        assert job["progress"]["done"] == job["progress"]["total"] > 0
        assert s.http.get(f"{API}/assets/big.t0001999").json()["owner"] == "ops"

        listed = s.http.get(f"{API}/jobs", params={"limit": 1}).json()
        assert set(listed) == {"items", "total", "limit", "offset"}
        assert listed["total"] == 1 and listed["items"][0]["id"] == job_id
        assert s.http.get(f"{API}/jobs", params={"state": "failed"}).json()["total"] == 0


def test_failed_job_keeps_the_database_and_says_why(db_file: Path) -> None:
    with serve(db_file) as s:
        before = s.http.get("/health").json()["last_seq"]
        bad = b"key,kind\nok.a,table\n,table\n"
        r = s.http.post(f"{API}/import/execute?async=true",
                        files={"file": ("bad.csv", bad, "text/csv")})
        job = s.wait_job(r.json()["job_id"])
        assert job["state"] == "failed" and job["result"] is None
        err = job["error"]
        assert err["status"] == 422 and err["code"] == "invalid_rows", err
        assert err["details"]["report"]["errors"][0]["row"] == 3
        assert s.http.get("/health").json()["last_seq"] == before
        assert_error(s.http.get(f"{API}/assets/ok.a"), 404, "not_found")


def test_unknown_and_finished_jobs(db_file: Path) -> None:
    with serve(db_file) as s:
        err = assert_error(s.http.get(f"{API}/jobs/nope"), 404, "not_found")
        assert "GET /api/v1/jobs" in err["message"]
        assert_error(s.http.delete(f"{API}/jobs/nope"), 404, "not_found")
        r = s.http.post(f"{API}/import/execute?async=true",
                        files={"file": ("a.csv", b"key,kind\nj.a,table\n", "text/csv")})
        job = s.wait_job(r.json()["job_id"])
        err = assert_error(s.http.delete(f"{API}/jobs/{job['id']}"), 409, "conflict")
        assert "already succeeded" in err["message"]
        assert_error(s.http.get(f"{API}/jobs", params={"state": "sleeping"}), 422,
                     "validation_error")


def test_cancel_queued_and_running_jobs_writes_nothing(db_file: Path) -> None:
    with serve(db_file, LINEAGE_JOB_WORKERS="1") as s:
        before = s.http.get("/health").json()["last_seq"]
        upload = {"file": ("big.csv", big_csv(300_000), "text/csv")}
        first = s.http.post(f"{API}/import/execute?async=true", files=upload).json()["job_id"]
        second = s.http.post(f"{API}/import/execute?async=true",
                             files={"file": ("s.csv", b"key,kind\nq.a,table\n")}).json()["job_id"]
        # The single worker is busy with the first: the second waits, and never runs.
        queued = s.http.delete(f"{API}/jobs/{second}")
        assert queued.status_code == 202 and queued.json()["state"] == "cancelled"
        deadline = time.monotonic() + 60
        while True:
            job = s.http.get(f"{API}/jobs/{first}").json()
            if job["state"] == "running" and job["progress"]["done"] > 0:
                break
            assert job["state"] in ("queued", "running") and time.monotonic() < deadline, job
            time.sleep(0.01)
        assert 0 < job["progress"]["done"] < job["progress"]["total"]
        assert s.http.delete(f"{API}/jobs/{first}").status_code == 202
        job = s.wait_job(first)
        assert job["state"] == "cancelled" and job["result"] is None, job
        second_job = s.wait_job(second)
        assert second_job["state"] == "cancelled" and second_job["started_at"] is None
        # Nothing of either was written.
        assert s.http.get("/health").json()["last_seq"] == before
        assert_error(s.http.get(f"{API}/assets/big.t0000000"), 404, "not_found")
        assert_error(s.http.get(f"{API}/assets/q.a"), 404, "not_found")
