"""GET /api/v1/view/containment: where assets sit (system › database › schema › table)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from conftest import assert_error

API = "/api/v1"


def test_containment_lists_each_asset_and_what_contains_it(client: TestClient) -> None:
    for key, kind, parent in (("wh", "system", None), ("wh.sales", "database", "wh"),
                              ("wh.sales.stg", "schema", "wh.sales")):
        assert client.put(f"{API}/assets/{key}", json={"kind": kind, "parent": parent}
                          ).status_code == 201
    assert client.put(f"{API}/assets/stg.orders", json={"parent": "wh.sales.stg"}
                      ).status_code == 200
    r = client.get(f"{API}/view/containment", params=[
        ("key", "stg.orders"), ("key", "pg.shop.orders.amount"), ("key", "bi.revenue"),
        ("key", "stg.orders"), ("key", "no.such")])
    assert r.status_code == 200, r.text
    body = r.json()
    got = {i["key"]: (i["kind"], i["parent"]) for i in body["items"]}
    assert got == {"wh": ("system", None), "wh.sales": ("database", "wh"),
                   "wh.sales.stg": ("schema", "wh.sales"),
                   "stg.orders": ("table", "wh.sales.stg"),
                   "pg.shop.orders": ("table", None),
                   "pg.shop.orders.amount": ("column", "pg.shop.orders"),
                   "bi.revenue": ("dashboard", None)}
    order = [i["key"] for i in body["items"]]
    # outermost first: every container comes before what it contains
    for key, (_, parent) in got.items():
        if parent:
            assert order.index(parent) < order.index(key)
    assert body["total"] == 7 and body["missing"] == ["no.such"]


def test_containment_refuses_too_many_or_no_keys(client: TestClient) -> None:
    many = [("key", f"k{i}") for i in range(201)]
    message = assert_error(client.get(f"{API}/view/containment", params=many),
                           400, "invalid")["message"]
    assert "at most 200" in message
    assert_error(client.get(f"{API}/view/containment"), 422, "validation_error")
