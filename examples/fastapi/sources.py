"""Sources: live databases the service collects lineage from (``/api/v1/sources``).

A source is a name, a type (postgres, mysql, sqlite) and a connection URI without its
password. The definition is stored in the lineage database itself, so that every replica of
the service sees it: as the ``source`` property of the ``system`` asset keyed by the
source's name, the asset the collector files everything it finds under. The password is
never stored nor echoed: the source names an environment variable (``password_env``, whose
name starts with ``LINEAGE_SECRET_``) or a file (``password_file``, inside
``LINEAGE_SECRETS_DIR``, default ``/run/secrets``) read when the service connects. A URI with
a password in it is refused with a message saying so.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any, Literal, Optional
from urllib.parse import parse_qsl, quote, urlsplit

from fastapi import Depends, FastAPI, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

import jobs
import lineage
from auth import Caller, acting, requires

SourceType = Literal["postgres", "mysql", "sqlite"]
SCHEMES = {"postgres": ("postgresql", "postgres"), "mysql": ("mysql", "mariadb"),
           "sqlite": ("sqlite",)}
SECRET_ENV_PREFIX = "LINEAGE_SECRET_"
NAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,63}")
CONNECT_TIMEOUT_S = 10


class SourceError(Exception):
    def __init__(self, status: int, code: str, message: str, field: Optional[str] = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


class SourceIn(BaseModel):
    name: str = Field(description="the source's name: the key prefix of what it collects")
    type: SourceType
    uri: str = Field(min_length=1, max_length=4096,
                     description="connection URI without a password (sqlite: a file path)")
    password_env: Optional[str] = Field(None, description="environment variable holding the "
                                        f"password (its name starts with {SECRET_ENV_PREFIX})")
    password_file: Optional[str] = Field(None, description="file holding the password, in "
                                         "LINEAGE_SECRETS_DIR")
    schemas: Optional[list[str]] = Field(None, description="collect only these schemas")
    description: Optional[str] = None


class SourceUpdate(BaseModel):
    type: Optional[SourceType] = None
    uri: Optional[str] = Field(None, min_length=1, max_length=4096)
    password_env: Optional[str] = None
    password_file: Optional[str] = None
    schemas: Optional[list[str]] = None
    description: Optional[str] = None


class TestConnectionIn(BaseModel):
    name: Optional[str] = Field(None, description="test a stored source")
    type: Optional[SourceType] = None
    uri: Optional[str] = Field(None, min_length=1, max_length=4096)
    password_env: Optional[str] = None
    password_file: Optional[str] = None


def secrets_dir() -> Path:
    return Path(os.environ.get("LINEAGE_SECRETS_DIR", "/run/secrets"))


def check_name(name: str) -> str:
    if not NAME_RE.fullmatch(name):
        raise SourceError(400, "invalid", f"name {name!r} is not a source name: use 1 to 64 "
                          "letters, digits, '_' or '-' (it becomes the key prefix of what the "
                          "source collects, so no dots)", "name")
    return name


def check_definition(d: dict[str, Any]) -> dict[str, Any]:
    """Validate a source's definition (no password anywhere); return what is stored."""
    kind, uri = d["type"], d["uri"]
    if kind == "sqlite" and "://" not in uri:
        if d.get("password_env") or d.get("password_file"):
            raise SourceError(400, "invalid", "a sqlite source has no password: remove "
                              "password_env and password_file", "password_env")
        return {k: d.get(k) for k in ("type", "uri", "schemas", "description")}
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise SourceError(400, "invalid", f"uri is not a valid URI ({exc})", "uri") from None
    if parts.scheme not in SCHEMES[kind]:
        raise SourceError(400, "invalid", f"uri: a {kind} source's URI starts with "
                          + " or ".join(f"{s}://" for s in SCHEMES[kind])
                          + f", not {parts.scheme or 'no scheme'}", "uri")
    query = [k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)]
    if parts.password is not None or "password" in query:
        raise SourceError(400, "password_in_uri", "uri holds a password, which the service "
                          "never stores: remove it from the URI and put it in an environment "
                          f"variable named {SECRET_ENV_PREFIX}... given as password_env, or in "
                          f"a file in {secrets_dir()} given as password_file", "uri")
    if d.get("password_env") and d.get("password_file"):
        raise SourceError(400, "invalid", "give password_env or password_file, not both",
                          "password_file")
    env = d.get("password_env")
    if env is not None and not (env.startswith(SECRET_ENV_PREFIX)
                                and re.fullmatch(r"[A-Z0-9_]+", env)):
        raise SourceError(400, "invalid", f"password_env {env!r} must be an environment "
                          f"variable named {SECRET_ENV_PREFIX}<NAME> (capitals, digits, '_'): "
                          "the service reads no other variable for a source", "password_env")
    file = d.get("password_file")
    if file is not None and ("/" in file or file in ("", ".", "..")):
        raise SourceError(400, "invalid", f"password_file {file!r} must be the name of a file "
                          f"in {secrets_dir()} (LINEAGE_SECRETS_DIR), without a folder",
                          "password_file")
    return {k: d.get(k) for k in ("type", "uri", "password_env", "password_file", "schemas",
                                  "description")}


