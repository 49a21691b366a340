"""OpenLineage events into the service: the real openlineage-python client against uvicorn on
127.0.0.1 at its default endpoint, then single events, batches and refusals over HTTP."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import httpx
import pytest

from conftest import assert_error
from served import serve


def event(event_type: str, time_: str, run: str, job: str = "etl.load",
          inputs: tuple[str, ...] = ("app.public.orders",),
          outputs: tuple[str, ...] = ("wh.raw.orders",)) -> dict:
    ds = lambda name: {"namespace": "postgres://db:5432", "name": name}  # noqa: E731
    return {"eventType": event_type, "eventTime": time_, "producer": "https://example.com/test",
            "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
            "run": {"runId": run}, "job": {"namespace": "airflow", "name": job},
            "inputs": [ds(n) for n in inputs], "outputs": [ds(n) for n in outputs]}


def test_openlineage_python_client_at_its_default_endpoint(db_file: Path) -> None:
    from openlineage.client import OpenLineageClient
    from openlineage.client.event_v2 import (InputDataset, Job, OutputDataset, Run, RunEvent,
                                             RunState)
    from openlineage.client.facet_v2 import column_lineage_dataset as cll
    from openlineage.client.facet_v2 import schema_dataset, sql_job
    from openlineage.client.transport.http import HttpConfig, HttpTransport
    from openlineage.client.uuid import generate_new_uuid

    with serve(db_file) as s:
        base = s.base
        # The client as a pipeline configures it: a URL, the default endpoint path.
        client = OpenLineageClient(transport=HttpTransport(HttpConfig(url=base)))
        producer = "https://github.com/OpenLineage/OpenLineage/tree/1.0.0/integration/test"
        job = Job(namespace="spark", name="nightly.orders_by_day",
                  facets={"sql": sql_job.SQLJobFacet(query="insert into mart.orders_by_day "
                                                           "select day, sum(amount) from orders")})
        orders = InputDataset(namespace="postgres://app:5432", name="app.public.orders")
        out = OutputDataset(
            namespace="snowflake://acme", name="wh.mart.orders_by_day",
            facets={"schema": schema_dataset.SchemaDatasetFacet(fields=[
                        schema_dataset.SchemaDatasetFacetFields(name="day", type="date"),
                        schema_dataset.SchemaDatasetFacetFields(name="amount", type="numeric")]),
                    "columnLineage": cll.ColumnLineageDatasetFacet(fields={
                        "amount": cll.Fields(inputFields=[cll.InputField(
                            namespace="postgres://app:5432", name="app.public.orders",
                            field="amount")])})})
        ok_run, failed_run = str(generate_new_uuid()), str(generate_new_uuid())

        def emit(state: RunState, run_id: str, at: str) -> None:
            client.emit(RunEvent(eventType=state, eventTime=at, run=Run(runId=run_id), job=job,
                                 producer=producer, inputs=[orders], outputs=[out]))

        # The first run's COMPLETE arrives before its START: event time wins.
        emit(RunState.COMPLETE, ok_run, "2026-12-05T02:10:00.000Z")
        emit(RunState.START, ok_run, "2026-12-05T02:00:00.000Z")
        # A later run that failed after running.
        emit(RunState.START, failed_run, "2026-12-05T03:00:00.000Z")
        emit(RunState.RUNNING, failed_run, "2026-12-05T03:01:00.000Z")
        emit(RunState.FAIL, failed_run, "2026-12-05T03:02:30.000Z")

        with httpx.Client(base_url=base, timeout=10) as http:
            runs = http.get("/api/v1/assets/spark/nightly.orders_by_day/runs").json()
            assert runs["status"] == "failed"
            assert [(r["run_id"], r["state"]) for r in runs["runs"]] == [
                (failed_run, "failed"), (ok_run, "completed")]
            assert runs["runs"][0]["duration_ms"] == 150000
            assert runs["runs"][1]["duration_ms"] == 600000
            jobasset = http.get("/api/v1/assets/spark/nightly.orders_by_day").json()
            assert jobasset["status"] == "failed"
            assert jobasset["properties"]["run"]["run_id"] == failed_run
            up = http.get("/api/v1/lineage/wh.mart.orders_by_day/upstream").json()
            assert "app.public.orders" in {n["key"] for n in up["nodes"]}
            edge = http.get("/api/v1/assets/wh.mart.orders_by_day/edges",
                            params={"direction": "in"}).json()
            flows = [e for e in edge["items"] if e["source"] == "app.public.orders"]
            assert flows and flows[0]["job"] == "spark/nightly.orders_by_day"
            assert flows[0]["lineage_source"] == "inferred"
            assert flows[0]["transformation"].startswith("insert into mart.orders_by_day")
            col = http.get("/api/v1/lineage/wh.mart.orders_by_day.amount/upstream").json()
            assert "app.public.orders.amount" in {n["key"] for n in col["nodes"]}


def test_openlineage_and_edge_bodies_share_post_lineage(client) -> None:
    r = client.post("/api/v1/lineage", json=event("START", "2026-12-05T10:00:00Z", "r1"))
    assert r.status_code == 201, r.text
    assert r.json()["run_state"] == "running" and r.json()["job"] == "airflow/etl.load"
    # Today's edge body still creates an edge on the same path.
    r = client.post("/api/v1/lineage", json={"source": "wh.raw.orders", "target": "x.y",
                                             "create_missing": True})
    assert r.status_code == 201 and r.json()["target"] == "x.y", r.text
    r = client.post("/api/v1/openlineage",
                    json=event("COMPLETE", "2026-12-05T10:00:09Z", "r1"))
    assert r.status_code == 201 and r.json()["run_state"] == "completed"
    runs = client.get("/api/v1/assets/airflow/etl.load/runs", params={"limit": 1}).json()
    assert runs["status"] == "completed" and runs["runs"][0]["duration_ms"] == 9000
    # The same event again records nothing new.
    again = client.post("/api/v1/lineage", json=event("COMPLETE", "2026-12-05T10:00:09Z", "r1"))
    assert again.status_code == 201 and again.json()["outcome"] == "unchanged"
    # Gzip, as the client sends with compression on.
    body = gzip.compress(json.dumps(event("START", "2026-12-05T11:00:00Z", "r2")).encode())
    r = client.post("/api/v1/lineage", content=body,
                    headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert r.status_code == 201 and r.json()["run_id"] == "r2", r.text


def test_a_batch_records_the_good_events_and_reports_the_bad(client) -> None:
    batch = [event("START", "2026-12-05T10:00:00Z", "a", job="one"),
             {"eventType": "START", "eventTime": "2026-12-05T10:00:00Z",
              "job": {"namespace": "airflow", "name": "norun"}},
             "not an event",
             event("COMPLETE", "2026-12-05T10:05:00Z", "a", job="one")]
    r = client.post("/api/v1/lineage", json=batch)
    assert r.status_code == 207, r.text
    body = r.json()
    assert (body["recorded"], body["refused"]) == (2, 2)
    assert body["results"][1]["error"]["code"] == "invalid_event"
    assert "run is missing" in body["results"][1]["error"]["message"]
    assert "not an object" in body["results"][2]["error"]["message"]
    assert body["results"][3]["run_state"] == "completed"
    assert client.get("/api/v1/assets/airflow/one").json()["status"] == "completed"
    assert client.get("/api/v1/assets/airflow/norun").status_code == 404
    # Nothing good at all: 422 with the same report.
    err = assert_error(client.post("/api/v1/openlineage", json=[{"eventType": "START"}]),
                       422, "invalid_event")
    assert err["details"]["refused"] == 1


@pytest.mark.parametrize("body, status, code, words", [
    ({"eventType": "START", "eventTime": "2026-12-05T10:00:00Z", "run": {},
      "job": {"namespace": "a", "name": "b"}}, 422, "invalid_event", "run.runId is missing"),
    ({"eventType": "START", "eventTime": "2026-12-05T10:00:00Z", "run": {"runId": 12},
      "job": {"namespace": "a", "name": "b"}}, 422, "invalid_event", "run.runId is not a string"),
    ({"eventType": "DONE", "eventTime": "2026-12-05T10:00:00Z", "run": {"runId": "r"},
      "job": {"namespace": "a", "name": "b"}}, 422, "invalid_event", "eventType must be one of"),
    ({"eventType": "START", "eventTime": 1733392800, "run": {"runId": "r"},
      "job": {"namespace": "a", "name": "b"}}, 422, "invalid_event", "eventTime is not a string"),
    ({"eventType": "START", "eventTime": "2026-12-05T10:00:00Z", "run": {"runId": "r"},
      "job": {"namespace": "a", "name": "b"}, "inputs": {"name": "t"}}, 422, "invalid_event",
     "inputs must be an array"),
])
def test_invalid_events_are_refused_with_the_envelope(client, body, status, code, words) -> None:
    before = client.get("/api/v1/assets", params={"size": 1}).json()["total"]
    err = assert_error(client.post("/api/v1/lineage", json=body), status, code)
    assert words in err["message"], err
    assert client.get("/api/v1/assets", params={"size": 1}).json()["total"] == before


def test_not_json_huge_facets_and_huge_bodies(client) -> None:
    assert_error(client.post("/api/v1/openlineage", content=b"{\"eventType\": ",
                             headers={"Content-Type": "application/json"}), 400, "parse_error")
    big = event("START", "2026-12-05T10:00:00Z", "r")
    big["run"]["facets"] = {"spark_logicalPlan": {"plan": "x" * (10 * 1024 * 1024)}}
    err = assert_error(client.post("/api/v1/lineage", json=big), 422, "event_too_large")
    assert "over the 4194304-byte limit" in err["message"]
    huge = b"[" + b" " * (17 * 1024 * 1024) + b"]"
    err = assert_error(client.post("/api/v1/openlineage", content=huge,
                                   headers={"Content-Type": "application/json"}),
                       413, "body_too_large")
    assert "LINEAGE_MAX_OPENLINEAGE_BYTES" in err["message"]
    bomb = gzip.compress(b" " * (40 * 1024 * 1024))
    assert_error(client.post("/api/v1/openlineage", content=bomb,
                             headers={"Content-Type": "application/json",
                                      "Content-Encoding": "gzip"}), 413, "body_too_large")
    assert_error(client.get("/api/v1/assets/app.public.orders/runs"), 404, "not_found")
