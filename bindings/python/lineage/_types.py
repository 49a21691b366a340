"""Plain Python objects built from the library's JSON (small, slotted, cheap to make)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from ._lineage_cffi import ffi, lib


@dataclass(frozen=True, slots=True)
class Asset:
    """A stored asset (systems, tables, columns, jobs, dashboards...)."""

    id: int
    key: str
    kind: str
    name: Optional[str] = None
    parent: Optional[str] = None
    owner: Optional[str] = None
    description: Optional[str] = None
    status: Optional[str] = None
    tags: tuple[str, ...] = ()
    properties: dict[str, Any] = field(default_factory=dict, compare=False)
    created_at: Optional[str] = None
    updated_at: Optional[str] = None
    _raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Asset":
        return cls(d["id"], d["key"], d["kind"], d.get("name"), d.get("parent"),
                   d.get("owner"), d.get("description"), d.get("status"),
                   tuple(d.get("tags") or ()), d.get("properties") or {},
                   d.get("created_at"), d.get("updated_at"), d)

    def to_dict(self) -> dict[str, Any]:
        """The library's JSON shape of the asset."""
        return dict(self._raw)


@dataclass(frozen=True, slots=True)
class Edge:
    """A stored edge: data flowing from ``source`` to ``target``."""

    id: int
    source: str
    target: str
    kind: str
    lineage_source: str
    confidence: float
    status: str = "active"
    job: Optional[str] = None
    transformation_type: Optional[str] = None
    transformation: Optional[str] = None
    description: Optional[str] = None
    origin: Optional[str] = None
    reviewed_by: Optional[str] = None
    review_comment: Optional[str] = None
    _raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Edge":
        return cls(d["id"], d["source"], d["target"], d["kind"], d["lineage_source"],
                   d["confidence"], d.get("status", "active"), d.get("job"),
                   d.get("transformation_type"), d.get("transformation"),
                   d.get("description"), d.get("origin"), d.get("reviewed_by"),
                   d.get("review_comment"), d)

    @property
    def properties(self) -> dict[str, Any]:
        return self._raw.get("properties") or {}

    @property
    def evidence(self) -> Any:
        return self._raw.get("evidence")

    def to_dict(self) -> dict[str, Any]:
        """The library's JSON shape of the edge."""
        return dict(self._raw)


@dataclass(frozen=True, slots=True)
class Change:
    """One record of the audit trail / change feed."""

    seq: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: int
    asset_key: Optional[str]
    target_key: Optional[str]
    before: Any
    after: Any
    comment: Optional[str]
    batch_id: int

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Change":
        return cls(d["seq"], d["at"], d["actor"], d["action"], d["entity"], d["entity_id"],
                   d.get("asset_key"), d.get("target_key"), d.get("before"), d.get("after"),
                   d.get("comment"), d["batch_id"])

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class Node:
    """An asset in a query result."""

    key: str
    kind: str
    distance: int
    confidence: float = 1.0
    owner: Optional[str] = None
    severity: Optional[str] = None  # impact: "breaking", "affected" or "info"
    group: int = 0                  # paths: the path's number; cycles: the cycle's

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Node":
        return cls(d["key"], d["kind"], d.get("distance", 0), d.get("confidence", 1.0),
                   d.get("owner"), d.get("severity"), d.get("group", 0))


@dataclass(frozen=True, slots=True)
class ResultEdge:
    """An edge in a query result."""

    id: int
    source: str
    target: str
    kind: str
    lineage_source: str
    confidence: float

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ResultEdge":
        return cls(d["id"], d["source"], d["target"], d["kind"], d["lineage_source"],
                   d["confidence"])


_SOURCE_NAMES = {0: "any", 1: "inferred", 2: "manual", 3: "approved"}
_SEVERITY_NAMES = {3: "breaking", 2: "affected", 1: "info"}
_LAYOUTS = {"layered": 1, "dagre": 1, "force": 2, "grid": 3, "circle": 4}


