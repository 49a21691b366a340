"""OpenLineage events into the service, where Marquez takes them, and the runs they record.

- ``POST /api/v1/openlineage``: one event (a JSON object) or a batch (a JSON array).
- ``POST /api/v1/lineage`` with an OpenLineage body: the path an OpenLineage client uses by
  default. The same path also creates edges (``{"source", "target", ...}``): a body with
  ``eventType``, ``run``, ``job``, ``dataset`` or ``producer`` and neither ``source`` nor
  ``target``, or a JSON array, is an OpenLineage event and goes to the route above (an
  ASGI layer looks at the body before routing).
- ``GET /api/v1/assets/{key}/runs``: a job's state and run history, newest first.

A single event answers 201 with what it recorded, or 422 (not a valid event, or over the
library's 4 MiB limit for one event) or 400 (not JSON) in the service's error envelope. A
batch is one transaction in which each event is a savepoint: the good events are recorded
even when others are refused; it answers 201 when all were recorded, 207 with a result per
event when some were refused, 422 when none was. A body over ``LINEAGE_MAX_OPENLINEAGE_BYTES``
(16 MiB by default, after gzip decompression when the client compresses) is refused with 413
before it is parsed.
"""

from __future__ import annotations

import json
import os
import zlib
from typing import Any, Callable, Optional

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse

import auth
import lineage

MAX_BODY_BYTES = int(os.environ.get("LINEAGE_MAX_OPENLINEAGE_BYTES", str(16 * 1024 * 1024)))
MAX_BATCH_EVENTS = 10000
_EVENT_FIELDS = ("eventType", "run", "job", "dataset", "producer")


def _envelope(status: int, code: str, message: str,
              details: Optional[dict[str, Any]] = None) -> JSONResponse:
    return JSONResponse(status_code=status,
                        content={"error": {"code": code, "message": message,
                                           "details": details or {}}})


class BodyTooLarge(Exception):
    pass


