from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

import lineage

SQL = """
INSERT INTO mart.daily (day, total)
SELECT o.day, SUM(o.amount) FROM stg.orders o JOIN stg.customers c ON c.id = o.customer_id
GROUP BY o.day;
"""


def test_analyze_sql() -> None:
    r = lineage.analyze_sql(SQL, "postgres")
    assert r["targets"] == ["mart.daily"]
    assert set(r["sources"]) == {"stg.orders", "stg.customers"}
    assert ["stg.orders.amount", "mart.daily.total"] in r["column_lineage"]
    assert ["stg.orders", "mart.daily"] in r["table_lineage"]
    assert r["diagnostics"] == []


def test_analyze_sql_reports_what_it_cannot_parse() -> None:
    r = lineage.analyze_sql(b"SELEKT nonsense;\nINSERT INTO a SELECT * FROM b;", file="x.sql")
    assert r["table_lineage"] == [["b", "a"]]
    assert r["diagnostics"] and r["diagnostics"][0]["severity"] == "error"


def test_analyze_sql_with_a_schema() -> None:
    r = lineage.analyze_sql("INSERT INTO t2 SELECT * FROM t1", schema={"t1": ["a", "b"]})
    assert ["t1.a", "t2.a"] in r["column_lineage"]


def test_analyze_sql_bad_input() -> None:
    with pytest.raises(lineage.ValidationError, match="postgres"):
        lineage.analyze_sql("select 1", dialect="cobol")
    with pytest.raises(TypeError, match="sql must be str or bytes"):
        lineage.analyze_sql(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="schema"):
        lineage.analyze_sql("select 1", schema={"t": "a,b"})  # type: ignore[dict-item]


def test_dialects_and_scanners() -> None:
    assert {"ansi", "postgres", "snowflake", "bigquery"} <= set(lineage.sql_dialects())
    names = {s["name"] for s in lineage.scanners()}
    assert {"dbt", "openlineage"} <= names


def _events(tmp_path: Path, n: int = 3) -> Path:
    """OpenLineage run events, one file per job: stg.s<i> -> mart.t<i>."""
    folder = tmp_path / "events"
    folder.mkdir()
    for i in range(n):
        event = {"eventType": "COMPLETE", "eventTime": "2026-01-01T00:00:00Z",
                 "run": {"runId": f"00000000-0000-4000-8000-00000000000{i}"},
                 "job": {"namespace": "etl", "name": f"load_{i}"},
                 "inputs": [{"namespace": "warehouse", "name": f"stg.s{i}"}],
                 "outputs": [{"namespace": "warehouse", "name": f"mart.t{i}"}]}
        (folder / f"event_{i}.json").write_text(json.dumps(event))
    return folder


def test_scan_stores_inferred_edges(g: lineage.Graph, tmp_path: Path) -> None:
    folder = _events(tmp_path)
    dry = g.scan(folder, type="openlineage", dry_run=True)
    assert isinstance(dry, lineage.ScanReport) and dry.dry_run
    assert dry.edges["found"] == 3 and "mart.t0" not in g
    report = g.scan([folder])  # the scanner is detected from the content
    assert report.files == 3 and report.edges["created"] == 3 and report.batch_id > 0
    [e] = g.edges("mart.t0", "in")
    assert e.source == "stg.s0" and e.lineage_source == "inferred"
    assert e.origin.startswith("scan:openlineage:")
    assert any(p.id == e.id for p in g.pending())
    again = g.scan(folder, type="openlineage")
    assert again.edges["created"] == 0
    assert report.to_dict()["files"] == 3
    g.revert_batch(report.batch_id)
    assert "mart.t0" not in g  # the batch created the assets too


def test_scan_bad_input(g: lineage.Graph, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one"):
        g.scan([])
    with pytest.raises(TypeError):
        g.scan([5])  # type: ignore[list-item]
    with pytest.raises(lineage.ValidationError):
        g.scan(tmp_path, type="no-such-scanner")
    with pytest.raises(lineage.LineageIOError):
        g.scan(tmp_path / "missing.json", type="openlineage")


def test_scan_cancel_and_ctrl_c(g: lineage.Graph, tmp_path: Path, ctrl_c: None) -> None:
    folder = _events(tmp_path, 5)
    before = g.last_seq()
    with pytest.raises(lineage.CancelledError):
        g.scan(folder, type="openlineage", progress=lambda s, d, t: False)
    assert g.last_seq() == before

    def interrupt(stage: str, done: int, total: int) -> None:
        if done >= 1:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.01)

    with pytest.raises(KeyboardInterrupt):
        g.scan(folder, type="openlineage", progress=interrupt)
    assert g.last_seq() == before and "mart.t0" not in g


def test_graph_analyze_sql_expands_star_from_the_store(g: lineage.Graph) -> None:
    g.add_asset("t1", "table")
    g.add_asset("t1.a", "column", parent="t1")
    g.add_asset("t1.b", "column", parent="t1")
    r = g.analyze_sql("INSERT INTO t2 SELECT * FROM t1", "postgres", file="x.sql")
    assert ["t1.a", "t2.a"] in r["column_lineage"]
    assert "t2" not in g  # nothing stored
    with pytest.raises(lineage.ValidationError):
        g.analyze_sql("select 1", dialect="cobol")


def test_scan_data(g: lineage.Graph) -> None:
    report = g.scan_data("INSERT INTO mart.x SELECT a FROM stg.y;", "etl/load.sql",
                         dialect="postgres")
    assert report.edges["created"] >= 1
    e = g.find_edge("stg.y", "mart.x")
    assert e.lineage_source == "inferred" and "etl/load.sql" in e.origin
    assert g.scan_data(b"{}", "nothing.sql", dry_run=True).dry_run
    with pytest.raises(TypeError, match="data must be bytes"):
        g.scan_data(None, "x.sql")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="name must be str"):
        g.scan_data("select 1", None)  # type: ignore[arg-type]
