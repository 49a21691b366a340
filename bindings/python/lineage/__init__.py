"""liblineage for Python: a data-lineage graph store and engine, in process.

    import lineage
    with lineage.open("lineage.db") as g:
        g.add_asset("pg.sales.orders", "table")
        g.add_edge("pg.sales.orders", "dw.orders_daily", create_missing=True)
        print([n.key for n in g.downstream("pg.sales.orders", depth=3).nodes])
"""

from ._errors import (
    AuthError,
    BusyError,
    CancelledError,
    ConflictError,
    CycleError,
    DatabaseError,
    LimitError,
    LineageError,
    LineageIOError,
    LineageMemoryError,
    NotFoundError,
    ParseError,
    ReadOnlyError,
    UsageError,
    ValidationError,
    check,
)
from ._lineage_cffi import ffi, lib
from ._types import (Asset, Change, Edge, ImpactResult, ImportIssue, ImportReport, Node, Result,
                     ResultEdge, ScanReport, SearchResult, Page)
from ._tokens import ROLES, Token, role_rank
from .graph import Graph, open
from .sql import analyze_sql, scanners, sql_dialects

__all__ = [
    "AuthError", "ROLES", "Token", "role_rank",
    "Asset", "BusyError", "CancelledError", "Change", "ConflictError", "CycleError",
    "DatabaseError", "Edge", "Graph", "ImpactResult", "ImportIssue", "ImportReport", "LimitError", "LineageError",
    "LineageIOError", "LineageMemoryError", "Node", "NotFoundError", "ParseError",
    "ReadOnlyError", "Result", "ResultEdge", "ScanReport", "SearchResult", "Page", "analyze_sql",
    "scanners", "sql_dialects", "UsageError", "ValidationError",
    "check", "ffi", "lib", "library_version", "open",
]

__version__ = "0.1.0"


def library_version() -> str:
    """Version of the liblineage actually loaded, such as "0.1.0"."""
    return ffi.string(lib.lineage_version()).decode("ascii")
