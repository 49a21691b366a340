"""Tickets: how a browser authenticates the event stream and the WebSocket.

A browser's ``EventSource`` and ``WebSocket`` cannot send an ``Authorization`` header. Putting
the API token in the URL would leave a long-lived secret in access logs, proxies and the
browser's history, so the page trades its token for a ticket instead:
``POST /api/v1/auth/ticket`` (with ``Authorization: Bearer TOKEN``) answers
``{"ticket", "expires_in"}``; the page then opens ``/api/v1/events?ticket=...`` or
``/ws?ticket=...``. A ticket is good for ``LINEAGE_TICKET_SECONDS`` (30), once, on those two
paths only, and acts as its token (same user, role and rate limit; refused if the token has
been revoked meanwhile). A logged ticket is worthless: it has been used, or soon expires.

The WebSocket subprotocol trick (``Sec-WebSocket-Protocol: bearer.TOKEN``) was not chosen: it
does nothing for ``EventSource`` and still sends the long-lived token on every connection.

Tickets live in the memory of the process that issued them (only their SHA-256 digest): with
``uvicorn --workers N``, route a client's ticket request and its connection to the same worker
(a sticky balancer), or run one worker for the streams.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
import time
from typing import Any, Callable, Optional

from fastapi import APIRouter, Depends

import lineage
from auth import AuthFailure, Caller, requires, unauthorized

TICKET_SECONDS = float(os.environ.get("LINEAGE_TICKET_SECONDS", "30"))
# Outstanding tickets a token may hold, and in all: memory stays bounded whatever clients do.
PER_TOKEN, IN_ALL = 20, 10_000


def _digest(ticket: str) -> str:
    return hashlib.sha256(ticket.encode("utf-8", "replace")).hexdigest()


class Tickets:
    """Outstanding tickets: digest -> (caller, expiry on the monotonic clock)."""

    def __init__(self, graph: Callable[[], lineage.Graph], ttl: float = TICKET_SECONDS) -> None:
        self.graph, self.ttl = graph, ttl
        self._live: dict[str, tuple[Caller, float]] = {}
        self._lock = threading.Lock()

    def _prune(self, now: float) -> None:
        for key in [k for k, (_, exp) in self._live.items() if exp <= now]:
            del self._live[key]

    def issue(self, who: Caller) -> str:
        now = time.monotonic()
        ticket = "tkt_" + secrets.token_urlsafe(32)
        with self._lock:
            self._prune(now)
            held = [k for k, (c, _) in self._live.items() if c.token_id == who.token_id]
            if len(held) >= PER_TOKEN:  # the oldest goes: a page that reconnects often
                del self._live[min(held, key=lambda k: self._live[k][1])]
            if len(self._live) >= IN_ALL:
                raise AuthFailure(503, "busy", "too many outstanding tickets: retry in a "
                                  f"few seconds (they expire after {self.ttl:g} s)",
                                  {"Retry-After": str(max(1, round(self.ttl)))})
            self._live[_digest(ticket)] = (who, now + self.ttl)
        return ticket

    def redeem(self, ticket: str) -> Caller:
        """The caller a ticket stands for; the ticket is spent. 401 when it is unknown,
        already used, expired, or its token has been revoked since."""
        with self._lock:
            entry = self._live.pop(_digest(ticket), None)
        if entry is None:
            raise unauthorized("the ticket is unknown or was already used: a ticket works "
                               f"once; get a new one with POST {API}/auth/ticket",
                               "invalid_token")
        who, expires = entry
        if expires <= time.monotonic():
            raise unauthorized(f"the ticket has expired (tickets last {self.ttl:g} s): get "
                               f"a new one with POST {API}/auth/ticket just before "
                               "connecting", "invalid_token")
        state = next((t.state for t in self.graph().tokens() if t.id == who.token_id), None)
        if state != "active":
            raise unauthorized(f"the ticket's token {who.token_id} is {state or 'gone'}: "
                               "ask an administrator for a new token", "invalid_token")
        return who


API = "/api/v1"
# Where a ticket may stand for a token: the two connections a browser cannot add headers to.
PATHS = (API + "/events", "/ws")


def router(tickets: Tickets) -> APIRouter:
    r = APIRouter(prefix=API + "/auth", tags=["tokens"])

    @r.post("/ticket")
    def ticket(who: Optional[Caller] = Depends(requires("viewer"))) -> dict[str, Any]:
        """A single-use ticket for ``GET /api/v1/events?ticket=`` or ``/ws?ticket=``,
        valid for a few seconds, standing for the token that asked for it."""
        if who is None:
            raise unauthorized("a ticket stands for an API token: send Authorization: "
                               "Bearer <token>")
        return {"ticket": tickets.issue(who), "expires_in": tickets.ttl,
                "user": who.user, "role": who.role}

    return r
