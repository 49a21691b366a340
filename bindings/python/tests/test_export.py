from __future__ import annotations

import json
from pathlib import Path

import pytest

import lineage


def test_export_whole_graph_round_trips(warehouse: lineage.Graph, tmp_path: Path) -> None:
    text = warehouse.export("json")
    data = json.loads(text)
    assert data  # assets, then lineage
    path = tmp_path / "lineage.jsonl"
    assert warehouse.export("jsonl", type="lineage", path=path) is None
    assert len(path.read_text().splitlines()) == 4
    with lineage.open() as copy:
        copy.import_data(warehouse.export("csv", type="assets"), format="csv")
        copy.import_file(path)
        assert copy.stats()["edges"] == 4
        assert copy.downstream("raw.orders").keys == warehouse.downstream("raw.orders").keys


def test_export_a_result(warehouse: lineage.Graph) -> None:
    r = warehouse.downstream("stg.orders", depth=1)
    dot = warehouse.export("dot", result=r)
    assert "stg.orders" in dot and "mart.revenue" in dot and "raw.orders" not in dot
    cy = json.loads(warehouse.export("cytoscape", result=r, layout="layered"))
    assert all("position" in n for n in cy["elements"]["nodes"])
    graphml = warehouse.export("graphml")
    assert graphml.lstrip().startswith("<?xml")


def test_export_bad_input(warehouse: lineage.Graph, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="format"):
        warehouse.export("xlsx")
    with pytest.raises(ValueError, match="format"):
        warehouse.export("auto")
    with pytest.raises(ValueError, match="type"):
        warehouse.export("csv", type="everything")
    with pytest.raises(ValueError, match="layout"):
        warehouse.export("cytoscape", layout="spiral")
    with pytest.raises(TypeError, match="result"):
        warehouse.export("json", result={"nodes": []})  # type: ignore[arg-type]
    with pytest.raises(lineage.LineageIOError):
        warehouse.export("csv", path=tmp_path / "no" / "such" / "dir.csv")


def test_export_progress_and_cancel(g: lineage.Graph) -> None:
    with g.transaction():
        for i in range(20000):
            g.add_asset(f"t{i}", "table")
    seen: list[tuple[str, int]] = []
    g.export("csv", type="assets", progress=lambda s, d, t: seen.append((s, d)))
    assert seen and seen[0][0] == "export"
    with pytest.raises(lineage.CancelledError):
        g.export("csv", type="assets", progress=lambda s, d, t: False)
