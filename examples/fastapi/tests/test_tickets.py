"""Tickets for the event stream and the WebSocket (a browser cannot send Authorization on
either), over real HTTP and a real WebSocket client, with LINEAGE_AUTH=required."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

import lineage
from conftest import assert_error
from served import Served, serve
from test_ws import next_change

API = "/api/v1"


@pytest.fixture
def tokens(db_file: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with lineage.open(db_file, actor="setup") as g:
        for role in ("viewer", "editor"):
            out[role] = g.create_token(role + "-user", role)
    return out


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def ticket(s: Served, token: str) -> str:
    r = s.http.post(f"{API}/auth/ticket", headers=bearer(token))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ticket"].startswith("tkt_") and 0 < body["expires_in"] <= 30
    assert token not in r.text
    return str(body["ticket"])


def refused(url: str) -> tuple[int, dict[str, Any]]:
    """The HTTP answer of a WebSocket handshake the service refuses."""
    with pytest.raises(InvalidStatus) as info:
        with connect(url, open_timeout=10):
            pass
    response = info.value.response
    return response.status_code, json.loads(response.body)


def test_websocket_with_a_ticket(db_file: Path, tokens: dict[str, Any]) -> None:
    viewer, editor = tokens["viewer"][1], tokens["editor"][1]
    with serve(db_file, LINEAGE_AUTH="required") as s:
        # without a ticket (and without a header) the handshake is refused with the envelope
        status, body = refused(s.ws)
        assert status == 401 and body["error"]["code"] == "unauthorized"
        t = ticket(s, viewer)
        with connect(f"{s.ws}?ticket={t}") as ws:
            r = s.http.put(f"{API}/assets/tk.a", json={"kind": "table"}, headers=bearer(editor))
            assert r.status_code == 201, r.text
            assert next_change(ws)["asset_key"] == "tk.a"
        # a ticket works once
        status, body = refused(f"{s.ws}?ticket={t}")
        assert status == 401 and "already used" in body["error"]["message"]
        assert t not in json.dumps(body)
        # a made-up one, and one meant for another route
        status, body = refused(f"{s.ws}?ticket=tkt_forged")
        assert status == 401 and body["error"]["code"] == "unauthorized"
        r = s.http.get(f"{API}/assets/tk.a", params={"ticket": ticket(s, viewer)})
        assert "accepted on /api/v1/events and /ws only" in \
            assert_error(r, 401, "unauthorized")["message"]
        # a ticket cannot be had with a ticket, nor without a token
        assert_error(s.http.post(f"{API}/auth/ticket", params={"ticket": ticket(s, viewer)}),
                     401, "unauthorized")
        assert_error(s.http.post(f"{API}/auth/ticket"), 401, "unauthorized")
        assert_error(s.http.post(f"{API}/auth/ticket", headers=bearer("lin_forged")),
                     401, "unauthorized")


def test_event_stream_with_a_ticket(db_file: Path, tokens: dict[str, Any]) -> None:
    viewer, editor = tokens["viewer"][1], tokens["editor"][1]
    with serve(db_file, LINEAGE_AUTH="required") as s:
        assert_error(s.http.get(f"{API}/events", params={"timeout": 1}), 401, "unauthorized")
        t = ticket(s, viewer)
        with s.http.stream("GET", f"{API}/events",
                           params={"ticket": t, "max_events": 1, "timeout": 20}) as stream:
            assert stream.status_code == 200
            r = s.http.put(f"{API}/assets/tk.e", json={"kind": "table"}, headers=bearer(editor))
            assert r.status_code == 201
            text = "".join(stream.iter_text())
        data = [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: ")]
        assert [d["asset_key"] for d in data] == ["tk.e"]
        r = s.http.get(f"{API}/events", params={"ticket": t, "timeout": 1})
        assert "already used" in assert_error(r, 401, "unauthorized")["message"]
        s.proc.terminate()
        log = s.proc.communicate(timeout=20)[0].decode()
    assert "refused a ticket" in log
    for secret in (viewer, editor, t):
        assert secret not in log


def test_expired_ticket_and_revoked_token(db_file: Path, tokens: dict[str, Any]) -> None:
    viewer_id, viewer = tokens["viewer"]
    with serve(db_file, LINEAGE_AUTH="required", LINEAGE_TICKET_SECONDS="1") as s:
        t = ticket(s, viewer)
        time.sleep(1.3)
        status, body = refused(f"{s.ws}?ticket={t}")
        assert status == 401 and "expired" in body["error"]["message"]
        # a ticket stops working when its token is revoked, even before it expires
        t = ticket(s, viewer)
        with lineage.open(db_file) as g:
            g.revoke_token(viewer_id)
        r = s.http.get(f"{API}/events", params={"ticket": t, "timeout": 1})
        assert "revoked" in assert_error(r, 401, "unauthorized")["message"]


def test_tickets_in_open_mode(db_file: Path, tokens: dict[str, Any]) -> None:
    """Without LINEAGE_AUTH=required the streams are open; a bad ticket is still refused
    rather than ignored."""
    with serve(db_file) as s:
        with connect(s.ws):
            pass
        status, body = refused(f"{s.ws}?ticket=tkt_nothing")
        assert status == 401
        with connect(f"{s.ws}?ticket={ticket(s, tokens['viewer'][1])}"):
            pass
        with httpx.Client(base_url=s.base) as plain:
            assert plain.get(f"{API}/events", params={"timeout": 0.2}).status_code == 200
