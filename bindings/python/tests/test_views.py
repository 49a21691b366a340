"""Saved views from Python: saved, reopened with their positions, listed, renamed, deleted;
bad input refused in Python's words."""

from __future__ import annotations

from pathlib import Path

import pytest

import lineage

VIEW = {"root": "wh.orders", "direction": "upstream", "depth": 2, "min_confidence": 0.4,
        "kinds": ["table"], "layout": "dagre",
        "positions": {"wh.orders": {"x": 10.5, "y": -3}, "raw.orders": {"x": 200, "y": 40}}}


def test_save_reopen_list_rename_delete(g: lineage.Graph) -> None:
    assert g.views() == {"views": [], "total": 0}
    g.save_view("orders", VIEW, mode="create")
    got = g.view("orders")
    assert got["name"] == "orders" and got["root"] == "wh.orders"
    assert got["view"] == VIEW
    assert got["created_by"] == got["updated_by"] == "pytest"
    with pytest.raises(lineage.ConflictError, match="already saved"):
        g.save_view("orders", {}, mode="create")
    with pytest.raises(lineage.NotFoundError):
        g.save_view("missing", {}, mode="replace")
    g.save_view("orders", {**VIEW, "depth": 5})  # upsert overwrites
    assert g.view("orders")["view"]["depth"] == 5
    g.save_view("a first", {})
    listed = g.views()
    assert [v["name"] for v in listed["views"]] == ["a first", "orders"]
    assert listed["total"] == 2 and "view" not in listed["views"][0]
    page = g.views(offset=1, limit=1)
    assert [v["name"] for v in page["views"]] == ["orders"] and page["total"] == 2
    g.rename_view("orders", "sales orders")
    assert g.view("sales orders")["view"]["positions"]["wh.orders"] == {"x": 10.5, "y": -3}
    with pytest.raises(lineage.NotFoundError, match='no saved view "orders"'):
        g.view("orders")
    with pytest.raises(lineage.ConflictError):
        g.rename_view("sales orders", "a first")
    g.delete_view("a first")
    with pytest.raises(lineage.NotFoundError):
        g.delete_view("a first")
    assert g.views()["total"] == 1


def test_bad_views_are_refused(g: lineage.Graph) -> None:
    with pytest.raises(lineage.ValidationError, match="'/'"):
        g.save_view("a/b", {})
    with pytest.raises(lineage.ValidationError, match='"depth" must be a whole number'):
        g.save_view("v", {"depth": "deep"})
    with pytest.raises(lineage.ValidationError, match='position of "n"'):
        g.save_view("v", {"positions": {"n": {"x": 1}}})
    with pytest.raises(lineage.ValidationError, match="mode"):
        g.save_view("v", {}, mode="merge")
    with pytest.raises(ValueError, match="cannot be written as JSON"):
        g.save_view("v", {"x": float("nan")})
    with pytest.raises(TypeError):
        g.save_view("v", ["not", "a", "dict"])  # type: ignore[arg-type]
    with pytest.raises(lineage.LimitError, match="at most"):
        g.save_view("v", {"note": "x" * (300 * 1024)})
    assert g.views()["total"] == 0


def test_views_survive_reopening_and_backup(tmp_path: Path) -> None:
    path, copy = tmp_path / "v.lineage", tmp_path / "copy.lineage"
    with lineage.open(str(path), actor="ada") as g:
        g.save_view("kept", VIEW)
        g.backup(str(copy))
    for p in (path, copy):
        with lineage.open(str(p), readonly=True) as g:
            assert g.view("kept")["view"] == VIEW
            with pytest.raises(lineage.ReadOnlyError):
                g.save_view("other", {})
