"""Backup job, batch revert, scans of uploaded files, the OpenLineage export, an asset's
fields, impact by confidence, list envelopes and the body limit, over real HTTP."""

from __future__ import annotations

import json
import socket
import sqlite3
from pathlib import Path

import lineage
from conftest import assert_error
from fastapi.testclient import TestClient
from served import serve

API = "/api/v1"


def admin_token(db_file: Path) -> dict[str, str]:
    with lineage.open(db_file) as g:
        return {"Authorization": "Bearer " + g.create_token("ops", "admin")[1]}


SQL = b"INSERT INTO mart.daily SELECT o.id, o.amount FROM stg.orders o;\n"


def test_backup_job_makes_a_consistent_copy(db_file: Path, tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    admin = admin_token(db_file)
    with serve(db_file, LINEAGE_BACKUP_DIR=str(backups)) as s:
        assert_error(s.http.post(f"{API}/admin/backup"), 401, "unauthorized")
        r = s.http.post(f"{API}/admin/backup", headers=admin)
        assert r.status_code == 202
        job = s.wait_job(r.json()["job_id"])
        assert job["state"] == "succeeded" and job["kind"] == "backup", job
        copy = Path(job["result"]["path"])
        assert copy.parent == backups and copy.stat().st_size == job["result"]["bytes"]
        assert job["progress"]["done"] == job["progress"]["total"] > 0
        con = sqlite3.connect(copy)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        con.close()
        stats = s.http.get("/health").json()
        with serve(copy) as restored:
            assert restored.http.get("/health").json()["last_seq"] == stats["last_seq"]
            assert restored.http.get(f"{API}/assets/stg.orders").status_code == 200


def test_scan_uploads_dry_run_first_then_write_then_revert(client: TestClient,
                                                           db_file: Path) -> None:
    admin = admin_token(db_file)
    files = [("files", ("daily.sql", SQL, "application/sql"))]
    dry = client.post(f"{API}/scan", files=files, data={"dialect": "postgres"},
                      headers=admin)
    assert dry.status_code == 200, dry.text
    report = dry.json()
    assert report["dry_run"] is True and report["edges"]["found"] >= 1
    assert_error(client.get(f"{API}/assets/mart.daily"), 404, "not_found")  # nothing written

    wrote = client.post(f"{API}/scan", files=files, data={"dry_run": "false"},
                        headers=admin).json()
    assert wrote["dry_run"] is False and wrote["batch_id"] > 0
    up = client.get(f"{API}/lineage/mart.daily/upstream").json()
    assert "stg.orders" in {n["key"] for n in up["nodes"]}
    edges = [e for e in up["edges"] if e["target"] == "mart.daily"]
    assert edges and all(e["lineage_source"] == "inferred" for e in edges)
    with lineage.open(db_file) as g:  # the audit trail names the token's user
        assert {c.actor for c in g.history("mart.daily")} == {"ops"}

    assert_error(client.post(f"{API}/batches/{wrote['batch_id']}/revert"), 401,
                 "unauthorized")
    r = client.post(f"{API}/batches/{wrote['batch_id']}/revert", headers=admin)
    assert r.status_code == 200 and r.json()["reverted"] == wrote["batch_id"]
    assert r.json()["batch_id"] > wrote["batch_id"]
    with lineage.open(db_file) as g:
        assert g.history("mart.daily")[0].actor == "ops"  # the revert, by the admin
    assert_error(client.get(f"{API}/assets/mart.daily"), 404, "not_found")
    assert_error(client.post(f"{API}/batches/999999/revert", headers=admin), 404, "not_found")
    assert_error(client.post(f"{API}/batches/0/revert", headers=admin), 400, "invalid")
    assert_error(client.post(f"{API}/scan", data={"dry_run": "false"}, headers=admin), 422,
                 "validation_error")


def test_async_scan_of_several_files(db_file: Path) -> None:
    dag = (b"from airflow import DAG\n"
           b"from airflow.operators.bash import BashOperator\n")
    with serve(db_file) as s:
        r = s.http.post(f"{API}/scan?async=true", data={"dry_run": "false"},
                        files=[("files", ("a.sql", SQL)),
                               ("files", ("../../b.sql", b"CREATE VIEW v.x AS SELECT 1 AS one FROM mart.daily;\n")),
                               ("files", ("dag.py", dag))])
        assert r.status_code == 202, r.text
        job = s.wait_job(r.json()["job_id"])
        assert job["state"] == "succeeded" and job["kind"] == "scan", job
        assert job["result"]["files"] == 3
        paths = {Path(i["path"]).name for i in job["result"]["inputs"]}
        assert {"a.sql", "b.sql"} <= paths  # names kept, folders stripped
        assert s.http.get(f"{API}/assets/mart.daily").status_code == 200


def test_openlineage_export_fields_and_impact_order(client: TestClient) -> None:
    r = client.get(f"{API}/export/openlineage")
    assert r.status_code == 200 and r.headers["content-type"] == "application/x-ndjson"
    events = [json.loads(line) for line in r.text.splitlines() if line]
    assert events and all("job" in e and "inputs" in e and "outputs" in e for e in events)
    assert any(o["name"].endswith("revenue_daily") for e in events for o in e["outputs"])

    f = client.get(f"{API}/tables/pg.shop.orders/fields", params={"limit": 2}).json()
    assert set(f) == {"items", "total", "limit", "offset"} and f["total"] == 4
    assert len(f["items"]) == 2 and all(c["kind"] == "column" for c in f["items"])
    assert_error(client.get(f"{API}/tables/nope/fields"), 404, "not_found")

    by_conf = client.get(f"{API}/lineage/impact/pg.shop.orders",
                         params={"order": "confidence"}).json()["affected"]
    confidences = [a["confidence"] for a in by_conf]
    assert confidences == sorted(confidences, reverse=True) and len(set(confidences)) > 1
    by_dist = client.get(f"{API}/lineage/impact/pg.shop.orders").json()["affected"]
    assert sorted(a["key"] for a in by_dist) == sorted(a["key"] for a in by_conf)
    assert_error(client.get(f"{API}/lineage/impact/pg.shop.orders",
                            params={"order": "random"}), 422, "validation_error")


def test_every_list_has_the_same_envelope(client: TestClient) -> None:
    for path in ("/edges/pending", "/assets/stg.orders/history", "/assets/stg.orders/edges",
                 "/kinds", "/jobs", "/sources", "/assets"):
        body = client.get(API + path, params={"limit": 2, "offset": 1}).json()
        assert {"items", "total", "limit", "offset"} <= set(body), path
        assert body["limit"] == 2 and body["offset"] == 1 and len(body["items"]) <= 2, path
        whole = client.get(API + path, params={"limit": 1000}).json()
        assert whole["total"] == body["total"], path
        assert body["items"] == whole["items"][1:3], path


def test_body_limit(db_file: Path) -> None:
    with serve(db_file, LINEAGE_MAX_UPLOAD_BYTES="100000") as s:
        # A 1 GB upload announced by its Content-Length: refused before it is read.
        host, port = s.base[len("http://"):].split(":")
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(b"POST /api/v1/import/execute HTTP/1.1\r\nHost: x\r\n"
                         b"Content-Type: multipart/form-data; boundary=b\r\n"
                         b"Content-Length: 1073741824\r\n\r\n" + b"x" * 1000)
            sock.settimeout(20)
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.endswith(b"}}"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 413"), answer
        body = json.loads(answer.split(b"\r\n\r\n", 1)[1])
        assert body["error"]["code"] == "too_large"
        assert "LINEAGE_MAX_UPLOAD_BYTES" in body["error"]["message"]
        # A streamed (chunked) body that grows past the limit.

        def chunks():
            yield (b'--b\r\nContent-Disposition: form-data; name="files"; '
                   b'filename="big.sql"\r\n\r\n')
            for _ in range(200):  # 2.6 MB: past the limit and its 1 MiB of framing
                yield b"-- a comment\n" * 1000

        r = s.http.post(f"{API}/scan", content=chunks(),
                        headers={"content-type": "multipart/form-data; boundary=b"})
        assert_error(r, 413, "too_large")
        assert s.http.get("/health").status_code == 200


def test_an_unexpected_failure_still_answers_the_envelope(db_file: Path) -> None:
    import app as service_module

    app = service_module.create_app(str(db_file))

    @app.get("/test-only/fails")
    def fails() -> None:
        raise RuntimeError("a defect")

    with TestClient(app, raise_server_exceptions=False) as client:
        err = assert_error(client.get("/test-only/fails"), 500, "internal")
        assert "a defect" not in err["message"]  # no internals leak
