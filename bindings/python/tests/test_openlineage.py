"""OpenLineage events recorded one at a time: lineage, run states, history, refusals."""

from __future__ import annotations

import json

import pytest

import lineage


def event(event_type: str, time: str, run: str, job: str = "etl.load",
          inputs: tuple[str, ...] = ("app.public.orders",),
          outputs: tuple[str, ...] = ("wh.raw.orders",)) -> dict:
    ds = lambda name: {"namespace": "postgres://db:5432", "name": name}  # noqa: E731
    return {
        "eventType": event_type, "eventTime": time, "producer": "https://example.com/pytest",
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "run": {"runId": run}, "job": {"namespace": "airflow", "name": job},
        "inputs": [ds(n) for n in inputs], "outputs": [ds(n) for n in outputs],
    }


def test_dict_str_and_bytes_events_record_lineage_and_state(g: lineage.Graph) -> None:
    r = g.ingest_openlineage(event("START", "2026-12-05T10:00:00Z", "r1"))
    assert r["outcome"] == "created" and r["run_state"] == "running"
    assert r["job"] == "airflow/etl.load" and r["run_id"] == "r1"
    assert g.get_asset("airflow/etl.load").status == "running"
    r = g.ingest_openlineage(json.dumps(event("COMPLETE", "2026-12-05T10:00:42Z", "r1")))
    assert r["run_state"] == "completed"
    job = g.get_asset("airflow/etl.load")
    assert job.status == "completed"
    assert job.properties["run"]["duration_ms"] == 42000
    assert job.properties["run"]["run_id"] == "r1"
    assert [n.key for n in g.upstream("wh.raw.orders").nodes if n.key != "wh.raw.orders"] \
        == ["app.public.orders"]
    # The same event again, as bytes: nothing written.
    seq = g.last_seq
    r = g.ingest_openlineage(json.dumps(event("COMPLETE", "2026-12-05T10:00:42Z", "r1")).encode())
    assert r["outcome"] == "unchanged"
    assert g.last_seq == seq


def test_out_of_order_events_and_history(g: lineage.Graph) -> None:
    g.ingest_openlineage(event("FAIL", "2026-12-05T11:05:00Z", "r2"))
    g.ingest_openlineage(event("START", "2026-12-05T11:00:00Z", "r2"))
    g.ingest_openlineage(event("START", "2026-12-05T10:00:00Z", "r1"))
    g.ingest_openlineage(event("ABORT", "2026-12-05T10:01:00Z", "r1"))
    h = g.runs("airflow/etl.load")
    assert h["status"] == "failed"
    assert [(r["run_id"], r["state"]) for r in h["runs"]] == [("r2", "failed"), ("r1", "aborted")]
    assert h["runs"][0]["duration_ms"] == 300000
    assert h["runs"][0]["events"] == {"START": 1796468400000, "FAIL": 1796468700000}
    assert len(g.runs("airflow/etl.load", limit=1)["runs"]) == 1


def test_a_batch_in_one_transaction_keeps_the_good_events(g: lineage.Graph) -> None:
    errors = []
    with g.transaction("openlineage batch"):
        for ev in (event("START", "2026-12-05T10:00:00Z", "a", job="one"),
                   {"eventType": "START", "eventTime": "2026-12-05T10:00:00Z",
                    "job": {"namespace": "airflow", "name": "bad"}},
                   event("START", "2026-12-05T10:00:00Z", "b", job="two")):
            try:
                g.ingest_openlineage(ev)
            except lineage.ValidationError as exc:
                errors.append(str(exc))
    assert errors and "run is missing" in errors[0]
    assert g.get_asset("airflow/one").status == "running"
    assert g.get_asset("airflow/two").status == "running"
    assert "airflow/bad" not in g


@pytest.mark.parametrize("bad, error, words", [
    (b"{not json", lineage.ParseError, "not valid JSON"),
    ({"eventType": "START", "eventTime": "2026-12-05T10:00:00Z", "run": {"runId": 5},
      "job": {"namespace": "a", "name": "b"}}, lineage.ValidationError, "run.runId is not a string"),
    ({"eventType": "FINISHED", "eventTime": "2026-12-05T10:00:00Z", "run": {"runId": "r"},
      "job": {"namespace": "a", "name": "b"}}, lineage.ValidationError, "eventType must be one of"),
    ({"eventType": "START", "eventTime": "12/05/2026", "run": {"runId": "r"},
      "job": {"namespace": "a", "name": "b"}}, lineage.ValidationError, "ISO 8601"),
])
def test_invalid_events_raise_and_write_nothing(g: lineage.Graph, bad, error, words) -> None:
    seq = g.last_seq
    with pytest.raises(error, match=words):
        g.ingest_openlineage(bad)
    assert g.last_seq == seq


def test_huge_facets_and_wrong_argument_types(g: lineage.Graph) -> None:
    ev = event("START", "2026-12-05T10:00:00Z", "r")
    ev["run"]["facets"] = {"blob": {"data": "x" * (5 << 20)}}
    with pytest.raises(lineage.LimitError, match="over the 4194304-byte limit"):
        g.ingest_openlineage(ev)
    with pytest.raises(TypeError, match="bytes, str or dict"):
        g.ingest_openlineage(42)  # type: ignore[arg-type]
    g.add_asset("t", "table")
    with pytest.raises(lineage.ValidationError, match="not a job"):
        g.runs("t")
    with pytest.raises(lineage.NotFoundError):
        g.runs("airflow/none")


def test_closing_the_graph_frees_the_ingester(db_path) -> None:
    g = lineage.open(db_path)
    g.ingest_openlineage(event("START", "2026-12-05T10:00:00Z", "r"))
    g.close()
    with lineage.open(db_path) as again:
        assert again.runs("airflow/etl.load")["runs"][0]["state"] == "running"
    with pytest.raises(lineage.UsageError):
        g.ingest_openlineage(event("START", "2026-12-05T10:00:00Z", "r"))
