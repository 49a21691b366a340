"""A lineage service on liblineage: FastAPI + the ``lineage`` Python binding.

Run it with ``uvicorn app:app`` from this folder; the database is ``$LINEAGE_DB``
(default ``./lineage.db``, created when missing). The API is under ``/api/v1``, the
OpenAPI docs at ``/docs``, the lineage web view at ``/``.

One Graph serves every request: its internal lock serialises calls into the C handle
while FastAPI runs the (synchronous) endpoints on its thread pool; the GIL is released
inside each C call. Every error leaves as ``{"error": {"code", "message", "details"}}``.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import re
import tempfile
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Callable, Literal, Optional
from urllib.parse import quote

from fastapi import Depends, FastAPI, File, Form, Header, Query, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

import auth
import jobs
import lineage
import openlineage_routes
import operations_routes
import sources
import ws
import views_routes
import web_routes
import containment_routes
from auth import Caller, acting, requires

WEB_DIR = Path(__file__).resolve().parent / "web"
API = "/api/v1"
EXPORT_TYPES = {"csv": "text/csv", "json": "application/json",
                "jsonl": "application/x-ndjson", "graphml": "application/xml",
                "cytoscape": "application/json", "dot": "text/vnd.graphviz"}
# Largest import upload kept (spooled to a temporary file, never held in memory whole).
MAX_UPLOAD_BYTES = int(os.environ.get("LINEAGE_MAX_UPLOAD_BYTES", str(256 * 1024 * 1024)))
# A PostgreSQL store with many replicas: how long a query may skip asking whether another
# replica committed (its notification tells at once; docs/postgres.md). 0: exact.
MAX_STALENESS_MS = int(os.environ.get("LINEAGE_MAX_STALENESS_MS", "0"))

Source = Literal["any", "inferred", "manual", "approved"]
Columns = Literal["include", "rollup", "exclude"]
Direction = Literal["upstream", "downstream", "both"]
Layout = Literal["none", "layered", "force", "grid", "circle"]
ChangeType = Literal["drop", "rename", "type_change", "modify", "add"]
ImportFormat = Literal["auto", "csv", "json", "jsonl", "graphml", "xlsx", "yaml"]


def sheet_form() -> Any:
    return Form(None, min_length=1, max_length=255,
                description="the workbook's sheet to read (.xlsx; default: the first)")


# -- errors -------------------------------------------------------------------------------

class ApiError(Exception):
    """An error raised by the service itself, with its HTTP status."""

    def __init__(self, status: int, code: str, message: str,
                 details: Optional[dict[str, Any]] = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = details or {}


def envelope(status: int, code: str, message: str,
             details: Optional[dict[str, Any]] = None) -> JSONResponse:
    return JSONResponse(status_code=status,
                        content={"error": {"code": code, "message": message,
                                           "details": details or {}}})


# Library error class -> (HTTP status, envelope code). First match wins (subclasses first).
_LIBRARY_ERRORS: list[tuple[type[lineage.LineageError], int, str]] = [
    (lineage.NotFoundError, 404, "not_found"),
    (lineage.ParseError, 400, "parse_error"),
    (lineage.ValidationError, 400, "invalid"),
    (lineage.CycleError, 409, "cycle"),
    (lineage.ConflictError, 409, "conflict"),
    (lineage.CancelledError, 409, "cancelled"),
    (lineage.ReadOnlyError, 403, "read_only"),
    (lineage.BusyError, 503, "busy"),
    (lineage.LimitError, 413, "limit"),
]


# -- the library's advice in this API's words (issue 11) -----------------------------------
# An error carries a hint (which fix applies) and its problem without the advice; the
# binding words the advice for Python callers, this service for HTTP clients: its paths,
# parameters and body fields. A hint without an HTTP fix gives the problem alone.
_HINT = lineage.lib
_HTTP_ADVICE: dict[int, Callable[[str], str]] = {
    _HINT.LINEAGE_HINT_FIND_ASSET: lambda arg: (
        "check the spelling (keys are case-sensitive) or find it with "
        f"GET {API}/assets?search={quote(arg.rsplit('.', 1)[-1] or arg, safe='')}"),
    _HINT.LINEAGE_HINT_DECLARE_ASSET_KIND: lambda arg: (
        f"declare it first with PUT {API}/kinds/{quote(arg, safe='')}"),
    _HINT.LINEAGE_HINT_DECLARE_EDGE_KIND: lambda arg: (
        'send "kind": "update" for a statement that rewrites a table from itself'),
    _HINT.LINEAGE_HINT_REMOVE_CASCADE: lambda arg: (
        "remove them first, or add ?cascade=true to remove it with everything it contains"),
    _HINT.LINEAGE_HINT_CREATE_MISSING: lambda arg: (
        f'add it first with PUT {API}/assets/{quote(arg, safe=".")}, '
        'or send "create_missing": true'),
    _HINT.LINEAGE_HINT_OPEN_WRITABLE: lambda arg: (
        "this service's database cannot be written: ask its operator"),
}


def http_message(exc: lineage.LineageError) -> str:
    if not exc.hint:
        return exc.message
    advice = _HTTP_ADVICE.get(exc.hint)
    return f"{exc.problem}: {advice(exc.hint_arg)}" if advice else exc.problem


def library_error(exc: lineage.LineageError) -> JSONResponse:
    for cls, status, code in _LIBRARY_ERRORS:
        if isinstance(exc, cls):
            break
    else:
        status, code = 500, "internal"
    details: dict[str, Any] = {"library_code": exc.code_name}
    message = http_message(exc)
    if isinstance(exc, lineage.ValidationError):
        details["errors"] = [{**e, "message": message}
                             if isinstance(e, dict) and e.get("message") == exc.message
                             else e for e in exc.errors]
    report = getattr(exc, "report", None)
    if report is not None:  # an import: the rows that failed, and what was counted
        details["report"] = report.to_dict()
        if type(exc) is lineage.ValidationError:
            status, code = 422, "invalid_rows"
    return envelope(status, code, message, details)


def error_detail(exc: BaseException) -> dict[str, Any]:
    """An exception as the envelope's error object plus its HTTP status (for job reports)."""
    if isinstance(exc, lineage.LineageError):
        response = library_error(exc)
        return {"status": response.status_code, **json.loads(response.body)["error"]}
    if isinstance(exc, ApiError):
        return {"status": exc.status, "code": exc.code, "message": exc.message,
                "details": exc.details}
    if isinstance(exc, (ValueError, TypeError)):
        return {"status": 400, "code": "invalid", "message": str(exc), "details": {}}
    return {"status": 500, "code": "internal", "message": str(exc), "details": {}}


