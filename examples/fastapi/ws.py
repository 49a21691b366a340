"""WebSocket at ``/ws``: the change feed as JSON messages, the same objects as the event
stream (``GET /api/v1/events``), one message per change.

A client may send ``{"subscribe": ["key", ...]}`` to receive only the changes of those
assets (a change of an edge counts for both its ends); ``{"subscribe": null}`` (or ``[]``)
receives everything again. The server answers each subscription with ``{"subscribed":
[...]}``. ``?since=SEQ`` starts after that change (else at the current end of the feed).

One task per process reads the feed (woken at once by this process's commits, polling every
half second for other processes') and hands each change to every client's queue. A queue
holds ``LINEAGE_WS_QUEUE`` messages (default 1000); when a client's queue is full the reader
waits for room, but a client whose queue stays full for ``LINEAGE_WS_SLOW_SECONDS`` (5) — one
that does not read, or reads more slowly than changes arrive — is dropped with close code
1008 and a reason giving the last seq it was sent, to resume from with ``?since=``: it holds
the others up at most that long, once. At shutdown every client gets a
close frame: uvicorn sends 1012 (service restart) to open WebSockets before the app's own
shutdown, which closes any client left with 1001 (going away).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from typing import Any, Callable, Optional

from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

import lineage

QUEUE_SIZE = max(2, int(os.environ.get("LINEAGE_WS_QUEUE", "1000")))
SLOW_S = float(os.environ.get("LINEAGE_WS_SLOW_SECONDS", "5"))
CLOSE_SLOW, CLOSE_SHUTDOWN, CLOSE_BAD_INPUT = 1008, 1001, 1003
CLOSE_TIMEOUT_S = 10.0


class Client:
    def __init__(self, ws: WebSocket) -> None:
        self.ws = ws
        self.queue: asyncio.Queue[Optional[str]] = asyncio.Queue(QUEUE_SIZE)
        self.keys: Optional[set[str]] = None  # None: every change
        self.start = self.sent_seq = 0  # changes up to `start` are not for this client
        self.dropped = False
        self.full_since: Optional[float] = None  # since when its queue has been full
        self.sender: Optional[asyncio.Task[None]] = None

    def wants(self, change: dict[str, Any]) -> bool:
        return self.keys is None or bool(
            {change.get("asset_key"), change.get("target_key")} & self.keys)


class Hub:
    """The feed reader and the clients it serves (on the server's event loop)."""

    def __init__(self, graph: Callable[[], lineage.Graph], notifier: Any) -> None:
        self.graph, self.notifier = graph, notifier
        self.clients: set[Client] = set()
        self.reader: Optional[asyncio.Task[None]] = None
        self.closing = False

    def ensure_reader(self, start: int) -> None:
        if self.reader is None or self.reader.done():
            self.reader = asyncio.create_task(self._read(start))

    async def _read(self, seq: int) -> None:
        sub = self.notifier.subscribe()
        _, wake = sub
        try:
            while self.clients and not self.closing:
                wake.clear()
                changes = await run_in_threadpool(self.graph().changes_since, seq, 500)
                for ch in changes:
                    seq = ch.seq
                    data = ch.to_dict()
                    text = json.dumps(data, separators=(",", ":"))
                    for client in list(self.clients):
                        if client.wants(data) and not client.dropped and ch.seq > client.start:
                            await self._deliver(client, text)
                if not changes:
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(wake.wait(), 0.5)
        finally:
            self.notifier.unsubscribe(sub)

    async def _deliver(self, client: Client, text: str) -> None:
        """Queue a message; wait for room while the client's queue has been full for less
        than SLOW_S, then drop it (its sender closes it with CLOSE_SLOW)."""
        if client.queue.qsize() < QUEUE_SIZE // 2:
            client.full_since = None
        if not client.queue.full():
            client.queue.put_nowait(text)
            return
        now = time.monotonic()
        client.full_since = client.full_since or now
        try:
            await asyncio.wait_for(client.queue.put(text),
                                   max(0.0, SLOW_S - (now - client.full_since)))
        except asyncio.TimeoutError:
            client.dropped = True

    async def shutdown(self) -> None:
        self.closing = True
        for client in list(self.clients):
            client.dropped = True
            with contextlib.suppress(asyncio.QueueFull):
                client.queue.put_nowait(None)
        await asyncio.sleep(0.1)  # let the senders close their sockets
        for client in list(self.clients):
            if client.sender is not None:
                client.sender.cancel()
        if self.reader is not None:
            self.reader.cancel()
            with contextlib.suppress(BaseException):
                await self.reader


async def _receive(client: Client) -> None:
    """Subscriptions from the client; anything else is answered with an error message."""
    while True:
        text = await client.ws.receive_text()
        try:
            try:
                msg = json.loads(text)
            except ValueError:
                raise ValueError("not JSON") from None
            keys = msg["subscribe"] if isinstance(msg, dict) else None
            if not isinstance(msg, dict) or "subscribe" not in msg:
                raise ValueError("it has no \"subscribe\" field")
            if keys is not None and not (isinstance(keys, list)
                                         and all(isinstance(k, str) for k in keys)):
                raise ValueError("subscribe must be a list of asset keys (strings) or null")
            if keys is not None and len(keys) > 10000:
                raise ValueError("subscribe at most 10000 asset keys")
        except (ValueError, KeyError) as exc:
            await client.ws.send_text(json.dumps({"error": {
                "code": "invalid", "message": f"bad message ({exc}): send "
                '{"subscribe": ["asset key", ...]}, or {"subscribe": null} for every change',
                "details": {}}}))
            continue
        client.keys = set(keys) if keys else None
        await client.ws.send_text(json.dumps({"subscribed": sorted(client.keys or ())
                                              if keys else None}))


async def _send(client: Client, hub: Hub) -> None:
    while not client.dropped:
        text = await client.queue.get()
        if text is None:
            break
        await client.ws.send_text(text)
        client.sent_seq = json.loads(text)["seq"]
    if hub.closing:
        code, reason = CLOSE_SHUTDOWN, "the service is shutting down"
    else:
        code, reason = CLOSE_SLOW, (f"too slow: changes after seq {client.sent_seq} were "
                                    f"dropped; reconnect with ?since={client.sent_seq}")
    with contextlib.suppress(Exception):
        await asyncio.wait_for(client.ws.close(code, reason), CLOSE_TIMEOUT_S)


def install(app: FastAPI, graph: Callable[[], lineage.Graph], notifier: Any) -> Hub:
    hub = Hub(graph, notifier)

    @app.websocket("/ws")
    async def websocket(ws: WebSocket, since: Optional[int] = None) -> None:
        await ws.accept()
        if hub.closing:
            await ws.close(CLOSE_SHUTDOWN, "the service is shutting down")
            return
        if since is not None and since < 0:
            await ws.close(CLOSE_BAD_INPUT, "since must be a change seq (0 or more)")
            return
        last = await run_in_threadpool(graph().last_seq)
        client = Client(ws)
        client.start = last if since is None else since
        client.sent_seq = client.start
        start_reader_at = client.start if hub.reader is None or hub.reader.done() else None
        hub.clients.add(client)
        if start_reader_at is not None:
            hub.ensure_reader(start_reader_at)
        elif since is not None and since < last:
            # The shared reader is past `since`: replay this client's backlog first.
            for ch in await run_in_threadpool(graph().changes_since, since, QUEUE_SIZE):
                if ch.seq > last:
                    break
                await hub._deliver(client, json.dumps(ch.to_dict(), separators=(",", ":")))
            client.start = last
        sender = client.sender = asyncio.create_task(_send(client, hub))
        receiver = asyncio.create_task(_receive(client))
        try:
            await asyncio.wait({sender, receiver}, return_when=asyncio.FIRST_COMPLETED)
        except WebSocketDisconnect:
            pass
        finally:
            hub.clients.discard(client)
            for task in (sender, receiver):
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task

    return hub
