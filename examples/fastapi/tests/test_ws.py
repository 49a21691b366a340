"""The WebSocket /ws with a real client (the websockets package) against uvicorn."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import struct
import threading
import time
from pathlib import Path
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from served import serve
from test_jobs import big_csv

API = "/api/v1"


def next_change(ws: Any, timeout: float = 10) -> dict[str, Any]:
    while True:
        msg = json.loads(ws.recv(timeout=timeout))
        if "seq" in msg:
            return msg


def test_changes_and_subscriptions(db_file: Path) -> None:
    with serve(db_file) as s, connect(s.ws) as everything, connect(s.ws) as picky:
        picky.send(json.dumps({"subscribe": ["ws.a"]}))
        assert json.loads(picky.recv(timeout=10)) == {"subscribed": ["ws.a"]}
        picky.send("not json")
        err = json.loads(picky.recv(timeout=10))["error"]
        assert err["code"] == "invalid" and "subscribe" in err["message"]
        picky.send(json.dumps({"subscribe": [1, 2]}))
        assert "list of asset keys" in json.loads(picky.recv(timeout=10))["error"]["message"]

        assert s.http.put(f"{API}/assets/ws.b", json={"kind": "table"}).status_code == 201
        assert s.http.put(f"{API}/assets/ws.a", json={"kind": "table"}).status_code == 201
        first, second = next_change(everything), next_change(everything)
        assert (first["asset_key"], second["asset_key"]) == ("ws.b", "ws.a")
        assert second["seq"] > first["seq"] and second["action"] == first["action"] == "create"
        only = next_change(picky)
        assert only["asset_key"] == "ws.a" and only["seq"] == second["seq"]

        # An edge's change reaches a subscriber of either end.
        r = s.http.post(f"{API}/lineage", json={"source": "ws.b", "target": "ws.a"})
        assert r.status_code == 201
        edge = next_change(picky)
        assert edge["target_key"] == "ws.a"

        # Resuming from a seq replays what came after it.
        with connect(f"{s.ws}?since={first['seq']}") as late:
            assert next_change(late)["seq"] == second["seq"]


class RawClient:
    """A WebSocket client on a bare socket with a 4 KiB receive buffer, which reads nothing
    until asked: the server's buffers fill as they would for a stuck client."""

    def __init__(self, url: str) -> None:
        host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.connect((host, int(port)))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /ws HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self.buf += self.sock.recv(4096)
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101"), head

    def _read(self, n: int) -> bytes:
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed without a close frame")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def frame(self) -> tuple[int, bytes]:
        b0, b1 = self._read(2)
        size = b1 & 0x7F
        if size == 126:
            size = struct.unpack("!H", self._read(2))[0]
        elif size == 127:
            size = struct.unpack("!Q", self._read(8))[0]
        return b0 & 0x0F, self._read(size)


def test_a_client_that_never_reads_is_dropped_and_others_keep_up(db_file: Path) -> None:
    rows = 40_000
    with serve(db_file, LINEAGE_WS_QUEUE="50", LINEAGE_WS_SLOW_SECONDS="1") as s:
        slow = RawClient(s.ws)
        slow.sock.settimeout(60)
        with connect(s.ws) as fast:
            time.sleep(0.3)  # both registered before the import
            r = s.http.post(f"{API}/import/execute",
                            files={"file": ("many.csv", big_csv(rows), "text/csv")})
            assert r.status_code == 200 and r.json()["created"]["assets"] == rows
            last = s.http.get("/health").json()["last_seq"]
            seen = 0
            while True:
                change = next_change(fast, timeout=30)
                seen += 1
                if change["seq"] == last:
                    break
            assert seen == rows  # everything, in order, despite the stuck client
            assert s.http.get("/health").status_code == 200
        got, last_got = 0, 0
        while True:
            opcode, payload = slow.frame()
            if opcode == 8:
                break
            got, last_got = got + 1, json.loads(payload)["seq"]
        assert struct.unpack("!H", payload[:2])[0] == 1008, payload
        # The reason says where to resume: right after the last change it was sent.
        assert f"reconnect with ?since={last_got}" in payload[2:].decode(), payload
        assert 0 < got < rows, got
        slow.sock.close()


def test_clients_are_closed_cleanly_on_shutdown(db_file: Path) -> None:
    with serve(db_file) as s, connect(s.ws) as ws:
        s.http.put(f"{API}/assets/ws.c", json={"kind": "table"})
        assert next_change(ws)["asset_key"] == "ws.c"
        closed: list[Any] = []

        def wait_close() -> None:
            try:
                while True:
                    ws.recv(timeout=30)
            except ConnectionClosed as exc:
                closed.append(exc.rcvd)

        t = threading.Thread(target=wait_close)
        t.start()
        start = time.monotonic()
        s.proc.send_signal(signal.SIGTERM)
        # uvicorn shuts down gracefully, then re-raises the signal (exit status -15).
        assert s.proc.wait(30) in (0, -signal.SIGTERM)
        log = s.proc.stdout.read().decode() if s.proc.stdout else ""
        assert "Traceback" not in log and "ERROR" not in log, log
        t.join(30)
        assert closed and closed[0] is not None and closed[0].code in (1001, 1012), closed
        assert time.monotonic() - start < 20