class Result:
    """The answer to a query. Owns the C result; its JSON is made on first use."""

    __slots__ = ("_ptr", "_plain", "_nodes", "_edges")

    def __init__(self, ptr: Any) -> None:
        self._ptr = ffi.gc(ptr, lib.lineage_result_free)
        self._plain: Optional[dict[str, Any]] = None
        self._nodes: Optional[list[Node]] = None
        self._edges: Optional[list[ResultEdge]] = None

    def _text(self, fmt: int) -> bytes:
        out = ffi.new("char **")
        rc = lib.lineage_result_to_json(out, self._ptr, fmt)
        if rc < 0:
            from ._errors import raise_error
            raise_error(rc)
        try:
            text: bytes = ffi.string(out[0])
            return text
        finally:
            lib.lineage_free(out[0])

    def _json(self, fmt: int) -> Any:
        return json.loads(self._text(fmt))

    def to_json(self) -> str:
        """The plain JSON text, as the library writes it (what ``to_dict()`` parses): a
        service can send it as it is, without parsing and re-encoding."""
        return self._text(lib.LINEAGE_JSON_PLAIN).decode("utf-8")

    def to_dict(self) -> dict[str, Any]:
        """The plain JSON shape (the same as the CLI's ``--json``)."""
        if self._plain is None:
            self._plain = self._json(lib.LINEAGE_JSON_PLAIN)
        return self._plain

    def to_cytoscape(self, layout: Optional[str] = None) -> dict[str, Any]:
        """Cytoscape.js elements: ``{"elements": {"nodes": [...], "edges": [...]}}``.

        With ``layout`` ("layered", "force", "grid" or "circle") the library computes
        positions and each node carries ``"position": {"x", "y"}``.
        """
        if layout is not None:
            if not isinstance(layout, str):
                raise TypeError(f"layout must be str, not {type(layout).__name__}")
            if layout not in _LAYOUTS:
                raise ValueError("layout must be one of 'layered', 'force', 'grid' or "
                                 f"'circle', got {layout!r}")
            rc = lib.lineage_result_layout(self._ptr, _LAYOUTS[layout])
            if rc < 0:
                from ._errors import raise_error
                raise_error(rc)
        return self._json(lib.LINEAGE_JSON_CYTOSCAPE)

    @property
    def root(self) -> Optional[str]:
        return self.to_dict().get("root")

    @property
    def truncated(self) -> bool:
        return bool(lib.lineage_result_truncated(self._ptr))

    # Nodes and edges are read straight from the C structs: several times faster than
    # serialising the result to JSON and parsing it back (see docs/benchmarks.md).
    def _read_nodes(self) -> list[Node]:
        ptr, string, null, out = self._ptr, ffi.string, ffi.NULL, []
        get = lib.lineage_result_node
        for i in range(lib.lineage_result_node_count(ptr)):
            n = get(ptr, i)
            owner = None if n.owner == null else string(n.owner).decode("utf-8")
            out.append(Node(string(n.key).decode("utf-8"), string(n.kind).decode("utf-8"),
                            n.distance, n.confidence, owner, self._severity(n.group), n.group))
        return out

    @staticmethod
    def _severity(group: int) -> Optional[str]:
        return None

    @property
    def nodes(self) -> list[Node]:
        if self._nodes is None:
            self._nodes = self._read_nodes()
        return self._nodes

    @property
    def edges(self) -> list[ResultEdge]:
        if self._edges is None:
            ptr, string, out = self._ptr, ffi.string, []
            get = lib.lineage_result_edge_at
            for i in range(lib.lineage_result_edge_count(ptr)):
                e = get(ptr, i)
                out.append(ResultEdge(e.edge_id, string(e.source_key).decode("utf-8"),
                                      string(e.target_key).decode("utf-8"),
                                      string(e.kind).decode("utf-8"),
                                      _SOURCE_NAMES.get(e.lineage_source, "any"),
                                      e.confidence))
            self._edges = out
        return self._edges

    @property
    def keys(self) -> list[str]:
        """Keys of the nodes, in order."""
        return [n.key for n in self.nodes]

    def __len__(self) -> int:
        return int(lib.lineage_result_node_count(self._ptr))

    def __iter__(self) -> Iterator[Node]:
        return iter(self.nodes)

    def __repr__(self) -> str:
        return (f"<{type(self).__name__} root={self.root!r} nodes={len(self)} "
                f"edges={int(lib.lineage_result_edge_count(self._ptr))}>")


