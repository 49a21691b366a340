"""Who may change what: API tokens (``lineage token create``) and roles, for any router.

The model is FastAPI's security tutorial: ``bearer`` (an ``HTTPBearer`` scheme) reads
``Authorization: Bearer TOKEN``; :func:`caller` verifies it against the lineage database
(only a SHA-256 digest is stored there); :func:`requires` checks the caller's role. Declare
``dependencies=[Depends(requires("editor"))]`` on a route (the OpenAPI page then shows its
lock) and record its changes with :func:`acting` so the audit trail names the caller.

Rules (issue 15): once the database holds a token, or with ``LINEAGE_AUTH=required``,
writes need one — 401 without (``WWW-Authenticate: Bearer``), 403 when the role may not.
Roles are ranked viewer < editor < steward < admin, each allowed what the lower ones are:
viewers read; editors write assets, manual edges and imports; stewards also approve and
reject; admins also revert, back up and manage tokens. Reads stay open unless
``LINEAGE_AUTH=required``. :func:`gate`, installed on the whole app, is the safety net:
every write route needs at least an editor even when it declares nothing.

Each token has its own rate limit (a token bucket: ``LINEAGE_RATE_LIMIT`` requests per
second, bursts of ``LINEAGE_RATE_BURST``); past it, 429 with ``Retry-After``. Refused
tokens are logged (logger ``lineage.auth``) without the token.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Optional

from fastapi import APIRouter, Depends, FastAPI, Request, Response, Security
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.requests import HTTPConnection

import lineage

log = logging.getLogger("lineage.auth")

ROLES = lineage.ROLES
ANONYMOUS_ACTOR = "api"  # the audit trail's actor when no token is in use
# What each role may do, for the messages (the rank does the checking).
WHAT = {"viewer": "read", "editor": "write assets, edges and imports",
        "steward": "approve and reject edges", "admin": "revert, back up and manage tokens"}

class _Bearer(HTTPBearer):
    """FastAPI's HTTPBearer, on any connection: WebSocket routes share the app's
    dependencies, and HTTPBearer only reads the headers."""

    async def __call__(self, conn: HTTPConnection  # type: ignore[override]
                       ) -> Optional[HTTPAuthorizationCredentials]:
        return await super().__call__(conn)  # type: ignore[arg-type]


bearer = _Bearer(auto_error=False, scheme_name="HTTPBearer", description="An API token from `lineage token create`"
                 " or `POST /api/v1/tokens`, sent as `Authorization: Bearer lin_...`")


class AuthFailure(Exception):
    """A refusal with its HTTP status, sent in the service's error envelope."""

    def __init__(self, status: int, code: str, message: str,
                 headers: Optional[dict[str, str]] = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}


@dataclass(frozen=True)
class Caller:
    """Who sent a request with a valid token."""

    user: str
    role: str
    token_id: int

    def may(self, role: str) -> bool:
        return lineage.role_rank(self.role) >= lineage.role_rank(role)


class RateLimiter:
    """A token bucket per API token: ``rate`` requests a second, bursts of ``burst``."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self._buckets: dict[int, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: int) -> float:
        """0 when the request may go, else the seconds until it may."""
        now = time.monotonic()
        with self._lock:
            level, last = self._buckets.get(key, (self.burst, now))
            level = min(self.burst, level + (now - last) * self.rate)
            if level >= 1:
                self._buckets[key] = (level - 1, now)
                return 0.0
            self._buckets[key] = (level, now)
            return (1 - level) / self.rate


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise RuntimeError(f"{name}={raw!r} is not a number") from None
    if not value > 0:
        raise RuntimeError(f"{name}={raw!r} must be greater than 0")
    return value


class Auth:
    """The service's token settings and state (``app.state.auth``)."""

    def __init__(self, graph: Callable[[], lineage.Graph]) -> None:
        self.graph = graph
        mode = os.environ.get("LINEAGE_AUTH", "auto").strip().lower()
        if mode not in ("auto", "required"):
            raise RuntimeError(f"LINEAGE_AUTH={mode!r}: use 'required' (every request needs "
                               "a token) or leave it unset (writes need one once a token exists)")
        self.required = mode == "required"
        self.limiter = RateLimiter(_env_float("LINEAGE_RATE_LIMIT", 20.0),
                                   _env_float("LINEAGE_RATE_BURST", 100.0))
        self._has_tokens = False

    def active(self) -> bool:
        """Whether writes need a token: required, or the database holds one (once it does,
        it always will: revoked tokens stay listed)."""
        if self.required or self._has_tokens:
            return True
        self._has_tokens = self.graph().token_count() > 0
        return self._has_tokens