# -- request bodies ----------------------------------------------------------------------

class EdgeIn(BaseModel):
    source: str = Field(min_length=1, description="key of the asset the data comes from")
    target: str = Field(min_length=1, description="key of the asset the data goes to")
    kind: str = "flow"
    lineage_source: Literal["inferred", "manual", "approved"] = "manual"
    confidence: Optional[float] = Field(None, ge=0.0, le=1.0)
    transformation: Optional[str] = None
    transformation_type: Optional[str] = None
    job: Optional[str] = None
    description: Optional[str] = None
    properties: Optional[dict[str, Any]] = None
    create_missing: bool = False
    source_kind: Optional[str] = None
    target_kind: Optional[str] = None


class ReviewIn(BaseModel):
    by: Optional[str] = Field(None, min_length=1, description="who reviews; with a token, "
                              "its user (another name is refused)")
    comment: Optional[str] = None


class AssetIn(BaseModel):
    kind: Optional[str] = Field(None, description="required when the asset is created")
    name: Optional[str] = None
    parent: Optional[str] = None
    owner: Optional[str] = None
    description: Optional[str] = None
    status: Optional[str] = None
    tags: Optional[list[str]] = None
    properties: Optional[dict[str, Any]] = None
    create_missing: bool = False


# -- change notifications ----------------------------------------------------------------