class ImpactResult(Result):
    """What a change to an asset affects."""

    __slots__ = ()

    @property
    def change(self) -> str:
        return self.to_dict().get("change", "")

    @staticmethod
    def _severity(group: int) -> Optional[str]:
        return _SEVERITY_NAMES.get(group, "none")

    @property
    def affected(self) -> list[Node]:
        """Every affected asset (the root is not among them), with owner and severity."""
        return self.nodes

    @property
    def summary(self) -> dict[str, Any]:
        return self.to_dict().get("summary", {})


class SearchResult(list):  # type: ignore[type-arg]
    """A page of assets (a list) with ``total``: how many matched in all."""

    __slots__ = ("total",)

    def __init__(self, items: list[Asset], total: int) -> None:
        super().__init__(items)
        self.total = total


class Page(list):  # type: ignore[type-arg]
    """A page of a list read from the store (a list) with ``total``: how many in all."""

    __slots__ = ("total",)

    def __init__(self, items: list[Any], total: int) -> None:
        super().__init__(items)
        self.total = total


@dataclass(frozen=True, slots=True)
class ImportIssue:
    """A problem found in imported input: its row, column, value and what to do."""

    row: int
    column: Optional[str]
    value: Optional[str]
    message: str

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ImportIssue":
        return cls(d.get("row", 0), d.get("column"), d.get("value"), d["message"])


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did (or, dry run, would do)."""

    file: Optional[str]
    format: str
    rows: int
    valid: int
    invalid: int
    errors: list[ImportIssue]
    errors_total: int
    warnings: list[ImportIssue]
    warnings_total: int
    created: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int]
    retired: dict[str, int]
    items: list[dict[str, Any]]
    dry_run: bool
    committed: bool
    batch_id: int
    _raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ImportReport":
        return cls(d.get("file"), d.get("format", ""), d.get("rows", 0), d.get("valid", 0),
                   d.get("invalid", 0), [ImportIssue.from_dict(e) for e in d.get("errors", ())],
                   d.get("errors_total", 0),
                   [ImportIssue.from_dict(w) for w in d.get("warnings", ())],
                   d.get("warnings_total", 0), d.get("created") or {}, d.get("updated") or {},
                   d.get("unchanged") or {}, d.get("retired") or {}, d.get("items") or [],
                   bool(d.get("dry_run")), bool(d.get("committed")), d.get("batch_id") or 0, d)

    @property
    def ok(self) -> bool:
        """Every row was valid."""
        return self.invalid == 0 and self.errors_total == 0

    def to_dict(self) -> dict[str, Any]:
        """The library's JSON shape of the report."""
        return dict(self._raw)


@dataclass(frozen=True, slots=True)
class ScanReport:
    """What a scan run found and stored (or, dry run, would store)."""

    dry_run: bool
    batch_id: int
    files: int
    statements: int
    assets: dict[str, int]
    edges: dict[str, int]
    inputs: list[dict[str, Any]]
    diagnostics: list[dict[str, Any]]
    _raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ScanReport":
        return cls(bool(d.get("dry_run")), d.get("batch_id") or 0, d.get("files", 0),
                   d.get("statements", 0), d.get("assets") or {}, d.get("edges") or {},
                   d.get("inputs") or [], d.get("diagnostics") or [], d)

    def to_dict(self) -> dict[str, Any]:
        """The library's JSON shape of the report."""
        return dict(self._raw)