def connect_uri(d: dict[str, Any]) -> str:
    """The URI to connect with: the stored one, with the password read from its secret."""
    password: Optional[str] = None
    if d.get("password_env"):
        password = os.environ.get(d["password_env"])
        if password is None:
            raise SourceError(400, "missing_secret", f"the environment variable "
                              f"{d['password_env']} (password_env) is not set in the service's "
                              "environment: set it and restart the service", "password_env")
    elif d.get("password_file"):
        path = secrets_dir() / d["password_file"]
        try:
            password = path.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise SourceError(400, "missing_secret", f"the password file {path} "
                              f"(password_file) cannot be read: {exc.strerror}",
                              "password_file") from None
    if password is None or "://" not in d["uri"]:
        return str(d["uri"])
    # As a `password` parameter, which the collectors read and mask in every message.
    # (Appended to the text: urlunsplit would drop the empty host of "postgresql:///db".)
    uri = str(d["uri"]).split("#", 1)[0]
    return f"{uri}{'&' if '?' in uri else '?'}password={quote(password, safe='')}"


def without_secret(text: str, d: dict[str, Any]) -> str:
    """A message with the source's password masked, should a driver ever quote it."""
    if not (d.get("password_env") or d.get("password_file")):
        return text
    try:
        password = connect_uri(d).rsplit("password=", 1)[1]
    except SourceError:
        return text
    if password:
        from urllib.parse import unquote
        for form in {password, unquote(password)}:
            text = text.replace(form, "****")
    return text


def public(name: str, d: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, **{k: v for k, v in d.items() if k != "created_at"},
            "created_at": d.get("created_at")}


class Sources:
    """The definitions, read and written through a graph of the caller's."""

    @staticmethod
    def all(graph: lineage.Graph) -> list[dict[str, Any]]:
        found, out, offset = None, [], 0
        while found is None or offset < found.total:
            found = graph.search("", kind="system", limit=1000, offset=offset)
            offset += 1000
            out += [public(a.key, a.properties["source"]) for a in found
                    if isinstance((a.properties or {}).get("source"), dict)]
            if not len(found):
                break
        return sorted(out, key=lambda s: s["name"])

    @staticmethod
    def get(graph: lineage.Graph, name: str) -> dict[str, Any]:
        try:
            asset = graph.get_asset(name)
        except lineage.NotFoundError:
            asset = None
        d = (asset.properties or {}).get("source") if asset is not None else None
        if asset is None or asset.kind != "system" or not isinstance(d, dict):
            raise SourceError(404, "not_found", f"no source {name!r}: list them with "
                              "GET /api/v1/sources")
        return d


