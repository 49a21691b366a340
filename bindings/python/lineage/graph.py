"""``Graph``: one open lineage database, the Pythonic face of ``lineage_db``.

Threads: the C handle may be used by one thread at a time, so every method holds the
graph's own lock (a ``threading.RLock``) while it calls into C. Sharing one Graph between
threads is therefore safe, and serialised; for parallel reads open one Graph per thread
(any number of handles may work on the same file at once). The GIL is released during
every C call (cffi does so for each call made through ``lib`` in API mode), so other
Python threads run while a long query, import or backup is in C.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, Optional, Union

from . import _convert as c
from ._callbacks import CommitState, ProgressCallback, run_with_progress
from ._errors import LimitError, ParseError, UsageError, ValidationError, check, error_for
from ._lineage_cffi import ffi, lib
from ._tokens import TokenMethods
from ._views import ViewMethods
from ._types import (Asset, Change, Edge, ImpactResult, ImportReport, Result, ScanReport,
                     SearchResult, Page)

PathLike = Union[str, "os.PathLike[str]"]

_ASSET_ATTRIBUTES = frozenset(
    {"name", "parent", "owner", "description", "status", "tags", "properties",
     "create_missing"}
)
_DIRECTIONS = {"upstream": 1, "downstream": 2, "both": 3}
_EXPORT_LAYOUTS = {"layered": 1, "force": 2, "grid": 3, "circle": 4}
_IMPORT_MODES = {"atomic": 0, "skip_errors": 1, "skip-errors": 1}
_STRUCTURES = {"children": 1, "subtree": 2, "roots": 3, "leaves": 4, "orphans": 5,
               "cycles": 6, "topo": 7, "critical_path": 8}


def _path_arg(value: Any, name: str) -> bytes:
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    return c.text(value, name)


class Graph(TokenMethods, ViewMethods):
    """An open lineage database. Use ``lineage.open()``; a context manager."""

    __slots__ = ("_db", "_lock", "_path", "_commit_handle", "_in_callback", "_ol",
                 "__weakref__")

    def __init__(self, path: PathLike = ":memory:", *, readonly: bool = False,
                 create: bool = True, actor: Optional[str] = None,
                 busy_timeout_ms: Optional[int] = None,
                 cache_size_kib: Optional[int] = None,
                 pg_schema: Optional[str] = None,
                 max_staleness_ms: Optional[int] = None) -> None:
        self._db: Any = None
        self._ol: Any = None  # the OpenLineage ingester, made on first use (openlineage.py)
        self._lock = threading.RLock()
        self._commit_handle: Any = None
        self._in_callback = False
        raw_path = _path_arg(path, "path")
        actor_b = c.opt_text(actor, "actor")
        opts = ffi.new("lineage_open_options *")
        keep: list[Any] = []
        check(lib.lineage_open_options_init(opts, lib.LINEAGE_OPEN_OPTIONS_VERSION))
        if readonly:
            opts.flags |= lib.LINEAGE_OPEN_READONLY
        if not create:
            opts.flags |= lib.LINEAGE_OPEN_NOCREATE
        if busy_timeout_ms is not None:
            opts.busy_timeout_ms = c.integer(busy_timeout_ms, "busy_timeout_ms", 0, c.INT_MAX)
        if cache_size_kib is not None:
            opts.cache_size_kib = c.integer(cache_size_kib, "cache_size_kib", 1, c.INT64_MAX)
        if actor_b is not None:
            opts.actor = c.field_cstr(actor_b, keep)
        schema_b = c.opt_text(pg_schema, "pg_schema")
        if schema_b is not None:  # the store's schema in PostgreSQL (a postgresql:// path)
            opts.pg_schema = c.field_cstr(schema_b, keep)
        if max_staleness_ms is not None:  # PostgreSQL: skip the per-query check that long
            opts.max_staleness_ms = c.integer(max_staleness_ms, "max_staleness_ms", 0, c.INT_MAX)
        out = ffi.new("lineage_db **")
        check(lib.lineage_db_open(out, raw_path, opts))
        self._db = out[0]
        self._path = raw_path.decode("utf-8")

    # -- life cycle -------------------------------------------------------------------

    def _live(self) -> Any:
        """The C handle; the caller holds the lock."""
        if self._db is None:
            raise UsageError("this lineage Graph is closed: open it again with lineage.open()",
                             lib.LINEAGE_EUSAGE)
        if self._in_callback:
            raise UsageError("an on_commit callback must not call back into its own Graph; "
                             "open another Graph or defer the work", lib.LINEAGE_EUSAGE)
        return self._db

    def close(self) -> None:
        """Close the database. Safe to call twice; later calls on the graph raise."""
        with self._lock:
            if self._ol is not None:
                lib.lineage_ol_ingest_free(self._ol)
                self._ol = None
            if self._db is not None:
                lib.lineage_db_close(self._db)
                self._db = None
                self._commit_handle = None

    @property
    def closed(self) -> bool:
        return self._db is None

    def __enter__(self) -> "Graph":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # pragma: no cover - interpreter shutdown
            pass

    def __repr__(self) -> str:
        state = "closed" if self._db is None else "open"
        return f"<lineage.Graph {self._path!r} {state}>"

    @property
    def db_path(self) -> str:
        """The path the database was opened with (``path()`` is the lineage query)."""
        return self._path

    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(lib.lineage_db_schema_version(self._live()))

    def set_actor(self, actor: Optional[str]) -> None:
        """Who is recorded in the audit trail for later changes (None: "system")."""
        actor_b = c.opt_text(actor, "actor")
        with self._lock:
            check(lib.lineage_db_set_actor(self._live(), c.cstr(actor_b)))

    # -- transactions -----------------------------------------------------------------

    @contextmanager
    def transaction(self, label: Optional[str] = None) -> Iterator["Graph"]:
        """Group changes into one batch, written all at once or not at all.

        The graph's lock is held for the whole block, so other threads sharing this Graph
        wait instead of slipping their changes into the batch.
        """
        label_b = c.opt_text(label, "label")
        with self._lock:
            db = self._live()
            check(lib.lineage_db_begin(db, c.cstr(label_b)))
            try:
                yield self
            except BaseException:
                if self._db is not None:
                    lib.lineage_db_rollback(self._db)
                raise
            check(lib.lineage_db_commit(self._live()))

    @property
    def in_transaction(self) -> bool:
        with self._lock:
            return bool(lib.lineage_db_in_transaction(self._live()))

    @property
    def batch_id(self) -> int:
        """Id of the current batch (the open transaction's, or the last call's); 0 if none."""
        with self._lock:
            return int(lib.lineage_db_batch_id(self._live()))

    def revert_batch(self, batch_id: int) -> None:
        """Undo a batch (an import, a scan, one call) as a new batch."""
        bid = c.integer(batch_id, "batch_id", 1, c.INT64_MAX)
        with self._lock:
            check(lib.lineage_batch_revert(self._live(), bid))

    # -- assets -----------------------------------------------------------------------

    def _upsert_asset(self, key: Any, kind: Any, attributes: dict[str, Any]) -> Asset:
        unknown = set(attributes) - _ASSET_ATTRIBUTES
        if unknown:
            raise TypeError(f"unknown asset attribute(s): {', '.join(sorted(unknown))}; "
                            f"known: {', '.join(sorted(_ASSET_ATTRIBUTES))}")
        key_b = c.text(key, "key")
        keep: list[Any] = []
        spec = ffi.new("lineage_asset_spec *")
        check(lib.lineage_asset_spec_init(spec, lib.LINEAGE_ASSET_SPEC_VERSION))
        spec.key = c.field_cstr(key_b, keep)
        for field, cname in (("kind", "kind"), ("name", "name"), ("parent", "parent_key"),
                             ("owner", "owner"), ("description", "description"),
                             ("status", "status")):
            value = kind if field == "kind" else attributes.get(field)
            if value is not None:
                setattr(spec, cname, c.field_cstr(c.text(value, field), keep))
        if attributes.get("tags") is not None:
            tags = c.text_list(attributes["tags"], "tags") or []
            cstrs = [ffi.new("char[]", t) for t in tags]
            arr = ffi.new("const char *[]", cstrs) if cstrs else ffi.NULL
            keep += [arr, cstrs]
            spec.tags = arr
            spec.tag_count = len(tags)
            spec.tags_set = 1
        props = c.json_object(attributes.get("properties"), "properties")
        if props is not None:
            spec.properties_json = c.field_cstr(props, keep)
        spec.create_missing = 1 if attributes.get("create_missing") else 0
        with self._lock:
            db = self._live()
            check(lib.lineage_asset_upsert(ffi.NULL, ffi.NULL, db, spec))
            return self._get_asset_locked(db, key_b)

    def add_asset(self, key: str, kind: str, **attributes: Any) -> Asset:
        """Create an asset, or update the one with this key (idempotent).

        Attributes: ``name``, ``parent`` (the containing asset's key), ``owner``,
        ``description``, ``status``, ``tags`` (list of str, replaces the stored ones),
        ``properties`` (dict, merged: a None value removes a property),
        ``create_missing`` (create a missing parent). Returns the stored asset.
        """
        c.text(kind, "kind")
        return self._upsert_asset(key, kind, attributes)

    def update_asset(self, key: str, **attributes: Any) -> Asset:
        """Change some attributes of an asset (``kind`` may change only from "unknown")."""
        kind = attributes.pop("kind", None)
        return self._upsert_asset(key, kind, attributes)

    def _get_asset_locked(self, db: Any, key_b: bytes) -> Asset:
        out = ffi.new("lineage_asset **")
        check(lib.lineage_asset_get(out, db, key_b))
        js = ffi.new("char **")
        try:
            check(lib.lineage_asset_to_json(js, out[0]))
        finally:
            lib.lineage_asset_free(out[0])
        return Asset.from_dict(c.take_json(js))

    def get_asset(self, key: str) -> Asset:
        """The asset with this key; NotFoundError (a KeyError) when there is none."""
        key_b = c.text(key, "key")
        with self._lock:
            return self._get_asset_locked(self._live(), key_b)

    def __contains__(self, key: object) -> bool:
        try:
            self.get_asset(key)  # type: ignore[arg-type]
        except KeyError:
            return False
        return True

    def remove_asset(self, key: str, cascade: bool = False) -> None:
        """Remove an asset and its edges; with ``cascade`` also what it contains."""
        key_b = c.text(key, "key")
        flags = lib.LINEAGE_REMOVE_CASCADE if cascade else 0
        with self._lock:
            check(lib.lineage_asset_remove(self._live(), key_b, flags))

    def _asset_list(self, call: Callable[[Any, Any], int]) -> SearchResult:
        with self._lock:
            out = ffi.new("lineage_asset_list **")
            check(call(out, self._live()))
            js = ffi.new("char **")
            try:
                check(lib.lineage_asset_list_to_json(js, out[0]))
            finally:
                lib.lineage_asset_list_free(out[0])
        data = c.take_json(js)
        items = [Asset.from_dict(a) for a in data.get("results", ())]
        return SearchResult(items, int(data.get("total", len(items))))

    def search(self, text: str = "", kind: Optional[str] = None, *,
               owner: Optional[str] = None, tag: Optional[str] = None,
               limit: int = 50, offset: int = 0) -> SearchResult:
        """Full-text search over key, name, description and tags (words match by prefix).

        Returns a list of assets with ``.total``, the number of matches in all.
        """
        text_b = c.text(text, "text")
        kind_b, owner_b, tag_b = (c.opt_text(kind, "kind"), c.opt_text(owner, "owner"),
                                  c.opt_text(tag, "tag"))
        opts = ffi.new("lineage_search_options *")
        check(lib.lineage_search_options_init(opts, lib.LINEAGE_SEARCH_OPTIONS_VERSION))
        keep: list[Any] = []
        opts.kind = c.field_cstr(kind_b, keep)
        opts.owner = c.field_cstr(owner_b, keep)
        opts.tag = c.field_cstr(tag_b, keep)
        opts.limit = c.integer(limit, "limit", 1, 10000)
        opts.offset = c.integer(offset, "offset", 0, c.INT64_MAX)
        return self._asset_list(lambda out, db: lib.lineage_asset_search(out, db, text_b, opts))

    def children(self, key: str) -> list[Asset]:
        """The assets directly contained in ``key``."""
        key_b = c.text(key, "key")
        return list(self._asset_list(lambda out, db: lib.lineage_asset_children(out, db, key_b)))

    # -- edges ------------------------------------------------------------------------

    def _get_edge_locked(self, db: Any, eid: int) -> Edge:
        out = ffi.new("lineage_edge **")
        check(lib.lineage_edge_get(out, db, eid))
        return self._edge_from(out[0])

    @staticmethod
    def _edge_from(ptr: Any) -> Edge:
        js = ffi.new("char **")
        try:
            check(lib.lineage_edge_to_json(js, ptr))
        finally:
            lib.lineage_edge_free(ptr)
        return Edge.from_dict(c.take_json(js))

    def add_edge(self, source: str, target: str, kind: str = "flow", *,
                 lineage_source: str = "manual", confidence: Optional[float] = None,
                 transformation: Optional[str] = None,
                 transformation_type: Optional[str] = None, job: Optional[str] = None,
                 description: Optional[str] = None,
                 properties: Optional[dict[str, Any]] = None, evidence: Any = None,
                 origin: Optional[str] = None, create_missing: bool = False,
                 source_kind: Optional[str] = None,
                 target_kind: Optional[str] = None) -> Edge:
        """Add an edge from ``source`` to ``target``, or merge into the same one.

        ``lineage_source`` is "inferred", "manual" or "approved"; ``confidence`` 0..1
        (default 1 for manual and approved, 0.5 for inferred). With ``create_missing``,
        missing assets are created (of kind ``source_kind``/``target_kind``, else
        "unknown"). Returns the stored edge (``.id``).
        """
        keep: list[Any] = []
        spec = ffi.new("lineage_edge_spec *")
        check(lib.lineage_edge_spec_init(spec, lib.LINEAGE_EDGE_SPEC_VERSION))
        for value, name, cname, required in (
                (source, "source", "source_key", True), (target, "target", "target_key", True),
                (kind, "kind", "kind", False), (job, "job", "job_key", False),
                (transformation_type, "transformation_type", "transformation_type", False),
                (transformation, "transformation", "transformation", False),
                (description, "description", "description", False),
                (origin, "origin", "origin", False),
                (source_kind, "source_kind", "source_kind", False),
                (target_kind, "target_kind", "target_kind", False)):
            b = c.text(value, name) if required else c.opt_text(value, name)
            if b is not None:
                setattr(spec, cname, c.field_cstr(b, keep))
        src = c.lineage_source(lineage_source)
        if src == lib.LINEAGE_SOURCE_ANY:
            raise ValueError("lineage_source must be 'inferred', 'manual' or 'approved'")
        spec.lineage_source = src
        spec.confidence = -1.0 if confidence is None else c.number(confidence, "confidence",
                                                                     0.0, 1.0)
        for obj, name, cname, conv in ((properties, "properties", "properties_json",
                                        c.json_object),
                                       (evidence, "evidence", "evidence_json", c.json_value)):
            b = conv(obj, name)
            if b is not None:
                setattr(spec, cname, c.field_cstr(b, keep))
        spec.create_missing = 1 if create_missing else 0
        eid = ffi.new("int64_t *")
        with self._lock:
            db = self._live()
            check(lib.lineage_edge_upsert(ffi.NULL, eid, db, spec))
            return self._get_edge_locked(db, eid[0])

    def get_edge(self, edge_id: int) -> Edge:
        eid = c.edge_id(edge_id)
        with self._lock:
            return self._get_edge_locked(self._live(), eid)

    def find_edge(self, source: str, target: str, kind: Optional[str] = None,
                  job: Optional[str] = None) -> Edge:
        """The edge with this identity (kind None: "flow"; job None: no job)."""
        s, t = c.text(source, "source"), c.text(target, "target")
        k, j = c.opt_text(kind, "kind"), c.opt_text(job, "job")
        with self._lock:
            out = ffi.new("lineage_edge **")
            check(lib.lineage_edge_find(out, self._live(), s, t, c.cstr(k), c.cstr(j)))
            return self._edge_from(out[0])

    def remove_edge(self, edge_id: int) -> None:
        eid = c.edge_id(edge_id)
        with self._lock:
            check(lib.lineage_edge_remove(self._live(), eid))

    def _review(self, fn: Any, edge_id: int, by: str, comment: Optional[str]) -> Edge:
        eid = c.edge_id(edge_id)
        by_b, comment_b = c.text(by, "by"), c.opt_text(comment, "comment")
        with self._lock:
            db = self._live()
            check(fn(db, eid, by_b, c.cstr(comment_b)))
            return self._get_edge_locked(db, eid)

    def approve(self, edge_id: int, by: str, comment: Optional[str] = None) -> Edge:
        """Approve an edge: it becomes "approved", active, with confidence 1."""
        return self._review(lib.lineage_edge_approve, edge_id, by, comment)

    def reject(self, edge_id: int, by: str, comment: Optional[str] = None) -> Edge:
        """Reject an edge: it leaves every query and stays rejected when inferred again."""
        return self._review(lib.lineage_edge_reject, edge_id, by, comment)

    def _edge_list(self, call: Callable[[Any, Any], int]) -> list[Edge]:
        with self._lock:
            out = ffi.new("lineage_edge_list **")
            check(call(out, self._live()))
            js = ffi.new("char **")
            try:
                check(lib.lineage_edge_list_to_json(js, out[0]))
            finally:
                lib.lineage_edge_list_free(out[0])
        return [Edge.from_dict(e) for e in c.take_json(js).get("edges", ())]

    def edges(self, key: str, direction: str = "both", *,
              include_inactive: bool = False) -> list[Edge]:
        """Edges touching an asset: "in" (it is the target), "out" or "both"."""
        key_b = c.text(key, "key")
        flags = {"in": lib.LINEAGE_EDGES_IN, "out": lib.LINEAGE_EDGES_OUT,
                 "both": lib.LINEAGE_EDGES_IN | lib.LINEAGE_EDGES_OUT}.get(direction)
        if flags is None:
            raise ValueError(f"direction must be 'in', 'out' or 'both', got {direction!r}")
        if include_inactive:
            flags |= lib.LINEAGE_EDGES_ALL_STATUS
        return self._edge_list(
            lambda out, db: lib.lineage_edge_list_for_asset(out, db, key_b, flags))

    def pending(self, limit: int = 1000, offset: int = 0, *, count: bool = True) -> Page:
        """Inferred edges waiting for review, lowest confidence first: ``limit`` after the
        first ``offset`` (paged in the store), with ``.total``, how many wait in all
        (None with ``count=False``, which spares counting them)."""
        n = c.integer(limit, "limit", 1, 1_000_000)
        skip = c.integer(offset, "offset", 0, c.INT64_MAX)
        total = ffi.new("size_t *") if count else ffi.NULL
        items = self._edge_list(
            lambda out, db: lib.lineage_edge_list_pending_page(out, total, db, skip, n))
        return Page(items, int(total[0]) if count else None)

    def retire_origin(self, origin: str, keep_ids: Iterable[int] = ()) -> int:
        """Retire the active inferred edges reported by ``origin`` whose ids are not in
        ``keep_ids`` (what a new run of that origin reported again). Returns how many."""
        origin_b = c.text(origin, "origin")
        ids = [c.edge_id(i, "keep_ids item") for i in keep_ids]
        arr = ffi.new("int64_t[]", ids) if ids else ffi.NULL
        count = ffi.new("size_t *")
        with self._lock:
            check(lib.lineage_edge_retire_origin(count, self._live(), origin_b, arr, len(ids)))
        return int(count[0])

    def define_edge_kind(self, kind: str, allows_self_loop: bool = False,
                         allows_cycles: bool = True) -> None:
        kind_b = c.text(kind, "kind")
        with self._lock:
            check(lib.lineage_edge_kind_define(self._live(), kind_b, int(bool(allows_self_loop)),
                                               int(bool(allows_cycles))))

    def define_asset_kind(self, kind: str) -> None:
        """Declare an asset kind beyond the built-in ones (table, view, column, job...).

        Writing an asset of a kind neither built in nor declared raises ValidationError
        naming the closest known kind. Declaring a kind again does nothing.
        """
        kind_b = c.text(kind, "kind")
        with self._lock:
            check(lib.lineage_asset_kind_define(self._live(), kind_b))

    def asset_kinds(self) -> dict[str, bool]:
        """Every asset kind that may be written, sorted, each with whether it is built in."""
        out = ffi.new("char **")
        with self._lock:
            check(lib.lineage_asset_kinds_json(out, self._live()))
        return {k["name"]: bool(k["builtin"]) for k in c.take_json(out)}

    def edge_kind_rules(self, kind: str) -> tuple[bool, bool]:
        """(allows_self_loop, allows_cycles) of an edge kind."""
        kind_b = c.text(kind, "kind")
        loop, cyc = ffi.new("int *"), ffi.new("int *")
        with self._lock:
            check(lib.lineage_edge_kind_rules(self._live(), kind_b, loop, cyc))
        return bool(loop[0]), bool(cyc[0])

    # -- queries ----------------------------------------------------------------------

    @staticmethod
    def _query_options(opts: Any, keep: list[Any], depth: Any = None, min_source: Any = None,
                       min_confidence: Any = None, edge_kinds: Any = None,
                       asset_kinds: Any = None, columns: Any = None,
                       max_nodes: Any = None) -> None:
        check(lib.lineage_query_options_init(opts, lib.LINEAGE_QUERY_OPTIONS_VERSION))
        opts.max_depth = c.depth(depth)
        opts.min_source = c.lineage_source(min_source, "min_source")
        if min_confidence is not None:
            opts.min_confidence = c.number(min_confidence, "min_confidence", 0.0, 1.0)
        for value, name, arr_field, count_field in (
                (edge_kinds, "edge_kinds", "edge_kinds", "edge_kind_count"),
                (asset_kinds, "asset_kinds", "asset_kinds", "asset_kind_count")):
            items = c.text_list(value, name)
            if items:
                cstrs = [ffi.new("char[]", b) for b in items]
                arr = ffi.new("const char *[]", cstrs)
                keep += [cstrs, arr]
                setattr(opts, arr_field, arr)
                setattr(opts, count_field, len(items))
        opts.columns = c.columns(columns)
        if max_nodes is not None:
            opts.max_nodes = c.integer(max_nodes, "max_nodes", 1, c.INT64_MAX)

    def traverse(self, key: str, direction: str = "downstream", *, depth: Optional[int] = None,
                 min_source: Optional[str] = None, min_confidence: Optional[float] = None,
                 edge_kinds: Any = None, asset_kinds: Any = None,
                 columns: Optional[str] = None, max_nodes: Optional[int] = None) -> Result:
        """Assets reached from ``key`` ("upstream", "downstream" or "both").

        ``depth``: hops (None: unlimited); ``min_source``: only edges at least this
        trusted ("inferred" < "manual" < "approved"); ``min_confidence`` 0..1;
        ``edge_kinds``/``asset_kinds``: lists of kinds; ``columns``: "include", "rollup"
        (table-level lineage from column edges) or "exclude"; ``max_nodes``: stop after
        this many (the result is then ``truncated``).
        """
        key_b = c.text(key, "key")
        if not isinstance(direction, str) or direction not in _DIRECTIONS:
            raise ValueError("direction must be 'upstream', 'downstream' or 'both', "
                             f"got {direction!r}")
        keep: list[Any] = []
        opts = ffi.new("lineage_query_options *")
        self._query_options(opts, keep, depth, min_source, min_confidence, edge_kinds,
                            asset_kinds, columns, max_nodes)
        out = ffi.new("lineage_result **")
        with self._lock:
            check(lib.lineage_query_traverse(out, self._live(), key_b,
                                             _DIRECTIONS[direction], opts))
        return Result(out[0])

    def upstream(self, key: str, depth: Optional[int] = None, min_source: Optional[str] = None,
                 **filters: Any) -> Result:
        """Where the data of ``key`` comes from (see ``traverse`` for the filters)."""
        return self.traverse(key, "upstream", depth=depth, min_source=min_source, **filters)

    def downstream(self, key: str, depth: Optional[int] = None,
                   min_source: Optional[str] = None, **filters: Any) -> Result:
        """Where the data of ``key`` goes (see ``traverse`` for the filters)."""
        return self.traverse(key, "downstream", depth=depth, min_source=min_source, **filters)

    def impact(self, key: str, change: str = "drop", *, depth: Optional[int] = None,
               min_source: Optional[str] = None, **filters: Any) -> ImpactResult:
        """What a change ("drop", "rename", "type_change", "modify", "add") to ``key``
        affects downstream: ``.affected`` (with owner and severity) and ``.summary``."""
        key_b = c.text(key, "key")
        change_v = c.change_type(change)
        keep: list[Any] = []
        opts = ffi.new("lineage_query_options *")
        self._query_options(opts, keep, depth, min_source, **filters)
        out = ffi.new("lineage_result **")
        with self._lock:
            check(lib.lineage_query_impact(out, self._live(), key_b, change_v, opts))
        return ImpactResult(out[0])

    def path(self, source: str, target: str, *, all: bool = False,
             max_paths: Optional[int] = None, max_length: Optional[int] = None,
             min_source: Optional[str] = None, **filters: Any) -> list[list[str]]:
        """Paths of data flow from ``source`` to ``target`` as lists of keys, shortest
        first (the shortest only unless ``all``). No path: an empty list."""
        return self.paths(source, target, all=all, max_paths=max_paths,
                          max_length=max_length, min_source=min_source,
                          **filters).to_dict().get("paths", [])

    def paths(self, source: str, target: str, *, all: bool = False,
              max_paths: Optional[int] = None, max_length: Optional[int] = None,
              min_source: Optional[str] = None, **filters: Any) -> Result:
        """As ``path()``, but the full result (nodes grouped by path, edges, Cytoscape)."""
        a, b = c.text(source, "source"), c.text(target, "target")
        keep: list[Any] = []
        opts = ffi.new("lineage_path_options *")
        check(lib.lineage_path_options_init(opts, lib.LINEAGE_PATH_OPTIONS_VERSION))
        self._query_options(ffi.addressof(opts, "filter"), keep, None, min_source, **filters)
        opts.all = 1 if all else 0
        if max_paths is not None:
            opts.max_paths = c.integer(max_paths, "max_paths", 1, 1_000_000)
        if max_length is not None:
            opts.max_length = c.integer(max_length, "max_length", 1, c.INT_MAX)
        out = ffi.new("lineage_result **")
        with self._lock:
            check(lib.lineage_query_paths(out, self._live(), a, b, opts))
        return Result(out[0])

    def structure(self, what: str, key: Optional[str] = None, **filters: Any) -> Result:
        """Structure questions: "children", "subtree" (need ``key``), "roots", "leaves",
        "orphans", "cycles", "topo", "critical_path"."""
        if not isinstance(what, str) or what not in _STRUCTURES:
            raise ValueError(f"what must be one of {', '.join(_STRUCTURES)}, got {what!r}")
        key_b = c.opt_text(key, "key")
        keep: list[Any] = []
        opts = ffi.new("lineage_query_options *")
        self._query_options(opts, keep, **filters)
        out = ffi.new("lineage_result **")
        with self._lock:
            check(lib.lineage_query_structure(out, self._live(), _STRUCTURES[what],
                                              c.cstr(key_b), opts))
        return Result(out[0])

    # -- audit trail and change feed --------------------------------------------------

    def _change_list(self, call: Callable[[Any, Any], int]) -> list[Change]:
        with self._lock:
            out = ffi.new("lineage_change_list **")
            check(call(out, self._live()))
            js = ffi.new("char **")
            try:
                check(lib.lineage_change_list_to_json(js, out[0]))
            finally:
                lib.lineage_change_list_free(out[0])
        return [Change.from_dict(ch) for ch in c.take_json(js).get("changes", ())]

    def history(self, key: str, limit: int = 1000, offset: int = 0, *,
                count: bool = True) -> Page:
        """Changes of an asset and of the edges touching it, newest first: ``limit`` after
        the first ``offset`` (paged in the store), with ``.total``, how many in all (None
        with ``count=False``)."""
        key_b = c.text(key, "key")
        n = c.integer(limit, "limit", 1, 1_000_000)
        skip = c.integer(offset, "offset", 0, c.INT64_MAX)
        total = ffi.new("size_t *") if count else ffi.NULL
        items = self._change_list(
            lambda out, db: lib.lineage_history_asset_page(out, total, db, key_b, skip, n))
        return Page(items, int(total[0]) if count else None)

    def edge_history(self, edge_id: int, limit: int = 1000) -> list[Change]:
        eid = c.edge_id(edge_id)
        n = c.integer(limit, "limit", 1, 1_000_000)
        return self._change_list(lambda out, db: lib.lineage_history_edge(out, db, eid, n))

    def changes_since(self, seq: int, limit: int = 1000) -> list[Change]:
        """The change feed: changes with ``seq`` greater than this, oldest first, from every
        handle and process writing the file."""
        s = c.integer(seq, "seq", 0, c.INT64_MAX)
        n = c.integer(limit, "limit", 1, 1_000_000)
        return self._change_list(lambda out, db: lib.lineage_changes_since(out, db, s, n))

    def last_seq(self) -> int:
        """The highest change sequence number written so far (0 when empty)."""
        out = ffi.new("int64_t *")
        with self._lock:
            check(lib.lineage_changes_last_seq(out, self._live()))
        return int(out[0])

    def on_commit(self, callback: Optional[Callable[[int, int], None]]) -> None:
        """Call ``callback(first_seq, last_seq)`` after each commit made through this
        Graph (on the committing thread). It must not use this Graph; None removes it."""
        with self._lock:
            db = self._live()
            if callback is None:
                check(lib.lineage_db_on_commit(db, ffi.NULL, ffi.NULL))
                self._commit_handle = None
                return
            if not callable(callback):
                raise TypeError(f"callback must be callable, not {type(callback).__name__}")
            handle = ffi.new_handle(CommitState(callback, self))
            check(lib.lineage_db_on_commit(db, lib._lineage_commit_trampoline, handle))
            self._commit_handle = handle  # keeps the state alive while installed

    # -- whole database ---------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Counts for a metrics endpoint (assets, edges by kind/source/status, ...)."""
        out = ffi.new("char **")
        with self._lock:
            check(lib.lineage_db_stats_json(out, self._live()))
        return c.take_json(out)

    def backup(self, dest: PathLike, progress: Optional[ProgressCallback] = None) -> None:
        """Copy the database to ``dest`` while it stays in use (a consistent snapshot).

        ``progress(stage, done, total)`` is called as pages are copied; returning False or
        raising (Ctrl-C too) cancels, and the exception is re-raised here.
        """
        dest_b = _path_arg(dest, "dest")
        with self._lock:
            db = self._live()
            run_with_progress(lambda cb, payload: lib.lineage_db_backup(db, dest_b, cb, payload),
                              progress)

    # -- bulk import --------------------------------------------------------------------

    @staticmethod
    def _import_options(keep: list[Any], mode: Any, dry_run: bool, format: Any,
                        type: Any, create_missing: bool, replace_scope: Any,
                        rejects_path: Any, label: Any, max_errors: Any,
                        sheet: Any = None) -> Any:
        opts = ffi.new("lineage_import_options *")
        check(lib.lineage_import_options_init(opts, lib.LINEAGE_IMPORT_OPTIONS_VERSION))
        if not isinstance(mode, str) or mode not in _IMPORT_MODES:
            raise ValueError(f"mode must be 'atomic' or 'skip_errors', got {mode!r}")
        opts.mode = _IMPORT_MODES[mode]
        opts.dry_run = 1 if dry_run else 0
        opts.create_missing = 1 if create_missing else 0
        fmt = ffi.new("lineage_format *")
        if lib.lineage_format_parse(fmt, c.text(format, "format")) != 0:
            raise ValueError("format must be one of 'auto', 'csv', 'json', 'jsonl', "
                             f"'graphml', 'xlsx' or 'yaml', got {format!r}")
        opts.format = fmt[0]
        rtype = ffi.new("lineage_record_type *")
        if lib.lineage_record_type_parse(rtype, c.text(type, "type")) != 0:
            raise ValueError(f"type must be 'auto', 'assets' or 'lineage', got {type!r}")
        opts.type = rtype[0]
        opts.replace_scope = c.field_cstr(c.opt_text(replace_scope, "replace_scope"), keep)
        if rejects_path is not None:
            opts.rejects_path = c.field_cstr(_path_arg(rejects_path, "rejects_path"), keep)
        opts.label = c.field_cstr(c.opt_text(label, "label"), keep)
        if max_errors is not None:
            opts.max_errors = c.integer(max_errors, "max_errors", 1, 10_000_000)
        opts.sheet = c.field_cstr(c.opt_text(sheet, "sheet"), keep)
        return opts

    def _run_import(self, call: Callable[[Any, Any, Any], int], opts: Any, mode: str,
                    dry_run: bool, progress: Optional[ProgressCallback]) -> ImportReport:
        out = ffi.new("lineage_import_report **")
        error = None
        with self._lock:
            db = self._live()

            def go(cb: Any, payload: Any) -> int:
                opts.progress, opts.payload = cb, payload
                return call(out, db, opts)

            rc = run_with_progress(go, progress, check_rc=False)
            if rc < 0:
                error = error_for(rc)  # read the message before any other C call
            report = None
            if out[0] != ffi.NULL:
                js = ffi.new("char **")
                try:
                    check(lib.lineage_import_report_to_json(js, out[0]))
                finally:
                    lib.lineage_import_report_free(out[0])
                report = ImportReport.from_dict(c.take_json(js))
        if error is None and report is not None:
            return report
        assert error is not None
        if report is not None:
            issues = list(report.to_dict().get("errors", ()))
            if error.code == lib.LINEAGE_EINVALID:
                if dry_run or _IMPORT_MODES[mode] == lib.LINEAGE_IMPORT_SKIP_ERRORS:
                    return report  # invalid rows are reported, not raised
                raise ValidationError(error.message, error.code, issues, report)
            if error.code == lib.LINEAGE_EPARSE:
                raise ParseError(error.message, error.code, issues, report)
            if error.code == lib.LINEAGE_ELIMIT:
                raise LimitError(error.message, error.code, report)
        raise error

    def import_file(self, path: PathLike, mode: str = "atomic", dry_run: bool = False, *,
                    format: str = "auto", type: str = "auto", create_missing: bool = False,
                    replace_scope: Optional[str] = None,
                    rejects_path: Optional[PathLike] = None, label: Optional[str] = None,
                    max_errors: Optional[int] = None, sheet: Optional[str] = None,
                    progress: Optional[ProgressCallback] = None) -> ImportReport:
        """Import assets or lineage from a CSV, JSON, JSON Lines, GraphML, Excel (.xlsx) or
        YAML file, as one batch (see docs/import-format.md).

        ``mode="atomic"``: any invalid row and nothing is written (ValidationError with
        ``.errors`` and ``.report``); ``"skip_errors"``: the valid rows are written and the
        report lists the others. ``dry_run``: validate and count, write nothing, return the
        report. ``replace_scope``: the file is the whole truth for that scope (edges of the
        scope missing from it are retired). ``sheet``: the workbook's sheet to read (default:
        the first). ``progress(stage, done, total)``: returning False,
        raising, or Ctrl-C cancels, and the database is left unchanged.
        """
        keep: list[Any] = []
        path_b = _path_arg(path, "path")
        opts = self._import_options(keep, mode, dry_run, format, type, create_missing,
                                    replace_scope, rejects_path, label, max_errors, sheet)
        return self._run_import(lambda out, db, o: lib.lineage_import_path(out, db, path_b, o),
                                opts, mode, dry_run, progress)

    def import_data(self, data: Union[bytes, str], mode: str = "atomic",
                    dry_run: bool = False, *, format: str = "auto", type: str = "auto",
                    create_missing: bool = False, replace_scope: Optional[str] = None,
                    rejects_path: Optional[PathLike] = None, label: Optional[str] = None,
                    max_errors: Optional[int] = None, sheet: Optional[str] = None,
                    progress: Optional[ProgressCallback] = None) -> ImportReport:
        """As ``import_file()``, from bytes (or str) in memory; give ``format`` unless the
        content tells it."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"data must be bytes or str, not {type_name(data)}")
        keep: list[Any] = [data]
        buf = ffi.from_buffer(data)
        opts = self._import_options(keep, mode, dry_run, format, type, create_missing,
                                    replace_scope, rejects_path, label, max_errors, sheet)
        return self._run_import(
            lambda out, db, o: lib.lineage_import_buffer(out, db, buf, len(buf), o),
            opts, mode, dry_run, progress)

    # -- scanners -----------------------------------------------------------------------

    def scan(self, paths: Union[PathLike, Iterable[PathLike]], type: Optional[str] = None,
             dialect: Optional[str] = None, *, default_database: Optional[str] = None,
             default_schema: Optional[str] = None, dry_run: bool = False,
             max_file_bytes: Optional[int] = None,
             progress: Optional[ProgressCallback] = None) -> ScanReport:
        """Infer lineage from files and directories (SQL scripts, dbt artifacts, Airflow
        DAGs, OpenLineage events) and store it as inferred edges for review, in one batch.

        ``type``: a scanner name (``lineage.scanners()``), else detected per input;
        ``dialect``: the SQL dialect (``lineage.sql_dialects()``). A later scan of the same
        input replaces that input's inferences and never changes a manual or approved edge.
        ``dry_run``: count what would change, write nothing. ``progress(stage, done, total)``
        returning False, raising, or Ctrl-C cancels with the database unchanged.
        """
        if isinstance(paths, (str, bytes, os.PathLike)):
            paths = [paths]
        items = [_path_arg(p, "paths item") for p in paths]
        if not items:
            raise ValueError("paths must name at least one file or directory")
        cpaths = [ffi.new("char[]", p) for p in items]
        arr = ffi.new("const char *[]", cpaths)
        return self._run_scan(
            lambda out, db, o: lib.lineage_scan_run(out, db, arr, len(cpaths), o),
            type, dialect, default_database, default_schema, dry_run, max_file_bytes,
            progress)

    def scan_data(self, data: Union[bytes, str], name: str, type: Optional[str] = None,
                  dialect: Optional[str] = None, *, default_database: Optional[str] = None,
                  default_schema: Optional[str] = None, dry_run: bool = False,
                  progress: Optional[ProgressCallback] = None) -> ScanReport:
        """As ``scan()``, for one input held in memory (an upload): ``name`` stands for the
        file ("orders.sql", "events.jsonl": in the edges' origin, in diagnostics, and to
        detect the scanner by extension)."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"data must be bytes or str, not {type_name(data)}")
        name_b = c.text(name, "name")
        buf = ffi.from_buffer(data)
        return self._run_scan(
            lambda out, db, o: lib.lineage_scan_run_buffer(out, db, name_b, buf, len(buf), o),
            type, dialect, default_database, default_schema, dry_run, None, progress)

    def _run_scan(self, call: Callable[[Any, Any, Any], int], type: Any, dialect: Any,
                  default_database: Any, default_schema: Any, dry_run: bool,
                  max_file_bytes: Any, progress: Optional[ProgressCallback]) -> ScanReport:
        keep: list[Any] = []
        opts = ffi.new("lineage_scan_options *")
        check(lib.lineage_scan_options_init(opts, lib.LINEAGE_SCAN_OPTIONS_VERSION))
        opts.type = c.field_cstr(c.opt_text(type, "type"), keep)
        opts.dialect = c.field_cstr(c.opt_text(dialect, "dialect"), keep)
        opts.default_database = c.field_cstr(c.opt_text(default_database,
                                                        "default_database"), keep)
        opts.default_schema = c.field_cstr(c.opt_text(default_schema, "default_schema"),
                                           keep)
        opts.dry_run = 1 if dry_run else 0
        if max_file_bytes is not None:
            opts.max_file_bytes = c.integer(max_file_bytes, "max_file_bytes", 1, c.INT64_MAX)
        out = ffi.new("lineage_scan_report **")
        with self._lock:
            db = self._live()

            def go(cb: Any, payload: Any) -> int:
                opts.progress, opts.progress_payload = cb, payload
                return call(out, db, opts)

            run_with_progress(go, progress)
        js = ffi.new("char **")
        try:
            check(lib.lineage_scan_report_to_json(js, out[0]))
        finally:
            lib.lineage_scan_report_free(out[0])
        return ScanReport.from_dict(c.take_json(js))

    def collect(self, uri: str, name: Optional[str] = None, *,
                schemas: Union[str, Iterable[str], None] = None, queries: bool = False,
                type: Optional[str] = None, dry_run: bool = False,
                connect_timeout: Optional[int] = None,
                progress: Optional[ProgressCallback] = None) -> ScanReport:
        """Collect a live database's tables, views, columns, keys and view lineage, in one
        batch (docs/collectors.md).

        ``uri``: ``postgresql://…``, ``mysql://…`` / ``mariadb://…`` (``?socket=PATH``),
        ``sqlite:///path`` or a SQLite file's path; its password is never stored nor put in
        a message. ``name``: the key prefix SOURCE (keys ``SOURCE.schema.table[.column]``),
        default the database's name. ``schemas``: only these; ``queries``: PostgreSQL's
        pg_stat_statements too. Collecting the same source again replaces what it found:
        tables gone get status ``removed`` and their edges are retired; manual, approved and
        rejected edges are never changed. An unreachable source or refused credentials raise
        ``lineage.Error`` with the database unchanged; a view that cannot be read is a
        diagnostic in the report. ``progress(stage, done, total)`` returning False cancels.
        """
        keep: list[Any] = []
        opts = ffi.new("lineage_collect_options *")
        check(lib.lineage_collect_options_init(opts, lib.LINEAGE_COLLECT_OPTIONS_VERSION))
        if isinstance(uri, os.PathLike):
            uri = os.fspath(uri)
        uri_b = c.text(uri, "uri")
        opts.name = c.field_cstr(c.opt_text(name, "name"), keep)
        opts.type = c.field_cstr(c.opt_text(type, "type"), keep)
        names = c.text_list(schemas, "schemas")
        if names:
            cnames = [ffi.new("char[]", n) for n in names]
            arr = ffi.new("const char *[]", cnames)
            keep += [cnames, arr]
            opts.schemas, opts.schema_count = arr, len(cnames)
        opts.queries = 1 if queries else 0
        opts.dry_run = 1 if dry_run else 0
        if connect_timeout is not None:
            opts.connect_timeout_s = c.integer(connect_timeout, "connect_timeout", 1, 3600)
        out = ffi.new("lineage_scan_report **")
        with self._lock:
            db = self._live()

            def go(cb: Any, payload: Any) -> int:
                opts.progress, opts.progress_payload = cb, payload
                return lib.lineage_collect(out, db, uri_b, opts)

            run_with_progress(go, progress)
        js = ffi.new("char **")
        try:
            check(lib.lineage_scan_report_to_json(js, out[0]))
        finally:
            lib.lineage_scan_report_free(out[0])
        return ScanReport.from_dict(c.take_json(js))

    def analyze_sql(self, sql: Union[str, bytes], dialect: Optional[str] = None, *,
                    default_database: Optional[str] = None,
                    default_schema: Optional[str] = None,
                    file: Optional[str] = None) -> dict[str, Any]:
        """As ``lineage.analyze_sql()``, with ``SELECT *`` expanded from the columns this
        database knows; nothing is stored."""
        data = sql.encode("utf-8") if isinstance(sql, str) else sql
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"sql must be str or bytes, not {type_name(sql)}")
        keep: list[Any] = []
        opts = ffi.new("lineage_scan_options *")
        check(lib.lineage_scan_options_init(opts, lib.LINEAGE_SCAN_OPTIONS_VERSION))
        opts.dialect = c.field_cstr(c.opt_text(dialect, "dialect"), keep)
        opts.default_database = c.field_cstr(c.opt_text(default_database,
                                                        "default_database"), keep)
        opts.default_schema = c.field_cstr(c.opt_text(default_schema, "default_schema"),
                                           keep)
        file_b = c.opt_text(file, "file")
        buf = ffi.from_buffer(data)
        out = ffi.new("char **")
        with self._lock:
            check(lib.lineage_scan_sql_json(out, self._live(), buf, len(buf), c.cstr(file_b),
                                            opts))
        result: dict[str, Any] = c.take_json(out)
        return result

    # -- export -------------------------------------------------------------------------

    # -- OpenLineage (lineage/openlineage.py) ------------------------------------------

    def ingest_openlineage(self, event: Union[bytes, str, dict[str, Any]]) -> dict[str, Any]:
        """Record one OpenLineage event (its JSON text, or the parsed dict): lineage as
        inferred edges and its run's state on the job. Inside ``transaction()`` it is part of
        that batch; a refused event undoes only itself. Returns what it did: ``{"outcome",
        "event_type", "job", "run_id", "run_state", "assets_created", ..., "warnings"}``.
        Raises ValidationError (not a valid event: the message names the field),
        ParseError (not JSON) or LimitError (over 4 MiB)."""
        from .openlineage import ingest
        return ingest(self, event)

    def runs(self, job: str, limit: int = 100) -> dict[str, Any]:
        """A job's state and runs, newest first: ``{"job", "status", "runs": [{"run_id",
        "state", "started_at", "ended_at", "duration_ms", "updated_at", "events"}]}`` (times
        in Unix ms). Raises NotFoundError, or ValidationError when the asset is no job."""
        from .openlineage import runs
        return runs(self, job, limit)

    def _export_options(self, format: Any, type: Any, layout: Any) -> Any:
        opts = ffi.new("lineage_export_options *")
        check(lib.lineage_export_options_init(opts, lib.LINEAGE_EXPORT_OPTIONS_VERSION))
        fmt = ffi.new("lineage_format *")
        if lib.lineage_format_parse(fmt, c.text(format, "format")) != 0 or fmt[0] == 0:
            raise ValueError("format must be one of 'csv', 'json', 'jsonl', 'graphml', "
                             f"'cytoscape' or 'dot', got {format!r}")
        opts.format = fmt[0]
        if type is not None:
            rtype = ffi.new("lineage_record_type *")
            if lib.lineage_record_type_parse(rtype, c.text(type, "type")) != 0:
                raise ValueError("type must be 'assets', 'lineage' or 'both', "
                                 f"got {type!r}")
            opts.type = rtype[0]
        if layout is not None:
            if not isinstance(layout, str) or layout not in _EXPORT_LAYOUTS:
                raise ValueError("layout must be 'layered', 'force', 'grid' or 'circle', "
                                 f"got {layout!r}")
            opts.layout = _EXPORT_LAYOUTS[layout]
        return opts

    def export(self, format: str = "json", *, type: Optional[str] = None,
               result: Optional[Result] = None, path: Optional[PathLike] = None,
               layout: Optional[str] = None,
               progress: Optional[ProgressCallback] = None) -> Optional[str]:
        """Export the whole graph, or the assets and edges of a query ``result``, as
        "csv", "json", "jsonl", "graphml" (which import reads back), "cytoscape" or
        "dot". ``type``: "assets", "lineage" or "both" (CSV and JSON Lines hold one record
        type). With ``path`` the file is written and None returned; else the text."""
        opts = self._export_options(format, type, layout)
        if result is not None and not isinstance(result, Result):
            raise TypeError(f"result must be a lineage.Result, not {type_name(result)}")
        res = ffi.NULL if result is None else result._ptr
        if path is not None:
            path_b = _path_arg(path, "path")
            with self._lock:
                db = self._live()

                def to_file(cb: Any, payload: Any) -> int:
                    opts.progress, opts.payload = cb, payload
                    return lib.lineage_export_path(db, res, path_b, opts)

                run_with_progress(to_file, progress)
            return None
        out, size = ffi.new("char **"), ffi.new("size_t *")
        with self._lock:
            db = self._live()

            def to_buffer(cb: Any, payload: Any) -> int:
                opts.progress, opts.payload = cb, payload
                return lib.lineage_export_buffer(out, size, db, res, opts)

            run_with_progress(to_buffer, progress)
        try:
            return ffi.unpack(out[0], size[0]).decode("utf-8")
        finally:
            lib.lineage_free(out[0])


def type_name(value: Any) -> str:
    return value.__class__.__name__


def open(path: PathLike = ":memory:", **options: Any) -> Graph:  # noqa: A001
    """Open (or create) a lineage database; ":memory:" for a private in-memory one.

    Options: ``readonly``, ``create`` (False: fail when the file does not exist),
    ``actor`` (recorded in the audit trail), ``busy_timeout_ms``, ``cache_size_kib``,
    ``pg_schema`` (for a ``postgresql://`` URI: the store's schema, default "lineage"),
    ``max_staleness_ms`` (PostgreSQL: how long queries may skip asking whether other hosts
    committed, learning of their commits from notifications meanwhile; default 0, exact).
    """
    return Graph(path, **options)