def _auth(request: HTTPConnection) -> Auth:
    return request.app.state.auth


def _client(request: HTTPConnection) -> str:
    return request.client.host if request.client else "?"


def _method(request: HTTPConnection) -> str:
    return request.scope.get("method", "WEBSOCKET")


def unauthorized(message: str, error: Optional[str] = None) -> AuthFailure:
    challenge = 'Bearer realm="lineage"' + (f', error="{error}"' if error else "")
    return AuthFailure(401, "unauthorized", message, {"WWW-Authenticate": challenge})


def caller(request: HTTPConnection,
           credentials: Optional[HTTPAuthorizationCredentials] = Security(bearer)
           ) -> Optional[Caller]:
    """The caller of a request that sent a token; None without one. A token that is
    malformed, unknown, expired or revoked is refused (401) wherever it is sent, and a
    caller past its rate limit gets 429."""
    if credentials is None and "ticket" in request.query_params:
        who = _redeem(request, request.query_params["ticket"])
        _limit(request, who)
        return who
    if credentials is None:
        header = request.headers.get("authorization")
        if header:  # present, but not "Bearer <token>"
            log.warning("refused an Authorization header that is not a bearer token from %s",
                        _client(request))
            raise unauthorized("the Authorization header must be \"Bearer <token>\"",
                                "invalid_request")
        return None
    try:
        token = _auth(request).graph().verify_token(credentials.credentials)
    except lineage.AuthError as e:
        # the library's message names the token's id and user at most, never the secret
        log.warning("refused a token from %s on %s %s: %s", _client(request), _method(request),
                    request.url.path, e.message)
        raise unauthorized(e.message, "invalid_token") from None
    who = Caller(token.user, token.role, token.id)
    _limit(request, who)
    return who


def _limit(request: HTTPConnection, who: Caller) -> None:
    wait = _auth(request).limiter.take(who.token_id)
    if wait:
        log.warning("rate limit: token %d (%s) from %s", who.token_id, who.user,
                    _client(request))
        raise AuthFailure(429, "rate_limited",
                          f"too many requests with token {who.token_id}: retry in "
                          f"{math.ceil(wait)} s", {"Retry-After": str(math.ceil(wait))})


def _redeem(request: HTTPConnection, ticket: str) -> Caller:
    """A ``?ticket=`` from ``POST /api/v1/auth/ticket`` (tickets.py), where it may be used;
    logged without the ticket."""
    import tickets

    if request.url.path not in tickets.PATHS:
        raise unauthorized(f"a ticket is accepted on {' and '.join(tickets.PATHS)} only: "
                           "elsewhere send Authorization: Bearer <token>", "invalid_request")
    try:
        return request.app.state.tickets.redeem(ticket)
    except AuthFailure as e:
        log.warning("refused a ticket from %s on %s: %s", _client(request), request.url.path,
                    e.message)
        raise


def requires(role: str) -> Callable[..., Optional[Caller]]:
    """A dependency: the request needs a token of at least ``role`` once tokens are in use
    (always for ``admin``). Gives the caller (None when tokens are not in use)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    def check(request: HTTPConnection,
              who: Optional[Caller] = Depends(caller)) -> Optional[Caller]:
        if who is None:
            if role == "admin" or _auth(request).active():
                raise unauthorized(f"this needs an API token with role {role} or higher "
                                    f"(to {WHAT[role]}): send Authorization: Bearer <token>")
            return None
        if not who.may(role):
            log.warning("refused %s %s to %s (role %s; needs %s)", _method(request),
                        request.url.path, who.user, who.role, role)
            raise AuthFailure(403, "forbidden",
                              f"{who.user}'s token has role {who.role}, which may not "
                              f"{WHAT[role]}: this needs role {role} or higher; ask an "
                              "administrator")
        return who

    check.__name__ = f"requires_{role}"
    setattr(check, "lineage_role", role)  # see gate()
    return check


_read = requires("viewer")
_write = requires("editor")


def _declares_role(request: HTTPConnection) -> bool:
    """Whether the matched route depends on requires(...) itself."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    return any(getattr(d.call, "lineage_role", None)
               for d in getattr(dependant, "dependencies", ()))