def install(app: FastAPI, service: Any, api: str) -> None:
    def g() -> lineage.Graph:
        return service.graph

    @app.exception_handler(SourceError)
    async def _source_error(_: Any, exc: SourceError) -> JSONResponse:
        details = {"field": exc.field} if exc.field else {}
        return JSONResponse(status_code=exc.status, content={"error": {
            "code": exc.code, "message": exc.message, "details": details}})

    @app.get(api + "/sources", tags=["sources"])
    def list_sources(limit: int = Query(50, ge=1, le=1000),
                     offset: int = Query(0, ge=0)) -> dict[str, Any]:
        """The sources defined in this lineage database (never a password)."""
        return jobs.page(Sources.all(g()), limit, offset)

    @app.post(api + "/sources", status_code=201, tags=["sources"])
    def create_source(source: SourceIn,
                      who: Optional[Caller] = Depends(requires("editor"))) -> dict[str, Any]:
        """Define a source. Its password stays out of the store: name password_env or
        password_file."""
        name = check_name(source.name)
        d = check_definition(source.model_dump())
        with acting(g(), who) as graph, graph.transaction(f"define source {name}"):
            if name in graph:
                existing = graph.get_asset(name)
                if existing.kind != "system" or "source" in (existing.properties or {}):
                    raise SourceError(409, "conflict", f"source {name!r} already exists "
                                      "(or the key is another asset): update it with PUT "
                                      f"{api}/sources/{name}, or choose another name", "name")
            d["created_at"] = time.time()
            graph.add_asset(name, "system", properties={"source": d},
                            **({"description": d["description"]} if d["description"] else {}))
        return public(name, d)

    @app.get(api + "/sources/{name}", tags=["sources"])
    def get_source(name: str) -> dict[str, Any]:
        return public(name, Sources.get(g(), name))

    @app.put(api + "/sources/{name}", tags=["sources"])
    def update_source(name: str, change: SourceUpdate,
                      who: Optional[Caller] = Depends(requires("editor"))) -> dict[str, Any]:
        """Change a source's definition (the fields given)."""
        with acting(g(), who) as graph, graph.transaction(f"update source {name}"):
            d = Sources.get(graph, name)
            given = change.model_dump(exclude_unset=True)
            if "password_env" in given and given["password_env"]:
                d["password_file"] = None
            if "password_file" in given and given["password_file"]:
                d["password_env"] = None
            merged = {**d, **given}
            stored = check_definition(merged)
            stored["created_at"] = d.get("created_at")
            # The whole definition is replaced (a null property removes a field).
            graph.update_asset(name, properties={"source": None})
            graph.update_asset(name, properties={"source": stored})
        return public(name, stored)

    @app.delete(api + "/sources/{name}", status_code=204, tags=["sources"])
    def delete_source(name: str, cascade: bool = False,
                      who: Optional[Caller] = Depends(requires("editor"))) -> Response:
        """Forget a source's definition; what it collected stays unless ``cascade=true``
        (then the system asset and everything in it are removed)."""
        with acting(g(), who) as graph, graph.transaction(f"delete source {name}"):
            Sources.get(graph, name)
            if cascade:
                graph.remove_asset(name, cascade=True)
            else:
                graph.update_asset(name, properties={"source": None})
        return Response(status_code=204)

    @app.post(api + "/sources/test-connection", tags=["sources"])
    def test_connection(body: TestConnectionIn) -> dict[str, Any]:
        """Connect to a source (a stored one by ``name``, or a definition) and read its
        catalog, writing nothing: ``{"success", "message", "latency_ms"}``."""
        if body.name is not None:
            d = Sources.get(g(), body.name)
            name = body.name
        else:
            if body.type is None or body.uri is None:
                raise SourceError(422, "validation_error", "give the name of a stored source, "
                                  "or a definition with type and uri", "name")
            d = check_definition(body.model_dump())
            name = None
        uri = connect_uri(d)
        start = time.monotonic()
        try:
            with lineage.open(":memory:") as scratch:
                report = scratch.collect(uri, name, schemas=d.get("schemas") or None,
                                         dry_run=True, connect_timeout=CONNECT_TIMEOUT_S)
        except lineage.LineageError as exc:
            return {"success": False, "message": without_secret(str(exc.message), d),
                    "latency_ms": round((time.monotonic() - start) * 1000, 1)}
        latency = round((time.monotonic() - start) * 1000, 1)
        found = report.to_dict().get("assets", {}).get("found", 0)
        return {"success": True, "latency_ms": latency,
                "message": f"connected and read the catalog: {found} assets"}

    @app.post(api + "/sources/{name}/sync", status_code=202, tags=["sources"])
    def sync_source(name: str, dry_run: bool = False,
                    who: Optional[Caller] = Depends(requires("editor"))) -> JSONResponse:
        """Collect the source now, as a background job (its report in GET /api/v1/jobs/{id}).
        A second sync replaces what the first found; manual, approved and rejected edges are
        never changed."""
        d = Sources.get(g(), name)
        uri = connect_uri(d)  # a missing secret is refused now, not in the job

        def work(graph: lineage.Graph, progress: Any) -> dict[str, Any]:
            with acting(graph, who) as mine:  # the sync's changes are the caller's
                return mine.collect(uri, name, schemas=d.get("schemas") or None,
                                    dry_run=dry_run, connect_timeout=CONNECT_TIMEOUT_S,
                                    progress=progress).to_dict()

        job = service.jobs.submit("sync", f"sync source {name}", work,
                                  redact=lambda text: without_secret(text, d))
        return jobs.accepted(job, api)
