"""Errors speak Python: the advice names Graph methods and arguments, never a C function or
constant; asset kinds are built in or declared (issue 11, defects 7 and 10)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import lineage

C_NAME = re.compile(r"\blineage_[a-z_]+\(|\bLINEAGE_[A-Z_]+")


def no_c_name(error: lineage.LineageError) -> str:
    text = str(error)
    assert not C_NAME.search(text), text
    return text


def test_undeclared_asset_kind_is_refused_with_the_closest(g: lineage.Graph) -> None:
    with pytest.raises(lineage.ValidationError) as e:
        g.add_asset("wh.orders", "tabel")
    text = no_c_name(e.value)
    assert 'did you mean "table"?' in text
    assert "graph.define_asset_kind('tabel')" in text
    assert e.value.hint == lineage.lib.LINEAGE_HINT_DECLARE_ASSET_KIND
    assert e.value.hint_arg == "tabel"
    assert "wh.orders" not in g


def test_declared_asset_kind_is_accepted(g: lineage.Graph) -> None:
    g.define_asset_kind("stream")
    g.define_asset_kind("stream")  # again: nothing happens
    assert g.add_asset("kafka.orders", "stream").kind == "stream"
    kinds = g.asset_kinds()
    assert kinds["stream"] is False and kinds["table"] is True
    assert list(kinds) == sorted(kinds)
    # a kind for the edge's new assets is checked too
    with pytest.raises(lineage.ValidationError, match='did you mean "stream"'):
        g.add_edge("kafka.orders", "s3.raw", create_missing=True, target_kind="streem")


def test_declaration_rolls_back_with_its_transaction(g: lineage.Graph) -> None:
    with pytest.raises(RuntimeError):
        with g.transaction():
            g.define_asset_kind("metric")
            g.add_asset("m.revenue", "metric")
            raise RuntimeError("stop")
    with pytest.raises(lineage.ValidationError):
        g.add_asset("m.revenue", "metric")


def test_import_rows_name_the_closest_kind(g: lineage.Graph) -> None:
    with pytest.raises(lineage.ValidationError) as e:
        g.import_data("key,kind\nwh.a,table\nwh.b,tabel\n", format="csv")
    issue = e.value.errors[0]
    assert issue["row"] == 3 and issue["column"] == "kind"
    assert 'did you mean "table"?' in issue["message"]
    assert not C_NAME.search(issue["message"]), issue["message"]
    assert "wh.a" not in g


def test_advice_names_python(warehouse: lineage.Graph, tmp_path: Path) -> None:
    g = warehouse
    with pytest.raises(lineage.NotFoundError) as e:
        g.upstream("mart.revenu")
    assert "graph.search('revenu')" in no_c_name(e.value)
    assert e.value.problem == 'no asset with key "mart.revenu"'

    g.add_asset("wh", "database")
    g.add_asset("wh.t", "table", parent="wh")
    with pytest.raises(lineage.ConflictError) as e:
        g.remove_asset("wh")
    assert "cascade=True" in no_c_name(e.value)

    with pytest.raises(lineage.ValidationError) as e:
        g.add_edge("wh.t", "wh.t")
    assert "graph.define_edge_kind('flow', allows_self_loop=True)" in no_c_name(e.value)

    with pytest.raises(lineage.NotFoundError) as e:
        g.add_edge("wh.t", "ghost")
    assert "create_missing=True" in no_c_name(e.value)

    with pytest.raises(lineage.NotFoundError) as e:
        g.revert_batch(999999)
    assert "graph.changes_since()" in no_c_name(e.value)

    with pytest.raises(lineage.NotFoundError) as e:
        lineage.open(tmp_path / "missing.db", create=False)
    assert "create=False" in no_c_name(e.value)

    path = tmp_path / "ro.db"
    lineage.open(path).close()
    with lineage.open(path, readonly=True) as ro:
        with pytest.raises(lineage.ReadOnlyError) as e:
            ro.add_asset("x", "table")
        assert "readonly=True" in no_c_name(e.value)
