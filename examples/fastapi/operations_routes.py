"""Operations on the whole store, and routes of the designs beyond the core API.

- ``POST /api/v1/admin/backup``: a consistent copy of the database, as a background job.
- ``POST /api/v1/batches/{batch_id}/revert``: undo an import, scan or call (as a new batch).
- ``POST /api/v1/scan``: scan uploaded SQL, dbt, Airflow or OpenLineage files; a dry run
  unless ``dry_run=false`` (look at the report first), a background job with ``?async=true``.
- ``GET /api/v1/export/openlineage``: the graph as OpenLineage job events, one per line.
- ``GET /api/v1/tables/{key}/fields``: an asset's children (a table's columns), paginated.

And a request body limit for the whole service (``BodyLimit``): a body over
``LINEAGE_MAX_UPLOAD_BYTES`` (plus 1 MiB of multipart framing) is refused with 413 before
it is read, whether its Content-Length says so or it streams past it.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

from fastapi import Depends, FastAPI, File, Form, Query, UploadFile
from fastapi.responses import FileResponse, JSONResponse
from starlette.background import BackgroundTask

import jobs
import lineage
from auth import Caller, acting, requires

MAX_UPLOAD_BYTES = int(os.environ.get("LINEAGE_MAX_UPLOAD_BYTES", str(256 * 1024 * 1024)))
MAX_BODY_BYTES = MAX_UPLOAD_BYTES + (1 << 20)
MAX_SCAN_FILES = 1000


def _refusal(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {
        "code": code, "message": message, "details": {}}})


class BodyLimit:
    """ASGI layer refusing request bodies over MAX_BODY_BYTES (413, the error envelope)."""

    def __init__(self, app: Any, limit: int = MAX_BODY_BYTES) -> None:
        self.app, self.limit = app, limit

    def _too_large(self) -> JSONResponse:
        return _refusal(413, "too_large", f"the request body is larger than {self.limit} "
                        "bytes: send a smaller file (the service's operator sets the limit "
                        "with LINEAGE_MAX_UPLOAD_BYTES)")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or ()).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            return await self._too_large()(scope, receive, send)
        seen, started, refused = 0, False, False

        async def bounded_receive() -> dict[str, Any]:
            # Past the limit: answer 413 now, and tell the app the client has gone.
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    refused = True
                    if not started:
                        await self._too_large()(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: dict[str, Any]) -> None:
            nonlocal started
            if refused:
                return  # the 413 has been sent
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, bounded_receive, guarded_send)
        except Exception:
            if not refused:
                raise


def _safe_name(name: Optional[str], index: int) -> str:
    base = Path(name or "").name
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip(".")[:200]
    return base or f"upload-{index}"


def spool_files(uploads: list[UploadFile]) -> Path:
    """Copy uploads into a new temporary folder, under their (sanitised) names: the scanners
    tell a file's type from its name and report diagnostics with it."""
    if not uploads:
        raise jobs.JobError(422, "validation_error", "files: send at least one file")
    if len(uploads) > MAX_SCAN_FILES:
        raise jobs.JobError(413, "too_large", f"files: {len(uploads)} files, over "
                            f"{MAX_SCAN_FILES}: send them in several scans")
    folder = Path(tempfile.mkdtemp(prefix="lineage-scan-"))
    size = 0
    try:
        for index, upload in enumerate(uploads):
            target = folder / _safe_name(upload.filename, index)
            if target.exists():
                target = folder / f"{index}-{target.name}"
            with open(target, "wb") as out:
                while chunk := upload.file.read(1 << 20):
                    size += len(chunk)
                    if size > MAX_UPLOAD_BYTES:
                        raise jobs.JobError(413, "too_large", "the files are larger than "
                                            f"{MAX_UPLOAD_BYTES} bytes in all "
                                            "(LINEAGE_MAX_UPLOAD_BYTES)")
                    out.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def backup_dir(db_path: str) -> Path:
    configured = os.environ.get("LINEAGE_BACKUP_DIR")
    if configured:
        return Path(configured)
    return Path(db_path).resolve().parent / "backups"


