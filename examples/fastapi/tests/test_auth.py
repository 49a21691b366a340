"""Tokens and roles over real HTTP (uvicorn on 127.0.0.1): 401, 403, 429, the actor in the
audit trail, forged, expired and revoked tokens, escalation, LINEAGE_AUTH=required."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from fastapi import WebSocket

import lineage
from conftest import assert_error
import served

API = "/api/v1"


@contextlib.contextmanager
def serve(db: Path, **env: str) -> Iterator[tuple[httpx.Client, subprocess.Popen]]:
    with served.serve(db, **env) as s:
        yield s.http, s.proc


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tokens(db_file: Path) -> dict[str, str]:
    """One token per role, made as `lineage token create` makes them."""
    out = {}
    with lineage.open(db_file, actor="setup") as g:
        for role in lineage.ROLES:
            out[role] = g.create_token(role + "-user", role)[1]
    return out


def test_open_until_a_token_exists(db_file: Path) -> None:
    with serve(db_file) as (http, _):
        assert http.put(API + "/assets/open.one", json={"kind": "table"}).status_code == 201
        # token management always needs an admin, even before the first token
        r = http.post(API + "/tokens", json={"user": "x", "role": "admin"})
        assert_error(r, 401, "unauthorized")
        assert r.headers["WWW-Authenticate"].startswith("Bearer")
        with lineage.open(db_file) as g:
            g.create_token("ada", "editor")
        # the service sees the new token without a restart
        r = http.put(API + "/assets/open.two", json={"kind": "table"})
        assert_error(r, 401, "unauthorized")
        assert r.headers["WWW-Authenticate"].startswith("Bearer")
        assert "Authorization: Bearer" in r.json()["error"]["message"]
        # reads stay open
        assert http.get(API + "/assets/open.one").status_code == 200


def test_roles(db_file: Path, tokens: dict[str, str]) -> None:
    with serve(db_file) as (http, _):
        r = http.put(API + "/assets/w.one", json={"kind": "table"},
                     headers=bearer(tokens["viewer"]))
        err = assert_error(r, 403, "forbidden")
        assert "role viewer, which may not write" in err["message"]
        assert tokens["viewer"] not in r.text
        assert http.get(API + "/assets/stg.orders",
                        headers=bearer(tokens["viewer"])).status_code == 200
        for role in ("editor", "steward", "admin"):
            r = http.put(API + f"/assets/w.{role}", json={"kind": "table"},
                         headers=bearer(tokens[role]))
            assert r.status_code == 201, r.text
        edge = http.post(API + "/lineage", json={"source": "w.editor", "target": "w.admin",
                                                 "lineage_source": "inferred",
                                                 "confidence": 0.5},
                         headers=bearer(tokens["editor"]))
        assert edge.status_code == 201, edge.text
        eid = edge.json()["id"]
        r = http.post(API + f"/lineage/{eid}/approve", json={},
                      headers=bearer(tokens["editor"]))
        assert "needs role steward" in assert_error(r, 403, "forbidden")["message"]
        # a steward approves; "by" is the token's user and cannot be forged
        r = http.post(API + f"/lineage/{eid}/approve", json={"by": "someone-else"},
                      headers=bearer(tokens["steward"]))
        assert "recorded under the token's user" in assert_error(r, 403, "forbidden")["message"]
        r = http.post(API + f"/lineage/{eid}/approve", json={"comment": "checked"},
                      headers=bearer(tokens["steward"]))
        assert r.status_code == 200, r.text
        assert r.json()["reviewed_by"] == "steward-user"
        # the audit trail names each token's user
        history = http.get(API + "/assets/w.editor/history").json()["items"]
        assert {(c["action"], c["actor"]) for c in history} >= {
            ("create", "editor-user"), ("approve", "steward-user")}
        assert http.get(API + "/assets/w.admin/history").json()["items"][-1]["actor"] == "admin-user"
        # OpenAPI shows the bearer scheme on the routes
        spec = http.get("/openapi.json").json()
        assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
        assert {"HTTPBearer": []} in spec["paths"][API + "/lineage"]["post"]["security"]


def test_token_management_and_escalation(db_file: Path, tokens: dict[str, str]) -> None:
    with serve(db_file) as (http, _):
        r = http.post(API + "/tokens", json={"user": "mallory", "role": "admin"},
                      headers=bearer(tokens["editor"]))
        assert_error(r, 403, "forbidden")
        assert_error(http.get(API + "/tokens", headers=bearer(tokens["steward"])),
                     403, "forbidden")
        r = http.post(API + "/tokens", json={"user": "bob", "role": "root"},
                      headers=bearer(tokens["admin"]))
        assert "not a role" in assert_error(r, 422, "validation_error")["message"]
        r = http.post(API + "/tokens", json={"user": "bob", "role": "editor",
                                             "expires_in_days": 1},
                      headers=bearer(tokens["admin"]))
        assert r.status_code == 201, r.text
        made = r.json()
        assert made["token"].startswith("lin_") and made["user"] == "bob"
        listed = http.get(API + "/tokens", headers=bearer(tokens["admin"])).json()["items"]
        assert [t["user"] for t in listed][-1] == "bob"
        assert made["token"] not in str(listed) and "digest" not in listed[0]
        assert http.put(API + "/assets/bob.t", json={"kind": "table"},
                        headers=bearer(made["token"])).status_code == 201
        assert http.delete(API + f"/tokens/{made['id']}",
                           headers=bearer(tokens["admin"])).status_code == 204
        r = http.put(API + "/assets/bob.t2", json={"kind": "table"},
                     headers=bearer(made["token"]))
        assert "revoked" in assert_error(r, 401, "unauthorized")["message"]
        assert 'error="invalid_token"' in r.headers["WWW-Authenticate"]
        assert_error(http.delete(API + f"/tokens/{made['id']}", headers=bearer(tokens["admin"])),
                     409, "conflict")
        # creation and revocation in the audit trail, by the admin, without the secret
        changes = [c for c in lineage.open(db_file).changes_since(0) if c.entity == "token"]
        assert [(c.action, c.actor) for c in changes][-2:] == [("create", "admin-user"),
                                                                ("revoke", "admin-user")]
        assert made["token"][4:] not in repr(changes)


def test_forged_expired_and_malformed(db_file: Path, tokens: dict[str, str]) -> None:
    with lineage.open(db_file) as g:
        tid, expiring = g.create_token("old", "admin")
    con = sqlite3.connect(db_file)
    con.execute("UPDATE tokens SET expires_at = 1000 WHERE id = ?", (tid,))
    con.commit()
    con.close()
    good = tokens["admin"]
    forged = good[:-2] + ("AA" if good[-2:] != "AA" else "BB")
    with serve(db_file) as (http, proc):
        for token, words in ((forged, "not known"), (expiring, "expired"),
                             ("lin_x", "malformed"), ("not-a-token", "malformed")):
            r = http.put(API + "/assets/f.t", json={"kind": "table"}, headers=bearer(token))
            assert words in assert_error(r, 401, "unauthorized")["message"]
            assert token not in r.text
            # a bad token is refused on reads too, rather than ignored
            assert_error(http.get(API + "/assets/stg.orders", headers=bearer(token)),
                         401, "unauthorized")
        r = http.put(API + "/assets/f.t", json={"kind": "table"},
                     headers={"Authorization": "Basic YWRhOnB3"})
        assert_error(r, 401, "unauthorized")
        assert http.get(API + "/assets/f.t").status_code == 404  # nothing was written
        proc.terminate()
        log = proc.communicate(timeout=10)[0].decode()
    assert "refused a token" in log and "expired" in log
    for token in (forged, expiring, good):
        assert token not in log and token[4:] not in log


def test_rate_limit(db_file: Path, tokens: dict[str, str]) -> None:
    with serve(db_file, LINEAGE_RATE_LIMIT="0.5", LINEAGE_RATE_BURST="3") as (http, _):
        statuses = [http.get(API + "/assets/stg.orders", headers=bearer(tokens["viewer"]))
                    for _ in range(4)]
        assert [r.status_code for r in statuses] == [200, 200, 200, 429]
        err = assert_error(statuses[-1], 429, "rate_limited")
        assert int(statuses[-1].headers["Retry-After"]) >= 1 and "retry in" in err["message"]
        # another token has its own bucket; requests without a token are not limited here
        assert http.get(API + "/assets/stg.orders",
                        headers=bearer(tokens["editor"])).status_code == 200
        assert http.get(API + "/assets/stg.orders").status_code == 200


def test_required_mode(db_file: Path, tokens: dict[str, str]) -> None:
    with serve(db_file, LINEAGE_AUTH="required") as (http, _):
        r = http.get(API + "/assets/stg.orders")
        assert_error(r, 401, "unauthorized")
        assert r.headers["WWW-Authenticate"].startswith("Bearer")
        assert http.get(API + "/assets/stg.orders",
                        headers=bearer(tokens["viewer"])).status_code == 200
        assert_error(http.get("/metrics"), 401, "unauthorized")
        # the page and the health check stay open (the page asks for a token)
        assert http.get("/").status_code == 200
        assert http.get("/health").status_code == 200


def test_required_mode_without_tokens_refuses_writes(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    lineage.open(db).close()
    with serve(db, LINEAGE_AUTH="required") as (http, _):
        assert_error(http.put(API + "/assets/a", json={"kind": "table"}), 401, "unauthorized")


def test_gate_guards_undeclared_write_routes(db_file: Path, tokens: dict[str, str]) -> None:
    """A write route added without requires(...) still needs an editor's token."""
    from fastapi.testclient import TestClient

    import app as service_module

    application = service_module.create_app(str(db_file))

    @application.post(API + "/undeclared")
    def undeclared() -> dict[str, bool]:
        return {"done": True}

    @application.websocket("/ws-probe")
    async def probe(ws: WebSocket) -> None:  # the app's dependencies run on WebSockets too
        await ws.accept()
        await ws.send_text("hello")
        await ws.close()

    with TestClient(application) as client:
        with client.websocket_connect("/ws-probe") as ws:
            assert ws.receive_text() == "hello"
        assert_error(client.post(API + "/undeclared"), 401, "unauthorized")
        r = client.post(API + "/undeclared", headers=bearer(tokens["viewer"]))
        assert "needs role editor" in assert_error(r, 403, "forbidden")["message"]
        assert client.post(API + "/undeclared", headers=bearer(tokens["editor"])).json() == {"done": True}