class ChangeNotifier:
    """Wakes the server-sent-event streams when this process commits a change.

    Commits made by other processes are found by polling the change feed; this only makes
    in-process writes show up at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    def subscribe(self) -> tuple[asyncio.AbstractEventLoop, asyncio.Event]:
        item = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._waiters.add(item)
        return item

    def unsubscribe(self, item: tuple[asyncio.AbstractEventLoop, asyncio.Event]) -> None:
        with self._lock:
            self._waiters.discard(item)

    def notify(self, first_seq: int, last_seq: int) -> None:
        with self._lock:
            waiters = list(self._waiters)
        for loop, event in waiters:
            if not loop.is_closed():
                loop.call_soon_threadsafe(event.set)


# -- the application ---------------------------------------------------------------------

class Service:
    """The open Graph and what goes with it. Opened on first use, closed at shutdown."""

    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self.notifier = ChangeNotifier()
        self.requests: dict[tuple[str, str, int], int] = {}
        self._graph: Optional[lineage.Graph] = None
        self._lock = threading.Lock()
        self.started = time.time()
        self.totals = Totals(lambda: self.graph)
        self.jobs: jobs.JobManager  # set by create_app

    @property
    def graph(self) -> lineage.Graph:
        with self._lock:
            if self._graph is None or self._graph.closed:
                graph = lineage.open(self.db_path, actor="api", max_staleness_ms=MAX_STALENESS_MS)
                graph.on_commit(self.notifier.notify)
                self._graph = graph
            return self._graph

    def close(self) -> None:
        with self._lock:
            if self._graph is not None:
                self._graph.close()
                self._graph = None


def raw_json(result: lineage.Result) -> Response:
    """The library's JSON of a result, sent as it is: parsing it and letting FastAPI encode
    it again costs more than the query for large answers (docs/benchmarks.md)."""
    return Response(result.to_json(), media_type="application/json")


def _with_edge_ids(cy: dict[str, Any]) -> dict[str, Any]:
    """Give each Cytoscape edge its numeric ``edge_id`` (its element id is "e<id>")."""
    for edge in cy.get("elements", {}).get("edges", ()):
        data = edge.get("data", {})
        ident = str(data.get("id", ""))
        if "edge_id" not in data and ident[:1] == "e" and ident[1:].isdigit():
            data["edge_id"] = int(ident[1:])
    return cy


class Totals:
    """The totals of the lists paged in the store, kept while the change feed stands still.

    Counting a list of a million rows takes tens of milliseconds, its page far less; every
    change to a list moves the feed's last seq, so a total counted at a seq is right until
    the seq moves (read before counting: a change that lands meanwhile only forces a recount).
    """

    SIZE = 1024  # lists remembered (an asset's history is one each)

    def __init__(self, graph: Callable[[], lineage.Graph]) -> None:
        self.graph = graph
        self._known: dict[tuple[str, ...], tuple[int, int]] = {}
        self._lock = threading.Lock()

    def page(self, name: tuple[str, ...], read: Callable[[bool], lineage.Page], limit: int,
             offset: int) -> dict[str, Any]:
        """A page the store read (only its rows), in every list's envelope."""
        seq = self.graph().last_seq()
        with self._lock:
            known = self._known.get(name)
        if known is not None and known[0] == seq:
            items, total = read(False), known[1]
        else:
            items = read(True)
            total = int(items.total or 0)
            with self._lock:
                if len(self._known) >= self.SIZE:
                    self._known.pop(next(iter(self._known)))
                self._known[name] = (seq, total)
        return {"items": [item.to_dict() for item in items], "total": total,
                "limit": limit, "offset": offset}


def _pages(total: int, size: int) -> int:
    return max(1, math.ceil(total / size)) if total else 0