def gate(request: HTTPConnection, who: Optional[Caller] = Depends(caller)) -> Optional[Caller]:
    """Installed on the whole app: reads need a token only with ``LINEAGE_AUTH=required``;
    other methods need at least an editor once tokens are in use, unless the route declares
    its own role (which then decides, with its own message). The web page and the health
    check stay open. A WebSocket is a read."""
    path = request.url.path
    if _method(request) in ("GET", "HEAD", "OPTIONS", "WEBSOCKET"):
        if not _auth(request).required or not (path.startswith("/api/") or path == "/metrics"
                                                or path == "/ws"):
            return who
        return _read(request, who)
    return who if _declares_role(request) else _write(request, who)


def actor(who: Optional[Caller]) -> str:
    return who.user if who else ANONYMOUS_ACTOR


@contextmanager
def acting(graph: lineage.Graph, who: Optional[Caller]) -> Iterator[lineage.Graph]:
    """Record the block's changes as the caller's (``api`` without a token)."""
    with graph.acting_as(actor(who), restore=ANONYMOUS_ACTOR):
        yield graph


def reviewer(who: Optional[Caller], by: Optional[str]) -> str:
    """Who approves or rejects: the token's user. A different ``by`` is refused, so a
    client cannot sign a review with someone else's name."""
    if who is not None:
        if by is not None and by != who.user:
            raise AuthFailure(403, "forbidden", f"\"by\" is {by!r} but the token is "
                              f"{who.user}'s: a review is recorded under the token's user "
                              "(leave \"by\" out)")
        return who.user
    if not by:
        raise AuthFailure(422, "validation_error", "body.by: who reviews is required when "
                          "no API token is sent")
    return by


# -- token management (admins) -------------------------------------------------------------

class TokenIn(BaseModel):
    user: str = Field(min_length=1, max_length=256, description="who the token is for")
    role: str = Field(description="viewer, editor, steward or admin")
    expires_in_days: Optional[float] = Field(None, gt=0, le=36500,
                                             description="none: never expires")


def router(api: str) -> APIRouter:
    r = APIRouter(prefix=api + "/tokens", tags=["tokens"])

    @r.post("", status_code=201)
    def create_token(body: TokenIn, request: Request,
                     who: Optional[Caller] = Depends(requires("admin"))) -> dict[str, Any]:
        """Create a token; its text is in this answer only (the database keeps a hash)."""
        if body.role not in ROLES:
            raise AuthFailure(422, "validation_error", f"body.role: {body.role!r} is not a "
                              f"role: use {', '.join(ROLES)}")
        graph = _auth(request).graph()
        with acting(graph, who):
            tid, token = graph.create_token(body.user, body.role,
                                            expires_in_days=body.expires_in_days)
        _auth(request)._has_tokens = True
        info = next(t for t in graph.tokens() if t.id == tid)
        log.info("token %d created for %s (%s) by %s", tid, body.user, body.role, actor(who))
        return {**info.to_dict(), "token": token}

    @r.get("")
    def list_tokens(request: Request, _: Optional[Caller] = Depends(requires("admin"))
                    ) -> dict[str, Any]:
        """Every token: who, role, state, when used; never the token itself."""
        return {"items": [t.to_dict() for t in _auth(request).graph().tokens()]}

    @r.delete("/{token_id}", status_code=204)
    def revoke_token(token_id: int, request: Request,
                     who: Optional[Caller] = Depends(requires("admin"))) -> Response:
        """Revoke a token: it stops working at once."""
        graph = _auth(request).graph()
        with acting(graph, who):
            graph.revoke_token(token_id)
        log.info("token %d revoked by %s", token_id, actor(who))
        return Response(status_code=204)

    return r


def install(app: FastAPI, graph: Callable[[], lineage.Graph], api: str) -> Auth:
    """Set up tokens on an app: state, the error envelope for refusals, the token routes.
    Add ``Depends(gate)`` to the app's dependencies."""
    auth = Auth(graph)
    app.state.auth = auth

    @app.exception_handler(AuthFailure)
    async def _refused(_: Request, exc: AuthFailure) -> JSONResponse:
        return JSONResponse(status_code=exc.status, headers=exc.headers,
                            content={"error": {"code": exc.code, "message": exc.message,
                                               "details": {}}})

    app.include_router(router(api))
    import tickets  # single-use tickets for EventSource and WebSocket (tickets.py)

    app.state.tickets = tickets.Tickets(graph)
    app.include_router(tickets.router(app.state.tickets))
    return auth