def install(app: FastAPI, service: Any, api: str) -> None:
    app.add_middleware(BodyLimit)

    @app.exception_handler(Exception)
    async def _unexpected(_: Any, exc: Exception) -> JSONResponse:
        # A defect, not bad input: still the envelope (uvicorn logs the traceback).
        return _refusal(500, "internal", f"the service failed ({type(exc).__name__}): "
                        "please report it with the request that caused it")

    def g() -> lineage.Graph:
        return service.graph

    admin_only = [Depends(requires("admin"))]  # issue 15: admins revert and back up

    @app.post(api + "/admin/backup", status_code=202, tags=["operations"],
              dependencies=admin_only)
    def backup() -> JSONResponse:
        """Copy the database while it stays in use, as a background job; its result names
        the file (in ``LINEAGE_BACKUP_DIR``, default ``backups/`` beside the database)."""
        folder = backup_dir(service.db_path)
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
        dest = folder / f"lineage-{stamp}-{os.urandom(3).hex()}.db"

        def work(graph: lineage.Graph, progress: Any) -> dict[str, Any]:
            folder.mkdir(parents=True, exist_ok=True)
            try:
                graph.backup(dest, progress=progress)
            except BaseException:
                dest.unlink(missing_ok=True)  # a cancelled copy leaves no partial file
                raise
            return {"path": str(dest), "bytes": dest.stat().st_size}

        return jobs.accepted(service.jobs.submit("backup", f"backup to {dest.name}", work),
                             api)

    @app.post(api + "/batches/{batch_id}/revert", tags=["operations"])
    def revert(batch_id: int,
               who: Optional[Caller] = Depends(requires("admin"))) -> dict[str, Any]:
        """Undo a batch (an import, a scan, a call: ``batch_id`` from a report or the change
        feed) as a new batch, recorded as the token's user. 409 when a later change touched
        the same records."""
        with acting(g(), who) as graph:
            graph.revert_batch(batch_id)
            return {"reverted": batch_id, "batch_id": graph.batch_id}

    @app.post(api + "/scan", tags=["import"],
              responses={202: {"description": "with ?async=true: the job started"}})
    def scan(files: list[UploadFile] = File(..., description="SQL scripts, dbt artifacts "
                                            "(manifest.json), Airflow DAGs, OpenLineage "
                                            "events (.json, .jsonl)"),
             type: Optional[str] = Form(None, description="a scanner name; else detected per "
                                        "file"),
             dialect: Optional[str] = Form(None, description="the SQL dialect"),
             default_schema: Optional[str] = Form(None),
             default_database: Optional[str] = Form(None),
             dry_run: bool = Form(True, description="count what would change, write nothing "
                                  "(the default: send dry_run=false to write)"),
             run_async: bool = Query(False, alias="async"),
             who: Optional[Caller] = Depends(requires("editor"))) -> Any:
        """Infer lineage from uploaded files as inferred edges for review, in one batch,
        recorded as the token's user."""
        folder = spool_files(files)

        def work(graph: lineage.Graph, progress: Any) -> dict[str, Any]:
            with acting(graph, who) as mine:
                return mine.scan([folder], type=type or None, dialect=dialect or None,
                                 default_database=default_database or None,
                                 default_schema=default_schema or None, dry_run=dry_run,
                                 progress=progress).to_dict()

        def cleanup() -> None:
            shutil.rmtree(folder, ignore_errors=True)

        if run_async:
            names = ", ".join(f.filename or "upload" for f in files[:3])
            return jobs.accepted(service.jobs.submit(
                "scan", f"scan {names}{' ...' if len(files) > 3 else ''}", work, cleanup), api)
        try:
            return work(g(), lambda *_: True)
        finally:
            cleanup()

    @app.get(api + "/export/openlineage", tags=["import"],
             responses={200: {"content": {"application/x-ndjson": {}}}})
    def export_openlineage() -> FileResponse:
        """The graph as OpenLineage job events (one JSON event per line), for Marquez or any
        OpenLineage consumer; streamed from a temporary file."""
        fd, name = tempfile.mkstemp(prefix="lineage-export-", suffix=".jsonl")
        os.close(fd)
        try:
            g().export("openlineage", path=name)
        except BaseException:
            os.unlink(name)
            raise
        return FileResponse(name, media_type="application/x-ndjson",
                            filename="lineage-openlineage.jsonl",
                            background=BackgroundTask(os.unlink, name))

    @app.get(api + "/tables/{key:path}/fields", tags=["assets"])
    def fields(key: str, limit: int = Query(100, ge=1, le=10000),
               offset: int = Query(0, ge=0)) -> dict[str, Any]:
        """The assets directly inside an asset (a table's columns), in key order."""
        graph = g()
        graph.get_asset(key)  # 404 for an unknown asset
        children = sorted(graph.children(key), key=lambda a: (
            a.properties.get("position") if isinstance(a.properties.get("position"), int)
            else 1 << 62, a.key))  # columns in the table's order
        return jobs.page([a.to_dict() for a in children], limit, offset)
