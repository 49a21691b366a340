from __future__ import annotations

import json

from conftest import assert_error
from fastapi.testclient import TestClient

API = "/api/v1"


def test_health_and_openapi(client: TestClient) -> None:
    r = client.get("/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"
    assert r.json()["last_seq"] > 0
    spec = client.get("/openapi.json").json()
    for path in ("/api/v1/lineage/{key}/upstream", "/api/v1/lineage/{key}/downstream",
                 "/api/v1/lineage/impact/{key}", "/api/v1/lineage/path", "/api/v1/lineage",
                 "/api/v1/lineage/{edge_id}/approve", "/api/v1/lineage/{edge_id}/reject",
                 "/api/v1/assets", "/api/v1/assets/{key}", "/api/v1/assets/{key}/history",
                 "/api/v1/graph", "/api/v1/events", "/metrics", "/health",
                 "/api/v1/import/validate", "/api/v1/import/execute", "/api/v1/export"):
        assert path in spec["paths"], path
    assert client.get("/docs").status_code == 200


def test_downstream_and_upstream(client: TestClient) -> None:
    r = client.get(f"{API}/lineage/stg.orders/downstream", params={"depth": 1})
    assert r.status_code == 200
    body = r.json()
    assert body["root"] == "stg.orders" and body["direction"] == "downstream"
    assert {n["key"] for n in body["nodes"]} == {"stg.orders", "mart.revenue_daily",
                                                 "mart.customer_ltv", "mart.funnel"}
    up = client.get(f"{API}/lineage/bi.revenue/upstream",
                    params={"min_source": "manual"}).json()
    keys = {n["key"] for n in up["nodes"]}
    assert "pg.shop.orders" in keys and "pg.shop.products" not in keys  # inferred: filtered
    assert all(e["lineage_source"] != "inferred" for e in up["edges"])
    kinds = client.get(f"{API}/lineage/pg.shop.orders/downstream",
                       params=[("asset_kind", "dashboard")]).json()
    assert {n["key"] for n in kinds["nodes"]} >= {"bi.revenue"}
    cy = client.get(f"{API}/lineage/stg.orders/downstream",
                    params={"format": "cytoscape", "layout": "layered"}).json()
    assert cy["elements"]["nodes"] and "position" in cy["elements"]["nodes"][0]


def test_lineage_bad_input(client: TestClient) -> None:
    assert_error(client.get(f"{API}/lineage/nope/downstream"), 404, "not_found")
    assert_error(client.get(f"{API}/lineage/stg.orders/downstream", params={"depth": "x"}),
                 422, "validation_error")
    assert_error(client.get(f"{API}/lineage/stg.orders/downstream", params={"depth": 0}),
                 422, "validation_error")
    assert_error(client.get(f"{API}/lineage/stg.orders/upstream",
                            params={"min_source": "trusted"}), 422, "validation_error")
    assert_error(client.get(f"{API}/lineage/%20bad%20/upstream"), 400, "invalid")
    long_key = "k" * 5000
    err = assert_error(client.get(f"{API}/lineage/{long_key}/upstream"), 400, "invalid")
    assert err["details"]["library_code"] == "EINVALID"


def test_impact_and_path(client: TestClient) -> None:
    r = client.get(f"{API}/lineage/impact/stg.orders", params={"change_type": "drop"})
    assert r.status_code == 200
    body = r.json()
    affected = {a["key"] for a in body["affected"]}
    assert {"mart.revenue_daily", "bi.revenue"} <= affected
    assert body["summary"]["total"] == len(body["affected"])
    assert_error(client.get(f"{API}/lineage/impact/stg.orders",
                            params={"change_type": "explode"}), 422, "validation_error")
    p = client.get(f"{API}/lineage/path", params={"from": "pg.shop.orders",
                                                   "to": "bi.revenue"}).json()
    assert p["paths"][0] == ["pg.shop.orders", "stg.orders", "mart.revenue_daily",
                             "bi.revenue"]
    assert_error(client.get(f"{API}/lineage/path", params={"from": "pg.shop.orders"}),
                 422, "validation_error")
    assert_error(client.get(f"{API}/lineage/path", params={"from": "x", "to": "y"}),
                 404, "not_found")


def test_create_approve_reject_edge(client: TestClient) -> None:
    r = client.post(f"{API}/lineage", json={"source": "mart.funnel", "target": "ml.scorer",
                                            "lineage_source": "inferred", "confidence": 0.3,
                                            "create_missing": True, "target_kind": "model"})
    assert r.status_code == 201, r.text
    edge = r.json()
    assert edge["lineage_source"] == "inferred" and edge["confidence"] == 0.3
    assert client.get(f"{API}/assets/ml.scorer").json()["kind"] == "model"
    pending = client.get(f"{API}/edges/pending").json()["items"]
    assert edge["id"] in [e["id"] for e in pending]
    ok = client.post(f"{API}/lineage/{edge['id']}/approve", json={"by": "alice",
                                                                  "comment": "verified"})
    assert ok.status_code == 200 and ok.json()["lineage_source"] == "approved"
    assert ok.json()["reviewed_by"] == "alice"
    no = client.post(f"{API}/lineage/{edge['id']}/reject", json={"by": "bob"})
    assert no.status_code == 200 and no.json()["status"] == "rejected"
    assert client.get(f"{API}/edges/{edge['id']}").json()["status"] == "rejected"
    assert client.delete(f"{API}/edges/{edge['id']}").status_code == 204
    assert_error(client.get(f"{API}/edges/{edge['id']}"), 404, "not_found")


def test_edge_bad_input(client: TestClient) -> None:
    assert_error(client.post(f"{API}/lineage", json={"source": "a"}), 422, "validation_error")
    assert_error(client.post(f"{API}/lineage", json={"source": "stg.orders",
                                                     "target": "bi.revenue",
                                                     "confidence": 7}),
                 422, "validation_error")
    assert_error(client.post(f"{API}/lineage", json={"source": "nope", "target": "bi.revenue"}),
                 404, "not_found")
    assert_error(client.post(f"{API}/lineage", json={"source": "stg.orders",
                                                     "target": "stg.orders"}), 400, "invalid")
    assert_error(client.post(f"{API}/lineage", content=b"{not json",
                             headers={"content-type": "application/json"}),
                 422, "validation_error")
    assert_error(client.post(f"{API}/lineage/999999/approve", json={"by": "a"}), 404,
                 "not_found")
    assert_error(client.post(f"{API}/lineage/abc/approve", json={"by": "a"}), 422,
                 "validation_error")
    assert_error(client.post(f"{API}/lineage/1/approve", json={"by": ""}), 422,
                 "validation_error")


def test_assets_pagination(client: TestClient) -> None:
    r = client.get(f"{API}/assets", params={"size": 5, "page": 2})
    body = r.json()
    # The envelope of every list (items, total, limit, offset), with page/size kept.
    assert set(body) == {"items", "total", "limit", "offset", "page", "size", "pages"}
    assert body["page"] == 2 and body["size"] == 5 and len(body["items"]) == 5
    assert body["limit"] == 5 and body["offset"] == 5
    same = client.get(f"{API}/assets", params={"limit": 5, "offset": 5}).json()
    assert same["items"] == body["items"] and same["page"] == 2
    assert body["pages"] == -(-body["total"] // 5)
    tables = client.get(f"{API}/assets", params={"search": "orders", "kind": "table"}).json()
    assert tables["items"] and all(a["kind"] == "table" for a in tables["items"])
    past = client.get(f"{API}/assets", params={"size": 5, "page": 1000}).json()
    assert past["items"] == [] and past["total"] == body["total"]
    assert_error(client.get(f"{API}/assets", params={"size": 0}), 422, "validation_error")
    assert_error(client.get(f"{API}/assets", params={"page": "one"}), 422, "validation_error")


def test_asset_crud_and_history(client: TestClient) -> None:
    r = client.put(f"{API}/assets/wh.new.table", json={"kind": "table", "owner": "me",
                                                       "tags": ["x"]})
    assert r.status_code == 201 and r.json()["owner"] == "me"
    r = client.put(f"{API}/assets/wh.new.table", json={"description": "now described"})
    assert r.status_code == 200 and r.json()["description"] == "now described"
    assert client.get(f"{API}/assets/wh.new.table").json()["tags"] == ["x"]
    hist = client.get(f"{API}/assets/wh.new.table/history").json()["items"]
    assert len(hist) == 2 and hist[0]["seq"] > hist[1]["seq"]
    edges = client.get(f"{API}/assets/stg.orders/edges", params={"direction": "in"}).json()
    assert {e["source"] for e in edges["items"]} == {"pg.shop.orders", "pg.shop.order_items"}
    assert client.delete(f"{API}/assets/wh.new.table").status_code == 204
    assert_error(client.get(f"{API}/assets/wh.new.table"), 404, "not_found")
    assert_error(client.delete(f"{API}/assets/wh.new.table"), 404, "not_found")
    assert_error(client.put(f"{API}/assets/wh.other", json={"owner": "x"}), 422,
                 "validation_error")
    assert_error(client.put(f"{API}/assets/stg.orders", json={"kind": "view"}), 409,
                 "conflict")
    assert_error(client.put(f"{API}/assets/x", json={"kind": "table", "tags": "notalist"}),
                 422, "validation_error")
    assert_error(client.delete(f"{API}/assets/pg.shop.orders"), 409, "conflict")  # columns
    assert client.delete(f"{API}/assets/pg.shop.orders", params={"cascade": True}
                         ).status_code == 204


def test_graph_view(client: TestClient) -> None:
    r = client.get(f"{API}/graph", params={"root": "stg.orders", "depth": 2})
    body = r.json()
    assert body["root"] == "stg.orders" and body["direction"] == "both"
    nodes, edges = body["elements"]["nodes"], body["elements"]["edges"]
    ids = {n["data"]["id"] for n in nodes}
    assert len(nodes) >= 5 and edges
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in edges)
    assert all("lineage_source" in e["data"] and e["data"]["edge_id"] > 0 for e in edges)
    placed = client.get(f"{API}/graph", params={"root": "stg.orders", "layout": "grid"}).json()
    assert all("position" in n for n in placed["elements"]["nodes"])
    assert_error(client.get(f"{API}/graph", params={"root": "stg.orders", "layout": "spiral"}),
                 422, "validation_error")
    assert_error(client.get(f"{API}/graph"), 422, "validation_error")
    assert_error(client.get(f"{API}/graph", params={"root": "missing"}), 404, "not_found")


def test_metrics(client: TestClient) -> None:
    client.get("/health")
    text = client.get("/metrics").text
    assert "# TYPE lineage_assets gauge" in text
    assert 'lineage_edges_by_source{source="inferred"} 4' in text
    assert 'lineage_http_requests{method="GET",route="/health",status="200"} 1' in text
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name_labels, value = line.rsplit(" ", 1)
            float(value)


def test_unknown_routes_use_the_envelope(client: TestClient) -> None:
    assert_error(client.get("/api/v1/nothing"), 404, "not_found")
    assert_error(client.patch(f"{API}/lineage"), 405, "method_not_allowed")


def test_events_stream_the_change_feed(client: TestClient) -> None:
    client.put(f"{API}/assets/ev.one", json={"kind": "table"})
    start = client.get("/health").json()["last_seq"] - 1
    client.put(f"{API}/assets/ev.two", json={"kind": "table"})
    with client.stream("GET", f"{API}/events",
                       params={"since": start, "max_events": 2, "timeout": 5}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        body = "".join(r.iter_text())
    events = [block for block in body.split("\n\n") if block.startswith("id:")]
    assert len(events) == 2
    data = [json.loads(line[len("data: "):]) for block in events for line in block.splitlines()
            if line.startswith("data: ")]
    assert [d["asset_key"] for d in data] == ["ev.one", "ev.two"]
    assert_error(client.get(f"{API}/events", params={"since": -1}), 422, "validation_error")


def test_import_validate_and_execute(client: TestClient) -> None:
    csv = b"key,kind,owner\nimp.a,table,me\nimp.b,view,me\n"
    v = client.post(f"{API}/import/validate", files={"file": ("assets.csv", csv, "text/csv")})
    assert v.status_code == 200, v.text
    report = v.json()
    assert report["dry_run"] is True and report["committed"] is False
    assert report["created"]["assets"] == 2
    assert_error(client.get(f"{API}/assets/imp.a"), 404, "not_found")
    x = client.post(f"{API}/import/execute", files={"file": ("assets.csv", csv, "text/csv")})
    assert x.status_code == 200 and x.json()["committed"] is True
    assert client.get(f"{API}/assets/imp.b").json()["kind"] == "view"
    lineage_csv = b"source,target\nimp.a,imp.b\n"
    y = client.post(f"{API}/import/execute", files={"file": ("edges.csv", lineage_csv)},
                    data={"type": "lineage"})
    assert y.json()["created"]["edges"] == 1


def test_import_bad_input(client: TestClient) -> None:
    bad = b"key,kind\nok.one,table\n bad ,table\n"
    err = assert_error(client.post(f"{API}/import/execute",
                                   files={"file": ("a.csv", bad)}), 422, "invalid_rows")
    assert err["details"]["report"]["committed"] is False
    assert err["details"]["errors"][0]["row"] == 3
    assert_error(client.get(f"{API}/assets/ok.one"), 404, "not_found")
    skipped = client.post(f"{API}/import/execute", files={"file": ("a.csv", bad)},
                          data={"mode": "skip_errors"})
    assert skipped.status_code == 200 and skipped.json()["invalid"] == 1
    v = client.post(f"{API}/import/validate", files={"file": ("a.csv", bad)})
    assert v.status_code == 200 and v.json()["invalid"] == 1
    assert_error(client.post(f"{API}/import/execute",
                             files={"file": ("a.json", b'[{"key": "x"')}), 400, "parse_error")
    assert_error(client.post(f"{API}/import/execute"), 422, "validation_error")
    assert_error(client.post(f"{API}/import/execute", files={"file": ("a.csv", bad)},
                             data={"mode": "maybe"}), 422, "validation_error")


def test_import_upload_too_large(client: TestClient, monkeypatch) -> None:
    import app as service_module

    monkeypatch.setattr(service_module, "MAX_UPLOAD_BYTES", 16)
    err = assert_error(client.post(f"{API}/import/validate",
                                   files={"file": ("a.csv", b"key,kind\n" + b"x,table\n" * 10)}),
                       413, "too_large")
    assert "LINEAGE_MAX_UPLOAD_BYTES" in err["message"]


def test_export(client: TestClient) -> None:
    r = client.get(f"{API}/export", params={"format": "csv", "type": "assets"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "stg.orders" in r.text and "attachment" in r.headers["content-disposition"]
    whole = client.get(f"{API}/export").json()
    assert whole
    dot = client.get(f"{API}/export", params={"format": "dot", "root": "stg.orders",
                                              "depth": 1, "direction": "downstream"})
    assert "mart.funnel" in dot.text and "pg.shop.orders" not in dot.text
    assert_error(client.get(f"{API}/export", params={"format": "xlsx"}), 422,
                 "validation_error")
    assert_error(client.get(f"{API}/export", params={"root": "missing"}), 404, "not_found")
    assert_error(client.get(f"{API}/export", params={"format": "csv", "type": "both"}), 400,
                 "invalid")