def create_app(db_path: Optional[str] = None) -> FastAPI:
    service = Service(db_path or os.environ.get("LINEAGE_DB", "./lineage.db"))
    service.jobs = jobs.JobManager(service.db_path, error_detail, service.notifier.notify)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await app.state.ws_hub.shutdown()
        service.jobs.shutdown()
        service.close()

    app = FastAPI(
        title="liblineage service",
        version=lineage.__version__,
        description="Data lineage: assets, edges with lineage sources and review, upstream, "
                    "downstream, paths and impact, served from liblineage.",
        lifespan=lifespan,
        dependencies=[Depends(auth.gate)],  # tokens and roles (auth.py)
    )
    app.state.service = service
    auth.install(app, lambda: service.graph, API)

    @app.exception_handler(lineage.LineageError)
    async def _lineage_error(_: Request, exc: lineage.LineageError) -> JSONResponse:
        return library_error(exc)

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return envelope(exc.status, exc.code, exc.message, exc.details)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"location": list(e.get("loc", ())), "message": e.get("msg", ""),
                   "type": e.get("type", "")} for e in exc.errors()]
        first = errors[0] if errors else {"location": [], "message": "invalid request"}
        where = ".".join(str(p) for p in first["location"])
        return envelope(422, "validation_error", f"{where}: {first['message']}",
                        {"errors": errors})

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return envelope(exc.status_code, code, str(exc.detail))

    # Argument checks of the binding (TypeError/ValueError) are bad input: 400.
    @app.exception_handler(ValueError)
    async def _value_error(_: Request, exc: ValueError) -> JSONResponse:
        return envelope(400, "invalid", str(exc))

    @app.exception_handler(TypeError)
    async def _type_error(_: Request, exc: TypeError) -> JSONResponse:
        return envelope(400, "invalid", str(exc))

    @app.middleware("http")
    async def _count_requests(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        key = (request.method, path, response.status_code)
        service.requests[key] = service.requests.get(key, 0) + 1
        # which worker answered, when several serve one store (uvicorn --workers N)
        response.headers["X-Served-By"] = str(os.getpid())
        return response

    def g() -> lineage.Graph:
        return service.graph

    openlineage_routes.install(app, g, API)  # OpenLineage events and runs (before /assets)
    jobs.install(app, service.jobs, API)  # background jobs (jobs.py)
    sources.install(app, service, API)  # /api/v1/sources (sources.py)
    operations_routes.install(app, service, API)  # backup, revert, scans, fields (its file)
    app.state.ws_hub = ws.install(app, g, service.notifier)  # WebSocket /ws (ws.py)
    web_routes.install(app, g, API)  # the web view's hub pages and table columns
    views_routes.install(app, g, API)  # saved views (views_routes.py)
    containment_routes.install(app, g, API)  # the web view's nested boxes

    # -- lineage -----------------------------------------------------------------------

    def traversal(key: str, direction: str, depth: Optional[int], min_source: Optional[str],
                  min_confidence: Optional[float], edge_kind: Optional[list[str]],
                  asset_kind: Optional[list[str]], columns: str, max_nodes: int,
                  fmt: str, layout: str) -> Response:
        result = g().traverse(key, direction, depth=depth, min_source=min_source,
                              min_confidence=min_confidence, edge_kinds=edge_kind or None,
                              asset_kinds=asset_kind or None, columns=columns,
                              max_nodes=max_nodes)
        if fmt == "cytoscape":
            cy = result.to_cytoscape(layout=None if layout == "none" else layout)
            out = _with_edge_ids(cy)
            out.update(root=key, direction=direction, truncated=result.truncated)
            return JSONResponse(out)
        return raw_json(result)

    def lineage_route(direction: str) -> Any:
        def endpoint(
            key: str,
            depth: Optional[int] = Query(None, ge=1, le=1000,
                                         description="hops from the asset; none: unlimited"),
            min_source: Optional[Source] = Query(None, description="least trusted source kept"),
            min_confidence: Optional[float] = Query(None, ge=0.0, le=1.0),
            edge_kind: Optional[list[str]] = Query(None, description="only these edge kinds"),
            asset_kind: Optional[list[str]] = Query(None, description="report only these kinds"),
            columns: Columns = "include",
            max_nodes: int = Query(10000, ge=1, le=100000),
            format: Literal["plain", "cytoscape"] = "plain",
            layout: Layout = "none",
        ) -> Response:
            return traversal(key, direction, depth, min_source, min_confidence, edge_kind,
                             asset_kind, columns, max_nodes, format, layout)
        endpoint.__name__ = direction
        endpoint.__doc__ = f"The {direction} lineage of an asset (the CLI's JSON shape)."
        return endpoint

    @app.get(API + "/lineage/impact/{key:path}", tags=["lineage"])
    def impact(key: str, change_type: ChangeType = "drop",
               depth: Optional[int] = Query(None, ge=1, le=1000),
               min_source: Optional[Source] = None,
               order: Literal["distance", "confidence"] = Query(
                   "distance", description="confidence: the surest affected assets first")
               ) -> Response:
        """What a change to an asset affects downstream, with owners and severities."""
        result = g().impact(key, change=change_type, depth=depth, min_source=min_source)
        if order == "distance":
            return raw_json(result)
        body = json.loads(result.to_json())
        body["affected"].sort(key=lambda a: (-(a.get("confidence") or 0.0),
                                             a.get("distance", 0), a.get("key", "")))
        return JSONResponse(body)

    @app.get(API + "/lineage/path", tags=["lineage"])
    def path(source: str = Query(..., alias="from", min_length=1),
             target: str = Query(..., alias="to", min_length=1),
             all: bool = False, max_paths: int = Query(100, ge=1, le=1000),
             max_length: int = Query(10, ge=1, le=100),
             min_source: Optional[Source] = None) -> Response:
        """Paths of data flow between two assets, shortest first."""
        return raw_json(g().paths(source, target, all=all, max_paths=max_paths,
                                  max_length=max_length, min_source=min_source))

    @app.post(API + "/lineage", status_code=201, tags=["lineage"])
    def create_edge(edge: EdgeIn,
                    who: Optional[Caller] = Depends(requires("editor"))) -> dict[str, Any]:
        """Add an edge (or merge into the same one: source, target, kind, job)."""
        data = edge.model_dump()
        with acting(g(), who) as graph:
            return graph.add_edge(data.pop("source"), data.pop("target"), data.pop("kind"),
                                  **data).to_dict()

    @app.post(API + "/lineage/{edge_id}/approve", tags=["review"])
    def approve(edge_id: int, review: ReviewIn,
                who: Optional[Caller] = Depends(requires("steward"))) -> dict[str, Any]:
        """Approve an edge: it becomes "approved" with confidence 1."""
        by = auth.reviewer(who, review.by)
        with acting(g(), who) as graph:
            return graph.approve(edge_id, by=by, comment=review.comment).to_dict()

    @app.post(API + "/lineage/{edge_id}/reject", tags=["review"])
    def reject(edge_id: int, review: ReviewIn,
               who: Optional[Caller] = Depends(requires("steward"))) -> dict[str, Any]:
        """Reject an edge: it leaves every query and stays rejected when inferred again."""
        by = auth.reviewer(who, review.by)
        with acting(g(), who) as graph:
            return graph.reject(edge_id, by=by, comment=review.comment).to_dict()

    app.get(API + "/lineage/{key:path}/upstream", tags=["lineage"])(lineage_route("upstream"))
    app.get(API + "/lineage/{key:path}/downstream", tags=["lineage"])(
        lineage_route("downstream"))

    @app.get(API + "/edges/pending", tags=["review"])
    def pending(limit: int = Query(100, ge=1, le=10000),
                offset: int = Query(0, ge=0, le=2**62)) -> dict[str, Any]:
        """Inferred edges waiting for review, lowest confidence first (paged in the store)."""
        return service.totals.page(("pending",), lambda count: g().pending(
            limit, offset, count=count), limit, offset)

    @app.get(API + "/edges/{edge_id}", tags=["lineage"])
    def get_edge(edge_id: int) -> dict[str, Any]:
        return g().get_edge(edge_id).to_dict()

    @app.delete(API + "/edges/{edge_id}", status_code=204, tags=["lineage"])
    def delete_edge(edge_id: int, who: Optional[Caller] = Depends(requires("editor"))) -> Response:
        with acting(g(), who) as graph:
            graph.remove_edge(edge_id)
        return Response(status_code=204)

    # -- assets ------------------------------------------------------------------------

    @app.get(API + "/assets", tags=["assets"])
    def list_assets(search: str = "", kind: Optional[str] = None,
                    owner: Optional[str] = None, tag: Optional[str] = None,
                    page: int = Query(1, ge=1, le=1_000_000),
                    size: int = Query(50, ge=1, le=1000),
                    limit: Optional[int] = Query(None, ge=1, le=1000,
                                                 description="as size (wins over it)"),
                    offset: Optional[int] = Query(None, ge=0, le=1_000_000_000,
                                                  description="rows to skip (wins over page)")
                    ) -> dict[str, Any]:
        """Search assets (words match key, name, description and tags by prefix). The page
        is ``limit``/``offset`` as in every list (``page``/``size`` also work)."""
        size = limit if limit is not None else size
        skip = offset if offset is not None else (page - 1) * size
        found = g().search(search, kind=kind, owner=owner, tag=tag, limit=size, offset=skip)
        return {"items": [a.to_dict() for a in found], "total": found.total, "limit": size,
                "offset": skip, "page": skip // size + 1, "size": size,
                "pages": _pages(found.total, size)}

    @app.get(API + "/assets/{key:path}/history", tags=["assets"])
    def asset_history(key: str, limit: int = Query(100, ge=1, le=10000),
                      offset: int = Query(0, ge=0, le=2**62)) -> dict[str, Any]:
        """Changes of the asset and of its edges, newest first (paged in the store)."""
        return {"key": key, **service.totals.page(("history", key), lambda count: g().history(
            key, limit, offset, count=count), limit, offset)}

    @app.get(API + "/assets/{key:path}/edges", tags=["assets"])
    def asset_edges(key: str, direction: Literal["in", "out", "both"] = "both",
                    include_inactive: bool = False, limit: int = Query(1000, ge=1, le=100000),
                    offset: int = Query(0, ge=0)) -> dict[str, Any]:
        """The edges touching an asset."""
        graph = g()
        graph.get_asset(key)  # 404 for an unknown asset
        return {"key": key, **jobs.page([e.to_dict() for e in
                                         graph.edges(key, direction,
                                                     include_inactive=include_inactive)],
                                        limit, offset)}

    @app.get(API + "/assets/{key:path}", tags=["assets"])
    def get_asset(key: str) -> dict[str, Any]:
        return g().get_asset(key).to_dict()

    @app.put(API + "/assets/{key:path}", tags=["assets"],
             responses={201: {"description": "created"}, 200: {"description": "updated"}})
    def put_asset(key: str, asset: AssetIn, response: Response,
                  who: Optional[Caller] = Depends(requires("editor"))) -> dict[str, Any]:
        """Create or update an asset (``kind`` is required on creation)."""
        with acting(g(), who) as graph:
            return _put_asset(graph, key, asset, response)

    def _put_asset(graph: lineage.Graph, key: str, asset: AssetIn,
                   response: Response) -> dict[str, Any]:
        exists = key in graph
        data = {k: v for k, v in asset.model_dump().items() if v is not None}
        kind = data.pop("kind", None)
        if not exists and kind is None:
            raise ApiError(422, "validation_error", f"asset {key!r} does not exist: "
                           "give its kind to create it", {"field": "kind"})
        stored = (graph.add_asset(key, kind, **data) if kind is not None
                  else graph.update_asset(key, **data))
        response.status_code = 200 if exists else 201
        return stored.to_dict()

    @app.delete(API + "/assets/{key:path}", status_code=204, tags=["assets"])
    def delete_asset(key: str, cascade: bool = False,
                     who: Optional[Caller] = Depends(requires("editor"))) -> Response:
        """Remove an asset and its edges (with ``cascade``, also what it contains)."""
        with acting(g(), who) as graph:
            graph.remove_asset(key, cascade=cascade)
        return Response(status_code=204)

    # -- asset kinds (issue 11) ----------------------------------------------------------

    @app.get(API + "/kinds", tags=["assets"])
    def asset_kinds(limit: int = Query(1000, ge=1, le=10000),
                    offset: int = Query(0, ge=0)) -> dict[str, Any]:
        """Asset kinds that may be used: the built-in ones and those declared here."""
        return jobs.page([{"name": name, "builtin": builtin}
                          for name, builtin in g().asset_kinds().items()], limit, offset)

    @app.put(API + "/kinds/{name}", status_code=204, tags=["assets"])
    def declare_kind(name: str, who: Optional[Caller] = Depends(requires("editor"))) -> Response:
        """Declare an asset kind beyond the built-in ones (once; again does nothing)."""
        with acting(g(), who) as graph:
            graph.define_asset_kind(name)
        return Response(status_code=204)

    # -- import ------------------------------------------------------------------------

    def spool(upload: UploadFile) -> Path:
        """Copy an upload to a temporary file (bounded size), keeping its extension so
        that the format can be told from the name."""
        suffix = Path(upload.filename or "").suffix.lower()
        suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,10}", suffix) else ""
        fd, name = tempfile.mkstemp(prefix="lineage-import-", suffix=suffix)
        size = 0
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := upload.file.read(1 << 20):
                    size += len(chunk)
                    if size > MAX_UPLOAD_BYTES:
                        raise ApiError(413, "too_large", f"the upload is larger than "
                                       f"{MAX_UPLOAD_BYTES} bytes (LINEAGE_MAX_UPLOAD_BYTES)")
                    out.write(chunk)
        except BaseException:
            os.unlink(name)
            raise
        return Path(name)

    def run_import(upload: UploadFile, dry_run: bool, mode: str, format: str, type: str,
                   create_missing: bool, replace_scope: Optional[str],
                   who: Optional[Caller] = None, sheet: Optional[str] = None) -> dict[str, Any]:
        path = spool(upload)
        try:
            with acting(g(), who) as graph:
                report = graph.import_file(path, mode=mode, dry_run=dry_run, format=format,
                                           type=type, create_missing=create_missing,
                                           replace_scope=replace_scope or None,
                                           label=upload.filename or "upload", sheet=sheet)
        finally:
            path.unlink(missing_ok=True)
        return report.to_dict()

    @app.post(API + "/import/validate", tags=["import"])
    def import_validate(file: UploadFile = File(..., description="CSV, JSON, JSON Lines, "
                                                "GraphML, Excel (.xlsx) or YAML"),
                        format: ImportFormat = Form("auto"),
                        sheet: Optional[str] = sheet_form(),
                        type: Literal["auto", "assets", "lineage"] = Form("auto"),
                        create_missing: bool = Form(False),
                        who: Optional[Caller] = Depends(requires("editor"))) -> dict[str, Any]:
        """Validate an upload and count what an import would do; nothing is written. The
        report lists every invalid row with its row, column, value and message."""
        return run_import(file, True, "atomic", format, type, create_missing, None, who, sheet)

    @app.post(API + "/import/execute", tags=["import"])
    def import_execute(file: UploadFile = File(...),
                       mode: Literal["atomic", "skip_errors"] = Form("atomic"),
                       format: ImportFormat = Form("auto"),
                       sheet: Optional[str] = sheet_form(),
                       type: Literal["auto", "assets", "lineage"] = Form("auto"),
                       create_missing: bool = Form(False),
                       replace_scope: Optional[str] = Form(None),
                       run_async: bool = Query(False, alias="async",
                                               description="run as a background job: 202 "
                                               "with its job_id"),
                       who: Optional[Caller] = Depends(requires("editor"))) -> Any:
        """Import an upload as one batch. Atomic: any invalid row and nothing is written
        (422 ``invalid_rows`` with the report); skip_errors: the valid rows are written.
        With ``?async=true``: 202 ``{"job_id"}``, the report in ``GET /api/v1/jobs/{id}``."""
        if not run_async:
            return run_import(file, False, mode, format, type, create_missing, replace_scope,
                              who, sheet)
        path, label = spool(file), file.filename or "upload"

        def work(graph: lineage.Graph, progress: Any) -> dict[str, Any]:
            with acting(graph, who) as mine:  # the job's changes are the caller's
                return mine.import_file(
                    path, mode=mode, format=format, type=type, create_missing=create_missing,
                    replace_scope=replace_scope or None, label=label, sheet=sheet,
                    progress=progress).to_dict()

        job = service.jobs.submit("import", f"import {label}", work,
                                  cleanup=lambda: path.unlink(missing_ok=True))
        return jobs.accepted(job, API)

    # -- export ------------------------------------------------------------------------

    @app.get(API + "/export", tags=["import"],
             responses={200: {"content": {t: {} for t in set(EXPORT_TYPES.values())}}})
    def export(format: Literal["csv", "json", "jsonl", "graphml", "cytoscape", "dot"] = "json",
               type: Optional[Literal["assets", "lineage", "both"]] = None,
               root: Optional[str] = Query(None, min_length=1,
                                           description="export this asset's lineage only"),
               depth: Optional[int] = Query(None, ge=1, le=1000),
               direction: Direction = "both",
               layout: Optional[Literal["layered", "force", "grid", "circle"]] = None
               ) -> FileResponse:
        """The whole graph, or the lineage around ``root``, in an import format (CSV, JSON,
        JSON Lines, GraphML) or for a viewer (Cytoscape.js JSON, Graphviz DOT). Written to a
        temporary file and streamed, so a large graph is never held in memory."""
        from starlette.background import BackgroundTask

        graph = g()
        result = (graph.traverse(root, direction, depth=depth) if root is not None else None)
        fd, name = tempfile.mkstemp(prefix="lineage-export-")
        os.close(fd)
        try:
            graph.export(format, type=type, result=result, path=name, layout=layout)
        except BaseException:
            os.unlink(name)
            raise
        ext = {"cytoscape": "json", "dot": "gv"}.get(format, format)
        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", root) if root else "lineage"
        return FileResponse(name, media_type=EXPORT_TYPES[format],
                            filename=f"{stem}.{ext}",
                            background=BackgroundTask(os.unlink, name))

    # -- graph view ----------------------------------------------------------------------

    @app.get(API + "/graph", tags=["graph"])
    def graph_view(root: str = Query(..., min_length=1), depth: int = Query(2, ge=1, le=20),
                   direction: Direction = "both", layout: Layout = "none",
                   min_source: Optional[Source] = None,
                   max_nodes: int = Query(500, ge=1, le=5000)) -> JSONResponse:
        """Cytoscape.js elements around an asset; with ``layout``, positions computed by
        the library (else the page lays them out)."""
        result = g().traverse(root, direction, depth=depth, min_source=min_source,
                              max_nodes=max_nodes)
        cy = result.to_cytoscape(layout=None if layout == "none" else layout)
        out = _with_edge_ids(cy)
        out.update(root=root, direction=direction, depth=depth, truncated=result.truncated)
        return JSONResponse(out)

    # -- change feed ---------------------------------------------------------------------

    @app.get(API + "/events", tags=["events"])
    async def events(request: Request, since: Optional[int] = Query(None, ge=0),
                     timeout: Optional[float] = Query(None, gt=0, le=3600,
                                                      description="close after this long"),
                     max_events: Optional[int] = Query(None, ge=1),
                     last_event_id: Optional[str] = Header(None)) -> StreamingResponse:
        """Server-sent events, one per change (``id`` is the change's seq). Starts after
        ``since`` (or the Last-Event-ID header), else at the current end of the feed."""
        from starlette.concurrency import run_in_threadpool

        if since is None and last_event_id and last_event_id.isdigit():
            since = int(last_event_id)
        start = since if since is not None else await run_in_threadpool(g().last_seq)

        async def stream() -> AsyncIterator[bytes]:
            seq, sent = start, 0
            deadline = None if timeout is None else time.monotonic() + timeout
            sub = service.notifier.subscribe()
            loop, event = sub
            last_beat = time.monotonic()
            try:
                yield b"retry: 2000\n\n"
                while True:
                    event.clear()
                    changes = await run_in_threadpool(g().changes_since, seq, 500)
                    for ch in changes:
                        seq = ch.seq
                        data = json.dumps(ch.to_dict(), separators=(",", ":"))
                        yield f"id: {ch.seq}\nevent: change\ndata: {data}\n\n".encode()
                        sent += 1
                        if max_events is not None and sent >= max_events:
                            return
                    if changes:
                        continue
                    now = time.monotonic()
                    if deadline is not None and now >= deadline:
                        return
                    if await request.is_disconnected():
                        return
                    if now - last_beat > 15:
                        last_beat = now
                        yield b": keep-alive\n\n"
                    wait = 0.5 if deadline is None else max(0.01, min(0.5, deadline - now))
                    try:
                        await asyncio.wait_for(event.wait(), wait)
                    except asyncio.TimeoutError:
                        pass
            finally:
                service.notifier.unsubscribe(sub)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache",
                                          "X-Accel-Buffering": "no"})

    # -- operations ----------------------------------------------------------------------

    @app.get("/health", tags=["operations"])
    def health() -> dict[str, Any]:
        graph = g()
        return {"status": "ok", "library": lineage.library_version(),
                "database": service.db_path, "last_seq": graph.last_seq(),
                "uptime_s": round(time.time() - service.started, 3)}

    @app.get("/metrics", tags=["operations"], response_class=PlainTextResponse)
    def metrics() -> PlainTextResponse:
        """Prometheus text format: the database's counts and this server's requests."""
        return PlainTextResponse(prometheus_text(g().stats(), service.requests),
                                 media_type="text/plain; version=0.0.4; charset=utf-8")

    # -- the web page --------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html")

    app.mount("/src", StaticFiles(directory=WEB_DIR / "src"), name="src")
    # Cytoscape.js and its layout extension, copied from npm packages by web/build.mjs.
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static", check_dir=False),
              name="static")
    return app


