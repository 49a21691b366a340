from __future__ import annotations

import pytest

import lineage


def test_add_edge_returns_the_stored_edge(g: lineage.Graph) -> None:
    e = g.add_edge("src.a", "dst.b", create_missing=True, transformation="select *",
                   transformation_type="copy", properties={"tool": "dbt"},
                   evidence={"file": "x.sql", "line": 3}, source_kind="table",
                   target_kind="view")
    assert isinstance(e, lineage.Edge) and e.id > 0
    assert (e.source, e.target, e.kind) == ("src.a", "dst.b", "flow")
    assert e.lineage_source == "manual" and e.confidence == 1.0 and e.status == "active"
    assert e.transformation == "select *" and e.transformation_type == "copy"
    assert e.properties == {"tool": "dbt"} and e.evidence == {"file": "x.sql", "line": 3}
    assert g.get_asset("dst.b").kind == "view"
    assert g.get_edge(e.id) == e
    assert g.find_edge("src.a", "dst.b").id == e.id
    again = g.add_edge("src.a", "dst.b")
    assert again.id == e.id


def test_missing_assets(g: lineage.Graph) -> None:
    with pytest.raises(lineage.NotFoundError, match="nope"):
        g.add_edge("nope", "also.nope")


def test_edge_argument_checks(g: lineage.Graph) -> None:
    g.add_asset("a", "table")
    g.add_asset("b", "table")
    with pytest.raises(ValueError, match="confidence"):
        g.add_edge("a", "b", confidence=1.5)
    with pytest.raises(ValueError, match="confidence"):
        g.add_edge("a", "b", confidence=float("nan"))
    with pytest.raises(TypeError, match="confidence"):
        g.add_edge("a", "b", confidence="high")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lineage_source"):
        g.add_edge("a", "b", lineage_source="guess")
    with pytest.raises(ValueError, match="lineage_source"):
        g.add_edge("a", "b", lineage_source="any")
    with pytest.raises(TypeError, match="edge_id must be an int"):
        g.get_edge("1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="edge_id"):
        g.get_edge(0)
    with pytest.raises(lineage.ValidationError):
        g.add_edge("a", "a")  # "flow" refuses self-loops


def test_remove_edge(g: lineage.Graph) -> None:
    e = g.add_edge("a", "b", create_missing=True)
    g.remove_edge(e.id)
    with pytest.raises(lineage.NotFoundError):
        g.get_edge(e.id)
    with pytest.raises(lineage.NotFoundError):
        g.remove_edge(e.id)


def test_review(g: lineage.Graph) -> None:
    e = g.add_edge("a", "b", create_missing=True, lineage_source="inferred", confidence=0.4)
    assert e.lineage_source == "inferred" and e.confidence == 0.4
    assert [p.id for p in g.pending()] == [e.id]
    approved = g.approve(e.id, by="alice", comment="checked the SQL")
    assert approved.lineage_source == "approved" and approved.confidence == 1.0
    assert approved.reviewed_by == "alice" and approved.review_comment == "checked the SQL"
    assert g.pending() == []
    rejected = g.reject(e.id, by="bob")
    assert rejected.status == "rejected"
    # A rejected edge stays rejected when it is inferred again.
    g.add_edge("a", "b", lineage_source="inferred")
    assert g.get_edge(e.id).status == "rejected"
    with pytest.raises(lineage.NotFoundError):
        g.approve(10_000, by="alice")
    with pytest.raises(TypeError, match="by must be str"):
        g.approve(e.id, by=None)  # type: ignore[arg-type]


def test_edges_of_an_asset(warehouse: lineage.Graph) -> None:
    into = warehouse.edges("stg.orders", "in")
    assert {e.source for e in into} == {"raw.orders", "raw.customers"}
    out = warehouse.edges("stg.orders", "out")
    assert [e.target for e in out] == ["mart.revenue"]
    assert len(warehouse.edges("stg.orders")) == 3
    with pytest.raises(ValueError, match="direction"):
        warehouse.edges("stg.orders", "sideways")


def test_edge_kinds(g: lineage.Graph) -> None:
    g.define_edge_kind("feeds", allows_self_loop=True, allows_cycles=False)
    assert g.edge_kind_rules("feeds") == (True, False)
    assert g.edge_kind_rules("update")[0] is True
    g.add_asset("t", "table")
    assert g.add_edge("t", "t", kind="feeds").kind == "feeds"


def test_retire_origin(g: lineage.Graph) -> None:
    a = g.add_edge("a", "b", create_missing=True, lineage_source="inferred", origin="scan:x")
    b = g.add_edge("a", "c", create_missing=True, lineage_source="inferred", origin="scan:x")
    m = g.add_edge("a", "d", create_missing=True, origin="scan:x")  # manual: never retired
    assert g.retire_origin("scan:x", keep_ids=[a.id]) == 1
    assert g.get_edge(b.id).status == "retired"
    assert g.get_edge(a.id).status == "active" and g.get_edge(m.id).status == "active"
    assert g.retire_origin("scan:x") == 1
    with pytest.raises(TypeError):
        g.retire_origin("scan:x", keep_ids=["1"])  # type: ignore[list-item]