def _gunzip(data: bytes, limit: int) -> bytes:
    """Decompress without ever holding more than `limit` bytes (no zip bombs)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = inflater.decompress(data, limit + 1)
    if len(out) > limit or inflater.unconsumed_tail:
        raise BodyTooLarge()
    return out


def looks_like_openlineage(body: bytes) -> bool:
    """Whether a POST /api/v1/lineage body is an OpenLineage event or batch, not an edge."""
    try:
        doc = json.loads(body)
    except ValueError:
        return False  # the edge route reports the JSON error
    if isinstance(doc, list):
        return True
    return (isinstance(doc, dict) and "source" not in doc and "target" not in doc
            and any(field in doc for field in _EVENT_FIELDS))


class OpenLineageDispatch:
    """ASGI layer: bounds and (g)unzips the bodies of the OpenLineage routes, and sends an
    OpenLineage body posted to /api/v1/lineage to /api/v1/openlineage."""

    def __init__(self, app: Any, api: str) -> None:
        self.app = app
        self.lineage_path = api + "/lineage"
        self.openlineage_path = api + "/openlineage"

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if (scope["type"] != "http" or scope.get("method") != "POST"
                or path not in (self.lineage_path, self.openlineage_path)):
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", ())}
        gzipped = headers.get(b"content-encoding", b"").strip().lower() == b"gzip"
        chunks, size, more = [], 0, True
        try:
            declared = int(headers.get(b"content-length", b"0") or 0)
        except ValueError:
            declared = 0
        try:
            if declared > MAX_BODY_BYTES:
                raise BodyTooLarge()
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise BodyTooLarge()
                chunks.append(chunk)
                more = message.get("more_body", False)
            body = b"".join(chunks)
            if gzipped:
                body = _gunzip(body, MAX_BODY_BYTES)
        except BodyTooLarge:
            response = _envelope(413, "body_too_large",
                                 f"the request body is over {MAX_BODY_BYTES} bytes: send fewer "
                                 "events per request (or raise LINEAGE_MAX_OPENLINEAGE_BYTES)")
            await response(scope, receive, send)
            return
        except zlib.error as exc:
            response = _envelope(400, "parse_error", f"the body is not valid gzip: {exc}")
            await response(scope, receive, send)
            return
        if path == self.lineage_path and looks_like_openlineage(body):
            scope = dict(scope, path=self.openlineage_path,
                         raw_path=self.openlineage_path.encode())
        if gzipped:  # the routes get the plain body
            scope = dict(scope, headers=[(k, v) for k, v in scope.get("headers", ())
                                         if k.lower() not in (b"content-encoding",
                                                              b"content-length")])
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def _error_of(exc: Exception) -> dict[str, Any]:
    if isinstance(exc, lineage.ParseError):
        return {"code": "parse_error", "message": str(exc)}
    if isinstance(exc, lineage.LimitError):
        return {"code": "event_too_large", "message": str(exc)}
    return {"code": "invalid_event", "message": str(exc)}


def install(app: FastAPI, graph: Callable[[], lineage.Graph], api: str) -> None:
    """Add the OpenLineage routes and the dispatch layer to the service's app. Call it
    before the app's own /assets/{key} routes, so that .../runs is matched first."""
    app.add_middleware(OpenLineageDispatch, api=api)

    def as_caller(who: Optional[auth.Caller], fn: Callable[..., Any]) -> Callable[..., Any]:
        """fn, run with the caller as the audit trail's actor (auth.py)."""
        def run(*args: Any) -> Any:
            with auth.acting(graph(), who):
                return fn(*args)
        return run

    @app.post(api + "/openlineage", status_code=201, tags=["openlineage"])
    async def openlineage_events(request: Request,
                                 who: Optional[auth.Caller] = Depends(auth.requires("editor"))
                                 ) -> JSONResponse:
        """Record one OpenLineage event (an object) or a batch (an array): lineage as
        inferred edges, and each run's state on its job."""
        body = await request.body()
        try:
            doc = json.loads(body)
        except ValueError as exc:
            return _envelope(400, "parse_error",
                             f"the body is not valid JSON ({exc}): send one OpenLineage event "
                             "as a JSON object, or a JSON array of events")
        if isinstance(doc, dict):
            try:
                result = await _run(as_caller(who, graph().ingest_openlineage), body)
            except (lineage.ValidationError, lineage.ParseError, lineage.LimitError) as exc:
                err = _error_of(exc)
                return _envelope(422, err["code"], f"the OpenLineage event was refused: {exc}")
            return JSONResponse(status_code=201, content=result)
        if not isinstance(doc, list):
            return _envelope(422, "invalid_event",
                             "an OpenLineage body is one event (a JSON object) or a batch (a "
                             f"JSON array of events), not a JSON {type(doc).__name__}")
        if len(doc) > MAX_BATCH_EVENTS:
            return _envelope(413, "batch_too_large",
                             f"the batch has {len(doc)} events, over {MAX_BATCH_EVENTS}: split it")
        results = await _run(as_caller(who, _ingest_batch), graph(), doc)
        refused = sum(1 for r in results if "error" in r)
        summary = {"events": len(doc), "recorded": len(doc) - refused, "refused": refused,
                   "results": results}
        if doc and refused == len(doc):
            return _envelope(422, "invalid_event", "no event of the batch was recorded: "
                             + results[0]["error"]["message"], summary)
        return JSONResponse(status_code=207 if refused else 201, content=summary)

    @app.get(api + "/assets/{key:path}/runs", tags=["openlineage"])
    def job_runs(key: str, limit: int = Query(100, ge=1, le=10000)) -> dict[str, Any]:
        """A job's state and its runs, newest first (times in Unix milliseconds)."""
        return graph().runs(key, limit=limit)


def _ingest_batch(g: lineage.Graph, events: list[Any]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    with g.transaction(f"openlineage batch of {len(events)} events"):
        for index, event in enumerate(events):
            if not isinstance(event, dict):
                results.append({"index": index, "error": {
                    "code": "invalid_event",
                    "message": f"event {index} is a JSON {type(event).__name__}, not an object"}})
                continue
            try:
                results.append({"index": index, **g.ingest_openlineage(event)})
            except (lineage.ValidationError, lineage.ParseError, lineage.LimitError) as exc:
                results.append({"index": index, "error": _error_of(exc)})
    return results


async def _run(fn: Callable[..., Any], *args: Any) -> Any:
    """Run a blocking library call on the thread pool (as FastAPI does for sync routes)."""
    from starlette.concurrency import run_in_threadpool
    return await run_in_threadpool(fn, *args)
