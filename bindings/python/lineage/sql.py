"""Static lineage analysis of SQL scripts, without a database (scan.h), and the scanners."""

from __future__ import annotations

from typing import Any, Optional, Union

from . import _convert as c
from ._errors import check
from ._lineage_cffi import ffi, lib


def sql_dialects() -> list[str]:
    """The SQL dialects the analysis knows ("ansi", "postgres", "snowflake", ...)."""
    names, arr, i = [], lib.lineage_sql_dialects(), 0
    while arr[i] != ffi.NULL:
        names.append(ffi.string(arr[i]).decode("utf-8"))
        i += 1
    return names


def analyze_sql(sql: Union[str, bytes], dialect: Optional[str] = None, *,
                default_database: Optional[str] = None, default_schema: Optional[str] = None,
                schema: Optional[dict[str, list[str]]] = None,
                file: Optional[str] = None) -> dict[str, Any]:
    """Lineage of a SQL script: sources, targets, intermediates, column and table lineage,
    statements and diagnostics, as a dict (the shape of ``lineage scan --type sql --dry-run
    --json``). ``schema`` maps table names to their columns, to expand ``SELECT *``.
    Statements that cannot be parsed are diagnostics, not errors. The GIL is released
    while the library parses."""
    if isinstance(sql, str):
        data = sql.encode("utf-8")
    elif isinstance(sql, (bytes, bytearray, memoryview)):
        data = bytes(sql)  # any bytes: the analysis reports what it cannot read
    else:
        raise TypeError(f"sql must be str or bytes, not {type(sql).__name__}")
    keep: list[Any] = []
    opts = ffi.new("lineage_sql_options *")
    check(lib.lineage_sql_options_init(opts, lib.LINEAGE_SQL_OPTIONS_VERSION))
    opts.dialect = c.field_cstr(c.opt_text(dialect, "dialect"), keep)
    opts.default_database = c.field_cstr(c.opt_text(default_database, "default_database"),
                                         keep)
    opts.default_schema = c.field_cstr(c.opt_text(default_schema, "default_schema"), keep)
    opts.file = c.field_cstr(c.opt_text(file, "file"), keep)
    if schema is not None:
        if not isinstance(schema, dict) or not all(
                isinstance(k, str) and isinstance(v, (list, tuple))
                and all(isinstance(col, str) for col in v) for k, v in schema.items()):
            raise TypeError("schema must be a dict of table name -> list of column names")
        opts.schema_json = c.field_cstr(c.json_object(schema, "schema"), keep)
    buf = ffi.from_buffer(data)
    out = ffi.new("lineage_sql_result **")
    check(lib.lineage_sql_analyze(out, buf, len(data), opts))
    js = ffi.new("char **")
    try:
        check(lib.lineage_sql_result_to_json(js, out[0], 0))
    finally:
        lib.lineage_sql_result_free(out[0])
    return c.take_json(js)


def scanners() -> list[dict[str, Any]]:
    """The scanners available to ``Graph.scan()``: [{"name", "description", "builtin"}]."""
    out = ffi.new("char **")
    check(lib.lineage_scanner_list_json(out))
    result: list[dict[str, Any]] = c.take_json(out)
    return result


__all__ = ["analyze_sql", "scanners", "sql_dialects"]
