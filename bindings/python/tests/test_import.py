from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

import lineage

ASSETS_CSV = "key,kind,owner\nraw.orders,table,ingest\nstg.orders,table,analytics\n"
EDGES_CSV = ("source,target,lineage_source,confidence\n"
             "raw.orders,stg.orders,inferred,0.9\n")


def test_import_file_commits_one_batch(g: lineage.Graph, tmp_path: Path) -> None:
    (tmp_path / "assets.csv").write_text(ASSETS_CSV)
    (tmp_path / "edges.csv").write_text(EDGES_CSV)
    report = g.import_file(tmp_path / "assets.csv")
    assert isinstance(report, lineage.ImportReport)
    assert report.committed and report.ok and not report.dry_run
    assert report.rows == 2 and report.created["assets"] == 2
    assert report.format == "csv" and report.batch_id > 0
    assert g.get_asset("stg.orders").owner == "analytics"
    edges = g.import_file(str(tmp_path / "edges.csv"), type="lineage")
    assert edges.created["edges"] == 1
    e = g.find_edge("raw.orders", "stg.orders")
    assert e.lineage_source == "inferred" and e.confidence == 0.9
    g.revert_batch(edges.batch_id)
    with pytest.raises(lineage.NotFoundError):
        g.find_edge("raw.orders", "stg.orders")
    assert report.to_dict()["created"]["assets"] == 2


def test_dry_run_writes_nothing(g: lineage.Graph) -> None:
    report = g.import_data(ASSETS_CSV, format="csv", dry_run=True)
    assert report.dry_run and not report.committed
    assert report.created["assets"] == 2
    assert "raw.orders" not in g


def test_atomic_import_with_invalid_rows_raises(g: lineage.Graph) -> None:
    data = "key,kind\ngood.one,table\n bad key ,table\n"
    with pytest.raises(lineage.ValidationError) as info:
        g.import_data(data, format="csv")
    err = info.value
    assert isinstance(err, ValueError)
    assert err.report is not None and not err.report.committed
    assert err.errors and err.errors[0]["row"] == 3
    assert "good.one" not in g  # atomic: nothing written


def test_skip_errors_writes_the_valid_rows(g: lineage.Graph, tmp_path: Path) -> None:
    data = "key,kind\ngood.one,table\n bad key ,table\n"
    report = g.import_data(data, format="csv", mode="skip_errors",
                           rejects_path=tmp_path / "rejects.csv")
    assert report.committed and not report.ok
    assert report.invalid == 1 and report.errors[0].row == 3
    assert isinstance(report.errors[0], lineage.ImportIssue)
    assert "good.one" in g
    assert "bad key" in (tmp_path / "rejects.csv").read_text()


def test_dry_run_with_invalid_rows_returns_the_report(g: lineage.Graph) -> None:
    report = g.import_data("key,kind\n,table\n", format="csv", dry_run=True)
    assert not report.ok and report.errors_total >= 1


def test_unparsable_input(g: lineage.Graph) -> None:
    with pytest.raises(lineage.ParseError) as info:
        g.import_data(b'[{"key": "a", "kind": "table"', format="json")
    assert isinstance(info.value, lineage.ValidationError)


def test_import_argument_checks(g: lineage.Graph, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="mode"):
        g.import_data(ASSETS_CSV, format="csv", mode="sometimes")
    with pytest.raises(ValueError, match="format"):
        g.import_data(ASSETS_CSV, format="xlsx")
    with pytest.raises(TypeError, match="data must be bytes"):
        g.import_data(42)  # type: ignore[arg-type]
    with pytest.raises(lineage.LineageIOError):
        g.import_file(tmp_path / "missing.csv")


def test_json_lines_and_progress(g: lineage.Graph) -> None:
    rows = "\n".join(json.dumps({"key": f"t{i}", "kind": "table"}) for i in range(500))
    stages: set[str] = set()
    report = g.import_data(rows, format="jsonl",
                           progress=lambda stage, done, total: stages.add(stage))
    assert report.created["assets"] == 500
    assert stages == {"validate", "write"}  # asset rows: read twice


def _big_csv(n: int = 20000) -> str:
    return "key,kind\n" + "".join(f"bulk.t{i},table\n" for i in range(n))


def test_cancelled_import_leaves_the_database_unchanged(g: lineage.Graph) -> None:
    before = g.last_seq()
    with pytest.raises(lineage.CancelledError):
        g.import_data(_big_csv(), format="csv", progress=lambda s, d, t: False)
    assert g.last_seq() == before and "bulk.t0" not in g


def test_ctrl_c_during_an_import(g: lineage.Graph, ctrl_c: None) -> None:
    before = g.last_seq()

    def interrupt(stage: str, done: int, total: int) -> None:
        if stage == "write":
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.01)

    with pytest.raises(KeyboardInterrupt):
        g.import_data(_big_csv(), format="csv", progress=interrupt)
    assert g.last_seq() == before and "bulk.t0" not in g
    assert g.import_data(ASSETS_CSV, format="csv").committed  # usable afterwards
