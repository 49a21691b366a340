"""The HTTP API words each error's fix with its own paths, parameters and body fields, never
a C or Python name; asset kinds are listed and declared over HTTP (issue 11, defects 7, 10)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from conftest import assert_error

API = "/api/v1"
# C functions and constants, and the Python binding's methods and arguments.
FOREIGN = re.compile(r"\blineage_[a-z_]+\(|\bLINEAGE_[A-Z_]+|graph\.[a-z_]+\(|=True\b")


def clean(err: dict) -> str:
    texts = [err["message"]] + [e.get("message", "") for e in err["details"].get("errors", [])]
    for text in texts:
        assert not FOREIGN.search(text), text
    return err["message"]


def test_undeclared_kind_and_its_declaration(client: TestClient) -> None:
    err = assert_error(client.put(f"{API}/assets/wh.orders", json={"kind": "tabel"}), 400,
                       "invalid")
    assert clean(err) == ('asset kind "tabel" is not declared (did you mean "table"?): '
                          f"declare it first with PUT {API}/kinds/tabel")
    assert_error(client.get(f"{API}/assets/wh.orders"), 404, "not_found")
    assert client.put(f"{API}/kinds/stream").status_code == 204
    assert client.put(f"{API}/kinds/stream").status_code == 204
    r = client.put(f"{API}/assets/kafka.orders", json={"kind": "stream"})
    assert r.status_code == 201 and r.json()["kind"] == "stream"
    kinds = client.get(f"{API}/kinds").json()["items"]
    assert {"name": "stream", "builtin": False} in kinds
    assert {"name": "table", "builtin": True} in kinds
    err = assert_error(client.get(f"{API}/assets", params={"kind": "strem"}), 400, "invalid")
    assert 'did you mean "stream"?' in clean(err)


def test_fixes_name_http(client: TestClient) -> None:
    err = assert_error(client.get(f"{API}/lineage/stg.ordrs/downstream"), 404, "not_found")
    assert clean(err).endswith(f"find it with GET {API}/assets?search=ordrs")

    err = assert_error(client.delete(f"{API}/assets/pg.shop.orders"), 409, "conflict")
    assert "add ?cascade=true" in clean(err)

    err = assert_error(client.post(f"{API}/lineage", json={"source": "stg.orders",
                                                            "target": "stg.orders"}), 400, "invalid")
    assert 'send "kind": "update"' in clean(err)

    err = assert_error(client.post(f"{API}/lineage", json={"source": "stg.orders",
                                                            "target": "ghost.table"}), 404, "not_found")
    assert clean(err).endswith(f'PUT {API}/assets/ghost.table, or send "create_missing": true')

    err = assert_error(client.put(f"{API}/assets/x.y", json={"kind": "table", "parent": "nope"}),
                       404, "not_found")
    assert '"create_missing": true' in clean(err)


def test_import_rows_name_the_closest_kind(client: TestClient) -> None:
    bad = b"key,kind\nimp.a,table\nimp.b,tabel\n"
    err = assert_error(client.post(f"{API}/import/execute", files={"file": ("a.csv", bad)}),
                       422, "invalid_rows")
    clean(err)
    row = err["details"]["errors"][0]
    assert row["row"] == 3 and row["column"] == "kind"
    assert 'did you mean "table"?' in row["message"]
