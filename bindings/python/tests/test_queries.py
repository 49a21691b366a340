from __future__ import annotations

import pytest

import lineage


def test_downstream(warehouse: lineage.Graph) -> None:
    r = warehouse.downstream("raw.orders")
    assert isinstance(r, lineage.Result)
    dist = {n.key: n.distance for n in r.nodes}
    assert dist == {"raw.orders": 0, "stg.orders": 1, "mart.revenue": 2, "dash.revenue": 3}
    assert r.nodes[0].key == "raw.orders" and r.root == "raw.orders"
    assert all(isinstance(n, lineage.Node) for n in r)
    assert {n.kind for n in r.nodes} == {"table", "dashboard"}
    assert len(r) == 4 and not r.truncated
    edge = next(e for e in r.edges if e.source == "stg.orders")
    assert isinstance(edge, lineage.ResultEdge)
    assert edge.target == "mart.revenue" and edge.lineage_source == "manual"
    assert edge.confidence == 1.0 and edge.kind == "flow" and edge.id > 0


def test_depth_and_source_filters(warehouse: lineage.Graph) -> None:
    assert {n.key for n in warehouse.downstream("raw.orders", depth=1).nodes} == \
        {"raw.orders", "stg.orders"}
    up = warehouse.upstream("mart.revenue")
    assert {n.key for n in up.nodes} == {"mart.revenue", "stg.orders", "raw.orders",
                                          "raw.customers"}
    trusted = warehouse.upstream("mart.revenue", min_source="manual")
    assert "raw.customers" not in {n.key for n in trusted.nodes}
    confident = warehouse.upstream("mart.revenue", min_confidence=0.9)
    assert "raw.customers" not in {n.key for n in confident.nodes}
    dashboards = warehouse.downstream("raw.orders", asset_kinds=["dashboard"])
    assert "dash.revenue" in dashboards.keys and "stg.orders" not in dashboards.keys
    limited = warehouse.downstream("raw.orders", max_nodes=2)
    assert limited.truncated and len(limited) <= 2


def test_query_argument_checks(warehouse: lineage.Graph) -> None:
    with pytest.raises(TypeError, match="depth must be an int"):
        warehouse.downstream("raw.orders", depth="x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="depth must be an int"):
        warehouse.downstream("raw.orders", depth=True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="depth"):
        warehouse.downstream("raw.orders", depth=0)
    with pytest.raises(ValueError, match="min_source"):
        warehouse.downstream("raw.orders", min_source="trusted")
    with pytest.raises(ValueError, match="columns"):
        warehouse.downstream("raw.orders", columns="some")
    with pytest.raises(TypeError, match="key must be str"):
        warehouse.upstream(None)  # type: ignore[arg-type]
    with pytest.raises(lineage.NotFoundError):
        warehouse.downstream("missing")
    with pytest.raises(TypeError):
        warehouse.downstream("raw.orders", colour="red")
    with pytest.raises(ValueError, match="direction"):
        warehouse.traverse("raw.orders", "sideways")


def test_to_dict_and_cytoscape(warehouse: lineage.Graph) -> None:
    r = warehouse.downstream("stg.orders", depth=2)
    d = r.to_dict()
    assert d["root"] == "stg.orders" and d["direction"] == "downstream"
    assert {n["key"] for n in d["nodes"]} == {"stg.orders", "mart.revenue", "dash.revenue"}
    assert {"id", "source", "target", "kind", "lineage_source", "confidence"} <= set(d["edges"][0])
    cy = r.to_cytoscape()
    assert len(cy["elements"]["nodes"]) == 3 and len(cy["elements"]["edges"]) == 2
    placed = r.to_cytoscape(layout="layered")
    assert all("position" in n for n in placed["elements"]["nodes"])
    with pytest.raises(ValueError, match="layout"):
        r.to_cytoscape(layout="spiral")


def test_impact(warehouse: lineage.Graph) -> None:
    imp = warehouse.impact("stg.orders", change="drop")
    assert isinstance(imp, lineage.ImpactResult)
    affected = {n.key: n for n in imp.affected}
    assert set(affected) == {"mart.revenue", "dash.revenue"}
    assert affected["mart.revenue"].owner == "finance"
    assert affected["mart.revenue"].distance == 1
    assert imp.summary["total"] == 2
    assert imp.change == "drop"
    assert warehouse.impact("stg.orders", change="rename").change == "rename"
    with pytest.raises(ValueError, match="change must be one of"):
        warehouse.impact("stg.orders", change="explode")


def test_path(warehouse: lineage.Graph) -> None:
    assert warehouse.path("raw.orders", "dash.revenue") == [
        ["raw.orders", "stg.orders", "mart.revenue", "dash.revenue"]]
    assert warehouse.path("dash.revenue", "raw.orders") == []
    warehouse.add_edge("raw.orders", "mart.revenue")
    paths = warehouse.path("raw.orders", "dash.revenue", all=True)
    assert paths[0] == ["raw.orders", "mart.revenue", "dash.revenue"]
    assert len(paths) == 2
    with pytest.raises(lineage.NotFoundError):
        warehouse.path("raw.orders", "missing")


def test_structure(warehouse: lineage.Graph) -> None:
    roots = {n.key for n in warehouse.structure("roots").nodes}
    assert roots == {"raw.orders", "raw.customers"}
    assert {n.key for n in warehouse.structure("leaves").nodes} == {"dash.revenue"}
    with pytest.raises(ValueError, match="what must be one of"):
        warehouse.structure("trees")


def test_rejected_edges_leave_queries(warehouse: lineage.Graph) -> None:
    e = warehouse.find_edge("raw.customers", "stg.orders")
    warehouse.reject(e.id, by="alice", comment="not a real dependency")
    assert "raw.customers" not in warehouse.upstream("stg.orders").keys


def test_nodes_and_edges_match_the_library_json(warehouse: lineage.Graph) -> None:
    for result, field in ((warehouse.upstream("dash.revenue"), "nodes"),
                          (warehouse.impact("raw.orders"), "affected")):
        d = result.to_dict()
        assert [(n.key, n.kind, n.distance, n.confidence) for n in result.nodes] == \
            [(n["key"], n["kind"], n["distance"], n["confidence"]) for n in d[field]]
        assert [(e.id, e.source, e.target, e.kind, e.lineage_source, e.confidence)
                for e in result.edges] == \
            [(e["id"], e["source"], e["target"], e["kind"], e["lineage_source"],
              e["confidence"]) for e in d["edges"]]
    impact = warehouse.impact("raw.orders")
    assert [(n.owner, n.severity) for n in impact.affected] == \
        [(n["owner"], n["severity"]) for n in impact.to_dict()["affected"]]


def test_to_json_is_the_library_text(warehouse: lineage.Graph) -> None:
    import json

    r = warehouse.downstream("raw.orders", depth=2)
    assert json.loads(r.to_json()) == r.to_dict()