def _label(value: Any) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def prometheus_text(stats: dict[str, Any],
                    requests: Optional[dict[tuple[str, str, int], int]] = None) -> str:
    lines: list[str] = []

    def metric(name: str, kind: str, help_text: str,
               samples: list[tuple[dict[str, Any], Any]]) -> None:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            text = ",".join(f'{k}="{_label(v)}"' for k, v in labels.items())
            lines.append(f"{name}{{{text}}} {value}" if text else f"{name} {value}")

    metric("lineage_assets", "gauge", "Assets stored.", [({}, stats.get("assets", 0))])
    metric("lineage_edges", "gauge", "Edges stored.", [({}, stats.get("edges", 0))])
    for field, label, name in (("assets_by_kind", "kind", "lineage_assets_by_kind"),
                               ("edges_by_kind", "kind", "lineage_edges_by_kind"),
                               ("edges_by_source", "source", "lineage_edges_by_source"),
                               ("edges_by_status", "status", "lineage_edges_by_status")):
        values = stats.get(field) or {}
        metric(name, "gauge", f"{field.replace('_', ' ').capitalize()}.",
               [({label: k}, v) for k, v in sorted(values.items())])
    metric("lineage_changes", "counter", "Changes in the audit trail.",
           [({}, stats.get("changes", 0))])
    metric("lineage_last_seq", "gauge", "Highest change sequence number.",
           [({}, stats.get("last_seq", 0))])
    metric("lineage_database_bytes", "gauge", "Size of the database file.",
           [({}, stats.get("database_bytes", 0))])
    metric("lineage_schema_version", "gauge", "Schema version of the database.",
           [({}, stats.get("schema_version", 0))])
    if requests is not None:
        metric("lineage_http_requests", "counter", "HTTP requests served.",
               [({"method": m, "route": r, "status": s}, n)
                for (m, r, s), n in sorted(requests.items())])
    return "\n".join(lines) + "\n"


app = create_app()
