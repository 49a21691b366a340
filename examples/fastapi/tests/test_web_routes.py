"""The web view's read routes (web_routes.py): a hub's neighbours by page and a table's
columns with their column-level edges."""

from __future__ import annotations

from conftest import assert_error


def test_neighbours_are_paged_filtered_and_counted_by_kind(client) -> None:
    for i in range(30):
        client.post("/api/v1/lineage", json={"source": "stg.orders", "target": f"x.t{i:02d}",
                                             "create_missing": True})
    page = client.get("/api/v1/view/neighbours/stg.orders?direction=out&limit=10&offset=10")
    assert page.status_code == 200, page.text
    body = page.json()
    assert body["by_kind"]["table"] == 3  # the demo's marts
    assert body["total"] == 33 and body["limit"] == 10 and body["offset"] == 10
    keys = [i["key"] for i in body["items"]]
    assert keys == sorted(keys) and len(keys) == 10
    found = client.get("/api/v1/view/neighbours/stg.orders?direction=out&filter=T2").json()
    assert [i["key"] for i in found["items"]] == [f"x.t2{d}" for d in range(10)]
    up = client.get("/api/v1/view/neighbours/stg.orders?direction=in&kind=table").json()
    assert [i["key"] for i in up["items"]] == ["pg.shop.order_items", "pg.shop.orders"]
    assert up["items"][0]["lineage_source"] == "manual" and up["items"][0]["edge_id"] > 0


def test_columns_with_their_column_level_edges(client) -> None:
    made = client.post("/api/v1/lineage", json={
        "source": "pg.shop.orders.amount", "target": "stg.orders.amount",
        "create_missing": True})
    assert made.status_code == 201, made.text
    body = client.get("/api/v1/view/columns/pg.shop.orders").json()
    assert {c["key"] for c in body["items"]} == {
        f"pg.shop.orders.{c}" for c in ("amount", "customer_id", "id", "ordered_at")}
    assert [(e["source"], e["target"]) for e in body["edges"]] == [
        ("pg.shop.orders.amount", "stg.orders.amount")]


def test_bad_input_says_what_is_wrong(client) -> None:
    assert_error(client.get("/api/v1/view/neighbours/no.such"), 404, "not_found")
    assert_error(client.get("/api/v1/view/columns/no.such"), 404, "not_found")
    assert_error(client.get("/api/v1/view/neighbours/stg.orders?limit=0"), 422,
                 "validation_error")
    assert_error(client.get("/api/v1/view/neighbours/stg.orders?direction=up"), 422,
                 "validation_error")
