from __future__ import annotations

import pytest

import lineage


def test_add_and_get_asset(g: lineage.Graph) -> None:
    a = g.add_asset("pg.sales.orders", "table", owner="sales", description="Orders",
                    tags=["pii", "core"], properties={"rows": 10})
    assert isinstance(a, lineage.Asset)
    assert a.key == "pg.sales.orders" and a.kind == "table" and a.id > 0
    assert a.owner == "sales" and a.description == "Orders"
    assert set(a.tags) == {"pii", "core"}
    assert a.properties == {"rows": 10}
    assert a.name == "orders"  # the key's last segment by default
    b = g.get_asset("pg.sales.orders")
    assert b == a
    assert b.to_dict()["key"] == "pg.sales.orders"
    assert "pg.sales.orders" in g and "nope" not in g


def test_add_asset_is_idempotent_and_updates(g: lineage.Graph) -> None:
    first = g.add_asset("t", "table")
    again = g.add_asset("t", "table", owner="me")
    assert again.id == first.id and again.owner == "me"
    updated = g.update_asset("t", description="d", properties={"x": 1})
    assert updated.owner == "me" and updated.description == "d"
    assert g.update_asset("t", properties={"x": None, "y": 2}).properties == {"y": 2}


def test_parent_and_children(g: lineage.Graph) -> None:
    g.add_asset("db.t.c", "column", parent="db.t", create_missing=True)
    assert g.get_asset("db.t.c").parent == "db.t"
    assert [a.key for a in g.children("db.t")] == ["db.t.c"]
    with pytest.raises(lineage.NotFoundError):
        g.add_asset("x.y", "column", parent="missing.parent")


def test_not_found_is_a_key_error(g: lineage.Graph) -> None:
    with pytest.raises(KeyError) as info:
        g.get_asset("no.such.asset")
    assert isinstance(info.value, lineage.NotFoundError)
    assert info.value.code == lineage.lib.LINEAGE_ENOTFOUND
    assert info.value.code_name == "ENOTFOUND"
    assert "no.such.asset" in str(info.value)


def test_remove_asset(g: lineage.Graph) -> None:
    g.add_asset("a", "table")
    g.add_asset("a.c", "column", parent="a")
    with pytest.raises(lineage.ConflictError):
        g.remove_asset("a")
    g.remove_asset("a", cascade=True)
    assert "a" not in g and "a.c" not in g
    with pytest.raises(lineage.NotFoundError):
        g.remove_asset("a")


def test_kind_conflict(g: lineage.Graph) -> None:
    g.add_asset("t", "table")
    with pytest.raises(lineage.ConflictError):
        g.add_asset("t", "view")


def test_search(g: lineage.Graph) -> None:
    for i in range(30):
        g.add_asset(f"wh.sales.orders_{i:02d}", "table", description="sales orders")
    g.add_asset("wh.sales.report", "dashboard", description="sales report")
    page = g.search("sales", kind="table", limit=10)
    assert isinstance(page, lineage.SearchResult) and len(page) == 10
    assert page.total == 30
    assert all(a.kind == "table" for a in page)
    rest = g.search("sales", kind="table", limit=10, offset=25)
    assert len(rest) == 5
    assert g.search("wh.sales.report")[0].key == "wh.sales.report"
    assert g.search("").total == 31


def test_bad_keys_are_refused_before_c(g: lineage.Graph) -> None:
    with pytest.raises(TypeError, match="key must be str"):
        g.get_asset(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="key must be str"):
        g.add_asset(42, "table")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="UTF-8"):
        g.get_asset(b"\xff\xfe")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="NUL"):
        g.add_asset("a\0b", "table")
    with pytest.raises(ValueError, match="surrogate"):
        g.add_asset("a\udc80", "table")
    with pytest.raises(TypeError, match="unknown asset attribute"):
        g.add_asset("a", "table", colour="red")
    with pytest.raises(TypeError, match="properties must be a dict"):
        g.add_asset("a", "table", properties=[1])
    with pytest.raises(TypeError, match="kind must be str"):
        g.add_asset("a", None)  # type: ignore[arg-type]


def test_utf8_bytes_keys_are_accepted(g: lineage.Graph) -> None:
    g.add_asset("café.table", "table")
    assert g.get_asset("café.table".encode()).key == "café.table"  # type: ignore[arg-type]


def test_invalid_keys_raise_validation_error(g: lineage.Graph) -> None:
    for bad in ("", " leading", "trailing ", "tab\there", "x" * 5000):
        with pytest.raises(lineage.ValidationError) as info:
            g.add_asset(bad, "table")
        assert isinstance(info.value, ValueError)
        assert info.value.errors and info.value.errors[0]["message"]
