"""OpenLineage events into a Graph, and the run history they build (``Graph.ingest_openlineage``,
``Graph.runs``). The C ingester is made on the graph's first event and kept: it remembers
what it wrote, so that the datasets and edges every run repeats are not written again."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Union

from . import _convert as c
from ._errors import check
from ._lineage_cffi import ffi, lib

if TYPE_CHECKING:  # pragma: no cover
    from .graph import Graph


def _event_bytes(event: Union[bytes, str, dict[str, Any]]) -> bytes:
    if isinstance(event, dict):
        return json.dumps(event, separators=(",", ":")).encode("utf-8")
    if isinstance(event, str):
        return event.encode("utf-8")
    if isinstance(event, (bytes, bytearray, memoryview)):
        return bytes(event)
    raise TypeError(
        f"event must be an OpenLineage event as bytes, str or dict, not {type(event).__name__}")


def ingest(graph: "Graph", event: Union[bytes, str, dict[str, Any]]) -> dict[str, Any]:
    data = _event_bytes(event)
    with graph._lock:
        db = graph._live()
        if graph._ol is None:
            out = ffi.new("lineage_ol_ingest **")
            check(lib.lineage_ol_ingest_new(out, db, ffi.NULL))
            graph._ol = out[0]
        check(lib.lineage_ol_ingest_event(ffi.NULL, graph._ol, data, len(data)))
        res = ffi.new("char **")
        check(lib.lineage_ol_ingest_result_json(res, graph._ol))
        return c.take_json(res)


def runs(graph: "Graph", job: str, limit: int = 100) -> dict[str, Any]:
    job_b = c.text(job, "job")
    n = c.integer(limit, "limit", 1, 10000)
    with graph._lock:
        out = ffi.new("char **")
        check(lib.lineage_job_runs_json(out, graph._live(), job_b, n))
        return c.take_json(out)
